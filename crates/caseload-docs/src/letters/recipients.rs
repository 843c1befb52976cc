//! Who a letter goes to: a template names roles, the school's contacts say
//! who fills them and where they receive post.

use caseload_core::letter::Recipient;
use caseload_core::{Contact, ContactRole, School};

use super::template::Addressee;

/// The people and bodies `addressees` name for `school`, in order; an
/// addressee nobody fills is an error naming the role and the school.
pub fn resolve(
    addressees: &[Addressee],
    school: &School,
    contacts: &[Contact],
) -> Result<Vec<Recipient>, String> {
    let mut recipients = Vec::new();
    for addressee in addressees {
        let found = recipients_for(*addressee, school, contacts);
        if found.is_empty() {
            return Err(format!(
                "no {} is recorded for {} (URN {}): add the contact, or change the recipients",
                role_of(*addressee).label().to_lowercase(),
                school.name,
                school.urn
            ));
        }
        recipients.extend(found);
    }
    Ok(recipients)
}

fn role_of(addressee: Addressee) -> ContactRole {
    match addressee {
        Addressee::Headteacher => ContactRole::Headteacher,
        Addressee::ChairOfGovernors | Addressee::GoverningBody => ContactRole::ChairOfGovernors,
        Addressee::TrustChair => ContactRole::TrustChair,
        Addressee::TrustCeo => ContactRole::TrustCeo,
        Addressee::WardCouncillors => ContactRole::WardCouncillor,
    }
}

fn recipients_for(addressee: Addressee, school: &School, contacts: &[Contact]) -> Vec<Recipient> {
    let role = role_of(addressee);
    let mut found: Vec<Recipient> = contacts
        .iter()
        .filter(|contact| contact.role == role && !contact.name.is_blank())
        .map(|contact| Recipient {
            name: contact.name.full(),
            role: role_title(role, school),
            address: address_of(contact, school),
        })
        .collect();
    if addressee == Addressee::Headteacher && found.is_empty() {
        found.extend(school.headteacher.iter().map(|head| Recipient {
            name: head.full(),
            role: role_title(role, school),
            address: school_address(school),
        }));
    }
    if addressee == Addressee::GoverningBody {
        found.truncate(1);
        for chair in &mut found {
            chair.role = format!("c/o {}, Chair of Governors", chair.name);
            chair.name = "The Governing Body".to_owned();
        }
    }
    found
}

/// "Headteacher, Fenbridge Primary School" reads better on an envelope than
/// the bare role; trusts and councillors write from their own addresses.
fn role_title(role: ContactRole, school: &School) -> String {
    match role {
        ContactRole::Headteacher
        | ContactRole::ChairOfGovernors
        | ContactRole::ViceChairOfGovernors => {
            format!("{}, {}", role.label(), school.name)
        }
        ContactRole::TrustChair | ContactRole::TrustCeo => match &school.trust {
            Some(trust) => format!("{}, {trust}", role.label()),
            None => role.label().to_owned(),
        },
        ContactRole::WardCouncillor => match &school.ward {
            Some(ward) => format!("Councillor for {ward} ward"),
            None => role.label().to_owned(),
        },
        ContactRole::Clerk => role.label().to_owned(),
    }
}

fn address_of(contact: &Contact, school: &School) -> Vec<String> {
    match &contact.address {
        Some(address) => address
            .split([',', '\n'])
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect(),
        None => school_address(school),
    }
}

fn school_address(school: &School) -> Vec<String> {
    school
        .address_lines()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// "Mrs Okafor and Mr Patel" for "Dear ...": by name for people, and the
/// body's own word for a governing body or councillors.
pub fn salutation(recipients: &[Recipient], contacts: &[Contact], school: &School) -> String {
    let names: Vec<String> = recipients
        .iter()
        .map(|recipient| {
            if recipient.name == "The Governing Body" {
                return "Governors".to_owned();
            }
            contacts
                .iter()
                .map(|contact| &contact.name)
                .chain(school.headteacher.iter())
                .find(|name| name.full() == recipient.name)
                .map_or_else(|| recipient.name.clone(), |name| name.salutation())
        })
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
