//! Downloads (`download=1` on `/v1/speech`): the whole audio as a file, with real RIFF
//! sizes, `Content-Length`, a file name, a strong `ETag`, `If-None-Match` (304) and single
//! byte ranges (206, or 416 when unsatisfiable). Rendered files are cached by fingerprint.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::cache::Rendered;
use super::error::ApiError;
use super::speech::{Format, SpeechRequest};
use super::state::{AppState, InFlight};
use super::synthesis::{self, Failed};

/// Answers a download request, from the cache when it can.
///
/// # Errors
/// No free slot (503), shutdown while rendering (503), an unsatisfiable range (416), a
/// failed synthesis (500).
pub async fn respond(
    state: &AppState,
    request: SpeechRequest,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let key = fingerprint(&request);
    let etag = format!("\"{key:032x}\"");
    if if_none_match(headers, &etag) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, value(&etag)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(CACHE_CONTROL),
                ),
            ],
        )
            .into_response());
    }
    let cached = state.cache().get(key);
    let rendered = match cached {
        Some(rendered) => {
            state.metrics().cache_lookup(true);
            rendered
        }
        None => render_once(state, &request, key).await?,
    };
    let sample_rate = request.job.voice.info.sample_rate;
    let len = rendered.bytes.len() as u64;
    let range = match headers.get(header::IF_RANGE) {
        Some(v) if v.as_bytes() != etag.as_bytes() => Range::Full,
        _ => headers
            .get(header::RANGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Range::Full, |v| parse_range(v, len)),
    };
    let common = [
        (
            header::CONTENT_TYPE,
            request.format.content_type(sample_rate),
        ),
        (
            header::CONTENT_DISPOSITION,
            value(&format!(
                "attachment; filename=\"{}.{}\"",
                file_stem(request.job.script.text(), key),
                request.format.extension()
            )),
        ),
        (header::ETAG, value(&etag)),
        (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ),
    ];
    match range {
        Range::Full => Ok((common, Body::from(rendered.bytes.clone())).into_response()),
        Range::Unsatisfiable => Err(ApiError::RangeNotSatisfiable { len }),
        Range::Bytes { start, end } => {
            let part = rendered.bytes.slice(start as usize..=end as usize);
            Ok((
                StatusCode::PARTIAL_CONTENT,
                common,
                [(
                    header::CONTENT_RANGE,
                    value(&format!("bytes {start}-{end}/{len}")),
                )],
                Body::from(part),
            )
                .into_response())
        }
    }
}

/// The audio of one text never changes for a given build, voice and parameters.
const CACHE_CONTROL: &str = "public, max-age=86400";

fn value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

/// Renders download `key` once however many requests ask for it at the same time: the first
/// renders (a cache miss), the others wait for its result (cache hits).
async fn render_once(
    state: &AppState,
    request: &SpeechRequest,
    key: u128,
) -> Result<Arc<Rendered>, ApiError> {
    /// Forgets the attempt however this future ends, dropped mid-render included.
    struct Over<'a>(&'a AppState, u128, InFlight);
    impl Drop for Over<'_> {
        fn drop(&mut self) {
            self.0.in_flight_over(self.1, &self.2);
        }
    }
    let cell = state.in_flight(key);
    let over = Over(state, key, cell.clone());
    let rendered_here = AtomicBool::new(false);
    let rendered = cell
        .get_or_try_init(|| async {
            rendered_here.store(true, Ordering::Relaxed);
            let rendered = Arc::new(render(state, request).await?);
            state.cache().insert(key, rendered.clone());
            Ok::<_, ApiError>(rendered)
        })
        .await
        .cloned();
    drop(over);
    state
        .metrics()
        .cache_lookup(!rendered_here.load(Ordering::Relaxed));
    rendered
}

/// Synthesizes the whole request into a file. Runs under a slot like a stream; the request
/// deadline bounds it, and dropping this future (deadline, client gone) stops the synthesis.
async fn render(state: &AppState, request: &SpeechRequest) -> Result<Rendered, ApiError> {
    let slot = state.try_slot()?;
    let sample_rate = request.job.voice.info.sample_rate;
    let mut rx = synthesis::start(state, request.job.clone(), slot);
    let cut = state.lifecycle().cut.clone();
    // The file is built in place (header, then each phrase's PCM as it arrives) so a long
    // article is held once, not as samples and again as bytes.
    let mut file = match request.format {
        Format::Wav => crate::audio::wav_bytes(&[], sample_rate),
        Format::Pcm => Vec::new(),
    };
    loop {
        let message = tokio::select! {
            biased;
            () = cut.cancelled() => return Err(ApiError::ShuttingDown),
            message = rx.recv() => message,
        };
        match message {
            Some(Ok(phrase)) => file.extend(phrase.samples.iter().flat_map(|s| s.to_le_bytes())),
            Some(Err(Failed)) => return Err(ApiError::Internal("synthesis failed".into())),
            None => break,
        }
    }
    if request.format == Format::Wav {
        set_wav_sizes(&mut file)?;
    }
    Ok(Rendered {
        bytes: Bytes::from(file),
    })
}

/// Writes the real RIFF and data sizes into a 44-byte-header WAV file built in place.
///
/// # Errors
/// A header of another shape, or audio beyond the 4 GiB a WAV file can describe.
fn set_wav_sizes(file: &mut [u8]) -> Result<(), ApiError> {
    if file.len() < 44 || &file[36..40] != b"data" {
        return Err(ApiError::Internal("unexpected WAV header layout".into()));
    }
    let too_long = |_| ApiError::Internal("audio longer than a WAV file can hold".into());
    let riff = u32::try_from(file.len() - 8).map_err(too_long)?;
    let data = u32::try_from(file.len() - 44).map_err(too_long)?;
    file[4..8].copy_from_slice(&riff.to_le_bytes());
    file[40..44].copy_from_slice(&data.to_le_bytes());
    Ok(())
}

