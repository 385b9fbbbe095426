//! A request's text, ready for the front end: plain text, or SSML ([`super::ssml`]) read into
//! sentences whose phrases carry the document's breaks, prosody, say-as and sub readings and
//! marks; in both, the user lexicon ([`super::lexicon`]) applied before normalization.
//!
//! Input: the text as sent, whether it is SSML (or `None`: when it starts with `<speak`), and
//! the [`Pronunciations`] in force. Output: [`Sentence`]s one at a time, with byte spans into
//! the text as sent, so word, sentence and `<mark>` marks point at what the client wrote.
//!
//! Plain text goes through [`super::analyze_sentences_with`] unchanged. SSML: the readable
//! text is cleaned and split into blocks at `<p>`/`<s>`, each block into sentences; a sentence
//! is normalized piece by piece (a piece is a run of one prosody between breaks and marks, or
//! one `<say-as>`/`<sub>`), and its phrases are cut where a break stands (with that pause, which
//! replaces the punctuation's) and where the prosody changes (without a pause).

use std::collections::HashMap;
use std::sync::Arc;

use super::lexicon::{self, Pronunciations};
use super::normalize::{self, numbers, numeric, spell, times, Item};
use super::ssml::{self, DateOrder, Event, Parsed, RunKind, SayAs, SsmlError};
use super::{
    analyze_sentences_with, clean, sentences, Document, Pause, Phrase, Prosody, Sentence, Span,
    Token, TokenKind,
};

/// A text to read, with how to read it.
#[derive(Debug, Clone)]
pub struct Script {
    text: String,
    lexicon: Pronunciations,
    ssml: Option<Prepared>,
}

impl Script {
    /// Reads `text` as SSML when `ssml` says so, or (when `None`) when it looks like SSML
    /// ([`ssml::looks_like_ssml`]).
    ///
    /// # Errors
    /// SSML that does not parse ([`ssml::parse`]).
    pub fn new(
        text: String,
        ssml: Option<bool>,
        lexicon: Pronunciations,
    ) -> Result<Script, SsmlError> {
        let is_ssml = ssml.unwrap_or_else(|| ssml::looks_like_ssml(&text));
        let prepared = if is_ssml {
            Some(Prepared::new(ssml::parse(&text)?))
        } else {
            None
        };
        Ok(Script {
            text,
            lexicon,
            ssml: prepared,
        })
    }

    /// Plain text, no lexicon: what [`super::analyze`] reads.
    pub fn plain(text: String) -> Script {
        Script {
            text,
            lexicon: Pronunciations::none(),
            ssml: None,
        }
    }

    /// The text as sent.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_ssml(&self) -> bool {
        self.ssml.is_some()
    }

    /// The lexicons in force.
    pub fn lexicon(&self) -> &Pronunciations {
        &self.lexicon
    }

    /// The name of the `<mark>` whose element is `span`.
    pub fn mark_name(&self, span: Span) -> Option<&str> {
        self.ssml.as_ref()?.marks.get(&span).map(String::as_str)
    }

    /// The sentences in reading order, each analyzed when it is asked for.
    pub fn sentences(self: Arc<Self>) -> Box<dyn Iterator<Item = Sentence> + Send> {
        match &self.ssml {
            None => Box::new(analyze_sentences_with(&self.text, self.lexicon.clone())),
            Some(p) => {
                let n = p.plans.len();
                Box::new((0..n).filter_map(move |i| {
                    let p = self.ssml.as_ref()?;
                    p.sentence(i, &self.lexicon)
                }))
            }
        }
    }

    /// The whole analysis at once.
    pub fn analyze(&self) -> Document {
        let sentences = match &self.ssml {
            None => analyze_sentences_with(&self.text, self.lexicon.clone()).collect(),
            Some(p) => (0..p.plans.len())
                .filter_map(|i| p.sentence(i, &self.lexicon))
                .collect(),
        };
        Document { sentences }
    }
}

