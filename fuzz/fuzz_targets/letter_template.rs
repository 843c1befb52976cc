//! Any text as an authority's letter template, filled from a school's
//! fields, and any text as the indicator catalogue.
#![no_main]

use caseload_core::letter::catalogue::Catalogue;
use caseload_docs::letters::template::LetterTemplate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = Catalogue::parse(text);
    if let Ok(template) = LetterTemplate::parse("fuzz.toml", text) {
        let context = serde_json::json!({
            "school": {"name": "Fenbridge Primary", "urn": 990001, "address": ["Mill Lane"]},
            "salutation": "Mrs Okafor",
            "indicators": ["A drop in Ofsted rating."],
            "actions": [{"text": "Publish the plan", "owner": "Head", "due": "1 December 2026"}],
        });
        let _ = template.fill(&context);
    }
});
