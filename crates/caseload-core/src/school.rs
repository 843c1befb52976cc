//! Schools as the DfE's "Get Information about Schools" (GIAS) describes
//! them, and what the authority may do about each: its powers depend on
//! whether it maintains the school.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::people::{AdviserId, PersonName};

/// Unique Reference Number: the national identifier of an establishment.
/// It is the same on every replica, so schools are keyed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Urn(pub u32);

impl fmt::Display for Urn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Urn {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        match text.parse::<u32>() {
            Ok(0) => Err("a URN cannot be 0".to_owned()),
            Ok(value) => Ok(Urn(value)),
            Err(_) => Err(format!("{text:?} is not a URN (a whole number)")),
        }
    }
}

/// The three-digit code of a local authority (for example 874). GIAS gives
/// 000 ("Does not apply") to establishments outside any authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LaCode(pub u16);

impl fmt::Display for LaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

impl LaCode {
    /// A code from a number, which must have at most three digits.
    pub fn new(code: u16) -> Result<LaCode, String> {
        if code <= 999 {
            Ok(LaCode(code))
        } else {
            Err(format!("{code} is not a local authority code (000 to 999)"))
        }
    }
}

impl FromStr for LaCode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        match text.parse::<u16>().map(LaCode::new) {
            Ok(Ok(code)) => Ok(code),
            _ => Err(format!(
                "{text:?} is not a local authority code (000 to 999)"
            )),
        }
    }
}

/// Phase of education, as GIAS names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Nursery,
    Primary,
    MiddleDeemedPrimary,
    Secondary,
    MiddleDeemedSecondary,
    SixteenPlus,
    AllThrough,
    NotApplicable,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Nursery,
        Phase::Primary,
        Phase::MiddleDeemedPrimary,
        Phase::Secondary,
        Phase::MiddleDeemedSecondary,
        Phase::SixteenPlus,
        Phase::AllThrough,
        Phase::NotApplicable,
    ];

    /// The wording GIAS uses in `PhaseOfEducation (name)`.
    pub fn gias_name(self) -> &'static str {
        match self {
            Phase::Nursery => "Nursery",
            Phase::Primary => "Primary",
            Phase::MiddleDeemedPrimary => "Middle deemed primary",
            Phase::Secondary => "Secondary",
            Phase::MiddleDeemedSecondary => "Middle deemed secondary",
            Phase::SixteenPlus => "16 plus",
            Phase::AllThrough => "All-through",
            Phase::NotApplicable => "Not applicable",
        }
    }

    /// Reads the GIAS wording, ignoring case and surrounding space.
    pub fn from_gias(text: &str) -> Option<Phase> {
        let text = text.trim();
        Phase::ALL
            .into_iter()
            .find(|phase| phase.gias_name().eq_ignore_ascii_case(text))
    }
}

/// Whether the school is open, as GIAS records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolStatus {
    Open,
    OpenProposedToClose,
    ProposedToOpen,
    Closed,
}

impl SchoolStatus {
    pub fn from_gias(text: &str) -> Option<SchoolStatus> {
        match text.trim().to_ascii_lowercase().as_str() {
            "open" => Some(SchoolStatus::Open),
            "open, but proposed to close" => Some(SchoolStatus::OpenProposedToClose),
            "proposed to open" => Some(SchoolStatus::ProposedToOpen),
            "closed" => Some(SchoolStatus::Closed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SchoolStatus::Open => "Open",
            SchoolStatus::OpenProposedToClose => "Open, proposed to close",
            SchoolStatus::ProposedToOpen => "Proposed to open",
            SchoolStatus::Closed => "Closed",
        }
    }

    /// Closed schools are kept for their history but no adviser works with them.
    pub fn is_closed(self) -> bool {
        self == SchoolStatus::Closed
    }
}

/// Who runs a school, which decides the authority's powers over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Governance {
    /// Maintained by the local authority: the authority may issue warning
    /// notices and intervene directly.
    Maintained,
    /// Academies and free schools, run by a trust: the authority raises
    /// concerns and escalates, but has no direct powers.
    Academy,
    /// Independent and non-maintained schools.
    Independent,
    /// Everything else GIAS lists (colleges, secure units, overseas schools...).
    Other,
}

/// The establishment type exactly as GIAS words it (`TypeOfEstablishment (name)`),
/// kept verbatim so nothing is lost; its [`Governance`] is derived from it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EstablishmentType(pub String);

/// GIAS types the authority maintains. Foundation special schools and pupil
/// referral units are maintained by the authority too, so they are listed.
const MAINTAINED_TYPES: &[&str] = &[
    "community school",
    "voluntary aided school",
    "voluntary controlled school",
    "foundation school",
    "community special school",
    "foundation special school",
    "la nursery school",
    "local authority nursery school",
    "pupil referral unit",
];

const INDEPENDENT_TYPES: &[&str] = &[
    "other independent school",
    "other independent special school",
    "non-maintained special school",
    "city technology college",
];

