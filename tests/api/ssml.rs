//! SSML and lexicons over HTTP: 400 with where, `ssml` marks, breaks as measured silence,
//! prosody, the server lexicon and a request's override, cache keys.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use loa::http::{Application, Settings};
use serde_json::json;

use crate::helpers::*;

/// The decoded samples of a streamed `/v1/speech` answer to `body`.
async fn speech(app: &TestApp, body: serde_json::Value) -> (u32, Vec<i16>) {
    let response = post_json(app, "/v1/speech", body).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let (spec, samples) = decode_streamed_wav(&bytes);
    (spec.sample_rate, samples)
}

/// The longest run of exact silence, in milliseconds (pauses are written as zeros).
fn longest_silence_ms(samples: &[i16], sample_rate: u32) -> f64 {
    let mut best = 0usize;
    let mut run = 0usize;
    for &s in samples {
        run = if s == 0 { run + 1 } else { 0 };
        best = best.max(run);
    }
    best as f64 * 1000.0 / f64::from(sample_rate)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_ssml_is_a_400_that_says_where() {
    let app = spawn_app().await;
    let doc = "<speak>\n  <p>Xin chào <prosody rate=\"fastest\">các bạn</prosody></p>\n</speak>";
    for path in ["/v1/speech", "/v1/speech/marks", "/v1/normalize"] {
        let response = post_json(&app, path, json!({ "text": doc })).await;
        assert_eq!(response.status(), 400, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_ssml", "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("line 2, column 24") && message.contains("rate=\"fastest\""),
            "{message}"
        );
        assert_eq!(body["error"]["position"]["line"], 2, "{body}");
        assert_eq!(body["error"]["position"]["column"], 24, "{body}");
        assert_eq!(
            body["error"]["position"]["offset"],
            doc.find("rate=").unwrap(),
            "{body}"
        );
    }
    // OpenAI's shape and a GET with the text in the query string too.
    let response = post_json(
        &app,
        "/v1/audio/speech",
        json!({ "model": "tts-1", "input": "<speak>Xin chào", "voice": "alloy" }),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(response).await, "invalid_ssml");
    let response = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", "<speak><break time=\"1h\"/></speak>")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(response).await, "invalid_ssml");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_documents_are_refused_quickly() {
    let app = spawn_app().await;
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><speak>&lol2;</speak>";
    let nested = format!(
        "<speak>{}x{}</speak>",
        "<prosody>".repeat(10_000),
        "</prosody>".repeat(10_000)
    );
    for doc in [laughs.to_string(), nested] {
        let started = Instant::now();
        let response = post_json(&app, "/v1/speech", json!({ "text": doc })).await;
        assert_eq!(response.status(), 400);
        assert_eq!(error_code(response).await, "invalid_ssml");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
    // Text that merely mentions tags is plain text when the client says so.
    let plain = post_json(
        &app,
        "/v1/normalize",
        json!({ "text": "<speak> là thẻ mở.", "ssml": false }),
    )
    .await;
    assert_eq!(plain.status(), 200);
    let bad_flag = post_json(&app, "/v1/speech", json!({ "text": "x", "ssml": "maybe" })).await;
    assert_eq!(bad_flag.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssml_marks_are_reported_at_their_place_in_time() {
    let app = spawn_app().await;
    let doc = "<speak><s>Xin chào <mark name=\"giữa\"/>các bạn.</s><s><mark name=\"hai\"/>Tôi là <sub alias=\"lo a\">Loa</sub>.</s></speak>";
    let response = post_json(&app, "/v1/speech/marks", json!({ "text": doc })).await;
    assert_eq!(response.status(), 200);
    let marks: Vec<serde_json::Value> = response.json().await.unwrap();
    let (rate, samples) = speech(&app, json!({ "text": doc })).await;
    let duration = samples.len() as u64 * 1000 / u64::from(rate);
    let find = |kind: &str, value: &str| {
        marks
            .iter()
            .position(|m| m["type"] == kind && m["value"] == value)
            .unwrap_or_else(|| panic!("no {kind} mark {value} in {marks:?}"))
    };
    let time = |i: usize| marks[i]["time"].as_u64().unwrap();
    let (chao, giua, cac) = (
        find("word", "chào"),
        find("ssml", "giữa"),
        find("word", "các"),
    );
    assert!(chao < giua && giua < cac, "{marks:?}");
    assert!(
        time(chao) < time(giua) && time(giua) <= time(cac),
        "{marks:?}"
    );
    // The second sentence's mark is where that sentence starts, after the pause (at its first
    // word, or before it by the sentence's onset).
    let (ban, second, hai) = (
        find("word", "bạn"),
        find("sentence", "Tôi là <sub alias=\"lo a\">Loa</sub>."),
        find("ssml", "hai"),
    );
    let toi = find("word", "Tôi");
    assert!(time(hai) > time(ban) + 100, "{marks:?}");
    assert!(
        time(second) <= time(hai) && time(hai) <= time(toi),
        "{marks:?}"
    );
    for i in [giua, hai] {
        let (start, end) = (
            marks[i]["start"].as_u64().unwrap() as usize,
            marks[i]["end"].as_u64().unwrap() as usize,
        );
        assert!(
            doc[start..end].starts_with("<mark name="),
            "{}",
            &doc[start..end]
        );
    }
    // A <sub> is one word mark spanning the element.
    let loa = marks
        .iter()
        .find(|m| m["value"] == "<sub alias=\"lo a\">Loa</sub>")
        .expect("the sub element as a word");
    assert_eq!(loa["type"], "word");
    let mut last = 0;
    for m in &marks {
        let t = m["time"].as_u64().unwrap();
        assert!(t >= last && t <= duration, "{m} (audio {duration} ms)");
        last = t;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_break_is_silence_of_the_requested_length() {
    let app = spawn_app().await;
    for ms in [700.0, 1500.0] {
        let doc = format!("<speak>Xin chào<break time=\"{ms}ms\"/>các bạn.</speak>");
        let (rate, samples) = speech(&app, json!({ "text": doc, "rate": 2.0 })).await;
        let silence = longest_silence_ms(&samples, rate);
        // Exactly the break, plus at most a few milliseconds of the units' own silence.
        assert!(
            silence >= ms && silence < ms + 40.0,
            "break {ms} ms: longest silence {silence} ms"
        );
    }
    let (rate, plain) = speech(&app, json!({ "text": "<speak>Xin chào các bạn.</speak>" })).await;
    assert!(longest_silence_ms(&plain, rate) < 500.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prosody_rate_makes_the_audio_shorter_and_volume_quieter() {
    let app = spawn_app().await;
    let text = "Hôm nay trời đẹp lắm, chúng ta đi chơi nhé";
    let (_, normal) = speech(&app, json!({ "text": format!("<speak>{text}</speak>") })).await;
    let (_, fast) = speech(
        &app,
        json!({ "text": format!("<speak><prosody rate=\"x-fast\">{text}</prosody></speak>") }),
    )
    .await;
    let ratio = fast.len() as f64 / normal.len() as f64;
    assert!(ratio < 0.7, "x-fast is {ratio:.2} of the normal length");
    let peak = |s: &[i16]| s.iter().map(|x| i32::from(*x).abs()).max().unwrap_or(0);
    let (_, soft) = speech(
        &app,
        json!({ "text": format!("<speak><prosody volume=\"-12dB\">{text}</prosody></speak>") }),
    )
    .await;
    assert_eq!(soft.len(), normal.len());
    let gain = f64::from(peak(&soft)) / f64::from(peak(&normal));
    assert!(
        (0.2..0.3).contains(&gain),
        "-12 dB gave a peak ratio of {gain:.3}"
    );
}

fn lexicon_file(name: &str, tsv: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, tsv).unwrap();
    path
}

/// The spoken words `/v1/normalize` gives for `body`.
async fn spoken(app: &TestApp, body: serde_json::Value) -> String {
    let response = post_json(app, "/v1/normalize", body).await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    let mut words = Vec::new();
    for s in doc["sentences"].as_array().unwrap() {
        for p in s["phrases"].as_array().unwrap() {
            for t in p["tokens"].as_array().unwrap() {
                for w in t["spoken"].as_array().unwrap() {
                    words.push(w.as_str().unwrap().to_string());
                }
            }
        }
    }
    words.join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_lexicon_applies_and_a_request_overrides_it() {
    let path = lexicon_file(
        "server-lexicon.tsv",
        "# test\nVinFast\tvin phát\nHAGL\thoàng anh gia lai\tcase\n",
    );
    let app = spawn_app_with(|s| s.lexicon = Some(path)).await;
    let text = "Xe VinFast của HAGL và hagl.";
    let said = spoken(&app, json!({ "text": text })).await;
    // `HAGL` is case-sensitive: `hagl` is left to the normalizer.
    let (head, tail) = said.split_at("xe vin phát của hoàng anh gia lai và ".len());
    assert_eq!(head, "xe vin phát của hoàng anh gia lai và ", "{said}");
    assert!(!tail.is_empty() && !tail.contains("hoàng"), "{said}");
    assert_eq!(
        spoken(
            &app,
            json!({ "text": text, "lexicon": { "VinFast": "vin pha", "hagl": "ha gờ" } })
        )
        .await,
        "xe vin pha của ha gờ và ha gờ"
    );
    // The override changes the audio too, and the marks still point at the text.
    let (_, with) = speech(
        &app,
        json!({ "text": "Xe VinFast.", "lexicon": { "VinFast": "vin phát vin phát" } }),
    )
    .await;
    let (_, without) = speech(&app, json!({ "text": "Xe VinFast." })).await;
    assert!(
        with.len() > without.len() + 3000,
        "{} vs {}",
        with.len(),
        without.len()
    );
    let marks: Vec<serde_json::Value> = post_json(
        &app,
        "/v1/speech/marks",
        json!({ "text": "Xe VinFast.", "lexicon": { "VinFast": "vin pha" } }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(
        marks
            .iter()
            .any(|m| m["type"] == "word" && m["value"] == "VinFast"),
        "{marks:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_request_lexicons_are_422_naming_the_entry() {
    let app = spawn_app().await;
    for (lexicon, expected) in [
        (
            json!({ "Google": "google" }),
            "lexicon entry \"Google\": `google` in the spoken form is not a Vietnamese syllable",
        ),
        (json!({ "": "a" }), "the written form is empty"),
        (json!({ "x": 5 }), ""),
    ] {
        let response = post_json(
            &app,
            "/v1/speech",
            json!({ "text": "Xin chào", "lexicon": lexicon }),
        )
        .await;
        assert_eq!(response.status(), 422, "{lexicon}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(expected),
            "{body}"
        );
    }
    let many: serde_json::Map<String, serde_json::Value> =
        (0..101).map(|i| (format!("x{i}"), json!("ích"))).collect();
    let response = post_json(
        &app,
        "/v1/speech",
        json!({ "text": "Xin chào", "lexicon": many }),
    )
    .await;
    assert_eq!(response.status(), 422);
    assert_eq!(error_code(response).await, "invalid_lexicon");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_lexicon_file_stops_the_service_from_starting() {
    let path = lexicon_file("bad-lexicon.tsv", "VinFast\tvin phát\nGoogle google\n");
    let settings = Settings {
        lexicon: Some(path.clone()),
        ..test_settings()
    };
    let e = Application::build(settings).await.expect_err("refused");
    let message = e.to_string();
    assert!(
        message.contains(&format!("{}:2", path.display())) && message.contains("tab"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_of_other_readings_have_other_etags() {
    let app = spawn_app().await;
    let etag = |body: serde_json::Value| {
        let app = &app;
        async move {
            let r = post_json(app, "/v1/speech?download=1", body).await;
            assert_eq!(r.status(), 200);
            r.headers()["etag"].to_str().unwrap().to_string()
        }
    };
    let doc = "<speak>Xe VinFast.</speak>";
    let as_ssml = etag(json!({ "text": doc })).await;
    let as_text = etag(json!({ "text": doc, "ssml": false })).await;
    let with_lexicon = etag(json!({ "text": doc, "lexicon": { "VinFast": "vin phát" } })).await;
    assert_ne!(as_ssml, as_text);
    assert_ne!(as_ssml, with_lexicon);
    assert_eq!(as_ssml, etag(json!({ "text": doc, "ssml": true })).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_text_audio_is_the_engines_audio_unchanged() {
    // The request path (script, lazy sentences, neutral prosody) gives byte for byte what the
    // engine gives for the front end's plain analysis.
    let app = spawn_app().await;
    let text = "Ngày 26/10/2020, UBND TP.HCM chi 5,2 tỷ đồng.\nXin chào các bạn!";
    let params = loa::synth::Params::new(1.5, 2.0, 0.8).unwrap();
    let (_, samples) = speech(
        &app,
        json!({ "text": text, "rate": 1.5, "pitch": 2.0, "volume": 0.8 }),
    )
    .await;
    let voice = app.state.voices().get("default").unwrap();
    let expected: Vec<i16> = loa::synth::stream(voice, loa::text::analyze(text), params)
        .flat_map(|p| p.samples)
        .collect();
    assert_eq!(samples, expected);
}
