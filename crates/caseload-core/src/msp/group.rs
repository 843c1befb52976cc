//! An MSP group: one school in high support, its chair, its members.
//!
//! The strategy fixes who sits on the group: a Senior SIA or the Strategic
//! Lead for Governance in the chair, the headteacher, the chair or
//! vice-chair of governors and the link SIA; the chair invites others (the
//! trust, the diocese, other teams of the authority). A school has at most
//! one open group; a closed group keeps its meetings and says why it closed.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::MspError;
use crate::criteria::SupportCategory;
use crate::people::{Adviser, AdviserId, AdviserRole, Contact, ContactRole};
use crate::school::{Governance, School, Urn};

/// The part a member plays in the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberRole {
    Chair,
    Headteacher,
    ChairOfGovernors,
    ViceChairOfGovernors,
    LinkSia,
    /// Invited by the chair: the trust, the diocese, another team.
    Invited,
}

impl MemberRole {
    pub fn label(self) -> &'static str {
        match self {
            MemberRole::Chair => "Chair",
            MemberRole::Headteacher => "Headteacher",
            MemberRole::ChairOfGovernors => "Chair of governors",
            MemberRole::ViceChairOfGovernors => "Vice-chair of governors",
            MemberRole::LinkSia => "Link School Improvement Adviser",
            MemberRole::Invited => "Invited",
        }
    }
}

/// One person on the group. An adviser's member id is their adviser id and
/// a contact's is their contact id, so the same person is one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: Uuid,
    pub name: String,
    /// One person may hold two parts: a Senior SIA who chairs the group of
    /// a school they are also link SIA for.
    pub roles: Vec<MemberRole>,
    /// For an invited member: whom they come from ("Diocese of Fenbridge").
    pub organisation: Option<String>,
    pub email: Option<String>,
}

impl Member {
    pub fn has(&self, role: MemberRole) -> bool {
        self.roles.contains(&role)
    }

