//! The authority-wide view as the scrutiny committee reads it: a CSV with
//! one row per open school (what each count is made of, for the
//! committee's own analysis), and a report laid out by the typesetter like
//! any letter, under the authority's letterhead: the headline shares against
//! the target, then the tables behind them.
//!
//! Nothing here counts: the figures come from
//! `caseload_core::authority`, already counted.

use caseload_core::authority::{AuthorityView, CategoryRow, SchoolLine, Share};
use caseload_core::criteria::SupportCategory;

use crate::document::{Address, Block, Document, Span, Table};
use crate::letters::context::long_date;
use crate::letters::LetterSet;

/// The CSV's columns, in order.
pub const CSV_HEADER: [&str; 16] = [
    "URN",
    "School",
    "Phase",
    "Type",
    "Maintained",
    "Ward",
    "Link SIA",
    "Pupils",
    "Support category",
    "Direction this term",
    "Latest Ofsted",
    "Good or better",
    "Visits overdue",
    "MSP group open since",
    "Warning notice open (issued)",
    "Academy concern stage",
];

/// One row per open school, ordered by name.
pub fn csv(view: &AuthorityView) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for line in &view.schools {
        writer.write_record(csv_row(line))?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

fn csv_row(line: &SchoolLine) -> [String; 16] {
    let text = |value: Option<String>| value.unwrap_or_default();
    let yes_no = |value: bool| if value { "Yes" } else { "No" }.to_owned();
    [
        line.urn.to_string(),
        line.name.clone(),
        line.phase_label.to_owned(),
        line.establishment_type.clone(),
        yes_no(line.maintained),
        text(line.ward.clone()),
        text(line.link_sia_name.clone()),
        text(line.pupils.map(|pupils| pupils.to_string())),
        category_label(line.category).to_owned(),
        line.direction.label().to_owned(),
        text(line.ofsted.clone()),
        text(line.good_or_better.map(yes_no)),
        line.visits_overdue.to_string(),
        text(line.msp_group_opened.map(|on| on.to_string())),
        text(line.warning_notice.map(|on| on.to_string())),
        text(line.academy_concern.map(|stage| stage.label().to_owned())),
    ]
}

fn category_label(category: Option<SupportCategory>) -> &'static str {
    category.map_or("Not yet categorised", SupportCategory::label)
}

/// The report for the scrutiny committee.
pub fn report_document(view: &AuthorityView, letters: &LetterSet) -> Document {
    let when = long_date(view.today);
    let mut blocks = vec![
        Block::Heading {
            text: "Schools judged good or better".to_owned(),
        },
        paragraph(headline(view)),
        Block::Table(shares_table(view)),
    ];
    let mut by = |heading: &str, first: &str, rows: &[CategoryRow]| {
        blocks.push(Block::Heading {
            text: heading.to_owned(),
        });
        blocks.push(Block::Table(category_table(first, rows, view)));
    };
    by(
        "Schools by support category and phase",
        "Phase",
        &view.by_phase,
    );
    by(
        "Schools by support category and ward",
        "Ward",
        &view.by_ward,
    );
    by(
        "Schools by support category and link SIA",
        "Link SIA",
        &view.by_adviser,
    );
    blocks.extend(direction(view));
    blocks.extend(overdue(view));
    blocks.extend(msp_and_notices(view));
    blocks.extend(concerns(view));
    Document {
        title: format!("The authority's schools: report to the scrutiny committee, {when}"),
        letterhead: letters.letterhead_with(None),
        marking: None,
        recipients: vec![Address {
            lines: vec![
                "The Scrutiny Committee".to_owned(),
                letters.letterhead.authority.clone(),
            ],
        }],
        date: when,
        reference: Some(format!("SIA/AUTHORITY/{}", view.today)),
        blocks,
        signature: None,
        copies_to: Vec::new(),
    }
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph {
        spans: vec![Span::plain(text)],
    }
}

fn percent(share: &Share) -> String {
    share
        .percent
        .map_or("none judged".to_owned(), |percent| format!("{percent:.1}%"))
}

fn headline(view: &AuthorityView) -> String {
    let measure = &view.good_or_better;
    let schools = &measure.schools;
    let mut text = format!(
        "On {} the authority has {} open schools. Of the {} maintained schools with an inspection on record, {} ({}) are judged good or better, against the authority's target of {}%; they teach {} of {} pupils ({}).",
        long_date(view.today),
        view.schools.len(),
        schools.judged,
        schools.good_or_better,
        percent(schools),
        measure.target_percent,
        measure.pupils.good_or_better,
        measure.pupils.judged,
        percent(&measure.pupils),
    );
    if !measure.not_inspected.is_empty() {
        text.push_str(&format!(
            " {} maintained schools have no inspection on record and are not counted.",
            measure.not_inspected.len()
        ));
    }
    text.push_str(
        " Good or better means an overall grade of outstanding or good; for inspections from September 2024 without an overall grade, every key judgement good or better; under the 2025 report cards, expected standard or above in every area with safeguarding met.",
    );
    text
}

