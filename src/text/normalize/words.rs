//! Letter-only tokens: Vietnamese words, abbreviations, Roman numerals, acronyms, foreign words.
//!
//! Part of stage 3 (normalize). The order of the decision: the abbreviation lexicon (exact
//! case), a Roman numeral where the context asks for a number, a Vietnamese syllable (any case:
//! VŨ KHẮC HỘI is read as words), the foreign-word lexicon, a unit symbol, spelling for
//! all-caps acronyms and single letters, and the rule-based foreign reading for the rest.

use super::numbers::{cardinal, ordinal, say};
use super::{abbrev, foreign, roman, spell, units};
use crate::text::TokenKind;

/// Whether `word` (any case) is one well-formed Vietnamese syllable.
pub fn is_syllable(word: &str) -> bool {
    super::with_lowercase(word, |lower| super::parse_syllable(lower).is_some())
}

fn is_all_caps(word: &str) -> bool {
    word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase)
}

/// Reads a word without context (inside URLs, e-mail addresses, mixed tokens).
pub fn read_plain(word: &str) -> Vec<String> {
    read(word, &[]).1
}

/// Reads a letter-only token (it may contain . - & / ' between letters).
pub fn read(core: &str, previous: &[String]) -> (TokenKind, Vec<String>) {
    let mut out = Vec::new();
    let last = previous.last().map(String::as_str);
    if let Some(s) = abbrev::lookup(core, last) {
        say(&mut out, s);
        return (TokenKind::Abbreviation, out);
    }
    if core.contains(['&', '-', '/', '.', '\'', '’']) {
        return read_compound(core, previous);
    }
    let kind = single(core, previous, &mut out);
    (kind, out)
}

fn read_compound(core: &str, previous: &[String]) -> (TokenKind, Vec<String>) {
    let mut out = Vec::new();
    if let Some(s) = foreign::lookup(core) {
        say(&mut out, s);
        return (TokenKind::Foreign, out);
    }
    if let Some(u) = units::lookup(core).filter(|_| core.contains('/')) {
        say(&mut out, u.spoken);
        return (TokenKind::Measure, out);
    }
    // Apostrophes inside a name (O'Neil, It's) join its parts.
    if core.contains(['\'', '’']) {
        let joined: String = core.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
        if joined.is_empty() {
            // Apostrophes alone: nothing to read (and reading the piece again would recurse).
            spell::spell(core, &mut out);
            return (TokenKind::Spelled, out);
        }
        return read(&joined, previous);
    }
    let mut kind = TokenKind::Word;
    let mut context: Vec<String> = previous.to_vec();
    let pieces: Vec<&str> = core.split_inclusive(['&', '-', '/', '.']).collect();
    for (i, piece) in pieces.iter().enumerate() {
        let (word, sep) = match piece.char_indices().last() {
            Some((at, c)) if matches!(c, '&' | '-' | '/' | '.') => (&piece[..at], Some(c)),
            _ => (*piece, None),
        };
        let has_next = i + 1 < pieces.len();
        if !word.is_empty() {
            let before = out.len();
            if sep == Some('.') && has_next {
                if let Some(p) = abbrev::dotted_prefix(word) {
                    say(&mut out, p);
                    kind = TokenKind::Abbreviation;
                    context.extend(out[before..].iter().cloned());
                    continue;
                }
            }
            let (k, words) = read(word, &context);
            if k != TokenKind::Word && kind == TokenKind::Word {
                kind = k;
            }
            out.extend(words);
            context.extend(out[before..].iter().cloned());
        }
        match sep {
            Some('&') => say(&mut out, "và"),
            Some('/') if has_next => {
                // A rate: "đồng/lượng" = đồng một lượng, "mg/ml" = mi li gam trên mi li lít.
                match units::lookup(word).map(|u| u.kind) {
                    Some(units::UnitKind::Currency) => say(&mut out, "một"),
                    Some(units::UnitKind::Measure) => say(&mut out, "trên"),
                    None => {}
                }
            }
            _ => {}
        }
    }
    if out.is_empty() {
        spell::spell(core, &mut out);
        kind = TokenKind::Spelled;
    }
    (kind, out)
}

