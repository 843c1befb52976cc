//! Breaking text into lines that fit a measure, and spreading a justified
//! line to fill it.
//!
//! Pure: text and a [`Measure`] in, lines out. Breaks fall at spaces, and
//! after a hyphen or slash inside a word ("well-/being", "SIA/100001/");
//! a word wider than the whole measure is cut between letters rather than
//! running into the margin. Greedy first fit: letters are short and the
//! reader should be able to predict where a line ends.

use super::metrics::{Measure, Weight};

/// Slack for float sums, in points: far below anything a reader could see.
const EPSILON: f32 = 0.01;

/// Text in one weight, already cleaned by [`super::metrics::Fonts::clean`].
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub weight: Weight,
}

#[cfg(test)]
impl<'a> Piece<'a> {
    pub fn regular(text: &'a str) -> Self {
        Self {
            text,
            weight: Weight::Regular,
        }
    }

    pub fn bold(text: &'a str) -> Self {
        Self {
            text,
            weight: Weight::Bold,
        }
    }
}

/// Text in one weight inside a token.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub weight: Weight,
    pub text: String,
}

/// What follows a token.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gap {
    /// A word space, which a justified line may stretch.
    Space { width: f32 },
    /// A break opportunity with nothing drawn (after a hyphen, or inside a
    /// word too long for any line).
    Join,
}

/// Text no line may break inside.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub runs: Vec<Run>,
    pub width: f32,
    pub after: Gap,
}

/// One line: its tokens, and its width without the gap after the last.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub tokens: Vec<Token>,
    pub width: f32,
    /// The paragraph's last line, which justification leaves ragged.
    pub last: bool,
}

impl Line {
    /// The line as a reader would copy it.
    #[cfg(test)]
    pub fn text(&self) -> String {
        let mut text = String::new();
        for (i, token) in self.tokens.iter().enumerate() {
            for run in &token.runs {
                text.push_str(&run.text);
            }
            if i + 1 < self.tokens.len() && matches!(token.after, Gap::Space { .. }) {
                text.push(' ');
            }
        }
        text
    }

    fn stretchable_gaps(&self) -> usize {
        let inner = self.tokens.len().saturating_sub(1);
        self.tokens[..inner]
            .iter()
            .filter(|t| matches!(t.after, Gap::Space { .. }))
            .count()
    }
}

/// How a line sits in its measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Centre,
    /// Flush at both edges, except a paragraph's last line.
    Justify,
}

/// Text to draw from the current pen position: `shift` points of extra
/// space first (justification), then `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub weight: Weight,
    pub text: String,
    pub shift: f32,
}

/// A line ready to draw: where it starts within the measure, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub x: f32,
    pub fragments: Vec<Fragment>,
}

/// Breaks `pieces` into lines no wider than `measure` at `size` points.
/// Empty or all-space text gives no lines.
pub fn break_lines(pieces: &[Piece<'_>], size: f32, measure: f32, m: &impl Measure) -> Vec<Line> {
    let tokens = tokens(pieces, size, measure, m);
    let mut lines = Vec::new();
    let mut current: Vec<Token> = Vec::new();
    let mut width = 0.0;
    for token in tokens {
        let gap = match current.last().map(|t| t.after) {
            None => None,
            Some(Gap::Space { width }) => Some(width),
            Some(Gap::Join) => Some(0.0),
        };
        match gap {
            Some(gap) if width + gap + token.width <= measure + EPSILON => {
                width += gap + token.width;
                current.push(token);
            }
            Some(_) => {
                lines.push(Line {
                    tokens: std::mem::take(&mut current),
                    width,
                    last: false,
                });
                width = token.width;
                current.push(token);
            }
            None => {
                width = token.width;
                current.push(token);
            }
        }
    }
    if !current.is_empty() {
        lines.push(Line {
            tokens: current,
            width,
            last: true,
        });
    }
    lines
}

/// `pieces` as one line however wide, for labels that must not wrap
/// (page numbers, list numbers).
pub fn unbroken(pieces: &[Piece<'_>], size: f32, m: &impl Measure) -> Line {
    let tokens = tokens(pieces, size, f32::INFINITY, m);
    let width = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| match t.after {
            Gap::Space { width } if i + 1 < tokens.len() => t.width + width,
            _ => t.width,
        })
        .sum();
    Line {
        tokens,
        width,
        last: true,
    }
}

/// Places `line` in `measure` as `align` says.
pub fn place(line: &Line, align: Align, measure: f32) -> Placed {
    let slack = (measure - line.width).max(0.0);
    let gaps = line.stretchable_gaps();
    let (x, extra) = match align {
        Align::Left => (0.0, 0.0),
        Align::Right => (slack, 0.0),
        Align::Centre => (slack / 2.0, 0.0),
        Align::Justify if !line.last && gaps > 0 => (0.0, slack / gaps as f32),
        Align::Justify => (0.0, 0.0),
    };
    let mut fragments: Vec<Fragment> = Vec::new();
    let mut shift = 0.0;
    for (i, token) in line.tokens.iter().enumerate() {
        for run in &token.runs {
            match fragments.last_mut() {
                Some(last) if last.weight == run.weight && shift == 0.0 => {
                    last.text.push_str(&run.text)
                }
                _ => fragments.push(Fragment {
                    weight: run.weight,
                    text: run.text.clone(),
                    shift: std::mem::take(&mut shift),
                }),
            }
        }
        if i + 1 < line.tokens.len() {
            if let (Gap::Space { .. }, Some(last)) = (token.after, fragments.last_mut()) {
                last.text.push(' ');
                shift = extra;
            }
        }
    }
    Placed { x, fragments }
}

/// Splits text into tokens: words, parts of words after a hyphen or slash,
/// and pieces of words too long for a line.
fn tokens(pieces: &[Piece<'_>], size: f32, measure: f32, m: &impl Measure) -> Vec<Token> {
    let chars: Vec<(char, Weight)> = pieces
        .iter()
        .flat_map(|p| p.text.chars().map(move |c| (c, p.weight)))
        .collect();
    let mut tokens = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    for (i, &(ch, weight)) in chars.iter().enumerate() {
        if ch == ' ' {
            if let Some(last) = runs.last() {
                let width = m.width(" ", last.weight, size);
                finish(
                    &mut tokens,
                    std::mem::take(&mut runs),
                    Gap::Space { width },
                    size,
                    measure,
                    m,
                );
            }
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.weight == weight => run.text.push(ch),
            _ => runs.push(Run {
                weight,
                text: ch.to_string(),
            }),
        }
        let between_letters = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|(c, _)| c.is_alphanumeric())
        };
        if matches!(ch, '-' | '/' | '\u{2010}')
            && between_letters(i.checked_sub(1))
            && between_letters(Some(i + 1))
        {
            finish(
                &mut tokens,
                std::mem::take(&mut runs),
                Gap::Join,
                size,
                measure,
                m,
            );
        }
    }
    if !runs.is_empty() {
        finish(&mut tokens, runs, Gap::Join, size, measure, m);
    }
    tokens
}

