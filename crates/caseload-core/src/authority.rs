//! The authority-wide view for Senior SIAs, the Strategic Lead for
//! Governance and the office (the Director reads it through one of those
//! accounts): every open school by support category and phase, ward and link
//! SIA; direction of travel this term; the share of maintained schools and
//! of their pupils judged good or better against the authority's target;
//! visits overdue by adviser; MSP groups and warning notices open; academy
//! concerns by stage. Every count carries the URNs behind it, so a screen
//! can open the list.
//!
//! The counting rules:
//! - **category**: the latest agreed review's, override applied (see
//!   [`crate::standing`]); a school never reviewed is *not yet categorised*;
//! - **direction this term**: the direction of the latest agreed review
//!   when that review is this term's; *first review* when this term's
//!   review is the school's first; *not reviewed* when it has no agreed
//!   review this term;
//! - **good or better**: see [`good_or_better`];
//! - **visits overdue**: the required periods of the entitlement that ended
//!   without their visit this academic year, counted for the school's link
//!   SIA;
//! - **MSP groups open**: not closed;
//! - **warning notices open**: an issued formal warning notice that no later
//!   issued letter corrects, while its compliance period runs, and after it
//!   while the school still has an MSP group open or is in high support —
//!   the concerns that led to it are then not yet resolved;
//! - **academy concerns by stage**: every unresolved concern at its stage,
//!   and those resolved in this academic year.
//!
//! Pure: the caller gathers the records and checks who is asking with
//! [`check_viewer`].

mod good_or_better;
mod target;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;
use uuid::Uuid;

use crate::academy::concern::{AcademyConcern, Stage};
use crate::calendar::{AcademicYear, TermCalendar};
use crate::criteria::SupportCategory;
use crate::letter::{Letter, LetterKind, LetterStatus};
use crate::msp::MspGroup;
use crate::ofsted::OfstedInspection;
use crate::people::{Adviser, AdviserId, AdviserRole};
use crate::review::Direction;
use crate::school::{Phase, School, Urn};
use crate::standing::Standing;

pub use good_or_better::{good_or_better, GoodOrBetter, Share};
pub use target::{AuthorityTarget, TargetError, TARGET_FIELD};

/// Everything the view reads about one open school.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthoritySchool {
    pub school: School,
    pub standing: Standing,
    /// Its latest inspection.
    pub inspection: Option<OfstedInspection>,
    pub msp_groups: Vec<MspGroup>,
    /// At least its issued warning notices and the letters correcting them.
    pub letters: Vec<Letter>,
    pub concerns: Vec<AcademyConcern>,
}

/// Why someone may not see the view.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthorityError {
    #[error("this store has no current adviser; {WHO_MAY}")]
    NoAdviser,
    #[error("{name} is a {role}; {WHO_MAY}")]
    NotPermitted { name: String, role: &'static str },
}

const WHO_MAY: &str = "the authority-wide view is for Senior SIAs, the Strategic Lead for \
     Governance and office administrators (the Director uses one of those accounts)";

/// Senior SIAs and the Strategic Lead see every school; the office's
/// administrators keep the accounts the Director reads it through.
pub fn may_see(role: AdviserRole) -> bool {
    role.sees_every_school() || role == AdviserRole::Admin
}

/// Checks the adviser asking may see the view.
pub fn check_viewer(adviser: Option<&Adviser>) -> Result<(), AuthorityError> {
    match adviser {
        None => Err(AuthorityError::NoAdviser),
        Some(adviser) if may_see(adviser.role) => Ok(()),
        Some(adviser) => Err(AuthorityError::NotPermitted {
            name: adviser.name.clone(),
            role: adviser.role.label(),
        }),
    }
}

/// Where a school's category went this term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermDirection {
    Improving,
    Steady,
    Declining,
    /// Reviewed this term for the first time: no direction yet.
    FirstReview,
    NotReviewed,
}

impl TermDirection {
    pub const ALL: [TermDirection; 5] = [
        TermDirection::Improving,
        TermDirection::Steady,
        TermDirection::Declining,
        TermDirection::FirstReview,
        TermDirection::NotReviewed,
    ];

