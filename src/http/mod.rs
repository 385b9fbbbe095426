//! The HTTP service (axum on tokio): the only async part of Loa. It takes text in, runs the
//! synchronous pipeline on blocking threads, and streams the audio out.
//!
//! # Layout
//! - [`config`]: typed settings; [`state`]: what handlers share; [`error`]: errors as responses.
//! - [`input`]: query strings and bodies → request fields (every 4xx decided before work).
//! - [`synthesis`]: the blocking synthesis thread and its bounded channel.
//! - Routes, one file per group: [`speech`] (`/v1/speech`, streamed), [`download`]
//!   (`download=1`: whole files, ETag, Range), [`marks`] (`/v1/speech/marks`), `openai`
//!   (`/v1/audio/speech`), `voices`,
//!   `normalize`, `health` (`/healthz`, `/readyz`), [`metrics`] (`/metrics`), [`web`] (the
//!   reader page at `/` and the widget at `/widget.js`).
//! - [`cache`]: rendered downloads under a byte budget; [`shutdown`]: signals, drain and cut.
//!
//! [`Application`] binds a listener and runs the router until a shutdown signal; tests build
//! one on port 0.

pub mod cache;
pub mod config;
pub mod download;
pub mod error;
mod health;
pub mod input;
pub mod marks;
pub mod metrics;
mod normalize;
pub mod openai;
pub mod shutdown;
pub mod speech;
pub mod state;
pub mod synthesis;
mod voices;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use config::Settings;
pub use error::ApiError;
pub use state::AppState;

use crate::text::lexicon::{Lexicon, LexiconError};
use crate::voice::{VoiceError, VoiceSet};

/// The service's routes and middleware over `state`.
pub fn app(state: AppState) -> Router {
    let settings = state.settings();
    let cors = cors_layer(&settings.cors_origins).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "invalid CORS origin ignored");
        None
    });
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/v1/speech", get(speech::get).post(speech::post))
        .route("/v1/speech/marks", post(marks::post))
        .route("/v1/audio/speech", post(openai::post))
        .route("/v1/voices", get(voices::list))
        .route("/v1/normalize", post(normalize::post))
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::get))
        .route("/", get(web::get))
        .route("/reader.js", get(web::get))
        .route("/reader.css", get(web::get))
        .route("/widget.js", get(web::get))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Innermost first: a panic becomes a 500 that is still timed, counted and traced.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::count_requests,
        ))
        .layer(DefaultBodyLimit::max(settings.max_body_bytes()))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request<Body>| {
                            let id = request
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("-");
                            // The path only: query strings carry the text being read.
                            tracing::info_span!(
                                "request",
                                id,
                                method = %request.method(),
                                path = request.uri().path(),
                            )
                        })
                        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .option_layer(cors),
        )
}

/// A CORS layer for these origins: none → no CORS headers at all; `*` → any origin.
///
/// # Errors
/// An origin that is not a valid header value.
pub fn cors_layer(origins: &[String]) -> Result<Option<CorsLayer>, String> {
    if origins.is_empty() {
        return Ok(None);
    }
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::HEAD])
        .allow_headers([
            header::CONTENT_TYPE,
            header::RANGE,
            header::IF_NONE_MATCH,
            header::IF_RANGE,
        ])
        .expose_headers([
            header::CONTENT_DISPOSITION,
            header::CONTENT_LENGTH,
            header::CONTENT_RANGE,
            header::ACCEPT_RANGES,
            header::ETAG,
            header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
        ])
        .max_age(Duration::from_secs(3600));
    if origins.iter().any(|o| o == "*") {
        return Ok(Some(layer.allow_origin(tower_http::cors::Any)));
    }
    let list = origins
        .iter()
        .map(|o| HeaderValue::from_str(o).map_err(|_| format!("`{o}` is not a valid origin")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(layer.allow_origin(AllowOrigin::list(list))))
}

/// A response must start within the request timeout (reading the body, checking, rendering a
/// download); a stream's body then has its own per-phrase deadline.
async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.settings().request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout(limit.as_secs()).into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("a handler panicked".into()).into_response()
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("loading voices: {0}")]
    Voices(#[from] VoiceError),
    #[error("binding {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("CORS: {0}")]
    Cors(String),
    #[error("loading the lexicon: {0}")]
    Lexicon(#[from] LexiconError),
}

/// A bound, ready-to-run service.
#[derive(Debug)]
pub struct Application {
    listener: tokio::net::TcpListener,
    state: AppState,
}

impl Application {
    /// Loads the voices and the lexicon, and binds the listener.
    ///
    /// # Errors
    /// Voices or a lexicon that cannot be loaded, an address that cannot be bound, an invalid
    /// CORS origin.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        cors_layer(&settings.cors_origins).map_err(StartError::Cors)?;
        let lexicon = match &settings.lexicon {
            Some(path) => {
                let lexicon = Lexicon::load(path)?;
                tracing::info!(path = %path.display(), entries = lexicon.len(), "lexicon loaded");
                Some(lexicon)
            }
            None => None,
        };
        let dir = settings.voices_dir.clone();
        let voices = tokio::task::spawn_blocking(move || VoiceSet::load_dir(&dir))
            .await
            .map_err(|e| {
                StartError::Voices(VoiceError::Io {
                    path: settings.voices_dir.clone(),
                    source: std::io::Error::other(e.to_string()),
                })
            })??;
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: settings.addr,
                source,
            })?;
        Ok(Application {
            listener,
            state: AppState::new(settings, voices, lexicon),
        })
    }

    /// The address actually bound (the real port when the settings asked for port 0).
    ///
    /// # Errors
    /// The socket's address cannot be read.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The state the service will run with (tests read its metrics and slots).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until `shutdown` resolves, then drains: no new connections, requests in flight
    /// go on for the grace period, then the streams still running are cut.
    ///
    /// # Errors
    /// The listener fails.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let lifecycle = self.state.lifecycle().clone();
        let grace = self.state.settings().shutdown_grace;
        tracing::info!(addr = %self.local_addr()?, "listening");
        let listener = shutdown::CutListener::new(self.listener, lifecycle.cut.clone());
        let result = axum::serve(listener, app(self.state))
            .with_graceful_shutdown(shutdown::drain_on(shutdown, lifecycle.clone(), grace))
            .await;
        // Whatever is left (a synthesis whose client is gone) stops now.
        lifecycle.cut.cancel();
        tracing::info!("stopped");
        result
    }
}
