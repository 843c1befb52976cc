//! Planned visits as an iCalendar (RFC 5545) file for Outlook and Google
//! Calendar.
//!
//! Times are written as floating local times: an adviser's visits happen in
//! England and their diary shows them at the hour the school expects them.
//! Each event's UID is the visit's id, so importing the file again updates
//! the events rather than doubling them.

use caseload_core::visit::Visit;
use caseload_core::School;
use icalendar::{Calendar, Component, Event, EventLike};

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
    let mut calendar = Calendar::new();
    calendar.name("Caseload: planned visits");
    for entry in visits {
        calendar.push(event(entry));
    }
    calendar.done().to_string()
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

fn event(entry: &DiaryVisit<'_>) -> Event {
    let visit = entry.visit;
    let (start, end) = visit.session.hours();
    let mut event = Event::new();
    event
        .uid(&format!("{}@caseload", visit.id))
        .summary(&format!("{} visit: {}", visit.kind.label(), entry.school))
        .starts(visit.visited_on.and_time(start))
        .ends(visit.visited_on.and_time(end));
    if let Some(address) = entry.address {
        event.location(address);
    }
    if !visit.purpose.trim().is_empty() {
        event.description(&visit.purpose);
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
    fn an_empty_diary_is_still_a_calendar() {
        let text = visits_calendar(&[]);
        assert!(text.contains("BEGIN:VCALENDAR") && text.contains("END:VCALENDAR"));
        assert!(!text.contains("VEVENT"));
    }
}
