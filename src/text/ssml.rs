//! SSML, the subset Loa reads: a request text that starts with `<speak` → [`Parsed`], the
//! readable text with its directives, before the front end proper ([`super::script`]).
//!
//! Supported: `<speak>`, `<p>`/`<paragraph>`, `<s>`/`<sentence>`, `<break time|strength>`,
//! `<prosody rate pitch volume>`, `<say-as interpret-as format>`, `<sub alias>`,
//! `<mark name>`. Any other element is ignored and its text read (logged at `debug`).
//!
//! A hand-written parser, because it must be hostile-input safe and keep byte offsets into
//! what the client sent: hard limits on size ([`MAX_BYTES`]), depth ([`MAX_DEPTH`]), element
//! count ([`MAX_ELEMENTS`]) and attribute length; no DTD, no entity declarations, no entity
//! expansion beyond the five XML entities and numeric character references. Every error says
//! where (line, column and byte offset) and what is wrong.

use std::fmt;

use super::{Pause, Prosody, Span};

/// The longest SSML document accepted, in bytes.
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest nesting of elements accepted.
pub const MAX_DEPTH: usize = 64;
/// The most elements a document may have.
pub const MAX_ELEMENTS: usize = 10_000;
/// The longest attribute value accepted, in bytes (as written).
pub const MAX_ATTRIBUTE_BYTES: usize = 1024;
/// The most attributes one element may have.
pub const MAX_ATTRIBUTES: usize = 16;
/// The longest explicit break, in milliseconds.
pub const MAX_BREAK_MS: u32 = 10_000;

/// Malformed or unsupported SSML, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsmlError {
    /// Byte offset in the document.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SsmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SSML error at line {}, column {} (byte {}): {}",
            self.line, self.column, self.offset, self.message
        )
    }
}

impl std::error::Error for SsmlError {}

impl SsmlError {
    fn at(doc: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(doc.len());
        let mut at = offset;
        while !doc.is_char_boundary(at) {
            at -= 1;
        }
        let before = &doc[..at];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        SsmlError {
            offset,
            line,
            column,
            message: message.into(),
        }
    }
}

/// Whether a request text is SSML by its look: it starts (after white space and a byte-order
/// mark) with `<speak` or with an XML declaration.
pub fn looks_like_ssml(text: &str) -> bool {
    let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    t.starts_with("<speak") || t.starts_with("<?xml")
}

/// How `<say-as>` forces a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SayAs {
    /// Letter by letter, with Vietnamese letter names; digits one by one.
    Characters,
    Cardinal,
    Ordinal,
    /// Digit by digit.
    Digits,
    /// A date, with the order of its parts.
    Date(DateOrder),
    Time,
    Telephone,
}

/// The order of a date's parts (`format` of `<say-as interpret-as="date">`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
    Dm,
    Md,
    My,
    Ym,
    Y,
    M,
    D,
}

impl DateOrder {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "dmy" => DateOrder::Dmy,
            "mdy" => DateOrder::Mdy,
            "ymd" => DateOrder::Ymd,
            "dm" => DateOrder::Dm,
            "md" => DateOrder::Md,
            "my" => DateOrder::My,
            "ym" => DateOrder::Ym,
            "y" => DateOrder::Y,
            "m" => DateOrder::M,
            "d" => DateOrder::D,
            _ => return None,
        })
    }

    /// The parts in written order: `d`, `m` or `y`.
    pub fn parts(self) -> &'static [u8] {
        match self {
            DateOrder::Dmy => b"dmy",
            DateOrder::Mdy => b"mdy",
            DateOrder::Ymd => b"ymd",
            DateOrder::Dm => b"dm",
            DateOrder::Md => b"md",
            DateOrder::My => b"my",
            DateOrder::Ym => b"ym",
            DateOrder::Y => b"y",
            DateOrder::M => b"m",
            DateOrder::D => b"d",
        }
    }
}

