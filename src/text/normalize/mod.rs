//! Stage 3 of the front end: written tokens → spoken Vietnamese.
//!
//! Input: one cleaned sentence. Output: [`Item`]s — tokens with their spoken syllables, and the
//! pauses that punctuation asks for — with spans relative to the sentence. [`phrases`] then
//! groups them into the phrases that prosody and streaming work on.
//!
//! Layout: the tokenizer and the driver live here (they see the neighbouring tokens: phone
//! number groups, "tháng 1 2024", "5 1/2", "100 USD"); each kind of token has its own module:
//! [`numbers`] (cardinals, decimals), [`numeric`] (every token with digits), [`dates`],
//! [`times`], [`money`], [`units`], [`roman`], [`abbrev`], [`words`], [`spell`], [`foreign`],
//! [`symbols`]. The lexicons are ours, under `data/`.
//!
//! Every spoken syllable is checked with the syllable parser; nothing reaches the voice that it
//! cannot say, and every written token yields speech or an explicit, logged
//! [`TokenKind::Silent`] decision.

pub mod abbrev;
pub mod dates;
pub mod foreign;
pub mod money;
pub mod numbers;
pub mod numeric;
pub mod roman;
pub mod spell;
pub mod symbols;
pub mod times;
pub mod units;
pub mod words;

use std::cell::RefCell;

use super::hash::FnvMap;
use super::syllable::split_letter;
use super::{Pause, Phrase, Span, Syllable, Token, TokenKind};

/// One piece of a normalized sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Token(Token),
    Pause(Pause),
}

/// Phrases longer than this many syllables without a pause are cut for early streaming.
pub const MAX_PHRASE_SYLLABLES: usize = 25;

/// A lexicon: written form → spoken form.
pub(crate) struct Table {
    map: FnvMap<&'static str, &'static str>,
    /// Which (first byte, last byte) pairs the keys have: most words asked about are not in
    /// the lexicon, and this answers for them without hashing.
    ends: Box<[u64; 1024]>,
}

impl Table {
    fn new(entries: impl Iterator<Item = (&'static str, &'static str)>) -> Table {
        let mut table = Table {
            map: FnvMap::default(),
            ends: Box::new([0; 1024]),
        };
        for (k, v) in entries {
            let bit = Table::ends_bit(k);
            table.ends[bit / 64] |= 1 << (bit % 64);
            table.map.insert(k, v);
        }
        table
    }

    fn ends_bit(word: &str) -> usize {
        let bytes = word.as_bytes();
        let first = bytes.first().copied().unwrap_or(0);
        let last = bytes.last().copied().unwrap_or(0);
        usize::from(first) << 8 | usize::from(last)
    }

    /// The spoken form of `word`, written exactly so.
    pub(crate) fn get(&self, word: &str) -> Option<&'static str> {
        let bit = Table::ends_bit(word);
        if self.ends[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        self.map.get(word).copied()
    }

    /// Every entry, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.map.iter().map(|(k, v)| (*k, *v))
    }
}

/// Parses a two-column TSV lexicon (`key<TAB>value`, `#` comments) into a map.
pub(crate) fn load_table(tsv: &'static str) -> Table {
    Table::new(
        tsv.lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (k, v) = l.split_once('\t')?;
                Some((k, v.split('\t').next().unwrap_or(v)))
            }),
    )
}

/// Whether `str::to_lowercase` leaves `c` as it is.
fn keeps_case(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    // The Vietnamese letters answer from a table; anything else asks Unicode.
    if let Some((_, _, upper)) = split_letter(c) {
        return !upper;
    }
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// Calls `f` with `word.to_lowercase()`, without allocating for a word that is already
/// lowercase or short (the lookups ask this of most tokens).
pub(crate) fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if word.chars().all(keeps_case) {
        return f(word);
    }
    let mut buf = [0u8; 64];
    let mut len = 0;
    // Σ lowercases by its context (σ or ς): leave that to the standard library.
    if !word.contains('Σ') {
        for l in word.chars().flat_map(char::to_lowercase) {
            let n = l.len_utf8();
            if len + n > buf.len() {
                len = usize::MAX;
                break;
            }
            l.encode_utf8(&mut buf[len..len + n]);
            len += n;
        }
        if let Some(Ok(lower)) = buf.get(..len).map(std::str::from_utf8) {
            return f(lower);
        }
    }
    f(&word.to_lowercase())
}

