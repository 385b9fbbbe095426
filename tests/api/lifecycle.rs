//! Shutdown: streams in flight finish within the grace period; those still running after it
//! are cut, and the server stops.

use std::time::{Duration, Instant};

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_in_flight_finishes_during_the_grace_period() {
    let mut app = spawn_app_with(|s| s.shutdown_grace = Duration::from_secs(10)).await;
    let response = app
        .client
        .post(app.url("/v1/speech"))
        .header("content-type", "text/plain")
        .body(long_text(40))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    app.shutdown();
    let bytes = response.bytes().await.expect("the whole stream");
    let (_, samples) = decode_streamed_wav(&bytes);
    assert!(!samples.is_empty());
    let server = app.server.take().unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops once the stream is done")
        .unwrap()
        .unwrap();
    // No new connections once stopped.
    assert!(app.client.get(app.url("/healthz")).send().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_still_running_after_the_grace_period_are_cut() {
    let grace = Duration::from_millis(300);
    let mut app = spawn_app_with(|s| s.shutdown_grace = grace).await;
    let mut response = app
        .client
        .post(app.url("/v1/speech"))
        .header("content-type", "text/plain")
        .body(long_text(3000))
        .send()
        .await
        .unwrap();
    response.chunk().await.unwrap().expect("first chunk");
    // The client reads nothing more: only the cut can end this stream.
    let started = Instant::now();
    app.shutdown();
    let server = app.server.take().unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops after the grace period")
        .unwrap()
        .unwrap();
    let took = started.elapsed();
    assert!(
        took >= grace,
        "stopped after {took:?}, before the grace period"
    );
    // The body ends with an error (truncated), not as if the article were complete.
    let mut ended_in_error = false;
    loop {
        match response.chunk().await {
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => {
                ended_in_error = true;
                break;
            }
        }
    }
    assert!(ended_in_error, "a cut stream must not look complete");
    // Its synthesis stops too and gives the slot back.
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.state.slots_free() < app.state.settings().max_concurrent {
        assert!(Instant::now() < deadline, "the cut synthesis kept its slot");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_turns_503_when_draining() {
    let mut app = spawn_app_with(|s| s.shutdown_grace = Duration::from_secs(5)).await;
    // A stream in flight keeps the server draining (not stopped) while readiness is checked.
    let mut holder = app
        .client
        .post(app.url("/v1/speech"))
        .header("content-type", "text/plain")
        .body(long_text(3000))
        .send()
        .await
        .unwrap();
    holder.chunk().await.unwrap();
    app.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(app.state.lifecycle().draining.is_cancelled());
    // New connections are refused now; the router itself says 503 to a readiness probe.
    let probe = axum::http::Request::get("/readyz")
        .body(axum::body::Body::empty())
        .unwrap();
    let ready = tower::ServiceExt::oneshot(loa::http::app(app.state.clone()), probe)
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    let body = axum::body::to_bytes(ready.into_body(), 4096).await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["error"]["code"], "shutting_down");
    let server = app.server.take().unwrap();
    drop(holder);
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops once the last client left")
        .unwrap()
        .unwrap();
}
