//! Full-text search over visit notes, agreed actions and letters, newest first.
//!
//! Writes note which rows changed (migration 6) and each search first
//! indexes them; this module turns what the adviser typed into a query and
//! the matches into results to show.
//! Newest first is what an adviser looking back through notes wants, and it
//! lets the index stop at the first [`SEARCH_LIMIT`] matches instead of
//! ranking every note that holds a common word; snippets are made only for
//! the matches shown.

use caseload_core::search::{match_expressions, pieces, Piece, HIT_END, HIT_START};
use serde::Serialize;

use crate::{Store, StoreError};

/// One match: what it is, which school, which day, and the words around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// "visit", "action" or "letter".
    pub kind: String,
    pub id: String,
    pub urn: u32,
    pub school: String,
    /// The visit's date, the action's due date or the letter's date.
    pub day: String,
    /// The visit that shows the match: the visit itself, or the one the
    /// action was agreed at (none for an action from a meeting or letter),
    /// or the visit a note of visit records.
    pub visit: Option<String>,
    pub snippet: Vec<Piece>,
}

/// Results beyond these are not worth reading while typing.
pub const SEARCH_LIMIT: u32 = 50;

/// A searchable record type: its table, its index, the view of the text
/// indexed, the day it is dated by, and the visit that shows it.
struct Searched {
    kind: &'static str,
    table: &'static str,
    index: &'static str,
    body: &'static str,
    day: &'static str,
    visit: &'static str,
}

const SEARCHED: [Searched; 3] = [
    Searched {
        kind: "visit",
        table: "visit",
        index: "visit_search",
        body: "visit_search_body",
        day: "visited_on",
        visit: "r.id",
    },
    Searched {
        kind: "action",
        table: "action",
        index: "action_search",
        body: "action_search_body",
        day: "due_on",
        visit: "CASE r.source ->> '$.kind' WHEN 'visit' THEN r.source ->> '$.id' END",
    },
    Searched {
        kind: "letter",
        table: "letter",
        index: "letter_search",
        body: "letter_search_body",
        day: "dated",
        visit: "r.visit",
    },
];

impl Store {
    /// What matches `typed`, newest first; nothing when it holds no word.
    /// The last word is completed as a prefix unless, whole, it already
    /// fills a page (see `caseload_core::search`).
    pub fn search(&self, typed: &str) -> Result<Vec<SearchHit>, StoreError> {
        let Some(queries) = match_expressions(typed) else {
            return Ok(Vec::new());
        };
        self.index_pending()?;
        let whole = self.newest_hits(&queries.whole_words)?;
        if whole.len() == SEARCH_LIMIT as usize {
            return Ok(whole);
        }
        self.newest_hits(&queries.last_as_prefix)
    }

    /// The newest matches of `query` across every index, a page at most.
    fn newest_hits(&self, query: &str) -> Result<Vec<SearchHit>, StoreError> {
        let mut hits = Vec::new();
        for searched in &SEARCHED {
            hits.extend(self.newest_matches(searched, query)?);
        }
        hits.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(SEARCH_LIMIT as usize);
        Ok(hits)
    }

    /// Brings the indexes up to date with the rows written since the last
    /// search (writes only note which rows changed; see migration 6). Row by
    /// row: a virtual table is not searched by `rowid IN (subquery)`, it is scanned.
    fn index_pending(&self) -> Result<(), StoreError> {
        let pending: Vec<(String, i64)> = self
            .conn()
            .prepare_cached("SELECT idx, row FROM search_pending")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if pending.is_empty() {
            return Ok(());
        }
        let tx = self.conn().unchecked_transaction()?;
        for (kind, row) in pending {
            let Some(Searched { index, body, .. }) = SEARCHED.iter().find(|s| s.kind == kind)
            else {
                return Err(StoreError::Corrupt(format!(
                    "search_pending names {kind:?}"
                )));
            };
            tx.prepare_cached(&format!("DELETE FROM {index} WHERE rowid = ?1"))?
                .execute([row])?;
            tx.prepare_cached(&format!(
                "INSERT INTO {index} (rowid, body) SELECT id, body FROM {body} WHERE id = ?1"
            ))?
            .execute([row])?;
        }
        tx.execute("DELETE FROM search_pending", [])?;
        tx.commit()?;
        Ok(())
    }

    /// The newest matches in one index, each with its snippet.
    fn newest_matches(
        &self,
        searched: &Searched,
        query: &str,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let Searched {
            kind,
            table,
            index,
            day,
            visit,
            ..
        } = searched;
        // Ordered by rowid, the index yields its newest matches first and
        // makes a snippet only for the rows it returns.
        let sql = format!(
            "WITH newest AS (
                 SELECT rowid, snippet({index}, 0, char({start}), char({end}), '…', 12) AS snippet
                   FROM {index} WHERE {index} MATCH ?1 ORDER BY rowid DESC LIMIT ?2
             )
             SELECT r.id, r.urn, s.name, r.{day}, {visit}, newest.snippet
               FROM newest
               JOIN {table} r ON r.rowid = newest.rowid
               JOIN school s ON s.urn = r.urn",
            start = HIT_START as u32,
            end = HIT_END as u32,
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let hits = statement.query_map(rusqlite::params![query, SEARCH_LIMIT], |row| {
            Ok(SearchHit {
                kind: (*kind).to_owned(),
                id: row.get(0)?,
                urn: row.get(1)?,
                school: row.get(2)?,
                day: row.get(3)?,
                visit: row.get(4)?,
                snippet: pieces(&row.get::<_, String>(5)?),
            })
        })?;
        Ok(hits.collect::<Result<_, _>>()?)
    }
}
