//! `POST /v1/speech/marks` (same body as `/v1/speech`): when each sentence and word is spoken,
//! as `[{type: sentence|word|ssml, time: ms, start: byte, end: byte, value}]`, byte spans into
//! the text as sent (Amazon Polly's shape); an SSML `<mark name>` is type `ssml` with the name
//! as its value. For screen readers and the web reader's highlight.
//!
//! Times come from the synthesis itself (durations depend on the voice and the rate), so the
//! marks cost one synthesis, under a slot like any other; the audio is not kept.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::error::ApiError;
use super::input;
use super::speech::resolve;
use super::state::AppState;
use super::synthesis::Job;
use crate::text::{Document, Span};

/// What a mark points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Sentence,
    Word,
    /// An SSML `<mark name>`: its value is the name, its span the element.
    Ssml,
}

/// One timed mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mark {
    #[serde(rename = "type")]
    pub kind: MarkKind,
    /// Milliseconds from the start of the audio.
    pub time: u64,
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
    /// The original text of the span (for an SSML mark, its name).
    pub value: String,
}

/// `POST /v1/speech/marks`.
pub async fn post(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Vec<Mark>>, ApiError> {
    let kind = input::body_kind(&headers, true)?;
    let bytes = input::body_bytes(body, state.settings().max_body_bytes())?;
    let query = input::from_query(query.as_deref())?;
    let request = resolve(&state, input::fields(kind, &bytes)?.or(query))?;
    let slot = state.try_slot()?;
    // Dropped with this future (client gone, deadline): the synthesis stops at the next phrase.
    let stop = CancellationToken::new();
    let _guard = stop.clone().drop_guard();
    let job = request.job;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        marks(job, &stop)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("marks: {e}")))?
    .map(Json)
    .ok_or(ApiError::ShuttingDown)
}

/// Synthesizes `job` and returns its marks in time order; `None` if stopped early.
pub fn marks(job: Job, stop: &CancellationToken) -> Option<Vec<Mark>> {
    let script = job.script.clone();
    let text = script.text();
    let rate = f64::from(job.voice.info.sample_rate.max(1));
    let ms = |samples: usize| (samples as f64 * 1000.0 / rate).round() as u64;
    let value = |span: Span| text.get(span.start..span.end).unwrap_or("").to_string();
    let mut marks = Vec::new();
    let mut offset = 0usize;
    for sentence in script.clone().sentences() {
        if stop.is_cancelled() {
            return None;
        }
        let sentence_mark = marks.len();
        marks.push(Mark {
            kind: MarkKind::Sentence,
            time: ms(offset),
            start: sentence.span.start,
            end: sentence.span.end,
            value: value(sentence.span),
        });
        let doc = Document {
            sentences: vec![sentence],
        };
        for (p, phrase) in crate::synth::stream(job.voice.clone(), doc, job.params).enumerate() {
            if stop.is_cancelled() {
                return None;
            }
            if p == 0 {
                // The sentence is heard from its first word, after the short silence the
                // engine puts before each sentence.
                let lead = phrase.words.first().map_or(0, |w| w.start);
                marks[sentence_mark].time = ms(offset + lead);
            }
            let first = marks.len();
            for word in &phrase.words {
                // Punctuation is heard as the phrase's pause, not as a word: no mark of its
                // own. An SSML mark takes no time either, but is reported.
                let (kind, value) = match script.mark_name(word.span) {
                    Some(name) => (MarkKind::Ssml, name.to_string()),
                    None if word.end > word.start => (MarkKind::Word, value(word.span)),
                    None => continue,
                };
                marks.push(Mark {
                    kind,
                    time: ms(offset + word.start),
                    start: word.span.start,
                    end: word.span.end,
                    value,
                });
            }
            // A mark stands where the previous syllable ends, which the next word's cross-fade
            // starts a few milliseconds before: never report it after that word.
            for i in (first..marks.len().saturating_sub(1)).rev() {
                if marks[i].kind == MarkKind::Ssml {
                    marks[i].time = marks[i].time.min(marks[i + 1].time);
                }
            }
            offset += phrase.samples.len();
        }
    }
    Some(marks)
}