    /// "Chair; Link School Improvement Adviser", or the organisation for
    /// an invited member.
    pub fn role_label(&self) -> String {
        self.roles
            .iter()
            .map(|role| match (role, &self.organisation) {
                (MemberRole::Invited, Some(organisation)) => organisation.clone(),
                (role, _) => role.label().to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Why and when a group stopped meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupClosure {
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MspGroup {
    pub id: Uuid,
    pub urn: Urn,
    pub chair: AdviserId,
    pub members: Vec<Member>,
    pub opened_on: NaiveDate,
    pub closed: Option<GroupClosure>,
}

/// What opening a group for a school reads.
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    pub school: &'a School,
    /// The school's support category from its latest agreed review.
    pub category: Option<SupportCategory>,
    pub chair: &'a Adviser,
    pub link_sia: Option<&'a Adviser>,
    pub contacts: &'a [Contact],
    /// The school's groups so far, open or closed.
    pub groups: &'a [MspGroup],
    pub opened_on: NaiveDate,
}

/// A group is offered to a school in high support that has none open.
pub fn offered(category: Option<SupportCategory>, groups: &[MspGroup]) -> bool {
    category == Some(SupportCategory::High) && !groups.iter().any(MspGroup::is_open)
}

/// Checks `adviser` may chair a group.
pub fn check_chair(adviser: &Adviser) -> Result<(), MspError> {
    match adviser.role {
        AdviserRole::SeniorSia | AdviserRole::GovernanceLead => Ok(()),
        role => Err(MspError::ChairRole {
            name: adviser.name.clone(),
            role: role.label(),
        }),
    }
}

impl MspGroup {
    /// Opens the group of a school in high support, with the members the
    /// strategy names drawn from its records. `fresh_id` gives the id of a
    /// member known only by name (a headteacher from the school list).
    pub fn open(
        id: Uuid,
        opening: Opening<'_>,
        mut fresh_id: impl FnMut() -> Uuid,
    ) -> Result<MspGroup, MspError> {
        let school = opening.school;
        check_chair(opening.chair)?;
        if opening.category != Some(SupportCategory::High) {
            return Err(MspError::NotHighSupport {
                school: school.name.clone(),
                category: opening.category.map_or_else(
                    || "not yet placed in a support category by an agreed review".to_owned(),
                    |category| format!("in {}", category.label().to_lowercase()),
                ),
            });
        }
        if let Some(open) = opening.groups.iter().find(|group| group.is_open()) {
            return Err(MspError::AlreadyOpen {
                school: school.name.clone(),
                opened_on: open.opened_on,
            });
        }
        let mut group = MspGroup {
            id,
            urn: school.urn,
            chair: opening.chair.id,
            members: Vec::new(),
            opened_on: opening.opened_on,
            closed: None,
        };
        group.add_adviser(opening.chair, MemberRole::Chair);
        if let Some(link) = opening.link_sia {
            group.add_adviser(link, MemberRole::LinkSia);
        }
        let contact = |role| {
            opening
                .contacts
                .iter()
                .find(|contact| contact.urn == school.urn && contact.role == role)
        };
        let head = contact(ContactRole::Headteacher)
            .map(|head| contact_member(head, MemberRole::Headteacher))
            .or_else(|| {
                school.headteacher.as_ref().map(|name| Member {
                    id: fresh_id(),
                    name: name.full(),
                    roles: vec![MemberRole::Headteacher],
                    organisation: None,
                    email: None,
                })
            });
        group.members.extend(head);
        let governor = contact(ContactRole::ChairOfGovernors)
            .map(|chair| contact_member(chair, MemberRole::ChairOfGovernors))
            .or_else(|| {
                contact(ContactRole::ViceChairOfGovernors)
                    .map(|vice| contact_member(vice, MemberRole::ViceChairOfGovernors))
            });
        group.members.extend(governor);
        group.check_members()?;
        Ok(group)
    }

    fn add_adviser(&mut self, adviser: &Adviser, role: MemberRole) {
        match self
            .members
            .iter_mut()
            .find(|member| member.id == adviser.id.0)
        {
            Some(member) => member.roles.push(role),
            None => self.members.push(Member {
                id: adviser.id.0,
                name: adviser.name.clone(),
                roles: vec![role],
                organisation: None,
                email: Some(adviser.email.clone()),
            }),
        }
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    pub fn member(&self, id: Uuid) -> Option<&Member> {
        self.members.iter().find(|member| member.id == id)
    }

    /// The member named `text`: by id, or by their full name in any case
    /// ("mr kwame mensah" finds Mr Kwame Mensah; "Mr Mensah" is not guessed).
    pub fn find_member(&self, text: &str) -> Option<&Member> {
        let text = text.trim();
        if let Ok(id) = Uuid::parse_str(text) {
            return self.member(id);
        }
        self.members
            .iter()
            .find(|member| member.name.trim().to_lowercase() == text.to_lowercase())
    }

    /// The chair as a member.
    pub fn chair_member(&self) -> Option<&Member> {
        self.member(self.chair.0)
    }

    /// Checks the group may still change.
    pub fn check_open(&self) -> Result<(), MspError> {
        match &self.closed {
            None => Ok(()),
            Some(closure) => Err(MspError::Closed(closure.on)),
        }
    }

    /// Adds a member the chair invites.
    pub fn invite(&mut self, member: Member) -> Result<(), MspError> {
        self.check_open()?;
        if self.member(member.id).is_some() {
            return Err(MspError::BadMember(
                member.name,
                "is already a member of the group",
            ));
        }
        let mut member = member;
        if member.roles.is_empty() {
            member.roles.push(MemberRole::Invited);
        }
        self.members.push(member);
        self.check_members()
    }

    /// Takes a member off the group, unless the group would then lack a
    /// member the strategy requires.
    pub fn remove_member(&mut self, id: Uuid) -> Result<(), MspError> {
        self.check_open()?;
        let before = self.members.clone();
        self.members.retain(|member| member.id != id);
        if let Err(error) = self.check_members() {
            self.members = before;
            return Err(error);
        }
        Ok(())
    }

    /// Closes the group on `on`, for `reason`.
    pub fn close(&mut self, on: NaiveDate, reason: &str) -> Result<(), MspError> {
        self.check_open()?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(MspError::NoCloseReason);
        }
        if on < self.opened_on {
            return Err(MspError::ClosedBeforeOpened {
                closed: on,
                opened: self.opened_on,
            });
        }
        self.closed = Some(GroupClosure {
            on,
            reason: reason.to_owned(),
        });
        Ok(())
    }

    /// Checks the members hold every part the strategy names, once each
    /// person, with the chair in the chair.
    pub fn check_members(&self) -> Result<(), MspError> {
        let mut ids = BTreeSet::new();
        for member in &self.members {
            if member.name.trim().is_empty() {
                return Err(MspError::BadMember(member.id.to_string(), "has no name"));
            }
            if member.roles.is_empty() {
                return Err(MspError::BadMember(member.name.clone(), "has no role"));
            }
            if !ids.insert(member.id) {
                return Err(MspError::BadMember(member.name.clone(), "is listed twice"));
            }
            let invited = member.has(MemberRole::Invited);
            let organisation = member
                .organisation
                .as_deref()
                .is_some_and(|text| !text.trim().is_empty());
            if invited && !organisation {
                return Err(MspError::BadMember(
                    member.name.clone(),
                    "an invited member needs the organisation they come from",
                ));
            }
            if member.has(MemberRole::Chair) && member.id != self.chair.0 {
                return Err(MspError::BadMember(
                    member.name.clone(),
                    "is marked chair but the group has another chair",
                ));
            }
        }
        let holds = |roles: &[MemberRole]| {
            self.members
                .iter()
                .any(|member| roles.iter().any(|role| member.has(*role)))
        };
        if !holds(&[MemberRole::Chair]) {
            return Err(MspError::MissingMember("its chair as a member"));
        }
        if !holds(&[MemberRole::Headteacher]) {
            return Err(MspError::MissingMember(
                "the headteacher: record the school's headteacher as a contact",
            ));
        }
        if !holds(&[
            MemberRole::ChairOfGovernors,
            MemberRole::ViceChairOfGovernors,
        ]) {
            return Err(MspError::MissingMember(
                "the chair or vice-chair of governors: add them to the school's contacts",
            ));
        }
        if !holds(&[MemberRole::LinkSia]) {
            return Err(MspError::MissingMember(
                "the link SIA: assign the school a link SIA",
            ));
        }
        Ok(())
    }

    /// Why the group might close now, if the school's records say so.
    pub fn close_suggested(
        &self,
        category: Option<SupportCategory>,
        governance: Governance,
    ) -> Option<&'static str> {
        if !self.is_open() {
            return None;
        }
        if governance == Governance::Academy {
            return Some("the school is now an academy: concerns go to its trust");
        }
        match category {
            Some(SupportCategory::High) | None => None,
            Some(_) => Some("the school is no longer in high support"),
        }
    }
}

fn contact_member(contact: &Contact, role: MemberRole) -> Member {
    Member {
        id: contact.id,
        name: contact.name.full(),
        roles: vec![role],
        organisation: None,
        email: contact.email.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a date")
    }

    fn senior() -> Adviser {
        Adviser {
            id: AdviserId(Uuid::from_u128(0x50)),
            name: "Margaret Okonjo".to_owned(),
            email: "margaret.okonjo@fenbridge.example".to_owned(),
            role: AdviserRole::SeniorSia,
        }
    }

    fn open_with(
        chair: &Adviser,
        category: Option<SupportCategory>,
        groups: &[MspGroup],
    ) -> Result<MspGroup, MspError> {
        let school = samples::school();
        let link = samples::adviser();
        let contacts = [samples::contact()];
        let mut next = 0x900;
        MspGroup::open(
            Uuid::from_u128(0x60),
            Opening {
                school: &school,
                category,
                chair,
                link_sia: Some(&link),
                contacts: &contacts,
                groups,
                opened_on: day(9, 28),
            },
            || {
                next += 1;
                Uuid::from_u128(next)
            },
        )
    }

    fn open() -> MspGroup {
        open_with(&senior(), Some(SupportCategory::High), &[]).expect("opens")
    }

    #[test]
    fn a_group_is_chaired_by_a_senior_sia_or_the_strategic_lead_for_governance() {
        let mut lead = senior();
        lead.role = AdviserRole::GovernanceLead;
        assert!(open_with(&lead, Some(SupportCategory::High), &[]).is_ok());
        for role in [AdviserRole::LinkSia, AdviserRole::Admin] {
            let mut adviser = senior();
            adviser.role = role;
            let error =
                open_with(&adviser, Some(SupportCategory::High), &[]).expect_err("may not chair");
            assert!(matches!(error, MspError::ChairRole { .. }), "{error}");
            assert!(error
                .to_string()
                .contains("Senior School Improvement Adviser"));
        }
    }

    #[test]
    fn opening_draws_the_members_the_strategy_names_from_the_records() {
        let group = open();
        let roles: Vec<String> = group.members.iter().map(Member::role_label).collect();
        assert_eq!(
            roles,
            [
                "Chair",
                "Link School Improvement Adviser",
                "Headteacher",
                "Chair of governors"
            ]
        );
        assert_eq!(group.members[2].name, "Mrs Zoë Okafor");
        assert_eq!(group.members[3].id, samples::contact().id);
        assert_eq!(
            group.chair_member().map(|m| m.name.as_str()),
            Some("Margaret Okonjo")
        );
    }

    #[test]
    fn a_senior_sia_who_is_also_link_sia_is_one_member_with_two_parts() {
        let school = samples::school();
        let mut chair = senior();
        chair.id = samples::adviser().id;
        let contacts = [samples::contact()];
        let group = MspGroup::open(
            Uuid::from_u128(0x60),
            Opening {
                school: &school,
                category: Some(SupportCategory::High),
                chair: &chair,
                link_sia: Some(&chair),
                contacts: &contacts,
                groups: &[],
                opened_on: day(9, 28),
            },
            || Uuid::from_u128(0x901),
        )
        .expect("opens");
        assert_eq!(group.members.len(), 3);
        assert_eq!(
            group.members[0].role_label(),
            "Chair; Link School Improvement Adviser"
        );
    }

    #[test]
    fn only_a_school_in_high_support_without_an_open_group_is_offered_one() {
        let high = Some(SupportCategory::High);
        assert!(offered(high, &[]));
        assert!(!offered(Some(SupportCategory::Medium), &[]));
        assert!(!offered(None, &[]));
        let mut group = open();
        assert!(!offered(high, std::slice::from_ref(&group)));
        let error = open_with(&senior(), high, std::slice::from_ref(&group))
            .expect_err("one open group per school");
        assert!(matches!(error, MspError::AlreadyOpen { .. }), "{error}");
        group
            .close(day(12, 1), "Left high support")
            .expect("closes");
        assert!(offered(high, std::slice::from_ref(&group)));
        assert!(open_with(&senior(), high, &[group]).is_ok());
        let error = open_with(&senior(), Some(SupportCategory::Medium), &[]).expect_err("not high");
        assert_eq!(
            error.to_string(),
            "St Mary’s Church of England Primary School is in medium support: an MSP group is for a school in high support"
        );
    }

    #[test]
    fn a_group_without_a_headteacher_governor_or_link_sia_is_refused() {
        let mut school = samples::school();
        school.headteacher = None;
        let chair = senior();
        let open = |school: &School, contacts: &[Contact], link: Option<&Adviser>| {
            MspGroup::open(
                Uuid::from_u128(0x60),
                Opening {
                    school,
                    category: Some(SupportCategory::High),
                    chair: &chair,
                    link_sia: link,
                    contacts,
                    groups: &[],
                    opened_on: day(9, 28),
                },
                || Uuid::from_u128(0x901),
            )
        };
        let link = samples::adviser();
        let contacts = [samples::contact()];
        let error = open(&school, &contacts, Some(&link)).expect_err("no head");
        assert!(error.to_string().contains("the headteacher"), "{error}");
        let error = open(&samples::school(), &[], Some(&link)).expect_err("no governor");
        assert!(
            error.to_string().contains("vice-chair of governors"),
            "{error}"
        );
        let error = open(&samples::school(), &contacts, None).expect_err("no link SIA");
        assert!(error.to_string().contains("link SIA"), "{error}");
    }

    #[test]
    fn invited_members_need_an_organisation_and_required_members_stay() {
        let mut group = open();
        let diocese = Member {
            id: Uuid::from_u128(0x70),
            name: "Revd Canon Ruth Adeyemi".to_owned(),
            roles: vec![],
            organisation: None,
            email: None,
        };
        let before = group.clone();
        let error = group.invite(diocese.clone()).expect_err("no organisation");
        assert!(error.to_string().contains("organisation"), "{error}");
        group.members = before.members.clone();
        group
            .invite(Member {
                organisation: Some("Diocese of Fenbridge".to_owned()),
                ..diocese
            })
            .expect("invited");
        assert_eq!(group.members[4].role_label(), "Diocese of Fenbridge");
        let head = group.members[2].id;
        let error = group.remove_member(head).expect_err("the head stays");
        assert!(error.to_string().contains("headteacher"), "{error}");
        assert_eq!(group.members.len(), 5);
        group.remove_member(Uuid::from_u128(0x70)).expect("removed");
        assert_eq!(group.members, before.members);
    }

    #[test]
    fn closing_needs_a_reason_and_a_closed_group_no_longer_changes() {
        let mut group = open();
        assert_eq!(group.close(day(12, 1), "  "), Err(MspError::NoCloseReason));
        assert!(matches!(
            group.close(day(9, 1), "Too early"),
            Err(MspError::ClosedBeforeOpened { .. })
        ));
        group
            .close(day(12, 1), "The school left high support")
            .expect("closes");
        assert_eq!(
            group.close(day(12, 2), "Again"),
            Err(MspError::Closed(day(12, 1)))
        );
        assert_eq!(
            group.remove_member(group.members[3].id),
            Err(MspError::Closed(day(12, 1)))
        );
    }

    #[test]
    fn closing_is_suggested_when_the_school_leaves_high_support_or_converts() {
        let group = open();
        assert_eq!(
            group.close_suggested(Some(SupportCategory::High), Governance::Maintained),
            None
        );
        assert!(group
            .close_suggested(Some(SupportCategory::Medium), Governance::Maintained)
            .is_some());
        assert!(group
            .close_suggested(Some(SupportCategory::High), Governance::Academy)
            .is_some());
    }

    #[test]
    fn members_are_found_by_id_or_by_name_in_any_case() {
        let group = open();
        let head = &group.members[2];
        assert_eq!(group.find_member("mrs zoë okafor"), Some(head));
        assert_eq!(group.find_member(&head.id.to_string()), Some(head));
        assert_eq!(group.find_member("Mrs Okafor"), None);
    }
}