/// An SSML document cleaned and planned into sentences.
#[derive(Debug, Clone)]
struct Prepared {
    parsed: Parsed,
    /// The readable text, cleaned.
    cleaned: String,
    /// Cleaned byte → readable byte (one more entry than `cleaned` has bytes).
    origin: Vec<usize>,
    /// The document's runs, in cleaned coordinates.
    runs: Vec<Run>,
    plans: Vec<Plan>,
    /// `<mark>` names by their element.
    marks: HashMap<Span, String>,
}

#[derive(Debug, Clone)]
struct Run {
    start: usize,
    end: usize,
    prosody: Prosody,
    kind: RunKind,
}

/// One sentence to read: its range in the cleaned text, its pieces, its final pause.
#[derive(Debug, Clone)]
struct Plan {
    start: usize,
    end: usize,
    pause: Pause,
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text {
        start: usize,
        end: usize,
        prosody: Prosody,
    },
    /// A `<say-as>` or `<sub>`: index into the runs.
    Atom(usize),
    Break(Pause, Span),
    Mark(Span),
}

/// A point event of one block, in cleaned coordinates.
#[derive(Debug, Clone, Copy)]
struct Point {
    at: usize,
    piece: PointKind,
}

#[derive(Debug, Clone, Copy)]
enum PointKind {
    Break(Pause, Span),
    Mark(Span),
}

