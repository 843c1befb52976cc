//! Search as the adviser types: what they typed becomes a full-text query,
//! and the matched snippet comes back as plain and highlighted pieces.
//!
//! Every word typed must appear; the last word is matched as a prefix,
//! because it is usually still being typed. Punctuation only separates
//! words, so no input can make an invalid query.

use serde::Serialize;

/// Marks the start and end of a match inside a snippet from the index.
pub const HIT_START: char = '\u{2}';
pub const HIT_END: char = '\u{3}';

/// The FTS5 query for `typed`, or None when it holds no word.
pub fn match_expression(typed: &str) -> Option<String> {
    let words: Vec<&str> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let (last, rest) = words.split_last()?;
    let mut terms: Vec<String> = rest.iter().map(|word| format!("\"{word}\"")).collect();
    terms.push(format!("\"{last}\"*"));
    Some(terms.join(" "))
}

/// A piece of a snippet, highlighted when it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// Splits a snippet marked with [`HIT_START`] and [`HIT_END`] into pieces.
pub fn pieces(snippet: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = snippet;
    while let Some(start) = rest.find(HIT_START) {
        push(&mut pieces, &rest[..start], false);
        let after = &rest[start + HIT_START.len_utf8()..];
        let end = after.find(HIT_END).unwrap_or(after.len());
        push(&mut pieces, &after[..end], true);
        rest = after.get(end + HIT_END.len_utf8()..).unwrap_or("");
    }
    push(&mut pieces, rest, false);
    pieces
}

/// Adds a non-empty piece, dropping stray marks (the index never nests them).
fn push(pieces: &mut Vec<Piece>, text: &str, hit: bool) {
    let text: String = text
        .chars()
        .filter(|c| *c != HIT_START && *c != HIT_END)
        .collect();
    if !text.is_empty() {
        pieces.push(Piece { text, hit });
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn every_word_must_match_and_the_last_is_a_prefix() {
        assert_eq!(
            match_expression("phonics year 1 wri").as_deref(),
            Some("\"phonics\" \"year\" \"1\" \"wri\"*")
        );
        assert_eq!(
            match_expression("  St Mary’s: \"SEND\" (NOT) ").as_deref(),
            Some("\"St\" \"Mary\" \"s\" \"SEND\" \"NOT\"*")
        );
        assert_eq!(match_expression(" -*\"' "), None);
        assert_eq!(match_expression("Zoë").as_deref(), Some("\"Zoë\"*"));
    }

    #[test]
    fn a_snippet_splits_into_plain_and_highlighted_pieces() {
        let snippet =
            format!("…the {HIT_START}phonics{HIT_END} scheme in {HIT_START}Year{HIT_END}");
        let pieces = pieces(&snippet);
        let shown: Vec<(&str, bool)> = pieces.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(
            shown,
            [
                ("…the ", false),
                ("phonics", true),
                (" scheme in ", false),
                ("Year", true)
            ]
        );
    }

    proptest! {
        #[test]
        fn queries_hold_only_quoted_words(typed in any::<String>()) {
            if let Some(query) = match_expression(&typed) {
                for term in query.split(' ') {
                    let word = term.trim_end_matches('*');
                    prop_assert!(word.len() >= 3 && word.starts_with('"') && word.ends_with('"'));
                    prop_assert!(word[1..word.len() - 1].chars().all(char::is_alphanumeric));
                }
            }
        }

        #[test]
        fn pieces_keep_every_character_but_the_marks(text in "[ab \u{2}\u{3}é]{0,24}") {
            let joined: String = pieces(&text).into_iter().map(|piece| piece.text).collect();
            let expected: String = text.chars().filter(|c| *c != HIT_START && *c != HIT_END).collect();
            prop_assert_eq!(joined, expected);
        }
    }
}
