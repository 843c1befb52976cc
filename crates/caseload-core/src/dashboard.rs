//! The adviser's dashboard: what their caseload needs this term, each
//! figure with the list of schools, visits, meetings, actions or letters
//! it counts, so every number on the screen opens the list behind it.
//!
//! The counting rules:
//! - **visits**: each required period of the entitlement (a term, or a
//!   half-term for a school in high support, see [`crate::entitlement`])
//!   that falls in the term under way is *done* once a visit took place in
//!   it, and otherwise *due* while it has not ended; any required period of
//!   the year so far that ended without its visit is *overdue* (a missed
//!   autumn visit is still shown in spring);
//! - **MSP meetings**: an open group's next meeting (see
//!   [`crate::msp::cadence`]) is *overdue* once its due day has passed, and
//!   *due* while the half-term under way is the one it must be held in —
//!   for the caseload's groups and for those the adviser chairs elsewhere
//!   (a Senior SIA chairs groups of schools linked to others);
//! - **actions**: open and past their due date;
//! - **not reviewed**: no agreed review in the term under way;
//! - **category mix**: each school's category now (its latest agreed
//!   review) beside the one it had at the end of last term (its latest
//!   agreed review by then), and which way it moved;
//! - **letters**: those the records suggest (see [`crate::letter::suggest`]),
//!   with the draft already started for one, if any.
//!
//! Each list holds a school (or a school's period, meeting, action or
//! letter) at most once. Pure: the caller gathers the records.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

use crate::action::{Action, ActionSource};
use crate::calendar::{AcademicYear, Term, TermCalendar};
use crate::criteria::SupportCategory;
use crate::entitlement::{Period, PeriodState, PeriodStatus};
use crate::letter::catalogue::Catalogue;
use crate::letter::material::SuggestionRecords;
use crate::letter::{Letter, LetterKind, LetterStatus};
use crate::msp::{cadence, MspGroup, MspMeeting};
use crate::ofsted::OfstedInspection;
use crate::performance::PerformanceFigure;
use crate::review::{history, Direction, Review};
use crate::school::{School, Urn};
use crate::standing::{standing_on, SchoolRecords, Standing};
use crate::visit::{Visit, VisitStatus};

/// Everything the dashboard reads about one school of the caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadSchool {
    pub school: School,
    /// Every review, drafts included (the letters read them all).
    pub reviews: Vec<Review>,
    /// At least this academic year's visits and the last four weeks', planned ones included.
    pub visits: Vec<Visit>,
    /// At least the open actions.
    pub actions: Vec<Action>,
    /// On the enhanced offer this academic year.
    pub enhanced_offer: bool,
    pub msp_groups: Vec<MspGroup>,
    pub msp_meetings: Vec<MspMeeting>,
    pub letters: Vec<Letter>,
    pub inspections: Vec<OfstedInspection>,
    pub figures: Vec<PerformanceFigure>,
}

/// A school as a list names it, to link to its page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SchoolRef {
    pub name: String,
    pub urn: Urn,
}

impl SchoolRef {
    fn of(school: &School) -> SchoolRef {
        SchoolRef {
            name: school.name.clone(),
            urn: school.urn,
        }
    }
}

/// A visit as a list names it, to link to its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitRef {
    pub id: Uuid,
    pub visited_on: NaiveDate,
    pub status: VisitStatus,
}

/// One required period of a school's entitlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwedVisit {
    pub school: SchoolRef,
    pub category: Option<SupportCategory>,
    /// "Autumn term (core visit)", "Spring term, second half".
    pub period: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Done: the visits made in the period; due: those planned in it.
    pub visits: Vec<VisitRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VisitCounts {
    pub due: Vec<OwedVisit>,
    pub done: Vec<OwedVisit>,
    pub overdue: Vec<OwedVisit>,
}

