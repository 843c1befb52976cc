use chrono::NaiveDate;
use uuid::Uuid;

use super::catalogue::{Catalogue, CatalogueError};
use super::*;
use crate::criteria::CriteriaSet;
use crate::samples;

const CATALOGUE: &str = include_str!("../../../../assets/letters/indicators.toml");
const CRITERIA: &str = include_str!("../../../../assets/criteria/peterborough-2022.toml");

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[test]
fn an_issued_letter_is_frozen_and_corrected_by_a_new_one() {
    let mut letter = samples::letter();
    letter
        .issue(date(2026, 11, 24), "ab".repeat(32))
        .expect("complete");
    assert_eq!(letter.status, LetterStatus::Issued);
    assert_eq!(
        letter.dated,
        date(2026, 11, 24),
        "dated the day it was issued"
    );
    assert!(matches!(
        letter.check_editable(),
        Err(LetterError::Issued { .. })
    ));
    assert!(letter.issue(date(2026, 11, 25), "cd".repeat(32)).is_err());

    let correction = letter
        .correction(Uuid::nil(), date(2026, 11, 26))
        .expect("issued");
    assert_eq!(correction.corrects, Some(letter.id));
    assert_eq!(correction.status, LetterStatus::Draft);
    assert_eq!(correction.pdf_sha256, None);
    assert_eq!(correction.body, letter.body);
    assert!(correction
        .correction(Uuid::nil(), date(2026, 11, 26))
        .is_err());
}

#[test]
fn a_letter_is_dated_the_day_it_is_issued_but_a_notice_keeps_its_terms_day() {
    let mut letter = samples::letter();
    letter.kind = LetterKind::SignificantConcerns;
    letter.terms = None;
    letter.date_for_issue(date(2026, 11, 30)).expect("re-dated");
    assert_eq!(letter.dated, date(2026, 11, 30));

    let mut notice = samples::letter();
    notice
        .date_for_issue(notice.dated)
        .expect("issued the day it was drafted");
    let error = notice
        .date_for_issue(date(2026, 11, 30))
        .expect_err("stale terms");
    assert!(matches!(error, LetterError::StaleTerms { .. }));
}

#[test]
fn a_warning_notice_keeps_its_statutory_sections_copy_and_terms() {
    let mut missing_section = samples::letter();
    missing_section.body = missing_section.body.replace("## Compliance period", "");
    assert_eq!(
        missing_section.check_complete(),
        Err(LetterError::MissingSection {
            kind: "formal warning notice",
            heading: "Compliance period"
        })
    );

    let mut no_ofsted = samples::letter();
    no_ofsted.copies_to.clear();
    assert!(matches!(
        no_ofsted.check_complete(),
        Err(LetterError::MissingCopy { .. })
    ));

    let mut no_powers = samples::letter();
    if let Some(terms) = no_powers.terms.as_mut() {
        terms.minded_to.clear();
    }
    assert!(matches!(
        no_powers.check_complete(),
        Err(LetterError::Terms(_))
    ));

    let mut nobody = samples::letter();
    nobody.recipients.clear();
    assert!(matches!(
        nobody.check_complete(),
        Err(LetterError::NoRecipient(_))
    ));
    assert_eq!(samples::letter().check_complete(), Ok(()));
}

#[test]
fn a_note_of_visit_needs_its_visit() {
    let mut note = samples::letter();
    note.kind = LetterKind::VisitNote;
    assert_eq!(note.check_complete(), Err(LetterError::MissingVisit));
    note.visit = Some(samples::visit().id);
    assert_eq!(note.check_complete(), Ok(()));
}

#[test]
fn kinds_round_trip_and_unknown_kinds_are_named() {
    for kind in LetterKind::ALL {
        assert_eq!(kind.id().parse::<LetterKind>(), Ok(kind));
    }
    let error = "warning".parse::<LetterKind>().expect_err("unknown");
    assert!(
        error.contains("\"warning\"") && error.contains("warning-notice"),
        "{error}"
    );
}

#[test]
fn statutory_letters_go_to_maintained_schools_and_concerns_to_trusts() {
    use crate::school::Governance::*;
    assert!(LetterKind::WarningNotice.suits(Maintained));
    assert!(!LetterKind::WarningNotice.suits(Academy));
    assert!(LetterKind::AcademyConcern.suits(Academy));
    assert!(!LetterKind::AcademyConcern.suits(Maintained));
    assert!(LetterKind::VisitNote.suits(Academy));
    assert!(!LetterKind::Congratulations.suits(Independent));
}

#[test]
fn the_shipped_catalogue_parses_and_cites_real_statements() {
    let catalogue = Catalogue::parse(CATALOGUE).expect("shipped catalogue");
    let set = CriteriaSet::from_toml(CRITERIA).expect("shipped criteria");
    for indicator in &catalogue.indicators {
        for fact in &indicator.when {
            if let facts::Fact::Statement(id) = fact {
                assert!(
                    set.statement(id).is_some(),
                    "{}: no statement {id}",
                    indicator.id
                );
            }
        }
    }
    for kind in [
        LetterKind::Congratulations,
        LetterKind::SignificantConcerns,
        LetterKind::WarningNotice,
        LetterKind::AcademyConcern,
    ] {
        assert!(
            catalogue.of_kind(kind).count() >= 4,
            "{kind} has its indicators"
        );
    }
}

