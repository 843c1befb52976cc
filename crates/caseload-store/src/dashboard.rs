//! The adviser's dashboard: the caseload's records gathered in one query
//! per kind of record, whatever the caseload's size, and counted by
//! `caseload_core::dashboard`. Nothing here decides what is due.

use std::collections::{BTreeMap, BTreeSet};

use caseload_core::action::Action;
use caseload_core::dashboard::{dashboard_on, CaseloadSchool, ChairedGroup, Dashboard};
use caseload_core::letter::catalogue::Catalogue;
use caseload_core::letter::Letter;
use caseload_core::msp::{MspGroup, MspMeeting};
use caseload_core::performance::PerformanceFigure;
use caseload_core::review::Review;
use caseload_core::visit::Visit;
use caseload_core::{AcademicYear, OfstedInspection, Record, Urn};
use chrono::{Days, NaiveDate};

use crate::queries::{by_school, term_calendar, urn_list, IN_URN_LIST};
use crate::records::load_where;
use crate::views::SchoolScope;
use crate::{Store, StoreError};

/// A note of visit is suggested for four weeks after the visit, so the
/// visits read reach that far back even across the start of the year.
const VISIT_NOTE_WEEKS: u64 = 4;

impl Store {
    /// The current adviser's dashboard on `today`, the letters suggested
    /// from `catalogue`'s indicators.
    pub fn dashboard_on(
        &self,
        today: NaiveDate,
        catalogue: &Catalogue,
    ) -> Result<Dashboard, StoreError> {
        let schools = self.schools(SchoolScope::Caseload)?;
        let urns = urn_list(&schools);
        let year = AcademicYear::of(today);
        let visits_from = year
            .first_day()
            .min(today - Days::new(7 * VISIT_NOTE_WEEKS));
        let mut reviews = self.of_schools(&urns, "1 = 1", None, |review: &Review| review.urn)?;
        let mut visits = self.of_schools(
            &urns,
            "visited_on >= ?2",
            Some(&visits_from.to_string()),
            |visit: &Visit| visit.urn,
        )?;
        let mut actions = self.of_schools(
            &urns,
            "json_extract(status, '$.state') = 'open'",
            None,
            |action: &Action| action.urn,
        )?;
        let mut groups = self.of_schools(&urns, "1 = 1", None, |group: &MspGroup| group.urn)?;
        let mut meetings =
            self.of_schools(&urns, "1 = 1", None, |meeting: &MspMeeting| meeting.urn)?;
        let mut letters = self.of_schools(&urns, "1 = 1", None, |letter: &Letter| letter.urn)?;
        let mut inspections =
            self.of_schools(&urns, "1 = 1", None, |inspection: &OfstedInspection| {
                inspection.urn
            })?;
        let mut figures = self.of_schools(&urns, "1 = 1", None, |figure: &PerformanceFigure| {
            figure.urn
        })?;
        let offers: BTreeSet<Urn> = self.enhanced_offers(year)?.into_iter().collect();
        let caseload: Vec<CaseloadSchool> = schools
            .into_iter()
            .map(|school| {
                let urn = school.urn;
                CaseloadSchool {
                    reviews: reviews.remove(&urn).unwrap_or_default(),
                    visits: visits.remove(&urn).unwrap_or_default(),
                    actions: actions.remove(&urn).unwrap_or_default(),
                    enhanced_offer: offers.contains(&urn),
                    msp_groups: groups.remove(&urn).unwrap_or_default(),
                    msp_meetings: meetings.remove(&urn).unwrap_or_default(),
                    letters: letters.remove(&urn).unwrap_or_default(),
                    inspections: inspections.remove(&urn).unwrap_or_default(),
                    figures: figures.remove(&urn).unwrap_or_default(),
                    school,
                }
            })
            .collect();
        let chaired = self.groups_chaired_outside(&urns)?;
        Ok(dashboard_on(
            today,
            &caseload,
            &chaired,
            &term_calendar()?,
            catalogue,
        ))
    }

    /// The open groups the current adviser chairs for schools that are not
    /// in `caseload` (a [`urn_list`]), with their meetings.
    fn groups_chaired_outside(&self, caseload: &str) -> Result<Vec<ChairedGroup>, StoreError> {
        let Some(adviser) = self.current_adviser_id()? else {
            return Ok(Vec::new());
        };
        let groups = load_where::<MspGroup>(
            self.conn(),
            &format!("chair = ?2 AND urn NOT IN {IN_URN_LIST}"),
            [caseload, &adviser.to_string()],
        )?;
        groups
            .into_iter()
            .filter(MspGroup::is_open)
            .map(|group| {
                Ok(ChairedGroup {
                    school: self.school(group.urn)?,
                    meetings: self.msp_meetings(group.id)?,
                    group,
                })
            })
            .collect()
    }

    /// The records of kind `R` of the schools in `urns` (a [`urn_list`])
    /// that meet `condition`, whose `?2` is `bound`, by school: one query
    /// however many schools.
    fn of_schools<R: Record>(
        &self,
        urns: &str,
        condition: &str,
        bound: Option<&str>,
        urn: impl Fn(&R) -> Urn,
    ) -> Result<BTreeMap<Urn, Vec<R>>, StoreError> {
        let filter = format!("urn IN {IN_URN_LIST} AND {condition}");
        let records = match bound {
            Some(value) => load_where::<R>(self.conn(), &filter, [urns, value])?,
            None => load_where::<R>(self.conn(), &filter, [urns])?,
        };
        Ok(by_school(records, urn))
    }
}
