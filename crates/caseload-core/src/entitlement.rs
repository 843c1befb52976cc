//! Visit entitlement: how many half-day visits a school is owed, and on a
//! given date which are done, due or overdue.
//!
//! The strategy's rules ("Categorisation" and "Support – overview"):
//! - every maintained school gets at least one half-day visit per term from
//!   its named adviser; the autumn one is the core visit;
//! - a high-support school is visited at least half-termly;
//! - any school on the enhanced offer may have up to six half-day visits in
//!   the year, at least three of them by its link SIA.
//!
//! Academies have no entitlement unless they take the enhanced offer. A
//! visit counts for the term or half-term its date falls in, holidays
//! counting for the term before them (see [`crate::calendar`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{AcademicYear, HalfTerm, Term, TermCalendar};
use crate::criteria::SupportCategory;
use crate::school::Urn;

/// Half-day visits the enhanced offer allows in a year.
pub const ENHANCED_OFFER_VISITS: u32 = 6;
/// Of those, the fewest that must be by the school's link SIA.
pub const ENHANCED_OFFER_LINK_SIA_VISITS: u32 = 3;

/// A school's place on the enhanced offer for one academic year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnhancedOffer {
    /// "URN/year", so two devices recording the same offer make one record.
    pub id: String,
    pub urn: Urn,
    pub year: AcademicYear,
}

impl EnhancedOffer {
    pub fn new(urn: Urn, year: AcademicYear) -> Self {
        EnhancedOffer {
            id: format!("{}/{}", urn.0, year.0),
            urn,
            year,
        }
    }
}

/// What decides a school's entitlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entitled {
    pub maintained: bool,
    pub category: Option<SupportCategory>,
    pub enhanced_offer: bool,
}

/// A half-day visit that took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitMade {
    pub date: NaiveDate,
    pub by_link_sia: bool,
}

/// A span of the year that must have its visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Term(Term),
    HalfTerm(HalfTerm),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// Not started, and its visits not yet made.
    Upcoming,
    /// Under way, and its visits not yet made.
    Due,
    Done,
    /// Over, and its visits not made.
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodStatus {
    pub period: Period,
    /// "Autumn term (core visit)", "Spring term, second half".
    pub label: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub required: u32,
    pub done: u32,
    pub state: PeriodState,
}

/// How much of the enhanced offer a school has used this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EnhancedOfferUse {
    pub allowed: u32,
    pub used: u32,
    pub by_link_sia: u32,
    /// True when the visits left cannot bring the link SIA's share to three.
    pub link_sia_short: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitlementStatus {
    pub year: AcademicYear,
    /// Empty when the school has no entitlement.
    pub periods: Vec<PeriodStatus>,
    pub enhanced_offer: Option<EnhancedOfferUse>,
}

impl EntitlementStatus {
    pub fn overdue(&self) -> usize {
        self.count(PeriodState::Overdue)
    }

    pub fn due(&self) -> usize {
        self.count(PeriodState::Due)
    }

    fn count(&self, state: PeriodState) -> usize {
        self.periods
            .iter()
            .filter(|period| period.state == state)
            .count()
    }
}

/// The school's entitlement in the academic year of `today`, and where each
/// part of it stands on that day.
pub fn entitlement_on(
    today: NaiveDate,
    school: Entitled,
    visits: &[VisitMade],
    calendar: &TermCalendar,
) -> EntitlementStatus {
    let year = AcademicYear::of(today);
    let this_year: Vec<VisitMade> = visits
        .iter()
        .copied()
        .filter(|visit| AcademicYear::of(visit.date) == year)
        .collect();
    let periods = required_periods(school)
        .into_iter()
        .map(|period| period_status(today, year, period, &this_year, calendar))
        .collect();
    EntitlementStatus {
        year,
        periods,
        enhanced_offer: school
            .enhanced_offer
            .then(|| enhanced_offer_use(&this_year)),
    }
}

