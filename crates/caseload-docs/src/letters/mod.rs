//! Letters from templates: the authority's wording (`assets/letters/`, or
//! a `letters` folder beside the store that replaces it file by file) filled
//! from a school's records into a draft, and a draft or issued letter laid
//! out as a [`Document`] for the typesetter.

pub mod batch;
mod charts;
pub mod context;
pub(crate) mod markdown;
pub mod recipients;
pub mod template;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use thiserror::Error;
use uuid::Uuid;

use caseload_core::letter::catalogue::Catalogue;
use caseload_core::letter::material::{default_terms, LetterMaterial};
use caseload_core::letter::{Letter, LetterKind, LetterStatus, Signatory, WarningTerms};
use caseload_core::visit::VisitStatus;
use caseload_core::Adviser;

use crate::document::{Address, Block, Document, Letterhead, Signature};
use context::{long_date, Choices, LetterContext};
use template::{LetterTemplate, SignedBy, TemplateError};

/// The shipped files, by name, as a `letters` folder may replace them.
const SHIPPED: &[(&str, &str)] = &[
    (
        "congratulations.toml",
        include_str!("../../../../assets/letters/congratulations.toml"),
    ),
    (
        "significant-concerns.toml",
        include_str!("../../../../assets/letters/significant-concerns.toml"),
    ),
    (
        "warning-notice.toml",
        include_str!("../../../../assets/letters/warning-notice.toml"),
    ),
    (
        "academy-concern.toml",
        include_str!("../../../../assets/letters/academy-concern.toml"),
    ),
    (
        "visit-note.toml",
        include_str!("../../../../assets/letters/visit-note.toml"),
    ),
    (
        "member-alert.toml",
        include_str!("../../../../assets/letters/member-alert.toml"),
    ),
    (
        "school-on-a-page.toml",
        include_str!("../../../../assets/letters/school-on-a-page.toml"),
    ),
];
const INDICATORS: &str = include_str!("../../../../assets/letters/indicators.toml");
const LETTERHEAD: &str = include_str!("../../../../assets/letters/letterhead.toml");
const LOGO: &[u8] = include_bytes!("../../../../assets/letters/logo.png");

#[derive(Debug, Error)]
pub enum LetterDocError {
    #[error("{0}")]
    Template(#[from] TemplateError),
    #[error("{file}: {problem}")]
    File { file: String, problem: String },
    #[error("a {kind} is not for {school}: {why}")]
    Unsuited {
        kind: &'static str,
        school: String,
        why: &'static str,
    },
    #[error("{0}")]
    Recipients(String),
    #[error("indicator \"{id}\" is not one a {kind} can cite")]
    UnknownIndicator { id: String, kind: &'static str },
    #[error("{0}")]
    Visit(String),
    #[error("the letter's text: {0}")]
    Body(String),
    #[error(
        "no adviser is recorded as writing this letter, and its template is signed by the author"
    )]
    NoSignatory,
    #[error("{0}")]
    Typeset(#[from] crate::typeset::TypesetError),
}

/// The authority's details at the head of every letter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterheadFile {
    pub authority: String,
    pub service: String,
    pub address: Vec<String>,
    pub telephone: String,
    pub director: Signatory,
}

/// Everything the authority edits about its letters.
#[derive(Debug, Clone)]
pub struct LetterSet {
    templates: BTreeMap<LetterKind, LetterTemplate>,
    pub catalogue: Catalogue,
    pub letterhead: LetterheadFile,
    logo_png: Vec<u8>,
}

/// What to draft: the kind, and what the adviser chose (None lets the
/// records decide).
#[derive(Debug, Clone)]
pub struct DraftRequest {
    pub id: Uuid,
    pub kind: LetterKind,
    pub today: NaiveDate,
    pub visit: Option<Uuid>,
    pub indicators: Option<Vec<String>>,
    pub terms: Option<WarningTerms>,
}

impl LetterSet {
    /// The templates built into the app.
    pub fn shipped() -> Result<LetterSet, LetterDocError> {
        Self::assemble(|_| Ok(None), "assets/letters")
    }

