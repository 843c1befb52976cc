//! The fields a template may use, gathered from a school's records. The
//! list is the contract with the authority's templates: `assets/letters/
//! README.md` documents every field.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use caseload_core::action::ActionStatus;
use caseload_core::letter::catalogue::Catalogue;
use caseload_core::letter::material::LetterMaterial;
use caseload_core::letter::{Recipient, WarningTerms};
use caseload_core::performance::Series;
use caseload_core::review::Review;
use caseload_core::visit::Visit;
use caseload_core::ContactRole;

/// The day as a letter prints it: "23 November 2026".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[derive(Debug, Serialize)]
pub struct LetterContext {
    pub today: String,
    pub school: SchoolFields,
    pub head: Option<String>,
    pub chair: Option<String>,
    pub recipients: Vec<Recipient>,
    /// After "Dear": "Mrs Okafor and Mr Patel".
    pub salutation: String,
    pub author: Option<AuthorFields>,
    pub category: Option<&'static str>,
    pub reviewed_on: Option<String>,
    pub ofsted: Option<String>,
    /// The texts of the indicators cited.
    pub indicators: Vec<String>,
    /// Open actions, soonest due first.
    pub actions: Vec<ActionFields>,
    pub visit: Option<VisitFields>,
    pub terms: Option<TermsFields>,
    /// Measures with figures, for `chart` blocks and the figures table.
    pub measures: Vec<MeasureFields>,
}