/// An open MSP group whose next meeting is due or overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingOwed {
    pub school: SchoolRef,
    pub group: Uuid,
    pub last_met: Option<NaiveDate>,
    /// The last day the next meeting may be held to keep the half-termly rhythm.
    pub due_by: NaiveDate,
    pub next_planned: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MeetingCounts {
    pub due: Vec<MeetingOwed>,
    pub overdue: Vec<MeetingOwed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueAction {
    pub school: SchoolRef,
    pub id: Uuid,
    pub text: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub source: ActionSource,
    /// For an action agreed at an MSP meeting: the meeting's group, whose page it is on.
    pub msp_group: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotReviewed {
    pub school: SchoolRef,
    pub category: Option<SupportCategory>,
    /// The date of the latest agreed review, if there is one.
    pub last_reviewed: Option<NaiveDate>,
}

/// The caseload's schools in one category (None: not yet categorised),
/// now and at the end of last term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRow {
    pub category: Option<SupportCategory>,
    pub now: Vec<SchoolRef>,
    pub last_term: Vec<SchoolRef>,
}

/// A school whose category changed since the end of last term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryMove {
    pub school: SchoolRef,
    pub from: Option<SupportCategory>,
    pub to: SupportCategory,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryMix {
    /// "Summer term 2025/26": the term the comparison is with.
    pub last_term: String,
    /// Low, medium, high, then not yet categorised.
    pub rows: Vec<CategoryRow>,
    /// Needing less support than at the end of last term.
    pub improved: Vec<CategoryMove>,
    /// Needing more support than at the end of last term.
    pub declined: Vec<CategoryMove>,
    /// Categorised for the first time since the end of last term.
    pub first_categorised: Vec<CategoryMove>,
}

/// A letter the records suggest and that has not been issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestedLetter {
    pub school: SchoolRef,
    pub kind: LetterKind,
    pub kind_label: &'static str,
    /// Ids of the catalogue's indicators it would cite.
    pub indicators: Vec<String>,
    /// For a note of visit: the visit it records.
    pub visit: Option<Uuid>,
    /// A draft of this letter already started, to carry on with.
    pub draft: Option<Uuid>,
}

/// A group the adviser chairs for a school outside their caseload: only
/// its meetings are the adviser's to count.
#[derive(Debug, Clone, PartialEq)]
pub struct ChairedGroup {
    pub school: School,
    pub group: MspGroup,
    pub meetings: Vec<MspMeeting>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    pub today: NaiveDate,
    /// "Autumn term 2026/27".
    pub term: String,
    pub schools: usize,
    pub visits: VisitCounts,
    pub msp_meetings: MeetingCounts,
    pub actions_overdue: Vec<OverdueAction>,
    pub not_reviewed: Vec<NotReviewed>,
    pub categories: CategoryMix,
    pub letters: Vec<SuggestedLetter>,
}

/// The dashboard of `caseload`, and of the groups `chaired` outside it, on
/// `today`; lists are ordered by school name.
pub fn dashboard_on(
    today: NaiveDate,
    caseload: &[CaseloadSchool],
    chaired: &[ChairedGroup],
    calendar: &TermCalendar,
    catalogue: &Catalogue,
) -> Dashboard {
    let mut ordered: Vec<&CaseloadSchool> = caseload.iter().collect();
    ordered.sort_by(|a, b| SchoolRef::of(&a.school).cmp(&SchoolRef::of(&b.school)));
    let position = calendar.locate(today);
    let (term_starts, _) = calendar
        .year_dates(position.year)
        .term_span(position.year, position.term);
    let last_term_ended = term_starts - Days::new(1);
    let mut dashboard = Dashboard {
        today,
        term: term_label(position.year, position.term),
        schools: ordered.len(),
        visits: VisitCounts::default(),
        msp_meetings: MeetingCounts::default(),
        actions_overdue: Vec::new(),
        not_reviewed: Vec::new(),
        categories: empty_mix(calendar, last_term_ended),
        letters: Vec::new(),
    };
    for school in ordered {
        let standing = standing_on(today, records_of(school), calendar);
        count_visits(&mut dashboard.visits, school, &standing, position.term);
        count_meetings(
            &mut dashboard.msp_meetings,
            (&school.school, &school.msp_groups, &school.msp_meetings),
            today,
            calendar,
        );
        dashboard
            .actions_overdue
            .extend(overdue_actions(school, today));
        if standing.review_due {
            dashboard
                .not_reviewed
                .push(not_reviewed(school, &standing, calendar));
        }
        place_category(
            &mut dashboard.categories,
            school,
            &standing,
            last_term_ended,
            calendar,
        );
        dashboard
            .letters
            .extend(suggested_letters(school, today, catalogue));
    }
    for chaired in chaired {
        count_meetings(
            &mut dashboard.msp_meetings,
            (
                &chaired.school,
                std::slice::from_ref(&chaired.group),
                &chaired.meetings,
            ),
            today,
            calendar,
        );
    }
    let by_school = |a: &MeetingOwed, b: &MeetingOwed| a.school.cmp(&b.school);
    dashboard.msp_meetings.due.sort_by(by_school);
    dashboard.msp_meetings.overdue.sort_by(by_school);
    dashboard
}

