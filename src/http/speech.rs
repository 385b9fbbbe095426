//! `POST /v1/speech` and `GET /v1/speech`: text → audio, streamed phrase by phrase (or, with
//! `download=1`, rendered whole; see [`super::download`]).
//!
//! Every check that can fail with a 4xx runs before the response starts; after the first
//! byte, a failure can only end the body with an error.

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::error::ApiError;
use super::input::{self, Fields, Flag};
use super::metrics::RequestStart;
use super::state::AppState;
use super::synthesis::{self, Failed, Job, Message};
use crate::synth::Params;
use crate::text::lexicon::{Lexicon, Pronunciations};
use crate::text::script::Script;

/// The audio encodings the service produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RIFF WAV, mono 16-bit; streamed with a header for an unknown length.
    Wav,
    /// Raw little-endian 16-bit mono PCM (`audio/L16`).
    Pcm,
}

impl Format {
    /// Parses a format name (`wav` or `pcm`).
    ///
    /// # Errors
    /// Any other name (422).
    pub fn parse(name: &str) -> Result<Self, ApiError> {
        match name.to_ascii_lowercase().as_str() {
            "wav" | "wave" => Ok(Format::Wav),
            "pcm" | "l16" => Ok(Format::Pcm),
            _ => Err(ApiError::InvalidParameter(format!(
                "format `{}` is not supported; use `wav` or `pcm`",
                name.chars().take(32).collect::<String>()
            ))),
        }
    }

    /// The `Content-Type` of audio in this format.
    pub fn content_type(self, sample_rate: u32) -> HeaderValue {
        match self {
            Format::Wav => HeaderValue::from_static("audio/wav"),
            Format::Pcm => {
                HeaderValue::from_str(&format!("audio/L16;rate={sample_rate};channels=1"))
                    .unwrap_or_else(|_| HeaderValue::from_static("audio/L16"))
            }
        }
    }

    /// The file name extension for downloads.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Wav => "wav",
            Format::Pcm => "pcm",
        }
    }
}

/// A checked speech request: what to say, how, and how to deliver it.
#[derive(Debug, Clone)]
pub struct SpeechRequest {
    pub job: Job,
    pub format: Format,
    pub download: bool,
}

/// Checks raw fields against the service's voices and limits.
///
/// # Errors
/// Missing or empty text (422), text over the limit (413), an unknown voice (404), parameters
/// out of range or an unknown format (422).
pub fn resolve(state: &AppState, fields: Fields) -> Result<SpeechRequest, ApiError> {
    let text = checked_text(state, fields.text)?;
    let script = script(state, text, fields.ssml.as_ref(), fields.lexicon.as_ref())?;
    let voice_id = fields.voice.as_deref().unwrap_or("default");
    // Voice ids are looked up in the loaded set, never used as paths.
    let voice = state
        .voices()
        .get(voice_id)
        .ok_or_else(|| ApiError::unknown_voice(voice_id))?;
    let defaults = Params::default();
    let params = Params::new(
        fields.rate.unwrap_or(defaults.rate),
        fields.pitch.unwrap_or(defaults.pitch),
        fields.volume.unwrap_or(defaults.volume),
    )?;
    let format = match fields.format.as_deref() {
        None => Format::Wav,
        Some(name) => Format::parse(name)?,
    };
    let download = match &fields.download {
        None => false,
        Some(flag) => flag.value("download")?,
    };
    Ok(SpeechRequest {
        job: Job {
            script: Arc::new(script),
            voice,
            params,
        },
        format,
        download,
    })
}

