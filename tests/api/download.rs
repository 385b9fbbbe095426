//! Downloads: real RIFF sizes, Content-Length, file name, ETag, 304, Range, the cache.

use crate::helpers::*;

async fn download(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", SHORT_TEXT), ("download", "1")]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_is_a_whole_file_with_its_headers() {
    let app = spawn_app().await;
    let response = download(&app, &[]).await;
    assert_eq!(response.status(), 200);
    let h = response.headers().clone();
    assert_eq!(h["content-type"], "audio/wav");
    assert_eq!(h["accept-ranges"], "bytes");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        "attachment; filename=\"loa-xin-chao-cac-ban-hom-nay.wav\""
    );
    let etag = h["etag"].to_str().unwrap();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "{etag}"
    );
    let length: usize = h["content-length"].to_str().unwrap().parse().unwrap();
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), length);
    // Real RIFF sizes.
    assert_eq!(
        u32::from_le_bytes(body[4..8].try_into().unwrap()) as usize,
        length - 8
    );
    assert_eq!(
        u32::from_le_bytes(body[40..44].try_into().unwrap()) as usize,
        length - 44
    );
    let (_, samples) = decode_wav(&body);
    assert_eq!(samples.len() * 2, length - 44);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etags_are_stable_and_if_none_match_gives_304() {
    let app = spawn_app().await;
    let first = download(&app, &[]).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let second = download(&app, &[]).await;
    assert_eq!(second.headers()["etag"], etag.as_str());

    let not_modified = download(&app, &[("if-none-match", &etag)]).await;
    assert_eq!(not_modified.status(), 304);
    assert_eq!(not_modified.headers()["etag"], etag.as_str());
    assert!(not_modified.bytes().await.unwrap().is_empty());

    let other = download(&app, &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(other.status(), 200);

    // Another rate is other audio: another tag.
    let faster = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", SHORT_TEXT), ("download", "1"), ("rate", "2")])
        .send()
        .await
        .unwrap();
    assert_ne!(faster.headers()["etag"], etag.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_give_206_and_416() {
    let app = spawn_app().await;
    let full = download(&app, &[]).await.bytes().await.unwrap();
    let len = full.len();

    let part = download(&app, &[("range", "bytes=0-99")]).await;
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 0-99/{len}").as_str()
    );
    assert_eq!(part.headers()["content-length"], "100");
    assert_eq!(part.bytes().await.unwrap(), full.slice(0..100));

    let tail = download(&app, &[("range", "bytes=-10")]).await;
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.unwrap(), full.slice(len - 10..));

    let open = download(&app, &[("range", "bytes=44-")]).await;
    assert_eq!(open.status(), 206);
    assert_eq!(open.bytes().await.unwrap(), full.slice(44..));

    let outside = download(&app, &[("range", &format!("bytes={len}-"))]).await;
    assert_eq!(outside.status(), 416);
    assert_eq!(
        outside.headers()["content-range"],
        format!("bytes */{len}").as_str()
    );
    assert_eq!(error_code(outside).await, "range_not_satisfiable");

    // An If-Range that no longer matches means: send it all.
    let stale = download(&app, &[("range", "bytes=0-9"), ("if-range", "\"old\"")]).await;
    assert_eq!(stale.status(), 200);
    assert_eq!(stale.bytes().await.unwrap(), full);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_popular_article_is_synthesized_once() {
    let app = spawn_app().await;
    for _ in 0..3 {
        assert_eq!(download(&app, &[]).await.status(), 200);
    }
    assert_eq!(app.metric("loa_cache_misses_total").await, 1.0);
    assert_eq!(app.metric("loa_cache_hits_total").await, 2.0);
    assert!(app.metric("loa_cache_bytes").await > 44.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_download_flag_works_like_the_query() {
    let app = spawn_app().await;
    let json = app
        .client
        .post(app.url("/v1/speech"))
        .json(&serde_json::json!({ "text": SHORT_TEXT, "download": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 200);
    let etag = json.headers()["etag"].clone();
    let body = json.bytes().await.unwrap();
    let query = download(&app, &[]).await;
    assert_eq!(query.headers()["etag"], etag);
    assert_eq!(query.bytes().await.unwrap(), body);
}

/// A popular article requested by many readers at once is synthesized once: the requests that
/// arrive while it renders wait for that rendering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_downloads_share_one_synthesis() {
    let app = spawn_app().await;
    let text = long_text(400);
    let requests = (0..8).map(|_| {
        app.client
            .post(app.url("/v1/speech?download=1"))
            .header("content-type", "text/plain")
            .body(text.clone())
            .send()
    });
    let responses = futures_util::future::join_all(requests).await;
    let mut bodies = Vec::new();
    for response in responses {
        let response = response.unwrap();
        assert_eq!(response.status(), 200);
        bodies.push(response.bytes().await.unwrap());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(app.metric("loa_cache_misses_total").await, 1.0);
    assert_eq!(app.metric("loa_cache_hits_total").await, 7.0);
    let made = app.metric("loa_audio_seconds_total").await;
    let (spec, samples) = decode_wav(&bodies[0]);
    let one = samples.len() as f64 / f64::from(spec.sample_rate);
    assert!(
        (made - one).abs() < 1e-3,
        "synthesized {made} s for one {one} s article"
    );
}
