//! The GIAS establishment-file parser, on files shaped like the DfE's and on
//! the ways a real file goes wrong.

use caseload_core::gias::{self, GiasError, GiasFile};
use caseload_core::{LaCode, PersonName, Phase, School, SchoolStatus, Urn};
use chrono::NaiveDate;
use proptest::prelude::*;

const FENBRIDGE: LaCode = LaCode(990);

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn parsed(bytes: &[u8], la: Option<LaCode>) -> GiasFile {
    gias::parse(bytes, la).unwrap_or_else(|error| panic!("refused: {error}"))
}

fn refused(bytes: &[u8], la: Option<LaCode>) -> GiasError {
    match gias::parse(bytes, la) {
        Ok(file) => panic!("accepted {} schools", file.schools.len()),
        Err(error) => error,
    }
}

fn school(file: &GiasFile, urn: u32) -> &School {
    file.schools
        .iter()
        .find(|school| school.urn == Urn(urn))
        .unwrap_or_else(|| panic!("no school {urn}"))
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The smallest header GIAS could give, and rows for it: each `rows` entry is
/// one line, so line N of the file is `rows[N - 2]`.
const HEADER: &str = "URN,LA (code),EstablishmentName,TypeOfEstablishment (name),\
EstablishmentStatus (name),PhaseOfEducation (name),NumberOfPupils,PercentageFSM,OpenDate,CloseDate";

fn small_file(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push_str("\r\n");
        text.push_str(row);
    }
    text.push_str("\r\n");
    text.into_bytes()
}

const GOOD_ROW: &str =
    "990001,990,Fenbridge Primary,Community school,Open,Primary,210,12.5,01-09-1975,";

mod the_published_file {
    use super::*;

    #[test]
    fn windows_1252_names_come_through_intact() {
        let file = parsed(&fixture("gias-fenbridge-windows-1252.csv"), Some(FENBRIDGE));
        let st_marys = school(&file, 990101);
        assert_eq!(st_marys.name, "St Mary’s Church of England Primary School");
        assert_eq!(
            st_marys.headteacher,
            Some(PersonName {
                title: Some("Mrs".to_owned()),
                first_name: "Zoë".to_owned(),
                last_name: "O’Connor".to_owned(),
            })
        );
        assert_eq!(st_marys.percentage_fsm, Some(17.4));
        assert_eq!(st_marys.pupils, Some(210));
        assert_eq!(st_marys.la_code, FENBRIDGE);
        assert_eq!(st_marys.phase, Phase::Primary);
        assert!(st_marys.maintained());
        assert_eq!(st_marys.ward.as_deref(), Some("Castle"));
        assert_eq!(st_marys.telephone.as_deref(), Some("01632 960101"));
        assert_eq!(
            st_marys.website.as_deref(),
            Some("www.stmarys-fenbridge.example")
        );
        assert_eq!(
            st_marys.address_lines(),
            ["Chapel Lane", "Fenbridge", "FB1 2AA"]
        );
        assert_eq!(st_marys.trust, None);
        assert_eq!(st_marys.link_sia, None);
    }

    #[test]
    fn a_quoted_comma_stays_in_the_name() {
        let file = parsed(&fixture("gias-fenbridge-windows-1252.csv"), Some(FENBRIDGE));
        let academy = school(&file, 990102);
        assert_eq!(academy.name, "Fenbridge, Old Town Academy");
        assert_eq!(academy.trust.as_deref(), Some("Fenbridge Learning Trust"));
        assert_eq!(academy.open_date, date(2012, 9, 1));
        assert!(!academy.maintained());
        // Suppressed FSM is no figure, and no fault.
        assert_eq!(academy.percentage_fsm, None);
        // "Not applicable" and no name: no headteacher.
        assert_eq!(academy.headteacher, None);
    }

    #[test]
    fn a_quoted_newline_is_one_field_and_lines_still_count() {
        let file = parsed(&fixture("gias-fenbridge-windows-1252.csv"), Some(FENBRIDGE));
        let nursery = school(&file, 990103);
        assert_eq!(nursery.street.as_deref(), Some("Unit 4\nRiverside Walk"));
        assert_eq!(nursery.phase, Phase::Nursery);
        // The two-line record pushes the other authority's record to line 7.
        let bytes = fixture("gias-fenbridge-windows-1252.csv");
        let error = refused(&bytes, None);
        assert_eq!(error.line, Some(7));
        assert_eq!(error.field.as_deref(), Some("URN"));
    }