fn term_label(year: AcademicYear, term: Term) -> String {
    format!("{} term {year}", term.label())
}

fn records_of(school: &CaseloadSchool) -> SchoolRecords<'_> {
    SchoolRecords {
        school: &school.school,
        reviews: &school.reviews,
        visits: &school.visits,
        actions: &school.actions,
        enhanced_offer: school.enhanced_offer,
    }
}

fn count_visits(
    counts: &mut VisitCounts,
    school: &CaseloadSchool,
    standing: &Standing,
    term: Term,
) {
    for period in &standing.entitlement.periods {
        let this_term = match period.period {
            Period::Term(of) => of == term,
            Period::HalfTerm(half) => half.term() == term,
        };
        let bucket = match period.state {
            PeriodState::Overdue => &mut counts.overdue,
            PeriodState::Done if this_term => &mut counts.done,
            PeriodState::Due | PeriodState::Upcoming if this_term => &mut counts.due,
            _ => continue,
        };
        bucket.push(owed_visit(school, standing.category, period));
    }
}

fn owed_visit(
    school: &CaseloadSchool,
    category: Option<SupportCategory>,
    period: &PeriodStatus,
) -> OwedVisit {
    let in_period =
        |visit: &&Visit| (period.first_day..=period.last_day).contains(&visit.visited_on);
    // A done period links to the visits that made it; an open one to its plans.
    let counts = |visit: &&Visit| match period.state {
        PeriodState::Done => visit.took_place(),
        _ => visit.status == VisitStatus::Planned,
    };
    let mut visits: Vec<VisitRef> = school
        .visits
        .iter()
        .filter(in_period)
        .filter(counts)
        .map(|visit| VisitRef {
            id: visit.id,
            visited_on: visit.visited_on,
            status: visit.status,
        })
        .collect();
    visits.sort_by_key(|visit| (visit.visited_on, visit.id));
    OwedVisit {
        school: SchoolRef::of(&school.school),
        category,
        period: period.label.clone(),
        first_day: period.first_day,
        last_day: period.last_day,
        visits,
    }
}

/// Counts the next meeting of each of the school's `groups`, from its `meetings`.
fn count_meetings(
    counts: &mut MeetingCounts,
    (school, groups, meetings): (&School, &[MspGroup], &[MspMeeting]),
    today: NaiveDate,
    calendar: &TermCalendar,
) {
    let now = calendar.locate(today);
    for group in groups.iter().filter(|group| group.urn == school.urn) {
        let Some(cadence) = cadence(group, meetings, today, calendar) else {
            continue;
        };
        let due_in = calendar.locate(cadence.due_by);
        let due_now = (due_in.year, due_in.half_term) == (now.year, now.half_term);
        let owed = MeetingOwed {
            school: SchoolRef::of(school),
            group: group.id,
            last_met: cadence.last_met,
            due_by: cadence.due_by,
            next_planned: cadence.next_planned,
        };
        if cadence.overdue {
            counts.overdue.push(owed);
        } else if due_now {
            counts.due.push(owed);
        }
    }
}