/// `*word = word.to_lowercase()`, in place when only ASCII letters change.
fn make_lowercase(word: &mut String) {
    if word.chars().all(|c| c.is_ascii() || keeps_case(c)) {
        word.make_ascii_lowercase();
    } else {
        *word = word.to_lowercase();
    }
}

/// Distinct words remembered per thread by [`parse_syllable`] before the memo starts over.
const MEMO_LIMIT: usize = 20_000;

/// A word as written → its lowercase form and syllable, if it is one.
type Memo = FnvMap<String, Option<(Box<str>, Syllable)>>;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Looks one word (any case) up in the memo, parsing and remembering it on a miss: news
/// repeats a few thousand syllables, and the normalizer asks about each word more than once.
/// The memo holds the lowercase spelling with the syllable.
fn with_memo<R>(word: &str, f: impl FnOnce(Option<&(Box<str>, Syllable)>) -> R) -> R {
    MEMO.with(|memo| {
        if let Some(hit) = memo.borrow().get(word) {
            return f(hit.as_ref());
        }
        let lower = word.to_lowercase();
        let parsed = lower
            .parse::<Syllable>()
            .ok()
            .map(|s| (lower.into_boxed_str(), s));
        let answer = f(parsed.as_ref());
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(word.to_string(), parsed);
        answer
    })
}

/// Parses one word (any case) as a syllable (memoized, see [`with_memo`]). Returns the
/// lowercase spelling with the syllable.
fn parse_written(word: &str) -> Option<(Box<str>, Syllable)> {
    with_memo(word, |hit| hit.cloned())
}

/// Parses one lowercase word as a syllable (memoized, see [`with_memo`]).
pub fn parse_syllable(word: &str) -> Option<Syllable> {
    with_memo(word, |hit| hit.map(|&(_, s)| s))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    /// A word, number or code.
    Core,
    /// A run of one punctuation character.
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    start: usize,
    kind: PieceKind,
    /// The piece begins a new whitespace-separated chunk.
    spaced: bool,
}

impl Piece<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    fn has_digit(&self) -> bool {
        self.kind == PieceKind::Core && self.text.chars().any(|c| c.is_ascii_digit())
    }
}

/// Characters that open or close a token and are never part of it.
fn is_edge_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '.'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '…'
            | '–'
            | '—'
            | '-'
            | '*'
            | '•'
            | '·'
            | '|'
            | '<'
            | '>'
            | '/'
            | '\\'
            | '_'
            | '`'
            | '¡'
            | '¿'
    )
}

/// Characters that split a token wherever they stand.
fn is_hard_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '“'
            | '”'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '«'
            | '»'
            | ';'
            | '!'
            | '?'
            | '…'
            | '|'
            | '—'
    )
}

/// Splits a sentence into core tokens and punctuation, with byte offsets.
fn tokenize(sentence: &str) -> Vec<Piece<'_>> {
    // Room for a piece every four bytes, about what news text needs (no regrowth).
    let mut pieces = Vec::with_capacity(sentence.len() / 4 + 2);
    let mut offset = 0;
    for chunk in sentence.split_inclusive(char::is_whitespace) {
        let start = offset;
        offset += chunk.len();
        let word = chunk.trim_end();
        if word.is_empty() {
            continue;
        }
        let before = pieces.len();
        split_chunk(word, start, &mut pieces);
        if let Some(p) = pieces.get_mut(before) {
            p.spaced = true;
        }
    }
    pieces
}