    #[test]
    fn closed_schools_are_kept() {
        let file = parsed(&fixture("gias-fenbridge-windows-1252.csv"), Some(FENBRIDGE));
        let closed = school(&file, 990104);
        assert_eq!(closed.status, SchoolStatus::Closed);
        assert_eq!(closed.close_date, date(2019, 8, 31));
        assert!(!closed.in_caseload());
    }

    #[test]
    fn another_authoritys_rows_are_counted_not_checked() {
        let file = parsed(&fixture("gias-fenbridge-windows-1252.csv"), Some(FENBRIDGE));
        assert_eq!(file.rows_read, 5);
        assert_eq!(file.other_la, 1);
        assert_eq!(file.schools.len(), 4);
        assert_eq!(file.warnings, []);
        let urns: Vec<u32> = file.schools.iter().map(|school| school.urn.0).collect();
        assert_eq!(urns, [990101, 990102, 990103, 990104], "file order");
    }

    #[test]
    fn utf8_with_a_bom_and_columns_in_another_order() {
        let file = parsed(&fixture("gias-utf8-bom-reordered.csv"), None);
        assert_eq!(file.rows_read, 2);
        let free_school = school(&file, 990201);
        assert_eq!(free_school.name, "Zoë Baxter Free School");
        assert_eq!(free_school.phase, Phase::Secondary);
        assert_eq!(free_school.establishment_type.name(), "Free schools");
        assert_eq!(
            free_school.website.as_deref(),
            Some("https://zoe-baxter.example")
        );
        // Optional columns the file does not have are simply absent.
        assert_eq!(free_school.headteacher, None);
        assert_eq!(free_school.pupils, None);
        let academy = school(&file, 990202);
        assert_eq!(academy.name, "St Anne’s All-through Academy");
        assert_eq!(academy.phase, Phase::AllThrough);
        assert_eq!(academy.website, None);
    }

    #[test]
    fn utf8_without_a_bom_is_read_as_utf8() {
        let text =
            format!("{HEADER}\n990001,990,Zoë’s Nursery,LA nursery school,Open,Nursery,,,,\n");
        let file = parsed(text.as_bytes(), None);
        assert_eq!(file.schools[0].name, "Zoë’s Nursery");
    }

    #[test]
    fn windows_1252_curly_quotes_and_accents_decode() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(
            b"\n990001,990,St Jos\xe9 \x93Holy\x94 School,Community school,Open,Primary,,,,\n",
        );
        let file = parsed(&bytes, None);
        assert_eq!(file.schools[0].name, "St José “Holy” School");
    }
}

mod the_demo_caseload {
    use super::*;
    use caseload_core::Governance;

    /// The invented authority the app ships, in Windows-1252 like the real file.
    fn demo() -> GiasFile {
        let path = format!(
            "{}/../../assets/demo/schools.csv",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "published as Windows-1252"
        );
        parsed(&bytes, Some(FENBRIDGE))
    }

    #[test]
    fn reads_whole_with_no_warnings() {
        let file = demo();
        assert_eq!(file.warnings, []);
        assert_eq!((file.rows_read, file.other_la), (30, 0));
        assert_eq!(
            school(&file, 990001).name,
            "St Mary’s Church of England Primary School"
        );
        assert_eq!(school(&file, 990031).name, "Fenbridge, Old Town Academy");
        assert_eq!(
            school(&file, 990034).name,
            "Dame Zoë Fenwick Primary Academy"
        );
    }

    #[test]
    fn has_every_kind_of_school() {
        let file = demo();
        let closed = file.schools.iter().filter(|s| !s.in_caseload()).count();
        assert_eq!(closed, 2);
        for phase in [
            Phase::Nursery,
            Phase::Primary,
            Phase::Secondary,
            Phase::SixteenPlus,
            Phase::AllThrough,
            Phase::NotApplicable,
        ] {
            assert!(file.schools.iter().any(|s| s.phase == phase), "{phase:?}");
        }
        for governance in [Governance::Maintained, Governance::Academy] {
            assert!(
                file.schools.iter().any(|s| s.governance() == governance),
                "{governance:?}"
            );
        }
        let trusts: std::collections::BTreeSet<_> = file
            .schools
            .iter()
            .filter_map(|s| s.trust.as_deref())
            .collect();
        assert_eq!(trusts.len(), 2, "{trusts:?}");
    }
}

mod values_the_app_can_do_without {
    use super::*;