#[derive(Debug, Serialize)]
pub struct SchoolFields {
    pub urn: u32,
    pub name: String,
    pub phase: String,
    pub kind: String,
    pub trust: Option<String>,
    pub ward: Option<String>,
    pub pupils: Option<u32>,
    pub address: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct AuthorFields {
    pub name: String,
    pub role: &'static str,
    pub email: String,
}

#[derive(Debug, Serialize)]
pub struct ActionFields {
    pub text: String,
    pub owner: String,
    pub due: String,
    pub rag: String,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct VisitFields {
    pub date: String,
    pub session: &'static str,
    pub kind: &'static str,
    pub purpose: String,
    pub activities: Vec<&'static str>,
    pub notes: Vec<NoteFields>,
    pub strengths: String,
    pub development: String,
    /// Actions agreed at this visit.
    pub actions: Vec<ActionFields>,
}

#[derive(Debug, Serialize)]
pub struct NoteFields {
    pub area: String,
    pub evidence: String,
    pub judgement: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TermsFields {
    pub ground: &'static str,
    pub compliance_days: u16,
    pub comply_by: String,
    pub minded_to: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct MeasureFields {
    pub id: &'static str,
    pub label: &'static str,
    /// The first measure of its group (attainment, attendance...) the
    /// school has figures for: the one a short report charts.
    pub headline: bool,
    pub year: String,
    pub school: String,
    pub la: String,
    pub national: String,
}

/// What the adviser chose for this letter.
#[derive(Debug, Clone, Copy)]
pub struct Choices<'a> {
    pub today: NaiveDate,
    pub recipients: &'a [Recipient],
    pub salutation: &'a str,
    pub indicators: &'a [String],
    pub visit: Option<Uuid>,
    pub terms: Option<&'a WarningTerms>,
}

impl LetterContext {
    pub fn new(material: &LetterMaterial, catalogue: &Catalogue, choices: Choices<'_>) -> Self {
        let today = choices.today;
        let latest_review = latest_agreed(&material.reviews);
        LetterContext {
            today: long_date(today),
            school: SchoolFields::new(material),
            head: contact_name(material, ContactRole::Headteacher)
                .or_else(|| material.school.headteacher.as_ref().map(|head| head.full())),
            chair: contact_name(material, ContactRole::ChairOfGovernors),
            recipients: choices.recipients.to_vec(),
            salutation: choices.salutation.to_owned(),
            author: material.author.as_ref().map(|adviser| AuthorFields {
                name: adviser.name.clone(),
                role: adviser.role.label(),
                email: adviser.email.clone(),
            }),
            category: latest_review
                .and_then(Review::category)
                .map(|category| category.label()),
            reviewed_on: latest_review.map(|review| long_date(review.reviewed_on)),
            ofsted: caseload_core::ofsted::latest(&material.inspections)
                .map(|inspection| inspection.summary()),
            indicators: choices
                .indicators
                .iter()
                .filter_map(|id| catalogue.get(id))
                .map(|indicator| indicator.text.clone())
                .collect(),
            actions: open_actions(material, today, |_| true),
            visit: choices
                .visit
                .and_then(|id| material.visits.iter().find(|visit| visit.id == id))
                .map(|visit| VisitFields::new(visit, material, today)),
            terms: choices.terms.map(|terms| TermsFields {
                ground: terms.ground.statement(),
                compliance_days: terms.compliance_days,
                comply_by: long_date(terms.comply_by(today)),
                minded_to: terms
                    .minded_to
                    .iter()
                    .map(|power| power.statement())
                    .collect(),
            }),
            measures: measures(material),
        }
    }
}

impl SchoolFields {
    fn new(material: &LetterMaterial) -> Self {
        let school = &material.school;
        SchoolFields {
            urn: school.urn.0,
            name: school.name.clone(),
            phase: school.phase.gias_name().to_owned(),
            kind: school.establishment_type.name().to_owned(),
            trust: school.trust.clone(),
            ward: school.ward.clone(),
            pupils: school.pupils,
            address: school
                .address_lines()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }
}

impl VisitFields {
    fn new(visit: &Visit, material: &LetterMaterial, today: NaiveDate) -> Self {
        VisitFields {
            date: long_date(visit.visited_on),
            session: visit.session.label(),
            kind: visit.kind.label(),
            purpose: visit.purpose.clone(),
            activities: visit
                .activities
                .iter()
                .map(|activity| activity.label())
                .collect(),
            notes: visit
                .notes
                .iter()
                .filter(|note| !note.evidence.trim().is_empty())
                .map(|note| NoteFields {
                    area: area_name(&note.area),
                    evidence: note.evidence.clone(),
                    judgement: note.judgement.clone(),
                })
                .collect(),
            strengths: visit.strengths.clone(),
            development: visit.development.clone(),
            actions: open_actions(material, today, |source| {
                source == caseload_core::action::ActionSource::Visit(visit.id)
            }),
        }
    }
}

fn latest_agreed(reviews: &[Review]) -> Option<&Review> {
    reviews
        .iter()
        .filter(|review| review.category().is_some())
        .max_by_key(|review| review.reviewed_on)
}

fn contact_name(material: &LetterMaterial, role: ContactRole) -> Option<String> {
    material
        .contacts
        .iter()
        .find(|contact| contact.role == role)
        .map(|contact| contact.name.full())
}

fn open_actions(
    material: &LetterMaterial,
    today: NaiveDate,
    from: impl Fn(caseload_core::action::ActionSource) -> bool,
) -> Vec<ActionFields> {
    let mut open: Vec<_> = material
        .actions
        .iter()
        .filter(|action| action.status == ActionStatus::Open && from(action.source))
        .collect();
    open.sort_by_key(|action| action.due_on);
    open.into_iter()
        .map(|action| ActionFields {
            text: action.text.clone(),
            owner: action.owner.clone(),
            due: long_date(action.due_on),
            rag: format!("{:?}", action.rag),
            overdue: action.is_overdue(today),
        })
        .collect()
}

/// "quality-of-education" reads "Quality of education".
fn area_name(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The latest year of each measure with a school figure.
fn measures(material: &LetterMaterial) -> Vec<MeasureFields> {
    let mut groups_seen = std::collections::BTreeSet::new();
    Series::of(&material.figures)
        .into_iter()
        .filter_map(|series| {
            let latest = series
                .years
                .iter()
                .rev()
                .find(|year| year.school.value().is_some())?;
            let measure = series.measure;
            Some(MeasureFields {
                id: measure.id(),
                label: measure.label(),
                headline: groups_seen.insert(measure.group()),
                year: latest.year.to_string(),
                school: measure.show(latest.school),
                la: measure.show(latest.la),
                national: measure.show(latest.national),
            })
        })
        .collect()
}
