//! The adviser's diary as an iCalendar (RFC 5545) file: planned visits and
//! planned MSP meetings in one calendar, for Outlook, Google Calendar or any
//! app that subscribes to the file and re-reads it.
//!
//! Times are written as floating local times: an adviser's visits happen in
//! England and their diary shows them at the hour the school expects them.
//! A meeting records a day but no hours, so it is an all-day event. Each
//! event's UID is its record's id, and its SEQUENCE, LAST-MODIFIED and
//! DTSTAMP come from when its records last changed, so reading the file
//! again updates events rather than doubling them, and the same records
//! always give the same bytes. An event never carries a meeting's minutes:
//! the file is plain text outside the encrypted store.

use std::io;
use std::path::{Path, PathBuf};

use caseload_core::diary::{Diary, DiaryMeeting, DiaryVisit, Revision};
use caseload_core::School;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use icalendar::{Calendar, Component, Event, EventLike};
use uuid::Uuid;

use crate::files::Staged;

/// How often a subscribed calendar app is asked to read the file again.
const REFRESH_MINUTES: i64 = 15;

/// The iCalendar text of the diary, one event per visit and per meeting.
pub fn diary_calendar(diary: &Diary) -> String {
    let mut calendar = Calendar::new();
    calendar
        .name("Caseload: visits and MSP meetings")
        .ttl(&TimeDelta::minutes(REFRESH_MINUTES));
    for entry in diary.visits.iter().map(visit_entry) {
        calendar.push(event(&entry));
    }
    for entry in diary.meetings.iter().map(meeting_entry) {
        calendar.push(event(&entry));
    }
    calendar.done().to_string()
}

/// Writes the diary to the calendar file at `path` that a calendar app
/// subscribes to: whole (a temporary file renamed into place, so the app
/// never reads half a file), readable by this user alone (it names schools
/// in MSP), and only when its text changed, so an app watching the file
/// sees a change only when there is one. Returns whether it wrote.
pub fn write_subscription(path: &Path, diary: &Diary) -> io::Result<bool> {
    let text = diary_calendar(diary);
    if std::fs::read(path).is_ok_and(|held| held == text.as_bytes()) {
        return Ok(false);
    }
    Staged::write_private(path, text.as_bytes())?.persist()?;
    Ok(true)
}

/// What a store calls after a change that may have changed the diary (the
/// store is `S`, read with `diary_of`): rewrites the subscription file at
/// `path` if the adviser keeps one (the file exists), telling `on_problem`
/// when it cannot, since the change itself is saved by then.
pub fn subscription_listener<S: 'static, E: std::fmt::Display + 'static>(
    path: PathBuf,
    diary_of: fn(&S) -> Result<Diary, E>,
    mut on_problem: impl FnMut(String) + Send + 'static,
) -> Box<dyn FnMut(&S) + Send> {
    Box::new(move |store| {
        if !path.exists() {
            return;
        }
        let written = diary_of(store)
            .map_err(|error| error.to_string())
            .and_then(|diary| write_subscription(&path, &diary).map_err(|error| error.to_string()));
        if let Err(problem) = written {
            on_problem(format!(
                "the calendar file {} was not brought up to date: {problem}",
                path.display()
            ));
        }
    })
}

/// A visit at its half-day, at its school's address when known.
fn visit_entry(entry: &DiaryVisit) -> Entry {
    let visit = &entry.visit;
    let (start, end) = visit.session.hours();
    Entry {
        id: visit.id,
        revised: entry.revised,
        summary: format!("{} visit: {}", visit.kind.label(), entry.school.name),
        when: When::Hours(
            visit.visited_on.and_time(start),
            visit.visited_on.and_time(end),
        ),
        location: address(&entry.school),
        description: Some(visit.purpose.clone()),
    }
}

