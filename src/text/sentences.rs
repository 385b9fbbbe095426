//! Stage 2 of the front end: sentence boundaries.
//!
//! Input: cleaned text ([`super::clean`]). Output: the byte spans of its sentences, in order,
//! trimmed of spaces, and whether a paragraph ends after each ([`split_with_breaks`]).
//!
//! The rules, in the order they are tried at each `.`, `!`, `?`, `…` (with the closing quotes
//! and brackets that follow it):
//! - a line break always ends a sentence and a paragraph (headlines, captions, datelines, list
//!   items), except a hard-wrapped line whose next line starts in lowercase;
//! - a sentence needs a letter or a digit: "..." alone is not one;
//! - what follows decides first: a lowercase word, a comma, a closing bracket or a digit after
//!   an ellipsis continue the sentence; the end of the line ends it;
//! - a dot glued to the next word ends a sentence only between two ordinary words
//!   ("tại cơ sở.Một"), never in numbers (1.423), URLs (vnexpress.net) or TP.HCM;
//! - before a capital, a dot does not end the sentence after an abbreviation (TP., GS., ThS.,
//!   Q., v.v. does), after an initial (Nguyễn V. A., ông H.), after a list marker (1., I., a.)
//!   or inside a number split by a space (25. 000);
//! - inside brackets that close on the same line, and inside quotes that close within two
//!   words ("Mẹ! Bố!"), nothing ends; a long quotation is split like running text;
//! - a run-on dateline after a headline without a stop ends it: `… qua đời (NAM ĐỊNH) Bà …`.

use super::Span;

/// One sentence: its span in the text and whether a paragraph ends after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Segment {
    /// The sentence's bytes in the text, without surrounding spaces.
    pub span: Span,
    /// True when a line break (or the end of the text) follows the sentence: the end of a
    /// paragraph, headline, caption or list item.
    pub paragraph_end: bool,
}

/// Splits cleaned text into sentence spans.
pub fn split(text: &str) -> Vec<Span> {
    split_with_breaks(text)
        .into_iter()
        .map(|s| s.span)
        .collect()
}

/// Splits cleaned text into sentences, marking those after which a paragraph ends.
pub fn split_with_breaks(text: &str) -> Vec<Segment> {
    Splitter::new(text).run()
}

/// Abbreviations written with a dot that never end a sentence before a capital (the last
/// dot-separated part of the word: "GS.TS." looks up "TS").
const ABBREVIATIONS: &[&str] = &[
    "TP", "Tp", "tp", "TT", "Tt", "TX", "Tx", "GS", "PGS", "TS", "TSKH", "ThS", "Ths", "BS",
    "BSCKI", "BSCKII", "KS", "KTS", "LS", "NS", "NCS", "NXB", "Nxb", "ĐT", "Đt", "ĐC", "Đ/c",
    "đ/c", "Tel", "tel", "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "No", "Tr", "tr", "Th",
    "TK", "Co", "CN", "Th.S", "TH.S",
];

/// Words after which a single capital with a dot is a person's initial (ông H., chị M.).
const TITLES: &[&str] = &[
    "ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cháu", "cậu", "cụ", "dì", "mợ", "thím",
    "bé", "con", "gã", "ả", "nàng", "chàng", "thầy", "tên", "hắn", "lão", "sư", "họ",
];

/// How far ahead a closing quote or bracket may be for a boundary inside it to be ignored.
const LOOKAHEAD: usize = 160;

