//! How often a group meets: "at least half-termly in the first instance".
//!
//! After a meeting in one half-term, the next is due by the end of the
//! following half-term (holidays count for the half-term before them, as
//! everywhere in [`crate::calendar`]). A new group counts from the day it
//! opened. A group is overdue once that day has passed with no meeting
//! held. The proposed date falls in the following half-term, in term time,
//! on a weekday, as near as it can to six weeks after the last meeting and
//! on the same day of the week; for an overdue group, as soon as term
//! allows.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

use super::group::MspGroup;
use super::meeting::MspMeeting;
use crate::calendar::{AcademicYear, HalfTerm, Term, TermCalendar};

/// Where a group stands against its half-termly rhythm on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cadence {
    /// The latest meeting held (written up or approved), if any.
    pub last_met: Option<NaiveDate>,
    /// The soonest planned meeting from the day asked about.
    pub next_planned: Option<NaiveDate>,
    /// The last day the next meeting may be held to keep the rhythm.
    pub due_by: NaiveDate,
    /// No meeting was held by `due_by`, and that day has passed.
    pub overdue: bool,
    /// A meeting is planned, but for after `due_by`.
    pub planned_late: bool,
    /// A date to propose for the next meeting.
    pub proposed: NaiveDate,
}

/// The group's cadence on `today`, from its meetings; None once it is closed.
pub fn cadence(
    group: &MspGroup,
    meetings: &[MspMeeting],
    today: NaiveDate,
    calendar: &TermCalendar,
) -> Option<Cadence> {
    if !group.is_open() {
        return None;
    }
    let ours = || {
        meetings
            .iter()
            .filter(|meeting| meeting.msp_group == group.id)
    };
    let last_met = ours()
        .filter(|meeting| meeting.is_held())
        .map(|meeting| meeting.meets_on)
        .max();
    let next_planned = ours()
        .filter(|meeting| !meeting.is_held() && meeting.meets_on >= today)
        .map(|meeting| meeting.meets_on)
        .min();
    let base = last_met.unwrap_or(group.opened_on);
    let (first, due_by) = following_half_term(base, calendar);
    let overdue = today > due_by;
    Some(Cadence {
        last_met,
        next_planned,
        due_by,
        overdue,
        planned_late: next_planned.is_some_and(|planned| planned > due_by),
        proposed: propose(base, (first, due_by), today, calendar),
    })
}

/// The first and last day of the half-term after the one `date` falls in.
pub fn following_half_term(date: NaiveDate, calendar: &TermCalendar) -> (NaiveDate, NaiveDate) {
    let position = calendar.locate(date);
    let (year, half) = match HalfTerm::from_number(position.half_term.number() + 1) {
        Some(half) => (position.year, half),
        None => (
            AcademicYear(position.year.0 + 1),
            HalfTerm::new(Term::Autumn, false),
        ),
    };
    calendar.year_dates(year).half_term_span(year, half)
}

/// A school day: term time, Monday to Friday.
pub fn is_school_day(date: NaiveDate, calendar: &TermCalendar) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && calendar.locate(date).term_time
}