/// A meeting all day at its place (or its school's address), its agenda's
/// titles as the description: never the minutes written under them.
fn meeting_entry(entry: &DiaryMeeting) -> Entry {
    let meeting = &entry.meeting;
    let agenda: Vec<String> = meeting
        .agenda
        .iter()
        .enumerate()
        .map(|(number, item)| format!("{}. {}", number + 1, item.title))
        .collect();
    let place = Some(meeting.place.trim())
        .filter(|place| !place.is_empty())
        .map(str::to_owned)
        .or_else(|| address(&entry.school));
    Entry {
        id: meeting.id,
        revised: entry.revised,
        summary: format!("MSP meeting: {}", entry.school.name),
        when: When::Day(meeting.meets_on),
        location: place,
        description: Some(format!(
            "Monitoring Support Partnership. Agenda: {}",
            agenda.join(" ")
        )),
    }
}

fn address(school: &School) -> Option<String> {
    Some(school.address_lines().join(", ")).filter(|line| !line.is_empty())
}

/// One diary entry, whatever record it comes from.
struct Entry {
    id: Uuid,
    revised: Revision,
    summary: String,
    when: When,
    location: Option<String>,
    description: Option<String>,
}

enum When {
    Hours(NaiveDateTime, NaiveDateTime),
    Day(NaiveDate),
}

fn event(entry: &Entry) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{}@caseload", entry.id))
        .summary(&entry.summary)
        .timestamp(entry.revised.at())
        .last_modified(entry.revised.at())
        .sequence(entry.revised.sequence());
    match entry.when {
        When::Hours(start, end) => event.starts(start).ends(end),
        When::Day(day) => event.all_day(day),
    };
    if let Some(location) = &entry.location {
        event.location(location);
    }
    if let Some(description) = entry
        .description
        .as_ref()
        .filter(|text| !text.trim().is_empty())
    {
        event.description(description);
    }
    event.done()
}

#[cfg(test)]
mod tests {
    use caseload_core::diary::{DiaryMeeting, DiaryVisit, Revision};
    use caseload_core::msp::{MeetingStatus, MspMeeting};
    use caseload_core::school::Urn;
    use caseload_core::visit::{Session, Visit, VisitKind};
    use caseload_core::Hlc;
    use chrono::{DateTime, NaiveDate, Utc};
    use icalendar::{Component, EventLike};
    use uuid::Uuid;

    use super::*;

    /// 2026-11-20T09:15:30Z as a stamp.
    fn revised(seconds_later: u64) -> Revision {
        Revision(Hlc::new(1_795_166_130_000 + seconds_later * 1000, 3))
    }

    fn visit(session: Session, purpose: &str) -> DiaryVisit {
        let mut visit = Visit::plan(
            Uuid::from_u128(7),
            Urn(990_008),
            NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date"),
            session,
            VisitKind::Core,
        );
        visit.purpose = purpose.into();
        DiaryVisit {
            visit,
            school: School {
                name: "Westfield Primary School".into(),
                ..caseload_core::samples::school()
            },
            revised: revised(0),
        }
    }

    fn meeting() -> DiaryMeeting {
        let mut meeting = caseload_core::samples::msp_meeting();
        meeting.status = MeetingStatus::Planned;
        meeting.meets_on = NaiveDate::from_ymd_opt(2027, 1, 6).expect("a date");
        DiaryMeeting {
            meeting,
            school: caseload_core::samples::school(),
            revised: revised(60),
        }
    }

    fn diary(visits: Vec<DiaryVisit>, meetings: Vec<DiaryMeeting>) -> Diary {
        Diary { visits, meetings }
    }

    /// The file's lines with RFC 5545 folding undone.
    fn unfolded(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .split("\r\n")
            .map(str::to_owned)
            .collect()
    }

    /// The file read back by a calendar parser, its events by UID.
    fn parsed(text: &str) -> Vec<icalendar::Event> {
        let calendar: icalendar::Calendar = text.parse().expect("a calendar that parses");
        calendar.events().cloned().collect()
    }

