//! The demo caseload: an invented authority (Fenbridge City Council) with
//! its schools, advisers, link-SIA assignments, contacts and inspections,
//! shipped in `assets/demo/` so a newcomer sees a working caseload.

use caseload_core::gias;
use caseload_core::ofsted::{OfstedInspection, OfstedOutcome};
use caseload_core::record::SCHOOL;
use caseload_core::toml_date::TomlDate;
use caseload_core::{Adviser, AdviserId, AdviserRole, Contact, ContactRole, PersonName, Urn};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::demo_academy::{write_academy_concerns, DemoAcademyConcern, DemoAcademyReport};
use crate::demo_history::{
    write_enhanced_offers, write_reviews, write_visits, AdvisersByEmail, DemoEnhancedOffer,
    DemoReview, DemoVisit,
};
use crate::demo_msp::{write_msp_groups, DemoMspGroup};
use crate::gias_import::write_school;
use crate::records::{load_where, Origin, Writer};
use crate::views::{AdviserView, ImportSummary, StoreStatus};
use crate::{set_meta, Store, StoreError};

const SCHOOLS_CSV: &[u8] = include_bytes!("../../../assets/demo/schools.csv");
const CASELOAD_TOML: &str = include_str!("../../../assets/demo/caseload.toml");
/// The `meta` key marking a store that holds the demo caseload.
const DEMO_MARK: &str = "demo_caseload";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCaseload {
    /// Email of the adviser the app opens as.
    me: String,
    adviser: Vec<DemoAdviser>,
    #[serde(default)]
    contact: Vec<DemoContact>,
    #[serde(default)]
    inspection: Vec<DemoInspection>,
    #[serde(default)]
    review: Vec<DemoReview>,
    #[serde(default)]
    visit: Vec<DemoVisit>,
    #[serde(default)]
    enhanced_offer: Vec<DemoEnhancedOffer>,
    #[serde(default)]
    msp_group: Vec<DemoMspGroup>,
    #[serde(default)]
    academy_concern: Vec<DemoAcademyConcern>,
    #[serde(default)]
    academy_report: Vec<DemoAcademyReport>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAdviser {
    name: String,
    email: String,
    role: AdviserRole,
    #[serde(default)]
    schools: Vec<Urn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoContact {
    urn: Urn,
    role: ContactRole,
    title: Option<String>,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
}

#[derive(Deserialize)]
struct DemoInspection {
    urn: Urn,
    inspected_on: TomlDate,
    #[serde(flatten)]
    outcome: OfstedOutcome,
}

impl Store {
    /// True when this store holds the demo caseload: its made-up schools
    /// and records must never reach an office.
    pub fn holds_demo(&self) -> Result<bool, StoreError> {
        Ok(crate::meta(self.conn(), DEMO_MARK)?.is_some())
    }

    /// The advisers a demo store can be opened as, by name; none in a real store.
    pub(crate) fn demo_advisers(&self) -> Result<Vec<AdviserView>, StoreError> {
        if !self.holds_demo()? {
            return Ok(Vec::new());
        }
        let mut advisers = load_where::<Adviser>(self.conn(), "1 = 1", [])?;
        advisers.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(advisers.iter().map(AdviserView::from).collect())
    }

    /// Loads the demo caseload into an empty store and makes its first link
    /// SIA the current adviser.
    pub fn load_demo(&mut self) -> Result<StoreStatus, StoreError> {
        // Enrolled and still empty (before its first sync brings the
        // caseload, or an adviser with none yet): the demo's made-up records
        // would be pushed to the office at the next sync.
        if self.enrolment()?.is_some() {
            return Err(StoreError::DemoWhenEnrolled);
        }
        let present = self.count("SELECT COUNT(*) FROM school WHERE deleted = 0", [])?;
        if present > 0 {
            return Err(StoreError::NotEmpty { schools: present });
        }
        let schools = gias::parse(SCHOOLS_CSV, None)
            .map_err(|error| StoreError::Demo(format!("assets/demo/schools.csv: {error}")))?;
        let caseload: DemoCaseload = toml::from_str(CASELOAD_TOML)
            .map_err(|error| StoreError::Demo(format!("assets/demo/caseload.toml: {error}")))?;
        self.write(|writer| {
            let mut summary = ImportSummary::default();
            for school in &schools.schools {
                write_school(writer, school, &mut summary)?;
            }
            let advisers = write_advisers(writer, &caseload.adviser)?;
            let me = advisers.get(&caseload.me).ok_or_else(|| {
                StoreError::Demo(format!("`me` ({}) is none of the advisers", caseload.me))
            })?;
            write_contacts(writer, &caseload.contact)?;
            write_inspections(writer, &caseload.inspection)?;
            crate::performance::write_demo_performance(writer)?;
            write_reviews(writer, &caseload.review, &advisers)?;
            write_visits(writer, &caseload.visit, &advisers)?;
            write_enhanced_offers(writer, &caseload.enhanced_offer)?;
            write_msp_groups(writer, &caseload.msp_group, &advisers)?;
            write_academy_concerns(
                writer,
                &caseload.academy_concern,
                &caseload.academy_report,
                &advisers,
            )?;
            set_meta(&writer.tx, "current_adviser", &me.to_string())?;
            set_meta(&writer.tx, DEMO_MARK, "1")
        })?;
        self.status()
    }

    /// Opens a demo store as another of the demo's advisers (by email or
    /// id), so a newcomer can see what a Senior SIA sees. Only the demo's
    /// advisers can be switched between: a real store's adviser is the one
    /// it was enrolled for.
    pub fn switch_demo_adviser(&mut self, adviser: &str) -> Result<StoreStatus, StoreError> {
        if !self.holds_demo()? {
            return Err(StoreError::NotDemo);
        }
        let adviser = self.adviser_by(adviser)?;
        self.set_current_adviser(adviser.id)?;
        self.status()
    }
}

/// Writes the advisers and their link-SIA assignments; returns their ids by email.
fn write_advisers(
    writer: &mut Writer<'_>,
    entries: &[DemoAdviser],
) -> Result<AdvisersByEmail, StoreError> {
    let mut advisers = AdvisersByEmail::new();
    for entry in entries {
        let adviser = Adviser {
            id: AdviserId(Uuid::now_v7()),
            name: entry.name.clone(),
            email: entry.email.clone(),
            role: entry.role,
        };
        writer.save(&adviser)?;
        for urn in &entry.schools {
            let link =
                Map::from_iter([("link_sia".to_owned(), Value::String(adviser.id.to_string()))]);
            writer.write_fields(&SCHOOL, &Value::from(urn.0), &link, Origin::Edit)?;
        }
        advisers.insert(adviser.email, adviser.id);
    }
    Ok(advisers)
}

fn write_contacts(writer: &mut Writer<'_>, contacts: &[DemoContact]) -> Result<(), StoreError> {
    for entry in contacts {
        writer.save(&Contact {
            id: Uuid::now_v7(),
            urn: entry.urn,
            role: entry.role,
            name: PersonName {
                title: entry.title.clone(),
                first_name: entry.first_name.clone(),
                last_name: entry.last_name.clone(),
            },
            email: entry.email.clone(),
            phone: entry.phone.clone(),
            address: entry.address.clone(),
        })?;
    }
    Ok(())
}

fn write_inspections(
    writer: &mut Writer<'_>,
    inspections: &[DemoInspection],
) -> Result<(), StoreError> {
    for entry in inspections {
        let inspection = OfstedInspection {
            id: Uuid::now_v7(),
            urn: entry.urn,
            inspected_on: entry.inspected_on.0,
            outcome: entry.outcome.clone(),
        };
        inspection.validate().map_err(|error| {
            StoreError::Demo(format!("inspection of URN {}: {error}", entry.urn))
        })?;
        writer.save(&inspection)?;
    }
    Ok(())
}
