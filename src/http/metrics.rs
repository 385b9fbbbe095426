//! `GET /metrics`: the service's counters in the Prometheus text format, and the middleware
//! that counts requests by route and status.

use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use super::state::AppState;

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// Every metric the service exports.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    audio_seconds: Counter<f64, AtomicU64>,
    ttfb: Histogram,
    real_time_factor: Histogram,
    active_streams: Gauge,
    slots_free: Gauge,
    cache_hits: Counter,
    cache_misses: Counter,
    cache_bytes: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut m = Metrics {
            registry: Registry::with_prefix("loa"),
            requests: Family::default(),
            audio_seconds: Counter::default(),
            // 0.5 ms … 8 s
            ttfb: Histogram::new(exponential_buckets(0.0005, 2.0, 15)),
            // 0.001 … 16 (seconds of work per second of audio)
            real_time_factor: Histogram::new(exponential_buckets(0.001, 2.0, 15)),
            active_streams: Gauge::default(),
            slots_free: Gauge::default(),
            cache_hits: Counter::default(),
            cache_misses: Counter::default(),
            cache_bytes: Gauge::default(),
        };
        let r = &mut m.registry;
        r.register(
            "http_requests",
            "HTTP requests by route, method and status",
            m.requests.clone(),
        );
        r.register(
            "audio_seconds",
            "Seconds of audio synthesized",
            m.audio_seconds.clone(),
        );
        r.register(
            "time_to_first_byte_seconds",
            "From request to the first audio bytes of a stream",
            m.ttfb.clone(),
        );
        r.register(
            "synthesis_real_time_factor",
            "Synthesis time over audio duration, per request",
            m.real_time_factor.clone(),
        );
        r.register(
            "active_streams",
            "Syntheses running now (each holds a slot)",
            m.active_streams.clone(),
        );
        r.register(
            "synthesis_slots_free",
            "Synthesis slots free now",
            m.slots_free.clone(),
        );
        r.register(
            "cache_hits",
            "Downloads served from the audio cache",
            m.cache_hits.clone(),
        );
        r.register(
            "cache_misses",
            "Downloads that had to be synthesized",
            m.cache_misses.clone(),
        );
        r.register(
            "cache_bytes",
            "Bytes of audio held in the cache",
            m.cache_bytes.clone(),
        );
        m
    }
}

/// Decrements the active-stream gauge when dropped, however the synthesis ends.
pub struct ActiveStream<'a>(&'a Gauge);

impl Drop for ActiveStream<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    /// Counts one synthesis as active until the guard is dropped.
    pub fn stream_started(&self) -> ActiveStream<'_> {
        self.active_streams.inc();
        ActiveStream(&self.active_streams)
    }

    /// Records a finished (or stopped) synthesis.
    pub fn synthesized(&self, audio: Duration, work: Duration) {
        let secs = audio.as_secs_f64();
        self.audio_seconds.inc_by(secs);
        if secs > 0.0 {
            self.real_time_factor.observe(work.as_secs_f64() / secs);
        }
    }

    /// Records the time from a request to its first audio bytes.
    pub fn first_byte(&self, after: Duration) {
        self.ttfb.observe(after.as_secs_f64());
    }

    /// Records a cache lookup.
    pub fn cache_lookup(&self, hit: bool) {
        if hit {
            self.cache_hits.inc();
        } else {
            self.cache_misses.inc();
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn encode(&self, slots_free: usize, cache_bytes: usize) -> String {
        self.slots_free
            .set(i64::try_from(slots_free).unwrap_or(i64::MAX));
        self.cache_bytes
            .set(i64::try_from(cache_bytes).unwrap_or(i64::MAX));
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "encoding metrics");
        }
        out
    }
}

/// `GET /metrics`.
pub async fn get(State(state): State<AppState>) -> Response {
    let body = state
        .metrics()
        .encode(state.slots_free(), state.cache_bytes());
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// When the request reached the service (set by [`count_requests`]); time to first byte is
/// measured from here.
#[derive(Debug, Clone, Copy)]
pub struct RequestStart(pub Instant);

/// Middleware: counts every response by its route template (never the raw path, which a
/// client could vary without end), method and status.
pub async fn count_requests(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    request
        .extensions_mut()
        .insert(RequestStart(Instant::now()));
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().as_str().to_string();
    let response = next.run(request).await;
    state
        .metrics()
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_names_every_metric() {
        let m = Metrics::default();
        m.synthesized(Duration::from_secs(2), Duration::from_millis(100));
        m.first_byte(Duration::from_millis(3));
        m.cache_lookup(true);
        let _guard = m.stream_started();
        let text = m.encode(7, 42);
        for name in [
            "loa_audio_seconds_total 2",
            "loa_time_to_first_byte_seconds_count 1",
            "loa_synthesis_real_time_factor_count 1",
            "loa_active_streams 1",
            "loa_synthesis_slots_free 7",
            "loa_cache_hits_total 1",
            "loa_cache_misses_total 0",
            "loa_cache_bytes 42",
        ] {
            assert!(text.contains(name), "missing `{name}` in\n{text}");
        }
    }

    #[test]
    fn the_guard_gives_the_stream_back() {
        let m = Metrics::default();
        drop(m.stream_started());
        assert!(m.encode(0, 0).contains("loa_active_streams 0"));
    }
}
