//! The Tauri commands of printing: every document the window previews is
//! printed from the very bytes it shows, and a written batch of letters as
//! one job. Thin like the others: `caseload-docs::print` talks to CUPS.
//!
//! Where there is no CUPS (Windows), the window prints its preview through
//! the webview's own print dialog; this says which way to go.

use std::path::PathBuf;

use caseload_docs::print::{print, print_pdfs, PrintJob, Submitted};
use serde::Serialize;

use crate::commands::message;

/// How this computer prints.
#[derive(Debug, Serialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum PrintSetup {
    /// Through CUPS, to one of these printers.
    Cups {
        printers: Vec<String>,
        default: Option<String>,
    },
    /// Through the webview's print dialog, which lists the printers itself.
    Webview,
}

/// The printers to offer, or why there are none.
#[tauri::command(async)]
pub fn print_setup() -> Result<PrintSetup, String> {
    if cfg!(windows) {
        return Ok(PrintSetup::Webview);
    }
    let found = caseload_docs::print::printers().map_err(message)?;
    Ok(PrintSetup::Cups {
        printers: found.printers,
        default: found.default,
    })
}

/// Prints the PDF the window previews, as one job.
#[tauri::command(async)]
pub fn print_pdf(
    pdf: Vec<u8>,
    printer: String,
    copies: u32,
    title: String,
) -> Result<Submitted, String> {
    print_pdfs(&printer, &title, copies, &[&pdf]).map_err(message)
}

/// Prints PDFs the app wrote (a batch of letters) as one job, in order.
#[tauri::command(async)]
pub fn print_files(
    paths: Vec<String>,
    printer: String,
    copies: u32,
    title: String,
) -> Result<Submitted, String> {
    let files: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    if let Some(odd) = files
        .iter()
        .find(|file| !file.is_absolute() || file.extension().is_none_or(|ext| ext != "pdf"))
    {
        return Err(format!("{} is not a PDF the app wrote", odd.display()));
    }
    if let Some(gone) = files.iter().find(|file| !file.is_file()) {
        return Err(format!(
            "{} is no longer there: write the letters again",
            gone.display()
        ));
    }
    print(&PrintJob {
        printer,
        title,
        copies,
        files,
    })
    .map_err(message)
}
