//! The terms of a formal warning notice under section 60 of the Education
//! and Inspections Act 2006: why it is given, how long the governing body
//! has, and what the authority is minded to do if it does not comply.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The grounds section 60 allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ground {
    LowStandards,
    ManagementBreakdown,
    SafetyThreat,
}

impl Ground {
    pub fn statement(self) -> &'static str {
        match self {
            Ground::LowStandards => {
                "the standards of performance of pupils at the school are unacceptably low, and are likely to remain so unless the authority exercises its powers"
            }
            Ground::ManagementBreakdown => {
                "there has been a serious breakdown in the way the school is managed or governed which is prejudicing, or likely to prejudice, such standards of performance"
            }
            Ground::SafetyThreat => {
                "the safety of pupils or staff of the school is threatened, whether by a breakdown of discipline or otherwise"
            }
        }
    }
}

/// The powers the authority may use if the notice is not complied with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Power {
    /// Section 64: appoint additional governors.
    AdditionalGovernors,
    /// Section 65: replace the governing body with an interim executive board.
    InterimExecutiveBoard,
    /// Section 66: suspend the right to a delegated budget.
    SuspendDelegatedBudget,
}

impl Power {
    pub fn statement(self) -> &'static str {
        match self {
            Power::AdditionalGovernors => {
                "appoint additional governors (section 64 of the Act)"
            }
            Power::InterimExecutiveBoard => {
                "apply to the Secretary of State to replace the governing body with an interim executive board (section 65)"
            }
            Power::SuspendDelegatedBudget => {
                "suspend the governing body's right to a delegated budget (section 66)"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningTerms {
    pub ground: Ground,
    /// Working days the governing body has to comply; the Act asks for a
    /// period the authority sets, and statutory guidance suggests at least 15.
    pub compliance_days: u16,
    pub minded_to: Vec<Power>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TermsError {
    #[error("the compliance period must be at least one working day")]
    NoComplianceDays,
    #[error("a warning notice must say which powers the authority is minded to use")]
    NoPowers,
}

impl WarningTerms {
    /// The last day to comply for a notice given on `given`: the compliance
    /// period counts working days, Monday to Friday.
    pub fn comply_by(&self, given: NaiveDate) -> NaiveDate {
        let mut day = given;
        let mut left = self.compliance_days;
        while left > 0 {
            day = day.succ_opt().unwrap_or(day);
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        day
    }

    pub fn check(&self) -> Result<(), TermsError> {
        if self.compliance_days == 0 {
            return Err(TermsError::NoComplianceDays);
        }
        if self.minded_to.is_empty() {
            return Err(TermsError::NoPowers);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compliance_period_counts_working_days() {
        let terms = WarningTerms {
            ground: Ground::LowStandards,
            compliance_days: 15,
            minded_to: vec![Power::AdditionalGovernors],
        };
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        assert_eq!(
            terms.comply_by(monday),
            NaiveDate::from_ymd_opt(2026, 12, 14).expect("date")
        );
        let friday = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let one_day = WarningTerms {
            compliance_days: 1,
            ..terms
        };
        assert_eq!(
            one_day.comply_by(friday),
            NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")
        );
    }
}
