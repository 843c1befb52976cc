//! Academies and free schools: the authority has no direct powers over them
//! (seed 002, "Where the LA has concerns about an academy"), so it records
//! its concerns and follows a set escalation, and it passes on what others
//! raise with it.
//!
//! - [`concern`]: the authority's own concerns, with their evidence, and
//!   the escalation in the strategy's order: a meeting with the principal
//!   and the trust's chief executive, a formal letter to the chair of the
//!   trust, then referral to the funding agency, the Regional Director
//!   and/or Ofsted;
//! - [`report`]: complaints from parents and whistleblowing, logged with
//!   the redirection the strategy prescribes, and safeguarding concerns,
//!   which are reported to the Regional Director and the trust.
//!
//! Nothing here may be recorded against a maintained school: the authority
//! acts on those through its own powers (significant concerns letters,
//! warning notices), and the refusal says so.

pub mod concern;
pub mod report;

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use crate::school::{Governance, School};

pub use concern::{AcademyConcern, ConcernGround, EscalationStep, Evidence, Stage, Step};
pub use report::{AcademyReport, Body, PassedOn, ReportKind};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AcademyError {
    #[error("{school} is {governance}: this escalation is for academies and free schools, over which the authority has no direct powers{instead}")]
    NotAnAcademy {
        school: String,
        governance: &'static str,
        instead: &'static str,
    },
    #[error("a concern needs at least one ground from the strategy's list, with its evidence")]
    NoEvidence,
    #[error("the evidence for \"{0}\" is empty: say what shows it")]
    BlankEvidence(&'static str),
    #[error("{what} cannot be dated {on}, after today")]
    InFuture { what: &'static str, on: NaiveDate },
    #[error("{what} on {on} would be before the concern was raised on {raised_on}")]
    BeforeRaised {
        what: &'static str,
        on: NaiveDate,
        raised_on: NaiveDate,
    },
    #[error(
        "this concern was resolved on {0} and cannot change: raise a new concern if it returns"
    )]
    Resolved(NaiveDate),
    #[error("the {step} was already recorded, on {on}")]
    AlreadyTaken { step: &'static str, on: NaiveDate },
    #[error("the {step} comes after the {needs}: record the {needs} first")]
    OutOfOrder {
        step: &'static str,
        needs: &'static str,
    },
    #[error("record the outcome of the {needs} of {on} first: the strategy goes on to the {step} only when that did not resolve the concerns")]
    AwaitingOutcome {
        step: &'static str,
        needs: &'static str,
        on: NaiveDate,
    },
    #[error("the {step} on {on} would be before the {earlier} of {earlier_on}")]
    BeforeEarlierStep {
        step: &'static str,
        on: NaiveDate,
        earlier: &'static str,
        earlier_on: NaiveDate,
    },
    #[error("the formal letter is recorded from the issued letter itself: draft and issue a letter of concern to the trust, then record it")]
    LetterStepNeedsLetter,
    #[error("that letter is a {0}: the formal step is a letter of concern to the academy trust")]
    WrongLetterKind(&'static str),
    #[error("that letter is about another school")]
    LetterForAnotherSchool,
    #[error("that letter is still a draft: issue it first, then record it as the formal step")]
    LetterNotIssued,
    #[error("no {0} is recorded on this concern")]
    NotTaken(&'static str),
    #[error("an outcome needs its text: what was agreed or what happened")]
    BlankOutcome,
    #[error("the outcome on {on} would be before the {step} itself, on {taken_on}")]
    OutcomeBeforeStep {
        step: &'static str,
        on: NaiveDate,
        taken_on: NaiveDate,
    },
    #[error("resolving a concern needs how it was resolved")]
    BlankResolution,
    #[error("resolving on {on} would be before the last step, on {last}")]
    ResolvedBeforeLastStep { on: NaiveDate, last: NaiveDate },
    #[error("a {kind} needs a summary of what was raised")]
    BlankSummary { kind: &'static str },
    #[error("a {kind} is redirected, not reported onward: {redirection}")]
    NotPassedOn {
        kind: &'static str,
        redirection: &'static str,
    },
    #[error("say who at {0} was told")]
    BlankPerson(&'static str),
    #[error("{to} was already told, on {on}")]
    AlreadyTold { to: &'static str, on: NaiveDate },
    #[error("telling {to} on {on} would be before the concern was received on {received_on}")]
    ToldBeforeReceived {
        to: &'static str,
        on: NaiveDate,
        received_on: NaiveDate,
    },
}

/// An id and the strategy's wording for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub id: &'static str,
    pub label: &'static str,
}

/// A kind of report, with what the strategy says to do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTerm {
    pub id: &'static str,
    pub label: &'static str,
    pub redirection: &'static str,
    pub must_tell: Vec<&'static str>,
}

/// The words of this module, so the screens show the strategy's wording
/// from one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    pub grounds: Vec<Term>,
    pub steps: Vec<Term>,
    pub stages: Vec<Term>,
    pub report_kinds: Vec<ReportTerm>,
    pub bodies: Vec<Term>,
}

pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        grounds: ConcernGround::ALL
            .iter()
            .map(|g| Term {
                id: g.id(),
                label: g.label(),
            })
            .collect(),
        steps: Step::ALL
            .iter()
            .map(|s| Term {
                id: s.id(),
                label: s.label(),
            })
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|s| Term {
                id: s.id(),
                label: s.label(),
            })
            .collect(),
        report_kinds: ReportKind::ALL
            .iter()
            .map(|kind| ReportTerm {
                id: kind.id(),
                label: kind.label(),
                redirection: kind.redirection(),
                must_tell: kind.must_tell().iter().map(|body| body.id()).collect(),
            })
            .collect(),
        bodies: Body::ALL
            .iter()
            .map(|b| Term {
                id: b.id(),
                label: b.label(),
            })
            .collect(),
    }
}

