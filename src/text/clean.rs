//! Stage 1 of the front end: make the text canonical before anything reads it.
//!
//! Input: raw UTF-8 text. Output: [`Cleaned`], the canonical text plus a map from each of its
//! bytes back to the original, so later spans can be reported against what the user sent.
//!
//! What changes (README, "Reading conventions / text cleaning"):
//! - Unicode NFC, also for decomposed (NFD) input;
//! - one tone-mark placement per syllable: hoà → hòa, thuỷ → thủy, khoẻ → khỏe (the placement
//!   [`Syllable`](super::Syllable)'s `Display` writes);
//! - Ð/ð (U+00D0/U+00F0, a common stand-in) → Đ/đ;
//! - curly quotes and guillemets → `"` and `'`;
//! - no-break and other Unicode spaces, tabs → a plain space;
//! - zero-width characters, soft hyphens, bidi marks, other control characters → removed;
//! - CRLF, CR, NEL, U+2028 → `\n`; U+2029 → a blank line (`\n\n`). `\n` is kept: it is how
//!   the sentence splitter sees headlines and paragraphs.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use super::syllable::with_canonical_tone_mark;
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

/// A base character and the combining marks after it are normalized together; a longer run of
/// marks (never seen in real text) is cut into pieces of this many characters so that
/// pathological input stays linear.
const MAX_CLUSTER: usize = 32;

/// Cleans raw text; see the module documentation for what changes. Never fails.
pub fn clean(input: &str) -> Cleaned {
    let (first, lone_mark) = compose_pass(input);
    if !lone_mark {
        return place_tone_marks(first);
    }
    // A combining mark without a base may meet another mark, or its base, once the
    // characters between them are removed ("e", zero-width space, acute): compose again so
    // that cleaning the result changes nothing. Rare, so the maps are simply chained.
    let (second, _) = compose_pass(&first.text);
    let origin = second.origin.iter().map(|&o| first.origin[o]).collect();
    place_tone_marks(Cleaned {
        text: second.text,
        origin,
    })
}

/// Unicode NFC and the character replacements; also tells whether a combining mark was
/// written without a base character before it.
fn compose_pass(input: &str) -> (Cleaned, bool) {
    let mut lone_mark = false;
    let mut out = Builder::with_capacity(input.len());
    let mut cluster = String::new();
    let mut composed = Vec::new();
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < input.len() {
        // Fast path: a run of printable ASCII and spaces (most of any text) stays as it is,
        // except a last character that a combining mark follows.
        let run = bytes[i..]
            .iter()
            .position(|&b| !(b.is_ascii_graphic() || b == b' '))
            .unwrap_or(input.len() - i);
        if run > 0 {
            let mut end = i + run;
            if starts_with_mark(&input[end..]) {
                end -= 1;
            }
            out.text.push_str(&input[i..end]);
            out.origin.extend(i..end);
            i = end;
            if i == input.len() {
                break;
            }
        }
        let Some(ch) = input[i..].chars().next() else {
            break;
        };
        let offset = i;
        i += ch.len_utf8();
        let rest = &input[i..];
        if !starts_with_mark(rest) {
            // A character that no combining mark follows.
            if ch == '\r' && rest.starts_with('\n') {
                // CRLF → one \n standing where the \r stood.
                i += 1;
                out.push('\n', offset);
                continue;
            }
            if ch.is_ascii() || is_latin_letter(ch) {
                out.push_mapped(ch, offset);
            } else {
                lone_mark |= is_mark(ch);
                // Singletons have an NFC of their own: Å (U+212B) → Å, Ω (U+2126) → Ω.
                for composed in std::iter::once(ch).nfc() {
                    out.push_mapped(composed, offset);
                }
            }
            continue;
        }
        lone_mark |= is_mark(ch);
        cluster.clear();
        cluster.push(ch);
        for next in input[i..].chars().take(MAX_CLUSTER - 1) {
            if canonical_combining_class(next) == 0 {
                break;
            }
            cluster.push(next);
            i += next.len_utf8();
        }
        compose(&cluster, &mut composed);
        if let Some((&base, marks)) = composed.split_first() {
            let before = out.text.len();
            out.push_mapped(base, offset);
            // A removed base (a zero-width space before an acute) leaves its marks alone.
            lone_mark |= out.text.len() == before && !marks.is_empty();
            for &c in marks {
                out.push_mapped(c, offset);
            }
        }
    }
    out.origin.push(input.len());
    (out.finish(), lone_mark)
}

/// Whether `c` is a combining mark (one that NFC may join to what stands before).
fn is_mark(c: char) -> bool {
    may_combine(c) && canonical_combining_class(c) != 0
}

/// Whether `text` starts with a combining mark.
fn starts_with_mark(text: &str) -> bool {
    text.chars().next().is_some_and(is_mark)
}

/// Vietnamese vowel-quality marks: circumflex, breve, horn.
const QUALITY_MARKS: [char; 3] = ['\u{302}', '\u{306}', '\u{31B}'];

/// NFC of one base character and its marks. When marks are left over because the tone came
/// before the vowel quality (`e` + acute + circumflex, as some keyboards type it), the quality
/// marks are moved first and composition is tried again: `ế`.
fn compose(cluster: &str, out: &mut Vec<char>) {
    out.clear();
    out.extend(cluster.nfc());
    let leftover = out
        .iter()
        .skip(1)
        .any(|&c| canonical_combining_class(c) != 0);
    if !leftover || !cluster.contains(QUALITY_MARKS) {
        return;
    }
    let mut chars = cluster.chars();
    let base = chars.next().into_iter();
    let (quality, other): (Vec<char>, Vec<char>) = chars.partition(|c| QUALITY_MARKS.contains(c));
    let reordered: String = base.chain(quality).chain(other).collect();
    let retry: Vec<char> = reordered.nfc().collect();
    if retry.len() < out.len() {
        *out = retry;
    }
}

