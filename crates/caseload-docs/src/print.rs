//! Printing the app's PDFs through CUPS, the printing system of Linux (and
//! of macOS): the printers `lpstat` lists, and a job sent with `lp`.
//!
//! Several PDFs given to one `lp` make ONE job of several documents (CUPS
//! answers "request id is office-12 (3 file(s))"), so a batch of letters
//! comes out together, in order, with nobody else's pages between them; it
//! needs no merging into one PDF. `lp` sends the files' bytes to the
//! scheduler before it returns, so the files may go as soon as it has.
//!
//! Commands run with `LC_ALL=C`, since their answers are read here. Where
//! there is no CUPS (Windows), the window prints its preview through the
//! webview's own print dialog instead: nothing here is used there.

use std::ffi::OsString;
use std::io;
use std::path::PathBuf;
use std::process::{Command, Output};

use thiserror::Error;

/// The most copies one job may ask for: more is a typing slip.
pub const MAX_COPIES: u32 = 99;

/// Why nothing was printed, in words for the adviser.
#[derive(Debug, Error)]
pub enum PrintError {
    #[error("Printing needs CUPS, and its `{command}` command cannot be run here ({source})")]
    NoCups {
        command: &'static str,
        source: io::Error,
    },
    #[error("CUPS, the printing service, is not running on this computer (lpstat: {0})")]
    NotRunning(String),
    #[error("No printer is set up on this computer (lpstat: {0})")]
    NoPrinter(String),
    #[error("There is no printer called {0:?} on this computer")]
    UnknownPrinter(String),
    #[error("The print job was refused: {0}")]
    Refused(String),
    #[error("{0}")]
    BadJob(String),
    #[error("cannot hand the document to the printer: {0}")]
    Io(#[from] io::Error),
}

/// The printers CUPS knows, and the one it prints to unless told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printers {
    pub printers: Vec<String>,
    pub default: Option<String>,
}

/// The names `lpstat -e` lists, one a line.
pub fn parse_destinations(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The default printer `lpstat -d` names, if any.
pub fn parse_default(text: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.trim().strip_prefix("system default destination:"))
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
}

/// The job's id from what `lp` answers ("request id is office-12 (2 file(s))").
pub fn parse_request_id(text: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.trim().strip_prefix("request id is "))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
}

/// One print job: every file in it prints in order, as one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    pub printer: String,
    /// The job's name in the printer's queue.
    pub title: String,
    pub copies: u32,
    pub files: Vec<PathBuf>,
}

impl PrintJob {
    /// The arguments of the one `lp` that prints the whole job.
    pub fn lp_args(&self) -> Result<Vec<OsString>, PrintError> {
        let printer = self.printer.trim();
        if printer.is_empty() {
            return Err(PrintError::BadJob("Choose a printer".to_owned()));
        }
        if !(1..=MAX_COPIES).contains(&self.copies) {
            return Err(PrintError::BadJob(format!(
                "Copies: enter a number from 1 to {MAX_COPIES}; {} is not one",
                self.copies
            )));
        }
        if self.files.is_empty() {
            return Err(PrintError::BadJob("There is nothing to print".to_owned()));
        }
        // A title of control characters would garble the queue's listing.
        let title: String = self
            .title
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let title = Some(title.trim().to_owned())
            .filter(|title| !title.is_empty())
            .unwrap_or_else(|| "Caseload".to_owned());
        let mut args: Vec<OsString> = ["-d", printer, "-t", &title, "-n"]
            .into_iter()
            .map(OsString::from)
            .collect();
        args.push(self.copies.to_string().into());
        // Files after `--`, so none is ever read as an option.
        args.push("--".into());
        args.extend(self.files.iter().map(|file| file.clone().into_os_string()));
        Ok(args)
    }
}

/// What CUPS said when it took the job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Submitted {
    pub printer: String,
    /// The job's id in the queue ("office-12").
    pub job: String,
    pub documents: usize,
}

/// The printers CUPS offers, refusing when it is not running or has none.
pub fn printers() -> Result<Printers, PrintError> {
    let running = run("lpstat", &["-r"])?;
    let answer = said(&running);
    if !running.status.success() || answer.contains("not running") {
        return Err(PrintError::NotRunning(answer));
    }
    let listed = run("lpstat", &["-e"])?;
    let printers = parse_destinations(&String::from_utf8_lossy(&listed.stdout));
    if printers.is_empty() {
        let why = Some(said(&listed))
            .filter(|text| !text.is_empty())
            .unwrap_or_else(|| "no destinations".to_owned());
        return Err(PrintError::NoPrinter(why));
    }
    let default = parse_default(&String::from_utf8_lossy(&run("lpstat", &["-d"])?.stdout))
        .filter(|name| printers.contains(name));
    Ok(Printers { printers, default })
}