struct Splitter<'a> {
    text: &'a str,
    out: Vec<Segment>,
    /// Start of the current sentence.
    start: usize,
    /// Whether the current sentence has a letter or digit yet.
    has_content: bool,
    /// Whether a straight double quote is open in the current paragraph.
    quote_open: bool,
    /// Open round or square brackets in the current paragraph.
    brackets: usize,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str) -> Self {
        Splitter {
            text,
            out: Vec::new(),
            start: 0,
            has_content: false,
            quote_open: false,
            brackets: 0,
        }
    }

    fn run(mut self) -> Vec<Segment> {
        let text = self.text;
        let mut i = 0;
        loop {
            if self.has_content {
                // Fast path: inside a sentence only these bytes can change anything (0xE2
                // begins "…").
                i += text.as_bytes()[i..]
                    .iter()
                    .position(|b| {
                        matches!(
                            b,
                            b'\n' | b'.' | b'!' | b'?' | b'(' | b')' | b'[' | b']' | b'"' | 0xE2
                        )
                    })
                    .unwrap_or(text.len() - i);
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            match c {
                '\n' => {
                    if !self.continues_on_next_line(i) {
                        self.end_sentence(i, true);
                        self.quote_open = false;
                        self.brackets = 0;
                    }
                    i += 1;
                }
                '.' | '!' | '?' | '…' => {
                    let end = self.terminator_end(i);
                    if self.has_content && self.is_boundary(i, end) {
                        let paragraph = self.line_ends_at(end);
                        self.end_sentence(end, paragraph);
                    }
                    i = end;
                }
                '(' if self.has_content && self.dateline_at(i) => {
                    self.end_sentence(i, true);
                    self.brackets += 1;
                    i += 1;
                }
                _ => {
                    match c {
                        '"' => self.quote_open = opens_quote(text, i),
                        '(' | '[' => self.brackets += 1,
                        ')' | ']' => self.brackets = self.brackets.saturating_sub(1),
                        _ => {}
                    }
                    if !self.has_content {
                        self.has_content = c.is_alphanumeric();
                    }
                    i += c.len_utf8();
                }
            }
        }
        self.end_sentence(text.len(), true);
        self.out
    }

    /// Closes the current sentence at `end` (if it has content) and starts the next one.
    fn end_sentence(&mut self, end: usize, paragraph_end: bool) {
        let piece = &self.text[self.start..end];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if self.has_content && lead + trail < piece.len() {
            self.out.push(Segment {
                span: Span::new(self.start + lead, end - trail),
                paragraph_end,
            });
        } else if paragraph_end {
            if let Some(last) = self.out.last_mut() {
                last.paragraph_end = true;
            }
        }
        self.start = end;
        self.has_content = false;
    }

    /// The end of the run of terminators and closing quotes/brackets starting at `i`
    /// (`?").` is one run). Updates the quote and bracket state for what it absorbs.
    fn terminator_end(&mut self, i: usize) -> usize {
        let mut end = i;
        for c in self.text[i..].chars() {
            match c {
                '.' | '!' | '?' | '…' => {}
                '"' if self.quote_open || !opens_quote(self.text, end) => self.quote_open = false,
                '\'' | '»' => {}
                ')' | ']' if self.brackets > 0 => self.brackets -= 1,
                _ => break,
            }
            end += c.len_utf8();
        }
        end
    }

    /// A news dateline run on after a headline without a stop: `…qua đời (NAM ĐỊNH) Nguyễn
    /// Thị Diệp…`. The bracket holds two or more words in capitals, follows a word, and is
    /// followed by a capital or a digit.
    fn dateline_at(&self, i: usize) -> bool {
        let before = self.text[..i].trim_end_matches(' ');
        if before.len() == i || !before.ends_with(char::is_alphabetic) {
            return false;
        }
        let ahead = prefix(&self.text[i + 1..], 40);
        let Some(close) = ahead.find(')') else {
            return false;
        };
        let inside = &ahead[..close];
        let words: Vec<&str> = inside.split(' ').collect();
        let capitals = words.len() >= 2
            && words
                .iter()
                .all(|w| !w.is_empty() && w.chars().all(|c| c.is_alphabetic() && c.is_uppercase()));
        let mut after = ahead[close + 1..].chars();
        capitals
            && after.next() == Some(' ')
            && after
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    }

    /// Whether only spaces stand between `i` and a line break or the end of the text.
    fn line_ends_at(&self, i: usize) -> bool {
        match self.text[i..]
            .trim_start_matches([' ', '\t', '\r'])
            .chars()
            .next()
        {
            None | Some('\n') => true,
            Some(_) => false,
        }
    }

    /// A line break inside a hard-wrapped sentence: the line has text and no final stop, and
    /// the next line starts with a lowercase word.
    fn continues_on_next_line(&self, newline: usize) -> bool {
        let line_has_text = self.text[self.start..newline]
            .trim()
            .chars()
            .next()
            .is_some();
        let next = self.text[newline + 1..].trim_start_matches([' ', '\t', '\r']);
        line_has_text && starts_lowercase(next) && !starts_with_marker(next)
    }

    /// Whether the terminator run `i..end` ends a sentence.
    fn is_boundary(&self, i: usize, end: usize) -> bool {
        let text = self.text;
        let run = &text[i..end];
        let strong = run.contains(['!', '?']);
        let single_dot = run.trim_end_matches(['"', '\'', ')', ']', '»']) == ".";
        let ellipsis = !strong && !single_dot;
        let after = &text[end..];

        // Glued to the next word: only "word.Word" between two ordinary words.
        if after.starts_with(|c: char| !c.is_whitespace()) {
            return self.glued_boundary(i, after);
        }
        let rest = after.trim_start_matches([' ', '\t', '\r']);
        let Some(next) = rest.chars().next() else {
            return true;
        };
        if next == '\n' {
            return true;
        }
        // Skip opening quotes, brackets and dashes to the first word of what follows.
        let word = rest.trim_start_matches(['"', '\'', '(', '[', '-', '–', '—', ' ', '«']);
        let Some(first) = word.chars().next() else {
            return true;
        };
        if matches!(next, ',' | ';' | ':' | ')' | ']') {
            return false;
        }
        let next_at = end + (after.len() - rest.len());
        // `…ít đâu... "- một thợ liệm`: a quote mark that closes belongs to this sentence.
        if next == '"' && !opens_quote(text, next_at) {
            return false;
        }
        let quoted = run.ends_with('"');
        let dash = matches!(next, '-' | '–' | '—');
        let after_dash = rest[next.len_utf8()..].trim_start();
        // `…chết!" - Thư nghiến răng`: the speaker after a quotation.
        if quoted && dash && !after_dash.starts_with('"') {
            return false;
        }
        let token = word_before(text, i);
        // `… tại cơ sở. "Chúng tôi`: an opening quote after a stop starts a sentence, even in
        // the lowercase some sources use.
        let opens = (next == '"' || (dash && after_dash.starts_with('"')))
            && !self.is_abbreviation(token)
            && !(single_dot && is_single_letter(token));
        if starts_lowercase(word) && !opens {
            return false;
        }
        if self.closes_soon(end) {
            return false;
        }
        if first.is_ascii_digit() {
            if ellipsis {
                return false;
            }
            let abbreviation = self.is_abbreviation(token) || self.is_place_abbreviation(token);
            if single_dot && (abbreviation || self.split_number(i, word)) {
                return false;
            }
            return true;
        }
        if strong || ellipsis {
            return true;
        }
        if opens {
            return true;
        }
        // A single dot before a capital (or a symbol).
        if is_single_letter(token) && is_initial_word(word) {
            return false; // V. H.: a run of initials
        }
        if self.is_initial(i) {
            return false;
        }
        if self.is_place_abbreviation(token) {
            return !names_follow(word);
        }
        !(self.is_abbreviation(token) || self.is_list_marker(i, token))
    }

    /// `word.Word` with no space: a missing space after a sentence, or part of a name, a
    /// number or an address.
    fn glued_boundary(&self, i: usize, after: &str) -> bool {
        let token = word_before(self.text, i);
        let last = token.rsplit('.').next().unwrap_or(token);
        let word = last.chars().count() >= 2
            && last.chars().all(char::is_alphabetic)
            && last.chars().any(char::is_lowercase)
            && !ABBREVIATIONS.contains(&last);
        // "lúc 9h30.Tại", "COVID-19.Bệnh": letters and digits together, not a bare number.
        let code = last.chars().all(|c| c.is_alphanumeric() || c == '-')
            && last.chars().any(char::is_alphabetic)
            && last.ends_with(|c: char| c.is_ascii_digit());
        let ordinary_before = word || code;
        let mut next = after.chars();
        let capitalized = next.next().is_some_and(char::is_uppercase)
            && next.next().is_some_and(char::is_lowercase);
        ordinary_before && capitalized
    }

    /// Inside brackets that close on this line ((84. 4)) or quotes that close within two
    /// words ("Mẹ! Bố!").
    fn closes_soon(&self, end: usize) -> bool {
        if !self.quote_open && self.brackets == 0 {
            return false;
        }
        let ahead = prefix(&self.text[end..], LOOKAHEAD);
        let ahead = ahead.split('\n').next().unwrap_or("");
        if self.brackets > 0 && ahead.contains([')', ']']) {
            return true;
        }
        // The next quote mark must close the quotation, not open another.
        self.quote_open
            && ahead.find('"').is_some_and(|at| {
                !opens_quote(&self.text[end..], at) && ahead[..at].split_whitespace().count() <= 2
            })
    }

    /// "25. 000", "500. 000 đ": a thousands separator followed by a space.
    fn split_number(&self, i: usize, word: &str) -> bool {
        let token = word_before(self.text, i);
        let digits = word.chars().take_while(char::is_ascii_digit).count();
        let after_digits = word[digits..].chars().next();
        token.ends_with(|c: char| c.is_ascii_digit())
            && digits == 3
            && !after_digits.is_some_and(char::is_alphanumeric)
    }

    fn is_abbreviation(&self, token: &str) -> bool {
        let token = token.trim_start_matches(['(', '"', '\'', '[']);
        ABBREVIATIONS.contains(&last_part(token)) || ABBREVIATIONS.contains(&token)
    }

    /// TP., Q., TX.: these also end sentences ("… của UBND TP."), unless a name follows.
    fn is_place_abbreviation(&self, token: &str) -> bool {
        PLACES.contains(&last_part(token))
    }

    /// A single capital read as an initial: after a capitalized word (Nguyễn V.), a title
    /// (ông H.), another initial, punctuation or the start of the sentence; "bảng D." ends.
    fn is_initial(&self, i: usize) -> bool {
        let token = word_before(self.text, i).trim_start_matches(['(', '"', '\'', '[']);
        let mut chars = token.chars();
        let single_capital = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
        if !single_capital {
            return false;
        }
        let raw = word_before(self.text, i);
        let before = self.text[self.start..i - raw.len()].trim_end();
        let prev = word_before(before, before.len());
        if prev.is_empty() {
            return true;
        }
        if prev.ends_with(|c: char| !c.is_alphanumeric() && c != '.') {
            return true;
        }
        let lower = prev.to_lowercase();
        prev.starts_with(char::is_uppercase) || TITLES.contains(&lower.as_str())
    }

    /// "1.", "IV.", "a." at the start of a sentence or after a colon or semicolon.
    fn is_list_marker(&self, i: usize, token: &str) -> bool {
        let marker = !token.is_empty()
            && token.len() <= 4
            && (token.chars().all(|c| c.is_ascii_digit())
                || token.chars().all(|c| "IVXLC".contains(c))
                || (token.chars().count() == 1 && token.chars().all(char::is_alphabetic)));
        if !marker {
            return false;
        }
        let before = self.text[self.start..i - token.len()].trim_end();
        before.is_empty() || before.ends_with([':', ';'])
    }
}

