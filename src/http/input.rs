//! Reading what a client sent: the query string, a JSON or `text/plain` body, into one
//! [`Fields`] record. Every failure here is a 4xx, decided before any work starts.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap};
use serde::Deserialize;

use super::error::ApiError;

/// The request fields shared by `/v1/speech` and `/v1/normalize`, still unchecked.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
pub struct Fields {
    pub text: Option<String>,
    pub voice: Option<String>,
    pub rate: Option<f32>,
    pub pitch: Option<f32>,
    pub volume: Option<f32>,
    pub format: Option<String>,
    pub download: Option<Flag>,
    /// Read the text as SSML (`true`), as plain text (`false`), or decide by its look.
    pub ssml: Option<Flag>,
    /// Per-request pronunciations, `{"written": "spoken"}` (JSON bodies only).
    pub lexicon: Option<BTreeMap<String, String>>,
}

impl Fields {
    /// Fields of `self`, with the gaps filled from `other` (a body over its query string).
    pub fn or(self, other: Fields) -> Fields {
        Fields {
            text: self.text.or(other.text),
            voice: self.voice.or(other.voice),
            rate: self.rate.or(other.rate),
            pitch: self.pitch.or(other.pitch),
            volume: self.volume.or(other.volume),
            format: self.format.or(other.format),
            download: self.download.or(other.download),
            ssml: self.ssml.or(other.ssml),
            lexicon: self.lexicon.or(other.lexicon),
        }
    }
}

/// A yes/no switch as clients write it: `true`, `1`, `"1"`, `"yes"`…
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Number(i64),
    Text(String),
}

impl Flag {
    /// The switch's value.
    ///
    /// # Errors
    /// A value that is neither a yes nor a no.
    pub fn value(&self, name: &str) -> Result<bool, ApiError> {
        match self {
            Flag::Bool(b) => Ok(*b),
            Flag::Number(0) => Ok(false),
            Flag::Number(1) => Ok(true),
            Flag::Text(s) => match s.to_ascii_lowercase().as_str() {
                "" | "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(bad_value(name, s)),
            },
            Flag::Number(n) => Err(bad_value(name, &n.to_string())),
        }
    }
}

fn bad_value(name: &str, value: &str) -> ApiError {
    let shown: String = value.chars().take(32).collect();
    ApiError::InvalidParameter(format!("`{name}` has an invalid value `{shown}`"))
}

/// Decodes a URL query string (`a=b&c=d`, `+` for space, percent escapes) into fields.
/// Unknown keys are ignored; a repeated key keeps its last value.
///
/// # Errors
/// Invalid UTF-8 after decoding (400); a number that does not parse (422).
pub fn from_query(query: Option<&str>) -> Result<Fields, ApiError> {
    let mut fields = Fields::default();
    let Some(query) = query else {
        return Ok(fields);
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key)?;
        let value = decode(value)?;
        match key.as_str() {
            "text" | "input" => fields.text = Some(value),
            "voice" => fields.voice = Some(value),
            "rate" | "speed" => fields.rate = Some(number(&key, &value)?),
            "pitch" => fields.pitch = Some(number(&key, &value)?),
            "volume" => fields.volume = Some(number(&key, &value)?),
            "format" => fields.format = Some(value),
            "download" => fields.download = Some(Flag::Text(value)),
            "ssml" => fields.ssml = Some(Flag::Text(value)),
            _ => {}
        }
    }
    Ok(fields)
}

fn decode(part: &str) -> Result<String, ApiError> {
    let spaced = part.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|e| ApiError::InvalidUtf8 {
            what: "query string",
            offset: e.valid_up_to(),
        })
}

fn number(name: &str, value: &str) -> Result<f32, ApiError> {
    value
        .trim()
        .parse::<f32>()
        .map_err(|_| bad_value(name, value))
}

/// What a request body is, by its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Text,
}

/// The kind of body the headers announce.
///
/// # Errors
/// A missing or unsupported content type (415).
pub fn body_kind(headers: &HeaderMap, allow_text: bool) -> Result<BodyKind, ApiError> {
    let raw = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let essence = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(BodyKind::Json),
        e if e.starts_with("application/") && e.ends_with("+json") => Ok(BodyKind::Json),
        "text/plain" if allow_text => Ok(BodyKind::Text),
        "" => Err(ApiError::UnsupportedMediaType("(none)".into())),
        _ => Err(ApiError::UnsupportedMediaType(
            raw.chars().take(64).collect::<String>(),
        )),
    }
}

