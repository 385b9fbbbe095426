//! Errors of the HTTP surface: each is a value that becomes one response with the JSON shape
//! `{"error": {"code": "...", "message": "..."}}`. Client errors are not logged; internal
//! details are logged and never sent.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::synth::ParamError;
use crate::text::lexicon::LexiconError;
use crate::text::ssml::SsmlError;

/// Why a request was not served.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the text is empty")]
    EmptyText,
    #[error("the text has {chars} characters; the limit is {limit}")]
    TextTooLong { chars: usize, limit: usize },
    #[error("the request body is larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    #[error("voice `{0}` is not installed (see GET /v1/voices)")]
    UnknownVoice(String),
    #[error("{0}")]
    Param(#[from] ParamError),
    #[error("{0}")]
    InvalidParameter(String),
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("the {what} is not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 { what: &'static str, offset: usize },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Ssml(SsmlError),
    #[error("{0}")]
    Lexicon(LexiconError),
    #[error("content type `{0}` is not supported; send application/json or text/plain")]
    UnsupportedMediaType(String),
    #[error("the range is outside the {len}-byte resource")]
    RangeNotSatisfiable { len: u64 },
    #[error("every synthesis slot is busy; retry in {retry_after} s")]
    Busy { retry_after: u32 },
    #[error("the request took longer than {0} s")]
    Timeout(u64),
    #[error("the service is shutting down")]
    ShuttingDown,
    #[error("no such route")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            EmptyText | Param(_) | InvalidParameter(_) => StatusCode::UNPROCESSABLE_ENTITY,
            TextTooLong { .. } | BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            UnknownVoice(_) | NotFound => StatusCode::NOT_FOUND,
            MalformedJson(_) | InvalidUtf8 { .. } | BadRequest(_) | Ssml(_) => {
                StatusCode::BAD_REQUEST
            }
            Lexicon(_) => StatusCode::UNPROCESSABLE_ENTITY,
            UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Busy { .. } | Timeout(_) | ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable, machine-readable name for the error.
    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            EmptyText => "empty_text",
            TextTooLong { .. } => "text_too_long",
            BodyTooLarge { .. } => "body_too_large",
            UnknownVoice(_) => "unknown_voice",
            Param(_) | InvalidParameter(_) => "invalid_parameter",
            MalformedJson(_) => "malformed_json",
            InvalidUtf8 { .. } => "invalid_utf8",
            BadRequest(_) => "bad_request",
            Ssml(_) => "invalid_ssml",
            Lexicon(_) => "invalid_lexicon",
            UnsupportedMediaType(_) => "unsupported_media_type",
            RangeNotSatisfiable { .. } => "range_not_satisfiable",
            Busy { .. } => "busy",
            Timeout(_) => "timeout",
            ShuttingDown => "shutting_down",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            Internal(_) => "internal",
        }
    }

    /// An unknown voice, with the requested id shortened so that a huge id is not echoed.
    pub fn unknown_voice(id: &str) -> Self {
        let mut shown: String = id.chars().take(64).collect();
        if shown.len() < id.len() {
            shown.push('…');
        }
        ApiError::UnknownVoice(shown)
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: String,
    /// Where in the text the problem is (malformed SSML).
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<Position>,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let position = match &self {
            ApiError::Ssml(e) => Some(Position {
                line: e.line,
                column: e.column,
                offset: e.offset,
            }),
            _ => None,
        };
        let body = Body {
            error: Detail {
                code: self.code(),
                message: self.to_string(),
                position,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::Busy { retry_after } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            }
            ApiError::RangeNotSatisfiable { len } => {
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    headers.insert(header::CONTENT_RANGE, v);
                }
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_error_is_4xx_and_server_errors_5xx() {
        let cases = [
            ApiError::EmptyText,
            ApiError::TextTooLong { chars: 2, limit: 1 },
            ApiError::unknown_voice("x"),
            ApiError::MalformedJson("x".into()),
            ApiError::UnsupportedMediaType("x".into()),
            ApiError::RangeNotSatisfiable { len: 3 },
        ];
        for e in cases {
            assert!(e.status().is_client_error(), "{e:?}");
        }
        assert!(ApiError::Busy { retry_after: 1 }.status().is_server_error());
        assert!(ApiError::Internal("x".into()).status().is_server_error());
    }

    #[test]
    fn long_voice_ids_are_shortened() {
        let id = "a".repeat(1000);
        let ApiError::UnknownVoice(shown) = ApiError::unknown_voice(&id) else {
            panic!("wrong variant");
        };
        assert_eq!(shown.chars().count(), 65);
    }

    #[test]
    fn busy_carries_retry_after() {
        let r = ApiError::Busy { retry_after: 3 }.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "3");
    }
}
