//! Half-day visits and their life cycle.
//!
//! A visit is planned, then in progress (a draft the adviser writes during
//! and after the half-day), then finalised. A finalised visit is the record
//! the school and the authority rely on, so it never changes: anything
//! learnt later goes in an addendum, a new visit linked to it.
//!
//! A visit counts towards the school's entitlement once it has taken place,
//! that is once it is a draft or finalised; a planned visit is only a plan.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::people::AdviserId;
use crate::school::Urn;

/// Morning or afternoon: a visit is half a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Session {
    Am,
    Pm,
}

impl Session {
    pub fn label(self) -> &'static str {
        match self {
            Session::Am => "morning",
            Session::Pm => "afternoon",
        }
    }

    /// The half-day as it goes in a diary: 09:00 to 12:30, or 13:00 to 16:30.
    pub fn hours(self) -> (NaiveTime, NaiveTime) {
        let at = |hour, minute| NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
        match self {
            Session::Am => (at(9, 0), at(12, 30)),
            Session::Pm => (at(13, 0), at(16, 30)),
        }
    }
}

/// Why the visit is made, in the strategy's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VisitKind {
    /// The autumn-term visit every maintained school receives.
    Core,
    /// Agreed with the school for a purpose of its own.
    Bespoke,
    /// One of the up to six visits a school on the enhanced offer may have.
    EnhancedOffer,
    /// Half-termly monitoring of a school in high support.
    Monitoring,
    ExternalReview,
}

impl VisitKind {
    pub fn label(self) -> &'static str {
        match self {
            VisitKind::Core => "Core",
            VisitKind::Bespoke => "Bespoke",
            VisitKind::EnhancedOffer => "Enhanced offer",
            VisitKind::Monitoring => "Monitoring",
            VisitKind::ExternalReview => "External review",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VisitStatus {
    Planned,
    /// Under way: the notes are being written.
    Draft,
    Finalised,
}

/// What the adviser did during the half-day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activity {
    LessonObservation,
    WorkScrutiny,
    LearningWalk,
    DiscussionWithLeaders,
    DiscussionWithStaff,
    DiscussionWithGovernors,
    DiscussionWithPupils,
    DiscussionWithParents,
    DataReview,
}

impl Activity {
    pub fn label(self) -> &'static str {
        match self {
            Activity::LessonObservation => "Lesson observation",
            Activity::WorkScrutiny => "Scrutiny of pupils' work",
            Activity::LearningWalk => "Learning walk",
            Activity::DiscussionWithLeaders => "Discussion with leaders",
            Activity::DiscussionWithStaff => "Discussion with staff",
            Activity::DiscussionWithGovernors => "Discussion with governors",
            Activity::DiscussionWithPupils => "Discussion with pupils",
            Activity::DiscussionWithParents => "Discussion with parents",
            Activity::DataReview => "Review of data",
        }
    }
}

/// The evidence seen under one area of the criteria set, and the adviser's
/// judgement of where the school stands in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaNote {
    /// The area's id in the criteria set in use.
    pub area: String,
    pub evidence: String,
    pub judgement: Option<String>,
}

impl AreaNote {
    /// The area of notes not yet filed under one of the set's areas: what
    /// was typed on the day, sorted later.
    pub const GENERAL: &'static str = "general";

    pub fn general(evidence: impl Into<String>) -> Self {
        AreaNote {
            area: AreaNote::GENERAL.to_owned(),
            evidence: evidence.into(),
            judgement: None,
        }
    }
}

/// What counting visits (entitlement, the next visit) reads of a visit: a
/// store reading a whole authority's visits reads only this much of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitOutline {
    pub urn: Urn,
    pub adviser: Option<AdviserId>,
    pub visited_on: NaiveDate,
    pub status: VisitStatus,
    /// An addendum to a finalised visit rather than a visit of its own.
    pub addendum: bool,
}

