//! The user lexicon: written words or patterns → how they are said, applied before
//! normalization (brand names, local place names, an organization's acronyms).
//!
//! Input: a TSV file (`written<TAB>spoken[<TAB>case]`, `#` comments) or a request's
//! `"lexicon": {"written": "spoken"}`. Output: a [`Lexicon`], validated: every spoken word is a
//! Vietnamese syllable or something the normalizer reads without guessing (a number), so
//! nothing reaches the voice that it cannot say. Errors name the file and line (or the entry).
//!
//! Matching ([`Pronunciations::find`]): whole words only, case-insensitive unless the entry
//! says `case`; a space matches any run of white space; one `*` in the written form matches
//! one or more letters or digits, and a `*` in the spoken form is replaced by the usual reading
//! of what it matched (`VF*` → `vê ép *` reads VF8 as vê ép tám). At each position the longest
//! match wins; a request's entries win over the server's.

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use super::normalize::{self, Item};
use super::{Span, Token, TokenKind};

/// The most entries a lexicon file may hold.
pub const MAX_FILE_ENTRIES: usize = 50_000;
/// The most entries one request may bring.
pub const MAX_REQUEST_ENTRIES: usize = 100;
/// The longest written form, in bytes.
pub const MAX_WRITTEN_BYTES: usize = 200;
/// The most words a spoken form may have.
pub const MAX_SPOKEN_WORDS: usize = 64;
/// The longest spoken form, in bytes (as written).
pub const MAX_SPOKEN_BYTES: usize = 1024;

/// A lexicon entry that cannot be used, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// `file:line`, or `lexicon entry "written"` for a request's entries.
    pub at: String,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl std::error::Error for LexiconError {}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// The written form before the `*` (or all of it), and after it.
    prefix: Vec<char>,
    suffix: Option<Vec<char>>,
    case_sensitive: bool,
    /// Spoken syllables; `*` where the wildcard's reading goes.
    spoken: Vec<String>,
}

/// A validated set of pronunciations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lexicon {
    entries: Vec<Entry>,
    /// Entries by the lowercase first word of their written form.
    by_first_word: HashMap<String, Vec<usize>>,
    /// Entries whose `*` is in the first word: tried at every word.
    wild_first: Vec<usize>,
    /// A fingerprint of the entries (cache keys).
    digest: u64,
}