fn run_width(runs: &[Run], size: f32, m: &impl Measure) -> f32 {
    runs.iter().map(|r| m.width(&r.text, r.weight, size)).sum()
}

/// Pushes a token, cut between letters into pieces that fit if it is wider
/// than the measure. Each piece holds at least one letter, so a measure
/// narrower than a letter still makes progress.
fn finish(
    tokens: &mut Vec<Token>,
    runs: Vec<Run>,
    after: Gap,
    size: f32,
    measure: f32,
    m: &impl Measure,
) {
    let width = run_width(&runs, size, m);
    if width <= measure + EPSILON {
        tokens.push(Token { runs, width, after });
        return;
    }
    let mut piece: Vec<Run> = Vec::new();
    let mut piece_width = 0.0;
    for run in runs {
        for ch in run.text.chars() {
            let mut buf = [0; 4];
            let w = m.width(ch.encode_utf8(&mut buf), run.weight, size);
            if !piece.is_empty() && piece_width + w > measure + EPSILON {
                let full = std::mem::take(&mut piece);
                tokens.push(Token {
                    runs: full,
                    width: piece_width,
                    after: Gap::Join,
                });
                piece_width = 0.0;
            }
            match piece.last_mut() {
                Some(last) if last.weight == run.weight => last.text.push(ch),
                _ => piece.push(Run {
                    weight: run.weight,
                    text: ch.to_string(),
                }),
            }
            piece_width += w;
        }
    }
    tokens.push(Token {
        runs: piece,
        width: piece_width,
        after,
    });
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::typeset::metrics::Fonts;

    /// Every character 1 point wide per point of size in regular, 1.5 in
    /// bold: lines can be checked by counting.
    struct Mono;

    impl Measure for Mono {
        fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
            let per = match weight {
                Weight::Regular => 1.0,
                Weight::Bold => 1.5,
            };
            text.chars().count() as f32 * per * size
        }
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(Line::text).collect()
    }

    #[test]
    fn words_fill_each_line_before_the_next() {
        let lines = break_lines(&[Piece::regular("aaa bbb ccc ddd")], 1.0, 7.0, &Mono);
        assert_eq!(texts(&lines), ["aaa bbb", "ccc ddd"]);
        assert!(!lines[0].last && lines[1].last);
        assert_eq!(lines[0].width, 7.0);
    }

    #[test]
    fn spaces_collapse_and_trim() {
        let lines = break_lines(&[Piece::regular("  one   two  ")], 1.0, 100.0, &Mono);
        assert_eq!(texts(&lines), ["one two"]);
        assert!(break_lines(&[Piece::regular("   ")], 1.0, 100.0, &Mono).is_empty());
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut_not_overflowing() {
        let lines = break_lines(&[Piece::regular("ab abcdefghij cd")], 1.0, 4.0, &Mono);
        assert_eq!(texts(&lines), ["ab", "abcd", "efgh", "ij", "cd"]);
        assert!(lines.iter().all(|l| l.width <= 4.0));
    }

    #[test]
    fn hyphenated_words_and_references_break_after_the_hyphen_or_slash() {
        let lines = break_lines(
            &[Piece::regular("the well-being of SIA/100001")],
            1.0,
            13.0,
            &Mono,
        );
        assert_eq!(texts(&lines), ["the well-", "being of SIA/", "100001"]);
        // A minus sign before a number is not a break.
        let lines = break_lines(&[Piece::regular("score -0.45")], 1.0, 7.0, &Mono);
        assert_eq!(texts(&lines), ["score", "-0.45"]);
    }

    #[test]
    fn strong_and_plain_text_share_a_word_and_a_line() {
        let pieces = [Piece::bold("Ofsted"), Piece::regular("'s report is due")];
        let lines = break_lines(&pieces, 1.0, 100.0, &Mono);
        assert_eq!(texts(&lines), ["Ofsted's report is due"]);
        let first = &lines[0].tokens[0];
        assert_eq!(first.runs.len(), 2);
        assert_eq!(first.width, 6.0 * 1.5 + 2.0);
    }

    #[test]
    fn justified_lines_reach_the_measure_and_the_last_line_stays_ragged() {
        let lines = break_lines(&[Piece::regular("aa bb cc dd ee")], 1.0, 9.0, &Mono);
        assert_eq!(texts(&lines), ["aa bb cc", "dd ee"]);
        let first = place(&lines[0], Align::Justify, 9.0);
        let shifts: Vec<f32> = first.fragments.iter().map(|f| f.shift).collect();
        assert_eq!(shifts, [0.0, 0.5, 0.5]);
        let last = place(&lines[1], Align::Justify, 9.0);
        assert_eq!(last.fragments.len(), 1);
        assert_eq!(last.fragments[0].text, "dd ee");
    }

    #[test]
    fn right_and_centre_alignment_offset_the_line() {
        let lines = break_lines(&[Piece::regular("Page 2 of 3")], 1.0, 20.0, &Mono);
        assert_eq!(place(&lines[0], Align::Right, 20.0).x, 9.0);
        assert_eq!(place(&lines[0], Align::Centre, 20.0).x, 4.5);
    }

    #[test]
    fn real_font_lines_fit_a_letter_measure() {
        let fonts = Fonts::load().expect("fonts");
        let text = "Thank you for welcoming me to Fenwick Primary School on 23 November. \
                    This letter confirms what we agreed about the school's priorities for \
                    the spring term and the support the local authority will provide.";
        let lines = break_lines(&[Piece::regular(text)], 11.0, 470.0, &fonts);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.width <= 470.0));
        assert!(
            lines[..2].iter().all(|l| l.width > 420.0),
            "lines are well filled"
        );
    }

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-z]{1,9}",
            1 => "[A-Za-z0-9]{10,40}",
            1 => "[a-z]{1,6}-[a-z]{1,6}",
            1 => "[A-Z]{2,4}/[0-9]{3,8}",
        ]
    }

    fn paragraph() -> impl Strategy<Value = Vec<(String, bool)>> {
        prop::collection::vec((word(), any::<bool>()), 0..40)
    }

    proptest! {
        #[test]
        fn no_line_is_wider_than_the_measure_and_every_word_is_kept_in_order(
            words in paragraph(),
            measure in 3.0f32..60.0,
            size in 0.5f32..1.5,
        ) {
            let text: Vec<String> = words.iter().map(|(w, _)| w.clone()).collect();
            let pieces: Vec<Piece<'_>> = words
                .iter()
                .flat_map(|(w, strong)| {
                    let weight = if *strong { Weight::Bold } else { Weight::Regular };
                    [Piece { text: w, weight }, Piece::regular(" ")]
                })
                .collect();
            let lines = break_lines(&pieces, size, measure, &Mono);
            for line in &lines {
                prop_assert!(line.width <= measure + EPSILON, "{} > {}", line.width, measure);
                prop_assert!(!line.tokens.is_empty());
            }
            // Gluing the lines back together gives the words back, in order.
            let mut glued = String::new();
            for line in &lines {
                glued.push_str(&line.text());
                if let Some(Gap::Space { .. }) = line.tokens.last().map(|t| t.after) {
                    glued.push(' ');
                }
            }
            prop_assert_eq!(glued.trim_end(), text.join(" "));
        }

        #[test]
        fn justified_lines_are_exactly_the_measure_wide(
            words in paragraph(),
            measure in 20.0f32..60.0,
        ) {
            let text: Vec<String> = words.iter().map(|(w, _)| w.clone()).collect();
            let joined = text.join(" ");
            let lines = break_lines(&[Piece::regular(&joined)], 1.0, measure, &Mono);
            for line in &lines {
                let placed = place(line, Align::Justify, measure);
                let drawn: f32 = placed
                    .fragments
                    .iter()
                    .map(|f| f.shift + Mono.width(&f.text, f.weight, 1.0))
                    .sum();
                if !line.last && line.stretchable_gaps() > 0 {
                    prop_assert!((drawn - measure).abs() < 0.05, "{} vs {}", drawn, measure);
                } else {
                    prop_assert!((drawn - line.width).abs() < 0.05);
                }
            }
        }
    }
}
