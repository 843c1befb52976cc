use caseload_core::authority::{authority_view_on, AuthoritySchool, AuthorityTarget};
use caseload_core::standing::{standing_on, SchoolRecords};
use caseload_core::{samples, School, TermCalendar, Urn};
use chrono::NaiveDate;

use super::*;

const TERM_DATES: &str = include_str!("../../../../assets/term-dates.toml");

/// Two schools, one of them with a comma and quotes in its name.
fn view() -> AuthorityView {
    let calendar = TermCalendar::from_toml(TERM_DATES).expect("term dates");
    let today = NaiveDate::from_ymd_opt(2027, 2, 10).expect("date");
    let quoted = School {
        urn: Urn(990_102),
        name: "Fen, \"Old\" Road Primary".to_owned(),
        ward: None,
        ..samples::school()
    };
    let schools: Vec<AuthoritySchool> = [samples::school(), quoted]
        .into_iter()
        .map(|school| {
            let records: SchoolRecords = SchoolRecords {
                school: &school,
                reviews: &[],
                visits: &[],
                actions: &[],
                enhanced_offer: false,
            };
            AuthoritySchool {
                standing: standing_on(today, records, &calendar),
                inspection: Some(samples::inspection()),
                msp_groups: Vec::new(),
                letters: Vec::new(),
                concerns: Vec::new(),
                school,
            }
        })
        .collect();
    authority_view_on(
        today,
        &schools,
        &[samples::adviser()],
        &AuthorityTarget {
            good_or_better_percent: 90.0,
        },
        &calendar,
    )
}

#[test]
fn the_csv_has_one_row_per_school_under_its_header() {
    let bytes = csv(&view()).expect("csv");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        &rows[0][1], "Fen, \"Old\" Road Primary",
        "quoted, read back whole"
    );
    assert_eq!(&rows[0][5], "", "no ward recorded");
    assert_eq!(&rows[1][0], "990101");
    assert_eq!(&rows[1][6], "Priya Raman");
    assert_eq!(&rows[1][8], "Not yet categorised");
    assert_eq!(&rows[1][9], "Not reviewed this term");
    assert_eq!(&rows[1][11], "Yes");
    // Never reviewed, in February: the autumn visit is overdue.
    assert_eq!(&rows[1][12], "1");
}

#[test]
fn the_report_opens_with_the_headline_against_the_target() {
    let letters = LetterSet::shipped().expect("shipped letters");
    let report = report_document(&view(), &letters);
    assert_eq!(report.recipients[0].lines[0], "The Scrutiny Committee");
    assert_eq!(report.date, "10 February 2027");
    let Block::Paragraph { spans } = &report.blocks[1] else {
        panic!("the headline is a paragraph");
    };
    assert!(
        spans[0].text.contains(
            "Of the 2 maintained schools with an inspection on record, 2 (100.0%) are judged good or better, against the authority's target of 90%"
        ),
        "{}",
        spans[0].text
    );
}
