//! Plain-text renderings of the store's views for a terminal.

use std::fmt::Write;
use std::path::Path;

use caseload_core::action::{Action, ActionStatus};
use caseload_core::criteria::{CriteriaSet, SupportCategory};
use caseload_core::entitlement::PeriodState;
use caseload_core::letter::Letter;
use caseload_core::review::{Direction, HistoryEntry, Review};
use caseload_core::scoring::{BestFit, Scorecard};
use caseload_core::visit::Visit;
use caseload_store::views::{ImportSummary, SchoolDue, SchoolProfile, SchoolRow, StoreStatus};
use caseload_store::{BackupSummary, LettersDue, SearchHit};
use chrono::NaiveDate;

pub fn demo_loaded(status: &StoreStatus) -> String {
    let adviser = status.adviser.as_ref().map_or(String::new(), |adviser| {
        format!(
            ", {} of them in {}'s caseload",
            status.caseload, adviser.name
        )
    });
    format!(
        "Demo caseload loaded: {} open schools{adviser}.",
        status.schools
    )
}

pub fn import_summary(summary: &ImportSummary) -> String {
    let mut line = format!(
        "Imported schools: {} added, {} updated, {} unchanged ({} closed",
        summary.added, summary.updated, summary.unchanged, summary.closed
    );
    if summary.other_la > 0 {
        let _ = write!(line, "; {} of other authorities left out", summary.other_la);
    }
    line.push_str(").");
    if !summary.warnings.is_empty() {
        let _ = write!(line, " {} warnings.", summary.warnings.len());
    }
    line
}