impl Prepared {
    fn new(parsed: Parsed) -> Prepared {
        let cleaned = clean::clean(&parsed.text);
        let text = cleaned.text;
        let origin = cleaned.origin;
        let to_clean = |p: usize| {
            let mut i = origin.partition_point(|&o| o < p).min(text.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let runs: Vec<Run> = parsed
            .runs
            .iter()
            .map(|r| Run {
                start: to_clean(r.start),
                end: to_clean(r.end),
                prosody: r.prosody,
                kind: r.kind.clone(),
            })
            .filter(|r| r.end > r.start)
            .collect();
        let mut marks = HashMap::new();
        // Blocks between <p>/<s> boundaries, each with its points.
        let mut blocks: Vec<(usize, usize, bool, Vec<Point>)> = Vec::new();
        let mut block_start = 0;
        let mut points = Vec::new();
        for event in &parsed.events {
            let at = to_clean(event.at());
            match event {
                Event::Boundary { paragraph, .. } => {
                    blocks.push((block_start, at, *paragraph, std::mem::take(&mut points)));
                    block_start = at;
                }
                Event::Break { pause, span, .. } => points.push(Point {
                    at,
                    piece: PointKind::Break(*pause, *span),
                }),
                Event::Mark { name, span, .. } => {
                    marks.insert(*span, name.clone());
                    points.push(Point {
                        at,
                        piece: PointKind::Mark(*span),
                    });
                }
            }
        }
        blocks.push((block_start, text.len(), false, points));
        let mut plans: Vec<Plan> = Vec::new();
        for (start, end, paragraph, points) in blocks {
            plan_block(&text, &runs, start, end, paragraph, points, &mut plans);
        }
        Prepared {
            parsed,
            cleaned: text,
            origin,
            runs,
            plans,
            marks,
        }
    }

    /// The span in the document of cleaned bytes `start..end`.
    fn original(&self, start: usize, end: usize) -> Span {
        let n = self.cleaned.len();
        let (s, e) = (self.origin[start.min(n)], self.origin[end.min(n)]);
        self.parsed.source_span(s, e.max(s))
    }

    /// Analyzes sentence `i` of the plan.
    fn sentence(&self, i: usize, lexicon: &Pronunciations) -> Option<Sentence> {
        let plan = self.plans.get(i)?;
        let mut parts = Vec::new();
        for piece in &plan.pieces {
            match piece {
                Piece::Text {
                    start,
                    end,
                    prosody,
                } => self.text_parts(*start, *end, *prosody, lexicon, &mut parts),
                Piece::Atom(k) => {
                    let run = &self.runs[*k];
                    let content = &self.cleaned[run.start..run.end];
                    let token = match &run.kind {
                        RunKind::Sub { alias, element } => Some(normalize::spoken_token(
                            *element,
                            TokenKind::Substitution,
                            lexicon::reading(&clean::clean(alias).text),
                        )),
                        RunKind::SayAs(how) => say_as(*how, content).map(|(kind, words)| {
                            normalize::spoken_token(self.original(run.start, run.end), kind, words)
                        }),
                        RunKind::Text => None,
                    };
                    match token {
                        Some(t) => parts.push(Part::Token(t, run.prosody)),
                        None => {
                            // Content that does not fit the say-as: read as usual.
                            tracing::debug!(content, "say-as content read as plain text");
                            self.text_parts(run.start, run.end, run.prosody, lexicon, &mut parts);
                        }
                    }
                }
                Piece::Break(pause, span) => parts.push(Part::Break(*pause, *span)),
                Piece::Mark(span) => parts.push(Part::Token(
                    Token {
                        span: *span,
                        kind: TokenKind::Mark,
                        spoken: Vec::new(),
                        syllables: Vec::new(),
                    },
                    Prosody::default(),
                )),
            }
        }
        let phrases = group(parts, plan.pause);
        if phrases.is_empty() {
            return None;
        }
        let span = if plan.end > plan.start {
            self.original(plan.start, plan.end)
        } else {
            Span::new(
                phrases[0].span.start,
                phrases.last().map_or(0, |p| p.span.end),
            )
        };
        Some(Sentence { span, phrases })
    }

    fn text_parts(
        &self,
        start: usize,
        end: usize,
        prosody: Prosody,
        lexicon: &Pronunciations,
        parts: &mut Vec<Part>,
    ) {
        let text = &self.cleaned[start..end];
        if text.trim().is_empty() {
            return;
        }
        let ends_sentence = !self.cleaned[end..]
            .trim_start()
            .starts_with(char::is_alphanumeric);
        for item in lexicon::normalize_part(text, ends_sentence, lexicon) {
            match item {
                Item::Token(mut t) => {
                    t.span = self.original(start + t.span.start, start + t.span.end);
                    parts.push(Part::Token(t, prosody));
                }
                Item::Pause(p) => parts.push(Part::Pause(p)),
            }
        }
    }
}

/// Plans the sentences of the block `start..end` of the cleaned text.
fn plan_block(
    text: &str,
    runs: &[Run],
    start: usize,
    end: usize,
    paragraph: bool,
    points: Vec<Point>,
    plans: &mut Vec<Plan>,
) {
    let block = &text[start..end];
    let mut spans: Vec<(usize, usize)> = sentences::split_with_breaks(block)
        .into_iter()
        .map(|s| (start + s.span.start, start + s.span.end))
        .collect();
    // A sentence boundary never falls inside a <say-as> or <sub>.
    let mut i = 0;
    while i + 1 < spans.len() {
        let cut = spans[i].1;
        let inside = runs
            .iter()
            .any(|r| r.kind != RunKind::Text && r.start < cut && r.end > cut);
        if inside {
            spans[i].1 = spans[i + 1].1;
            spans.remove(i + 1);
        } else {
            i += 1;
        }
    }
    let end_pause = if paragraph {
        Pause::Paragraph
    } else {
        Pause::Sentence
    };
    if spans.is_empty() {
        if points.is_empty() {
            return;
        }
        // Only breaks and marks: they end the previous sentence, or stand alone.
        if let Some(prev) = plans.last_mut() {
            prev.pieces.extend(points.iter().map(point_piece));
        } else {
            plans.push(Plan {
                start,
                end: start,
                pause: end_pause,
                pieces: points.iter().map(point_piece).collect(),
            });
        }
        return;
    }
    let last = spans.len() - 1;
    let mut assigned: Vec<Vec<(usize, Piece)>> = vec![Vec::new(); spans.len()];
    for point in &points {
        let k = match point.piece {
            // A break belongs to the sentence it follows; a mark to the one it precedes.
            PointKind::Break(..) => spans.iter().rposition(|&(a, _)| a <= point.at).unwrap_or(0),
            PointKind::Mark(_) => spans
                .iter()
                .position(|&(_, b)| b > point.at)
                .unwrap_or(last),
        };
        let at = point.at.clamp(spans[k].0, spans[k].1);
        assigned[k].push((at, point_piece(point)));
    }
    for (k, (a, b)) in spans.iter().copied().enumerate() {
        let points = std::mem::take(&mut assigned[k]);
        let mut pieces: Vec<(usize, u8, Piece)> =
            points.iter().map(|(at, p)| (*at, 0, p.clone())).collect();
        for (index, run) in runs.iter().enumerate() {
            if run.end <= a || run.start >= b {
                continue;
            }
            if run.kind != RunKind::Text {
                pieces.push((run.start, 1, Piece::Atom(index)));
                continue;
            }
            let (s, e) = (run.start.max(a), run.end.min(b));
            let mut cuts: Vec<usize> = points
                .iter()
                .map(|(at, _)| *at)
                .filter(|&at| at > s && at < e)
                .collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut from = s;
            for cut in cuts.into_iter().chain(std::iter::once(e)) {
                if cut > from {
                    pieces.push((
                        from,
                        1,
                        Piece::Text {
                            start: from,
                            end: cut,
                            prosody: run.prosody,
                        },
                    ));
                }
                from = cut;
            }
        }
        pieces.sort_by_key(|(at, rank, _)| (*at, *rank));
        plans.push(Plan {
            start: a,
            end: b,
            pause: if k == last {
                end_pause
            } else {
                Pause::Sentence
            },
            pieces: pieces.into_iter().map(|(_, _, p)| p).collect(),
        });
    }
}

fn point_piece(point: &Point) -> Piece {
    match point.piece {
        PointKind::Break(p, span) => Piece::Break(p, span),
        PointKind::Mark(span) => Piece::Mark(span),
    }
}

/// One piece of a sentence on its way to phrases.
enum Part {
    Token(Token, Prosody),
    /// A pause punctuation asks for.
    Pause(Pause),
    /// An explicit `<break>`.
    Break(Pause, Span),
}

/// Groups a sentence's parts into phrases: cut at punctuation pauses (as plain text is), at
/// breaks (whose pause replaces the punctuation's), and where the prosody changes.
fn group(parts: Vec<Part>, end: Pause) -> Vec<Phrase> {
    fn spoken(tokens: &[Token]) -> bool {
        tokens.iter().any(|t| !t.syllables.is_empty())
    }
    fn flush(out: &mut Vec<Phrase>, tokens: Vec<Token>, pause: Pause, prosody: Prosody) {
        let n = out.len();
        normalize::cut_long(tokens, pause, out);
        for p in &mut out[n..] {
            p.prosody = prosody;
        }
    }
    fn merge(last: &mut Phrase, tokens: Vec<Token>) {
        if let Some(t) = tokens.last() {
            last.span.end = last.span.end.max(t.span.end);
        }
        last.tokens.extend(tokens);
    }
    let mut out: Vec<Phrase> = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut prosody = Prosody::default();
    let mut ended_by_break = false;
    for part in parts {
        match part {
            Part::Token(t, p) => {
                if !t.syllables.is_empty() {
                    if spoken(&tokens) && p != prosody {
                        flush(&mut out, std::mem::take(&mut tokens), Pause::None, prosody);
                        ended_by_break = false;
                    }
                    prosody = p;
                }
                tokens.push(t);
            }
            Part::Pause(p) => {
                if spoken(&tokens) {
                    flush(&mut out, std::mem::take(&mut tokens), p, prosody);
                    ended_by_break = false;
                }
            }
            Part::Break(p, span) => {
                let rest = std::mem::take(&mut tokens);
                match out.last_mut() {
                    Some(last) if !spoken(&rest) => {
                        merge(last, rest);
                        last.pause = p;
                    }
                    _ if rest.is_empty() => out.push(Phrase {
                        span,
                        tokens: Vec::new(),
                        pause: p,
                        prosody: Prosody::default(),
                    }),
                    _ => flush(&mut out, rest, p, prosody),
                }
                ended_by_break = true;
            }
        }
    }
    if spoken(&tokens) || (out.is_empty() && !tokens.is_empty()) {
        flush(&mut out, tokens, end, prosody);
        ended_by_break = false;
    } else if let Some(last) = out.last_mut() {
        merge(last, tokens);
    }
    if let Some(last) = out.last_mut() {
        if !ended_by_break {
            last.pause = end;
        }
    }
    out
}

/// The reading `<say-as>` forces on `content`, or `None` when the content does not fit it.
fn say_as(how: SayAs, content: &str) -> Option<(TokenKind, Vec<String>)> {
    let content = content.trim();
    let mut w = Vec::new();
    let digits_only = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let kind = match how {
        SayAs::Characters => {
            let lower = content.to_lowercase();
            spell::spell(&lower, &mut w);
            TokenKind::Spelled
        }
        SayAs::Cardinal | SayAs::Ordinal => {
            let (negative, body) = match content.strip_prefix(['-', '−']) {
                Some(rest) => (true, rest),
                None => (false, content),
            };
            let ok = !body.is_empty()
                && body.starts_with(|c: char| c.is_ascii_digit())
                && body
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '));
            if !ok {
                return None;
            }
            let n = digits_only(body);
            if how == SayAs::Ordinal {
                w.push("thứ".into());
                numbers::ordinal(&n, &mut w);
                TokenKind::Ordinal
            } else {
                if negative {
                    w.push("âm".into());
                }
                numbers::cardinal(&n, &mut w);
                TokenKind::Cardinal
            }
        }
        SayAs::Digits => {
            if !content.chars().any(|c| c.is_ascii_digit())
                || content.chars().any(char::is_alphabetic)
            {
                return None;
            }
            numbers::digits(content, &mut w);
            TokenKind::Spelled
        }
        SayAs::Date(order) => {
            date(order, content, &mut w)?;
            TokenKind::Date
        }
        SayAs::Time => {
            if !times::read(content, &mut w) {
                return None;
            }
            TokenKind::Time
        }
        SayAs::Telephone => {
            let ok = content.chars().any(|c| c.is_ascii_digit())
                && content
                    .chars()
                    .all(|c| c.is_ascii_digit() || " .-+()".contains(c));
            if !ok {
                return None;
            }
            let plus = if content.starts_with('+') { "+" } else { "" };
            numeric::phone(&format!("{plus}{}", digits_only(content)), &mut w);
            TokenKind::Telephone
        }
    };
    (!w.is_empty()).then_some((kind, w))
}

/// Reads a date whose parts are in `order`, separated by `/`, `-`, `.` or spaces.
fn date(order: DateOrder, content: &str, w: &mut Vec<String>) -> Option<()> {
    let parts: Vec<&str> = content
        .split(['/', '-', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let names = order.parts();
    if parts.len() != names.len() || !parts.iter().all(|p| numbers::is_digits(p)) {
        return None;
    }
    let get = |name: u8| names.iter().position(|&n| n == name).map(|i| parts[i]);
    let (d, m, y) = (get(b'd'), get(b'm'), get(b'y'));
    if d.is_some_and(|d| !numbers::value(d).is_some_and(|v| (1..=31).contains(&v)))
        || m.is_some_and(|m| !numbers::value(m).is_some_and(|v| (1..=12).contains(&v)))
        || y.is_some_and(|y| y.len() > 4)
    {
        return None;
    }
    if let Some(d) = d {
        w.push("ngày".into());
        numbers::cardinal(d, w);
    }
    if let Some(m) = m {
        w.push("tháng".into());
        numbers::month(m, w);
    }
    if let Some(y) = y {
        w.push("năm".into());
        numbers::cardinal(y, w);
    }
    Some(())
}