/// The request's text as a [`Script`]: SSML when `ssml` says so or (without it) when the text
/// starts with `<speak`; the request's lexicon over the server's.
///
/// # Errors
/// An `ssml` flag that is not a yes or no, or a request lexicon entry that is invalid (422);
/// SSML that does not parse (400, saying where).
pub fn script(
    state: &AppState,
    text: String,
    ssml: Option<&Flag>,
    lexicon: Option<&BTreeMap<String, String>>,
) -> Result<Script, ApiError> {
    let ssml = ssml.map(|f| f.value("ssml")).transpose()?;
    let request = match lexicon {
        Some(entries) if !entries.is_empty() => Some(Arc::new(
            Lexicon::from_pairs(entries.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .map_err(ApiError::Lexicon)?,
        )),
        _ => None,
    };
    let pronunciations = Pronunciations::new(request, state.lexicon().cloned());
    Script::new(text, ssml, pronunciations).map_err(ApiError::Ssml)
}

/// The text of a request, present, not blank, and within the limit.
///
/// # Errors
/// Missing or blank text (422), text over the limit (413).
pub fn checked_text(state: &AppState, text: Option<String>) -> Result<String, ApiError> {
    let text = text.unwrap_or_default();
    let limit = state.settings().max_text_chars;
    // Counting stops just past the limit: a huge text costs no more than a legal one.
    let chars = text.chars().take(limit.saturating_add(1)).count();
    if chars > limit {
        return Err(ApiError::TextTooLong {
            chars: text.chars().count(),
            limit,
        });
    }
    if text.trim().is_empty() {
        return Err(ApiError::EmptyText);
    }
    Ok(text)
}

/// `GET /v1/speech?text=…&voice=…&rate=…&format=…&download=1`.
pub async fn get(
    State(state): State<AppState>,
    start: Option<Extension<RequestStart>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let fields = input::from_query(query.as_deref())?;
    let request = resolve(&state, fields)?;
    respond(&state, request, &headers, started(start)).await
}

/// `POST /v1/speech` with a JSON body (`{text, voice?, rate?, pitch?, volume?, format?,
/// download?}`) or a `text/plain` body and the other fields in the query string.
pub async fn post(
    State(state): State<AppState>,
    start: Option<Extension<RequestStart>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let kind = input::body_kind(&headers, true)?;
    let bytes = input::body_bytes(body, state.settings().max_body_bytes())?;
    let query = input::from_query(query.as_deref())?;
    let fields = input::fields(kind, &bytes)?;
    let request = resolve(&state, fields.or(query))?;
    respond(&state, request, &headers, started(start)).await
}

fn started(start: Option<Extension<RequestStart>>) -> Instant {
    start.map(|Extension(s)| s.0).unwrap_or_else(Instant::now)
}

/// Serves a checked request: a stream, or a download.
///
/// # Errors
/// No free synthesis slot (503); for downloads, see [`super::download::respond`].
pub async fn respond(
    state: &AppState,
    request: SpeechRequest,
    headers: &HeaderMap,
    started: Instant,
) -> Result<Response, ApiError> {
    if request.download {
        super::download::respond(state, request, headers).await
    } else {
        stream(state, request.job, request.format, started).await
    }
}

/// Starts a synthesis and answers with its audio as it is made: the response (status, headers,
/// the WAV header for an unknown length and the first phrase) leaves as soon as the first
/// phrase is ready, then each phrase's PCM as soon as it is.
///
/// Waiting for the first phrase before answering keeps even a synthesis failure on the first
/// phrase a proper status, and makes the time to the headers the time to the first audio.
///
/// # Errors
/// No free synthesis slot (503); shutdown before the first phrase (503); a synthesis that
/// failed before its first phrase (500).
pub async fn stream(
    state: &AppState,
    job: Job,
    format: Format,
    started: Instant,
) -> Result<Response, ApiError> {
    let slot = state.try_slot()?;
    let sample_rate = job.voice.info.sample_rate;
    let header = match format {
        Format::Wav => crate::audio::streaming_header(sample_rate),
        Format::Pcm => Vec::new(),
    };
    let mut feed = Feed {
        rx: synthesis::start(state, job, slot),
        header,
        first: true,
        done: false,
        cut: state.lifecycle().cut.clone(),
        state: state.clone(),
        started,
    };
    let first = match feed.next_chunk().await {
        Some(Ok(chunk)) => Some(chunk),
        None => None,
        Some(Err(_)) if feed.cut.is_cancelled() => return Err(ApiError::ShuttingDown),
        Some(Err(e)) => return Err(ApiError::Internal(e.to_string())),
    };
    let rest = futures_util::stream::unfold(feed, |mut feed| async move {
        let chunk = feed.next_chunk().await?;
        Some((chunk, feed))
    });
    let body = futures_util::stream::iter(first.map(Ok)).chain(rest);
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type(sample_rate)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            // Proxies such as nginx would otherwise hold the stream back in their buffers.
            (
                header::HeaderName::from_static("x-accel-buffering"),
                HeaderValue::from_static("no"),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// The state of one streaming response body.
struct Feed {
    rx: mpsc::Receiver<Message>,
    header: Vec<u8>,
    first: bool,
    done: bool,
    cut: CancellationToken,
    state: AppState,
    started: Instant,
}

impl Feed {
    /// The next chunk of the body; `None` ends it cleanly, an error ends it abruptly (the
    /// client sees a truncated transfer, not a complete file).
    async fn next_chunk(&mut self) -> Option<Result<Bytes, io::Error>> {
        if self.done {
            return None;
        }
        loop {
            let message = tokio::select! {
                biased;
                () = self.cut.cancelled() => {
                    self.done = true;
                    return Some(Err(io::Error::other("the service is shutting down")));
                }
                message = self.rx.recv() => message,
            };
            match message {
                Some(Ok(phrase)) => {
                    let mut chunk = if self.first {
                        std::mem::take(&mut self.header)
                    } else {
                        Vec::new()
                    };
                    chunk.extend_from_slice(&crate::audio::pcm_bytes(&phrase.samples));
                    if chunk.is_empty() {
                        continue;
                    }
                    if self.first {
                        self.first = false;
                        self.state.metrics().first_byte(self.started.elapsed());
                    }
                    return Some(Ok(Bytes::from(chunk)));
                }
                Some(Err(Failed)) => {
                    self.done = true;
                    return Some(Err(io::Error::other("synthesis failed")));
                }
                None => {
                    self.done = true;
                    // Nothing was spoken: the body is still a valid (empty) WAV stream.
                    if self.first && !self.header.is_empty() {
                        self.first = false;
                        return Some(Ok(Bytes::from(std::mem::take(&mut self.header))));
                    }
                    return None;
                }
            }
        }
    }
}