fn required_periods(school: Entitled) -> Vec<Period> {
    if !school.maintained {
        Vec::new()
    } else if school.category == Some(SupportCategory::High) {
        (1..=6)
            .filter_map(HalfTerm::from_number)
            .map(Period::HalfTerm)
            .collect()
    } else {
        Term::ALL.into_iter().map(Period::Term).collect()
    }
}

fn period_status(
    today: NaiveDate,
    year: AcademicYear,
    period: Period,
    visits: &[VisitMade],
    calendar: &TermCalendar,
) -> PeriodStatus {
    let dates = calendar.year_dates(year);
    let (first_day, last_day) = match period {
        Period::Term(term) => dates.term_span(year, term),
        Period::HalfTerm(half) => dates.half_term_span(year, half),
    };
    let done = visits
        .iter()
        .filter(|visit| (first_day..=last_day).contains(&visit.date))
        .count() as u32;
    let required = 1;
    let state = if done >= required {
        PeriodState::Done
    } else if today > last_day {
        PeriodState::Overdue
    } else if today >= first_day {
        PeriodState::Due
    } else {
        PeriodState::Upcoming
    };
    PeriodStatus {
        period,
        label: period_label(period),
        first_day,
        last_day,
        required,
        done,
        state,
    }
}

fn period_label(period: Period) -> String {
    match period {
        Period::Term(Term::Autumn) => "Autumn term (core visit)".to_owned(),
        Period::Term(term) => format!("{} term", term.label()),
        Period::HalfTerm(half) => {
            let which = if half.is_second_half() {
                "second"
            } else {
                "first"
            };
            format!("{} term, {which} half", half.term().label())
        }
    }
}