/// The body bytes, or why they could not be read.
///
/// # Errors
/// A body over the limit (413), or one that could not be read (400).
pub fn body_bytes(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| match rejection {
        BytesRejection::FailedToBufferBody(
            axum::extract::rejection::FailedToBufferBody::LengthLimitError(_),
        ) => ApiError::BodyTooLarge { limit },
        other => ApiError::BadRequest(format!("the request body could not be read: {other}")),
    })
}

/// A `text/plain` body as text.
///
/// # Errors
/// Invalid UTF-8 (400).
pub fn utf8(bytes: &[u8]) -> Result<String, ApiError> {
    std::str::from_utf8(bytes)
        .map(str::to_string)
        .map_err(|e| ApiError::InvalidUtf8 {
            what: "request body",
            offset: e.valid_up_to(),
        })
}

/// A JSON body as `T`.
///
/// # Errors
/// Invalid UTF-8 (400), malformed JSON (400), JSON of the wrong shape or types (422).
pub fn json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ApiError> {
    utf8(bytes)?;
    serde_json::from_slice(bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => ApiError::InvalidParameter(e.to_string()),
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::MalformedJson(e.to_string())
            }
        }
    })
}

/// The fields of a body of either kind: JSON as an object of fields, plain text as the text.
///
/// # Errors
/// As [`utf8`] and [`json`].
pub fn fields(kind: BodyKind, bytes: &[u8]) -> Result<Fields, ApiError> {
    match kind {
        BodyKind::Json => json(bytes),
        BodyKind::Text => Ok(Fields {
            text: Some(utf8(bytes)?),
            ..Fields::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn query_decodes_plus_and_percent_escapes() {
        let f = from_query(Some("text=Xin+ch%C3%A0o&rate=1.5&voice=default&x=y")).unwrap();
        assert_eq!(f.text.as_deref(), Some("Xin chào"));
        assert_eq!(f.rate, Some(1.5));
        assert_eq!(f.voice.as_deref(), Some("default"));
    }

    #[test]
    fn query_rejects_invalid_utf8_and_bad_numbers() {
        let e = from_query(Some("text=%FF%FE")).unwrap_err();
        assert_eq!(e.code(), "invalid_utf8");
        let e = from_query(Some("text=a&rate=fast")).unwrap_err();
        assert_eq!(e.code(), "invalid_parameter");
    }

    #[test]
    fn flags_read_the_usual_spellings() {
        assert!(Flag::Text("1".into()).value("d").unwrap());
        assert!(!Flag::Text("false".into()).value("d").unwrap());
        assert!(Flag::Bool(true).value("d").unwrap());
        assert!(Flag::Number(2).value("d").is_err());
        assert!(Flag::Text("maybe".into()).value("d").is_err());
    }

    #[test]
    fn content_types_are_recognized_with_parameters() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert_eq!(body_kind(&h, true).unwrap(), BodyKind::Json);
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert_eq!(body_kind(&h, true).unwrap(), BodyKind::Text);
        assert!(body_kind(&h, false).is_err());
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
        assert_eq!(
            body_kind(&h, true).unwrap_err().code(),
            "unsupported_media_type"
        );
        assert!(body_kind(&HeaderMap::new(), true).is_err());
    }

    #[test]
    fn json_errors_are_split_into_syntax_and_data() {
        let e = fields(BodyKind::Json, b"{\"text\": ").unwrap_err();
        assert_eq!(e.code(), "malformed_json");
        let e = fields(BodyKind::Json, b"{\"rate\": \"fast\"}").unwrap_err();
        assert_eq!(e.code(), "invalid_parameter");
        let e = fields(BodyKind::Json, b"[1, 2]").unwrap_err();
        assert_eq!(e.code(), "invalid_parameter");
        let e = fields(BodyKind::Text, b"\xff").unwrap_err();
        assert_eq!(e.code(), "invalid_utf8");
        let f = fields(BodyKind::Text, "Xin chào".as_bytes()).unwrap();
        assert_eq!(f.text.as_deref(), Some("Xin chào"));
    }

    proptest::proptest! {
        #[test]
        fn query_parsing_never_panics(q in ".{0,200}") {
            let _ = from_query(Some(&q));
        }

        #[test]
        fn body_parsing_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = fields(BodyKind::Json, &bytes);
            let _ = fields(BodyKind::Text, &bytes);
        }
    }
}
