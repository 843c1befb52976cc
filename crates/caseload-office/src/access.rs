//! Who may receive and write what: the office's scope rules.
//!
//! - A record scoped to a school goes to the school's link SIA, and to every
//!   Senior SIA and the Strategic Lead for Governance, who see every school.
//! - A record scoped to an MSP group (confidential minutes) goes to that
//!   group's members only (its chair and the advisers it lists), whatever
//!   their role.
//! - A record scoped to an adviser goes to that adviser; the `adviser`
//!   records themselves are the authority's directory and go to everyone,
//!   so a school shows its link SIA's name and a group its chair's.
//! - An administrator's device receives the directory and writes nothing.
//!
//! The same rules decide writes, checked on a record's scope before and
//! after the write (moving a visit to another school needs both). The
//! backends' pull queries are these rules in SQL.

use std::collections::BTreeSet;

use caseload_core::sync::{Refusal, RefusalReason, Scope};
use caseload_core::{AdviserId, AdviserRole, DeviceId, Urn};
use serde_json::Value;
use uuid::Uuid;

use caseload_core::sync::RecordState;

/// The device a request came from, once its token checked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sender {
    pub device: DeviceId,
    pub adviser: AdviserId,
    pub role: AdviserRole,
}

impl Sender {
    pub fn sees_every_school(&self) -> bool {
        self.role.sees_every_school()
    }
}

fn out_of_scope(message: String) -> Refusal {
    Refusal::new(RefusalReason::OutOfScope, message)
}

/// Whether `sender` may write a record in `scope`. `caseload` holds the
/// schools the sender is link SIA for; `members` gives an MSP group's
/// members, if the office knows the group.
pub fn may_write(
    sender: &Sender,
    scope: Scope,
    caseload: &BTreeSet<Urn>,
    members: impl Fn(Uuid) -> Option<BTreeSet<Uuid>>,
) -> Result<(), Refusal> {
    match scope {
        Scope::School(urn) => {
            if sender.sees_every_school() || caseload.contains(&urn) {
                Ok(())
            } else {
                Err(out_of_scope(format!(
                    "school {} is not in your caseload: the office has not linked you to it",
                    urn.0
                )))
            }
        }
        Scope::Adviser(adviser) => {
            if adviser == sender.adviser {
                Ok(())
            } else {
                Err(out_of_scope(
                    "this record belongs to another adviser".to_owned(),
                ))
            }
        }
        Scope::MspGroup(group) => match members(group) {
            Some(members) if members.contains(&sender.adviser.0) => Ok(()),
            Some(_) => Err(out_of_scope(
                "only the members of this MSP group may write its meetings".to_owned(),
            )),
            None => Err(out_of_scope(format!(
                "the office does not know MSP group {group}: sync the group before its meetings"
            ))),
        },
    }
}

/// The advisers an MSP group's meetings go to: its chair and every member
/// it lists (members who are not advisers have no devices, so listing them
/// costs nothing).
pub fn group_members(group: &RecordState) -> BTreeSet<Uuid> {
    let mut members = BTreeSet::new();
    if let Some(chair) = group
        .value("chair")
        .and_then(Value::as_str)
        .and_then(|text| Uuid::parse_str(text).ok())
    {
        members.insert(chair);
    }
    if let Some(listed) = group.value("members").and_then(Value::as_array) {
        members.extend(
            listed
                .iter()
                .filter_map(|member| member.get("id")?.as_str())
                .filter_map(|text| Uuid::parse_str(text).ok()),
        );
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sender(role: AdviserRole) -> Sender {
        Sender {
            device: DeviceId(Uuid::from_u128(1)),
            adviser: AdviserId(Uuid::from_u128(2)),
            role,
        }
    }

    #[test]
    fn a_link_sia_writes_only_their_caseload_and_a_senior_sia_every_school() {
        let caseload = BTreeSet::from([Urn(990001)]);
        let none = |_| None;
        let link = sender(AdviserRole::LinkSia);
        assert!(may_write(&link, Scope::School(Urn(990001)), &caseload, none).is_ok());
        let refused = may_write(&link, Scope::School(Urn(990002)), &caseload, none)
            .expect_err("not in caseload");
        assert_eq!(refused.reason, RefusalReason::OutOfScope);
        let senior = sender(AdviserRole::SeniorSia);
        assert!(may_write(&senior, Scope::School(Urn(990002)), &BTreeSet::new(), none).is_ok());
    }

    #[test]
    fn minutes_are_written_by_group_members_only_whatever_the_role() {
        let group = Uuid::from_u128(9);
        let members = |id: Uuid| (id == group).then(|| BTreeSet::from([Uuid::from_u128(2)]));
        let nobody = |id: Uuid| (id == group).then(BTreeSet::new);
        let senior = sender(AdviserRole::SeniorSia);
        assert!(may_write(&senior, Scope::MspGroup(group), &BTreeSet::new(), members).is_ok());
        assert!(may_write(&senior, Scope::MspGroup(group), &BTreeSet::new(), nobody).is_err());
        assert!(may_write(
            &senior,
            Scope::MspGroup(Uuid::from_u128(10)),
            &BTreeSet::new(),
            members
        )
        .is_err());
    }
}