impl VisitOutline {
    /// True once the half-day has happened, so it counts towards entitlement.
    /// An addendum adds words, not a visit.
    pub fn took_place(&self) -> bool {
        self.status != VisitStatus::Planned && !self.addendum
    }
}

/// One half-day visit to one school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: Uuid,
    pub urn: Urn,
    pub adviser: Option<AdviserId>,
    pub visited_on: NaiveDate,
    pub session: Session,
    pub kind: VisitKind,
    pub status: VisitStatus,
    pub purpose: String,
    pub activities: Vec<Activity>,
    pub notes: Vec<AreaNote>,
    pub strengths: String,
    pub development: String,
    /// The finalised visit this one adds to, for an addendum.
    pub addendum_to: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VisitError {
    #[error("the visit of {0} is finalised and cannot change: add an addendum instead")]
    Finalised(NaiveDate),
    #[error("only a finalised visit can have an addendum; the visit of {0} is not finalised")]
    AddendumToUnfinished(NaiveDate),
    #[error("the visit of {0} has no notes: write what was seen before finalising")]
    NothingWritten(NaiveDate),
}

impl Visit {
    /// A visit planned for a date, with nothing written yet.
    pub fn plan(
        id: Uuid,
        urn: Urn,
        visited_on: NaiveDate,
        session: Session,
        kind: VisitKind,
    ) -> Self {
        Visit {
            id,
            urn,
            adviser: None,
            visited_on,
            session,
            kind,
            status: VisitStatus::Planned,
            purpose: String::new(),
            activities: Vec::new(),
            notes: Vec::new(),
            strengths: String::new(),
            development: String::new(),
            addendum_to: None,
        }
    }

    /// Applies an edit to a planned or draft visit; a planned visit that is
    /// written to has begun, so it becomes a draft.
    pub fn edit(&mut self, change: impl FnOnce(&mut Visit)) -> Result<(), VisitError> {
        if self.status == VisitStatus::Finalised {
            return Err(VisitError::Finalised(self.visited_on));
        }
        change(self);
        self.status = VisitStatus::Draft;
        Ok(())
    }

    /// Closes the record for good.
    pub fn finalise(&mut self) -> Result<(), VisitError> {
        if self.status == VisitStatus::Finalised {
            return Err(VisitError::Finalised(self.visited_on));
        }
        if !self.has_notes() {
            return Err(VisitError::NothingWritten(self.visited_on));
        }
        self.status = VisitStatus::Finalised;
        Ok(())
    }

    /// A new draft that adds to this finalised visit.
    pub fn addendum(&self, id: Uuid, written_on: NaiveDate) -> Result<Visit, VisitError> {
        if self.status != VisitStatus::Finalised {
            return Err(VisitError::AddendumToUnfinished(self.visited_on));
        }
        let mut addendum = Visit::plan(id, self.urn, written_on, self.session, self.kind);
        addendum.adviser = self.adviser;
        addendum.status = VisitStatus::Draft;
        addendum.addendum_to = Some(self.id);
        Ok(addendum)
    }

    /// True once the half-day has happened, so it counts towards entitlement.
    pub fn took_place(&self) -> bool {
        self.outline().took_place()
    }

    /// What counting visits reads of this one.
    pub fn outline(&self) -> VisitOutline {
        VisitOutline {
            urn: self.urn,
            adviser: self.adviser,
            visited_on: self.visited_on,
            status: self.status,
            addendum: self.addendum_to.is_some(),
        }
    }

    fn has_notes(&self) -> bool {
        let written = |text: &str| !text.trim().is_empty();
        self.notes.iter().any(|note| written(&note.evidence))
            || written(&self.strengths)
            || written(&self.development)
    }
}

