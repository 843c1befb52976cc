//! Search as the adviser types: what they typed becomes a full-text query,
//! and the matched snippet comes back as plain and highlighted pieces.
//!
//! Every word typed must appear. The last word is usually still being
//! typed, so it is completed as a prefix, unless as typed it already finds
//! a page of results: then it is a whole word and those are shown. (A prefix
//! of a common word means merging every word it begins, which a whole word
//! never needs.) Punctuation only separates words, so no input can make an
//! invalid query.

use serde::Serialize;

/// Marks the start and end of a match inside a snippet from the index.
pub const HIT_START: char = '\u{2}';
pub const HIT_END: char = '\u{3}';

/// The FTS5 queries for what was typed: every word whole, and the same
/// with the last word completed as a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchExpressions {
    pub whole_words: String,
    pub last_as_prefix: String,
}

/// The queries for `typed`, or None when it holds no word.
pub fn match_expressions(typed: &str) -> Option<MatchExpressions> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{word}\""))
        .collect();
    let whole_words = words.join(" ");
    Some(MatchExpressions {
        last_as_prefix: format!("{whole_words}*"),
        whole_words,
    })
    .filter(|_| !words.is_empty())
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
    fn every_word_must_match_and_the_last_may_be_a_prefix() {
        let typed = match_expressions("phonics year 1 wri").expect("words");
        assert_eq!(typed.whole_words, "\"phonics\" \"year\" \"1\" \"wri\"");
        assert_eq!(typed.last_as_prefix, "\"phonics\" \"year\" \"1\" \"wri\"*");
        let quoted = match_expressions("  St Mary’s: \"SEND\" (NOT) ").expect("words");
        assert_eq!(
            quoted.last_as_prefix,
            "\"St\" \"Mary\" \"s\" \"SEND\" \"NOT\"*"
        );
        assert_eq!(match_expressions(" -*\"' "), None);
        assert_eq!(
            match_expressions("Zoë").map(|typed| typed.last_as_prefix),
            Some("\"Zoë\"*".to_owned())
        );
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
            if let Some(queries) = match_expressions(&typed) {
                prop_assert_eq!(format!("{}*", queries.whole_words), queries.last_as_prefix.clone());
                for term in queries.last_as_prefix.split(' ') {
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