fn split_chunk<'a>(word: &'a str, start: usize, out: &mut Vec<Piece<'a>>) {
    // Fast path: letters and digits only (most chunks), nothing to split off.
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || spell::is_word_letter(c))
    {
        out.push(Piece {
            text: word,
            start,
            kind: PieceKind::Core,
            spaced: false,
        });
        return;
    }
    // Leading punctuation ("-" before a digit is a minus sign, "+" and "$" belong to numbers).
    let mut lead = 0;
    for (i, c) in word.char_indices() {
        let rest = &word[i + c.len_utf8()..];
        let sign = matches!(c, '-' | '.') && rest.starts_with(|d: char| d.is_ascii_digit());
        if is_edge_punct(c) && !sign {
            lead = i + c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation ("%" and "$" stay; "." after an abbreviation is handled later).
    let mut trail = word.len();
    for (i, c) in word.char_indices().rev() {
        if i < lead {
            break;
        }
        if is_edge_punct(c) {
            trail = i;
        } else {
            break;
        }
    }
    push_puncts(&word[..lead], start, out);
    if trail > lead {
        split_core(&word[lead..trail], start + lead, out);
    }
    push_puncts(&word[trail.max(lead)..], start + trail.max(lead), out);
}

fn push_puncts<'a>(s: &'a str, start: usize, out: &mut Vec<Piece<'a>>) {
    let mut run_start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if prev.is_some_and(|p| p != c) {
            out.push(Piece {
                text: &s[run_start..i],
                start: start + run_start,
                kind: PieceKind::Punct,
                spaced: false,
            });
            run_start = i;
        }
        prev = Some(c);
    }
    if run_start < s.len() {
        out.push(Piece {
            text: &s[run_start..],
            start: start + run_start,
            kind: PieceKind::Punct,
            spaced: false,
        });
    }
}

/// Splits a core at punctuation that cannot be inside a token (brackets, quotes, ";", and
/// "," or ":" not between digits).
fn split_core<'a>(core: &'a str, start: usize, out: &mut Vec<Piece<'a>>) {
    let mut seg_start = 0;
    let mut prev_digit = false;
    for (i, c) in core.char_indices() {
        let next_digit = core[i + c.len_utf8()..].starts_with(|n: char| n.is_ascii_digit());
        let split = is_hard_punct(c)
            || (c == ',' && !(prev_digit && next_digit))
            || (c == ':' && !(prev_digit && next_digit) && !core[i..].starts_with("://"));
        prev_digit = c.is_ascii_digit();
        if split {
            if i > seg_start {
                let seg = &core[seg_start..i];
                split_chunk_inner(seg, start + seg_start, out);
            }
            push_puncts(&core[i..i + c.len_utf8()], start + i, out);
            seg_start = i + c.len_utf8();
        }
    }
    if seg_start == 0 {
        out.push(Piece {
            text: core,
            start,
            kind: PieceKind::Core,
            spaced: false,
        });
    } else if seg_start < core.len() {
        split_chunk_inner(&core[seg_start..], start + seg_start, out);
    }
}

fn split_chunk_inner<'a>(seg: &'a str, start: usize, out: &mut Vec<Piece<'a>>) {
    if seg.chars().any(char::is_alphanumeric) || seg.chars().any(|c| symbols::name(c).is_some()) {
        // Re-trim edges exposed by the split ("Nội,Việt" → "Nội" "," "Việt").
        split_chunk(seg, start, out);
    } else {
        push_puncts(seg, start, out);
    }
}

