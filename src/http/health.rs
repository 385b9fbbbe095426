//! `GET /healthz` (the process answers) and `GET /readyz` (it should get traffic: voices are
//! loaded and it is not shutting down).

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::state::AppState;

/// `GET /healthz`: liveness.
pub async fn live() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: readiness; 503 once shutdown has begun, so load balancers move away first.
pub async fn ready(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    if state.lifecycle().draining.is_cancelled() {
        return Err(ApiError::ShuttingDown);
    }
    Ok(Json(json!({
        "status": "ready",
        "voices": state.voices().iter().count(),
        "slots_free": state.slots_free(),
    })))
}
