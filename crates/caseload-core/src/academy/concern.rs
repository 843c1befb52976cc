//! The authority's own concerns about an academy, and their escalation.
//!
//! A concern is raised on one or more of the strategy's grounds, each with
//! its evidence. The escalation then runs in the strategy's order:
//!
//! 1. a meeting with the principal and the trust's chief executive;
//! 2. if that does not resolve the concerns, a formal letter to the chair
//!    of the trust (an issued letter of concern, from the letters engine);
//! 3. if that does not lead to a satisfactory conclusion, referral to the
//!    funding agency, the Regional Director and/or Ofsted, in any order.
//!
//! Each step is dated and later given its dated outcome; the next stage is
//! refused until the outcome of the one before is recorded, since the
//! strategy moves on only when a step did not resolve the concerns. A
//! resolved concern never changes again.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{check_academy, filled, not_in_future, AcademyError};
use crate::letter::{Letter, LetterKind, LetterStatus};
use crate::people::AdviserId;
use crate::school::{School, Urn};

/// The grounds seed 002 lists for the authority's concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConcernGround {
    DecliningPerformance,
    HighAbsence,
    HighExclusions,
    DisadvantagedUnderperformance,
    ReluctanceToAdmit,
    BehaviourAndSafety,
    LeadershipBreakdown,
    RefusalToEngage,
    InadequateProgress,
    OfstedDrop,
}

impl ConcernGround {
    pub const ALL: [ConcernGround; 10] = [
        ConcernGround::DecliningPerformance,
        ConcernGround::HighAbsence,
        ConcernGround::HighExclusions,
        ConcernGround::DisadvantagedUnderperformance,
        ConcernGround::ReluctanceToAdmit,
        ConcernGround::BehaviourAndSafety,
        ConcernGround::LeadershipBreakdown,
        ConcernGround::RefusalToEngage,
        ConcernGround::InadequateProgress,
        ConcernGround::OfstedDrop,
    ];

    /// The kebab-case name the CLI and records use.
    pub fn id(self) -> &'static str {
        match self {
            ConcernGround::DecliningPerformance => "declining-performance",
            ConcernGround::HighAbsence => "high-absence",
            ConcernGround::HighExclusions => "high-exclusions",
            ConcernGround::DisadvantagedUnderperformance => "disadvantaged-underperformance",
            ConcernGround::ReluctanceToAdmit => "reluctance-to-admit",
            ConcernGround::BehaviourAndSafety => "behaviour-and-safety",
            ConcernGround::LeadershipBreakdown => "leadership-breakdown",
            ConcernGround::RefusalToEngage => "refusal-to-engage",
            ConcernGround::InadequateProgress => "inadequate-progress",
            ConcernGround::OfstedDrop => "ofsted-drop",
        }
    }

    /// The strategy's wording.
    pub fn label(self) -> &'static str {
        match self {
            ConcernGround::DecliningPerformance => "Declining trend in pupil performance",
            ConcernGround::HighAbsence => "High absence or persistent absence",
            ConcernGround::HighExclusions => "High exclusions",
            ConcernGround::DisadvantagedUnderperformance => {
                "Persistent underperformance of disadvantaged groups"
            }
            ConcernGround::ReluctanceToAdmit => {
                "Continued reluctance to admit, or provide for, disadvantaged groups"
            }
            ConcernGround::BehaviourAndSafety => "Behaviour and/or safety",
            ConcernGround::LeadershipBreakdown => {
                "Evidence of a breakdown in leadership or management"
            }
            ConcernGround::RefusalToEngage => "Refusal to engage with the LA",
            ConcernGround::InadequateProgress => "Inadequate progress towards becoming good",
            ConcernGround::OfstedDrop => "A drop in Ofsted rating",
        }
    }

    /// The letters catalogue's indicator for this ground
    /// (`assets/letters/indicators.toml`): the letter to the chair of the
    /// trust cites the concern's grounds through these.
    pub fn indicator(self) -> &'static str {
        match self {
            ConcernGround::DecliningPerformance => "academy-declining-performance",
            ConcernGround::HighAbsence => "academy-absence",
            ConcernGround::HighExclusions => "academy-exclusions",
            ConcernGround::DisadvantagedUnderperformance => "academy-disadvantaged",
            ConcernGround::ReluctanceToAdmit => "academy-admissions",
            ConcernGround::BehaviourAndSafety => "academy-behaviour-safety",
            ConcernGround::LeadershipBreakdown => "academy-leadership",
            ConcernGround::RefusalToEngage => "academy-refusal-to-engage",
            ConcernGround::InadequateProgress => "academy-inadequate-progress",
            ConcernGround::OfstedDrop => "academy-ofsted-drop",
        }
    }
}