/// A token saying `words`: each checked with the syllable parser, and one the voice cannot
/// say spelled instead; a token left without speech is [`TokenKind::Silent`].
pub fn spoken_token(span: Span, kind: TokenKind, mut words: Vec<String>) -> Token {
    let mut syllables = Vec::with_capacity(words.len());
    // Usually every word is a syllable: the readers' vector becomes the spoken words.
    let mut parsed = 0;
    while let Some(w) = words.get_mut(parsed) {
        make_lowercase(w);
        match parse_syllable(w) {
            Some(s) => syllables.push(s),
            None => break,
        }
        parsed += 1;
    }
    let rest = words.split_off(parsed);
    let mut spoken = words;
    for (i, mut w) in rest.into_iter().enumerate() {
        if i > 0 {
            make_lowercase(&mut w);
        }
        match parse_syllable(&w) {
            Some(s) => {
                spoken.push(w);
                syllables.push(s);
            }
            None => {
                // A reader produced something the voice cannot say: spell it instead.
                tracing::debug!(word = %w, "not a Vietnamese syllable; spelled");
                let mut spelled = Vec::new();
                spell::spell(&w, &mut spelled);
                for x in spelled {
                    if let Some(s) = parse_syllable(&x) {
                        spoken.push(x);
                        syllables.push(s);
                    }
                }
            }
        }
    }
    let kind = if spoken.is_empty() && kind != TokenKind::Silent {
        tracing::debug!(?span, "token yields no speakable syllable: silent");
        TokenKind::Silent
    } else {
        kind
    };
    Token {
        span,
        kind,
        spoken,
        syllables,
    }
}

/// Normalizes one sentence into tokens and pauses.
pub fn normalize(sentence: &str) -> Vec<Item> {
    normalize_part(sentence, true)
}

/// Normalizes a part of a sentence (the text around a lexicon entry or an SSML element):
/// when the part does not end the sentence, punctuation at its end still asks for its pause.
pub fn normalize_part(sentence: &str, ends_sentence: bool) -> Vec<Item> {
    let pieces = tokenize(sentence);
    let mut n = Normalizer {
        // A token per piece and a pause after some of the punctuation.
        items: Vec::with_capacity(pieces.len() + pieces.len() / 4 + 1),
        prev: Vec::with_capacity(CONTEXT_WORDS),
        ends_sentence,
    };
    let mut i = 0;
    while i < pieces.len() {
        let used = match pieces[i].kind {
            PieceKind::Punct => n.punct(&pieces, i),
            PieceKind::Core => n.core(&pieces, i),
        };
        i += used.max(1);
    }
    n.items
}

/// How many spoken words of context the readers may look back at.
const CONTEXT_WORDS: usize = 4;

struct Normalizer {
    items: Vec<Item>,
    /// Every word spoken so far in this sentence (the context of the next token).
    prev: Vec<String>,
    /// The text ends the sentence (no pause after its last punctuation).
    ends_sentence: bool,
}

impl Normalizer {
    fn push(&mut self, span: Span, kind: TokenKind, words: Vec<String>) {
        let token = spoken_token(span, kind, words);
        for w in &token.spoken {
            self.remember(w);
        }
        self.items.push(Item::Token(token));
    }

    /// Keeps the last few spoken words as the context of the next token.
    fn remember(&mut self, word: &str) {
        if self.prev.len() < CONTEXT_WORDS {
            // Room for the longest syllables, so that reusing the buffer does not regrow it.
            let mut buffer = String::with_capacity(word.len().max(16));
            buffer.push_str(word);
            self.prev.push(buffer);
        } else {
            // Reuse the oldest word's buffer: no allocation per token. (Swaps: `rotate_left`
            // costs more on a slice this short.)
            for i in 1..CONTEXT_WORDS {
                self.prev.swap(i - 1, i);
            }
            let last = &mut self.prev[CONTEXT_WORDS - 1];
            last.clear();
            last.push_str(word);
        }
    }

    fn silent(&mut self, piece: &Piece, why: &str) {
        tracing::debug!(text = piece.text, why, "silent token");
        self.items.push(Item::Token(Token {
            span: Span::new(piece.start, piece.end()),
            kind: TokenKind::Silent,
            spoken: Vec::new(),
            syllables: Vec::new(),
        }));
    }