    pub fn of(standing: &Standing) -> TermDirection {
        match (standing.review_due, standing.direction) {
            (true, _) => TermDirection::NotReviewed,
            (false, None) => TermDirection::FirstReview,
            (false, Some(Direction::Improving)) => TermDirection::Improving,
            (false, Some(Direction::Steady)) => TermDirection::Steady,
            (false, Some(Direction::Declining)) => TermDirection::Declining,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TermDirection::Improving => "Improving",
            TermDirection::Steady => "Steady",
            TermDirection::Declining => "Declining",
            TermDirection::FirstReview => "First review",
            TermDirection::NotReviewed => "Not reviewed this term",
        }
    }
}

/// One school as the view lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolLine {
    pub urn: Urn,
    pub name: String,
    pub phase: Phase,
    pub phase_label: &'static str,
    pub ward: Option<String>,
    pub establishment_type: String,
    pub maintained: bool,
    pub pupils: Option<u32>,
    pub link_sia: Option<AdviserId>,
    pub link_sia_name: Option<String>,
    pub category: Option<SupportCategory>,
    pub direction: TermDirection,
    /// The latest inspection in a few words.
    pub ofsted: Option<String>,
    /// For a maintained school with an inspection on record.
    pub good_or_better: Option<bool>,
    pub visits_overdue: usize,
    /// The day its open MSP group opened.
    pub msp_group_opened: Option<NaiveDate>,
    /// The date of its open warning notice.
    pub warning_notice: Option<NaiveDate>,
    /// The furthest stage of its unresolved academy concerns.
    pub academy_concern: Option<Stage>,
}

/// Schools of one category (None: not yet categorised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    pub category: Option<SupportCategory>,
    pub schools: Vec<Urn>,
}

/// One row of a table by category: a phase, a ward or a link SIA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRow {
    pub label: String,
    /// Low, medium, high, then not yet categorised.
    pub categories: Vec<CategoryCount>,
    pub schools: Vec<Urn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectionCount {
    pub direction: TermDirection,
    pub label: &'static str,
    pub schools: Vec<Urn>,
}

