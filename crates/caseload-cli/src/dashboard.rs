//! `caseload dashboard` as text: each figure of the adviser's dashboard
//! with the schools behind it, as the home page shows them.

use std::fmt::Write;

use caseload_core::criteria::SupportCategory;
use caseload_core::dashboard::{CategoryMove, Dashboard, SchoolRef};

pub fn text(dashboard: &Dashboard) -> String {
    let mut text = format!(
        "{} — {} schools in the caseload, on {}\n",
        dashboard.term, dashboard.schools, dashboard.today
    );
    let visits = &dashboard.visits;
    figure(
        &mut text,
        "Visits due this term",
        visits
            .due
            .iter()
            .map(|owed| (&owed.school, owed.period.as_str())),
    );
    figure(
        &mut text,
        "Visits done this term",
        visits
            .done
            .iter()
            .map(|owed| (&owed.school, owed.period.as_str())),
    );
    figure(
        &mut text,
        "Visits overdue",
        visits
            .overdue
            .iter()
            .map(|owed| (&owed.school, owed.period.as_str())),
    );
    let meetings = &dashboard.msp_meetings;
    let due_by = |day: chrono::NaiveDate| format!("due by {day}");
    figure(
        &mut text,
        "MSP meetings due",
        meetings
            .due
            .iter()
            .map(|owed| (&owed.school, due_by(owed.due_by))),
    );
    figure(
        &mut text,
        "MSP meetings overdue",
        meetings
            .overdue
            .iter()
            .map(|owed| (&owed.school, due_by(owed.due_by))),
    );
    figure(
        &mut text,
        "Actions overdue",
        dashboard.actions_overdue.iter().map(|action| {
            (
                &action.school,
                format!("{} (due {})", action.text, action.due_on),
            )
        }),
    );
    figure(
        &mut text,
        "Not reviewed this term",
        dashboard
            .not_reviewed
            .iter()
            .map(|row| (&row.school, category(row.category))),
    );
    figure(
        &mut text,
        "Letters suggested",
        dashboard
            .letters
            .iter()
            .map(|letter| (&letter.school, letter.kind_label)),
    );
    let mix = &dashboard.categories;
    let _ = writeln!(
        text,
        "\nCategory mix: schools now (at the end of the {})",
        mix.last_term
    );
    for row in &mix.rows {
        let _ = writeln!(
            text,
            "  {:<20} {:>3} ({})",
            category(row.category),
            row.now.len(),
            row.last_term.len()
        );
    }
    figure(&mut text, "Improved since last term", moved(&mix.improved));
    figure(&mut text, "Declined since last term", moved(&mix.declined));
    figure(
        &mut text,
        "Categorised for the first time",
        moved(&mix.first_categorised),
    );
    text
}

fn moved(moves: &[CategoryMove]) -> impl Iterator<Item = (&SchoolRef, &'static str)> {
    moves.iter().map(|moved| (&moved.school, moved.to.label()))
}

fn category(category: Option<SupportCategory>) -> &'static str {
    category.map_or("Not yet categorised", SupportCategory::label)
}

/// A count and, under it, each school with what it is counted for.
fn figure<'a, D: std::fmt::Display>(
    text: &mut String,
    title: &str,
    entries: impl IntoIterator<Item = (&'a SchoolRef, D)>,
) {
    let entries: Vec<(&SchoolRef, D)> = entries.into_iter().collect();
    let _ = writeln!(text, "\n{title}: {}", entries.len());
    for (school, what) in entries {
        let _ = writeln!(text, "  {} {}: {what}", school.urn.0, school.name);
    }
}