    fn punct(&mut self, pieces: &[Piece], i: usize) -> usize {
        let p = pieces[i];
        let c = p.text.chars().next().unwrap_or(' ');
        let last = i + 1 == pieces.len() && self.ends_sentence;
        let span = Span::new(p.start, p.end());
        match c {
            '-' | '–' | '—' | '~' => {
                let standalone = p.spaced && pieces.get(i + 1).map_or(true, |n| n.spaced);
                let between_numbers = i > 0
                    && pieces[i - 1].has_digit()
                    && pieces.get(i + 1).is_some_and(Piece::has_digit);
                if standalone && between_numbers {
                    self.push(span, TokenKind::Range, vec!["đến".into()]);
                } else {
                    self.silent(&p, "dash");
                    if !last {
                        self.items.push(Item::Pause(Pause::Comma));
                    }
                }
            }
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '…' => {
                self.silent(&p, "pause punctuation");
                if !last {
                    self.items.push(Item::Pause(Pause::Comma));
                }
            }
            '.' if p.text.len() > 1 => {
                self.silent(&p, "ellipsis");
                if !last {
                    self.items.push(Item::Pause(Pause::Comma));
                }
            }
            _ => match symbols::name(c).filter(|_| p.spaced) {
                Some(name) => {
                    let mut w = Vec::new();
                    numbers::say(&mut w, name);
                    self.push(span, TokenKind::Symbol, w);
                }
                None => self.silent(&p, "punctuation"),
            },
        }
        1
    }