/// An adviser's caseload and its visits overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdviserOverdue {
    /// None: the schools with no link SIA.
    pub adviser: Option<AdviserId>,
    pub name: String,
    pub caseload: usize,
    /// Required periods that ended without their visit.
    pub periods: usize,
    pub schools: Vec<Urn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenGroup {
    pub id: Uuid,
    pub urn: Urn,
    pub school: String,
    pub chair: String,
    pub opened_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenNotice {
    pub id: Uuid,
    pub urn: Urn,
    pub school: String,
    pub dated: NaiveDate,
    /// The last day of its compliance period.
    pub comply_by: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcernRef {
    pub id: Uuid,
    pub urn: Urn,
    pub school: String,
    pub raised_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcernsAtStage {
    pub stage: Stage,
    pub label: &'static str,
    pub concerns: Vec<ConcernRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorityView {
    pub today: NaiveDate,
    /// "Autumn term 2026/27".
    pub term: String,
    /// Every open school, ordered by name.
    pub schools: Vec<SchoolLine>,
    /// The whole authority, by category.
    pub categories: Vec<CategoryCount>,
    pub by_phase: Vec<CategoryRow>,
    pub by_ward: Vec<CategoryRow>,
    pub by_adviser: Vec<CategoryRow>,
    pub direction: Vec<DirectionCount>,
    pub good_or_better: GoodOrBetter,
    pub visits_overdue: Vec<AdviserOverdue>,
    pub msp_groups_open: Vec<OpenGroup>,
    pub warning_notices_open: Vec<OpenNotice>,
    pub academy_concerns: Vec<ConcernsAtStage>,
}

/// The view on `today` of `schools` (the open ones: closed schools are
/// passed over), their link SIAs and MSP chairs named from `advisers`.
pub fn authority_view_on(
    today: NaiveDate,
    schools: &[AuthoritySchool],
    advisers: &[Adviser],
    target: &AuthorityTarget,
    calendar: &TermCalendar,
) -> AuthorityView {
    let mut open: Vec<&AuthoritySchool> = schools
        .iter()
        .filter(|entry| entry.school.in_caseload())
        .collect();
    open.sort_by(|a, b| (&a.school.name, a.school.urn).cmp(&(&b.school.name, b.school.urn)));
    let names: BTreeMap<AdviserId, &str> = advisers
        .iter()
        .map(|adviser| (adviser.id, adviser.name.as_str()))
        .collect();
    let name_of = |id: Option<AdviserId>| {
        id.map(|id| names.get(&id).map_or(id.to_string(), |n| (*n).to_owned()))
    };
    let lines: Vec<SchoolLine> = open
        .iter()
        .map(|entry| school_line(entry, today, name_of(entry.school.link_sia)))
        .collect();
    AuthorityView {
        today,
        term: {
            let now = calendar.locate(today);
            format!("{} term {}", now.term.label(), now.year)
        },
        categories: by_category(lines.iter()),
        by_phase: rows_by(
            &lines,
            |line| Some(line.phase),
            |phase| phase.gias_name().to_owned(),
            "No phase recorded",
        ),
        by_ward: rows_by(
            &lines,
            |line| line.ward.clone(),
            Clone::clone,
            "No ward recorded",
        ),
        by_adviser: rows_by(
            &lines,
            |line| line.link_sia_name.clone(),
            Clone::clone,
            NO_LINK_SIA,
        ),
        direction: TermDirection::ALL
            .into_iter()
            .map(|direction| DirectionCount {
                direction,
                label: direction.label(),
                schools: urns(lines.iter().filter(|line| line.direction == direction)),
            })
            .collect(),
        good_or_better: good_or_better(
            open.iter()
                .map(|entry| (&entry.school, entry.inspection.as_ref())),
            target.good_or_better_percent,
        ),
        visits_overdue: overdue_by_adviser(&open, &lines),
        msp_groups_open: open_groups(&open, &name_of),
        warning_notices_open: open
            .iter()
            .flat_map(|entry| open_notices(entry, today))
            .collect(),
        academy_concerns: concerns_by_stage(&open, AcademicYear::of(today)),
        schools: lines,
    }
}

const NO_LINK_SIA: &str = "No link SIA";

fn school_line(
    entry: &AuthoritySchool,
    today: NaiveDate,
    link_sia_name: Option<String>,
) -> SchoolLine {
    let school = &entry.school;
    SchoolLine {
        urn: school.urn,
        name: school.name.clone(),
        phase: school.phase,
        phase_label: school.phase.gias_name(),
        ward: school.ward.clone().filter(|ward| !ward.trim().is_empty()),
        establishment_type: school.establishment_type.name().to_owned(),
        maintained: school.maintained(),
        pupils: school.pupils,
        link_sia: school.link_sia,
        link_sia_name,
        category: entry.standing.category,
        direction: TermDirection::of(&entry.standing),
        ofsted: entry.inspection.as_ref().map(OfstedInspection::summary),
        good_or_better: entry
            .inspection
            .as_ref()
            .filter(|_| school.maintained())
            .map(OfstedInspection::good_or_better),
        visits_overdue: entry.standing.entitlement.overdue(),
        msp_group_opened: entry
            .msp_groups
            .iter()
            .filter(|group| group.is_open())
            .map(|group| group.opened_on)
            .min(),
        warning_notice: open_notices(entry, today).map(|notice| notice.dated).max(),
        academy_concern: entry
            .concerns
            .iter()
            .filter(|concern| concern.resolved.is_none())
            .map(AcademyConcern::stage)
            .max(),
    }
}

fn urns<'a>(lines: impl Iterator<Item = &'a SchoolLine>) -> Vec<Urn> {
    lines.map(|line| line.urn).collect()
}

fn by_category<'a>(lines: impl Iterator<Item = &'a SchoolLine> + Clone) -> Vec<CategoryCount> {
    SupportCategory::ALL
        .into_iter()
        .map(Some)
        .chain([None])
        .map(|category| CategoryCount {
            category,
            schools: urns(lines.clone().filter(|line| line.category == category)),
        })
        .collect()
}

/// One row per value of `key` (in its order, those without one last under
/// `missing`), each split by category.
fn rows_by<K: Ord>(
    lines: &[SchoolLine],
    key: impl Fn(&SchoolLine) -> Option<K>,
    label: impl Fn(&K) -> String,
    missing: &str,
) -> Vec<CategoryRow> {
    let mut groups: BTreeMap<Option<K>, Vec<&SchoolLine>> = BTreeMap::new();
    for line in lines {
        groups.entry(key(line)).or_default().push(line);
    }
    let row = |label: String, lines: &Vec<&SchoolLine>| CategoryRow {
        label,
        categories: by_category(lines.iter().copied()),
        schools: urns(lines.iter().copied()),
    };
    let missing_row = groups
        .get(&None)
        .map(|lines| row(missing.to_owned(), lines));
    groups
        .iter()
        .filter_map(|(key, lines)| key.as_ref().map(|key| row(label(key), lines)))
        .chain(missing_row)
        .collect()
}

fn overdue_by_adviser(open: &[&AuthoritySchool], lines: &[SchoolLine]) -> Vec<AdviserOverdue> {
    let mut rows: BTreeMap<(bool, String), AdviserOverdue> = BTreeMap::new();
    for (entry, line) in open.iter().zip(lines) {
        let name = line
            .link_sia_name
            .clone()
            .unwrap_or_else(|| NO_LINK_SIA.to_owned());
        let row = rows
            .entry((line.link_sia.is_none(), name.clone()))
            .or_insert_with(|| AdviserOverdue {
                adviser: entry.school.link_sia,
                name,
                caseload: 0,
                periods: 0,
                schools: Vec::new(),
            });
        row.caseload += 1;
        row.periods += line.visits_overdue;
        if line.visits_overdue > 0 {
            row.schools.push(line.urn);
        }
    }
    rows.into_values().collect()
}

fn open_groups(
    open: &[&AuthoritySchool],
    name_of: &impl Fn(Option<AdviserId>) -> Option<String>,
) -> Vec<OpenGroup> {
    open.iter()
        .flat_map(|entry| {
            entry
                .msp_groups
                .iter()
                .filter(|group| group.is_open() && group.urn == entry.school.urn)
                .map(|group| OpenGroup {
                    id: group.id,
                    urn: entry.school.urn,
                    school: entry.school.name.clone(),
                    chair: name_of(Some(group.chair)).unwrap_or_default(),
                    opened_on: group.opened_on,
                })
        })
        .collect()
}

fn open_notices(
    entry: &AuthoritySchool,
    today: NaiveDate,
) -> impl Iterator<Item = OpenNotice> + '_ {
    let issued = |letter: &&Letter| letter.status == LetterStatus::Issued;
    let corrected: Vec<Uuid> = entry
        .letters
        .iter()
        .filter(issued)
        .filter_map(|letter| letter.corrects)
        .collect();
    let concerns_remain = entry.standing.category == Some(SupportCategory::High)
        || entry.msp_groups.iter().any(MspGroup::is_open);
    entry
        .letters
        .iter()
        .filter(issued)
        .filter(move |letter| {
            letter.kind == LetterKind::WarningNotice
                && letter.urn == entry.school.urn
                && !corrected.contains(&letter.id)
        })
        .filter_map(move |letter| {
            let comply_by = letter
                .terms
                .as_ref()
                .map(|terms| terms.comply_by(letter.dated));
            let running = comply_by.is_some_and(|last| today <= last);
            (running || concerns_remain).then(|| OpenNotice {
                id: letter.id,
                urn: entry.school.urn,
                school: entry.school.name.clone(),
                dated: letter.dated,
                comply_by,
            })
        })
}

fn concerns_by_stage(open: &[&AuthoritySchool], year: AcademicYear) -> Vec<ConcernsAtStage> {
    let mut stages: BTreeMap<Stage, Vec<ConcernRef>> = BTreeMap::new();
    for entry in open {
        for concern in entry.concerns.iter().filter(|c| c.urn == entry.school.urn) {
            let counted = match &concern.resolved {
                None => true,
                Some(resolution) => AcademicYear::of(resolution.on) == year,
            };
            if counted {
                stages.entry(concern.stage()).or_default().push(ConcernRef {
                    id: concern.id,
                    urn: entry.school.urn,
                    school: entry.school.name.clone(),
                    raised_on: concern.raised_on,
                });
            }
        }
    }
    Stage::ALL
        .into_iter()
        .map(|stage| ConcernsAtStage {
            stage,
            label: stage.label(),
            concerns: stages.remove(&stage).unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