/// What a stretch of the readable text is.
#[derive(Debug, Clone, PartialEq)]
pub enum RunKind {
    /// Text, read by the normalizer.
    Text,
    /// The content of a `<say-as>`, read as it says.
    SayAs(SayAs),
    /// The content of a `<sub>`: the alias is spoken instead; `element` is the whole element
    /// (what marks point at).
    Sub { alias: String, element: Span },
}

/// A stretch of the readable text with one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Byte range in [`Parsed::text`].
    pub start: usize,
    pub end: usize,
    pub prosody: Prosody,
    pub kind: RunKind,
}

/// Something that happens at a point of the readable text.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `<break>`: a pause here.
    Break { at: usize, pause: Pause, span: Span },
    /// `<mark name>`: report when this point is spoken.
    Mark { at: usize, name: String, span: Span },
    /// A `<p>` or `<s>` starts or ends here: a sentence ends (a paragraph, for `</p>`).
    Boundary { at: usize, paragraph: bool },
}

impl Event {
    /// Where the event stands in [`Parsed::text`].
    pub fn at(&self) -> usize {
        match self {
            Event::Break { at, .. } | Event::Mark { at, .. } | Event::Boundary { at, .. } => *at,
        }
    }
}

/// A parsed SSML document: the text to read, where each of its bytes came from, its styled
/// runs and its events.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// The readable text: character data with entities decoded, line breaks and tabs as
    /// spaces, a space where a break or a `<sub>`/`<say-as>` stands.
    pub text: String,
    /// For each byte of `text`: where its source starts and ends in the document.
    source_start: Vec<usize>,
    source_end: Vec<usize>,
    /// Runs covering `text`, in order, without gaps.
    pub runs: Vec<Run>,
    /// Events in text order.
    pub events: Vec<Event>,
}

impl Parsed {
    /// The document bytes the readable bytes `start..end` came from.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let n = self.text.len();
        if n == 0 {
            return Span::default();
        }
        let s = self.source_start[start.min(n - 1)];
        let e = if end == 0 {
            s
        } else {
            self.source_end[(end - 1).min(n - 1)]
        };
        Span::new(s, e.max(s))
    }
}

/// Parses an SSML document.
///
/// # Errors
/// Malformed XML, a DTD or entity declaration, an unknown entity, a limit exceeded, a bad
/// attribute value, `<speak>` missing or not the root: an [`SsmlError`] saying where.
pub fn parse(doc: &str) -> Result<Parsed, SsmlError> {
    if doc.len() > MAX_BYTES {
        return Err(SsmlError::at(
            doc,
            MAX_BYTES,
            format!(
                "the document has {} bytes; the limit is {MAX_BYTES}",
                doc.len()
            ),
        ));
    }
    let mut p = Parser {
        doc,
        pos: 0,
        out: Parsed::default(),
        stack: Vec::new(),
        elements: 0,
        root_done: false,
        atom: None,
    };
    p.run()?;
    Ok(p.out)
}

/// An element that is open.
struct Open {
    name: String,
    at: usize,
    kind: Element,
    /// The prosody in force before it opened.
    prosody: Prosody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Speak,
    Paragraph,
    Sentence,
    Prosody,
    SayAs,
    Sub,
    /// `<break>` and `<mark>` written with a closing tag.
    Empty,
    Unknown,
}

/// A `<say-as>` or `<sub>` being read: its content becomes one run.
struct Atom {
    kind: RunKind,
    text_start: usize,
}

struct Parser<'a> {
    doc: &'a str,
    pos: usize,
    out: Parsed,
    stack: Vec<Open>,
    elements: usize,
    root_done: bool,
    atom: Option<Atom>,
}

