//! Streaming: the audio is a valid WAV, equals the download, starts before the synthesis ends,
//! and a client that leaves frees its slot.

use std::time::{Duration, Instant};

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_wav_decodes_and_equals_the_download() {
    let app = spawn_app().await;
    let streamed = app
        .client
        .post(app.url("/v1/speech"))
        .json(&serde_json::json!({ "text": SHORT_TEXT, "rate": 1.25 }))
        .send()
        .await
        .unwrap();
    assert_eq!(streamed.status(), 200);
    assert_eq!(streamed.headers()["content-type"], "audio/wav");
    assert!(streamed.headers().get("content-length").is_none());
    let (spec, stream_samples) = decode_streamed_wav(&streamed.bytes().await.unwrap());

    let downloaded = app
        .client
        .post(app.url("/v1/speech?download=1"))
        .json(&serde_json::json!({ "text": SHORT_TEXT, "rate": 1.25 }))
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), 200);
    let (dspec, download_samples) = decode_wav(&downloaded.bytes().await.unwrap());

    let voice_rate = app.state.voices().get("default").unwrap().info.sample_rate;
    assert_eq!(spec.sample_rate, voice_rate);
    assert_eq!((spec.channels, spec.bits_per_sample), (1, 16));
    assert_eq!(spec, dspec);
    assert!(!stream_samples.is_empty(), "some audio");
    assert!(
        stream_samples.iter().any(|&s| s.unsigned_abs() > 1000),
        "speech, not silence"
    );
    assert_eq!(stream_samples, download_samples);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_text_plain_and_json_requests_give_the_same_audio() {
    let app = spawn_app().await;
    let text = "Tôi là Loa, tôi đọc báo.";
    let get = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", text), ("voice", "default")])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    let get = get.bytes().await.unwrap();
    let plain = app
        .client
        .post(app.url("/v1/speech?voice=default"))
        .header("content-type", "text/plain; charset=utf-8")
        .body(text)
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.bytes().await.unwrap(), get);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pcm_is_the_wav_without_its_header() {
    let app = spawn_app().await;
    let pcm = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", SHORT_TEXT), ("format", "pcm")])
        .send()
        .await
        .unwrap();
    assert_eq!(pcm.status(), 200);
    let ct = pcm.headers()["content-type"].to_str().unwrap().to_string();
    let rate = app.state.voices().get("default").unwrap().info.sample_rate;
    assert!(ct.starts_with(&format!("audio/L16;rate={rate}")), "{ct}");
    let pcm = pcm_samples(&pcm.bytes().await.unwrap());
    let wav = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", SHORT_TEXT)])
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(pcm, decode_streamed_wav(&wav).1);
}

/// The first bytes leave while most of the article is still unsynthesized: after the first
/// chunk, the client stops reading, and the synthesis (held back by the bounded channel) is
/// still running and has produced only part of the audio. Then the client leaves, and its
/// synthesis stops and gives its slot back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_bytes_arrive_before_the_synthesis_ends_and_leaving_frees_the_slot() {
    let app = spawn_app().await;
    let sentences = 3000;
    let started = Instant::now();
    let mut response = app
        .client
        .post(app.url("/v1/speech"))
        .header("content-type", "text/plain")
        .body(long_text(sentences))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let first = response.chunk().await.unwrap().expect("a first chunk");
    let first_after = started.elapsed();
    assert!(first.len() > 44, "the header and a first phrase");
    assert_eq!(&first[0..4], b"RIFF");

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.metric("loa_active_streams").await,
        1.0,
        "synthesis still running"
    );
    assert_eq!(
        app.state.slots_free(),
        app.state.settings().max_concurrent - 1
    );

    drop(response);
    app.wait_idle(Duration::from_secs(10)).await;
    // The synthesis stopped early: far less audio than the article holds was made.
    let made = app.metric("loa_audio_seconds_total").await;
    let article = sentences as f64 * 0.4; // at least a sentence pause each
    assert!(
        made < article / 2.0,
        "made {made} s of a ≥{article} s article"
    );
    eprintln!("first chunk after {first_after:?}");
}