impl fmt::Display for ConcernGround {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for ConcernGround {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        super::by_id(&ConcernGround::ALL, ConcernGround::id, "ground", text)
    }
}

/// One ground of a concern and what shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub ground: ConcernGround,
    pub text: String,
    pub noted_on: NaiveDate,
}

/// The steps of the escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Meeting,
    TrustLetter,
    FundingAgency,
    RegionalDirector,
    Ofsted,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Meeting,
        Step::TrustLetter,
        Step::FundingAgency,
        Step::RegionalDirector,
        Step::Ofsted,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Step::Meeting => "meeting",
            Step::TrustLetter => "trust-letter",
            Step::FundingAgency => "funding-agency",
            Step::RegionalDirector => "regional-director",
            Step::Ofsted => "ofsted",
        }
    }

    /// Lower case, to sit inside a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Step::Meeting => "meeting with the principal and the trust's chief executive",
            Step::TrustLetter => "formal letter to the chair of the trust",
            Step::FundingAgency => "referral to the funding agency (ESFA, now the DfE)",
            Step::RegionalDirector => "referral to the Regional Director (formerly the RSC)",
            Step::Ofsted => "referral to Ofsted",
        }
    }

    /// The step whose outcome must be known before this one: the strategy
    /// escalates only when the step before did not resolve the concerns.
    pub fn after(self) -> Option<Step> {
        match self {
            Step::Meeting => None,
            Step::TrustLetter => Some(Step::Meeting),
            Step::FundingAgency | Step::RegionalDirector | Step::Ofsted => Some(Step::TrustLetter),
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Step {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        super::by_id(&Step::ALL, Step::id, "step", text)
    }
}

/// What came of a step, and when it was known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub on: NaiveDate,
    pub text: String,
}

/// A step taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationStep {
    pub step: Step,
    pub taken_on: NaiveDate,
    /// Who was met, what was sent, to whom the referral went.
    pub note: String,
    pub outcome: Option<Outcome>,
    /// For the formal letter: the issued letter of concern.
    pub letter: Option<Uuid>,
}

/// How a concern ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub on: NaiveDate,
    pub how: String,
}

/// How far a concern has gone, for lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Raised,
    Meeting,
    TrustLetter,
    Referred,
    Resolved,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Raised,
        Stage::Meeting,
        Stage::TrustLetter,
        Stage::Referred,
        Stage::Resolved,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Stage::Raised => "raised",
            Stage::Meeting => "meeting",
            Stage::TrustLetter => "trust-letter",
            Stage::Referred => "referred",
            Stage::Resolved => "resolved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Raised => "Raised",
            Stage::Meeting => "Meeting held",
            Stage::TrustLetter => "Letter to the trust",
            Stage::Referred => "Referred",
            Stage::Resolved => "Resolved",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcademyConcern {
    pub id: Uuid,
    pub urn: Urn,
    pub raised_on: NaiveDate,
    pub raised_by: Option<AdviserId>,
    pub evidence: Vec<Evidence>,
    /// In the order taken, which is the strategy's order.
    pub steps: Vec<EscalationStep>,
    pub resolved: Option<Resolution>,
}

