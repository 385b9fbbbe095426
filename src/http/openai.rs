//! `POST /v1/audio/speech`: the OpenAI request shape (`model`, `input`, `voice`,
//! `response_format`, `speed`), so existing clients work unchanged. The audio is streamed like
//! `/v1/speech`.
//!
//! OpenAI's voice names (`alloy`, `echo`, …) are not Loa voices: they map to the server's
//! default voice. Any other name must be an installed voice id (else 404). `model` is accepted
//! and ignored. `response_format` is `wav` (the default here) or `pcm` (16-bit mono at the
//! voice's sample rate, which the `Content-Type` states).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::error::ApiError;
use super::input::{self, Fields};
use super::metrics::RequestStart;
use super::speech;
use super::state::AppState;

/// The voice names OpenAI clients send; each means "the default voice" here.
pub const OPENAI_VOICES: &[&str] = &[
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse",
    "marin", "cedar",
];

#[derive(Debug, Deserialize)]
struct SpeechBody {
    #[allow(dead_code)]
    model: Option<serde_json::Value>,
    input: Option<String>,
    voice: Option<String>,
    response_format: Option<String>,
    speed: Option<f32>,
    /// Loa's extensions: SSML on or off (else by the look of `input`), a request lexicon.
    ssml: Option<input::Flag>,
    lexicon: Option<std::collections::BTreeMap<String, String>>,
}

/// `POST /v1/audio/speech`.
pub async fn post(
    State(state): State<AppState>,
    start: Option<Extension<RequestStart>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let started = start.map_or_else(std::time::Instant::now, |Extension(s)| s.0);
    input::body_kind(&headers, false)?;
    let bytes = input::body_bytes(body, state.settings().max_body_bytes())?;
    let body: SpeechBody = input::json(&bytes)?;
    let voice = body.voice.map(|v| voice_id(&state, v));
    let fields = Fields {
        text: body.input,
        voice,
        rate: body.speed,
        format: body.response_format,
        ssml: body.ssml,
        lexicon: body.lexicon,
        ..Fields::default()
    };
    let request = speech::resolve(&state, fields)?;
    speech::stream(&state, request.job, request.format, started).await
}

/// The Loa voice id an OpenAI voice name stands for.
fn voice_id(state: &AppState, name: String) -> String {
    if state.voices().get(&name).is_none()
        && OPENAI_VOICES.contains(&name.to_ascii_lowercase().as_str())
    {
        "default".to_string()
    } else {
        name
    }
}