pub fn school_table(rows: &[SchoolRow]) -> String {
    let header = [
        "URN",
        "Name",
        "Phase",
        "Type",
        "Maintained",
        "Ofsted",
        "Ward",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|row| {
            let closed = if row.status.is_closed() {
                " (closed)"
            } else {
                ""
            };
            [
                row.urn.to_string(),
                format!("{}{closed}", row.name),
                row.phase_label.to_owned(),
                row.establishment_type.clone(),
                if row.maintained { "yes" } else { "no" }.to_owned(),
                row.ofsted.clone().unwrap_or_default(),
                row.ward.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths = header.map(|title| title.chars().count());
    for line in &cells {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut table = String::new();
    push_row(&mut table, &header.map(str::to_owned), &widths);
    for line in &cells {
        push_row(&mut table, line, &widths);
    }
    let _ = writeln!(table, "{} schools", rows.len());
    table
}

fn push_row(table: &mut String, cells: &[String; 7], widths: &[usize; 7]) {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| format!("{cell:<width$}"))
        .collect();
    let _ = writeln!(table, "{}", padded.join("  ").trim_end());
}

pub fn school_profile(profile: &SchoolProfile) -> String {
    let row = &profile.row;
    let mut text = format!("{} (URN {})\n", row.name, row.urn);
    let mut line = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            let _ = writeln!(text, "  {label:<14}{value}");
        }
    };
    line("Phase", Some(row.phase_label.to_owned()));
    line("Type", Some(row.establishment_type.clone()));
    line(
        "Maintained",
        Some(if row.maintained { "yes" } else { "no" }.to_owned()),
    );
    line("Status", Some(row.status_label.to_owned()));
    line("Trust", row.trust.clone());
    line("Address", Some(profile.address_lines.join(", ")));
    line("Ward", row.ward.clone());
    line("Headteacher", profile.headteacher.clone());
    line("Pupils", profile.pupils.map(|pupils| pupils.to_string()));
    line(
        "FSM",
        profile.percentage_fsm.map(|fsm| format!("{fsm:.1}%")),
    );
    line(
        "Link SIA",
        profile
            .link_sia
            .as_ref()
            .map(|adviser| adviser.name.clone()),
    );
    line("Ofsted", row.ofsted.clone());
    if !profile.contacts.is_empty() {
        text.push_str("Contacts\n");
        for contact in &profile.contacts {
            let email = contact
                .email
                .as_deref()
                .map_or(String::new(), |email| format!(" <{email}>"));
            let _ = writeln!(text, "  {:<24}{}{email}", contact.role_label, contact.name);
        }
    }
    text
}

pub fn criteria(set: &CriteriaSet) -> String {
    let width = set.statements.iter().map(|s| s.id.len()).max().unwrap_or(0) + 2;
    let mut text = format!("{} ({})\n", set.name, set.id);
    for area in &set.areas {
        let _ = writeln!(text, "\n{}", area.name);
        for level in SupportCategory::ALL {
            let _ = writeln!(text, "  {}", level.label());
            for statement in set
                .statements
                .iter()
                .filter(|s| s.area == area.id && s.level == level)
            {
                let _ = writeln!(text, "    {:<width$}{}", statement.id, statement.text);
            }
        }
    }
    text
}

pub fn scorecard(card: &Scorecard) -> String {
    let mut text = String::new();
    for area in &card.areas {
        let _ = writeln!(text, "{:<36}{}", area.name, fit_line(&area.fit));
    }
    let _ = writeln!(text, "{:<36}{}", "Overall", fit_line(&card.overall));
    for reason in &card.overall.reasons {
        let decisive = if reason.decisive { " (decisive)" } else { "" };
        let _ = writeln!(text, "  - {}{decisive}", reason.text);
    }
    text
}

fn fit_line(fit: &BestFit) -> String {
    match fit.level {
        None => "not yet judged".to_owned(),
        Some(level) => {
            let share = fit.shares[&level];
            format!(
                "{} ({} of {} statements)",
                level.label(),
                share.met,
                share.of
            )
        }
    }
}

pub fn review_saved(review: &Review) -> String {
    match review.category() {
        Some(category) => {
            let overruled = review
                .overridden
                .as_ref()
                .map_or(String::new(), |decision| {
                    let computed = review.computed.map_or("no level", SupportCategory::label);
                    format!(
                        " (overruling the computed {computed}: {})",
                        decision.rationale
                    )
                });
            format!(
                "Review {} agreed: {}{overruled}.\n",
                review.id,
                category.label()
            )
        }
        None => format!("Review {} saved as a draft.\n", review.id),
    }
}

pub fn history(entries: &[HistoryEntry]) -> String {
    if entries.is_empty() {
        return "No agreed reviews yet.\n".to_owned();
    }
    let mut text = String::new();
    for entry in entries {
        let direction = match entry.direction {
            None => "",
            Some(Direction::Improving) => "  improving",
            Some(Direction::Steady) => "  steady",
            Some(Direction::Declining) => "  declining",
        };
        let overridden = entry
            .rationale
            .as_ref()
            .map_or(String::new(), |why| format!(" (overruled: {why})"));
        let _ = writeln!(
            text,
            "{}  {} term {}  {}{overridden}{direction}",
            entry.reviewed_on,
            entry.term.label(),
            entry.year,
            entry.category.label()
        );
    }
    text
}

pub fn visits_due(day: NaiveDate, schools: &[SchoolDue]) -> String {
    let mut text = format!("Visits owed on {day}:\n");
    for school in schools {
        let category = school
            .category
            .map_or("not yet reviewed", SupportCategory::label);
        let _ = writeln!(text, "\n{} {} ({category})", school.urn, school.name);
        if school.entitlement.periods.is_empty() {
            let _ = writeln!(text, "  no visits owed (not maintained by the authority)");
        }
        for period in &school.entitlement.periods {
            let _ = writeln!(
                text,
                "  {:<32} {} to {}  {} of {}  {}",
                period.label,
                period.first_day,
                period.last_day,
                period.done,
                period.required,
                period_state(period.state)
            );
        }
        if let Some(offer) = &school.entitlement.enhanced_offer {
            let _ = writeln!(
                text,
                "  enhanced offer: {} of {} visits used, {} by the link SIA",
                offer.used, offer.allowed, offer.by_link_sia
            );
        }
    }
    text
}

fn period_state(state: PeriodState) -> &'static str {
    match state {
        PeriodState::Upcoming => "upcoming",
        PeriodState::Due => "DUE",
        PeriodState::Done => "done",
        PeriodState::Overdue => "OVERDUE",
    }
}

