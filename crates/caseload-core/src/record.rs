//! Declarations of the record types that sync.
//!
//! A record type syncs by being declared here: its name, its key, its fields
//! and their kinds, and the field that scopes it to a school or an adviser.
//! The store builds its per-field revisions, outbox and export from these
//! declarations, so a new record type needs a declaration and a table, never
//! new sync code.
//!
//! Field names are the serde names of the Rust type, which are also the
//! column names of its table. A test below holds the two together.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::academy::{AcademyConcern, AcademyReport};
use crate::action::Action;
use crate::entitlement::EnhancedOffer;
use crate::letter::Letter;
use crate::msp::{MspGroup, MspMeeting};
use crate::ofsted::OfstedInspection;
use crate::people::{Adviser, Contact};
use crate::performance::PerformanceFigure;
use crate::review::Review;
use crate::school::School;
use crate::visit::Visit;

/// How a field's value is kept: the store maps each kind to a column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Integer,
    Real,
    Bool,
    /// Structured values (names, outcomes), kept as JSON text.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub name: &'static str,
    pub kind: FieldKind,
}

const fn field(name: &'static str, kind: FieldKind) -> FieldDef {
    FieldDef { name, kind }
}

/// What a record belongs to, which decides who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKey {
    /// Scoped to the school whose URN is in this field.
    School(&'static str),
    /// Scoped to the adviser whose id is in this field.
    Adviser(&'static str),
    /// Scoped to the members of the MSP group whose id is in this field:
    /// confidential minutes go to the group's members only.
    MspGroup(&'static str),
}

/// The declaration of one record type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityDef {
    /// Its name in the protocol and its table in the store.
    pub name: &'static str,
    pub key: FieldDef,
    /// Every field but the key, in column order.
    pub fields: &'static [FieldDef],
    pub scope: ScopeKey,
}

impl EntityDef {
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// The key and then every field: the columns of its table.
    pub fn columns(&self) -> impl Iterator<Item = &FieldDef> {
        std::iter::once(&self.key).chain(self.fields)
    }
}

/// A Rust type that is one declared record type.
pub trait Record: Serialize + DeserializeOwned {
    const ENTITY: &'static EntityDef;
}

use FieldKind::{Bool, Integer, Json, Real, Text};

pub const ADVISER: EntityDef = EntityDef {
    name: "adviser",
    key: field("id", Text),
    fields: &[
        field("name", Text),
        field("email", Text),
        field("role", Text),
    ],
    scope: ScopeKey::Adviser("id"),
};

pub const SCHOOL: EntityDef = EntityDef {
    name: "school",
    key: field("urn", Integer),
    fields: &[
        field("la_code", Integer),
        field("name", Text),
        field("phase", Text),
        field("establishment_type", Text),
        field("status", Text),
        field("trust", Text),
        field("street", Text),
        field("locality", Text),
        field("town", Text),
        field("postcode", Text),
        field("ward", Text),
        field("headteacher", Json),
        field("telephone", Text),
        field("website", Text),
        field("pupils", Integer),
        field("percentage_fsm", Real),
        field("open_date", Text),
        field("close_date", Text),
        field("link_sia", Text),
    ],
    scope: ScopeKey::School("urn"),
};

pub const CONTACT: EntityDef = EntityDef {
    name: "contact",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("role", Text),
        field("name", Json),
        field("email", Text),
        field("phone", Text),
        field("address", Text),
    ],
    scope: ScopeKey::School("urn"),
};

pub const OFSTED_INSPECTION: EntityDef = EntityDef {
    name: "ofsted_inspection",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("inspected_on", Text),
        field("outcome", Json),
    ],
    scope: ScopeKey::School("urn"),
};

pub const REVIEW: EntityDef = EntityDef {
    name: "review",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("criteria_set", Text),
        field("reviewed_on", Text),
        field("adviser", Text),
        field("marks", Json),
        field("status", Text),
        field("computed", Text),
        field("overridden", Json),
    ],
    scope: ScopeKey::School("urn"),
};