/// Abbreviations of administrative units: city, town, district (Q.), ward (P.).
const PLACES: &[&str] = &["TP", "Tp", "tp", "TX", "Tx", "TT", "Tt", "Q", "P"];

/// The last dot-separated part of a word, without opening brackets: "GS.TS" → "TS".
fn last_part(token: &str) -> &str {
    let last = token.rsplit('.').next().unwrap_or(token);
    last.trim_start_matches(['(', '"', '\'', '['])
}

/// "H", "(m": one letter, maybe after an opening bracket or quote.
fn is_single_letter(token: &str) -> bool {
    let mut chars = token.trim_start_matches(['(', '"', '\'', '[']).chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
}

/// "H." or "H": a single capital (with its dot).
fn is_initial_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && matches!(chars.next(), Some('.'))
        && !chars.next().is_some_and(char::is_alphanumeric)
}

/// After TP. or Q.: a name in capitals (HCM), a number, or two capitalized words (Hồ Chí
/// Minh, Đà Nẵng).
fn names_follow(word: &str) -> bool {
    let mut words = word.split_whitespace();
    let first = words.next().unwrap_or("");
    let capitalized = |w: &str| w.starts_with(char::is_uppercase);
    first.starts_with(|c: char| c.is_ascii_digit())
        || (first.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && first
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase))
        || (capitalized(first) && words.next().is_some_and(capitalized))
        || (capitalized(first) && first.ends_with([',', '.', ';', ':', ')']))
        || ONE_WORD_CITIES.contains(&first)
}

