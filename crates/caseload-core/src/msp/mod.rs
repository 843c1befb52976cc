//! Monitoring Support Partnership (MSP) groups: how the authority evaluates
//! the progress of a school in high support (seed 002, "High level of
//! support schools require intervention and support").
//!
//! - [`group`]: who sits on a group, who may chair it, when one is offered,
//!   and closing it with a reason;
//! - [`meeting`]: a meeting's attendance, agenda, confidential minutes,
//!   decisions, summary key points, and approval, after which it is frozen;
//! - [`log`]: the action log carried from meeting to meeting;
//! - [`cadence`]: meetings at least half-termly: when the next is due, a
//!   proposed date, and whether it is overdue;
//! - [`summary`]: the check that the key points for governors never repeat
//!   the confidential minutes;
//! - [`escalation`]: when concerns remain, the letters to propose;
//! - [`file`]: a write-up read from a TOML file (the CLI, the demo).
//!
//! Nothing here may let approved minutes change, or let a summary that
//! quotes the minutes through: both are refused with a message that says
//! what to do instead.

pub mod cadence;
pub mod escalation;
pub mod file;
pub mod group;
pub mod log;
pub mod meeting;
pub mod summary;

use chrono::NaiveDate;
use thiserror::Error;

use crate::action::ActionError;

pub use cadence::{cadence, Cadence};
pub use escalation::{escalation, Concern, Escalation, ProposedLetter};
pub use file::MinutesFile;
pub use group::{GroupClosure, Member, MemberRole, MspGroup, Opening};
pub use log::{ActionUpdate, LoggedAction, NewAction, Outcome};
pub use meeting::{AgendaItem, Attendee, MeetingStatus, MinutesEdit, MspMeeting, Recording};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MspError {
    #[error("{name} is a {role}: an MSP group is chaired by a Senior School Improvement Adviser or the Strategic Lead for Governance")]
    ChairRole { name: String, role: &'static str },
    #[error("{school} is {category}: an MSP group is for a school in high support")]
    NotHighSupport { school: String, category: String },
    #[error("{school} already has an open MSP group (opened on {opened_on}): close it before opening another")]
    AlreadyOpen {
        school: String,
        opened_on: NaiveDate,
    },
    #[error("the group needs {0}")]
    MissingMember(&'static str),
    #[error("member {0}: {1}")]
    BadMember(String, &'static str),
    #[error("the group was closed on {0} and cannot change")]
    Closed(NaiveDate),
    #[error("closing a group needs the reason it closes (the school left high support, became an academy, ...)")]
    NoCloseReason,
    #[error("a group cannot close on {closed} before it opened on {opened}")]
    ClosedBeforeOpened {
        closed: NaiveDate,
        opened: NaiveDate,
    },
    #[error("a meeting on {meets_on} would be before the group opened on {opened_on}")]
    BeforeOpening {
        meets_on: NaiveDate,
        opened_on: NaiveDate,
    },
    #[error("the meeting belongs to another group")]
    OtherGroup,
    #[error("{0:?} is not a member of the group: invite them first, or use a member's name as the group lists it")]
    NotMember(String),
    #[error("{0} is listed both as present and as sending apologies")]
    PresentAndApologies(String),
    #[error("the minutes of the meeting of {0} are approved and cannot change")]
    Approved(NaiveDate),
    #[error("the meeting of {0} cannot be approved: {1}")]
    Incomplete(NaiveDate, &'static str),
    #[error("minutes cannot be approved on {approved}, before the meeting of {meets_on}")]
    ApprovedBeforeMeeting {
        approved: NaiveDate,
        meets_on: NaiveDate,
    },
    #[error("the summary key points repeat the confidential minutes: \"{0}\"; reword them for the governing body")]
    SummaryQuotesMinutes(String),
    #[error("an agenda item needs a title")]
    UntitledItem,
    #[error("action \"{0}\": a reason is given only for an action dropped at the meeting (outcome = \"dropped\")")]
    ReasonWithoutDrop(String),
    #[error("action {0} is not on this meeting's action log")]
    NotOnLog(String),
    #[error("{0}")]
    Action(#[from] ActionError),
}
