//! The OpenAI-compatible route: same audio as `/v1/speech`, OpenAI voice names → default.

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_requests_get_the_default_voice_and_the_same_audio() {
    let app = spawn_app().await;
    let ours = app
        .client
        .get(app.url("/v1/speech"))
        .query(&[("text", SHORT_TEXT), ("rate", "1.5")])
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    for voice in ["alloy", "nova", "Shimmer", "default"] {
        let response = app
            .client
            .post(app.url("/v1/audio/speech"))
            .json(&serde_json::json!({
                "model": "tts-1", "input": SHORT_TEXT, "voice": voice, "speed": 1.5,
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "voice {voice}");
        assert_eq!(response.headers()["content-type"], "audio/wav");
        assert_eq!(response.bytes().await.unwrap(), ours, "voice {voice}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_pcm_is_raw_samples_and_installed_voices_are_used_by_id() {
    let app = spawn_app().await;
    let id = app.state.voices().default_id().to_string();
    let response = app
        .client
        .post(app.url("/v1/audio/speech"))
        .json(&serde_json::json!({
            "model": "tts-1-hd", "input": SHORT_TEXT, "voice": id, "response_format": "pcm",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("audio/L16"));
    let pcm = pcm_samples(&response.bytes().await.unwrap());
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