impl AcademyConcern {
    /// Raises a concern about `school`, an academy or free school, on the
    /// grounds given with their evidence.
    pub fn raise(
        id: Uuid,
        school: &School,
        raised_by: Option<AdviserId>,
        raised_on: NaiveDate,
        grounds: &[(ConcernGround, String)],
        today: NaiveDate,
    ) -> Result<AcademyConcern, AcademyError> {
        check_academy(school)?;
        not_in_future("a concern", raised_on, today)?;
        if grounds.is_empty() {
            return Err(AcademyError::NoEvidence);
        }
        let evidence = grounds
            .iter()
            .map(|(ground, text)| evidence(*ground, text, raised_on))
            .collect::<Result<_, _>>()?;
        Ok(AcademyConcern {
            id,
            urn: school.urn,
            raised_on,
            raised_by,
            evidence,
            steps: Vec::new(),
            resolved: None,
        })
    }

    /// Adds evidence on a ground, new or already recorded.
    pub fn add_evidence(
        &mut self,
        ground: ConcernGround,
        text: &str,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), AcademyError> {
        self.check_open()?;
        self.check_date("evidence", on, today)?;
        self.evidence.push(evidence(ground, text, on)?);
        Ok(())
    }

    /// The grounds raised, each once, in the strategy's order.
    pub fn grounds(&self) -> Vec<ConcernGround> {
        ConcernGround::ALL
            .into_iter()
            .filter(|ground| self.evidence.iter().any(|e| e.ground == *ground))
            .collect()
    }

    /// The catalogue indicators the letter to the chair of the trust cites.
    pub fn indicators(&self) -> Vec<String> {
        self.grounds()
            .into_iter()
            .map(|ground| ground.indicator().to_owned())
            .collect()
    }

    /// Records a meeting or a referral taken on `on`. The formal letter is
    /// recorded from the letter itself ([`AcademyConcern::record_letter`]).
    pub fn take_step(
        &mut self,
        step: Step,
        on: NaiveDate,
        note: &str,
        today: NaiveDate,
    ) -> Result<(), AcademyError> {
        if step == Step::TrustLetter {
            return Err(AcademyError::LetterStepNeedsLetter);
        }
        self.check_next(step, on, today)?;
        self.push_step(step, on, note, None);
        Ok(())
    }

    /// Records the issued letter of concern to the trust as the formal step,
    /// taken on the day the letter is dated.
    pub fn record_letter(&mut self, letter: &Letter, today: NaiveDate) -> Result<(), AcademyError> {
        if letter.kind != LetterKind::AcademyConcern {
            return Err(AcademyError::WrongLetterKind(letter.kind.label()));
        }
        if letter.urn != self.urn {
            return Err(AcademyError::LetterForAnotherSchool);
        }
        if letter.status != LetterStatus::Issued {
            return Err(AcademyError::LetterNotIssued);
        }
        self.check_next(Step::TrustLetter, letter.dated, today)?;
        let note = format!("{} ({})", letter.subject, letter.reference);
        self.push_step(Step::TrustLetter, letter.dated, &note, Some(letter.id));
        Ok(())
    }

    /// Records what came of a step taken.
    pub fn record_outcome(
        &mut self,
        step: Step,
        on: NaiveDate,
        text: &str,
        today: NaiveDate,
    ) -> Result<(), AcademyError> {
        self.check_open()?;
        not_in_future("an outcome", on, today)?;
        let text = filled(text).ok_or(AcademyError::BlankOutcome)?;
        let taken = self
            .steps
            .iter_mut()
            .find(|taken| taken.step == step)
            .ok_or(AcademyError::NotTaken(step.label()))?;
        if on < taken.taken_on {
            return Err(AcademyError::OutcomeBeforeStep {
                step: step.label(),
                on,
                taken_on: taken.taken_on,
            });
        }
        taken.outcome = Some(Outcome { on, text });
        Ok(())
    }

