//! The kinds of letter and document the strategy asks advisers to send.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::school::Governance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LetterKind {
    Congratulations,
    SignificantConcerns,
    /// Under section 60 of the Education and Inspections Act 2006.
    WarningNotice,
    /// To the chair of an academy trust.
    AcademyConcern,
    VisitNote,
    /// Alert to the elected members of the school's ward.
    MemberAlert,
    /// The school's data against LA and England, for governors.
    SchoolOnAPage,
}

impl LetterKind {
    pub const ALL: [LetterKind; 7] = [
        LetterKind::Congratulations,
        LetterKind::SignificantConcerns,
        LetterKind::WarningNotice,
        LetterKind::AcademyConcern,
        LetterKind::VisitNote,
        LetterKind::MemberAlert,
        LetterKind::SchoolOnAPage,
    ];

    /// The kebab-case name the CLI, templates and records use.
    pub fn id(self) -> &'static str {
        match self {
            LetterKind::Congratulations => "congratulations",
            LetterKind::SignificantConcerns => "significant-concerns",
            LetterKind::WarningNotice => "warning-notice",
            LetterKind::AcademyConcern => "academy-concern",
            LetterKind::VisitNote => "visit-note",
            LetterKind::MemberAlert => "member-alert",
            LetterKind::SchoolOnAPage => "school-on-a-page",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Congratulations => "congratulations letter",
            LetterKind::SignificantConcerns => "significant concerns letter",
            LetterKind::WarningNotice => "formal warning notice",
            LetterKind::AcademyConcern => "letter of concern to the academy trust",
            LetterKind::VisitNote => "note of visit",
            LetterKind::MemberAlert => "alert to ward members",
            LetterKind::SchoolOnAPage => "school on a page",
        }
    }

    /// Which schools the kind may be sent about: the authority's statutory
    /// letters go to maintained schools; for academies it writes to the trust.
    pub fn suits(self, governance: Governance) -> bool {
        match self {
            LetterKind::SignificantConcerns | LetterKind::WarningNotice => {
                governance == Governance::Maintained
            }
            LetterKind::AcademyConcern => governance == Governance::Academy,
            _ => matches!(governance, Governance::Maintained | Governance::Academy),
        }
    }

    /// Headings the body must keep for the letter to do its legal job.
    pub fn required_sections(self) -> &'static [&'static str] {
        match self {
            LetterKind::WarningNotice => &[
                "Ground for this notice",
                "The matters on which this conclusion is based",
                "Action the governing body must take",
                "Compliance period",
                "If the governing body does not comply",
            ],
            _ => &[],
        }
    }

    /// Bodies a copy must go to, by a word their name contains.
    pub fn required_copies(self) -> &'static [&'static str] {
        match self {
            LetterKind::WarningNotice => &["Ofsted"],
            _ => &[],
        }
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for LetterKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        LetterKind::ALL
            .into_iter()
            .find(|kind| kind.id() == text)
            .ok_or_else(|| {
                let known: Vec<_> = LetterKind::ALL.iter().map(|kind| kind.id()).collect();
                format!(
                    "unknown letter kind \"{text}\": expected one of {}",
                    known.join(", ")
                )
            })
    }
}
