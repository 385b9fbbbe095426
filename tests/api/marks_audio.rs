//! Speech marks against the audio they describe, with the built-in voice: cutting the audio at
//! a word's mark must cut at a pause or a syllable boundary, never in the middle of a vowel,
//! and the marks must come from the same synthesis as the audio the same request returns.

use crate::helpers::*;

/// Words with every kind of onset: stops, nasals, fricatives, l, the glottal stop of
/// vowel-initial words (after open syllables too: "đi ăn", "và ông"), and all six tones.
const TEXT: &str = "Sáng nay, bà Lan đi ăn phở và ông Minh uống cà phê. \
    Em ấy hỏi: anh có khỏe không? Người dân Hà Nội vẫn nhớ mãi những ngày ấy.";

/// Root-mean-square level of `samples[from..from + len]` (zero outside the audio).
fn rms(samples: &[i16], from: isize, len: usize) -> f64 {
    let sum: f64 = (0..len as isize)
        .filter_map(|i| samples.get(usize::try_from(from + i).ok()?))
        .map(|&s| f64::from(s).powi(2))
        .sum();
    (sum / len as f64).sqrt()
}

async fn marks_and_audio(
    app: &TestApp,
    body: &serde_json::Value,
) -> (Vec<serde_json::Value>, u32, Vec<i16>) {
    let marks: Vec<serde_json::Value> = post_json(app, "/v1/speech/marks", body.clone())
        .await
        .json()
        .await
        .unwrap();
    let mut download = body.clone();
    download["download"] = serde_json::json!(true);
    let response = post_json(app, "/v1/speech", download).await;
    assert_eq!(response.status(), 200);
    let (spec, samples) = decode_wav(&response.bytes().await.unwrap());
    (marks, spec.sample_rate, samples)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_word_mark_cuts_at_a_pause_or_a_syllable_boundary() {
    let app = spawn_app_with(|s| s.voices_dir = built_in_voices()).await;
    for rate in [1.0, 2.5] {
        let body = serde_json::json!({ "text": TEXT, "rate": rate });
        let (marks, sample_rate, samples) = marks_and_audio(&app, &body).await;
        let ms = |t: u64| (t * u64::from(sample_rate) / 1000) as isize;
        let frame = (sample_rate / 200) as usize; // 5 ms
        let words: Vec<_> = marks.iter().filter(|m| m["type"] == "word").collect();
        assert_eq!(words.len(), TEXT.split_whitespace().count(), "{marks:?}");
        for mark in words {
            let cut = ms(mark["time"].as_u64().unwrap());
            // The quietest 5 ms near the cut (±15 ms: the marks are in whole milliseconds and
            // a syllable's onset starts with its closure or its murmur)…
            let dip = (-3..=3)
                .map(|k| {
                    rms(
                        &samples,
                        cut + k * frame as isize - frame as isize / 2,
                        frame,
                    )
                })
                .fold(f64::INFINITY, f64::min);
            // …against the loudest 5 ms of the vowels around it.
            let vowels = (-40..=40)
                .map(|k| rms(&samples, cut + k * frame as isize / 2, frame))
                .fold(0.0, f64::max);
            assert!(vowels > 300.0, "no speech around {mark} at rate {rate}");
            assert!(
                dip < 0.5 * vowels,
                "the cut at {mark} (rate {rate}) is inside steady sound: quietest {dip:.0}, \
                 loudest {vowels:.0}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marks_time_the_audio_of_the_same_request() {
    let app = spawn_app_with(|s| s.voices_dir = built_in_voices()).await;
    let body = serde_json::json!({ "text": TEXT, "rate": 1.5, "pitch": 2.0 });
    let (marks, sample_rate, samples) = marks_and_audio(&app, &body).await;
    let duration_ms = samples.len() as u64 * 1000 / u64::from(sample_rate);
    let sentences: Vec<u64> = marks
        .iter()
        .filter(|m| m["type"] == "sentence")
        .map(|m| m["time"].as_u64().unwrap())
        .collect();
    assert_eq!(sentences.len(), 3, "{marks:?}");
    // The second sentence starts right after the first one's pause: the 100 ms before its
    // mark are silent in the audio, and the 100 ms after it are not.
    let second = (sentences[1] * u64::from(sample_rate) / 1000) as isize;
    let tenth = (sample_rate / 10) as usize;
    assert!(rms(&samples, second - tenth as isize - 16, tenth) < 1.0);
    assert!(rms(&samples, second, tenth) > 300.0);
    // The last word ends before the audio does, by about the closing pause.
    let last = marks.last().unwrap()["time"].as_u64().unwrap();
    assert!(
        last < duration_ms && duration_ms - last < 2_000,
        "{last} of {duration_ms} ms"
    );
}