pub fn visit_saved(visit: &Visit) -> String {
    format!(
        "Visit {} to {} on {} ({}) saved: {}.\n",
        visit.id, visit.urn, visit.visited_on, visit.session, visit.status
    )
}

pub fn visits(visits: &[Visit]) -> String {
    if visits.is_empty() {
        return "No visits.\n".to_owned();
    }
    let mut text = String::new();
    for visit in visits {
        let _ = writeln!(
            text,
            "{} {}  {}  {:<15} {:<9} {}",
            visit.visited_on, visit.session, visit.urn, visit.kind, visit.status, visit.id
        );
    }
    text
}

pub fn action_saved(action: &Action) -> String {
    format!(
        "Action {} agreed for {}, owned by {}, due {}.\n",
        action.id, action.urn, action.owner, action.due_on
    )
}

pub fn actions(actions: &[Action], day: NaiveDate) -> String {
    if actions.is_empty() {
        return "No actions.\n".to_owned();
    }
    let mut text = String::new();
    for action in actions {
        let state = match &action.status {
            ActionStatus::Open if action.is_overdue(day) => "OVERDUE".to_owned(),
            ActionStatus::Open => "open".to_owned(),
            ActionStatus::Done { on } => format!("done {on}"),
            ActionStatus::Dropped { on, reason } => format!("dropped {on}: {reason}"),
        };
        let _ = writeln!(
            text,
            "{}  {}  {}  ({}; {state})",
            action.due_on, action.urn, action.text, action.owner
        );
    }
    text
}

pub fn search_hits(hits: &[SearchHit]) -> String {
    if hits.is_empty() {
        return "Nothing found.\n".to_owned();
    }
    let mut text = String::new();
    for hit in hits {
        let snippet: String = hit
            .snippet
            .iter()
            .map(|piece| {
                if piece.hit {
                    format!("*{}*", piece.text)
                } else {
                    piece.text.clone()
                }
            })
            .collect();
        let _ = writeln!(
            text,
            "{} {} {} ({}): {}",
            hit.day,
            hit.kind,
            hit.school,
            hit.urn,
            snippet.replace('\n', " ")
        );
    }
    text
}

pub fn letter_written(letter: &Letter, file: &Path, issued: bool) -> String {
    let what = format!("{} for URN {}", letter.kind.label(), letter.urn);
    if issued {
        format!(
            "Issued the {what} ({}, letter {}) and wrote it to {}.",
            letter.reference,
            letter.id,
            file.display()
        )
    } else {
        format!(
            "Wrote a preview of the {what} to {} (not issued).",
            file.display()
        )
    }
}

pub fn letters_written(count: usize, folder: &Path, issued: bool) -> String {
    let letters = if count == 1 {
        "1 letter".to_owned()
    } else {
        format!("{count} letters")
    };
    let how = if issued {
        "issued and written"
    } else {
        "written (previews, not issued)"
    };
    format!("{letters} {how} to {}.", folder.display())
}

pub fn letters_due(due: &[LettersDue]) -> String {
    if due.is_empty() {
        return "No letters are due.\n".to_owned();
    }
    let mut text = String::new();
    for school in due {
        text.push_str(&format!("{} ({})\n", school.school, school.urn));
        for letter in &school.letters {
            let cites = match (&letter.visit, letter.indicators.as_slice()) {
                (Some(visit), _) => format!(" for visit {visit}"),
                (None, []) => String::new(),
                (None, ids) => format!(": {}", ids.join(", ")),
            };
            text.push_str(&format!("  {}{cites}\n", letter.kind.label()));
        }
    }
    text
}

/// "Backed up 40 schools, 9 visits and 2 letters (schema 11) to FILE."
pub fn backup(done: &str, summary: &BackupSummary) -> String {
    format!(
        "{done} {} schools, {} visits and {} letters (schema {}): {}\n",
        summary.schools,
        summary.visits,
        summary.letters,
        summary.schema_version,
        summary.file.display()
    )
}
