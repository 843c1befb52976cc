//! The summary key points are shared with the whole governing body; the
//! minutes are confidential to the group. The summary is written as a
//! separate text, and this check refuses one that repeats any sentence of
//! the minutes or the decisions.
//!
//! Sentences are compared word for word, ignoring case, punctuation and
//! spacing, so a copied sentence is caught however it is re-punctuated or
//! embedded. Sentences of fewer than [`MIN_WORDS`] words are not compared:
//! "None." or "Apologies were noted." in both texts discloses nothing.

use super::MspError;

/// The shortest sentence of the minutes the summary may not repeat.
pub const MIN_WORDS: usize = 5;

/// Refuses `summary` if it repeats a sentence of `confidential`.
pub fn check<'a>(
    summary: &str,
    confidential: impl IntoIterator<Item = &'a str>,
) -> Result<(), MspError> {
    match quoted_sentence(summary, confidential) {
        Some(sentence) => Err(MspError::SummaryQuotesMinutes(sentence)),
        None => Ok(()),
    }
}

/// The first sentence of `confidential` (of at least [`MIN_WORDS`] words)
/// that `summary` contains, as written in the minutes.
pub fn quoted_sentence<'a>(
    summary: &str,
    confidential: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let summary = format!(" {} ", words(summary).join(" "));
    confidential
        .into_iter()
        .flat_map(sentences)
        .find(|sentence| {
            let words = words(sentence);
            words.len() >= MIN_WORDS && summary.contains(&format!(" {} ", words.join(" ")))
        })
        .map(str::to_owned)
}

/// The sentences of `text`: split after `.`, `!`, `?` and `;` that end a
/// sentence (a full stop inside "62.5%" does not), and at line breaks, so
/// a list item or a heading is a sentence of its own.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|(_, next)| *next);
        let ends = match c {
            '!' | '?' | ';' | '\n' => true,
            '.' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if ends {
            pieces.push(&text[start..at]);
            start = at + c.len_utf8();
        }
    }
    pieces.push(&text[start..]);
    pieces
        .into_iter()
        .map(|piece| {
            piece
                .trim()
                .trim_start_matches(['-', '*', '#', '>', ' '])
                .trim()
        })
        .filter(|piece| !piece.is_empty())
}

/// Lower-case words: runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const MINUTES: &str = "Mr Mensah reported that two teachers in Year 5 have resigned. \
        Governors asked whether the interim arrangements would last until Easter; \
        the chair confirmed they would.\n\
        - Reading at the expected standard rose to 62.5% in the autumn check.\n\
        None.";

    #[test]
    fn a_sentence_copied_from_the_minutes_is_refused_however_it_is_punctuated() {
        let copied = "Key points. TWO teachers in Year 5 have resigned... Mr Mensah reported that two teachers in year 5 have resigned!";
        assert_eq!(
            quoted_sentence(copied, [MINUTES]).as_deref(),
            Some("Mr Mensah reported that two teachers in Year 5 have resigned")
        );
        let list_item = "The group heard that reading at the expected standard rose to 62.5 % in the autumn check.";
        assert_eq!(
            quoted_sentence(list_item, [MINUTES]).as_deref(),
            Some("Reading at the expected standard rose to 62.5% in the autumn check")
        );
        assert!(check(list_item, [MINUTES]).is_err());
    }

    #[test]
    fn a_summary_in_its_own_words_passes_and_short_sentences_are_not_compared() {
        let summary = "Staffing in upper Key Stage 2 has changed. Reading is improving. None.";
        assert_eq!(check(summary, [MINUTES]), Ok(()));
        assert_eq!(check("", [MINUTES]), Ok(()));
        assert_eq!(check(MINUTES, []), Ok(()));
    }

    #[test]
    fn part_of_a_sentence_is_not_a_sentence() {
        // "two teachers in Year 5 have resigned" is a part, not the sentence.
        assert_eq!(
            check("Two teachers in Year 5 have resigned.", [MINUTES]),
            Ok(())
        );
    }

    #[test]
    fn sentences_split_where_sentences_end() {
        let found: Vec<&str> = sentences("A 1.5 rise. Then B! And C?\n- D; e").collect();
        assert_eq!(found, ["A 1.5 rise", "Then B", "And C", "D", "e"]);
    }

    fn sentence() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec("[a-z]{2,9}", MIN_WORDS..12)
    }

    proptest! {
        #[test]
        fn any_sentence_of_the_minutes_embedded_in_a_summary_is_refused(
            before in prop::collection::vec("[a-z]{2,9}", 0..6),
            secret in sentence(),
            after in prop::collection::vec("[a-z]{2,9}", 0..6),
            other in sentence(),
            upper in any::<bool>(),
        ) {
            let minutes = format!("{}. {}.", other.join(" "), secret.join(" "));
            let mut quoted = secret.join("  ");
            if upper {
                quoted = quoted.to_uppercase();
            }
            let summary = format!("{} {quoted}, {}", before.join(" "), after.join(" "));
            prop_assert!(check(&summary, [minutes.as_str()]).is_err());
        }

        #[test]
        fn a_summary_sharing_no_words_with_the_minutes_always_passes(
            minutes in prop::collection::vec(sentence(), 1..5),
            summary in prop::collection::vec("[0-9]{1,4}", 0..40),
        ) {
            let minutes: Vec<String> = minutes.iter().map(|words| words.join(" ") + ".").collect();
            let summary = summary.join(" ");
            prop_assert_eq!(check(&summary, minutes.iter().map(String::as_str)), Ok(()));
        }

        #[test]
        fn the_check_never_panics_on_any_text(summary in ".{0,200}", minutes in ".{0,200}") {
            let _ = check(&summary, [minutes.as_str()]);
        }
    }
}