impl Lexicon {
    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reads a lexicon file.
    ///
    /// # Errors
    /// An unreadable file, or the first bad line ([`Lexicon::parse`]).
    pub fn load(path: &Path) -> Result<Lexicon, LexiconError> {
        let at = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| LexiconError {
            at: at.clone(),
            message: format!("cannot read: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| LexiconError {
            at: at.clone(),
            message: format!(
                "not valid UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        })?;
        Lexicon::parse(&text, &at)
    }

    /// Parses lexicon TSV; `name` names the source in errors.
    ///
    /// # Errors
    /// The first line that is not `written<TAB>spoken[<TAB>case]`, or whose entry is invalid
    /// (see [`Lexicon::insert`]), as `name:line: what`.
    pub fn parse(tsv: &str, name: &str) -> Result<Lexicon, LexiconError> {
        let mut builder = Builder::default();
        for (i, line) in tsv.lines().enumerate() {
            let at = || format!("{name}:{}", i + 1);
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let written = cols.next().unwrap_or("");
            let Some(spoken) = cols.next() else {
                return Err(LexiconError {
                    at: at(),
                    message: "expected `written<TAB>spoken` (columns separated by a tab)".into(),
                });
            };
            let case_sensitive = match cols.next().map(str::trim) {
                None | Some("") => false,
                Some("case") => true,
                Some(other) => {
                    return Err(LexiconError {
                        at: at(),
                        message: format!(
                            "unknown flag `{other}` (the third column may only be `case`)"
                        ),
                    })
                }
            };
            if cols.next().is_some() {
                return Err(LexiconError {
                    at: at(),
                    message: "more than three columns".into(),
                });
            }
            if builder.lexicon.entries.len() == MAX_FILE_ENTRIES {
                return Err(LexiconError {
                    at: at(),
                    message: format!("more than {MAX_FILE_ENTRIES} entries"),
                });
            }
            builder
                .insert(written, spoken, case_sensitive, i + 1)
                .map_err(|message| LexiconError { at: at(), message })?;
        }
        Ok(builder.finish())
    }

    /// A request's entries (`{"written": "spoken"}`), case-insensitive.
    ///
    /// # Errors
    /// More than [`MAX_REQUEST_ENTRIES`], or an invalid entry, naming it.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Lexicon, LexiconError> {
        let mut builder = Builder::default();
        for (n, (written, spoken)) in pairs.into_iter().enumerate() {
            let shown: String = written.chars().take(40).collect();
            let at = format!("lexicon entry \"{shown}\"");
            if n == MAX_REQUEST_ENTRIES {
                return Err(LexiconError {
                    at: "lexicon".into(),
                    message: format!("more than {MAX_REQUEST_ENTRIES} entries"),
                });
            }
            builder
                .insert(written, spoken, false, n + 1)
                .map_err(|message| LexiconError { at, message })?;
        }
        Ok(builder.finish())
    }
}

#[derive(Default)]
struct Builder {
    lexicon: Lexicon,
    /// Normalized written form → line (duplicates).
    seen: HashMap<(String, bool), usize>,
}

impl Builder {
    /// Adds one entry.
    ///
    /// # Errors
    /// A written form that is empty, too long, does not start with a letter or digit, or has
    /// more than one `*`; a duplicate; a spoken form that is empty, too long, has a `*` without
    /// one in the written form, or a word that is neither a Vietnamese syllable nor a number.
    fn insert(
        &mut self,
        written: &str,
        spoken: &str,
        case_sensitive: bool,
        line: usize,
    ) -> Result<(), String> {
        let written = super::clean::clean(written.trim()).text;
        if written.is_empty() {
            return Err("the written form is empty".into());
        }
        if written.len() > MAX_WRITTEN_BYTES {
            return Err(format!(
                "the written form is longer than {MAX_WRITTEN_BYTES} bytes"
            ));
        }
        if !written.starts_with(char::is_alphanumeric) {
            return Err(format!(
                "the written form `{written}` must start with a letter or a digit"
            ));
        }
        if written.contains(['\n', '\t']) {
            return Err("the written form has a tab or a line break".into());
        }
        let stars = written.matches('*').count();
        if stars > 1 {
            return Err(format!("`{written}` has more than one `*`"));
        }
        let key_text = if case_sensitive {
            written.clone()
        } else {
            written.to_lowercase()
        };
        if let Some(first) = self.seen.insert((key_text, case_sensitive), line) {
            return Err(format!(
                "`{written}` is already in the lexicon (entry {first})"
            ));
        }
        let spoken = spoken_words(spoken, stars == 1)?;
        let (prefix, suffix) = match written.split_once('*') {
            Some((p, s)) => (p.chars().collect(), Some(s.chars().collect())),
            None => (written.chars().collect(), None),
        };
        let index = self.lexicon.entries.len();
        let first_word: String = written
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let star_in_first_word = written[first_word_len(&written)..].starts_with('*');
        if star_in_first_word {
            self.lexicon.wild_first.push(index);
        } else {
            self.lexicon
                .by_first_word
                .entry(first_word)
                .or_default()
                .push(index);
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.lexicon.digest, &written, case_sensitive, &spoken).hash(&mut h);
        self.lexicon.digest = h.finish();
        self.lexicon.entries.push(Entry {
            prefix,
            suffix,
            case_sensitive,
            spoken,
        });
        Ok(())
    }

    fn finish(self) -> Lexicon {
        self.lexicon
    }
}

fn first_word_len(s: &str) -> usize {
    s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len())
}

/// Checks a spoken form and returns its syllables (numbers read out; `*` kept).
fn spoken_words(spoken: &str, wildcard: bool) -> Result<Vec<String>, String> {
    if spoken.len() > MAX_SPOKEN_BYTES {
        return Err(format!(
            "the spoken form is longer than {MAX_SPOKEN_BYTES} bytes"
        ));
    }
    let cleaned = super::clean::clean(spoken.trim()).text;
    let mut out = Vec::new();
    for word in cleaned.split_whitespace() {
        if word == "*" {
            if !wildcard {
                return Err("the spoken form has a `*` but the written form has none".into());
            }
            out.push("*".into());
            continue;
        }
        let lower = word.to_lowercase();
        if normalize::parse_syllable(&lower).is_some() {
            out.push(lower);
            continue;
        }
        // A number or a symbol the normalizer reads without guessing is fine ("15", "%").
        let items = normalize::normalize(word);
        let tokens: Vec<&Token> = items
            .iter()
            .filter_map(|i| match i {
                Item::Token(t) => Some(t),
                Item::Pause(_) => None,
            })
            .collect();
        let guessed = tokens
            .iter()
            .any(|t| matches!(t.kind, TokenKind::Spelled | TokenKind::Foreign));
        let words: Vec<String> = tokens.iter().flat_map(|t| t.spoken.clone()).collect();
        if guessed || words.is_empty() {
            return Err(format!(
                "`{word}` in the spoken form is not a Vietnamese syllable: write it as it is \
                 said, in syllables separated by spaces (e.g. `phây búc`)"
            ));
        }
        out.extend(words);
    }
    if out.is_empty() {
        return Err("the spoken form is empty".into());
    }
    if out.len() > MAX_SPOKEN_WORDS {
        return Err(format!(
            "the spoken form has more than {MAX_SPOKEN_WORDS} words"
        ));
    }
    if wildcard && !out.iter().any(|w| w == "*") {
        return Err(
            "the written form has a `*`: say where its reading goes with a `*` in the spoken form"
                .into(),
        );
    }
    Ok(out)
}

/// The lexicons in force for one reading: a request's entries first, then the server's.
#[derive(Debug, Clone, Default)]
pub struct Pronunciations {
    layers: Vec<Arc<Lexicon>>,
}

/// A stretch of text a lexicon entry covers, and how it is said.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub spoken: Vec<String>,
}

