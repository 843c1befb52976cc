//! Planned visits and MSP meetings as iCalendar (RFC 5545) files for
//! Outlook and Google Calendar.
//!
//! Times are written as floating local times: an adviser's visits happen in
//! England and their diary shows them at the hour the school expects them.
//! A meeting records a day but no hours, so it is an all-day event. Each
//! event's UID is the record's id, so importing the file again updates the
//! events rather than doubling them.

use caseload_core::msp::MspMeeting;
use caseload_core::visit::Visit;
use caseload_core::School;
use chrono::{NaiveDate, NaiveDateTime};
use icalendar::{Calendar, Component, Event, EventLike};
use uuid::Uuid;

/// A visit with what the diary entry needs to say about its school.
#[derive(Debug, Clone, Copy)]
pub struct DiaryVisit<'a> {
    pub visit: &'a Visit,
    pub school: &'a str,
    /// The school's address on one line, if known.
    pub address: Option<&'a str>,
}

/// The iCalendar text of `visits`, one event each.
pub fn visits_calendar(visits: &[DiaryVisit<'_>]) -> String {
    diary(
        "Caseload: planned visits",
        visits.iter().map(|entry| {
            let visit = entry.visit;
            let (start, end) = visit.session.hours();
            Entry {
                id: visit.id,
                summary: format!("{} visit: {}", visit.kind.label(), entry.school),
                when: When::Hours(
                    visit.visited_on.and_time(start),
                    visit.visited_on.and_time(end),
                ),
                location: entry.address.map(str::to_owned),
                description: Some(visit.purpose.clone()),
            }
        }),
    )
}

/// The iCalendar text of planned visits, each with its school, whose
/// address (when known) is the event's place.
pub fn planned_visits_calendar(planned: &[(Visit, School)]) -> String {
    let addresses: Vec<String> = planned
        .iter()
        .map(|(_, school)| school.address_lines().join(", "))
        .collect();
    let diary: Vec<DiaryVisit<'_>> = planned
        .iter()
        .zip(&addresses)
        .map(|((visit, school), address)| DiaryVisit {
            visit,
            school: &school.name,
            address: Some(address.as_str()).filter(|line| !line.is_empty()),
        })
        .collect();
    visits_calendar(&diary)
}

/// The iCalendar text of planned MSP meetings, each with its school: an
/// all-day event at the meeting's place, its agenda as the description.
pub fn msp_meetings_calendar(meetings: &[(MspMeeting, School)]) -> String {
    diary(
        "Caseload: MSP meetings",
        meetings.iter().map(|(meeting, school)| {
            let agenda: Vec<String> = meeting
                .agenda
                .iter()
                .enumerate()
                .map(|(number, item)| format!("{}. {}", number + 1, item.title))
                .collect();
            let address = school.address_lines().join(", ");
            let place = [meeting.place.as_str(), address.as_str()]
                .into_iter()
                .find(|place| !place.trim().is_empty());
            Entry {
                id: meeting.id,
                summary: format!("MSP meeting: {}", school.name),
                when: When::Day(meeting.meets_on),
                location: place.map(str::to_owned),
                description: Some(format!(
                    "Monitoring Support Partnership. Agenda: {}",
                    agenda.join(" ")
                )),
            }
        }),
    )
}

/// One diary entry, whatever record it comes from.
struct Entry {
    id: Uuid,
    summary: String,
    when: When,
    location: Option<String>,
    description: Option<String>,
}

enum When {
    Hours(NaiveDateTime, NaiveDateTime),
    Day(NaiveDate),
}

fn diary(name: &str, entries: impl Iterator<Item = Entry>) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for entry in entries {
        calendar.push(event(&entry));
    }
    calendar.done().to_string()
}

fn event(entry: &Entry) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{}@caseload", entry.id))
        .summary(&entry.summary);
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
    use caseload_core::school::Urn;
    use caseload_core::visit::{Session, VisitKind};
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;

    fn planned(session: Session) -> Visit {
        let mut visit = Visit::plan(
            Uuid::from_u128(7),
            Urn(990_008),
            NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date"),
            session,
            VisitKind::Core,
        );
        visit.purpose = "Core autumn visit; outcomes, priorities, pupil targets.".into();
        visit
    }

    /// The file's lines with RFC 5545 folding undone.
    fn unfolded(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .split("\r\n")
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn a_planned_visit_is_an_event_at_its_half_day() {
        let visit = planned(Session::Pm);
        let text = visits_calendar(&[DiaryVisit {
            visit: &visit,
            school: "Westfield Primary School",
            address: Some("Westfield Road, Fenbridge, FB2 4CD"),
        }]);
        let lines = unfolded(&text);
        let has = |line: &str| lines.iter().any(|l| l == line);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(has("BEGIN:VEVENT"));
        assert!(has(&format!("UID:{}@caseload", visit.id)));
        assert!(has("SUMMARY:Core visit: Westfield Primary School"));
        assert!(has("DTSTART:20261202T130000"), "{text}");
        assert!(has("DTEND:20261202T163000"));
        assert!(
            has("LOCATION:Westfield Road\\, Fenbridge\\, FB2 4CD"),
            "{text}"
        );
        assert!(has(
            "DESCRIPTION:Core autumn visit\\; outcomes\\, priorities\\, pupil targets."
        ));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_planned_visit_is_placed_at_its_schools_address_when_known() {
        let visit = planned(Session::Am);
        let school = caseload_core::samples::school();
        let unknown = School {
            street: None,
            locality: None,
            town: None,
            postcode: None,
            ..school.clone()
        };
        let text = planned_visits_calendar(&[(visit.clone(), school.clone())]);
        let location = format!("LOCATION:{}", school.address_lines().join("\\, "));
        assert!(unfolded(&text).contains(&location), "{text}");
        assert!(text.contains(&format!("SUMMARY:Core visit: {}", school.name)));
        let text = planned_visits_calendar(&[(visit, unknown)]);
        assert!(!text.contains("LOCATION"), "{text}");
    }

    #[test]
    fn a_planned_msp_meeting_is_an_all_day_event_at_its_place_with_its_agenda() {
        let school = caseload_core::samples::school();
        let mut meeting = caseload_core::samples::msp_meeting();
        meeting.meets_on = NaiveDate::from_ymd_opt(2027, 1, 6).expect("a date");
        let text = msp_meetings_calendar(&[(meeting.clone(), school.clone())]);
        let lines = unfolded(&text);
        let has = |line: &str| lines.iter().any(|l| l == line);
        assert!(has(&format!("UID:{}@caseload", meeting.id)));
        assert!(
            has(&format!("SUMMARY:MSP meeting: {}", school.name)),
            "{text}"
        );
        assert!(has("DTSTART;VALUE=DATE:20270106"), "{text}");
        assert!(has("LOCATION:The school's library"), "{text}");
        assert!(
            lines.iter().any(|line| line.starts_with("DESCRIPTION:Monitoring Support Partnership. Agenda: 1. Minutes of the previous meeting")),
            "{text}"
        );
        assert!(!text.contains("behaviour policy"), "no minutes in a diary");
    }

    #[test]
    fn an_empty_diary_is_still_a_calendar() {
        let text = visits_calendar(&[]);
        assert!(text.contains("BEGIN:VCALENDAR") && text.contains("END:VCALENDAR"));
        assert!(!text.contains("VEVENT"));
    }
}
