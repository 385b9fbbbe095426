//! The text front end: raw article text → sentences → phrases → spoken tokens → syllables.
//!
//! Every stage is a pure function. Byte spans always refer to the *original* input text, so
//! callers (speech marks, the web reader's highlight) can point back at what is being spoken.
//!
//! - [`clean`]: Unicode NFC, one tone-mark placement, quotes, spaces, control characters.
//! - [`sentences`]: sentence boundaries over the cleaned text.
//! - [`normalize`]: written tokens → spoken Vietnamese words (numbers, dates, units, …).
//! - [`syllable`]: one spoken word → onset, medial, nucleus, coda, tone.
//!
//! Before them, a request's text becomes a [`script::Script`]: plain text, or SSML parsed by
//! [`ssml`] into readable text and directives (breaks, prosody, say-as, sub, marks); and the
//! user [`lexicon`] says how listed words are read before the normalizer sees them.

pub mod clean;
pub(crate) mod hash;
pub mod lexicon;
pub mod normalize;
pub mod script;
pub mod sentences;
pub mod ssml;
pub mod syllable;

use serde::Serialize;

pub use syllable::{Coda, Nucleus, Onset, Syllable, SyllableError, Tone};

/// A half-open byte range `start..end` in the original input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}

/// The pause that follows a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// No audible pause (a phrase cut inside a long clause for streaming).
    None,
    /// A short pause: comma, semicolon, colon, dash.
    Comma,
    /// The end of a sentence.
    Sentence,
    /// The end of a paragraph, headline or list item.
    Paragraph,
    /// An explicit pause of this many milliseconds (SSML `<break time>`), whatever the rate.
    Millis(u32),
}

/// A phrase's prosody relative to the listener's settings (SSML `<prosody>`): the rate and
/// volume are multiplied, the pitch shifted by `pitch` semitones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prosody {
    pub rate: f32,
    pub pitch: f32,
    pub volume: f32,
}

impl Default for Prosody {
    fn default() -> Self {
        Prosody {
            rate: 1.0,
            pitch: 0.0,
            volume: 1.0,
        }
    }
}

impl Prosody {
    /// No change from the listener's settings.
    pub fn is_neutral(&self) -> bool {
        *self == Prosody::default()
    }
}

/// What kind of written token produced a [`Token`]'s words: kept for debugging and marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A Vietnamese word read as written.
    Word,
    Cardinal,
    Decimal,
    Ordinal,
    Fraction,
    Percent,
    Range,
    Date,
    Time,
    Money,
    Measure,
    Roman,
    Telephone,
    Url,
    Email,
    Abbreviation,
    /// An all-caps acronym spelled with Vietnamese letter names.
    Spelled,
    /// A foreign word read with a Vietnamese approximation.
    Foreign,
    Symbol,
    /// A token that yields no speech, by an explicit decision (e.g. a lone quote mark).
    Silent,
    /// Read as the user lexicon or an SSML `<sub alias>` says.
    Substitution,
    /// An SSML `<mark>`: no speech; its timing is reported in the marks.
    Mark,
}

/// One written token and the spoken syllables it becomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Token {
    /// Where the token stands in the original text.
    pub span: Span,
    pub kind: TokenKind,
    /// The spoken form: Vietnamese syllables in their standard spelling, lowercase.
    pub spoken: Vec<String>,
    /// The same syllables, parsed. Always `spoken.len()` long.
    pub syllables: Vec<Syllable>,
}

/// A stretch of speech between two pauses: the unit of prosody and of streaming.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phrase {
    pub span: Span,
    pub tokens: Vec<Token>,
    pub pause: Pause,
    /// SSML `<prosody>` in force (neutral for plain text, and then not serialized).
    #[serde(skip_serializing_if = "Prosody::is_neutral")]
    pub prosody: Prosody,
}

/// One sentence of the original text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub span: Span,
    pub phrases: Vec<Phrase>,
}

/// The whole front end's output for one input text.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// Every phrase of the document in reading order.
    pub fn phrases(&self) -> impl Iterator<Item = &Phrase> {
        self.sentences.iter().flat_map(|s| s.phrases.iter())
    }

    /// The number of syllables the document will speak.
    pub fn syllable_count(&self) -> usize {
        self.phrases()
            .flat_map(|p| p.tokens.iter())
            .map(|t| t.syllables.len())
            .sum()
    }
}

/// Runs the whole front end on raw article text.
///
/// Never fails: text that cannot be read as Vietnamese is routed to the spelled or foreign path,
/// so every token with letters or digits yields speech.
pub fn analyze(input: &str) -> Document {
    Document {
        sentences: analyze_sentences(input).collect(),
    }
}

/// The front end one sentence at a time, in reading order: what [`analyze`] collects. Cleaning
/// and sentence splitting run at once; each sentence is normalized when it is asked for, so a
/// streaming caller speaks the first sentence before the rest of a long text is analyzed.
pub fn analyze_sentences(input: &str) -> impl Iterator<Item = Sentence> {
    analyze_sentences_with(input, lexicon::Pronunciations::none())
}

/// [`analyze_sentences`] with a user lexicon applied before normalization.
pub fn analyze_sentences_with(
    input: &str,
    lexicon: lexicon::Pronunciations,
) -> impl Iterator<Item = Sentence> {
    let cleaned = clean::clean(input);
    let segments = sentences::split_with_breaks(&cleaned.text);
    segments.into_iter().map(move |segment| {
        let span = segment.span;
        let sentence_text = &cleaned.text[span.start..span.end];
        let tokens = lexicon::normalize(sentence_text, &lexicon);
        let mut phrases: Vec<Phrase> = normalize::phrases(tokens)
            .into_iter()
            .map(|mut phrase| {
                phrase.span = cleaned.original_span(shift(phrase.span, span.start));
                for token in &mut phrase.tokens {
                    token.span = cleaned.original_span(shift(token.span, span.start));
                }
                phrase
            })
            .collect();
        if segment.paragraph_end {
            if let Some(last) = phrases.last_mut() {
                last.pause = Pause::Paragraph;
            }
        }
        Sentence {
            span: cleaned.original_span(span),
            phrases,
        }
    })
}

fn shift(span: Span, by: usize) -> Span {
    Span::new(span.start + by, span.end + by)
}
