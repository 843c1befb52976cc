//! Where a school stands on a given day: its support category and direction
//! of travel from its agreed reviews, whether it is due a review this term,
//! the visits it is owed, its next planned visit, and its overdue actions.
//!
//! The category that decides entitlement is the latest agreed review's,
//! with the adviser's override applied. Visits count once they have taken
//! place (see [`crate::visit`]), and count towards the link SIA's share of
//! the enhanced offer when the link SIA made them.

use chrono::NaiveDate;
use serde::Serialize;

use crate::action::Action;
use crate::calendar::TermCalendar;
use crate::criteria::SupportCategory;
use crate::entitlement::{entitlement_on, Entitled, EntitlementStatus, VisitMade};
use crate::review::{history, review_due, Direction, Review};
use crate::school::School;
use crate::visit::{Visit, VisitOutline, VisitStatus};

/// What is known of one school, gathered by the caller: its visits whole,
/// or only their outlines (all a standing reads of them).
#[derive(Debug, Clone, Copy)]
pub struct SchoolRecords<'a, V = Visit> {
    pub school: &'a School,
    pub reviews: &'a [Review],
    /// At least this academic year's visits, planned ones included.
    pub visits: &'a [V],
    /// At least its open actions.
    pub actions: &'a [Action],
    /// On the enhanced offer in the academic year of the day asked about.
    pub enhanced_offer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub category: Option<SupportCategory>,
    pub direction: Option<Direction>,
    /// No agreed review this term: the strategy asks for termly monitoring.
    pub review_due: bool,
    pub entitlement: EntitlementStatus,
    /// The soonest planned visit from the day asked about.
    pub next_visit: Option<NaiveDate>,
    pub actions_overdue: usize,
}

/// A visit as a standing reads it.
pub trait Outlined {
    fn outline(&self) -> VisitOutline;
}

impl Outlined for Visit {
    fn outline(&self) -> VisitOutline {
        Visit::outline(self)
    }
}

impl Outlined for VisitOutline {
    fn outline(&self) -> VisitOutline {
        *self
    }
}

pub fn standing_on<V: Outlined>(
    today: NaiveDate,
    records: SchoolRecords<'_, V>,
    calendar: &TermCalendar,
) -> Standing {
    let latest = history(records.reviews, calendar).pop();
    let category = latest.as_ref().map(|entry| entry.category);
    let entitled = Entitled {
        maintained: records.school.maintained(),
        category,
        enhanced_offer: records.enhanced_offer,
    };
    let made = visits_made(records.school, records.visits);
    Standing {
        category,
        direction: latest.and_then(|entry| entry.direction),
        review_due: review_due(records.reviews, today, calendar),
        entitlement: entitlement_on(today, entitled, &made, calendar),
        next_visit: next_planned(records.visits, today),
        actions_overdue: records
            .actions
            .iter()
            .filter(|action| action.is_overdue(today))
            .count(),
    }
}

fn next_planned<V: Outlined>(visits: &[V], today: NaiveDate) -> Option<NaiveDate> {
    visits
        .iter()
        .map(Outlined::outline)
        .filter(|visit| visit.status == VisitStatus::Planned && visit.visited_on >= today)
        .map(|visit| visit.visited_on)
        .min()
}