/// The output under construction.
struct Builder {
    text: String,
    origin: Vec<usize>,
}

impl Builder {
    fn with_capacity(n: usize) -> Self {
        Builder {
            text: String::with_capacity(n),
            origin: Vec::with_capacity(n + 1),
        }
    }

    fn push(&mut self, ch: char, offset: usize) {
        self.text.push(ch);
        self.origin
            .extend(std::iter::repeat(offset).take(ch.len_utf8()));
    }

    /// Pushes one NFC character after the character-level replacements.
    fn push_mapped(&mut self, ch: char, offset: usize) {
        if ch.is_ascii_graphic() || ch == ' ' {
            self.text.push(ch);
            self.origin.push(offset);
            return;
        }
        if is_latin_letter(ch) {
            self.push(ch, offset);
            return;
        }
        match ch {
            '\n' => self.push('\n', offset),
            '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => self.push('\n', offset),
            '\u{2029}' => {
                self.push('\n', offset);
                self.push('\n', offset);
            }
            '\t'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}' => self.push(' ', offset),
            // Zero-width characters, soft hyphen, bidi and other format controls.
            '\u{AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}' => {}
            c if c.is_control() => {}
            '“' | '”' | '„' | '‟' | '«' | '»' | '″' | '〝' | '〞' | '＂' => {
                self.push('"', offset)
            }
            '‘' | '’' | '‚' | '‛' | '′' | '＇' => self.push('\'', offset),
            'Ð' => self.push('Đ', offset),
            'ð' => self.push('đ', offset),
            c => self.push(c, offset),
        }
    }

    fn finish(self) -> Cleaned {
        Cleaned {
            text: self.text,
            origin: self.origin,
        }
    }
}

/// Whether `c` can be part of a Vietnamese word (a letter as the syllable parser sees it).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphabetic() || is_latin_letter(c) || (!c.is_ascii() && c.is_alphabetic())
}

/// Accented Latin letters (Latin-1, Extended-A and -B, Extended Additional: every Vietnamese
/// letter), which need no replacement; Ð and ð are left to the replacement table.
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
        && !matches!(c, '\u{D7}' | '\u{F7}' | 'Ð' | 'ð')
}

/// Whether `c` may be a combining mark: everything below U+0300 and the precomposed Latin
/// letters are starters, so the table lookup can be skipped for them.
fn may_combine(c: char) -> bool {
    c >= '\u{300}' && !('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// Rewrites each word whose tone mark stands in an old place (hoà → hòa), keeping the map.
fn place_tone_marks(cleaned: Cleaned) -> Cleaned {
    // Fast path: nothing to move unless some word has a marked vowel next to another vowel.
    if cleaned.text.is_ascii() {
        return cleaned;
    }
    let Cleaned { text, origin } = cleaned;
    // Built only when a word changes: most texts already have their marks in place.
    let mut out: Option<Builder> = None;
    let mut rest = 0;
    let bytes = text.as_bytes();
    // Only words with a non-ASCII letter can have a mark to move: go from one non-ASCII
    // character to the next, and take the word around it.
    let mut pos = 0;
    while let Some(found) = bytes[pos..].iter().position(|b| !b.is_ascii()) {
        let at = pos + found;
        let Some(ch) = text[at..].chars().next() else {
            break;
        };
        if !is_word_char(ch) {
            pos = at + ch.len_utf8();
            continue;
        }
        // Everything between `pos` and `at` is ASCII, and `pos` starts a word or follows a
        // character that is not part of one.
        let start = at
            - bytes[pos..at]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
        let end = text[at..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(text.len(), |(i, _)| at + i);
        pos = end;
        let word = &text[start..end];
        if word.len() > 40 {
            continue;
        }
        if let Some(fixed) = with_canonical_tone_mark(word) {
            let out = out.get_or_insert_with(|| Builder::with_capacity(text.len()));
            out.text.push_str(&text[rest..start]);
            out.origin.extend_from_slice(&origin[rest..start]);
            // Same number of characters: each keeps the origin of the one it replaces.
            let origins = word.char_indices().map(|(i, _)| origin[start + i]);
            for (c, o) in fixed.chars().zip(origins) {
                out.push(c, o);
            }
            rest = end;
        }
    }
    let Some(mut out) = out else {
        return Cleaned { text, origin };
    };
    out.text.push_str(&text[rest..]);
    out.origin.extend_from_slice(&origin[rest..]);
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_points_each_byte_at_its_source() {
        let input = "Hoà\u{A0}bình\r\n“Ð”";
        let c = clean(input);
        assert_eq!(c.text, "Hòa bình\n\"Đ\"");
        assert_eq!(c.origin.len(), c.text.len() + 1);
        // "ò" (2 bytes) comes from "o" at 1, "a" from "à" at 2, the space from the NBSP at 4.
        assert_eq!(&c.origin[..5], &[0, 1, 1, 2, 4]);
        assert_eq!(c.origin[c.text.len()], input.len());
    }

    #[test]
    fn decomposed_input_is_composed() {
        let nfd: String = "Nguyễn Việt hòa".nfd().collect();
        let c = clean(&nfd);
        assert_eq!(c.text, "Nguyễn Việt hòa");
        let span = c.original_span(Span::new(0, "Nguyễn".len()));
        assert_eq!(&nfd[span.start..span.end], "Nguye\u{302}\u{303}n");
    }
}