fn shares_table(view: &AuthorityView) -> Table {
    let measure = &view.good_or_better;
    let row = |what: &str, share: &Share| {
        vec![
            what.to_owned(),
            share.good_or_better.to_string(),
            share.judged.to_string(),
            percent(share),
            format!("{}%", measure.target_percent),
            match share.meets_target {
                Some(true) => "Met",
                Some(false) => "Not met",
                None => "",
            }
            .to_owned(),
        ]
    };
    Table {
        header: [
            "Measure",
            "Good or better",
            "Judged",
            "Share",
            "Target",
            "Met",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: vec![
            row("Maintained schools", &measure.schools),
            row("Pupils in them", &measure.pupils),
        ],
        widths: vec![3.6, 2.2, 1.8, 1.8, 1.6, 1.6],
    }
}

fn category_table(first: &str, rows: &[CategoryRow], view: &AuthorityView) -> Table {
    let counts = |label: &str, cells: Vec<usize>| {
        let total: usize = cells.iter().sum();
        std::iter::once(label.to_owned())
            .chain(cells.iter().map(usize::to_string))
            .chain([total.to_string()])
            .collect()
    };
    let mut table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            counts(
                &row.label,
                row.categories
                    .iter()
                    .map(|cell| cell.schools.len())
                    .collect(),
            )
        })
        .collect();
    table_rows.push(counts(
        "All schools",
        view.categories
            .iter()
            .map(|cell| cell.schools.len())
            .collect(),
    ));
    Table {
        header: [
            first,
            "Low",
            "Medium",
            "High",
            "Not yet categorised",
            "Total",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: table_rows,
        widths: vec![4.0, 1.4, 1.6, 1.4, 2.6, 1.4],
    }
}

fn direction(view: &AuthorityView) -> Vec<Block> {
    vec![
        Block::Heading {
            text: format!("Direction of travel, {}", view.term),
        },
        paragraph(
            "From each school's latest agreed review this term against the one before it; a school reviewed for the first time has no direction yet.",
        ),
        Block::Table(Table {
            header: vec!["Direction".to_owned(), "Schools".to_owned()],
            rows: view
                .direction
                .iter()
                .map(|count| vec![count.label.to_owned(), count.schools.len().to_string()])
                .collect(),
            widths: vec![4.0, 2.0],
        }),
    ]
}

fn overdue(view: &AuthorityView) -> Vec<Block> {
    vec![
        Block::Heading {
            text: "Visits overdue by adviser".to_owned(),
        },
        paragraph(
            "Terms (half-terms for schools in high support) of this academic year that ended without the visit the entitlement asks for.",
        ),
        Block::Table(Table {
            header: ["Link SIA", "Schools", "Visits overdue", "Schools with one overdue"]
                .map(str::to_owned)
                .to_vec(),
            rows: view
                .visits_overdue
                .iter()
                .map(|row| {
                    vec![
                        row.name.clone(),
                        row.caseload.to_string(),
                        row.periods.to_string(),
                        row.schools.len().to_string(),
                    ]
                })
                .collect(),
            widths: vec![4.0, 1.6, 2.0, 2.8],
        }),
    ]
}

fn msp_and_notices(view: &AuthorityView) -> Vec<Block> {
    let mut blocks = vec![Block::Heading {
        text: format!("MSP groups open: {}", view.msp_groups_open.len()),
    }];
    blocks.push(if view.msp_groups_open.is_empty() {
        paragraph("No Monitoring Support Partnership group is open.")
    } else {
        Block::Table(Table {
            header: ["School", "Chair", "Opened"].map(str::to_owned).to_vec(),
            rows: view
                .msp_groups_open
                .iter()
                .map(|group| {
                    vec![
                        format!("{} ({})", group.school, group.urn),
                        group.chair.clone(),
                        long_date(group.opened_on),
                    ]
                })
                .collect(),
            widths: vec![5.0, 3.0, 2.4],
        })
    });
    blocks.push(Block::Heading {
        text: format!("Warning notices open: {}", view.warning_notices_open.len()),
    });
    blocks.push(if view.warning_notices_open.is_empty() {
        paragraph("No formal warning notice is open.")
    } else {
        Block::Table(Table {
            header: ["School", "Issued", "Compliance period ends"]
                .map(str::to_owned)
                .to_vec(),
            rows: view
                .warning_notices_open
                .iter()
                .map(|notice| {
                    vec![
                        format!("{} ({})", notice.school, notice.urn),
                        long_date(notice.dated),
                        notice.comply_by.map(long_date).unwrap_or_default(),
                    ]
                })
                .collect(),
            widths: vec![5.0, 2.6, 2.8],
        })
    });
    blocks
}

fn concerns(view: &AuthorityView) -> Vec<Block> {
    vec![
        Block::Heading {
            text: "Concerns about academies, by stage of escalation".to_owned(),
        },
        paragraph(
            "Every unresolved concern at the furthest step taken, and the concerns resolved this academic year.",
        ),
        Block::Table(Table {
            header: ["Stage", "Concerns", "Academies"].map(str::to_owned).to_vec(),
            rows: view
                .academy_concerns
                .iter()
                .map(|at| {
                    let mut schools: Vec<&str> =
                        at.concerns.iter().map(|concern| concern.school.as_str()).collect();
                    schools.dedup();
                    vec![
                        at.label.to_owned(),
                        at.concerns.len().to_string(),
                        schools.join("; "),
                    ]
                })
                .collect(),
            widths: vec![2.6, 1.6, 6.0],
        }),
    ]
}

#[cfg(test)]
mod tests;