    /// The shipped set with any file of the same name in `folder` in its place.
    pub fn with_folder(folder: &Path) -> Result<LetterSet, LetterDocError> {
        Self::assemble(
            |name| {
                let path = folder.join(name);
                match fs::read(&path) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(error) => Err(LetterDocError::File {
                        file: path.display().to_string(),
                        problem: error.to_string(),
                    }),
                }
            },
            &folder.display().to_string(),
        )
    }

    fn assemble(
        local: impl Fn(&str) -> Result<Option<Vec<u8>>, LetterDocError>,
        folder: &str,
    ) -> Result<LetterSet, LetterDocError> {
        let text = |name: &str, shipped: &str| -> Result<(String, String), LetterDocError> {
            match local(name)? {
                Some(bytes) => {
                    let file = format!("{folder}/{name}");
                    let text = String::from_utf8(bytes).map_err(|_| LetterDocError::File {
                        file: file.clone(),
                        problem: "is not UTF-8 text".to_owned(),
                    })?;
                    Ok((file, text))
                }
                None => Ok((format!("assets/letters/{name}"), shipped.to_owned())),
            }
        };
        let mut templates = BTreeMap::new();
        for (name, shipped) in SHIPPED {
            let (file, source) = text(name, shipped)?;
            let template = LetterTemplate::parse(&file, &source)?;
            templates.insert(template.kind, template);
        }
        let (file, source) = text("indicators.toml", INDICATORS)?;
        let catalogue = Catalogue::parse(&source).map_err(|error| LetterDocError::File {
            file,
            problem: error.to_string(),
        })?;
        let (file, source) = text("letterhead.toml", LETTERHEAD)?;
        let letterhead =
            toml::from_str(&source).map_err(|error: toml::de::Error| LetterDocError::File {
                file,
                problem: error.to_string(),
            })?;
        let logo_png = local("logo.png")?.unwrap_or_else(|| LOGO.to_vec());
        Ok(LetterSet {
            templates,
            catalogue,
            letterhead,
            logo_png,
        })
    }

    pub fn template(&self, kind: LetterKind) -> Option<&LetterTemplate> {
        self.templates.get(&kind)
    }

    /// A draft letter of the requested kind for the school in `material`.
    pub fn draft(
        &self,
        material: &LetterMaterial,
        request: DraftRequest,
    ) -> Result<Letter, LetterDocError> {
        let kind = request.kind;
        check_suits(kind, material)?;
        let template = self.template(kind).ok_or_else(|| LetterDocError::File {
            file: format!("assets/letters/{kind}.toml"),
            problem: "no template for this kind".to_owned(),
        })?;
        let indicators = self.indicators(kind, material, &request)?;
        let visit = match kind {
            LetterKind::VisitNote => Some(visit_to_note(material, request.visit)?),
            _ => None,
        };
        let terms = (kind == LetterKind::WarningNotice).then(|| {
            request
                .terms
                .clone()
                .unwrap_or_else(|| default_terms(&indicators))
        });
        let recipients =
            recipients::resolve(&template.recipients, &material.school, &material.contacts)
                .map_err(LetterDocError::Recipients)?;
        let salutation = recipients::salutation(&recipients, &material.contacts, &material.school);
        let choices = Choices {
            today: request.today,
            recipients: &recipients,
            salutation: &salutation,
            indicators: &indicators,
            visit,
            terms: terms.as_ref(),
        };
        let filled = template.fill(&LetterContext::new(material, &self.catalogue, choices))?;
        Ok(Letter {
            id: request.id,
            urn: material.school.urn,
            kind,
            status: LetterStatus::Draft,
            dated: request.today,
            reference: reference(kind, material, request.today),
            recipients,
            copies_to: template.copies_to.clone(),
            subject: filled.subject,
            body: filled.body,
            marking: template.marking.clone(),
            indicators,
            terms,
            visit,
            corrects: None,
            author: material.author.as_ref().map(|author| author.id),
            signatory: self.signatory(template.signed_by, material)?,
            pdf_sha256: None,
        })
    }

    /// The indicators chosen, or those the records make apply.
    fn indicators(
        &self,
        kind: LetterKind,
        material: &LetterMaterial,
        request: &DraftRequest,
    ) -> Result<Vec<String>, LetterDocError> {
        let Some(chosen) = &request.indicators else {
            let facts = material.facts(request.today);
            return Ok(self
                .catalogue
                .applying(kind, &facts)
                .into_iter()
                .map(|indicator| indicator.id.clone())
                .collect());
        };
        for id in chosen {
            if self
                .catalogue
                .get(id)
                .is_none_or(|indicator| indicator.letter != kind)
            {
                return Err(LetterDocError::UnknownIndicator {
                    id: id.clone(),
                    kind: kind.label(),
                });
            }
        }
        Ok(chosen.clone())
    }

    fn signatory(
        &self,
        signed_by: SignedBy,
        material: &LetterMaterial,
    ) -> Result<Signatory, LetterDocError> {
        match (signed_by, &material.author) {
            (SignedBy::Director, _) => Ok(self.letterhead.director.clone()),
            (SignedBy::Author, Some(author)) => Ok(Signatory {
                name: author.name.clone(),
                role: author.role.label().to_owned(),
            }),
            (SignedBy::Author, None) => Err(LetterDocError::NoSignatory),
        }
    }

    /// The letter laid out for print, as it reads now (or was issued).
    pub fn document(
        &self,
        letter: &Letter,
        material: &LetterMaterial,
    ) -> Result<Document, LetterDocError> {
        let charts = charts::charts(&material.figures);
        let mut blocks = vec![Block::Heading {
            text: letter.subject.clone(),
        }];
        blocks.extend(markdown::blocks(&letter.body, &charts).map_err(LetterDocError::Body)?);
        Ok(Document {
            title: letter.subject.clone(),
            letterhead: self.letterhead_for(material),
            marking: letter.marking.clone(),
            recipients: letter
                .recipients
                .iter()
                .map(|recipient| Address {
                    lines: [recipient.name.clone(), recipient.role.clone()]
                        .into_iter()
                        .chain(recipient.address.iter().cloned())
                        .collect(),
                })
                .collect(),
            date: long_date(letter.dated),
            reference: Some(letter.reference.clone()),
            blocks,
            signature: Some(Signature {
                closing: "Yours sincerely".to_owned(),
                name: letter.signatory.name.clone(),
                role: letter.signatory.role.clone(),
                organisation: self.letterhead.authority.clone(),
            }),
            copies_to: letter.copies_to.clone(),
        })
    }

    fn letterhead_for(&self, material: &LetterMaterial) -> Letterhead {
        self.letterhead_with(material.author.as_ref())
    }

    /// The authority's letterhead, naming `contact` (the adviser writing)
    /// as the person to contact.
    pub fn letterhead_with(&self, contact: Option<&Adviser>) -> Letterhead {
        let head = &self.letterhead;
        let mut contact: Vec<String> = contact
            .iter()
            .flat_map(|author| {
                [
                    format!("Contact: {}", author.name),
                    format!("Email: {}", author.email),
                ]
            })
            .collect();
        contact.push(format!("Telephone: {}", head.telephone));
        Letterhead {
            authority: head.authority.clone(),
            service: head.service.clone(),
            address: head.address.clone(),
            contact,
            logo_png: Some(self.logo_png.clone()),
        }
    }
}