    #[test]
    fn unreadable_ones_are_warnings_naming_line_and_field() {
        let bytes = small_file(&[
            GOOD_ROW,
            "990002,990,Second Primary,Community school,Open,Primary,lots,17.4,31-02-2001,2019-08-31",
            "990003,990,Third Primary,Community school,Open,Primary,,112,,",
        ]);
        let file = parsed(&bytes, None);
        let warnings: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "line 3, field NumberOfPupils: \"lots\" is not a number of pupils",
                "line 3, field OpenDate: \"31-02-2001\" is not a date (dd-mm-yyyy)",
                "line 3, field CloseDate: \"2019-08-31\" is not a date (dd-mm-yyyy)",
                "line 4, field PercentageFSM: \"112\" is not a percentage (0 to 100)",
            ]
        );
        let second = school(&file, 990002);
        assert_eq!((second.pupils, second.percentage_fsm), (None, Some(17.4)));
        assert_eq!((second.open_date, second.close_date), (None, None));
        assert_eq!(school(&file, 990003).percentage_fsm, None);
        assert_eq!(file.schools.len(), 3);
    }

    #[test]
    fn empty_cells_and_suppressed_fsm_are_silent() {
        let bytes =
            small_file(&["990001,990,Fenbridge Primary,Community school,Open,Primary, ,SUPP,,"]);
        let file = parsed(&bytes, None);
        assert_eq!(file.warnings, []);
        assert_eq!(file.schools[0].pupils, None);
        assert_eq!(file.schools[0].percentage_fsm, None);
    }
}

mod broken_files_are_refused {
    use super::*;

    fn assert_refused(error: &GiasError, line: Option<usize>, field: Option<&str>, message: &str) {
        assert_eq!(error.line, line, "{error}");
        assert_eq!(error.field.as_deref(), field, "{error}");
        assert_eq!(error.to_string(), message);
    }

    #[test]
    fn a_missing_urn_column() {
        let text =
            "LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),\
PhaseOfEducation (name)\n990,Fenbridge Primary,Community school,Open,Primary\n";
        assert_refused(
            &refused(text.as_bytes(), None),
            Some(1),
            Some("URN"),
            "line 1, field URN: the required column \"URN\" is missing from the header; \
             is this a GIAS establishment file?",
        );
    }

    #[test]
    fn an_unbalanced_quote() {
        let bytes = small_file(&[
            GOOD_ROW,
            "990002,990,\"Fenbridge, Old Town Academy,Academy converter,Open,Secondary,,,,",
            "990003,990,Third Primary,Community school,Open,Primary,,,,",
        ]);
        assert_refused(
            &refused(&bytes, None),
            Some(3),
            Some("EstablishmentName"),
            "line 3, field EstablishmentName: unbalanced quote: the field opened on line 3 is never closed",
        );
    }

