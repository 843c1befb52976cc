//! What `caseload import performance` prints.

use caseload_core::performance::Layout;
use caseload_store::performance::PerformanceImportSummary;

pub fn import_summary(summary: &PerformanceImportSummary) -> String {
    let layout = match summary.layout {
        Layout::Long => "long layout",
        Layout::DfeWide => "DfE layout",
    };
    let mut line = format!(
        "Imported performance figures ({layout}) for {}: {} added, {} updated, {} unchanged, \
         for {} {}.",
        years(&summary.years),
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.schools,
        plural(summary.schools, "school", "schools"),
    );
    if summary.not_in_store > 0 {
        line.push_str(&format!(
            " {} {} not in the store left out.",
            summary.not_in_store,
            plural(summary.not_in_store, "school", "schools"),
        ));
    }
    line
}

/// "2023/24", "2023/24 and 2024/25", "2022/23, 2023/24 and 2024/25".
fn years(years: &[String]) -> String {
    match years {
        [] => "no year".to_owned(),
        [only] => only.clone(),
        [earlier @ .., last] => format!("{} and {last}", earlier.join(", ")),
    }
}

fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 {
        one
    } else {
        many
    }
}
