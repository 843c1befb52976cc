//! The demo caseload's academy concerns and reports, recorded through the
//! same rules as the app's, so a newcomer finds a concern partway along
//! its escalation (the meeting held and not resolving it, the letter to
//! the chair of the trust next) and a report logged with its redirection.
//!
//! Each rule is checked as on the day the demo says it happened, so no
//! date is refused as being in the future.

use caseload_core::academy::{
    AcademyConcern, AcademyReport, Body, ConcernGround, ReportKind, Step,
};
use caseload_core::toml_date::TomlDate;
use caseload_core::Urn;
use serde::Deserialize;
use uuid::Uuid;

use crate::demo_history::{adviser, AdvisersByEmail};
use crate::msp::one_school;
use crate::records::Writer;
use crate::StoreError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoAcademyConcern {
    urn: Urn,
    /// The email of the adviser who raised it.
    raised_by: String,
    raised_on: TomlDate,
    evidence: Vec<DemoEvidence>,
    #[serde(default)]
    step: Vec<DemoStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoEvidence {
    ground: ConcernGround,
    text: String,
}

/// A meeting or a referral, and its outcome when known. The letter to the
/// trust is left for the newcomer to draft and issue.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoStep {
    step: Step,
    on: TomlDate,
    note: String,
    outcome_on: Option<TomlDate>,
    outcome: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoAcademyReport {
    urn: Urn,
    kind: ReportKind,
    received_on: TomlDate,
    summary: String,
    logged_by: String,
    #[serde(default)]
    told: Vec<DemoTold>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoTold {
    to: Body,
    person: String,
    on: TomlDate,
}

pub(crate) fn write_academy_concerns(
    writer: &mut Writer<'_>,
    concerns: &[DemoAcademyConcern],
    reports: &[DemoAcademyReport],
    advisers: &AdvisersByEmail,
) -> Result<(), StoreError> {
    for entry in concerns {
        let concern = demo_concern(writer, entry, advisers).map_err(|error| {
            StoreError::Demo(format!("academy concern at URN {}: {error}", entry.urn))
        })?;
        writer.save(&concern)?;
    }
    for entry in reports {
        let report = demo_report(writer, entry, advisers).map_err(|error| {
            StoreError::Demo(format!("academy report at URN {}: {error}", entry.urn))
        })?;
        writer.save(&report)?;
    }
    Ok(())
}

fn demo_concern(
    writer: &Writer<'_>,
    entry: &DemoAcademyConcern,
    advisers: &AdvisersByEmail,
) -> Result<AcademyConcern, StoreError> {
    let school = one_school(&writer.tx, entry.urn)?;
    let grounds: Vec<(ConcernGround, String)> = entry
        .evidence
        .iter()
        .map(|evidence| (evidence.ground, evidence.text.clone()))
        .collect();
    let raised_on = entry.raised_on.0;
    let raised_by = Some(adviser(advisers, &entry.raised_by)?);
    let mut concern = AcademyConcern::raise(
        Uuid::now_v7(),
        &school,
        raised_by,
        raised_on,
        &grounds,
        raised_on,
    )?;
    for step in &entry.step {
        concern.take_step(step.step, step.on.0, &step.note, step.on.0)?;
        if let (Some(on), Some(text)) = (&step.outcome_on, &step.outcome) {
            concern.record_outcome(step.step, on.0, text, on.0)?;
        }
    }
    Ok(concern)
}

fn demo_report(
    writer: &Writer<'_>,
    entry: &DemoAcademyReport,
    advisers: &AdvisersByEmail,
) -> Result<AcademyReport, StoreError> {
    let school = one_school(&writer.tx, entry.urn)?;
    let received_on = entry.received_on.0;
    let logged_by = Some(adviser(advisers, &entry.logged_by)?);
    let mut report = AcademyReport::log(
        Uuid::now_v7(),
        &school,
        entry.kind,
        received_on,
        &entry.summary,
        logged_by,
        received_on,
    )?;
    for told in &entry.told {
        report.pass_on(told.to, &told.person, told.on.0, told.on.0)?;
    }
    Ok(report)
}