fn check_suits(kind: LetterKind, material: &LetterMaterial) -> Result<(), LetterDocError> {
    if kind.suits(material.school.governance()) {
        return Ok(());
    }
    let why = match kind {
        LetterKind::SignificantConcerns | LetterKind::WarningNotice => {
            "the authority's statutory letters go to maintained schools; for an academy, write an academy-concern letter to the trust"
        }
        LetterKind::AcademyConcern => "it is for academies and free schools; this school is not one",
        _ => "the authority writes only to maintained schools and academies",
    };
    Err(LetterDocError::Unsuited {
        kind: kind.label(),
        school: format!("{} (URN {})", material.school.name, material.school.urn),
        why,
    })
}

/// The finalised visit a note records: the one asked for, or the latest.
fn visit_to_note(material: &LetterMaterial, asked: Option<Uuid>) -> Result<Uuid, LetterDocError> {
    let finalised = material
        .visits
        .iter()
        .filter(|visit| visit.status == VisitStatus::Finalised);
    let visit = match asked {
        Some(id) => material
            .visits
            .iter()
            .find(|visit| visit.id == id)
            .ok_or_else(|| {
                LetterDocError::Visit(format!("no visit {id} at {}", material.school.name))
            })?,
        None => finalised
            .max_by_key(|visit| visit.visited_on)
            .ok_or_else(|| {
                LetterDocError::Visit(format!(
                    "{} has no finalised visit to write a note of",
                    material.school.name
                ))
            })?,
    };
    if visit.status != VisitStatus::Finalised {
        return Err(LetterDocError::Visit(format!(
            "the visit of {} is not finalised: finalise it before writing its note",
            long_date(visit.visited_on)
        )));
    }
    Ok(visit.id)
}

/// "SIA/990001/WN/2026-11-23": the service, the school, the kind and the day.
fn reference(kind: LetterKind, material: &LetterMaterial, today: NaiveDate) -> String {
    let code = match kind {
        LetterKind::Congratulations => "CON",
        LetterKind::SignificantConcerns => "SC",
        LetterKind::WarningNotice => "WN",
        LetterKind::AcademyConcern => "AC",
        LetterKind::VisitNote => "NV",
        LetterKind::MemberAlert => "MA",
        LetterKind::SchoolOnAPage => "SOP",
    };
    format!("SIA/{}/{code}/{today}", material.school.urn)
}
