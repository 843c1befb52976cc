//! The demo caseload's MSP groups: each opened, its invited members added,
//! and its meetings planned, written up and approved through the same
//! rules as the app's, so a newcomer sees the whole cycle: minutes, a
//! summary for governors, and an action carried from one meeting to the next.

use caseload_core::msp::{Member, MinutesFile, MspGroup};
use caseload_core::toml_date::TomlDate;
use caseload_core::{Adviser, Urn};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use uuid::Uuid;

use crate::demo_history::AdvisersByEmail;
use crate::msp::{approve_in, open_group_in, record_file_in, schedule_in};
use crate::records::{load_where, Writer};
use crate::StoreError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoMspGroup {
    urn: Urn,
    /// The chair's email.
    chair: String,
    opened_on: TomlDate,
    #[serde(default)]
    invited: Vec<DemoInvited>,
    #[serde(default)]
    meeting: Vec<DemoMeeting>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoInvited {
    name: String,
    organisation: String,
    email: Option<String>,
}

/// A meeting: its date, when it was approved, and its write-up in the
/// keys of a minutes file (see `caseload_core::msp::file`).
struct DemoMeeting {
    meets_on: TomlDate,
    approved_on: Option<TomlDate>,
    minutes: MinutesFile,
}

impl<'de> Deserialize<'de> for DemoMeeting {
    // By hand rather than with `#[serde(flatten)]`, which would let a
    // misspelt key of the write-up through unnoticed.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut table = toml::Table::deserialize(deserializer)?;
        let mut date = |key: &'static str| {
            table
                .remove(key)
                .map(|value| TomlDate::deserialize(value).map_err(de::Error::custom))
                .transpose()
        };
        let meets_on = date("meets_on")?.ok_or_else(|| de::Error::missing_field("meets_on"))?;
        let approved_on = date("approved_on")?;
        let minutes =
            MinutesFile::deserialize(toml::Value::Table(table)).map_err(de::Error::custom)?;
        Ok(DemoMeeting {
            meets_on,
            approved_on,
            minutes,
        })
    }
}

pub(crate) fn write_msp_groups(
    writer: &mut Writer<'_>,
    groups: &[DemoMspGroup],
    advisers: &AdvisersByEmail,
) -> Result<(), StoreError> {
    for entry in groups {
        let demo = |error: StoreError| {
            StoreError::Demo(format!("MSP group of URN {}: {error}", entry.urn))
        };
        let chair = adviser(writer, advisers, &entry.chair)?;
        let mut group =
            open_group_in(writer, entry.urn, &chair, entry.opened_on.0).map_err(demo)?;
        invite(writer, &mut group, &entry.invited).map_err(demo)?;
        for meeting in &entry.meeting {
            let demo = |error: StoreError| {
                StoreError::Demo(format!(
                    "MSP meeting of {} for URN {}: {error}",
                    meeting.meets_on.0, entry.urn
                ))
            };
            let place = meeting.minutes.place.as_deref();
            let planned = schedule_in(writer, group.id, meeting.meets_on.0, place).map_err(demo)?;
            record_file_in(writer, planned.id, &meeting.minutes).map_err(demo)?;
            if let Some(on) = meeting.approved_on {
                approve_in(writer, planned.id, on.0).map_err(demo)?;
            }
        }
    }
    Ok(())
}

fn adviser(
    writer: &Writer<'_>,
    advisers: &AdvisersByEmail,
    email: &str,
) -> Result<Adviser, StoreError> {
    let missing = || StoreError::Demo(format!("{email} is none of the demo's advisers"));
    let id = advisers.get(email).ok_or_else(missing)?;
    load_where::<Adviser>(&writer.tx, "id = ?1", [id.to_string()])?
        .into_iter()
        .next()
        .ok_or_else(missing)
}

fn invite(
    writer: &mut Writer<'_>,
    group: &mut MspGroup,
    invited: &[DemoInvited],
) -> Result<(), StoreError> {
    for entry in invited {
        group.invite(Member {
            id: Uuid::now_v7(),
            name: entry.name.clone(),
            roles: Vec::new(),
            organisation: Some(entry.organisation.clone()),
            email: entry.email.clone(),
        })?;
    }
    if !invited.is_empty() {
        writer.save(&*group)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_in_a_demo_meeting_is_refused() {
        let good = "meets_on = 2026-10-07\napproved_on = 2026-11-18\nsummary = \"Fine.\"";
        if let Err(error) = toml::from_str::<DemoMeeting>(good) {
            panic!("{error}");
        }
        let misspelt = "meets_on = 2026-10-07\nsumary = \"Fine.\"";
        assert!(toml::from_str::<DemoMeeting>(misspelt).is_err());
    }
}