impl Parser<'_> {
    fn err(&self, offset: usize, message: impl Into<String>) -> SsmlError {
        SsmlError::at(self.doc, offset, message)
    }

    fn rest(&self) -> &str {
        &self.doc[self.pos..]
    }

    fn run(&mut self) -> Result<(), SsmlError> {
        // A byte-order mark, white space and an XML declaration may come first.
        if self.rest().starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
        let mut prosody = Prosody::default();
        while self.pos < self.doc.len() {
            let rest = self.rest();
            if rest.starts_with("<!--") {
                self.skip_past(4, "-->", "comment")?;
            } else if rest.starts_with("<![CDATA[") {
                let start = self.pos + 9;
                let end = self.find_from(start, "]]>", "CDATA section")?;
                self.text(start, end, false, prosody)?;
                self.pos = end + 3;
            } else if rest.starts_with("<!") {
                return Err(self.err(
                    self.pos,
                    "DOCTYPE and entity declarations are not allowed (entities are never expanded)",
                ));
            } else if rest.starts_with("<?") {
                self.skip_past(2, "?>", "processing instruction")?;
            } else if rest.starts_with("</") {
                prosody = self.close_tag()?;
            } else if rest.starts_with('<') {
                prosody = self.open_tag(prosody)?;
            } else {
                let start = self.pos;
                let end = rest.find('<').map_or(self.doc.len(), |i| start + i);
                self.pos = end;
                self.text(start, end, true, prosody)?;
            }
        }
        if let Some(open) = self.stack.last() {
            return Err(self.err(
                self.doc.len(),
                format!(
                    "the document ends inside <{}> (opened at byte {})",
                    open.name, open.at
                ),
            ));
        }
        if !self.root_done {
            return Err(self.err(0, "no <speak> element"));
        }
        Ok(())
    }

    /// Moves past the next `end` after `skip` bytes, or fails on an unterminated `what`.
    fn skip_past(&mut self, skip: usize, end: &str, what: &str) -> Result<(), SsmlError> {
        let at = self.find_from(self.pos + skip, end, what)?;
        self.pos = at + end.len();
        Ok(())
    }

    fn find_from(&self, from: usize, needle: &str, what: &str) -> Result<usize, SsmlError> {
        self.doc[from.min(self.doc.len())..]
            .find(needle)
            .map(|i| from + i)
            .ok_or_else(|| self.err(self.pos, format!("unterminated {what}")))
    }

    /// Character data `start..end`: entities decoded (when `decode`), appended to the text.
    fn text(
        &mut self,
        start: usize,
        end: usize,
        decode: bool,
        prosody: Prosody,
    ) -> Result<(), SsmlError> {
        let raw = &self.doc[start..end];
        if self.stack.is_empty() {
            if let Some(i) = raw.find(|c: char| !c.is_whitespace()) {
                return Err(self.err(start + i, "text outside the <speak> element"));
            }
            return Ok(());
        }
        let mut i = 0;
        while i < raw.len() {
            let amp = if decode { raw[i..].find('&') } else { None };
            let plain_end = amp.map_or(raw.len(), |a| i + a);
            for (j, c) in raw[i..plain_end].char_indices() {
                let at = start + i + j;
                let c = if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                };
                self.push_char(c, at, at + c.len_utf8().max(1), prosody);
            }
            if amp.is_none() {
                break;
            }
            let amp_at = start + plain_end;
            let (c, len) = self.entity(amp_at)?;
            self.push_char(c, amp_at, amp_at + len, prosody);
            i = plain_end + len;
        }
        Ok(())
    }

    /// Appends one readable character that came from `src_start..src_end`.
    fn push_char(&mut self, c: char, src_start: usize, src_end: usize, prosody: Prosody) {
        let n = c.len_utf8();
        let at = self.out.text.len();
        self.out.text.push(c);
        for _ in 0..n {
            self.out.source_start.push(src_start);
            self.out.source_end.push(src_end);
        }
        if self.atom.is_some() {
            return;
        }
        match self.out.runs.last_mut() {
            Some(r) if r.kind == RunKind::Text && r.prosody == prosody && r.end == at => {
                r.end += n;
            }
            _ => self.out.runs.push(Run {
                start: at,
                end: at + n,
                prosody,
                kind: RunKind::Text,
            }),
        }
    }

    /// A separating space standing for the markup at `src_start..src_end`.
    fn push_space(&mut self, src_start: usize, src_end: usize, prosody: Prosody) {
        self.push_char(' ', src_start, src_end, prosody);
    }

    /// The entity at `at` (which holds `&`): its character and its length in bytes.
    fn entity(&self, at: usize) -> Result<(char, usize), SsmlError> {
        let rest = &self.doc[at..];
        let semi = rest
            .char_indices()
            .take(16)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let semi = semi.ok_or_else(|| {
            self.err(at, "a bare `&`: write `&amp;` (entities must end with `;`)")
        })?;
        let name = &rest[1..semi];
        let c = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    return Err(self.err(
                        at,
                        format!(
                            "unknown entity `&{name};`: only &lt; &gt; &amp; &quot; &apos; and \
                             numeric references (&#233; &#xE9;) are allowed"
                        ),
                    ));
                };
                code.and_then(char::from_u32).filter(|&c| c != '\0')
            }
        };
        c.map(|c| (c, semi + 1))
            .ok_or_else(|| self.err(at, format!("`&{name};` is not a valid character reference")))
    }

    /// An XML name at `self.pos`.
    fn name(&mut self) -> Result<&str, SsmlError> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(is_name_char(c) && (i > 0 || !c.is_ascii_digit() && c != '-')))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return Err(self.err(self.pos, "expected an element or attribute name"));
        }
        if len > 64 {
            return Err(self.err(self.pos, "a name longer than 64 bytes"));
        }
        let start = self.pos;
        self.pos += len;
        Ok(&self.doc[start..start + len])
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        self.pos += rest.len() - trimmed.len();
    }

    fn open_tag(&mut self, prosody: Prosody) -> Result<Prosody, SsmlError> {
        let tag_start = self.pos;
        self.pos += 1;
        let name = self.name()?.to_string();
        let mut attributes: Vec<(String, String, usize)> = Vec::new();
        let self_closing = loop {
            let before = self.pos;
            self.skip_ws();
            let rest = self.rest();
            if rest.starts_with("/>") {
                self.pos += 2;
                break true;
            }
            if rest.starts_with('>') {
                self.pos += 1;
                break false;
            }
            if rest.is_empty() {
                return Err(self.err(tag_start, format!("unterminated tag <{name}")));
            }
            if self.pos == before {
                return Err(self.err(self.pos, format!("expected white space in <{name}>")));
            }
            let at = self.pos;
            let key = self.name()?.to_string();
            self.skip_ws();
            if !self.rest().starts_with('=') {
                return Err(self.err(self.pos, format!("attribute `{key}` has no value")));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.attribute_value(&key)?;
            if attributes.iter().any(|(k, _, _)| *k == key) {
                return Err(self.err(at, format!("attribute `{key}` is repeated")));
            }
            if attributes.len() == MAX_ATTRIBUTES {
                return Err(self.err(at, format!("more than {MAX_ATTRIBUTES} attributes")));
            }
            attributes.push((key, value, at));
        };
        let span = Span::new(tag_start, self.pos);
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(self.err(tag_start, format!("more than {MAX_ELEMENTS} elements")));
        }
        let tag = Tag {
            name: &name,
            attributes: &attributes,
            span,
        };
        if self.stack.is_empty() {
            if name != "speak" {
                return Err(self.err(
                    tag_start,
                    format!("the root element must be <speak>, not <{name}>"),
                ));
            }
            if self.root_done {
                return Err(self.err(tag_start, "a second <speak> element"));
            }
        } else if name == "speak" {
            return Err(self.err(tag_start, "<speak> may only be the root element"));
        }
        if let Some(atom) = &self.atom {
            let inside = match atom.kind {
                RunKind::Sub { .. } => "sub",
                _ => "say-as",
            };
            return Err(self.err(
                tag_start,
                format!("<{inside}> may contain only text, not <{name}>"),
            ));
        }
        let (kind, inner) = self.element(&tag, prosody)?;
        if self_closing {
            self.end_element(kind, span, prosody);
            return Ok(prosody);
        }
        if self.stack.len() == MAX_DEPTH {
            return Err(self.err(
                tag_start,
                format!("elements nested deeper than {MAX_DEPTH}"),
            ));
        }
        self.stack.push(Open {
            name,
            at: tag_start,
            kind,
            prosody,
        });
        Ok(inner)
    }

    fn attribute_value(&mut self, key: &str) -> Result<String, SsmlError> {
        let quote = match self.rest().chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => return Err(self.err(self.pos, format!("the value of `{key}` must be quoted"))),
        };
        let start = self.pos + 1;
        let len = self.doc[start..]
            .find(quote)
            .ok_or_else(|| self.err(self.pos, format!("the value of `{key}` is never closed")))?;
        let raw = &self.doc[start..start + len];
        if len > MAX_ATTRIBUTE_BYTES {
            return Err(self.err(
                start,
                format!("the value of `{key}` has {len} bytes; the limit is {MAX_ATTRIBUTE_BYTES}"),
            ));
        }
        if let Some(i) = raw.find('<') {
            return Err(self.err(start + i, format!("`<` in the value of `{key}`")));
        }
        let mut value = String::with_capacity(len);
        let mut i = 0;
        while let Some(a) = raw[i..].find('&') {
            value.push_str(&raw[i..i + a]);
            let (c, n) = self.entity(start + i + a)?;
            value.push(c);
            i += a + n;
        }
        value.push_str(&raw[i..]);
        self.pos = start + len + 1;
        Ok(value)
    }

    /// What an opening tag means; returns its kind and the prosody inside it.
    fn element(&mut self, tag: &Tag, prosody: Prosody) -> Result<(Element, Prosody), SsmlError> {
        let at = self.out.text.len();
        let kind = match tag.name {
            "speak" => Element::Speak,
            "p" | "paragraph" => {
                self.out.events.push(Event::Boundary {
                    at,
                    paragraph: true,
                });
                Element::Paragraph
            }
            "s" | "sentence" => {
                self.out.events.push(Event::Boundary {
                    at,
                    paragraph: false,
                });
                Element::Sentence
            }
            "break" => {
                let pause = self.break_pause(tag)?;
                if let Some(pause) = pause {
                    self.push_space(tag.span.start, tag.span.end, prosody);
                    self.out.events.push(Event::Break {
                        at,
                        pause,
                        span: tag.span,
                    });
                }
                Element::Empty
            }
            "mark" => {
                let name = tag.required(self, "name")?;
                if name.len() > 256 {
                    return Err(self.err(tag.span.start, "a mark name longer than 256 bytes"));
                }
                self.out.events.push(Event::Mark {
                    at,
                    name: name.to_string(),
                    span: tag.span,
                });
                Element::Empty
            }
            "prosody" => {
                let mut inner = prosody;
                for (key, value, at) in tag.attributes {
                    let bad = |what: &str| self.err(*at, format!("{key}=\"{value}\": {what}"));
                    match key.as_str() {
                        "rate" => inner.rate *= rate(value).map_err(|e| bad(&e))?,
                        "pitch" => inner.pitch += pitch(value).map_err(|e| bad(&e))?,
                        "volume" => inner.volume *= volume(value).map_err(|e| bad(&e))?,
                        _ => {
                            tracing::debug!(attribute = %key, "unknown <prosody> attribute ignored")
                        }
                    }
                }
                return Ok((Element::Prosody, inner));
            }
            "say-as" => {
                let interpret = tag.required(self, "interpret-as")?;
                let format = tag.get("format");
                let say_as = match interpret {
                    "characters" | "spell-out" | "verbatim" => SayAs::Characters,
                    "cardinal" | "number" => SayAs::Cardinal,
                    "ordinal" => SayAs::Ordinal,
                    "digits" => SayAs::Digits,
                    "date" => {
                        let order = match format {
                            None => DateOrder::Dmy,
                            Some((f, at)) => DateOrder::parse(f).ok_or_else(|| {
                                self.err(at, format!("format=\"{f}\": a date format is one of dmy, mdy, ymd, dm, md, my, ym, y, m, d"))
                            })?,
                        };
                        SayAs::Date(order)
                    }
                    "time" => SayAs::Time,
                    "telephone" => SayAs::Telephone,
                    other => {
                        let (_, at) = tag.get("interpret-as").unwrap_or(("", tag.span.start));
                        return Err(self.err(at, format!("interpret-as=\"{other}\" is not supported; use characters, cardinal, ordinal, digits, date, time or telephone")));
                    }
                };
                self.start_atom(RunKind::SayAs(say_as), tag.span, prosody);
                Element::SayAs
            }
            "sub" => {
                let alias = tag.required(self, "alias")?.to_string();
                self.start_atom(
                    RunKind::Sub {
                        alias,
                        element: tag.span,
                    },
                    tag.span,
                    prosody,
                );
                Element::Sub
            }
            other => {
                tracing::debug!(
                    element = other,
                    "unknown SSML element ignored; its text is read"
                );
                Element::Unknown
            }
        };
        Ok((kind, prosody))
    }

    fn break_pause(&self, tag: &Tag) -> Result<Option<Pause>, SsmlError> {
        if let Some((time, at)) = tag.get("time") {
            let ms = break_time(time).map_err(|e| self.err(at, format!("time=\"{time}\": {e}")))?;
            return Ok((ms > 0).then_some(Pause::Millis(ms)));
        }
        let Some((strength, at)) = tag.get("strength") else {
            return Ok(Some(Pause::Comma));
        };
        Ok(match strength {
            "none" => None,
            "x-weak" => Some(Pause::Millis(60)),
            "weak" => Some(Pause::Millis(120)),
            "medium" => Some(Pause::Comma),
            "strong" => Some(Pause::Sentence),
            "x-strong" => Some(Pause::Paragraph),
            other => {
                return Err(self.err(
                    at,
                    format!(
                        "strength=\"{other}\": use none, x-weak, weak, medium, strong or x-strong"
                    ),
                ))
            }
        })
    }

    fn start_atom(&mut self, kind: RunKind, element: Span, prosody: Prosody) {
        self.push_space(element.start, element.end, prosody);
        self.atom = Some(Atom {
            kind,
            text_start: self.out.text.len(),
        });
    }

    fn close_tag(&mut self) -> Result<Prosody, SsmlError> {
        let tag_start = self.pos;
        self.pos += 2;
        let name = self.name()?.to_string();
        self.skip_ws();
        if !self.rest().starts_with('>') {
            return Err(self.err(self.pos, format!("expected `>` to close </{name}")));
        }
        self.pos += 1;
        let Some(open) = self.stack.pop() else {
            return Err(self.err(tag_start, format!("</{name}> closes nothing")));
        };
        if open.name != name {
            return Err(self.err(
                tag_start,
                format!(
                    "</{name}> does not close <{}> (opened at byte {})",
                    open.name, open.at
                ),
            ));
        }
        self.end_element(open.kind, Span::new(open.at, self.pos), open.prosody);
        if open.kind == Element::Speak {
            self.root_done = true;
        }
        Ok(open.prosody)
    }

    /// What the end of an element does (self-closing elements end at once).
    fn end_element(&mut self, kind: Element, span: Span, prosody: Prosody) {
        let at = self.out.text.len();
        match kind {
            Element::Paragraph | Element::Sentence => self.out.events.push(Event::Boundary {
                at,
                paragraph: kind == Element::Paragraph,
            }),
            Element::SayAs | Element::Sub => {
                let Some(mut atom) = self.atom.take() else {
                    return;
                };
                let start = atom.text_start;
                if self.out.text[start..].trim().is_empty() {
                    if let RunKind::Sub { alias, .. } = &atom.kind {
                        // An empty <sub>: the alias stands in the text, for sentence splitting.
                        let alias = alias.clone();
                        self.out.text.truncate(start);
                        self.out.source_start.truncate(start);
                        self.out.source_end.truncate(start);
                        for c in alias.chars() {
                            let c = if c.is_whitespace() { ' ' } else { c };
                            self.out.text.push(c);
                            for _ in 0..c.len_utf8() {
                                self.out.source_start.push(span.start);
                                self.out.source_end.push(span.end);
                            }
                        }
                    }
                }
                if let RunKind::Sub { element, .. } = &mut atom.kind {
                    *element = span;
                }
                let end = self.out.text.len();
                if end > start {
                    self.out.runs.push(Run {
                        start,
                        end,
                        prosody,
                        kind: atom.kind,
                    });
                }
                self.push_space(span.end.saturating_sub(1), span.end, prosody);
            }
            _ => {}
        }
    }
}