/// Cities whose name is one word, so that "TP. Huế là …" is not read as two sentences.
const ONE_WORD_CITIES: &[&str] = &["Huế", "Vinh", "Pleiku"];

/// Whether the straight quote at `i` opens a quotation (by its neighbours: `"` after a space,
/// bracket or dash and before a word opens; otherwise it closes).
fn opens_quote(text: &str, i: usize) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i + 1..].chars().next();
    let space_before = before.map_or(true, |c| c.is_whitespace() || "([{-–—:".contains(c));
    let word_after = after.is_some_and(|c| !c.is_whitespace() && !",.;:!?)]-–—".contains(c));
    space_before && word_after
}

/// The word just before byte `i` (back to the previous space; at most 64 bytes).
fn word_before(text: &str, i: usize) -> &str {
    let mut from = i.saturating_sub(64);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..i];
    window.rsplit(char::is_whitespace).next().unwrap_or(window)
}

/// At most `n` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// "a)", "b.", "1)": a list marker at the start of a line.
fn starts_with_marker(s: &str) -> bool {
    let head: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .take(4)
        .collect();
    let rest = &s[head.len()..];
    !head.is_empty()
        && (head.chars().count() == 1 || head.chars().all(|c| c.is_ascii_digit()))
        && rest.starts_with([')', '.'])
}

