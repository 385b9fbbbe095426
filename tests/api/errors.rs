//! Every client error: its status and the JSON error shape, decided before any audio.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Method;

use crate::helpers::*;

struct Case {
    method: Method,
    path: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
}

fn case(
    method: Method,
    path: &'static str,
    content_type: Option<&'static str>,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        method,
        path,
        content_type,
        body: body.into(),
        status,
        code,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_has_its_status_and_json_shape() {
    let app = spawn_app_with(|s| s.max_text_chars = 100).await;
    let json = Some("application/json");
    let plain = Some("text/plain");
    let long = format!("{{\"text\": \"{}\"}}", "a".repeat(101));
    let huge = vec![b'a'; 100 * 6 + 64 * 1024 + 1];
    let cases = [
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": ""}"#,
            422,
            "empty_text",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": " \n\t "}"#,
            422,
            "empty_text",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"voice": "default"}"#,
            422,
            "empty_text",
        ),
        case(Method::GET, "/v1/speech", None, "", 422, "empty_text"),
        case(
            Method::POST,
            "/v1/speech",
            json,
            long.clone(),
            413,
            "text_too_long",
        ),
        case(
            Method::POST,
            "/v1/speech",
            plain,
            "a".repeat(101),
            413,
            "text_too_long",
        ),
        case(
            Method::POST,
            "/v1/speech",
            plain,
            huge,
            413,
            "body_too_large",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "a", "voice": "nobody"}"#,
            404,
            "unknown_voice",
        ),
        case(
            Method::GET,
            "/v1/speech?text=a&voice=../../etc/passwd",
            None,
            "",
            404,
            "unknown_voice",
        ),
        case(
            Method::GET,
            "/v1/speech?text=a&voice=%2Fetc%2Fpasswd",
            None,
            "",
            404,
            "unknown_voice",
        ),
        case(
            Method::GET,
            "/v1/speech?text=a&voice=northern%2F..%2Fnorthern",
            None,
            "",
            404,
            "unknown_voice",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "a", "rate": 10}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "a", "rate": "fast"}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "a", "pitch": -99}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "a", "volume": 3}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "a", "format": "mp3"}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "a", "download": "maybe"}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::GET,
            "/v1/speech?text=a&rate=NaN",
            None,
            "",
            422,
            "invalid_parameter",
        ),
        case(
            Method::GET,
            "/v1/speech?text=a&rate=inf",
            None,
            "",
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"["text"]"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            r#"{"text": "#,
            400,
            "malformed_json",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            "not json",
            400,
            "malformed_json",
        ),
        case(
            Method::POST,
            "/v1/speech",
            Some("image/png"),
            "x",
            415,
            "unsupported_media_type",
        ),
        case(
            Method::POST,
            "/v1/speech",
            None,
            "x",
            415,
            "unsupported_media_type",
        ),
        case(
            Method::POST,
            "/v1/speech",
            Some("application/x-www-form-urlencoded"),
            "text=a",
            415,
            "unsupported_media_type",
        ),
        case(
            Method::POST,
            "/v1/speech",
            plain,
            b"Xin ch\xff\xfe".to_vec(),
            400,
            "invalid_utf8",
        ),
        case(
            Method::POST,
            "/v1/speech",
            json,
            b"{\"text\": \"\xff\"}".to_vec(),
            400,
            "invalid_utf8",
        ),
        case(
            Method::GET,
            "/v1/speech?text=%FF%FE",
            None,
            "",
            400,
            "invalid_utf8",
        ),
        case(
            Method::POST,
            "/v1/audio/speech",
            plain,
            "Xin chào",
            415,
            "unsupported_media_type",
        ),
        case(
            Method::POST,
            "/v1/audio/speech",
            json,
            r#"{"model": "tts-1", "input": "", "voice": "alloy"}"#,
            422,
            "empty_text",
        ),
        case(
            Method::POST,
            "/v1/audio/speech",
            json,
            r#"{"input": "a", "voice": "nobody"}"#,
            404,
            "unknown_voice",
        ),
        case(
            Method::POST,
            "/v1/audio/speech",
            json,
            r#"{"input": "a", "response_format": "mp3"}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/audio/speech",
            json,
            r#"{"input": "a", "speed": 0.1}"#,
            422,
            "invalid_parameter",
        ),
        case(
            Method::POST,
            "/v1/normalize",
            json,
            r#"{"text": ""}"#,
            422,
            "empty_text",
        ),
        case(
            Method::POST,
            "/v1/normalize",
            plain,
            "a".repeat(101),
            413,
            "text_too_long",
        ),
        case(
            Method::POST,
            "/v1/normalize",
            Some("text/html"),
            "<p>a</p>",
            415,
            "unsupported_media_type",
        ),
        case(Method::GET, "/no/such/route", None, "", 404, "not_found"),
        case(
            Method::DELETE,
            "/v1/speech",
            None,
            "",
            405,
            "method_not_allowed",
        ),
    ];
    for c in cases {
        let mut request = app.client.request(c.method.clone(), app.url(c.path));
        if let Some(ct) = c.content_type {
            request = request.header("content-type", ct);
        }
        if !c.body.is_empty() {
            request = request.body(c.body.clone());
        }
        let response = request.send().await.unwrap();
        let what = format!(
            "{} {} ({:?}, {})",
            c.method,
            c.path,
            c.content_type,
            String::from_utf8_lossy(&c.body[..c.body.len().min(60)])
        );
        assert_eq!(response.status().as_u16(), c.status, "{what}");
        assert_eq!(error_code(response).await, c.code, "{what}");
    }
    // None of these started a synthesis.
    assert_eq!(app.metric("loa_audio_seconds_total").await, 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_text_limit_is_200000_characters() {
    let app = spawn_app().await;
    assert_eq!(app.state.settings().max_text_chars, 200_000);
    let over = "ă".repeat(200_001);
    let response = app
        .client
        .post(app.url("/v1/speech"))
        .header("content-type", "text/plain")
        .body(over)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "text_too_long");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_cap_answers_503_with_retry_after() {
    let app = spawn_app_with(|s| s.max_concurrent = 1).await;
    // One long stream, held open by a client that does not read: it keeps the only slot.
    let mut holder = app
        .client
        .post(app.url("/v1/speech"))
        .header("content-type", "text/plain")
        .body(long_text(3000))
        .send()
        .await
        .unwrap();
    assert_eq!(holder.status(), 200);
    holder.chunk().await.unwrap().expect("first chunk");

    for request in [
        app.client
            .get(app.url("/v1/speech"))
            .query(&[("text", "Xin chào.")]),
        app.client
            .get(app.url("/v1/speech"))
            .query(&[("text", "Xin chào."), ("download", "1")]),
        app.client
            .post(app.url("/v1/audio/speech"))
            .json(&serde_json::json!({ "input": "Xin chào.", "voice": "alloy" })),
    ] {
        let refused = request.send().await.unwrap();
        assert_eq!(refused.status(), 503);
        assert_eq!(refused.headers()["retry-after"], "1");
        assert_eq!(error_code(refused).await, "busy");
    }

    // The holder leaves; its slot comes back and the next request is served.
    drop(holder);
    app.wait_idle(Duration::from_secs(10)).await;
    let served = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", "Xin chào.")])
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    decode_streamed_wav(&served.bytes().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_body_that_never_ends_times_out() {
    let app = spawn_app_with(|s| s.request_timeout = Duration::from_millis(300)).await;
    let stalled = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"text\": \"Xin"))
    })
    .chain(futures_util::stream::pending());
    let response = app
        .client
        .post(app.url("/v1/speech"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stalled))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(error_code(response).await, "timeout");
}
