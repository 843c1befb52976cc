//! The criteria sets the app scores against: the shipped ones read whole,
//! an authority's own folder replaces or adds sets without a rebuild, and a
//! malformed file is refused with its name, line and problem. Scoring is
//! checked against the strategy's own statements, area by area.

use caseload_core::criteria::{CriteriaSet, SupportCategory};
use caseload_core::scoring::{score, Mark};
use caseload_store::{criteria_set, criteria_sets, StoreError, DEFAULT_CRITERIA_SET};
use SupportCategory::{High, Low, Medium};

fn no_folder() -> std::path::PathBuf {
    std::path::PathBuf::from("/nonexistent/criteria")
}

fn peterborough() -> CriteriaSet {
    criteria_set(&no_folder(), DEFAULT_CRITERIA_SET).expect("shipped set")
}

#[test]
fn both_shipped_sets_read_whole() {
    let sets = criteria_sets(&no_folder()).expect("shipped sets");
    let ids: Vec<&str> = sets.iter().map(|set| set.id.as_str()).collect();
    assert_eq!(ids, ["peterborough-2022", "report-card-2025"]);
    let peterborough = &sets[0];
    assert_eq!(
        peterborough.statements.len(),
        52,
        "every bullet of the strategy's tables"
    );
    assert_eq!(sets[1].areas.len(), 7);
}

#[test]
fn the_strategys_statements_are_there_word_for_word() {
    let set = peterborough();
    let texts: Vec<&str> = set.statements.iter().map(|s| s.text.as_str()).collect();
    for seed_words in [
        "The culture of safeguarding is strong, and all statutory requirements are met",
        "A new or interim Headteacher in the first year of Headship",
        "Pupils do not have access to the full curriculum which is often narrowed",
        "SMSC is underdeveloped across the school and is poorly planned for across the curriculum",
    ] {
        assert!(texts.contains(&seed_words), "{seed_words}");
    }
}

/// Marks every statement of `level` in `area` except the first: a school
/// need not meet every bullet of a level to be placed there.
fn all_but_one(set: &CriteriaSet, area: &str, level: SupportCategory) -> Vec<Mark> {
    set.statements
        .iter()
        .filter(|s| s.area == area && s.level == level && !s.decisive)
        .skip(1)
        .map(|s| Mark::new(s.id.clone()))
        .collect()
}

#[test]
fn each_area_and_level_of_the_strategy_scores_as_itself() {
    let set = peterborough();
    for area in &set.areas {
        for level in [Low, Medium, High] {
            let marks = all_but_one(&set, &area.id, level);
            if marks.is_empty() {
                continue;
            }
            let card = score(&set, &marks).expect("scores");
            let scored = card.areas.iter().find(|a| a.area == area.id).expect("area");
            assert_eq!(scored.fit.level, Some(level), "{} at {level:?}", area.name);
            assert_eq!(
                card.overall.level,
                Some(level),
                "overall for {} at {level:?}",
                area.name
            );
        }
    }
}

#[test]
fn safeguarding_not_met_or_a_warning_notice_means_high_support() {
    let set = peterborough();
    let good: Vec<Mark> = set
        .statements
        .iter()
        .filter(|s| s.level == Low)
        .map(|s| Mark::new(s.id.clone()))
        .collect();
    assert_eq!(score(&set, &good).expect("scores").overall.level, Some(Low));
    for decisive in ["lm-high-safeguarding-not-met", "lm-high-warning-notice"] {
        let mut marks = good.clone();
        marks.push(Mark::new(decisive));
        assert_eq!(
            score(&set, &marks).expect("scores").overall.level,
            Some(High),
            "{decisive}"
        );
    }
}

#[test]
fn an_authoritys_folder_replaces_and_adds_sets() {
    let folder = tempfile::tempdir().expect("temp dir");
    let shipped = include_str!("../../../assets/criteria/peterborough-2022.toml");
    let edited = shipped.replace(
        "name = \"Prioritisation criteria, School Improvement Strategy 2022–2024\"",
        "name = \"Prioritisation criteria, revised 2026\"",
    );
    assert_ne!(edited, shipped, "the test edits the set's name");
    std::fs::write(folder.path().join("peterborough-2022.toml"), edited).expect("written");
    let added = shipped.replace("id = \"peterborough-2022\"", "id = \"fenbridge-2026\"");
    std::fs::write(folder.path().join("fenbridge.toml"), added).expect("written");
    std::fs::write(folder.path().join("notes.txt"), "not a set").expect("written");
    let sets = criteria_sets(folder.path()).expect("sets");
    let ids: Vec<&str> = sets.iter().map(|set| set.id.as_str()).collect();
    assert_eq!(
        ids,
        ["report-card-2025", "fenbridge-2026", "peterborough-2022"]
    );
    assert_eq!(sets[2].name, "Prioritisation criteria, revised 2026");
}

#[test]
fn a_malformed_set_names_its_file_and_line() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("broken.toml");
    std::fs::write(&file, "id = \"broken\"\nname = \"Broken\"\n\n[[area]]\nid = \"a\"\nname = \"A\"\n\n[[statement]]\nid = \"s\"\narea = \"b\"\nlevel = \"low\"\ntext = \"T\"\n")
        .expect("written");
    let error = criteria_sets(folder.path()).expect_err("refused");
    assert!(matches!(error, StoreError::Criteria { .. }));
    assert_eq!(
        error.to_string(),
        format!(
            "{}: line 8: statement \"s\" belongs to area \"b\", which is not declared",
            file.display()
        )
    );
}

#[test]
fn an_unknown_set_lists_the_sets_there_are() {
    let error = criteria_set(&no_folder(), "nope").expect_err("unknown");
    assert_eq!(
        error.to_string(),
        "there is no criteria set \"nope\"; the sets are: peterborough-2022, report-card-2025"
    );
}