/// Checks the school is an academy or free school.
pub fn check_academy(school: &School) -> Result<(), AcademyError> {
    let (governance, instead) = match school.governance() {
        Governance::Academy => return Ok(()),
        Governance::Maintained => (
            "a maintained school",
            ": raise concerns about it through a significant concerns letter or a warning notice",
        ),
        Governance::Independent => ("an independent school", ""),
        Governance::Other => ("not a school the authority supports", ""),
    };
    Err(AcademyError::NotAnAcademy {
        school: school.name.clone(),
        governance,
        instead,
    })
}

/// The item of `all` whose id is `text`; else a message listing the ids.
fn by_id<T: Copy>(
    all: &[T],
    id: impl Fn(T) -> &'static str,
    what: &str,
    text: &str,
) -> Result<T, String> {
    let text = text.trim();
    all.iter()
        .copied()
        .find(|item| id(*item) == text)
        .ok_or_else(|| {
            let known: Vec<&str> = all.iter().map(|item| id(*item)).collect();
            format!(
                "unknown {what} \"{text}\": expected one of {}",
                known.join(", ")
            )
        })
}

/// Refuses a date after `today`.
fn not_in_future(what: &'static str, on: NaiveDate, today: NaiveDate) -> Result<(), AcademyError> {
    if on > today {
        return Err(AcademyError::InFuture { what, on });
    }
    Ok(())
}

/// The text trimmed, or None when nothing is left.
fn filled(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;
    use crate::school::EstablishmentType;

    #[test]
    fn only_academies_and_free_schools_are_accepted() {
        let mut school = samples::school();
        school.establishment_type = EstablishmentType::new("Academy converter");
        assert_eq!(check_academy(&school), Ok(()));
        school.establishment_type = EstablishmentType::new("Free schools");
        assert_eq!(check_academy(&school), Ok(()));
        school.establishment_type = EstablishmentType::new("Community school");
        let refused = check_academy(&school).expect_err("maintained");
        assert!(refused.to_string().contains("is a maintained school"));
        assert!(refused.to_string().contains("warning notice"));
    }

    #[test]
    fn the_vocabulary_uses_the_ids_records_are_written_with() {
        let serde_id = |value: serde_json::Value| value.as_str().map(str::to_owned);
        let words = vocabulary();
        for (term, stage) in words.stages.iter().zip(Stage::ALL) {
            assert_eq!(serde_id(serde_json::json!(stage)).as_deref(), Some(term.id));
        }
        for (term, step) in words.steps.iter().zip(Step::ALL) {
            assert_eq!(serde_id(serde_json::json!(step)).as_deref(), Some(term.id));
        }
        for (term, ground) in words.grounds.iter().zip(ConcernGround::ALL) {
            assert_eq!(
                serde_id(serde_json::json!(ground)).as_deref(),
                Some(term.id)
            );
        }
        for (term, kind) in words.report_kinds.iter().zip(ReportKind::ALL) {
            assert_eq!(serde_id(serde_json::json!(kind)).as_deref(), Some(term.id));
        }
        for (term, body) in words.bodies.iter().zip(Body::ALL) {
            assert_eq!(serde_id(serde_json::json!(body)).as_deref(), Some(term.id));
        }
        assert_eq!(
            words.report_kinds[3].must_tell,
            ["regional-director", "trust"]
        );
    }

    /// The office accepts the records as every other type, and gives them to
    /// whoever holds the academy: no sync code of their own.
    #[test]
    fn both_records_sync_by_their_declarations_scoped_to_the_academy() {
        use crate::record::Record;
        use crate::sync::protocol::Operation;
        use crate::sync::rules::{check_operation, scope_of, Scope};
        use crate::{DeviceId, Hlc};

        fn operation<R: Record>(record: &R) -> Operation {
            let Ok(serde_json::Value::Object(mut fields)) = serde_json::to_value(record) else {
                panic!("{} is not an object", R::ENTITY.name);
            };
            let key = fields.remove(R::ENTITY.key.name).unwrap_or_default();
            Operation {
                op_id: uuid::Uuid::now_v7(),
                entity: R::ENTITY.name.to_owned(),
                key: key.as_str().unwrap_or_default().to_owned(),
                hlc: Hlc(1),
                device: DeviceId(uuid::Uuid::from_u128(1)),
                seen: 0,
                fields,
                deleted: false,
            }
        }

        let academy = samples::academy().urn;
        for op in [
            operation(&samples::academy_concern()),
            operation(&samples::academy_report()),
        ] {
            let entity = check_operation(&op).expect("a well-formed operation");
            assert_eq!(
                scope_of(entity, &op.key, &op.fields),
                Ok(Some(Scope::School(academy)))
            );
        }
    }
}
