//! `caseload academy-concern`: the authority's concerns about academies and
//! free schools from a terminal — raising one with its evidence, the
//! escalation step by step (the issued letter of concern as the formal
//! step), outcomes and resolution; and complaints, whistleblowing and
//! safeguarding concerns logged with the strategy's redirection.
//!
//! The rules (academies only, the strategy's order) are the core's; this
//! file reads arguments and prints what the store answers.

use std::io::Write;
use std::path::Path;

use anyhow::bail;
use caseload_core::academy::{
    vocabulary, AcademyConcern, AcademyReport, Body, ConcernGround, ReportKind, Step,
};
use caseload_core::Urn;
use caseload_docs::letters::context::long_date;
use caseload_store::ConcernSheet;
use chrono::NaiveDate;
use clap::Subcommand;
use uuid::Uuid;

use crate::{emit, today};

#[derive(Subcommand)]
pub enum AcademyCommand {
    /// Raise a concern about an academy or free school
    Raise {
        #[arg(long)]
        urn: Urn,
        /// A ground and its evidence, as "GROUND: what shows it"; repeat for each
        /// ground (see `caseload academy-concern grounds`)
        #[arg(long = "ground", value_name = "GROUND: EVIDENCE", required = true, value_parser = parse_evidence)]
        grounds: Vec<(ConcernGround, String)>,
        /// The day it was raised [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The concerns raised, newest first, with how far each has gone
    List {
        /// One school's only
        #[arg(long)]
        urn: Option<Urn>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// One concern: its evidence, the escalation so far and what may come next
    Show {
        id: Uuid,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Add evidence to a concern
    Evidence {
        id: Uuid,
        #[arg(long = "ground", value_name = "GROUND: EVIDENCE", value_parser = parse_evidence)]
        ground: (ConcernGround, String),
        /// The day it was noted [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// Record the next step of the escalation: meeting, trust-letter (with
    /// --letter, an issued letter of concern), funding-agency,
    /// regional-director or ofsted
    Step {
        id: Uuid,
        step: Step,
        /// The day it was taken [default: today]; a letter is taken on the day it is dated
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Who was met, or to whom the referral went
        #[arg(long, default_value = "")]
        note: String,
        /// For trust-letter: the issued letter of concern to the chair of the trust
        #[arg(long, value_name = "LETTER_ID")]
        letter: Option<Uuid>,
    },
    /// Record what came of a step
    Outcome {
        id: Uuid,
        step: Step,
        text: String,
        /// The day it was known [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// Close a concern as resolved; it never changes again
    Resolve {
        id: Uuid,
        /// How it was resolved
        #[arg(long)]
        how: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// The grounds, steps, kinds of report and bodies, with their ids
    Grounds,
    /// Log a complaint, whistleblowing or a safeguarding concern raised
    /// with the authority about an academy, and show what to do with it
    Report {
        #[arg(long)]
        urn: Urn,
        /// parent-complaint, complaint-not-handled, whistleblowing or safeguarding
        #[arg(long)]
        kind: ReportKind,
        #[arg(long)]
        summary: String,
        /// The day it was received [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Record who was told of a safeguarding concern, and when
    Told {
        report: Uuid,
        /// regional-director, trust or ofsted
        #[arg(long)]
        to: Body,
        /// Who was told
        #[arg(long)]
        person: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// The reports logged, newest first
    Reports {
        #[arg(long)]
        urn: Option<Urn>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

/// "ofsted-drop: Requires improvement in May" as a ground and its evidence.
fn parse_evidence(text: &str) -> Result<(ConcernGround, String), String> {
    let Some((ground, evidence)) = text.split_once(':') else {
        return Err(format!(
            "{text:?}: give a ground and its evidence as \"GROUND: what shows it\""
        ));
    };
    Ok((ground.parse()?, evidence.trim().to_owned()))
}

pub fn run(command: AcademyCommand, path: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let open = || crate::open_store(path);
    let day = |date: Option<NaiveDate>| date.unwrap_or_else(today);
    match command {
        AcademyCommand::Raise {
            urn,
            grounds,
            date,
            json,
        } => {
            let concern = open()?.raise_academy_concern(urn, day(date), &grounds, today())?;
            emit(out, json, &concern, || {
                format!(
                    "Concern {} raised for URN {urn} on {}. Next: the {}.\n",
                    concern.id,
                    long_date(concern.raised_on),
                    Step::Meeting.label()
                )
            })?;
        }
        AcademyCommand::List { urn, json } => {
            let concerns = open()?.academy_concerns(urn)?;
            emit(out, json, &concerns, || concerns_text(&concerns))?;
        }
        AcademyCommand::Show { id, json } => {
            let sheet = open()?.academy_concern_sheet(id)?;
            emit(out, json, &sheet, || sheet_text(&sheet))?;
        }
        AcademyCommand::Evidence { id, ground, date } => {
            let (ground, text) = ground;
            open()?.add_concern_evidence(id, ground, &text, day(date), today())?;
            writeln!(out, "Evidence of \"{}\" added.", ground.label())?;
        }
        AcademyCommand::Step {
            id,
            step,
            date,
            note,
            letter,
        } => {
            let mut store = open()?;
            let concern = match (step, letter) {
                (Step::TrustLetter, Some(letter)) => {
                    store.record_concern_letter(id, letter, today())?
                }
                (_, Some(_)) => bail!("--letter goes with the trust-letter step only"),
                (step, None) => store.take_escalation_step(id, step, day(date), &note, today())?,
            };
            let taken = concern.step(step).map_or(day(date), |taken| taken.taken_on);
            writeln!(
                out,
                "Recorded the {} on {}.",
                step.label(),
                long_date(taken)
            )?;
        }
        AcademyCommand::Outcome {
            id,
            step,
            text,
            date,
        } => {
            open()?.record_step_outcome(id, step, day(date), &text, today())?;
            writeln!(out, "Outcome of the {} recorded.", step.label())?;
        }
        AcademyCommand::Resolve { id, how, date } => {
            let concern = open()?.resolve_academy_concern(id, day(date), &how, today())?;
            writeln!(out, "Concern {} resolved.", concern.id)?;
        }
        AcademyCommand::Grounds => write!(out, "{}", vocabulary_text())?,
        AcademyCommand::Report {
            urn,
            kind,
            summary,
            date,
            json,
        } => {
            let report = open()?.log_academy_report(urn, kind, day(date), &summary, today())?;
            emit(out, json, &report, || {
                format!(
                    "Logged the {} as {}.\nWhat to do: {}\n",
                    kind.label(),
                    report.id,
                    report.redirection
                )
            })?;
        }
        AcademyCommand::Told {
            report,
            to,
            person,
            date,
        } => {
            let report = open()?.pass_on_academy_report(report, to, &person, day(date), today())?;
            writeln!(out, "Recorded that {} was told.", to.label())?;
            for body in report.still_to_tell() {
                writeln!(out, "Still to tell: {}.", body.label())?;
            }
        }
        AcademyCommand::Reports { urn, json } => {
            let reports = open()?.academy_reports(urn)?;
            emit(out, json, &reports, || reports_text(&reports))?;
        }
    }
    Ok(())
}

fn concerns_text(concerns: &[AcademyConcern]) -> String {
    if concerns.is_empty() {
        return "No academy concerns are recorded.\n".to_owned();
    }
    concerns
        .iter()
        .map(|concern| {
            let grounds: Vec<&str> = concern.grounds().iter().map(|g| g.label()).collect();
            format!(
                "{}  URN {}  raised {}  {}: {}\n",
                concern.id,
                concern.urn,
                concern.raised_on,
                concern.stage().label(),
                grounds.join("; ")
            )
        })
        .collect()
}

fn sheet_text(sheet: &ConcernSheet) -> String {
    let concern = &sheet.concern;
    let mut text = format!(
        "Concern about {} (URN {}), raised on {}{}\nStage: {}\n\nEvidence:\n",
        sheet.school,
        concern.urn,
        long_date(concern.raised_on),
        sheet
            .raised_by
            .as_ref()
            .map(|name| format!(" by {name}"))
            .unwrap_or_default(),
        sheet.stage.label()
    );
    for evidence in &concern.evidence {
        text += &format!(
            "- {} ({}): {}\n",
            evidence.ground.label(),
            evidence.noted_on,
            evidence.text
        );
    }
    text += "\nEscalation:\n";
    if concern.steps.is_empty() {
        text += "- nothing yet\n";
    }
    for taken in &concern.steps {
        text += &format!("- {}: the {}", taken.taken_on, taken.step.label());
        if !taken.note.is_empty() {
            text += &format!(" — {}", taken.note);
        }
        text += "\n";
        match &taken.outcome {
            Some(outcome) => text += &format!("  outcome ({}): {}\n", outcome.on, outcome.text),
            None => text += "  outcome: not yet recorded\n",
        }
    }
    if let Some(resolution) = &concern.resolved {
        text += &format!("\nResolved on {}: {}\n", resolution.on, resolution.how);
    } else if sheet.next_steps.is_empty() {
        text += "\nNext: record the outcome of the latest step.\n";
    } else {
        let next: Vec<&str> = sheet.next_steps.iter().map(|step| step.id()).collect();
        text += &format!("\nNext: {}\n", next.join(", "));
    }
    if sheet.next_steps.contains(&Step::TrustLetter) {
        text += &format!(
            "Write and issue the letter with `caseload letter --urn {} --kind academy-concern --indicator {} --issue --out FILE.pdf`, then record it with `caseload academy-concern step {} trust-letter --letter LETTER_ID`.\n",
            concern.urn,
            sheet.indicators.join(" --indicator "),
            concern.id
        );
    }
    text
}

fn reports_text(reports: &[AcademyReport]) -> String {
    if reports.is_empty() {
        return "No reports about academies are logged.\n".to_owned();
    }
    reports
        .iter()
        .map(|report| {
            let mut line = format!(
                "{}  URN {}  {}  {}: {}\n  {}\n",
                report.id,
                report.urn,
                report.received_on,
                report.kind.label(),
                report.summary,
                report.redirection
            );
            for told in &report.passed_on {
                line += &format!(
                    "  told {} ({}) on {}\n",
                    told.to.label(),
                    told.person,
                    told.on
                );
            }
            for body in report.still_to_tell() {
                line += &format!("  still to tell {}\n", body.label());
            }
            line
        })
        .collect()
}

fn vocabulary_text() -> String {
    let words = vocabulary();
    let mut text = "Grounds:\n".to_owned();
    for term in &words.grounds {
        text += &format!("  {:32} {}\n", term.id, term.label);
    }
    text += "Steps, in order:\n";
    for term in &words.steps {
        text += &format!("  {:32} {}\n", term.id, term.label);
    }
    text += "Kinds of report:\n";
    for term in &words.report_kinds {
        text += &format!("  {:32} {}\n", term.id, term.redirection);
    }
    text += "Bodies told of a safeguarding concern:\n";
    for term in &words.bodies {
        text += &format!("  {:32} {}\n", term.id, term.label);
    }
    text
}