    fn core(&mut self, pieces: &[Piece], i: usize) -> usize {
        let p = pieces[i];
        let text = p.text;
        let span = Span::new(p.start, p.end());
        let next = pieces.get(i + 1);
        // Fast path: a plain Vietnamese word (most tokens of any article).
        let (mut letters, mut roman_letters) = (true, true);
        for c in text.chars() {
            letters &= spell::is_word_letter(c);
            roman_letters &= matches!(
                c,
                'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M' | 'i' | 'v' | 'x' | 'l' | 'c' | 'd' | 'm'
            );
        }
        let unit_after_number = i > 0 && pieces[i - 1].has_digit() && units::lookup(text).is_some();
        if letters
            && !roman_letters
            && !unit_after_number
            && abbrev::lookup(text, self.prev.last().map(String::as_str)).is_none()
        {
            if let Some((lower, syllable)) = parse_written(text) {
                self.remember(&lower);
                self.items.push(Item::Token(Token {
                    span,
                    kind: TokenKind::Word,
                    spoken: vec![lower.into()],
                    syllables: vec![syllable],
                }));
                return 1;
            }
        }
        if let Some(used) = self.phone_groups(pieces, i) {
            return used;
        }
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        if numbers::is_digits(unsigned) && !(unsigned.len() >= 3 && unsigned.starts_with('0')) {
            let mut w = Vec::new();
            match self.prev.last().map(String::as_str) {
                Some("thứ" | "hạng") => {
                    numbers::ordinal(text, &mut w);
                    self.push(span, TokenKind::Ordinal, w);
                    return 1;
                }
                Some("tháng") if numbers::value(text).is_some_and(|m| (1..=12).contains(&m)) => {
                    numbers::month(text, &mut w);
                    let year = pieces
                        .get(i + 1)
                        .filter(|n| n.kind == PieceKind::Core && n.text.len() == 4)
                        .filter(|n| {
                            numbers::value(n.text).is_some_and(|y| (1000..=2999).contains(&y))
                        });
                    if let Some(y) = year {
                        w.push("năm".into());
                        numbers::cardinal(y.text, &mut w);
                        self.push(Span::new(p.start, y.end()), TokenKind::Date, w);
                        return 2;
                    }
                    self.push(span, TokenKind::Date, w);
                    return 1;
                }
                _ => {}
            }
            // A mixed fraction: 5 1/2 = năm và một phần hai.
            if let Some(f) = next.filter(|n| n.kind == PieceKind::Core) {
                if let Some((a, b)) = f.text.split_once('/') {
                    let (av, bv) = (numbers::value(a), numbers::value(b));
                    if let (Some(av), Some(bv)) = (av, bv) {
                        if av < bv && bv <= 10 && !dates::date_context(&self.prev) {
                            if unsigned.len() < text.len() {
                                w.push("âm".into());
                            }
                            numbers::cardinal(unsigned, &mut w);
                            w.push("và".into());
                            dates::fraction(a, b, &mut w);
                            self.push(Span::new(p.start, f.end()), TokenKind::Fraction, w);
                            return 2;
                        }
                    }
                }
            }
        }
        // A unit or currency after its number: "200 km", "100 USD", "25 °C".
        let after_number = i > 0 && pieces[i - 1].has_digit();
        if after_number && !text.starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(u) = units::lookup(text) {
                let mut w = Vec::new();
                numbers::say(&mut w, u.spoken);
                let kind = match u.kind {
                    units::UnitKind::Currency => TokenKind::Money,
                    units::UnitKind::Measure => TokenKind::Measure,
                };
                self.push(span, kind, w);
                return 1;
            }
            if matches!(text, "x" | "X") && next.is_some_and(Piece::has_digit) {
                self.push(span, TokenKind::Symbol, vec!["nhân".into()]);
                return 1;
            }
        }
        // "Q. Hoàn Kiếm", "TP. Hồ Chí Minh", "GS. Nguyễn": a prefix and its dot.
        if let (Some(dot), Some(after)) = (next, pieces.get(i + 2)) {
            let adjacent_dot =
                dot.kind == PieceKind::Punct && dot.text == "." && dot.start == p.end();
            let initial = text.chars().count() == 1 && self.after_name(pieces, i);
            if adjacent_dot && after.kind == PieceKind::Core && !initial {
                if let Some(prefix) = abbrev::dotted_prefix(text) {
                    let mut w = Vec::new();
                    numbers::say(&mut w, prefix);
                    self.push(Span::new(p.start, dot.end()), TokenKind::Abbreviation, w);
                    return 2;
                }
            }
        }
        // "Q.1", "P.5", "TP.Vinh": a dotted prefix glued to what it names.
        if let Some((left, right)) = text.split_once('.') {
            if let Some(prefix) = abbrev::dotted_prefix(left) {
                let names = right.starts_with(|c: char| c.is_ascii_digit() || c.is_uppercase());
                if names && abbrev::lookup(text, None).is_none() {
                    let mut w = Vec::new();
                    numbers::say(&mut w, prefix);
                    let (_, rest) = self.read_text(right);
                    w.extend(rest);
                    self.push(span, TokenKind::Abbreviation, w);
                    return 1;
                }
            }
        }
        // "1.5 tỷ", "2.5 triệu": a dot before one or two digits and a scale or unit is a
        // decimal point written the English way.
        if let Some((numeric::Number::Dotted(parts), "")) = numeric::split_number(text) {
            let scale_next = next.is_some_and(|n| {
                n.kind == PieceKind::Core
                    && (matches!(n.text, "nghìn" | "ngàn" | "triệu" | "tỷ" | "tỉ")
                        || units::lookup(n.text).is_some())
            });
            if parts.len() == 2 && parts[1].len() != 3 && scale_next {
                let mut w = Vec::new();
                numbers::decimal(&parts[0], &parts[1], &mut w);
                self.push(span, TokenKind::Decimal, w);
                return 1;
            }
        }
        let (kind, w) = self.read_text(text);
        self.push(span, kind, w);
        1
    }

    /// Reads one token on its own (no neighbours): addresses, numbers, codes, words, symbols.
    fn read_text(&self, text: &str) -> (TokenKind, Vec<String>) {
        let mut w = Vec::new();
        let addressy = text.contains(['@', '.']);
        let kind = if addressy && symbols::is_email(text) {
            symbols::read_address(text, &mut w);
            TokenKind::Email
        } else if addressy && symbols::is_url(text)
            || (text.matches('/').count() >= 2 && text.contains(['.', '_']))
        {
            symbols::read_address(text, &mut w);
            TokenKind::Url
        } else if text.chars().any(|c| c.is_ascii_digit()) {
            match numeric::read(text, &self.prev) {
                Some((k, words)) => {
                    w = words;
                    k
                }
                None => {
                    numeric::mixed(text, &self.prev, &mut w);
                    TokenKind::Spelled
                }
            }
        } else if text.chars().any(char::is_alphabetic) {
            let (k, words) = words::read(text, &self.prev);
            w = words;
            k
        } else {
            for c in text.chars() {
                if let Some(n) = symbols::name(c) {
                    numbers::say(&mut w, n);
                }
            }
            TokenKind::Symbol
        };
        (kind, w)
    }

    /// Whether the token before piece `i` is a capitalized name (so "H." is an initial).
    fn after_name(&self, pieces: &[Piece], i: usize) -> bool {
        i > 0
            && pieces[i - 1].kind == PieceKind::Core
            && pieces[i - 1]
                .text
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && pieces[i - 1].text.chars().skip(1).any(char::is_lowercase)
    }

    /// Telephone numbers written in groups: "0912 345 678", "+84 912 345 678".
    fn phone_groups(&mut self, pieces: &[Piece], i: usize) -> Option<usize> {
        let first = pieces[i].text;
        let plus = first.starts_with('+') && numbers::is_digits(&first[1..]) && first.len() <= 4;
        let zero =
            numbers::is_digits(first) && first.starts_with('0') && (2..=4).contains(&first.len());
        if !(plus || zero) {
            return None;
        }
        let mut total = first.len() - usize::from(plus);
        let mut j = i + 1;
        while let Some(p) = pieces.get(j) {
            if p.kind != PieceKind::Core
                || !numbers::is_digits(p.text)
                || !(2..=4).contains(&p.text.len())
            {
                break;
            }
            total += p.text.len();
            j += 1;
            let enough = if plus {
                (10..=13).contains(&total)
            } else {
                (10..=11).contains(&total)
            };
            let more = pieces.get(j).is_some_and(|n| {
                n.kind == PieceKind::Core
                    && numbers::is_digits(n.text)
                    && total + n.text.len() <= 13
            });
            if enough && !more {
                let mut w = Vec::new();
                let text: String = pieces[i..j].iter().map(|p| p.text).collect();
                numeric::phone(&text, &mut w);
                self.push(
                    Span::new(pieces[i].start, pieces[j - 1].end()),
                    TokenKind::Telephone,
                    w,
                );
                return Some(j - i);
            }
        }
        None
    }
}

