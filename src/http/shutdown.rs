//! Shutdown: the signals that start it, and the two steps that follow (drain, then cut).
//!
//! On SIGINT or SIGTERM the server stops accepting connections and `/readyz` turns 503; the
//! requests in flight go on for the grace period, then every stream still running is cut (an
//! unfinished streaming body would otherwise hold the server open for as long as it lasts).

use std::time::Duration;

use super::state::Lifecycle;

/// Resolves when the process receives SIGINT (Ctrl-C) or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}

/// Waits for `trigger`, then drains: marks the service as not ready at once, and cuts the
/// streams still running after `grace`. The returned future resolves when draining begins
/// (what `axum::serve(..).with_graceful_shutdown` wants).
pub async fn drain_on(
    trigger: impl std::future::Future<Output = ()>,
    lifecycle: Lifecycle,
    grace: Duration,
) {
    trigger.await;
    tracing::info!(
        grace_ms = grace.as_millis() as u64,
        "shutting down: draining"
    );
    lifecycle.draining.cancel();
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        if !lifecycle.cut.is_cancelled() {
            tracing::warn!("grace period over: cutting the streams still running");
            lifecycle.cut.cancel();
        }
    });
}
