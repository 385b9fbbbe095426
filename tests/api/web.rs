//! The web reader and the widget: the embedded files, their types, caching and 304s.

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_the_widget_are_served_with_their_types() {
    let app = spawn_app().await;
    for (path, content_type, needle) in [
        ("/", "text/html; charset=utf-8", "<html lang=\"vi\">"),
        (
            "/reader.js",
            "text/javascript; charset=utf-8",
            "new Loa.Player",
        ),
        ("/reader.css", "text/css; charset=utf-8", "focus-visible"),
        (
            "/widget.js",
            "text/javascript; charset=utf-8",
            "data-loa-article",
        ),
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], content_type, "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("cache-control"), "{path}");
        let etag = headers["etag"].to_str().unwrap().to_string();
        assert!(etag.starts_with('"') && etag.len() == 18, "{path}: {etag}");
        let body = response.text().await.unwrap();
        assert!(body.contains(needle), "{path} lacks {needle}");

        let again = app
            .client
            .get(app.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert!(again.bytes().await.unwrap().is_empty());

        let stale = app
            .client
            .get(app.url(path))
            .header("if-none-match", "\"0000000000000000\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), 200, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_only_loads_from_its_own_origin_and_the_widget_is_cached_briefly() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/")).send().await.unwrap();
    let policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("default-src 'self'"), "{policy}");
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let widget = app.client.get(app.url("/widget.js")).send().await.unwrap();
    assert_eq!(widget.headers()["cache-control"], "public, max-age=300");
    assert!(widget.headers().get("content-security-policy").is_none());
    let head = app.client.head(app.url("/widget.js")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    let missing = app.client.get(app.url("/reader.map")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let posted = app.client.post(app.url("/")).send().await.unwrap();
    assert_eq!(posted.status(), 405);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_can_call_the_api_from_a_news_site_when_its_origin_is_allowed() {
    let app = spawn_app_with(|s| s.cors_origins = vec!["https://news.example".into()]).await;
    // The widget posts its text as text/plain (a simple request: no preflight).
    let marks = app
        .client
        .post(app.url("/v1/speech/marks?rate=1.5"))
        .header("origin", "https://news.example")
        .header("content-type", "text/plain;charset=utf-8")
        .body("Xin chào. Tôi là Loa.")
        .send()
        .await
        .unwrap();
    assert_eq!(marks.status(), 200);
    assert_eq!(
        marks.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    let list: serde_json::Value = marks.json().await.unwrap();
    assert!(list.as_array().unwrap().len() >= 2, "{list}");
}