/// The names the CLI and files use for sessions, kinds and activities.
macro_rules! named {
    ($type:ty, $what:literal, [$($variant:ident => $name:literal),+ $(,)?]) => {
        impl $type {
            pub const ALL: &'static [$type] = &[$(<$type>::$variant),+];

            pub fn name(self) -> &'static str {
                match self {
                    $(<$type>::$variant => $name),+
                }
            }
        }

        impl FromStr for $type {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                let text = text.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.name().eq_ignore_ascii_case(text))
                    .ok_or_else(|| {
                        let names: Vec<&str> = Self::ALL.iter().map(|value| value.name()).collect();
                        format!("{text:?} is not {} ({})", $what, names.join(", "))
                    })
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

named!(Session, "a session", [Am => "am", Pm => "pm"]);
named!(VisitKind, "a kind of visit", [
    Core => "core",
    Bespoke => "bespoke",
    EnhancedOffer => "enhanced-offer",
    Monitoring => "monitoring",
    ExternalReview => "external-review",
]);
named!(VisitStatus, "a visit status", [
    Planned => "planned",
    Draft => "draft",
    Finalised => "finalised",
]);

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).expect("a date")
    }

    fn planned() -> Visit {
        Visit::plan(
            Uuid::from_u128(1),
            Urn(990_101),
            day(7),
            Session::Am,
            VisitKind::Core,
        )
    }

    fn written() -> Visit {
        let mut visit = planned();
        visit
            .edit(|visit| visit.strengths = "Phonics is taught well in Reception.".into())
            .expect("a planned visit can be written");
        visit
    }

    #[test]
    fn writing_to_a_planned_visit_makes_it_a_draft_that_took_place() {
        assert!(!planned().took_place());
        let visit = written();
        assert_eq!(visit.status, VisitStatus::Draft);
        assert!(visit.took_place());
    }

    #[test]
    fn a_visit_with_nothing_written_cannot_be_finalised() {
        let mut visit = planned();
        visit
            .edit(|visit| visit.strengths = "  ".into())
            .expect("editable");
        assert_eq!(visit.finalise(), Err(VisitError::NothingWritten(day(7))));
        assert_eq!(visit.status, VisitStatus::Draft);
    }

    #[test]
    fn a_finalised_visit_never_changes() {
        let mut visit = written();
        visit.finalise().expect("notes are written");
        let before = visit.clone();
        assert_eq!(
            visit.edit(|visit| visit.strengths.clear()),
            Err(VisitError::Finalised(day(7)))
        );
        assert_eq!(visit.finalise(), Err(VisitError::Finalised(day(7))));
        assert_eq!(visit, before);
    }

    #[test]
    fn an_addendum_is_a_new_linked_draft_that_is_not_another_visit() {
        let mut visit = written();
        assert_eq!(
            visit.addendum(Uuid::from_u128(2), day(9)),
            Err(VisitError::AddendumToUnfinished(day(7)))
        );
        visit.finalise().expect("notes are written");
        let addendum = visit
            .addendum(Uuid::from_u128(2), day(9))
            .expect("finalised");
        assert_eq!(addendum.addendum_to, Some(visit.id));
        assert_eq!(addendum.urn, visit.urn);
        assert_eq!(addendum.status, VisitStatus::Draft);
        assert!(!addendum.took_place());
    }

    #[test]
    fn names_read_back_in_any_case_and_unknown_ones_list_the_choices() {
        for kind in VisitKind::ALL {
            assert_eq!(kind.name().to_uppercase().parse::<VisitKind>(), Ok(*kind));
        }
        assert_eq!("PM".parse::<Session>(), Ok(Session::Pm));
        let error = "evening".parse::<Session>().expect_err("not a session");
        assert_eq!(error, "\"evening\" is not a session (am, pm)");
    }

    #[test]
    fn serde_names_are_the_names_the_cli_reads() {
        for kind in VisitKind::ALL {
            let json = serde_json::to_value(kind).expect("serializes");
            assert_eq!(json, serde_json::json!(kind.name()));
        }
        for status in VisitStatus::ALL {
            let json = serde_json::to_value(status).expect("serializes");
            assert_eq!(json, serde_json::json!(status.name()));
        }
    }
}
