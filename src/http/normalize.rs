//! `POST /v1/normalize`: the front end's analysis of a text (sentences, phrases, tokens,
//! syllables with tones, byte spans), to debug pronunciations. JSON `{text, ssml?, lexicon?}`
//! or `text/plain` (SSML when it starts with `<speak`); the server lexicon applies.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;

use super::error::ApiError;
use super::input;
use super::speech::{checked_text, script};
use super::state::AppState;
use crate::text::Document;

/// `POST /v1/normalize`.
pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Document>, ApiError> {
    let kind = input::body_kind(&headers, true)?;
    let bytes = input::body_bytes(body, state.settings().max_body_bytes())?;
    let fields = input::fields(kind, &bytes)?;
    let text = checked_text(&state, fields.text)?;
    let script = script(&state, text, fields.ssml.as_ref(), fields.lexicon.as_ref())?;
    // The front end is CPU work like synthesis: it takes a slot and runs off the async threads.
    let slot = state.try_slot()?;
    let doc = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        script.analyze()
    })
    .await
    .map_err(|e| ApiError::Internal(format!("front end: {e}")))?;
    Ok(Json(doc))
}
