//! The web reader (`/`, with `/reader.js` and `/reader.css`) and the "Nghe bài viết" widget
//! (`/widget.js`): static files from `web/`, compiled into the binary so `loa serve` needs
//! nothing beside it. Each answer carries a strong `ETag` (`If-None-Match` → 304) and a
//! `Cache-Control`: the page revalidates every time, the widget (embedded on news sites, so
//! fetched by every reader of every article) may be reused for five minutes.

use std::sync::LazyLock;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use crate::voice::format::fnv1a64;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub cache_control: &'static str,
    pub body: &'static str,
}

const REVALIDATE: &str = "no-cache";

/// The files served, by path.
pub const ASSETS: [Asset; 4] = [
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        cache_control: REVALIDATE,
        body: include_str!("../../web/index.html"),
    },
    Asset {
        path: "/reader.js",
        content_type: "text/javascript; charset=utf-8",
        cache_control: REVALIDATE,
        body: include_str!("../../web/reader.js"),
    },
    Asset {
        path: "/reader.css",
        content_type: "text/css; charset=utf-8",
        cache_control: REVALIDATE,
        body: include_str!("../../web/reader.css"),
    },
    Asset {
        path: "/widget.js",
        content_type: "text/javascript; charset=utf-8",
        cache_control: "public, max-age=300",
        body: include_str!("../../web/widget.js"),
    },
];

/// The page may only load from its own origin (audio included; `blob:` for the download).
const PAGE_POLICY: &str = "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

static ETAGS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| format!("\"{:016x}\"", fnv1a64(a.body.as_bytes())))
        .collect()
});

/// `GET` (and `HEAD`) of one of [`ASSETS`].
pub async fn get(uri: Uri, headers: HeaderMap) -> Response {
    let Some(index) = ASSETS.iter().position(|a| a.path == uri.path()) else {
        return ApiError::NotFound.into_response();
    };
    let asset = &ASSETS[index];
    let etag = &ETAGS[index];
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            )],
            asset.body,
        )
            .into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(asset.cache_control),
    );
    if let Ok(value) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if asset.path == "/" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        );
    }
    response
}