impl Pronunciations {
    /// No lexicon: every word is read by the normalizer.
    pub fn none() -> Self {
        Pronunciations::default()
    }

    /// `first`'s entries, then `then`'s (each may be empty).
    pub fn new(first: Option<Arc<Lexicon>>, then: Option<Arc<Lexicon>>) -> Self {
        Pronunciations {
            layers: first
                .into_iter()
                .chain(then)
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// Feeds what decides the readings into `h` (download cache keys).
    pub fn hash_into<H: Hasher>(&self, h: &mut H) {
        for l in &self.layers {
            l.digest.hash(h);
        }
    }

    /// Every match in `text`, left to right, not overlapping.
    pub fn find(&self, text: &str) -> Vec<Match> {
        let mut out = Vec::new();
        if self.is_empty() {
            return out;
        }
        let mut i = 0;
        let mut prev_alnum = false;
        while i < text.len() {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            if !c.is_alphanumeric() || prev_alnum {
                prev_alnum = c.is_alphanumeric();
                i += c.len_utf8();
                continue;
            }
            let word_end = i + first_word_len(&text[i..]);
            if let Some(m) = self.match_at(text, i, word_end) {
                i = m.end;
                prev_alnum = text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                out.push(m);
            } else {
                i = word_end;
                prev_alnum = true;
            }
        }
        out
    }

    /// The best match starting at word start `at` (the word ends at `word_end`).
    fn match_at(&self, text: &str, at: usize, word_end: usize) -> Option<Match> {
        let word = text[at..word_end].to_lowercase();
        for lexicon in &self.layers {
            let candidates = lexicon
                .by_first_word
                .get(&word)
                .into_iter()
                .flatten()
                .chain(&lexicon.wild_first);
            let mut best: Option<(usize, &Entry, Wild)> = None;
            for &k in candidates {
                let entry = &lexicon.entries[k];
                if let Some((end, wild)) = entry.match_at(text, at) {
                    if best.as_ref().map_or(true, |(e, _, _)| end > *e) {
                        best = Some((end, entry, wild));
                    }
                }
            }
            if let Some((end, entry, wild)) = best {
                let mut spoken = Vec::with_capacity(entry.spoken.len());
                for w in &entry.spoken {
                    match (w.as_str(), wild) {
                        ("*", Some((s, e))) => spoken.extend(reading(&text[s..e])),
                        _ => spoken.push(w.clone()),
                    }
                }
                return Some(Match {
                    start: at,
                    end,
                    spoken,
                });
            }
        }
        None
    }
}

/// What the normalizer says for `text` (a wildcard's match, an SSML `<sub>` alias).
pub(crate) fn reading(text: &str) -> Vec<String> {
    normalize::normalize(text)
        .into_iter()
        .filter_map(|i| match i {
            Item::Token(t) => Some(t.spoken),
            Item::Pause(_) => None,
        })
        .flatten()
        .collect()
}

/// Where a wildcard matched: a byte range of the text.
type Wild = Option<(usize, usize)>;

impl Entry {
    /// Where a match of this entry starting at `at` ends, and the wildcard's range.
    fn match_at(&self, text: &str, at: usize) -> Option<(usize, Wild)> {
        let after_prefix = self.literal(text, at, &self.prefix)?;
        let (end, wild) = match &self.suffix {
            None => (after_prefix, None),
            Some(suffix) => {
                // The wildcard takes one or more letters or digits; the shortest that lets the
                // suffix match and ends the word wins.
                let mut e = after_prefix;
                let mut found = None;
                for c in text[after_prefix..].chars() {
                    if !c.is_alphanumeric() {
                        break;
                    }
                    e += c.len_utf8();
                    if let Some(end) = self.literal(text, e, suffix) {
                        if ends_word(text, end) {
                            found = Some((end, Some((after_prefix, e))));
                            break;
                        }
                    }
                }
                found?
            }
        };
        ends_word(text, end).then_some((end, wild))
    }

    /// Matches `pattern` literally at `at` (a space matches any white space run); the end.
    fn literal(&self, text: &str, at: usize, pattern: &[char]) -> Option<usize> {
        let mut chars = text[at..].char_indices().peekable();
        let mut end = at;
        for &p in pattern {
            if p == ' ' {
                let mut any = false;
                while let Some(&(i, c)) = chars.peek() {
                    if !c.is_whitespace() {
                        break;
                    }
                    any = true;
                    end = at + i + c.len_utf8();
                    chars.next();
                }
                if !any {
                    return None;
                }
                continue;
            }
            let (i, c) = chars.next()?;
            let same = if self.case_sensitive {
                c == p
            } else {
                c == p || c.to_lowercase().eq(p.to_lowercase())
            };
            if !same {
                return None;
            }
            end = at + i + c.len_utf8();
        }
        Some(end)
    }
}

/// Whether a match ending at `end` ends a word: its last character is not a letter or digit,
/// or the next one is not.
fn ends_word(text: &str, end: usize) -> bool {
    let last = text[..end].chars().next_back();
    !last.is_some_and(char::is_alphanumeric) || !text[end..].starts_with(char::is_alphanumeric)
}

/// Normalizes one sentence with the lexicon's matches read as the lexicon says
/// ([`TokenKind::Substitution`]) and the rest by the normalizer. Without a lexicon this is
/// exactly [`normalize::normalize`].
pub fn normalize(sentence: &str, lexicon: &Pronunciations) -> Vec<Item> {
    normalize_part(sentence, true, lexicon)
}

/// [`normalize`] for a part of a sentence ([`normalize::normalize_part`]).
pub fn normalize_part(sentence: &str, ends_sentence: bool, lexicon: &Pronunciations) -> Vec<Item> {
    let matches = lexicon.find(sentence);
    if matches.is_empty() {
        return normalize::normalize_part(sentence, ends_sentence);
    }
    let mut items = Vec::new();
    let mut at = 0;
    for m in matches {
        normalize_between(sentence, at, m.start, false, &mut items);
        items.push(Item::Token(normalize::spoken_token(
            Span::new(m.start, m.end),
            TokenKind::Substitution,
            m.spoken,
        )));
        at = m.end;
    }
    normalize_between(sentence, at, sentence.len(), ends_sentence, &mut items);
    items
}

fn normalize_between(
    sentence: &str,
    start: usize,
    end: usize,
    ends_sentence: bool,
    out: &mut Vec<Item>,
) {
    if start >= end || sentence[start..end].trim().is_empty() {
        return;
    }
    for mut item in normalize::normalize_part(&sentence[start..end], ends_sentence) {
        if let Item::Token(t) = &mut item {
            t.span = Span::new(t.span.start + start, t.span.end + start);
        }
        out.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(tsv: &str) -> Pronunciations {
        Pronunciations::new(Some(Arc::new(Lexicon::parse(tsv, "t.tsv").unwrap())), None)
    }

    fn spoken(p: &Pronunciations, text: &str) -> Vec<(String, String)> {
        p.find(text)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.spoken.join(" ")))
            .collect()
    }

    #[test]
    fn whole_words_case_and_longest_match() {
        let p = lex("VinFast\tvin phát\nHoàng Anh Gia Lai\thoàng anh gia lai\nHoàng Anh\thoàng anh\nABC\tây bê xê\tcase\n");
        assert_eq!(
            spoken(&p, "Xe VINFAST của Hoàng  Anh Gia Lai, VinFasts, ABC abc."),
            [
                ("VINFAST".into(), "vin phát".into()),
                ("Hoàng  Anh Gia Lai".into(), "hoàng anh gia lai".into()),
                ("ABC".into(), "ây bê xê".into()),
            ]
        );
    }

    #[test]
    fn wildcards_read_what_they_match() {
        let p = lex("VF*\tvi ép *\n");
        assert_eq!(
            spoken(&p, "Mẫu VF8 và VF."),
            [("VF8".into(), "vi ép tám".into())]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = Lexicon::parse("# ok\nGoogle\tgu gồ\nFacebook facebook\n", "x.tsv").unwrap_err();
        assert_eq!(e.at, "x.tsv:3");
        let e = Lexicon::parse("Facebook\tfacebook\n", "x.tsv").unwrap_err();
        assert!(e.message.contains("not a Vietnamese syllable"), "{e}");
        let e = Lexicon::parse("A\tây\na\ta\n", "x.tsv").unwrap_err();
        assert!(e.message.contains("already"), "{e}");
        assert!(Lexicon::parse("A*B*\tây\n", "x").is_err());
        assert!(Lexicon::parse("VF*\tvi ép\n", "x").is_err());
        assert!(Lexicon::parse("-x\tích\n", "x").is_err());
        assert!(Lexicon::parse("x\tích\tfoo\n", "x").is_err());
        let ok = Lexicon::parse("F1\tép 1\n", "x").unwrap();
        assert_eq!(ok.entries[0].spoken, ["ép", "một"]);
    }
}
