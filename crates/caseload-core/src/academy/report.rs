//! What others raise with the authority about an academy, and what the
//! strategy tells the authority to do with it.
//!
//! The authority does not investigate complaints about academies: a parent
//! is advised to complain to the academy, or, if the academy delays or
//! does not follow its own procedure, to the funding agency; whistleblowing
//! is redirected to the funding agency. Each is logged with the
//! redirection given. A safeguarding concern is different: the authority
//! keeps its Children Act duties and reports the concern to the Regional
//! Director and to the trust (and, when Ofsted raised it, the outcome to
//! Ofsted), and the record says who was told and when.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{check_academy, filled, not_in_future, AcademyError};
use crate::people::AdviserId;
use crate::school::{School, Urn};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// A parent's complaint about the academy.
    ParentComplaint,
    /// A parent says the academy delayed or did not follow its own
    /// complaints procedure.
    ComplaintNotHandled,
    Whistleblowing,
    /// About the academy's safeguarding arrangements or procedures.
    Safeguarding,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::ParentComplaint,
        ReportKind::ComplaintNotHandled,
        ReportKind::Whistleblowing,
        ReportKind::Safeguarding,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ReportKind::ParentComplaint => "parent-complaint",
            ReportKind::ComplaintNotHandled => "complaint-not-handled",
            ReportKind::Whistleblowing => "whistleblowing",
            ReportKind::Safeguarding => "safeguarding",
        }
    }

    /// Lower case, to sit inside a sentence.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::ParentComplaint => "complaint from a parent",
            ReportKind::ComplaintNotHandled => {
                "complaint that the academy delayed or did not follow its complaints procedure"
            }
            ReportKind::Whistleblowing => "whistleblowing concern",
            ReportKind::Safeguarding => "safeguarding concern",
        }
    }

    /// What the strategy tells the authority to do, shown when logging and
    /// kept with the record.
    pub fn redirection(self) -> &'static str {
        match self {
            ReportKind::ParentComplaint => {
                "Advise the parent to make their complaint directly to the academy, following \
                 its complaints procedure."
            }
            ReportKind::ComplaintNotHandled => {
                "Advise the parent to contact the funding agency (the ESFA, now the Department \
                 for Education) about the academy's delay or failure to follow its own \
                 complaints procedure."
            }
            ReportKind::Whistleblowing => {
                "Redirect the whistleblower to the funding agency (the ESFA, now the Department \
                 for Education): the authority does not investigate whistleblowing about an \
                 academy."
            }
            ReportKind::Safeguarding => {
                "Report the concern to the Regional Director and to the academy's trust. If \
                 Ofsted raised it, report the outcome of the investigation to Ofsted as well."
            }
        }
    }

    /// Whom the authority must tell itself.
    pub fn must_tell(self) -> &'static [Body] {
        match self {
            ReportKind::Safeguarding => &[Body::RegionalDirector, Body::Trust],
            _ => &[],
        }
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for ReportKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        super::by_id(&ReportKind::ALL, ReportKind::id, "kind", text)
    }
}

/// A body a safeguarding concern is reported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Body {
    RegionalDirector,
    Trust,
    Ofsted,
}

impl Body {
    pub const ALL: [Body; 3] = [Body::RegionalDirector, Body::Trust, Body::Ofsted];

    pub fn id(self) -> &'static str {
        match self {
            Body::RegionalDirector => "regional-director",
            Body::Trust => "trust",
            Body::Ofsted => "ofsted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Body::RegionalDirector => "the Regional Director",
            Body::Trust => "the academy's trust",
            Body::Ofsted => "Ofsted",
        }
    }
}

impl FromStr for Body {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        super::by_id(&Body::ALL, Body::id, "body", text)
    }
}

/// Who at a body was told, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassedOn {
    pub to: Body,
    pub person: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcademyReport {
    pub id: Uuid,
    pub urn: Urn,
    pub kind: ReportKind,
    pub received_on: NaiveDate,
    pub summary: String,
    /// The redirection the strategy prescribed when it was logged.
    pub redirection: String,
    pub passed_on: Vec<PassedOn>,
    pub logged_by: Option<AdviserId>,
}

impl AcademyReport {
    /// Logs what was raised about `school`, an academy or free school, with
    /// the strategy's redirection.
    pub fn log(
        id: Uuid,
        school: &School,
        kind: ReportKind,
        received_on: NaiveDate,
        summary: &str,
        logged_by: Option<AdviserId>,
        today: NaiveDate,
    ) -> Result<AcademyReport, AcademyError> {
        check_academy(school)?;
        not_in_future("a report", received_on, today)?;
        let summary = filled(summary).ok_or(AcademyError::BlankSummary { kind: kind.label() })?;
        Ok(AcademyReport {
            id,
            urn: school.urn,
            kind,
            received_on,
            summary,
            redirection: kind.redirection().to_owned(),
            passed_on: Vec::new(),
            logged_by,
        })
    }

