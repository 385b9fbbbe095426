//! The small routes: voices, normalize, health, readiness, metrics, CORS, request ids, and
//! that no input makes a handler panic.

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voices_lists_the_installed_voices_and_the_default() {
    let app = spawn_app().await;
    let body: serde_json::Value = app
        .client
        .get(app.url("/v1/voices"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let default = body["default"].as_str().unwrap();
    let voices = body["voices"].as_array().unwrap();
    assert!(voices.iter().any(|v| v["id"] == default), "{body}");
    for v in voices {
        assert!(v["sample_rate"].as_u64().unwrap() > 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn normalize_returns_the_front_end_structure_with_spans() {
    let app = spawn_app().await;
    let text = "Xin chào. Hôm nay trời đẹp.";
    for request in [
        app.client
            .post(app.url("/v1/normalize"))
            .json(&serde_json::json!({ "text": text })),
        app.client
            .post(app.url("/v1/normalize"))
            .header("content-type", "text/plain")
            .body(text),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        let doc: serde_json::Value = response.json().await.unwrap();
        let sentences = doc["sentences"].as_array().unwrap();
        assert_eq!(sentences.len(), 2, "{doc}");
        let end = sentences[1]["span"]["end"].as_u64().unwrap() as usize;
        assert!(end <= text.len());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_request_ids() {
    let app = spawn_app().await;
    let live = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(live.status(), 200);
    let id = live.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    // A request id sent by a proxy is kept.
    let mine = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(mine.headers()["x-request-id"], "abc-123");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_audio_and_first_bytes() {
    let app = spawn_app().await;
    let audio = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", SHORT_TEXT)])
        .send()
        .await
        .unwrap();
    let bytes = audio.bytes().await.unwrap();
    let (spec, samples) = decode_streamed_wav(&bytes);
    app.client.get(app.url("/nope")).send().await.unwrap();
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(r#"loa_http_requests_total{route="/v1/speech",method="GET",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"loa_http_requests_total{route="unmatched",method="GET",status="404"} 1"#),
        "{text}"
    );
    assert_eq!(
        app.metric("loa_time_to_first_byte_seconds_count").await,
        1.0
    );
    assert_eq!(
        app.metric("loa_synthesis_real_time_factor_count").await,
        1.0
    );
    let seconds = samples.len() as f64 / f64::from(spec.sample_rate);
    let counted = app.metric("loa_audio_seconds_total").await;
    assert!((counted - seconds).abs() < 1e-6, "{counted} vs {seconds}");
    assert_eq!(app.metric("loa_active_streams").await, 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_is_off_by_default_and_follows_the_configured_origins() {
    let closed = spawn_app().await;
    let r = closed
        .client
        .get(closed.url("/healthz"))
        .header("origin", "https://news.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());

    let open = spawn_app_with(|s| s.cors_origins = vec!["https://news.example".into()]).await;
    let preflight = open
        .client
        .request(reqwest::Method::OPTIONS, open.url("/v1/speech"))
        .header("origin", "https://news.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    let other = open
        .client
        .get(open.url("/healthz"))
        .header("origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let download = open
        .client
        .get(open.url("/v1/speech"))
        .query(&[("text", "Xin chào."), ("download", "1")])
        .header("origin", "https://news.example")
        .send()
        .await
        .unwrap();
    let exposed = download.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("content-disposition") && exposed.contains("etag"),
        "{exposed}"
    );
}

/// Whatever the query string, the service answers with a status, never a panic (500) or a
/// hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_queries_never_make_a_handler_fail() {
    let app = spawn_app_with(|s| s.max_text_chars = 2000).await;
    let odd = [
        "text=%00%01%02",
        "text=&&&&",
        "text=a&text=&voice=",
        "text=%E1%BB",
        "text=%",
        "text=%zz",
        "text=a&rate=1e40",
        "text=a&rate=-0&pitch=-0",
        "text=a&download=1&format=PCM",
        "text=%F0%9F%98%80%F0%9F%98%80",
        "text=<speak>xin chào</speak>",
        "=&=&text",
        "text=a&voice=%00",
        "text=...",
        "text=%E2%80%8B",
    ];
    for q in odd {
        let response = app
            .client
            .get(format!("{}?{q}", app.url("/v1/speech")))
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert!(!status.is_server_error(), "{q}: {status}");
        let _ = response.bytes().await.unwrap();
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..100 {
        let mut bytes = Vec::new();
        for _ in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.push((seed & 0xff) as u8);
        }
        let response = app
            .client
            .post(app.url("/v1/speech"))
            .header(
                "content-type",
                if seed % 2 == 0 {
                    "application/json"
                } else {
                    "text/plain"
                },
            )
            .body(bytes)
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert!(!status.is_server_error(), "{status}");
        let _ = response.bytes().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_built_in_voices_load_and_speak() {
    let app = spawn_app_with(|s| s.voices_dir = built_in_voices()).await;
    let response = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", SHORT_TEXT)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (spec, samples) = decode_streamed_wav(&response.bytes().await.unwrap());
    let voice = app.state.voices().get("default").unwrap();
    assert_eq!(spec.sample_rate, voice.info.sample_rate);
    assert!(!samples.is_empty());
}

/// The property behind the list above: any query string, any body, through the router itself
/// (`app(state)` with `oneshot`), gives an answer below 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_input_gives_a_server_error() {
    use proptest::prelude::*;
    use tower::ServiceExt;

    let app = spawn_app_with(|s| s.max_text_chars = 500).await;
    let state = app.state.clone();
    let handle = tokio::runtime::Handle::current();
    let config = ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    tokio::task::block_in_place(|| {
        proptest!(config, |(query in "[a-z=&%+0-9A-F.\\-]{0,60}",
                            body in proptest::collection::vec(any::<u8>(), 0..120),
                            json in any::<bool>())| {
            let router = loa::http::app(state.clone());
            let status = handle.block_on(async {
                let request = axum::http::Request::post(format!("/v1/speech?{query}"))
                    .header("content-type", if json { "application/json" } else { "text/plain" })
                    .body(axum::body::Body::from(body.clone()))
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                let status = response.status();
                let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
                let request = axum::http::Request::get(format!("/v1/speech?{query}"))
                    .body(axum::body::Body::empty())
                    .unwrap();
                let get = router.oneshot(request).await.unwrap().status();
                (status, get)
            });
            prop_assert!(!status.0.is_server_error() && !status.1.is_server_error(), "{status:?}");
        });
    });
}
