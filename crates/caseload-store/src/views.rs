//! What the desktop app and the CLI show: plain serializable shapes built
//! from the records, with the labels `caseload-core` gives them.

use caseload_core::criteria::SupportCategory;
use caseload_core::entitlement::EntitlementStatus;
use caseload_core::ofsted::OfstedInspection;
use caseload_core::review::Direction;
use caseload_core::standing::Standing;
use caseload_core::{
    Adviser, AdviserRole, Contact, ContactRole, Governance, Phase, School, SchoolStatus,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which schools a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SchoolScope {
    /// Open schools linked to the current adviser.
    Caseload,
    /// Every school in the store, closed ones included.
    All,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdviserView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: AdviserRole,
    pub role_label: &'static str,
}

impl From<&Adviser> for AdviserView {
    fn from(adviser: &Adviser) -> Self {
        AdviserView {
            id: adviser.id.to_string(),
            name: adviser.name.clone(),
            email: adviser.email.clone(),
            role: adviser.role,
            role_label: adviser.role.label(),
        }
    }
}

/// The state of the store, for the window's header and first-run page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreStatus {
    pub path: String,
    /// Open schools in the store.
    pub schools: usize,
    /// Open schools linked to the current adviser.
    pub caseload: usize,
    pub adviser: Option<AdviserView>,
    /// Where today falls: "Autumn term 2026/27, second half-term".
    pub term: String,
    /// Whether the current adviser may see the authority-wide view.
    pub authority_view: bool,
    /// In the demo, the advisers the store can be opened as, by name; in a
    /// real store none: its adviser is the one it was enrolled for.
    pub demo_advisers: Vec<AdviserView>,
}

/// One line of the caseload table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolRow {
    pub urn: u32,
    pub name: String,
    pub phase: Phase,
    pub phase_label: &'static str,
    #[serde(rename = "type")]
    pub establishment_type: String,
    pub maintained: bool,
    pub governance: Governance,
    pub status: SchoolStatus,
    pub status_label: &'static str,
    pub ward: Option<String>,
    pub town: Option<String>,
    pub trust: Option<String>,
    /// The latest inspection in one line.
    pub ofsted: Option<String>,
    /// The link SIA's name.
    pub link_sia: Option<String>,
    /// From the latest agreed review, override applied.
    pub category: Option<SupportCategory>,
    pub direction: Option<Direction>,
    /// No agreed review this term.
    pub review_due: bool,
    /// Visits owed in the period under way, not yet made.
    pub visits_due: usize,
    /// Periods this year that ended without their visits.
    pub visits_overdue: usize,
    /// The soonest planned visit from today.
    pub next_visit: Option<NaiveDate>,
    /// Open actions past their due date.
    pub actions_overdue: usize,
}

impl SchoolRow {
    pub fn new(
        school: &School,
        latest: Option<&OfstedInspection>,
        link_sia: Option<&Adviser>,
        standing: Option<&Standing>,
    ) -> Self {
        SchoolRow {
            urn: school.urn.0,
            name: school.name.clone(),
            phase: school.phase,
            phase_label: school.phase.gias_name(),
            establishment_type: school.establishment_type.name().to_owned(),
            maintained: school.maintained(),
            governance: school.governance(),
            status: school.status,
            status_label: school.status.label(),
            ward: school.ward.clone(),
            town: school.town.clone(),
            trust: school.trust.clone(),
            ofsted: latest.map(OfstedInspection::summary),
            link_sia: link_sia.map(|adviser| adviser.name.clone()),
            category: standing.and_then(|standing| standing.category),
            direction: standing.and_then(|standing| standing.direction),
            review_due: standing.is_some_and(|standing| standing.review_due),
            visits_due: standing.map_or(0, |standing| standing.entitlement.due()),
            visits_overdue: standing.map_or(0, |standing| standing.entitlement.overdue()),
            next_visit: standing.and_then(|standing| standing.next_visit),
            actions_overdue: standing.map_or(0, |standing| standing.actions_overdue),
        }
    }
}

/// What one school is owed in visits on a day, for `caseload due`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolDue {
    pub urn: u32,
    pub name: String,
    pub maintained: bool,
    pub category: Option<SupportCategory>,
    pub due: usize,
    pub overdue: usize,
    pub entitlement: EntitlementStatus,
}

impl SchoolDue {
    pub fn new(school: &School, standing: Standing) -> Self {
        SchoolDue {
            urn: school.urn.0,
            name: school.name.clone(),
            maintained: school.maintained(),
            category: standing.category,
            due: standing.entitlement.due(),
            overdue: standing.entitlement.overdue(),
            entitlement: standing.entitlement,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactView {
    pub id: String,
    pub role: ContactRole,
    pub role_label: &'static str,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

impl From<&Contact> for ContactView {
    fn from(contact: &Contact) -> Self {
        ContactView {
            id: contact.id.to_string(),
            role: contact.role,
            role_label: contact.role.label(),
            name: contact.name.full(),
            email: contact.email.clone(),
            phone: contact.phone.clone(),
            address: contact.address.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement {
    pub area: &'static str,
    pub grade: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectionView {
    pub id: String,
    pub inspected_on: NaiveDate,
    pub framework: &'static str,
    pub framework_label: &'static str,
    pub summary: String,
    pub judgements: Vec<Judgement>,
    pub safeguarding: Option<&'static str>,
}

impl From<&OfstedInspection> for InspectionView {
    fn from(inspection: &OfstedInspection) -> Self {
        let outcome = &inspection.outcome;
        InspectionView {
            id: inspection.id.to_string(),
            inspected_on: inspection.inspected_on,
            framework: outcome.framework(),
            framework_label: outcome.framework_label(),
            summary: inspection.summary(),
            judgements: outcome
                .judgements()
                .into_iter()
                .map(|(area, grade)| Judgement { area, grade })
                .collect(),
            safeguarding: outcome.safeguarding_label(),
        }
    }
}

/// A school's page: its profile, contacts and inspections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolProfile {
    pub row: SchoolRow,
    pub la_code: String,
    pub address_lines: Vec<String>,
    pub headteacher: Option<String>,
    pub telephone: Option<String>,
    pub website: Option<String>,
    pub pupils: Option<u32>,
    pub percentage_fsm: Option<f64>,
    pub open_date: Option<NaiveDate>,
    pub close_date: Option<NaiveDate>,
    pub link_sia: Option<AdviserView>,
    pub contacts: Vec<ContactView>,
    /// Latest first.
    pub inspections: Vec<InspectionView>,
}

/// What a school-list import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Closed establishments in the file: kept, but in no caseload.
    pub closed: usize,
    /// Rows of other authorities, left out.
    pub other_la: usize,
    /// Row-level problems in columns the app can do without, each naming its line.
    pub warnings: Vec<String>,
}
