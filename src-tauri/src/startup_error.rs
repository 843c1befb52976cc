//! The page the main window shows when the store could not be opened.
//!
//! It is plain HTML built here, because the UI cannot run without a store:
//! the adviser must still see what went wrong and which file was meant. It is
//! served on its own URI scheme, so it needs nothing from `ui/dist`.

use std::path::Path;

use tauri::http::header::{HeaderValue, CONTENT_TYPE};
use tauri::http::{Request, Response};

/// The scheme the page is served on (`caseload-startup-error://localhost/`).
pub const SCHEME: &str = "caseload-startup-error";

/// The window's URL for the page.
pub fn url() -> Result<tauri::Url, tauri::Error> {
    tauri::Url::parse(&format!("{SCHEME}://localhost/"))
        .map_err(|_| tauri::Error::InvalidWebviewUrl("the startup error page's URL"))
}

/// Answers every request on [`SCHEME`] with `page`.
pub fn respond(page: &str, _request: Request<Vec<u8>>) -> Response<Vec<u8>> {
    let mut response = Response::new(page.as_bytes().to_vec());
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// The whole page: what failed, and where the store was looked for.
pub fn page(path: Option<&Path>, message: &str) -> String {
    let where_ = match path {
        Some(path) => format!(
            "<p>The store file is <code>{}</code>.</p>",
            escape(&path.display().to_string())
        ),
        None => String::new(),
    };
    format!(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <title>Caseload</title><style>\
         body{{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:44rem;\
         padding:0 1.5rem;color:#0b0c0c}}\
         h1{{font-size:1.6rem;border-left:6px solid #d4351c;padding-left:1rem}}\
         pre{{white-space:pre-wrap;background:#f3f2f1;padding:1rem}}</style></head>\
         <body><main><h1 id=\"startup-error\">Caseload could not open its store</h1>\
         <pre>{}</pre>{where_}\
         <p>Set <code>CASELOAD_DB</code> to a file you can write, or check that \
         its folder can be created and the disk is not full, then start Caseload again.</p>\
         </main></body></html>",
        escape(message)
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_the_file_and_escapes_the_message() {
        let html = page(
            Some(Path::new("/home/sia/<caseload>.sqlite3")),
            "unable to open database file: <permission denied>",
        );
        assert!(html.contains("Caseload could not open its store"));
        assert!(html.contains("unable to open database file: &lt;permission denied&gt;"));
        assert!(html.contains("/home/sia/&lt;caseload&gt;.sqlite3"));
        assert!(!html.contains("<permission"));
    }

    #[test]
    fn the_page_is_served_as_html_on_its_own_scheme() {
        let url = url().expect("a URL");
        assert_eq!(url.scheme(), SCHEME);
        let response = respond("<p>x</p>", Request::new(Vec::new()));
        assert_eq!(response.body(), b"<p>x</p>");
        assert_eq!(
            response.headers().get(CONTENT_TYPE),
            Some(&HeaderValue::from_static("text/html; charset=utf-8"))
        );
    }
}
