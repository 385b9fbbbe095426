//! Stage 2 of the front end: sentence boundaries.
//!
//! Input: cleaned text. Output: the byte spans of its sentences, in order, trimmed of spaces.

use super::Span;

/// Splits cleaned text into sentence spans.
pub fn split(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        if matches!(ch, '.' | '!' | '?' | '\n') {
            push_trimmed(text, start, i + ch.len_utf8(), &mut spans);
            start = i + ch.len_utf8();
        }
    }
    push_trimmed(text, start, text.len(), &mut spans);
    spans
}

fn push_trimmed(text: &str, start: usize, end: usize, spans: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        spans.push(Span::new(start + lead, end - trail));
    }
}