/// An opening tag being interpreted.
struct Tag<'t> {
    name: &'t str,
    attributes: &'t [(String, String, usize)],
    span: Span,
}

impl<'t> Tag<'t> {
    fn get(&self, key: &str) -> Option<(&'t str, usize)> {
        self.attributes
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, at)| (v.as_str(), *at))
    }

    fn required(&self, p: &Parser, key: &str) -> Result<&'t str, SsmlError> {
        match self.get(key) {
            Some((v, _)) if !v.trim().is_empty() => Ok(v),
            Some((_, at)) => Err(p.err(at, format!("<{}> needs a non-empty `{key}`", self.name))),
            None => Err(p.err(
                self.span.start,
                format!("<{}> needs the attribute `{key}`", self.name),
            )),
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.')
}

/// A number with an optional sign, finite.
fn number(s: &str) -> Option<f32> {
    let v: f32 = s.trim().parse().ok()?;
    v.is_finite().then_some(v)
}

/// A percentage (without its `%`) → a ratio: signed, relative to the current value
/// (`+10` → 1.1); unsigned, absolute (`150` → 1.5).
fn percent(p: &str) -> Option<f32> {
    if p.starts_with(['+', '-']) {
        number(p).map(|x| 1.0 + x / 100.0)
    } else {
        number(p).map(|x| x / 100.0)
    }
}

