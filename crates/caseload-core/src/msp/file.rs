//! A meeting's write-up as a TOML file, for `caseload msp minutes --file`
//! and for the demo caseload's meetings:
//!
//! ```toml
//! place = "Northgate Primary School, the library"      # optional
//! attendees = ["Margaret Okonjo", "Mr Kwame Mensah"]  # members, by name or id
//! apologies = ["Mr Geoffrey Lambert"]
//! concerns_remain = false
//! decisions = ["Refocus the English support on early reading."]
//! summary = """The key points for the governing body, in their own words."""
//!
//! [[item]]                        # an agenda item's minutes, by its title
//! title = "Impact of leaders' actions"
//! minutes = """..."""
//!
//! [[action]]                      # an action on the log, by id or exact text
//! action = "Publish a curriculum map for every subject"
//! rag = "red"                     # red | amber | green
//! due_on = 2026-12-11             # a new due date; also owner = "..."
//! outcome = "dropped"             # done | dropped (with reason = "...")
//!
//! [[new_action]]                  # agreed at the meeting
//! text = "..."
//! owner = "..."
//! due_on = 2027-01-29
//! rag = "amber"                   # amber unless given
//! ```
//!
//! What the file leaves out stays as it was. Unknown keys are refused, so
//! a misspelt `apologeis` is an error, not a silent blank.

use serde::Deserialize;

use super::log::{ActionUpdate, NewAction, Outcome};
use super::meeting::{AgendaItem, MinutesEdit};
use super::MspError;
use crate::action::{Action, Rag};
use crate::toml_date::TomlDate;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesFile {
    pub place: Option<String>,
    pub attendees: Option<Vec<String>>,
    pub apologies: Option<Vec<String>>,
    pub concerns_remain: Option<bool>,
    pub decisions: Option<Vec<String>>,
    pub summary: Option<String>,
    #[serde(default)]
    pub item: Vec<AgendaItem>,
    #[serde(default)]
    pub action: Vec<FileActionUpdate>,
    #[serde(default)]
    pub new_action: Vec<FileNewAction>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileActionUpdate {
    /// The action's id, or its text exactly (in any case).
    pub action: String,
    pub rag: Option<Rag>,
    pub owner: Option<String>,
    pub due_on: Option<TomlDate>,
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileNewAction {
    pub text: String,
    pub owner: String,
    pub due_on: TomlDate,
    pub rag: Option<Rag>,
}

impl MinutesFile {
    /// Reads a minutes file; the error names the line and the key.
    pub fn parse(text: &str) -> Result<MinutesFile, String> {
        toml::from_str(text).map_err(|error| error.to_string())
    }

    /// The write-up, or None when the file holds only action decisions.
    pub fn edit(&self) -> Option<MinutesEdit> {
        let edit = MinutesEdit {
            place: self.place.clone(),
            attendees: self.attendees.clone(),
            apologies: self.apologies.clone(),
            items: self.item.clone(),
            decisions: self.decisions.clone(),
            concerns_remain: self.concerns_remain,
            summary: self.summary.clone(),
        };
        (edit != MinutesEdit::default()).then_some(edit)
    }

    /// The action decisions, each action found among `actions` (the
    /// school's) by id or by its exact text.
    pub fn updates(&self, actions: &[Action]) -> Result<Vec<ActionUpdate>, MspError> {
        self.action
            .iter()
            .map(|update| {
                Ok(ActionUpdate {
                    action: find_action(&update.action, actions)?.id,
                    rag: update.rag,
                    owner: update.owner.clone(),
                    due_on: update.due_on.map(|date| date.0),
                    outcome: update.outcome,
                    reason: update.reason.clone(),
                })
            })
            .collect()
    }

    pub fn new_actions(&self) -> Vec<NewAction> {
        self.new_action
            .iter()
            .map(|new| NewAction {
                text: new.text.clone(),
                owner: new.owner.clone(),
                due_on: new.due_on.0,
                rag: new.rag,
            })
            .collect()
    }
}

/// The action `reference` names: by id, or the one open action (else the
/// one action) whose text it is.
fn find_action<'a>(reference: &str, actions: &'a [Action]) -> Result<&'a Action, MspError> {
    let reference = reference.trim();
    if let Ok(id) = uuid::Uuid::parse_str(reference) {
        return actions
            .iter()
            .find(|action| action.id == id)
            .ok_or_else(|| MspError::NotOnLog(reference.to_owned()));
    }
    let named: Vec<&Action> = actions
        .iter()
        .filter(|action| action.text.trim().to_lowercase() == reference.to_lowercase())
        .collect();
    let open: Vec<&Action> = named.iter().copied().filter(|a| a.is_open()).collect();
    match (open.as_slice(), named.as_slice()) {
        ([one], _) | ([], [one]) => Ok(one),
        _ => Err(MspError::NotOnLog(format!("\"{reference}\""))),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;
    use crate::action::ActionSource;
    use crate::school::Urn;

    const FILE: &str = r#"
attendees = ["Margaret Okonjo", "Mr Kwame Mensah"]
concerns_remain = true
summary = "Progress is slower than planned."

[[item]]
title = "Data"
minutes = "Autumn reading checks were lower than last year."

[[action]]
action = "publish a curriculum map for every subject"
rag = "red"
due_on = 2026-12-11

[[new_action]]
text = "Weekly attendance meetings"
owner = "Mr Mensah"
due_on = 2027-01-29
"#;

    fn action(id: u128, text: &str) -> Action {
        Action::agree(
            Uuid::from_u128(id),
            Urn(990_007),
            text,
            "Mr Mensah",
            NaiveDate::from_ymd_opt(2026, 11, 13).expect("a date"),
            ActionSource::MspMeeting(Uuid::from_u128(0x10)),
        )
        .expect("valid")
    }

    #[test]
    fn a_minutes_file_reads_into_the_write_up_and_the_action_decisions() {
        let file = MinutesFile::parse(FILE).expect("parses");
        let edit = file.edit().expect("a write-up");
        assert_eq!(edit.concerns_remain, Some(true));
        assert_eq!(edit.apologies, None, "left out, left as it was");
        assert_eq!(edit.items[0].title, "Data");
        let actions = [action(1, "Publish a curriculum map for every subject")];
        let updates = file.updates(&actions).expect("found by text");
        assert_eq!(updates[0].action, Uuid::from_u128(1));
        assert_eq!(updates[0].rag, Some(Rag::Red));
        assert_eq!(file.new_actions()[0].rag, None);
    }

    #[test]
    fn a_misspelt_key_or_an_unknown_action_is_an_error() {
        let error = MinutesFile::parse("apologeis = []").expect_err("unknown key");
        assert!(error.contains("apologeis"), "{error}");
        let file = MinutesFile::parse("[[action]]\naction = \"Something else\"").expect("parses");
        let error = file
            .updates(&[action(1, "Publish")])
            .expect_err("no such action");
        assert_eq!(error, MspError::NotOnLog("\"Something else\"".to_owned()));
    }

    #[test]
    fn a_file_of_action_decisions_only_has_no_write_up() {
        let file = MinutesFile::parse("[[action]]\naction = \"Publish\"\noutcome = \"done\"")
            .expect("parses");
        assert!(file.edit().is_none());
    }
}