fn visits_made<V: Outlined>(school: &School, visits: &[V]) -> Vec<VisitMade> {
    visits
        .iter()
        .map(Outlined::outline)
        .filter(|visit| visit.urn == school.urn && visit.took_place())
        .map(|visit| VisitMade {
            date: visit.visited_on,
            by_link_sia: visit.adviser.is_some() && visit.adviser == school.link_sia,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::criteria::CriteriaSet;
    use crate::entitlement::PeriodState;
    use crate::people::AdviserId;
    use crate::samples;
    use crate::scoring::Mark;
    use crate::visit::{Session, VisitKind};

    const TERM_DATES: &str = include_str!("../../../assets/term-dates.toml");
    const CRITERIA: &str = include_str!("../../../assets/criteria/peterborough-2022.toml");

    fn calendar() -> TermCalendar {
        TermCalendar::from_toml(TERM_DATES).expect("shipped term dates")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn agreed(id: u128, on: NaiveDate, statements: &[&str]) -> Review {
        let set = CriteriaSet::from_toml(CRITERIA).expect("shipped set");
        let mut review = Review::draft(Uuid::from_u128(id), samples::school().urn, &set.id, on);
        review
            .remark(statements.iter().map(|id| Mark::new(*id)).collect())
            .expect("a draft");
        review.agree(&set, None).expect("agrees");
        review
    }

    fn visit(id: u128, on: NaiveDate, adviser: Option<AdviserId>, written: bool) -> Visit {
        let mut visit = Visit::plan(
            Uuid::from_u128(id),
            samples::school().urn,
            on,
            Session::Am,
            VisitKind::Core,
        );
        visit.adviser = adviser;
        if written {
            visit
                .edit(|visit| visit.strengths = "Seen.".into())
                .expect("editable");
        }
        visit
    }

    fn standing(reviews: &[Review], visits: &[Visit], today: NaiveDate) -> Standing {
        let school = samples::school();
        let records = SchoolRecords {
            school: &school,
            reviews,
            visits,
            actions: &[],
            enhanced_offer: true,
        };
        standing_on(today, records, &calendar())
    }

    #[test]
    fn a_school_never_reviewed_has_no_category_and_is_due_a_review() {
        let standing = standing(&[], &[], date(2026, 11, 23));
        assert_eq!(standing.category, None);
        assert_eq!(standing.direction, None);
        assert!(standing.review_due);
        // Maintained without a category: one visit a term.
        assert_eq!(standing.entitlement.periods.len(), 3);
    }

    #[test]
    fn the_latest_agreed_review_decides_category_direction_and_half_termly_visits() {
        let reviews = [
            agreed(1, date(2026, 3, 4), &["lm-low-governors-effective"]),
            agreed(2, date(2026, 10, 1), &["lm-high-safeguarding-not-met"]),
        ];
        let standing = standing(&reviews, &[], date(2026, 11, 23));
        assert_eq!(standing.category, Some(SupportCategory::High));
        assert_eq!(standing.direction, Some(Direction::Declining));
        assert!(!standing.review_due);
        assert_eq!(standing.entitlement.periods.len(), 6);
    }

    #[test]
    fn only_visits_that_took_place_count_and_the_link_sia_share_is_theirs() {
        let link = samples::school().link_sia;
        let someone_else = Some(AdviserId(Uuid::from_u128(99)));
        let visits = [
            visit(1, date(2026, 9, 15), link, true),
            visit(2, date(2026, 10, 1), someone_else, true),
            visit(3, date(2026, 12, 1), link, false),
        ];
        let standing = standing(&[], &visits, date(2026, 11, 23));
        let autumn = &standing.entitlement.periods[0];
        assert_eq!((autumn.done, autumn.state), (2, PeriodState::Done));
        let offer = standing.entitlement.enhanced_offer.expect("on the offer");
        assert_eq!((offer.used, offer.by_link_sia), (2, 1));
        // The unwritten December visit is still a plan: the next one.
        assert_eq!(standing.next_visit, Some(date(2026, 12, 1)));
    }

    #[test]
    fn a_standing_from_the_visits_outlines_is_the_standing_from_the_visits() {
        let link = samples::school().link_sia;
        let mut addendum = visit(4, date(2026, 10, 2), link, true);
        addendum.addendum_to = Some(Uuid::from_u128(1));
        let visits = [
            visit(1, date(2026, 9, 15), link, true),
            visit(2, date(2026, 10, 1), None, true),
            addendum,
            visit(3, date(2026, 12, 1), link, false),
        ];
        let outlines: Vec<VisitOutline> = visits.iter().map(Visit::outline).collect();
        let school = samples::school();
        for today in [date(2026, 9, 1), date(2026, 11, 23), date(2027, 2, 10)] {
            let from_outlines = SchoolRecords {
                school: &school,
                reviews: &[],
                visits: &outlines,
                actions: &[],
                enhanced_offer: true,
            };
            assert_eq!(
                standing_on(today, from_outlines, &calendar()),
                standing(&[], &visits, today),
                "on {today}"
            );
        }
        // The addendum adds no visit.
        let autumn = &standing(&[], &visits, date(2026, 11, 23))
            .entitlement
            .periods[0];
        assert_eq!(autumn.done, 2);
    }
}