fn enhanced_offer_use(visits: &[VisitMade]) -> EnhancedOfferUse {
    let used = visits.len() as u32;
    let by_link_sia = visits.iter().filter(|visit| visit.by_link_sia).count() as u32;
    let left = ENHANCED_OFFER_VISITS.saturating_sub(used);
    EnhancedOfferUse {
        allowed: ENHANCED_OFFER_VISITS,
        used,
        by_link_sia,
        link_sia_short: by_link_sia + left < ENHANCED_OFFER_LINK_SIA_VISITS,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const TERM_DATES: &str = include_str!("../../../assets/term-dates.toml");

    fn calendar() -> TermCalendar {
        TermCalendar::from_toml(TERM_DATES).expect("shipped term dates")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn maintained(category: Option<SupportCategory>) -> Entitled {
        Entitled {
            maintained: true,
            category,
            enhanced_offer: false,
        }
    }

    fn visit(y: i32, m: u32, d: u32) -> VisitMade {
        VisitMade {
            date: date(y, m, d),
            by_link_sia: true,
        }
    }

    fn states(status: &EntitlementStatus) -> Vec<PeriodState> {
        status.periods.iter().map(|period| period.state).collect()
    }

    use PeriodState::{Done, Due, Overdue, Upcoming};

    #[test]
    fn a_maintained_school_is_owed_a_visit_each_term() {
        let status = entitlement_on(
            date(2027, 1, 20),
            maintained(Some(SupportCategory::Low)),
            &[visit(2026, 10, 8)],
            &calendar(),
        );
        assert_eq!(states(&status), [Done, Due, Upcoming]);
        assert_eq!(status.periods[0].label, "Autumn term (core visit)");
        assert_eq!(status.year, AcademicYear(2026));
    }

    #[test]
    fn a_term_without_its_visit_is_overdue_once_it_ends() {
        let calendar = calendar();
        let school = maintained(Some(SupportCategory::Medium));
        // The autumn term runs to the day before spring starts (4 January):
        // a visit in the Christmas holiday still counts for autumn.
        let last_day = entitlement_on(date(2027, 1, 4), school, &[], &calendar);
        assert_eq!(states(&last_day), [Due, Upcoming, Upcoming]);
        let holiday_visit =
            entitlement_on(date(2027, 1, 4), school, &[visit(2026, 12, 21)], &calendar);
        assert_eq!(states(&holiday_visit), [Done, Upcoming, Upcoming]);
        let next_term = entitlement_on(date(2027, 1, 5), school, &[], &calendar);
        assert_eq!(states(&next_term), [Overdue, Due, Upcoming]);
        assert_eq!(next_term.overdue(), 1);
    }

    #[test]
    fn a_high_support_school_is_owed_a_visit_each_half_term() {
        let status = entitlement_on(
            date(2026, 11, 23),
            maintained(Some(SupportCategory::High)),
            &[visit(2026, 9, 17), visit(2026, 10, 1)],
            &calendar(),
        );
        assert_eq!(status.periods.len(), 6);
        assert_eq!(
            states(&status),
            [Done, Due, Upcoming, Upcoming, Upcoming, Upcoming]
        );
        assert_eq!(
            status.periods[0].done, 2,
            "two visits in one half-term still leave the next due"
        );
        assert_eq!(status.periods[1].label, "Autumn term, second half");
    }

    #[test]
    fn visits_of_another_year_do_not_count() {
        let status = entitlement_on(
            date(2026, 9, 20),
            maintained(None),
            &[visit(2026, 7, 1)],
            &calendar(),
        );
        assert_eq!(states(&status), [Due, Upcoming, Upcoming]);
        assert_eq!(status.periods[2].last_day, date(2027, 8, 31));
    }

    #[test]
    fn academies_are_owed_nothing_unless_on_the_enhanced_offer() {
        let academy = Entitled {
            maintained: false,
            category: Some(SupportCategory::High),
            enhanced_offer: false,
        };
        let status = entitlement_on(date(2026, 11, 23), academy, &[], &calendar());
        assert!(status.periods.is_empty());
        assert_eq!(status.enhanced_offer, None);
    }

    #[test]
    fn the_enhanced_offer_allows_six_visits_with_three_by_the_link_sia() {
        let school = Entitled {
            maintained: false,
            category: None,
            enhanced_offer: true,
        };
        let by_others = |d| VisitMade {
            date: date(2026, 10, d),
            by_link_sia: false,
        };
        let four_by_others = [by_others(1), by_others(2), by_others(5), by_others(6)];
        let status = entitlement_on(date(2026, 11, 23), school, &four_by_others, &calendar());
        let offer = status.enhanced_offer.expect("on the offer");
        assert_eq!((offer.allowed, offer.used, offer.by_link_sia), (6, 4, 0));
        assert!(
            offer.link_sia_short,
            "two visits left cannot make three by the link SIA"
        );
        let three = entitlement_on(
            date(2026, 11, 23),
            school,
            &four_by_others[..3],
            &calendar(),
        );
        assert!(!three.enhanced_offer.expect("on the offer").link_sia_short);
    }

    proptest! {
        #[test]
        fn every_day_of_the_year_is_in_exactly_one_required_period(day in 0u64..365, high in any::<bool>()) {
            let today = date(2026, 9, 1) + chrono::Days::new(day);
            let category = if high { SupportCategory::High } else { SupportCategory::Low };
            let status = entitlement_on(today, maintained(Some(category)), &[], &calendar());
            let containing = status
                .periods
                .iter()
                .filter(|period| period.first_day <= today && today <= period.last_day)
                .count();
            prop_assert_eq!(containing, 1);
            prop_assert_eq!(status.due(), 1, "the period under way is due");
        }

        #[test]
        fn a_visit_never_makes_a_period_overdue(day in 0u64..365, visit_day in 0u64..365) {
            let calendar = calendar();
            let today = date(2026, 9, 1) + chrono::Days::new(day);
            let made = VisitMade { date: date(2026, 9, 1) + chrono::Days::new(visit_day), by_link_sia: true };
            let school = maintained(Some(SupportCategory::High));
            let without = entitlement_on(today, school, &[], &calendar);
            let with = entitlement_on(today, school, &[made], &calendar);
            prop_assert!(with.overdue() <= without.overdue());
        }
    }
}