/// A 128-bit fingerprint of everything the audio depends on: this build (the engine), the
/// voice, the parameters, the format and the text. Stable across processes of one build, so
/// replicas behind a load balancer agree on `ETag`s.
pub fn fingerprint(request: &SpeechRequest) -> u128 {
    let half = |seed: u64| {
        // `DefaultHasher::new()` uses fixed keys: equal inputs hash equally in every process.
        let mut h = DefaultHasher::new();
        seed.hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        let info = &request.job.voice.info;
        (&info.id, &info.name, &info.language, &info.dialect).hash(&mut h);
        info.sample_rate.hash(&mut h);
        let p = request.job.params;
        (p.rate.to_bits(), p.pitch.to_bits(), p.volume.to_bits()).hash(&mut h);
        request.format.hash(&mut h);
        request.job.script.text().hash(&mut h);
        // The same text read as SSML or not, or with other pronunciations, is other audio.
        request.job.script.is_ssml().hash(&mut h);
        request.job.script.lexicon().hash_into(&mut h);
        h.finish()
    };
    (u128::from(half(0x6c6f61)) << 64) | u128::from(half(0x766f6963))
}

/// Whether `If-None-Match` names `etag` (or is `*`); weak tags compare by their value.
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

/// What a `Range` header asks of a resource of a known length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// No usable range: serve everything (also for several ranges or a malformed header,
    /// which a server may ignore).
    Full,
    /// Bytes `start..=end`.
    Bytes { start: u64, end: u64 },
    /// A well-formed range that lies outside the resource.
    Unsatisfiable,
}

/// Parses a single `bytes=` range against a resource of `len` bytes.
pub fn parse_range(header: &str, len: u64) -> Range {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Range::Full;
    };
    if spec.contains(',') {
        return Range::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    let number = |s: &str| s.parse::<u64>().ok();
    if first.is_empty() {
        // bytes=-N: the last N bytes.
        return match number(last) {
            None => Range::Full,
            Some(0) => Range::Unsatisfiable,
            Some(_) if len == 0 => Range::Unsatisfiable,
            Some(n) => Range::Bytes {
                start: len.saturating_sub(n),
                end: len - 1,
            },
        };
    }
    let Some(start) = number(first) else {
        return Range::Full;
    };
    let end = if last.is_empty() {
        None
    } else {
        match number(last) {
            Some(end) if end >= start => Some(end),
            _ => return Range::Full,
        }
    };
    if start >= len {
        return Range::Unsatisfiable;
    }
    Range::Bytes {
        start,
        end: end.map_or(len - 1, |e| e.min(len - 1)),
    }
}

/// A file name stem from the first words of the text, in ASCII (Vietnamese letters lose their
/// marks: "Hà Nội" → "ha-noi"), or the fingerprint when the text has no such words.
pub fn file_stem(text: &str, key: u128) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let folded: String = text
        .chars()
        .take(400)
        .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
        .collect::<String>()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            current.push(c.to_ascii_lowercase());
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut stem = String::from("loa");
    for word in words.iter().take(6) {
        if stem.len() + 1 + word.len() > 48 {
            break;
        }
        stem.push('-');
        stem.push_str(word);
    }
    if stem == "loa" {
        stem = format!("loa-{:08x}", (key >> 96) as u32);
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110() {
        let b = |start, end| Range::Bytes { start, end };
        assert_eq!(parse_range("bytes=0-9", 100), b(0, 9));
        assert_eq!(parse_range("bytes=90-200", 100), b(90, 99));
        assert_eq!(parse_range("bytes=10-", 100), b(10, 99));
        assert_eq!(parse_range("bytes=-10", 100), b(90, 99));
        assert_eq!(parse_range("bytes=-500", 100), b(0, 99));
        assert_eq!(parse_range("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-0", 0), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-2", 100), Range::Full);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Range::Full);
        assert_eq!(parse_range("items=0-1", 100), Range::Full);
        assert_eq!(parse_range("bytes=x-y", 100), Range::Full);
        assert_eq!(parse_range("bytes=-", 100), Range::Full);
    }

    #[test]
    fn a_wav_built_in_place_equals_one_written_whole() {
        let samples: Vec<i16> = (0..1000).map(|i| (i * 37 % 2000 - 1000) as i16).collect();
        let mut file = crate::audio::wav_bytes(&[], 16_000);
        file.extend(samples.iter().flat_map(|s| s.to_le_bytes()));
        set_wav_sizes(&mut file).unwrap();
        assert_eq!(file, crate::audio::wav_bytes(&samples, 16_000));
    }

    #[test]
    fn file_names_are_ascii_first_words() {
        assert_eq!(
            file_stem("Hà Nội mùa thu, đường phố rất đẹp và yên tĩnh.", 0),
            "loa-ha-noi-mua-thu-duong-pho"
        );
        assert_eq!(file_stem("!!!", 0xabcdef12 << 96), "loa-abcdef12");
    }

    proptest::proptest! {
        #[test]
        fn ranges_stay_inside_the_resource(h in "bytes=[0-9-]{0,12}", len in 0u64..1000) {
            if let Range::Bytes { start, end } = parse_range(&h, len) {
                proptest::prop_assert!(start <= end && end < len);
            }
        }

        #[test]
        fn file_stems_are_safe_header_values(text in ".{0,100}") {
            let stem = file_stem(&text, 1);
            proptest::prop_assert!(stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
            proptest::prop_assert!(stem.len() <= 48);
        }
    }
}
