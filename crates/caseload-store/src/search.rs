//! Full-text search over visit notes and agreed actions, best match first.
//!
//! The indexes are kept by triggers (migration 5); this module turns what
//! the adviser typed into a query and the matches into results to show.

use caseload_core::search::{match_expression, pieces, Piece, HIT_END, HIT_START};
use serde::Serialize;

use crate::{Store, StoreError};

/// One match: what it is, which school, which day, and the words around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// "visit" or "action".
    pub kind: String,
    pub id: String,
    pub urn: u32,
    pub school: String,
    /// The visit's date or the action's due date.
    pub day: String,
    pub snippet: Vec<Piece>,
}

/// Results beyond these are not worth reading while typing.
pub const SEARCH_LIMIT: u32 = 50;

impl Store {
    /// What matches `typed`; nothing when it holds no word.
    pub fn search(&self, typed: &str) -> Result<Vec<SearchHit>, StoreError> {
        let Some(query) = match_expression(typed) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT kind, id, urn, name, day, snippet FROM (
                 SELECT 'visit' AS kind, v.id, v.urn, v.visited_on AS day, {visit_snippet} AS snippet,
                        bm25(visit_search) AS rank
                   FROM visit_search JOIN visit v ON v.rowid = visit_search.rowid
                  WHERE visit_search MATCH ?1
                 UNION ALL
                 SELECT 'action', a.id, a.urn, a.due_on, {action_snippet}, bm25(action_search)
                   FROM action_search JOIN action a ON a.rowid = action_search.rowid
                  WHERE action_search MATCH ?1
             ) AS hit JOIN school s USING (urn)
             ORDER BY rank, day DESC LIMIT ?2",
            visit_snippet = snippet("visit_search"),
            action_snippet = snippet("action_search"),
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let hits = statement.query_map(rusqlite::params![query, SEARCH_LIMIT], |row| {
            Ok(SearchHit {
                kind: row.get(0)?,
                id: row.get(1)?,
                urn: row.get(2)?,
                school: row.get(3)?,
                day: row.get(4)?,
                snippet: pieces(&row.get::<_, String>(5)?),
            })
        })?;
        Ok(hits.collect::<Result<_, _>>()?)
    }
}

/// About a dozen words around the best match, the matches marked.
fn snippet(index: &str) -> String {
    format!(
        "snippet({index}, 0, char({}), char({}), '…', 12)",
        HIT_START as u32, HIT_END as u32
    )
}