/// The proposed date: a school day in `window` after `today`, on the
/// weekday of `base` if one is left, nearest six weeks after `base`; if
/// the window has passed, the first school day after `today`.
fn propose(
    base: NaiveDate,
    window: (NaiveDate, NaiveDate),
    today: NaiveDate,
    calendar: &TermCalendar,
) -> NaiveDate {
    let ideal = base + Days::new(42);
    let earliest = window.0.max(today + Days::new(1));
    let best = days(earliest, window.1)
        .filter(|day| is_school_day(*day, calendar))
        .min_by_key(|day| {
            (
                day.weekday() != base.weekday(),
                day.signed_duration_since(ideal).num_days().abs(),
                *day,
            )
        });
    best.unwrap_or_else(|| {
        days(today + Days::new(1), today + Days::new(400))
            .find(|day| is_school_day(*day, calendar))
            .unwrap_or(today + Days::new(1))
    })
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |day| *day <= to)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::msp::meeting::tests::{day, group, meeting};
    use crate::msp::meeting::MeetingStatus;

    const TERM_DATES: &str = include_str!("../../../../assets/term-dates.toml");

    fn calendar() -> TermCalendar {
        TermCalendar::from_toml(TERM_DATES).expect("the shipped term dates")
    }

    fn held(id: u128, on: NaiveDate) -> MspMeeting {
        let mut meeting = meeting(&group(), id, on);
        meeting.status = MeetingStatus::Approved;
        meeting
    }

    #[test]
    fn after_a_meeting_the_next_is_due_by_the_end_of_the_following_half_term() {
        let calendar = calendar();
        let group = group();
        // Met on Wednesday 7 October, in the first half of the autumn term.
        let meetings = [held(1, day(10, 7))];
        let cadence = cadence(&group, &meetings, day(10, 20), &calendar).expect("open");
        let (first, last) = following_half_term(day(10, 7), &calendar);
        assert_eq!(cadence.last_met, Some(day(10, 7)));
        assert_eq!(cadence.due_by, last);
        assert!(!cadence.overdue);
        assert!(cadence.proposed >= first && cadence.proposed <= last);
        assert_eq!(cadence.proposed.weekday(), Weekday::Wed);
        assert_eq!(calendar.locate(cadence.proposed).half_term.number(), 2);
        assert!(is_school_day(cadence.proposed, &calendar));
    }

    #[test]
    fn a_group_that_has_not_met_by_the_due_day_is_overdue_and_gets_a_date_soon() {
        let calendar = calendar();
        let group = group();
        let meetings = [held(1, day(10, 7))];
        let (_, due_by) = following_half_term(day(10, 7), &calendar);
        let later = due_by + Days::new(10);
        let cadence = cadence(&group, &meetings, later, &calendar).expect("open");
        assert!(cadence.overdue);
        assert!(cadence.proposed > later);
        assert!(is_school_day(cadence.proposed, &calendar));
        assert!(
            cadence.proposed <= later + Days::new(30),
            "{}",
            cadence.proposed
        );
    }

    #[test]
    fn a_new_group_counts_from_its_opening_and_a_lapsed_plan_is_not_a_meeting() {
        let calendar = calendar();
        let group = group();
        let lapsed = meeting(&group, 1, day(10, 14));
        let cadence = cadence(&group, &[lapsed], day(10, 20), &calendar).expect("open");
        assert_eq!(cadence.last_met, None);
        assert_eq!(cadence.next_planned, None, "planned in the past");
        assert_eq!(
            cadence.due_by,
            following_half_term(group.opened_on, &calendar).1
        );
    }

    #[test]
    fn a_planned_meeting_after_the_due_day_is_flagged_late() {
        let calendar = calendar();
        let group = group();
        let (_, due_by) = following_half_term(day(10, 7), &calendar);
        let late = meeting(&group, 2, due_by + Days::new(20));
        let meetings = [held(1, day(10, 7)), late];
        let cadence = cadence(&group, &meetings, day(10, 20), &calendar).expect("open");
        assert_eq!(cadence.next_planned, Some(due_by + Days::new(20)));
        assert!(cadence.planned_late);
    }

    #[test]
    fn a_closed_group_has_no_cadence() {
        let mut group = group();
        group
            .close(day(12, 1), "Left high support")
            .expect("closes");
        assert_eq!(cadence(&group, &[], day(12, 2), &calendar()), None);
    }

    proptest! {
        #[test]
        fn the_proposal_is_a_school_day_after_today_in_the_following_half_term_unless_overdue(
            base_offset in 0u64..700,
            wait in 0u64..200,
        ) {
            let calendar = calendar();
            let group = group();
            let base = group.opened_on + Days::new(base_offset);
            let today = base + Days::new(wait);
            let meetings = [held(1, base)];
            let cadence = cadence(&group, &meetings, today, &calendar).expect("open");
            prop_assert!(cadence.proposed > today);
            prop_assert!(is_school_day(cadence.proposed, &calendar));
            let (first, last) = following_half_term(base, &calendar);
            prop_assert_eq!(cadence.due_by, last);
            prop_assert_eq!(cadence.overdue, today > last);
            let school_days_left = days(first.max(today + Days::new(1)), last)
                .any(|day| is_school_day(day, &calendar));
            if school_days_left {
                prop_assert!(cadence.proposed >= first && cadence.proposed <= last);
            }
        }
    }
}