fn single(core: &str, previous: &[String], out: &mut Vec<String>) -> TokenKind {
    let lower = core.to_lowercase();
    let syllable = is_syllable(&lower);
    if let Some(v) = roman_value(core, syllable, previous) {
        if previous.last().map(String::as_str) == Some("thứ") {
            ordinal(&v.to_string(), out);
        } else {
            cardinal(&v.to_string(), out);
        }
        return TokenKind::Roman;
    }
    if syllable {
        out.push(lower);
        return TokenKind::Word;
    }
    if let Some(s) = foreign::lookup(core) {
        say(out, s);
        return TokenKind::Foreign;
    }
    if core.chars().any(spell::is_vietnamese_marked) {
        if let Some(parts) = split_glued(&lower) {
            tracing::debug!(token = core, "glued Vietnamese syllables split");
            out.extend(parts);
            return TokenKind::Word;
        }
    }
    if core.chars().count() >= 2 {
        if let Some(u) = units::lookup(core) {
            say(out, u.spoken);
            return TokenKind::Measure;
        }
    }
    let letters = core.chars().filter(|c| spell::is_latin_letter(*c)).count();
    if letters == 0 {
        tracing::debug!(token = core, "no Latin letters: spelled what can be named");
        spell::spell(core, out);
        return TokenKind::Spelled;
    }
    let has_vowel = core.chars().any(|c| {
        matches!(
            spell::strip_tone(c.to_lowercase().next().unwrap_or(c)),
            'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
        )
    });
    if is_all_caps(core) || letters == 1 || !has_vowel {
        spell::spell(core, out);
        return TokenKind::Spelled;
    }
    foreign::approximate(core, out);
    TokenKind::Foreign
}

/// A Roman numeral's value when the context (or its shape) says it is one.
fn roman_value(core: &str, syllable: bool, previous: &[String]) -> Option<u32> {
    let v = roman::value(core)?;
    let upper = core.chars().all(|c| c.is_ascii_uppercase());
    if roman::is_context(previous) {
        // Lowercase numerals only where they cannot be a Vietnamese word ("phần ix", not
        // "khóa xi"): spoken output must read the same when normalized again.
        return (upper || !syllable).then_some(v);
    }
    // Without context: several capitals of I, V, X only (II, XIII, XXI), never a single letter.
    (upper && core.len() >= 2 && core.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))).then_some(v)
}

/// Longest word [`split_glued`] tries (longer runs are read as foreign words).
const MAX_GLUED_CHARS: usize = 48;

/// Splits Vietnamese syllables written without spaces ("thànhphố" → thành phố) into the
/// fewest valid syllables, if there is such a split.
pub fn split_glued(word: &str) -> Option<Vec<String>> {
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(word.len()))
        .collect();
    let n = bounds.len() - 1;
    if !(2..=MAX_GLUED_CHARS).contains(&n) {
        return None;
    }
    // best[i]: fewest syllables covering the first i characters, with the previous cut.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        // A syllable has at most 7 letters (nghiêng).
        for start in end.saturating_sub(7)..end {
            let Some((count, _)) = best[start] else {
                continue;
            };
            if is_syllable(&word[bounds[start]..bounds[end]])
                && best[end].map_or(true, |(c, _)| count + 1 < c)
            {
                best[end] = Some((count + 1, start));
            }
        }
    }
    let (count, _) = best[n]?;
    if count < 2 {
        return None;
    }
    let mut parts = Vec::with_capacity(count);
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        parts.push(word[bounds[start]..bounds[end]].to_string());
        end = start;
    }
    parts.reverse();
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_syllables_are_split() {
        assert_eq!(split_glued("thànhphố").unwrap(), ["thành", "phố"]);
        assert_eq!(split_glued("theongười").unwrap(), ["theo", "người"]);
        assert!(split_glued("qwerty").is_none());
    }
}
