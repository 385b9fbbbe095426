//! `GET /v1/voices`: the installed voices and which one `default` names.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use super::state::AppState;
use crate::voice::VoiceInfo;

/// The body of `GET /v1/voices`.
#[derive(Debug, Serialize)]
pub struct VoiceList {
    /// The id `default` stands for.
    pub default: String,
    pub voices: Vec<VoiceInfo>,
}

/// `GET /v1/voices`.
pub async fn list(State(state): State<AppState>) -> Json<VoiceList> {
    let voices = state.voices();
    Json(VoiceList {
        default: voices.default_id().to_string(),
        voices: voices.iter().map(|v| v.info.clone()).collect(),
    })
}