/// Whether `s` starts with a lowercase word (but not "iPhone", "eBay").
fn starts_lowercase(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_lowercase) && !chars.next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn splits_simple_sentences() {
        assert_eq!(pieces("Một. Hai! Ba? "), ["Một.", "Hai!", "Ba?"]);
        assert_eq!(pieces(""), Vec::<&str>::new());
        assert_eq!(pieces("..."), Vec::<&str>::new());
    }

    #[test]
    fn paragraphs_end_at_line_breaks() {
        let text = "Tiêu đề\n\nCâu một. Câu hai.\nCâu ba.";
        let segs = split_with_breaks(text);
        let flags: Vec<bool> = segs.iter().map(|s| s.paragraph_end).collect();
        assert_eq!(flags, [true, false, true, true]);
    }

    #[test]
    fn raw_unicode_line_separators_do_not_break_the_splitter() {
        // A proptest find: a multi-byte space right before the word.
        let text = "\u{2028}𖭛?A";
        let spans = split(text);
        assert!(spans.iter().all(|s| text.is_char_boundary(s.start)));
    }

    #[test]
    fn word_before_stops_at_space() {
        assert_eq!(word_before("tại TP.", "tại TP".len()), "TP");
        assert_eq!(word_before("TP", 2), "TP");
    }
}