#[test]
fn a_bad_catalogue_says_what_and_where() {
    let unknown_fact = "[[indicator]]\nid = \"x\"\nletter = \"congratulations\"\ntext = \"X\"\nwhen = [\"ofsted:better\"]\n";
    let Err(CatalogueError::Toml(message)) = Catalogue::parse(unknown_fact) else {
        panic!("an unknown fact is refused");
    };
    assert!(
        message.contains("line 5") && message.contains("ofsted:better"),
        "{message}"
    );

    let twice = "[[indicator]]\nid = \"x\"\nletter = \"congratulations\"\ntext = \"X\"\n".repeat(2);
    assert_eq!(
        Catalogue::parse(&twice),
        Err(CatalogueError::Duplicate("x".to_owned()))
    );
}

mod suggestions {
    use std::collections::BTreeSet;

    use super::*;
    use crate::letter::facts::Fact;
    use crate::letter::suggest::{suggest, LetterSuggestion, SuggestionInputs};
    use crate::school::Governance;
    use crate::visit::VisitStatus;

    fn suggested(
        governance: Governance,
        facts: &[&str],
        letters: &[Letter],
    ) -> Vec<LetterSuggestion> {
        let catalogue = Catalogue::parse(CATALOGUE).expect("shipped catalogue");
        let facts: BTreeSet<Fact> = facts
            .iter()
            .map(|fact| fact.parse().expect("fact"))
            .collect();
        let inputs = SuggestionInputs {
            governance,
            facts: &facts,
            letters,
            visits: &[],
            today: date(2026, 11, 23),
        };
        suggest(inputs, &catalogue)
    }

    fn kinds(suggestions: &[LetterSuggestion]) -> Vec<LetterKind> {
        suggestions
            .iter()
            .map(|suggestion| suggestion.kind)
            .collect()
    }

    #[test]
    fn a_drop_in_ofsted_suggests_concerns_citing_it() {
        let maintained = suggested(
            Governance::Maintained,
            &["ofsted:dropped", "ofsted:below-good"],
            &[],
        );
        assert_eq!(kinds(&maintained), [LetterKind::SignificantConcerns]);
        assert_eq!(maintained[0].indicators, ["ofsted-drop"]);

        let in_high_support = suggested(
            Governance::Maintained,
            &["ofsted:below-good", "category:high"],
            &[],
        );
        assert_eq!(kinds(&in_high_support), [LetterKind::WarningNotice]);
        assert_eq!(in_high_support[0].indicators, ["at-risk-of-category"]);

        let academy = suggested(
            Governance::Academy,
            &["ofsted:dropped", "ofsted:below-good"],
            &[],
        );
        assert_eq!(kinds(&academy), [LetterKind::AcademyConcern]);
        assert_eq!(
            academy[0].indicators,
            ["academy-inadequate-progress", "academy-ofsted-drop"]
        );
    }

    #[test]
    fn no_congratulations_for_a_school_in_high_support() {
        let facts = ["performance:improving", "category:high"];
        assert!(suggested(Governance::Maintained, &facts, &[]).is_empty());
    }

    #[test]
    fn a_letter_citing_every_indicator_is_not_suggested_again() {
        let mut issued = samples::letter();
        issued.kind = LetterKind::Congratulations;
        issued.status = LetterStatus::Issued;
        issued.indicators = vec!["ofsted-improved".to_owned()];
        assert!(suggested(
            Governance::Maintained,
            &["ofsted:improved"],
            &[issued.clone()]
        )
        .is_empty());
        let more = suggested(
            Governance::Maintained,
            &["ofsted:improved", "performance:improving"],
            &[issued],
        );
        assert_eq!(
            more[0].indicators,
            ["ofsted-improved", "performance-improved"]
        );
    }

    #[test]
    fn a_recent_finalised_visit_without_a_note_is_due_one() {
        let catalogue = Catalogue::parse(CATALOGUE).expect("shipped catalogue");
        let mut visit = samples::visit();
        visit.addendum_to = None;
        visit.visited_on = date(2026, 11, 10);
        let mut old = visit.clone();
        old.id = Uuid::now_v7();
        old.visited_on = date(2026, 6, 10);
        let mut draft = visit.clone();
        draft.id = Uuid::now_v7();
        draft.status = VisitStatus::Draft;
        let visits = [visit.clone(), old, draft];
        let no_facts = BTreeSet::new();
        let inputs = |letters| SuggestionInputs {
            governance: Governance::Maintained,
            facts: &no_facts,
            letters,
            visits: &visits,
            today: date(2026, 11, 23),
        };
        let due = suggest(inputs(&[]), &catalogue);
        assert_eq!(kinds(&due), [LetterKind::VisitNote]);
        assert_eq!(due[0].visit, Some(visit.id));

        let mut note = samples::letter();
        note.kind = LetterKind::VisitNote;
        note.visit = Some(visit.id);
        assert!(suggest(inputs(&[note]), &catalogue).is_empty());
    }
}