pub const VISIT: EntityDef = EntityDef {
    name: "visit",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("adviser", Text),
        field("visited_on", Text),
        field("session", Text),
        field("kind", Text),
        field("status", Text),
        field("purpose", Text),
        field("activities", Json),
        field("notes", Json),
        field("strengths", Text),
        field("development", Text),
        field("addendum_to", Text),
    ],
    scope: ScopeKey::School("urn"),
};

pub const ACTION: EntityDef = EntityDef {
    name: "action",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("text", Text),
        field("owner", Text),
        field("due_on", Text),
        field("status", Json),
        field("rag", Text),
        field("source", Json),
    ],
    scope: ScopeKey::School("urn"),
};

pub const ENHANCED_OFFER: EntityDef = EntityDef {
    name: "enhanced_offer",
    key: field("id", Text),
    fields: &[field("urn", Integer), field("year", Integer)],
    scope: ScopeKey::School("urn"),
};

pub const PERFORMANCE: EntityDef = EntityDef {
    name: "performance",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("year", Integer),
        field("measure", Text),
        field("school", Json),
        field("la", Json),
        field("national", Json),
    ],
    scope: ScopeKey::School("urn"),
};

pub const LETTER: EntityDef = EntityDef {
    name: "letter",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("kind", Text),
        field("status", Text),
        field("dated", Text),
        field("reference", Text),
        field("recipients", Json),
        field("copies_to", Json),
        field("subject", Text),
        field("body", Text),
        field("marking", Text),
        field("indicators", Json),
        field("terms", Json),
        field("visit", Text),
        field("corrects", Text),
        field("author", Text),
        field("signatory", Json),
        field("pdf_sha256", Text),
    ],
    scope: ScopeKey::School("urn"),
};

pub const MSP_GROUP: EntityDef = EntityDef {
    name: "msp_group",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("chair", Text),
        field("members", Json),
        field("opened_on", Text),
        field("closed", Json),
    ],
    scope: ScopeKey::School("urn"),
};

pub const MSP_MEETING: EntityDef = EntityDef {
    name: "msp_meeting",
    key: field("id", Text),
    fields: &[
        field("msp_group", Text),
        field("urn", Integer),
        field("meets_on", Text),
        field("place", Text),
        field("status", Text),
        field("attendees", Json),
        field("apologies", Json),
        field("agenda", Json),
        field("decisions", Json),
        field("concerns_remain", Bool),
        field("action_log", Json),
        field("summary", Text),
        field("approved_on", Text),
    ],
    scope: ScopeKey::MspGroup("msp_group"),
};

pub const ACADEMY_CONCERN: EntityDef = EntityDef {
    name: "academy_concern",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("raised_on", Text),
        field("raised_by", Text),
        field("evidence", Json),
        field("steps", Json),
        field("resolved", Json),
    ],
    scope: ScopeKey::School("urn"),
};

pub const ACADEMY_REPORT: EntityDef = EntityDef {
    name: "academy_report",
    key: field("id", Text),
    fields: &[
        field("urn", Integer),
        field("kind", Text),
        field("received_on", Text),
        field("summary", Text),
        field("redirection", Text),
        field("passed_on", Json),
        field("logged_by", Text),
    ],
    scope: ScopeKey::School("urn"),
};

/// Every record type, in the order exports list them.
pub const ENTITIES: &[&EntityDef] = &[
    &ADVISER,
    &SCHOOL,
    &CONTACT,
    &OFSTED_INSPECTION,
    &REVIEW,
    &VISIT,
    &ACTION,
    &ENHANCED_OFFER,
    &PERFORMANCE,
    &LETTER,
    &MSP_GROUP,
    &MSP_MEETING,
    &ACADEMY_CONCERN,
    &ACADEMY_REPORT,
];

impl Record for Adviser {
    const ENTITY: &'static EntityDef = &ADVISER;
}

impl Record for School {
    const ENTITY: &'static EntityDef = &SCHOOL;
}

impl Record for Contact {
    const ENTITY: &'static EntityDef = &CONTACT;
}