    /// Closes the concern as resolved: it never changes again.
    pub fn resolve(
        &mut self,
        on: NaiveDate,
        how: &str,
        today: NaiveDate,
    ) -> Result<(), AcademyError> {
        self.check_open()?;
        self.check_date("resolving", on, today)?;
        let how = filled(how).ok_or(AcademyError::BlankResolution)?;
        if let Some(last) = self.steps.iter().map(|taken| taken.taken_on).max() {
            if on < last {
                return Err(AcademyError::ResolvedBeforeLastStep { on, last });
            }
        }
        self.resolved = Some(Resolution { on, how });
        Ok(())
    }

    pub fn step(&self, step: Step) -> Option<&EscalationStep> {
        self.steps.iter().find(|taken| taken.step == step)
    }

    pub fn stage(&self) -> Stage {
        if self.resolved.is_some() {
            return Stage::Resolved;
        }
        match self.steps.iter().map(|taken| taken.step).max() {
            None => Stage::Raised,
            Some(Step::Meeting) => Stage::Meeting,
            Some(Step::TrustLetter) => Stage::TrustLetter,
            Some(_) => Stage::Referred,
        }
    }

    /// The steps the escalation allows now, in the strategy's order.
    pub fn next_steps(&self) -> Vec<Step> {
        Step::ALL
            .into_iter()
            .filter(|step| self.check_order(*step).is_ok())
            .collect()
    }

    fn check_open(&self) -> Result<(), AcademyError> {
        match &self.resolved {
            Some(resolution) => Err(AcademyError::Resolved(resolution.on)),
            None => Ok(()),
        }
    }

    fn check_date(
        &self,
        what: &'static str,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), AcademyError> {
        not_in_future(what, on, today)?;
        if on < self.raised_on {
            return Err(AcademyError::BeforeRaised {
                what,
                on,
                raised_on: self.raised_on,
            });
        }
        Ok(())
    }

    /// Whether `step` may be taken now, whatever its date.
    fn check_order(&self, step: Step) -> Result<(), AcademyError> {
        self.check_open()?;
        if let Some(taken) = self.step(step) {
            return Err(AcademyError::AlreadyTaken {
                step: step.label(),
                on: taken.taken_on,
            });
        }
        let Some(needs) = step.after() else {
            return Ok(());
        };
        match self.step(needs) {
            None => Err(AcademyError::OutOfOrder {
                step: step.label(),
                needs: needs.label(),
            }),
            Some(EscalationStep {
                outcome: None,
                taken_on,
                ..
            }) => Err(AcademyError::AwaitingOutcome {
                step: step.label(),
                needs: needs.label(),
                on: *taken_on,
            }),
            Some(_) => Ok(()),
        }
    }

    fn check_next(&self, step: Step, on: NaiveDate, today: NaiveDate) -> Result<(), AcademyError> {
        self.check_order(step)?;
        self.check_date("a step", on, today)?;
        if let Some(earlier) = step.after().and_then(|needs| self.step(needs)) {
            if on < earlier.taken_on {
                return Err(AcademyError::BeforeEarlierStep {
                    step: step.label(),
                    on,
                    earlier: earlier.step.label(),
                    earlier_on: earlier.taken_on,
                });
            }
        }
        Ok(())
    }

    fn push_step(&mut self, step: Step, on: NaiveDate, note: &str, letter: Option<Uuid>) {
        self.steps.push(EscalationStep {
            step,
            taken_on: on,
            note: note.trim().to_owned(),
            outcome: None,
            letter,
        });
    }
}

fn evidence(ground: ConcernGround, text: &str, on: NaiveDate) -> Result<Evidence, AcademyError> {
    Ok(Evidence {
        ground,
        text: filled(text).ok_or(AcademyError::BlankEvidence(ground.label()))?,
        noted_on: on,
    })
}

#[cfg(test)]
#[path = "concern_tests.rs"]
mod tests;