/// `<prosody rate>` → a multiplier of the speaking rate.
fn rate(value: &str) -> Result<f32, String> {
    const FORMS: &str = "use x-slow, slow, medium, fast, x-fast, default, a percentage (150%) or a multiplier (1.5)";
    let v = value.trim();
    let factor = match v {
        "x-slow" => 0.5,
        "slow" => 0.75,
        "medium" | "default" => 1.0,
        "fast" => 1.5,
        "x-fast" => 2.0,
        _ => {
            let f = match v.strip_suffix('%') {
                Some(p) => percent(p),
                None => number(v),
            };
            f.ok_or_else(|| FORMS.to_string())?
        }
    };
    if !(0.2..=5.0).contains(&factor) {
        return Err(format!("a rate of {factor} is outside 20%..500%"));
    }
    Ok(factor)
}

/// `<prosody pitch>` → a shift in semitones.
fn pitch(value: &str) -> Result<f32, String> {
    const FORMS: &str =
        "use x-low, low, medium, high, x-high, default, semitones (+2st) or a percentage (+10%)";
    let v = value.trim();
    let st = match v {
        "x-low" => -6.0,
        "low" => -3.0,
        "medium" | "default" => 0.0,
        "high" => 3.0,
        "x-high" => 6.0,
        _ => {
            if v.ends_with("Hz") || v.ends_with("hz") {
                return Err("pitch in Hz is not supported; use semitones (+2st) or %".into());
            }
            let st = if let Some(n) = v.strip_suffix("st") {
                number(n)
            } else if let Some(p) = v.strip_suffix('%') {
                percent(p).filter(|&r| r > 0.0).map(|r| 12.0 * r.log2())
            } else {
                None
            };
            st.ok_or_else(|| FORMS.to_string())?
        }
    };
    if !(-24.0..=24.0).contains(&st) {
        return Err(format!("a shift of {st:.1} semitones is outside ±24"));
    }
    Ok(st)
}

