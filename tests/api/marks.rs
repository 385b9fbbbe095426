//! Speech marks: sentences and words, in time order, pointing back into the text as sent.

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marks_point_into_the_text_in_time_order_within_the_audio() {
    let app = spawn_app().await;
    let body = serde_json::json!({ "text": SHORT_TEXT, "rate": 1.25 });
    let response = app
        .client
        .post(app.url("/v1/speech/marks"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let marks: Vec<serde_json::Value> = response.json().await.unwrap();
    let audio = app
        .client
        .post(app.url("/v1/speech"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let (spec, samples) = decode_streamed_wav(&audio);
    let duration_ms = samples.len() as u64 * 1000 / u64::from(spec.sample_rate);

    let sentences = marks.iter().filter(|m| m["type"] == "sentence").count();
    let words = marks.iter().filter(|m| m["type"] == "word").count();
    assert_eq!(sentences, 3, "{marks:?}");
    assert!(words >= 10, "{marks:?}");
    assert_eq!(marks[0]["type"], "sentence");
    // Heard from its first word, after the short silence before each sentence.
    let onset = (loa::synth::prosody::SENTENCE_ONSET * 1000.0).round() as u64;
    assert_eq!(marks[0]["time"], onset);
    let mut last = 0;
    for m in &marks {
        let time = m["time"].as_u64().unwrap();
        assert!(
            time >= last && time <= duration_ms,
            "{m} (audio {duration_ms} ms)"
        );
        last = time;
        let (start, end) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(m["value"].as_str().unwrap(), &SHORT_TEXT[start..end]);
    }
    assert!(marks.iter().any(|m| m["value"] == "Loa"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marks_refuse_what_speech_refuses() {
    let app = spawn_app().await;
    let empty = app
        .client
        .post(app.url("/v1/speech/marks"))
        .json(&serde_json::json!({ "text": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    assert_eq!(error_code(empty).await, "empty_text");
    let voice = app
        .client
        .post(app.url("/v1/speech/marks?voice=../../etc/passwd"))
        .header("content-type", "text/plain")
        .body("Xin chào.")
        .send()
        .await
        .unwrap();
    assert_eq!(voice.status(), 404);
}