impl Record for OfstedInspection {
    const ENTITY: &'static EntityDef = &OFSTED_INSPECTION;
}

impl Record for Review {
    const ENTITY: &'static EntityDef = &REVIEW;
}

impl Record for Visit {
    const ENTITY: &'static EntityDef = &VISIT;
}

impl Record for Action {
    const ENTITY: &'static EntityDef = &ACTION;
}

impl Record for EnhancedOffer {
    const ENTITY: &'static EntityDef = &ENHANCED_OFFER;
}

impl Record for PerformanceFigure {
    const ENTITY: &'static EntityDef = &PERFORMANCE;
}

impl Record for Letter {
    const ENTITY: &'static EntityDef = &LETTER;
}

impl Record for MspGroup {
    const ENTITY: &'static EntityDef = &MSP_GROUP;
}

impl Record for MspMeeting {
    const ENTITY: &'static EntityDef = &MSP_MEETING;
}

impl Record for AcademyConcern {
    const ENTITY: &'static EntityDef = &ACADEMY_CONCERN;
}

impl Record for AcademyReport {
    const ENTITY: &'static EntityDef = &ACADEMY_REPORT;
}

/// Looks a declaration up by its name, as the protocol and exports carry it.
pub fn entity(name: &str) -> Option<&'static EntityDef> {
    ENTITIES.iter().copied().find(|entity| entity.name == name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::samples;

    fn serialized_keys<R: Record>(record: &R) -> BTreeSet<String> {
        match serde_json::to_value(record) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            other => panic!(
                "{} does not serialize to an object: {other:?}",
                R::ENTITY.name
            ),
        }
    }

    fn declared_keys(entity: &EntityDef) -> BTreeSet<String> {
        entity
            .columns()
            .map(|field| field.name.to_owned())
            .collect()
    }

    #[test]
    fn declarations_match_the_serialized_fields() {
        assert_eq!(
            serialized_keys(&samples::adviser()),
            declared_keys(&ADVISER)
        );
        assert_eq!(serialized_keys(&samples::school()), declared_keys(&SCHOOL));
        assert_eq!(
            serialized_keys(&samples::contact()),
            declared_keys(&CONTACT)
        );
        assert_eq!(
            serialized_keys(&samples::inspection()),
            declared_keys(&OFSTED_INSPECTION)
        );
        assert_eq!(serialized_keys(&samples::review()), declared_keys(&REVIEW));
        assert_eq!(serialized_keys(&samples::visit()), declared_keys(&VISIT));
        assert_eq!(serialized_keys(&samples::action()), declared_keys(&ACTION));
        assert_eq!(
            serialized_keys(&samples::enhanced_offer()),
            declared_keys(&ENHANCED_OFFER)
        );
        assert_eq!(
            serialized_keys(&samples::performance_figure()),
            declared_keys(&PERFORMANCE)
        );
        assert_eq!(serialized_keys(&samples::letter()), declared_keys(&LETTER));
        assert_eq!(
            serialized_keys(&samples::msp_group()),
            declared_keys(&MSP_GROUP)
        );
        assert_eq!(
            serialized_keys(&samples::msp_meeting()),
            declared_keys(&MSP_MEETING)
        );
        assert_eq!(
            serialized_keys(&samples::academy_concern()),
            declared_keys(&ACADEMY_CONCERN)
        );
        assert_eq!(
            serialized_keys(&samples::academy_report()),
            declared_keys(&ACADEMY_REPORT)
        );
    }

    #[test]
    fn the_school_import_fields_are_declared_school_fields() {
        for name in School::GIAS_FIELDS {
            assert!(
                SCHOOL.field(name).is_some(),
                "{name} is not a declared school field"
            );
        }
    }

    #[test]
    fn entity_names_are_unique_and_found_by_name() {
        let names: BTreeSet<_> = ENTITIES.iter().map(|entity| entity.name).collect();
        assert_eq!(names.len(), ENTITIES.len());
        assert_eq!(entity("contact"), Some(&CONTACT));
        assert_eq!(entity("nothing"), None);
    }
}