/// `<prosody volume>` → a gain.
fn volume(value: &str) -> Result<f32, String> {
    const FORMS: &str =
        "use silent, x-soft, soft, medium, loud, x-loud, default or decibels (+6dB)";
    let v = value.trim();
    Ok(match v {
        "silent" => 0.0,
        "x-soft" => 0.25,
        "soft" => 0.5,
        "medium" | "default" => 1.0,
        "loud" => 1.41,
        "x-loud" => 2.0,
        _ => {
            let db = v
                .strip_suffix("dB")
                .or_else(|| v.strip_suffix("db"))
                .and_then(number)
                .ok_or_else(|| FORMS.to_string())?;
            if !(-40.0..=12.0).contains(&db) {
                return Err(format!("{db} dB is outside -40..+12 dB"));
            }
            10f32.powf(db / 20.0)
        }
    })
}

/// `<break time>` → milliseconds.
fn break_time(value: &str) -> Result<u32, String> {
    let v = value.trim();
    let ms = if let Some(n) = v.strip_suffix("ms") {
        number(n)
    } else if let Some(n) = v.strip_suffix('s') {
        number(n).map(|s| s * 1000.0)
    } else {
        None
    }
    .ok_or("use milliseconds (500ms) or seconds (1.5s)")?;
    if !(0.0..=MAX_BREAK_MS as f32).contains(&ms) {
        return Err(format!(
            "a break of {ms} ms is outside 0..{MAX_BREAK_MS} ms"
        ));
    }
    Ok(ms.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_entities_map_back_to_the_document() {
        let doc = "<speak>A &amp; B&#233;</speak>";
        let p = parse(doc).unwrap();
        assert_eq!(p.text, "A & Bé");
        let amp = p.text.find('&').unwrap();
        assert_eq!(p.source_span(amp, amp + 1), Span::new(9, 14));
        let e = p.text.find('é').unwrap();
        assert_eq!(
            &doc[p.source_span(e, e + 2).start..p.source_span(e, e + 2).end],
            "&#233;"
        );
        assert_eq!(p.runs.len(), 1);
    }

    #[test]
    fn errors_say_line_and_column() {
        let e = parse("<speak>\n  <p>xin chào</s>\n</speak>").unwrap_err();
        assert_eq!((e.line, e.column), (2, 14), "{e}");
        assert!(e.message.contains("</s> does not close <p>"), "{e}");
    }

    #[test]
    fn prosody_values() {
        assert_eq!(rate("x-fast"), Ok(2.0));
        assert_eq!(rate("150%"), Ok(1.5));
        assert_eq!(rate("+50%"), Ok(1.5));
        assert!(rate("fastest").is_err());
        assert!(rate("0%").is_err());
        assert_eq!(pitch("+2st"), Ok(2.0));
        assert!((pitch("+100%").unwrap() - 12.0).abs() < 1e-4);
        assert!(pitch("200Hz").is_err());
        assert!((volume("+6dB").unwrap() - 1.995).abs() < 0.01);
        assert!(volume("loudest").is_err());
        assert_eq!(break_time("1.5s"), Ok(1500));
        assert_eq!(break_time("250ms"), Ok(250));
        assert!(break_time("1h").is_err());
        assert!(break_time("11s").is_err());
    }
}