/// Sends the job to CUPS with one `lp`.
pub fn print(job: &PrintJob) -> Result<Submitted, PrintError> {
    let args = job.lp_args()?;
    let known = printers()?;
    if !known.printers.iter().any(|name| name == job.printer.trim()) {
        return Err(PrintError::UnknownPrinter(job.printer.clone()));
    }
    let output = Command::new("lp")
        .args(&args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|source| PrintError::NoCups {
            command: "lp",
            source,
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match parse_request_id(&stdout).filter(|_| output.status.success()) {
        Some(id) => Ok(Submitted {
            printer: job.printer.trim().to_owned(),
            job: id,
            documents: job.files.len(),
        }),
        None => Err(PrintError::Refused(said(&output))),
    }
}

/// Prints PDFs held in memory (a preview's bytes) as one job: each goes to
/// a private temporary file for `lp` to read, gone once it has.
pub fn print_pdfs(
    printer: &str,
    title: &str,
    copies: u32,
    pdfs: &[&[u8]],
) -> Result<Submitted, PrintError> {
    if let Some(bad) = pdfs.iter().position(|pdf| !pdf.starts_with(b"%PDF-")) {
        return Err(PrintError::BadJob(format!(
            "document {} of the job is not a PDF",
            bad + 1
        )));
    }
    let folder = tempfile::Builder::new()
        .prefix("caseload-print-")
        .tempdir()?;
    let mut files = Vec::new();
    for (number, pdf) in pdfs.iter().enumerate() {
        let file = folder.path().join(format!("document-{}.pdf", number + 1));
        std::fs::write(&file, pdf)?;
        files.push(file);
    }
    print(&PrintJob {
        printer: printer.to_owned(),
        title: title.to_owned(),
        copies,
        files,
    })
}

fn run(command: &'static str, args: &[&str]) -> Result<Output, PrintError> {
    Command::new(command)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|source| PrintError::NoCups { command, source })
}

/// What a command said, stderr first, on one line.
fn said(output: &Output) -> String {
    let text = [&output.stderr, &output.stdout]
        .into_iter()
        .map(|bytes| String::from_utf8_lossy(bytes).trim().to_owned())
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(copies: u32, files: &[&str]) -> PrintJob {
        PrintJob {
            printer: "office-mfd".to_owned(),
            title: "Letters: congratulations (3)".to_owned(),
            copies,
            files: files.iter().map(PathBuf::from).collect(),
        }
    }

    fn strings(args: Vec<OsString>) -> Vec<String> {
        args.into_iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_batch_is_one_lp_with_every_file_after_the_options() {
        let args = job(2, &["/tmp/a.pdf", "/tmp/-b.pdf", "/tmp/c d.pdf"])
            .lp_args()
            .expect("a good job");
        assert_eq!(
            strings(args),
            [
                "-d",
                "office-mfd",
                "-t",
                "Letters: congratulations (3)",
                "-n",
                "2",
                "--",
                "/tmp/a.pdf",
                "/tmp/-b.pdf",
                "/tmp/c d.pdf"
            ]
        );
    }

    #[test]
    fn a_job_with_no_printer_no_file_or_copies_out_of_range_is_refused() {
        let refused = |job: PrintJob| job.lp_args().expect_err("refused").to_string();
        assert_eq!(
            refused(job(0, &["/tmp/a.pdf"])),
            "Copies: enter a number from 1 to 99; 0 is not one"
        );
        assert!(refused(job(100, &["/tmp/a.pdf"])).contains("100 is not one"));
        assert_eq!(refused(job(1, &[])), "There is nothing to print");
        let nameless = PrintJob {
            printer: "  ".to_owned(),
            ..job(1, &["/tmp/a.pdf"])
        };
        assert_eq!(refused(nameless), "Choose a printer");
    }

    #[test]
    fn a_title_keeps_to_one_line_and_is_never_empty() {
        let args = |title: &str| {
            strings(
                PrintJob {
                    title: title.to_owned(),
                    ..job(1, &["/tmp/a.pdf"])
                }
                .lp_args()
                .expect("a good job"),
            )[3]
            .clone()
        };
        assert_eq!(args("Minutes\n12 March"), "Minutes 12 March");
        assert_eq!(args(" \t"), "Caseload");
    }

    #[test]
    fn lpstat_answers_are_read_for_printers_and_the_default() {
        assert_eq!(
            parse_destinations("office-mfd\nreception_laser\n\n"),
            ["office-mfd", "reception_laser"]
        );
        assert!(parse_destinations("").is_empty());
        assert_eq!(
            parse_default("system default destination: office-mfd\n").as_deref(),
            Some("office-mfd")
        );
        assert_eq!(parse_default("no system default destination\n"), None);
    }

    #[test]
    fn the_job_id_is_read_from_what_lp_answers() {
        assert_eq!(
            parse_request_id("request id is office-mfd-12 (3 file(s))\n").as_deref(),
            Some("office-mfd-12")
        );
        assert_eq!(
            parse_request_id("lp: Error - No default destination."),
            None
        );
    }

    #[test]
    fn what_a_command_said_is_one_line() {
        let output = Command::new("sh")
            .args([
                "-c",
                "echo 'lp: Error -' >&2; echo '  The printer or class'; echo 'does not exist.'",
            ])
            .output()
            .expect("sh runs");
        assert_eq!(
            said(&output),
            "lp: Error - The printer or class does not exist."
        );
    }

    #[test]
    fn bytes_that_are_not_a_pdf_are_not_printed() {
        let error = print_pdfs("office-mfd", "Letter", 1, &[b"%PDF-1.7 ...", b"<html>"])
            .expect_err("refused before CUPS is asked");
        assert_eq!(error.to_string(), "document 2 of the job is not a PDF");
    }
}