    /// Records that `person` at `to` was told of a safeguarding concern on `on`.
    pub fn pass_on(
        &mut self,
        to: Body,
        person: &str,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), AcademyError> {
        if self.kind != ReportKind::Safeguarding {
            return Err(AcademyError::NotPassedOn {
                kind: self.kind.label(),
                redirection: self.kind.redirection(),
            });
        }
        let person = filled(person).ok_or(AcademyError::BlankPerson(to.label()))?;
        not_in_future("telling someone", on, today)?;
        if on < self.received_on {
            return Err(AcademyError::ToldBeforeReceived {
                to: to.label(),
                on,
                received_on: self.received_on,
            });
        }
        if let Some(told) = self.passed_on.iter().find(|told| told.to == to) {
            return Err(AcademyError::AlreadyTold {
                to: to.label(),
                on: told.on,
            });
        }
        self.passed_on.push(PassedOn { to, person, on });
        Ok(())
    }

    /// The bodies the authority must still tell.
    pub fn still_to_tell(&self) -> Vec<Body> {
        self.kind
            .must_tell()
            .iter()
            .copied()
            .filter(|body| !self.passed_on.iter().any(|told| told.to == *body))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::school::EstablishmentType;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).expect("a date")
    }

    fn academy() -> School {
        School {
            establishment_type: EstablishmentType::new("Academy sponsor led"),
            ..crate::samples::school()
        }
    }

    fn logged(kind: ReportKind) -> AcademyReport {
        AcademyReport::log(
            Uuid::from_u128(1),
            &academy(),
            kind,
            day(3),
            "A parent rang about exclusions.",
            None,
            day(10),
        )
        .expect("logged")
    }

    #[test]
    fn complaints_and_whistleblowing_are_logged_with_the_strategys_redirection() {
        assert!(logged(ReportKind::ParentComplaint)
            .redirection
            .contains("directly to the academy"));
        assert!(logged(ReportKind::ComplaintNotHandled)
            .redirection
            .contains("funding agency"));
        let whistle = logged(ReportKind::Whistleblowing);
        assert!(whistle.redirection.contains("funding agency"));
        assert!(whistle.still_to_tell().is_empty());
        let mut copy = whistle.clone();
        let refused = copy
            .pass_on(Body::Trust, "Ms Dale", day(4), day(10))
            .expect_err("not passed on");
        assert!(refused
            .to_string()
            .contains("redirected, not reported onward"));
        assert_eq!(copy, whistle);
    }

    #[test]
    fn a_safeguarding_concern_is_reported_to_the_regional_director_and_the_trust() {
        let mut report = logged(ReportKind::Safeguarding);
        assert_eq!(
            report.still_to_tell(),
            [Body::RegionalDirector, Body::Trust]
        );
        report
            .pass_on(Body::RegionalDirector, "Mr Achebe", day(4), day(10))
            .expect("told");
        assert_eq!(report.still_to_tell(), [Body::Trust]);
        let again = report.pass_on(Body::RegionalDirector, "Ms Lowe", day(5), day(10));
        assert!(matches!(again, Err(AcademyError::AlreadyTold { .. })));
        assert!(matches!(
            report.pass_on(Body::Trust, "Mrs Finch", day(2), day(10)),
            Err(AcademyError::ToldBeforeReceived { .. })
        ));
        assert!(matches!(
            report.pass_on(Body::Trust, " ", day(5), day(10)),
            Err(AcademyError::BlankPerson(_))
        ));
        report
            .pass_on(Body::Trust, "Mrs Finch", day(5), day(10))
            .expect("told");
        assert!(report.still_to_tell().is_empty());
        assert_eq!(report.passed_on[1].person, "Mrs Finch");
    }

    #[test]
    fn a_report_needs_an_academy_a_summary_and_a_date_not_in_the_future() {
        let maintained = crate::samples::school();
        let kind = ReportKind::ParentComplaint;
        let log = |school: &School, on, summary| {
            AcademyReport::log(Uuid::from_u128(1), school, kind, on, summary, None, day(10))
        };
        assert!(matches!(
            log(&maintained, day(3), "x"),
            Err(AcademyError::NotAnAcademy { .. })
        ));
        assert!(matches!(
            log(&academy(), day(3), "  "),
            Err(AcademyError::BlankSummary { .. })
        ));
        assert!(matches!(
            log(&academy(), day(11), "x"),
            Err(AcademyError::InFuture { .. })
        ));
    }

    #[test]
    fn kinds_and_bodies_read_their_ids() {
        for kind in ReportKind::ALL {
            assert_eq!(kind.id().parse(), Ok(kind));
        }
        for body in Body::ALL {
            assert_eq!(body.id().parse(), Ok(body));
        }
        assert!("gossip".parse::<ReportKind>().is_err());
    }
}