    #[test]
    fn an_unbalanced_quote_in_the_header() {
        let text = format!("\"URN,{}\n{GOOD_ROW}\n", &HEADER[4..]);
        assert_refused(
            &refused(text.as_bytes(), None),
            Some(1),
            None,
            "line 1: unbalanced quote: the field opened on line 1 is never closed",
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_value_is_not_unbalanced() {
        // The csv crate reads a quote that does not start a field as text.
        let bytes = small_file(&["990001,990,The 5\" School,Community school,Open,Primary,,,,"]);
        assert_eq!(parsed(&bytes, None).schools[0].name, "The 5\" School");
    }

    #[test]
    fn binary_garbage() {
        let mut bytes = small_file(&[GOOD_ROW, GOOD_ROW]);
        let second_row = HEADER.len() + 2 + GOOD_ROW.len() + 2;
        bytes.splice(second_row..second_row, [0x50, 0x4b, 0x03, 0x04, 0x00]);
        assert_refused(
            &refused(&bytes, None),
            Some(3),
            None,
            "line 3: binary data, not a CSV text file",
        );
    }

    #[test]
    fn a_utf16_file_is_binary() {
        let bytes: Vec<u8> = HEADER.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_refused(
            &refused(&bytes, None),
            Some(1),
            None,
            "line 1: binary data, not a CSV text file",
        );
    }

    #[test]
    fn a_urn_that_is_not_a_number() {
        let bytes = small_file(&[
            GOOD_ROW,
            "12a,990,Second Primary,Community school,Open,Primary,,,,",
        ]);
        assert_refused(
            &refused(&bytes, None),
            Some(3),
            Some("URN"),
            "line 3, field URN: \"12a\" is not a URN (a whole number)",
        );
    }

    #[test]
    fn a_zero_urn() {
        let bytes = small_file(&["0,990,Fenbridge Primary,Community school,Open,Primary,,,,"]);
        assert_refused(
            &refused(&bytes, None),
            Some(2),
            Some("URN"),
            "line 2, field URN: a URN cannot be 0",
        );
    }

    #[test]
    fn a_duplicate_urn() {
        let bytes = small_file(&[
            GOOD_ROW,
            "990002,990,Second Primary,Community school,Open,Primary,,,,",
            "990001,990,Fenbridge Primary again,Community school,Open,Primary,,,,",
        ]);
        assert_refused(
            &refused(&bytes, None),
            Some(4),
            Some("URN"),
            "line 4, field URN: URN 990001 appears twice: first on line 2",
        );
    }

    #[test]
    fn a_record_with_the_wrong_number_of_fields() {
        let bytes = small_file(&[
            GOOD_ROW,
            "990002,990,Fenbridge, Old Town Academy,Academy converter,Open,Secondary,,,,",
        ]);
        assert_refused(
            &refused(&bytes, None),
            Some(3),
            None,
            "line 3: 11 fields where the header has 10: a comma missing, \
             or one inside a value that is not quoted",
        );
    }

    #[test]
    fn a_bad_la_code() {
        let bytes =
            small_file(&["990001,Fenbridge,Fenbridge Primary,Community school,Open,Primary,,,,"]);
        assert_refused(
            &refused(&bytes, None),
            Some(2),
            Some("LA (code)"),
            "line 2, field LA (code): \"Fenbridge\" is not a local authority code (000 to 999)",
        );
    }

    #[test]
    fn an_empty_name() {
        let bytes = small_file(&["990001,990, ,Community school,Open,Primary,,,,"]);
        assert_refused(
            &refused(&bytes, None),
            Some(2),
            Some("EstablishmentName"),
            "line 2, field EstablishmentName: the establishment has no name",
        );
    }

    #[test]
    fn an_unknown_phase() {
        let bytes =
            small_file(&["990001,990,Fenbridge Primary,Community school,Open,Kindergarten,,,,"]);
        assert_refused(
            &refused(&bytes, None),
            Some(2),
            Some("PhaseOfEducation (name)"),
            "line 2, field PhaseOfEducation (name): \"Kindergarten\" is not a GIAS phase of education",
        );
    }

    #[test]
    fn an_unknown_status() {
        let bytes = small_file(&["990001,990,Fenbridge Primary,Community school,Shut,Primary,,,,"]);
        assert_refused(
            &refused(&bytes, None),
            Some(2),
            Some("EstablishmentStatus (name)"),
            "line 2, field EstablishmentStatus (name): \"Shut\" is not a GIAS establishment status",
        );
    }

    #[test]
    fn an_empty_type() {
        let bytes = small_file(&["990001,990,Fenbridge Primary,,Open,Primary,,,,"]);
        assert_refused(
            &refused(&bytes, None),
            Some(2),
            Some("TypeOfEstablishment (name)"),
            "line 2, field TypeOfEstablishment (name): the establishment has no type",
        );
    }

    #[test]
    fn an_empty_or_header_only_file() {
        let message = "no establishments: the file has no records below its header";
        assert_refused(&refused(b"", None), None, None, message);
        assert_refused(&refused(b"\r\n\r\n", None), None, None, message);
        assert_refused(&refused(&small_file(&[]), None), None, None, message);
        assert_refused(
            &refused(&small_file(&[]), Some(FENBRIDGE)),
            None,
            None,
            message,
        );
    }

    #[test]
    fn an_odd_row_of_another_authority_refuses_the_whole_file_only_without_a_filter() {
        let bytes = small_file(&[
            GOOD_ROW,
            "x,991,Elsewhere School,Community school,Gone,Kindergarten,,,,",
        ]);
        assert_eq!(refused(&bytes, None).line, Some(3));
        let file = parsed(&bytes, Some(FENBRIDGE));
        assert_eq!(
            (file.schools.len(), file.other_la, file.rows_read),
            (1, 1, 2)
        );
    }

    #[test]
    fn blank_lines_do_not_shift_line_numbers() {
        let text = format!(
            "{HEADER}\r\n{GOOD_ROW}\r\n\r\n\r\n12a,990,X,Community school,Open,Primary,,,,\r\n"
        );
        assert_eq!(refused(text.as_bytes(), None).line, Some(5));
    }
}

proptest! {
    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = gias::parse(&bytes, None);
        let _ = gias::parse(&bytes, Some(FENBRIDGE));
    }

    #[test]
    fn any_csv_like_rows_under_a_real_header_never_panic(
        body in "[0-9a-zA-Z ,\"\r\n\u{e9}\u{2019}-]{0,400}"
    ) {
        let text = format!("{HEADER}\r\n{body}");
        let _ = gias::parse(text.as_bytes(), None);
        let _ = gias::parse(text.as_bytes(), Some(FENBRIDGE));
    }
}