    #[test]
    fn a_planned_visit_is_an_event_at_its_half_day_revised_when_its_records_were() {
        let entry = visit(
            Session::Pm,
            "Core autumn visit; outcomes, priorities, pupil targets.",
        );
        let text = diary_calendar(&diary(vec![entry.clone()], vec![]));
        let lines = unfolded(&text);
        let has = |line: &str| lines.iter().any(|l| l == line);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(has(&format!("UID:{}@caseload", entry.visit.id)));
        assert!(has("SUMMARY:Core visit: Westfield Primary School"));
        assert!(has("DTSTART:20261202T130000"), "{text}");
        assert!(has("DTEND:20261202T163000"));
        assert!(has("DTSTAMP:20261120T091530Z"), "{text}");
        assert!(has("LAST-MODIFIED:20261120T091530Z"), "{text}");
        assert!(has(&format!("SEQUENCE:{}", entry.revised.sequence())));
        assert!(has("REFRESH-INTERVAL;VALUE=DURATION:PT900S"), "{text}");
        let location = format!("LOCATION:{}", entry.school.address_lines().join("\\, "));
        assert!(has(&location), "{text}");
        assert!(has(
            "DESCRIPTION:Core autumn visit\\; outcomes\\, priorities\\, pupil targets."
        ));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn visits_and_meetings_are_events_of_one_calendar_that_parses() {
        let (entry, planned) = (visit(Session::Am, ""), meeting());
        let text = diary_calendar(&diary(vec![entry.clone()], vec![planned.clone()]));
        let events = parsed(&text);
        let uids: Vec<&str> = events.iter().filter_map(|event| event.get_uid()).collect();
        assert_eq!(
            uids,
            [
                format!("{}@caseload", entry.visit.id),
                format!("{}@caseload", planned.meeting.id)
            ]
        );
        let meeting = &events[1];
        assert_eq!(
            meeting.get_summary(),
            Some(format!("MSP meeting: {}", planned.school.name).as_str())
        );
        assert_eq!(
            meeting.get_start(),
            Some(NaiveDate::from_ymd_opt(2027, 1, 6).expect("a date").into())
        );
        assert_eq!(meeting.get_location(), Some("The school's library"));
        assert_eq!(meeting.get_sequence(), Some(planned.revised.sequence()));
        let modified: DateTime<Utc> = "2026-11-20T09:16:30Z".parse().expect("a moment");
        assert_eq!(meeting.get_last_modified(), Some(modified));
        assert_eq!(meeting.get_timestamp(), Some(modified));
        let agenda = meeting.get_description().expect("the agenda");
        assert!(
            agenda.starts_with(
                "Monitoring Support Partnership. Agenda: 1. Minutes of the previous meeting"
            ),
            "{agenda}"
        );
        assert!(!text.contains("behaviour policy"), "no minutes in a diary");
        assert!(
            !text.contains(&planned.meeting.summary),
            "no key points either"
        );
        assert_eq!(
            events[0].get_description(),
            None,
            "an empty purpose says nothing"
        );
    }

    #[test]
    fn the_same_records_give_the_same_file_and_a_revision_moves_the_sequence_not_the_uid() {
        let entry = visit(Session::Am, "Core visit");
        let first = diary_calendar(&diary(vec![entry.clone()], vec![meeting()]));
        assert_eq!(
            first,
            diary_calendar(&diary(vec![entry.clone()], vec![meeting()]))
        );
        let moved = DiaryVisit {
            visit: Visit {
                visited_on: NaiveDate::from_ymd_opt(2026, 12, 9).expect("a date"),
                ..entry.visit.clone()
            },
            revised: revised(3600),
            ..entry.clone()
        };
        let second = diary_calendar(&diary(vec![moved], vec![meeting()]));
        let (before, after) = (&parsed(&first)[0], &parsed(&second)[0]);
        assert_eq!(before.get_uid(), after.get_uid());
        assert!(
            after.get_sequence() > before.get_sequence(),
            "{:?} then {:?}",
            before.get_sequence(),
            after.get_sequence()
        );
        assert!(unfolded(&second).contains(&"DTSTART:20261209T090000".to_owned()));
    }

    #[test]
    fn an_event_gone_from_the_diary_is_gone_from_the_file() {
        let kept = meeting();
        let text = diary_calendar(&diary(vec![], vec![kept.clone()]));
        let events = parsed(&text);
        assert_eq!(events.len(), 1);
        assert!(
            !text.contains(&Uuid::from_u128(7).to_string()),
            "the visit is gone"
        );
        assert!(!text.contains("STATUS:CANCELLED"), "dropped, not marked");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters_and_text_is_escaped() {
        let purpose = "Année 6: the head\u{2019}s review of reading, writing; maths \\ science.\n\
                       Then a learning walk with the SENCo \u{2014} phonics in Reception, Year 1 \
                       and Year 2, and a discussion with governors about the café budget.";
        let text = diary_calendar(&diary(vec![visit(Session::Am, purpose)], vec![]));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let events = parsed(&text);
        assert_eq!(events[0].get_description(), Some(purpose), "{text}");
        let description = unfolded(&text)
            .into_iter()
            .find(|line| line.starts_with("DESCRIPTION:"))
            .expect("a description");
        assert!(
            description.contains("reading\\, writing\\; maths \\\\ science.\\n"),
            "{description}"
        );
    }

    #[test]
    fn an_empty_diary_is_still_a_calendar() {
        let text = diary_calendar(&Diary::default());
        assert!(text.contains("BEGIN:VCALENDAR") && text.contains("END:VCALENDAR"));
        assert!(!text.contains("VEVENT"));
        assert!(parsed(&text).is_empty());
    }

    #[test]
    fn the_subscription_file_is_rewritten_only_when_the_diary_changes() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("calendar.ics");
        let full = diary(vec![visit(Session::Am, "")], vec![meeting()]);
        assert!(
            write_subscription(&path, &full).expect("written"),
            "new file"
        );
        assert!(
            !write_subscription(&path, &full).expect("read"),
            "unchanged"
        );
        let fewer = diary(vec![], vec![meeting()]);
        assert!(write_subscription(&path, &fewer).expect("written"));
        let text = std::fs::read_to_string(&path).expect("there");
        assert_eq!(parsed(&text).len(), 1, "{text}");
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .expect("lists")
            .map(|entry| entry.expect("an entry").file_name())
            .collect();
        assert_eq!(names, ["calendar.ics"], "no partial file left");
    }

    #[test]
    fn the_listener_keeps_an_existing_subscription_and_starts_none() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("calendar.ics");
        let problems = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let told = std::sync::Arc::clone(&problems);
        let diary_of = |diary: &Diary| Ok::<_, String>(diary.clone());
        let mut listener = subscription_listener(path.clone(), diary_of, move |problem| {
            told.lock().expect("not poisoned").push(problem);
        });
        let full = diary(vec![visit(Session::Am, "")], vec![meeting()]);
        listener(&full);
        assert!(!path.exists(), "no subscription, no file");
        write_subscription(&path, &Diary::default()).expect("subscribed");
        listener(&full);
        let text = std::fs::read_to_string(&path).expect("kept");
        assert_eq!(parsed(&text).len(), 2);
        let failing = |_: &Diary| Err::<Diary, _>("the store is locked");
        let mut broken = subscription_listener(path.clone(), failing, {
            let told = std::sync::Arc::clone(&problems);
            move |problem| told.lock().expect("not poisoned").push(problem)
        });
        broken(&full);
        let problems = problems.lock().expect("not poisoned");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].ends_with("was not brought up to date: the store is locked"),
            "{problems:?}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("kept"),
            text,
            "left as it was"
        );
    }

    #[test]
    fn a_meeting_with_no_place_is_at_its_schools_address() {
        let mut planned = meeting();
        planned.meeting = MspMeeting {
            place: "  ".into(),
            ..planned.meeting
        };
        let text = diary_calendar(&diary(vec![], vec![planned.clone()]));
        let address = planned.school.address_lines().join(", ");
        assert_eq!(parsed(&text)[0].get_location(), Some(address.as_str()));
    }
}