/// Groups a sentence's items into phrases at pauses; the last phrase ends the sentence.
///
/// Tokens without speech never make a phrase of their own: they join the next phrase (or the
/// last one). A phrase longer than [`MAX_PHRASE_SYLLABLES`] syllables is cut with
/// [`Pause::None`] so the first audio can leave early.
pub fn phrases(items: Vec<Item>) -> Vec<Phrase> {
    // A phrase per pause, and room for a long one cut in two.
    let pauses = items.iter().filter(|i| matches!(i, Item::Pause(_))).count();
    let mut out = Vec::with_capacity(pauses + 2);
    let mut tokens: Vec<Token> = Vec::new();
    let mut items = items.into_iter();
    while let Some(item) = items.next() {
        match item {
            Item::Token(t) => {
                if tokens.capacity() == 0 {
                    // Room for the tokens up to the next pause.
                    let ahead = items.as_slice().iter();
                    tokens.reserve(1 + ahead.take_while(|i| matches!(i, Item::Token(_))).count());
                }
                tokens.push(t)
            }
            Item::Pause(p) if tokens.iter().any(|t| !t.syllables.is_empty()) => {
                cut_long(std::mem::take(&mut tokens), p, &mut out)
            }
            Item::Pause(_) => {}
        }
    }
    if tokens.iter().any(|t| !t.syllables.is_empty()) || out.is_empty() {
        if !tokens.is_empty() {
            cut_long(tokens, Pause::Sentence, &mut out);
        }
    } else if let Some(last) = out.last_mut() {
        last.span.end = last.span.end.max(tokens.last().map_or(0, |t| t.span.end));
        last.tokens.extend(tokens);
    }
    if let Some(last) = out.last_mut() {
        last.pause = Pause::Sentence;
    }
    out
}

