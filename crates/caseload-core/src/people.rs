//! The people around a school: the authority's advisers and the school's own
//! contacts (headteacher, governors, clerk, trust, ward councillor).

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::school::Urn;

/// A person's name as letters need it: "Dear Mrs Okafor".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonName {
    pub title: Option<String>,
    pub first_name: String,
    pub last_name: String,
}

impl PersonName {
    /// "Mrs Ada Okafor", leaving out the parts that are empty.
    pub fn full(&self) -> String {
        [
            self.title.as_deref(),
            Some(&self.first_name),
            Some(&self.last_name),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// "Mrs Okafor" for a salutation; the full name when there is no title.
    pub fn salutation(&self) -> String {
        match self.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => format!("{title} {}", self.last_name.trim()),
            _ => self.full(),
        }
    }

    /// True when neither first nor last name holds anything.
    pub fn is_blank(&self) -> bool {
        self.first_name.trim().is_empty() && self.last_name.trim().is_empty()
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full())
    }
}

/// An adviser's id: a UUIDv7, made once and the same on every replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AdviserId(pub Uuid);

impl fmt::Display for AdviserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What an adviser does for the authority, which decides what they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdviserRole {
    /// School Improvement Adviser with a caseload of linked schools.
    LinkSia,
    /// Senior SIA: sees every school and chairs MSP groups.
    SeniorSia,
    /// Strategic Lead for Governance: sees every school and chairs MSP groups.
    GovernanceLead,
    /// Office administrator: accounts and assignments, no caseload.
    Admin,
}

impl AdviserRole {
    pub fn label(self) -> &'static str {
        match self {
            AdviserRole::LinkSia => "School Improvement Adviser",
            AdviserRole::SeniorSia => "Senior School Improvement Adviser",
            AdviserRole::GovernanceLead => "Strategic Lead for Governance",
            AdviserRole::Admin => "Office administrator",
        }
    }

    /// Senior SIAs and the Strategic Lead see every school, not only their own.
    pub fn sees_every_school(self) -> bool {
        matches!(self, AdviserRole::SeniorSia | AdviserRole::GovernanceLead)
    }
}

/// One of the authority's School Improvement Advisers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adviser {
    pub id: AdviserId,
    pub name: String,
    pub email: String,
    pub role: AdviserRole,
}

/// The part a contact plays for a school, which decides who a letter goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactRole {
    Headteacher,
    ChairOfGovernors,
    ViceChairOfGovernors,
    Clerk,
    TrustCeo,
    TrustChair,
    WardCouncillor,
}

impl ContactRole {
    pub const ALL: [ContactRole; 7] = [
        ContactRole::Headteacher,
        ContactRole::ChairOfGovernors,
        ContactRole::ViceChairOfGovernors,
        ContactRole::Clerk,
        ContactRole::TrustCeo,
        ContactRole::TrustChair,
        ContactRole::WardCouncillor,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ContactRole::Headteacher => "Headteacher",
            ContactRole::ChairOfGovernors => "Chair of governors",
            ContactRole::ViceChairOfGovernors => "Vice-chair of governors",
            ContactRole::Clerk => "Clerk to governors",
            ContactRole::TrustCeo => "Trust CEO",
            ContactRole::TrustChair => "Chair of the trust",
            ContactRole::WardCouncillor => "Ward councillor",
        }
    }
}

/// A person the adviser writes to or meets about a school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Uuid,
    pub urn: Urn,
    pub role: ContactRole,
    pub name: PersonName,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Postal address when it is not the school's (a councillor, a trust).
    pub address: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(title: Option<&str>, first: &str, last: &str) -> PersonName {
        PersonName {
            title: title.map(str::to_owned),
            first_name: first.to_owned(),
            last_name: last.to_owned(),
        }
    }

    #[test]
    fn names_read_as_a_letter_needs_them() {
        let head = name(Some("Mrs"), "Zoë", "O’Connor");
        assert_eq!(head.full(), "Mrs Zoë O’Connor");
        assert_eq!(head.salutation(), "Mrs O’Connor");
        let untitled = name(None, "Sam", "Lee");
        assert_eq!(untitled.salutation(), "Sam Lee");
        assert_eq!(name(Some(" "), "", "Lee").full(), "Lee");
        assert!(name(None, " ", "").is_blank());
    }

    #[test]
    fn only_senior_roles_see_every_school() {
        assert!(AdviserRole::SeniorSia.sees_every_school());
        assert!(AdviserRole::GovernanceLead.sees_every_school());
        assert!(!AdviserRole::LinkSia.sees_every_school());
        assert!(!AdviserRole::Admin.sees_every_school());
    }
}