impl EstablishmentType {
    pub fn new(name: impl Into<String>) -> Self {
        EstablishmentType(name.into().trim().to_owned())
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    pub fn governance(&self) -> Governance {
        // Compared without an allocated lower-case copy: the authority-wide
        // view asks this of every school several times.
        let name = self.0.as_str();
        let is = |types: &[&str]| types.iter().any(|kind| kind.eq_ignore_ascii_case(name));
        let starts = |prefix: &str| {
            name.get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        };
        if is(MAINTAINED_TYPES) {
            Governance::Maintained
        } else if starts("academy")
            || starts("free school")
            || is(&["studio schools", "university technical college"])
        {
            Governance::Academy
        } else if is(INDEPENDENT_TYPES) {
            Governance::Independent
        } else {
            Governance::Other
        }
    }
}

/// An establishment on the authority's list.
///
/// Most fields come from GIAS and are refreshed by each import
/// ([`School::GIAS_FIELDS`]); `link_sia` is the authority's own decision and
/// an import never touches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct School {
    pub urn: Urn,
    pub la_code: LaCode,
    pub name: String,
    pub phase: Phase,
    pub establishment_type: EstablishmentType,
    pub status: SchoolStatus,
    pub trust: Option<String>,
    pub street: Option<String>,
    pub locality: Option<String>,
    pub town: Option<String>,
    pub postcode: Option<String>,
    pub ward: Option<String>,
    pub headteacher: Option<PersonName>,
    pub telephone: Option<String>,
    pub website: Option<String>,
    pub pupils: Option<u32>,
    pub percentage_fsm: Option<f64>,
    pub open_date: Option<NaiveDate>,
    pub close_date: Option<NaiveDate>,
    /// The school's named School Improvement Adviser.
    pub link_sia: Option<AdviserId>,
}

impl School {
    /// The fields a GIAS import owns: it writes these and nothing else.
    pub const GIAS_FIELDS: &'static [&'static str] = &[
        "la_code",
        "name",
        "phase",
        "establishment_type",
        "status",
        "trust",
        "street",
        "locality",
        "town",
        "postcode",
        "ward",
        "headteacher",
        "telephone",
        "website",
        "pupils",
        "percentage_fsm",
        "open_date",
        "close_date",
    ];

    pub fn maintained(&self) -> bool {
        self.establishment_type.governance() == Governance::Maintained
    }

    pub fn governance(&self) -> Governance {
        self.establishment_type.governance()
    }

    /// Closed schools stay in the store but never in anyone's caseload.
    pub fn in_caseload(&self) -> bool {
        !self.status.is_closed()
    }

    /// The postal address, one line per part, for letters and the profile.
    pub fn address_lines(&self) -> Vec<&str> {
        [&self.street, &self.locality, &self.town, &self.postcode]
            .into_iter()
            .filter_map(|part| part.as_deref())
            .filter(|part| !part.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_the_strategy_names_are_maintained() {
        for name in [
            "Community school",
            "Voluntary aided school",
            "Voluntary controlled school",
            "Foundation school",
            "Community special school",
            "LA nursery school",
        ] {
            assert_eq!(
                EstablishmentType::new(name).governance(),
                Governance::Maintained,
                "{name}"
            );
        }
    }

    #[test]
    fn academies_and_free_schools_are_not_maintained() {
        for name in [
            "Academy converter",
            "Academy sponsor led",
            "Academy special converter",
            "Academy alternative provision sponsor led",
            "Free schools",
            "Free schools special",
            "Free schools 16 to 19",
            "Studio schools",
            "University technical college",
        ] {
            assert_eq!(
                EstablishmentType::new(name).governance(),
                Governance::Academy,
                "{name}"
            );
        }
        assert_eq!(
            EstablishmentType::new("Other independent school").governance(),
            Governance::Independent
        );
        assert_eq!(
            EstablishmentType::new("Further education").governance(),
            Governance::Other
        );
    }

    #[test]
    fn urns_must_be_positive_whole_numbers() {
        assert_eq!("110234".parse::<Urn>(), Ok(Urn(110234)));
        assert_eq!(" 42 ".parse::<Urn>(), Ok(Urn(42)));
        assert!("0".parse::<Urn>().is_err());
        assert!("12a".parse::<Urn>().is_err());
        assert!("".parse::<Urn>().is_err());
        assert!("-5".parse::<Urn>().is_err());
    }

    #[test]
    fn la_codes_print_with_three_digits() {
        assert_eq!(
            "874".parse::<LaCode>().map(|c| c.to_string()),
            Ok("874".into())
        );
        assert_eq!(LaCode(93).to_string(), "093");
        assert_eq!("000".parse::<LaCode>(), Ok(LaCode(0)));
        assert_eq!(
            LaCode::new(1000),
            Err("1000 is not a local authority code (000 to 999)".to_owned())
        );
        assert!("1000".parse::<LaCode>().is_err());
    }

    #[test]
    fn phases_and_statuses_read_gias_wording() {
        assert_eq!(
            Phase::from_gias("middle deemed primary"),
            Some(Phase::MiddleDeemedPrimary)
        );
        assert_eq!(Phase::from_gias("16 plus"), Some(Phase::SixteenPlus));
        assert_eq!(Phase::from_gias("Kindergarten"), None);
        assert_eq!(
            SchoolStatus::from_gias("Open, but proposed to close"),
            Some(SchoolStatus::OpenProposedToClose)
        );
        assert!(SchoolStatus::from_gias("Closed").is_some_and(SchoolStatus::is_closed));
    }
}