/// Words before which a long phrase is best cut (conjunctions and prepositions).
fn good_cut(word: &str) -> bool {
    matches!(
        word,
        "và" | "nhưng"
            | "mà"
            | "thì"
            | "để"
            | "của"
            | "với"
            | "khi"
            | "nếu"
            | "vì"
            | "do"
            | "trong"
            | "tại"
            | "theo"
            | "cho"
            | "từ"
            | "đến"
            | "các"
            | "những"
            | "là"
            | "đã"
            | "sẽ"
            | "được"
            | "bị"
            | "nên"
            | "hoặc"
            | "hay"
            | "cùng"
            | "trên"
            | "dưới"
            | "sau"
            | "trước"
    )
}

pub(crate) fn cut_long(tokens: Vec<Token>, pause: Pause, out: &mut Vec<Phrase>) {
    let total: usize = tokens.iter().map(|t| t.syllables.len()).sum();
    if total <= MAX_PHRASE_SYLLABLES {
        out.push(phrase(tokens, pause));
        return;
    }
    let left = tokens.len();
    let mut current: Vec<Token> = Vec::with_capacity(left);
    let mut count = 0;
    let mut remaining = total;
    for (i, t) in tokens.into_iter().enumerate() {
        let n = t.syllables.len();
        let word = t.spoken.first().map(String::as_str).unwrap_or("");
        let cut_here = count >= MAX_PHRASE_SYLLABLES * 3 / 5 && good_cut(word);
        let must = count + n > MAX_PHRASE_SYLLABLES && count > 0;
        if (cut_here || must) && remaining > 4 && n > 0 {
            let next = Vec::with_capacity(left - i);
            out.push(phrase(std::mem::replace(&mut current, next), Pause::None));
            count = 0;
        }
        count += n;
        remaining -= n;
        current.push(t);
    }
    if !current.is_empty() {
        out.push(phrase(current, pause));
    }
}

fn phrase(tokens: Vec<Token>, pause: Pause) -> Phrase {
    let span = Span::new(
        tokens.first().map_or(0, |t| t.span.start),
        tokens.last().map_or(0, |t| t.span.end),
    );
    Phrase {
        span,
        tokens,
        pause,
        prosody: super::Prosody::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowercase_agrees(s: &str) {
        let want = s.to_lowercase();
        assert_eq!(with_lowercase(s, str::to_string), want, "{s}");
        let mut owned = s.to_string();
        make_lowercase(&mut owned);
        assert_eq!(owned, want, "{s}");
    }

    #[test]
    fn lowercase_without_allocation_agrees_with_std() {
        for s in [
            "",
            "người",
            "NGƯỜI",
            "Samsung",
            "ĐẮK LẮK",
            "Ðà",
            "ΟΔΟΣ ΣΑΣ",
            "İstanbul",
            "ǅemal",
            "ⅫK",
            "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "ẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠẠ",
        ] {
            lowercase_agrees(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn lowercase_agrees_with_std_on_any_text(s in "\\PC{0,40}") {
            lowercase_agrees(&s);
        }
    }

    #[test]
    fn tokenizer_keeps_spans() {
        let s = "(nhân ARM), 5,2 tỷ.";
        let pieces = tokenize(s);
        let texts: Vec<&str> = pieces.iter().map(|p| p.text).collect();
        assert_eq!(texts, ["(", "nhân", "ARM", ")", ",", "5,2", "tỷ", "."]);
        for p in &pieces {
            assert_eq!(&s[p.start..p.end()], p.text);
        }
    }
}
