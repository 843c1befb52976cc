//! Embeds tauri.conf.json, the icons and the capabilities, and declares the
//! app's own commands so that a capability must grant each one by name.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "store_status",
        "list_schools",
        "school_profile",
        "performance_panel",
        "load_demo",
        "import_gias",
        "criteria_set",
        "criteria_sets",
        "score_marks",
        "review_draft",
        "save_review_draft",
        "agree_review",
        "review_history",
        "plan_visit",
        "school_visits",
        "school_actions",
        "visit_sheet",
        "save_visit_draft",
        "finalise_visit",
        "add_addendum",
        "agree_action",
        "complete_action",
        "drop_action",
        "search",
        "planned_visits",
        "export_calendar",
        "letters_due",
        "school_letters",
        "letter_catalogue",
        "letter_sheet",
        "draft_letter",
        "save_letter",
        "preview_letter",
        "issue_letter",
        "issued_letter_pdf",
        "correct_letter",
        "letters_eligible",
        "default_letter_folder",
        "start_letter_batch",
        "cancel_letter_batch",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .unwrap_or_else(|error| panic!("tauri-build failed: {error:#}"));
}
