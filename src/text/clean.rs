//! Stage 1 of the front end: make the text canonical before anything reads it.
//!
//! Input: raw UTF-8 text. Output: [`Cleaned`], the canonical text plus a map from each of its
//! bytes back to the original, so later spans can be reported against what the user sent.

use unicode_normalization::UnicodeNormalization;

use super::Span;

/// Canonical text with a byte map back to the original input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    /// `origin[i]` is the original byte offset of cleaned byte `i`; `origin[text.len()]` is the
    /// original length.
    pub origin: Vec<usize>,
}

impl Cleaned {
    /// Maps a span of the cleaned text to the original text.
    pub fn original_span(&self, span: Span) -> Span {
        let start = self.origin[span.start.min(self.text.len())];
        let end = self.origin[span.end.min(self.text.len())];
        Span::new(start, end.max(start))
    }
}

/// Cleans raw text: NFC per character cluster, with the byte map kept.
pub fn clean(input: &str) -> Cleaned {
    let mut text = String::with_capacity(input.len());
    let mut origin = Vec::with_capacity(input.len() + 1);
    for (offset, ch) in input.char_indices() {
        for out in std::iter::once(ch).nfc() {
            for _ in 0..out.len_utf8() {
                origin.push(offset);
            }
            text.push(out);
        }
    }
    origin.push(input.len());
    Cleaned { text, origin }
}
