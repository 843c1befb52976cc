//! The demo caseload's history: agreed reviews, visits and enhanced-offer
//! places from `assets/demo/caseload.toml`, so the caseload opens with
//! categories, directions of travel and visits due.

use std::collections::BTreeMap;

use caseload_core::entitlement::EnhancedOffer;
use caseload_core::review::Review;
use caseload_core::scoring::{Mark, Override};
use caseload_core::toml_date::TomlDate;
use caseload_core::visit::{Activity, AreaNote, Session, Visit, VisitKind, VisitStatus};
use caseload_core::{AcademicYear, AdviserId, Urn};
use serde::Deserialize;
use uuid::Uuid;

use crate::criteria_sets::shipped_criteria_set;
use crate::records::Writer;
use crate::StoreError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoReview {
    urn: Urn,
    reviewed_on: TomlDate,
    /// The adviser's email.
    by: String,
    criteria_set: String,
    marked: Vec<String>,
    overrule: Option<Override>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoVisit {
    urn: Urn,
    visited_on: TomlDate,
    session: Session,
    kind: VisitKind,
    by: String,
    status: VisitStatus,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    activities: Vec<Activity>,
    #[serde(default)]
    note: Vec<AreaNote>,
    #[serde(default)]
    strengths: String,
    #[serde(default)]
    development: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoEnhancedOffer {
    urn: Urn,
    /// "2026/27".
    year: String,
}

/// Advisers' ids by email, for the entries' `by`.
pub(crate) type AdvisersByEmail = BTreeMap<String, AdviserId>;

pub(crate) fn adviser(advisers: &AdvisersByEmail, email: &str) -> Result<AdviserId, StoreError> {
    advisers
        .get(email)
        .copied()
        .ok_or_else(|| StoreError::Demo(format!("{email} is none of the demo's advisers")))
}

/// Agrees each review against its shipped criteria set, as the adviser would have.
pub(crate) fn write_reviews(
    writer: &mut Writer<'_>,
    reviews: &[DemoReview],
    advisers: &AdvisersByEmail,
) -> Result<(), StoreError> {
    for entry in reviews {
        let set = shipped_criteria_set(&entry.criteria_set)?;
        let mut review = Review::draft(Uuid::now_v7(), entry.urn, &set.id, entry.reviewed_on.0);
        review.adviser = Some(adviser(advisers, &entry.by)?);
        review.remark(entry.marked.iter().map(Mark::new).collect())?;
        review
            .agree(&set, entry.overrule.clone())
            .map_err(|error| {
                StoreError::Demo(format!(
                    "review of {} on {}: {error}",
                    entry.urn, review.reviewed_on
                ))
            })?;
        writer.save(&review)?;
    }
    Ok(())
}

pub(crate) fn write_visits(
    writer: &mut Writer<'_>,
    visits: &[DemoVisit],
    advisers: &AdvisersByEmail,
) -> Result<(), StoreError> {
    for entry in visits {
        let mut visit = Visit::plan(
            Uuid::now_v7(),
            entry.urn,
            entry.visited_on.0,
            entry.session,
            entry.kind,
        );
        visit.adviser = Some(adviser(advisers, &entry.by)?);
        // Planning a visit gives it a purpose; writing anything more begins it.
        visit.purpose = entry.purpose.clone();
        if entry.status != VisitStatus::Planned {
            visit.edit(|visit| {
                visit.activities = entry.activities.clone();
                visit.notes = entry.note.clone();
                visit.strengths = entry.strengths.clone();
                visit.development = entry.development.clone();
            })?;
        }
        if entry.status == VisitStatus::Finalised {
            visit.finalise().map_err(|error| {
                StoreError::Demo(format!(
                    "visit to {} on {}: {error}",
                    entry.urn, visit.visited_on
                ))
            })?;
        }
        writer.save(&visit)?;
    }
    Ok(())
}

pub(crate) fn write_enhanced_offers(
    writer: &mut Writer<'_>,
    offers: &[DemoEnhancedOffer],
) -> Result<(), StoreError> {
    for entry in offers {
        let year = AcademicYear::parse(&entry.year).ok_or_else(|| {
            StoreError::Demo(format!(
                "{:?} is not an academic year like 2026/27",
                entry.year
            ))
        })?;
        writer.save(&EnhancedOffer::new(entry.urn, year))?;
    }
    Ok(())
}