fn overdue_actions(
    school: &CaseloadSchool,
    today: NaiveDate,
) -> impl Iterator<Item = OverdueAction> + '_ {
    let mut overdue: Vec<&Action> = school
        .actions
        .iter()
        .filter(|action| action.urn == school.school.urn && action.is_overdue(today))
        .collect();
    overdue.sort_by_key(|action| (action.due_on, action.id));
    overdue.into_iter().map(|action| OverdueAction {
        school: SchoolRef::of(&school.school),
        id: action.id,
        text: action.text.clone(),
        owner: action.owner.clone(),
        due_on: action.due_on,
        source: action.source,
        msp_group: match action.source {
            ActionSource::MspMeeting(meeting) => school
                .msp_meetings
                .iter()
                .find(|held| held.id == meeting)
                .map(|held| held.msp_group),
            _ => None,
        },
    })
}

fn not_reviewed(
    school: &CaseloadSchool,
    standing: &Standing,
    calendar: &TermCalendar,
) -> NotReviewed {
    NotReviewed {
        school: SchoolRef::of(&school.school),
        category: standing.category,
        last_reviewed: history(&school.reviews, calendar)
            .last()
            .map(|entry| entry.reviewed_on),
    }
}

fn empty_mix(calendar: &TermCalendar, last_term_ended: NaiveDate) -> CategoryMix {
    let then = calendar.locate(last_term_ended);
    let categories = SupportCategory::ALL.into_iter().map(Some).chain([None]);
    CategoryMix {
        last_term: term_label(then.year, then.term),
        rows: categories
            .map(|category| CategoryRow {
                category,
                now: Vec::new(),
                last_term: Vec::new(),
            })
            .collect(),
        improved: Vec::new(),
        declined: Vec::new(),
        first_categorised: Vec::new(),
    }
}

fn place_category(
    mix: &mut CategoryMix,
    school: &CaseloadSchool,
    standing: &Standing,
    last_term_ended: NaiveDate,
    calendar: &TermCalendar,
) {
    let then = history(&school.reviews, calendar)
        .into_iter()
        .take_while(|entry| entry.reviewed_on <= last_term_ended)
        .last()
        .map(|entry| entry.category);
    let now = standing.category;
    let named = SchoolRef::of(&school.school);
    for row in &mut mix.rows {
        if row.category == now {
            row.now.push(named.clone());
        }
        if row.category == then {
            row.last_term.push(named.clone());
        }
    }
    let Some(to) = now else { return };
    let moved = CategoryMove {
        school: named,
        from: then,
        to,
    };
    match then.map(|from| Direction::between(from, to)) {
        None => mix.first_categorised.push(moved),
        Some(Direction::Improving) => mix.improved.push(moved),
        Some(Direction::Declining) => mix.declined.push(moved),
        Some(Direction::Steady) => {}
    }
}

fn suggested_letters<'a>(
    school: &'a CaseloadSchool,
    today: NaiveDate,
    catalogue: &Catalogue,
) -> impl Iterator<Item = SuggestedLetter> + 'a {
    let records = SuggestionRecords {
        school: &school.school,
        inspections: &school.inspections,
        reviews: &school.reviews,
        figures: &school.figures,
        letters: &school.letters,
        visits: &school.visits,
    };
    let drafts: BTreeMap<(LetterKind, Option<Uuid>), Uuid> = school
        .letters
        .iter()
        .filter(|letter| letter.status == LetterStatus::Draft)
        .map(|letter| ((letter.kind, letter.visit), letter.id))
        .collect();
    records
        .suggestions(catalogue, today)
        .into_iter()
        .map(move |suggestion| SuggestedLetter {
            school: SchoolRef::of(&school.school),
            kind: suggestion.kind,
            kind_label: suggestion.kind.label(),
            draft: drafts.get(&(suggestion.kind, suggestion.visit)).copied(),
            indicators: suggestion.indicators,
            visit: suggestion.visit,
        })
}

#[cfg(test)]
mod tests;
