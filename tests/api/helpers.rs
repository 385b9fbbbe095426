//! `spawn_app()`: the real service on port 0, and what the tests need to talk to it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use loa::http::{AppState, Application, Settings};
use loa::voice::format::VoiceIdentity;
use loa::voice::synthetic;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Text the engine can speak, a few sentences long.
pub const SHORT_TEXT: &str =
    "Xin chào các bạn. Hôm nay trời đẹp, chúng ta đi chơi nhé. Tôi là Loa.";

/// A long article: `n` sentences, each its own phrase.
pub fn long_text(n: usize) -> String {
    "Hôm nay trời đẹp lắm. ".repeat(n)
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    pub server: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Starts the shutdown (as SIGTERM would).
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// The value of one unlabelled metric from `/metrics`.
    pub async fn metric(&self, name: &str) -> f64 {
        let text = self
            .client
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("metrics answer")
            .text()
            .await
            .expect("metrics body");
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("no metric `{name}` in\n{text}"))
            .trim()
            .parse()
            .expect("a number")
    }

    /// Waits until `/metrics` shows no synthesis running (a client that left frees its slot).
    pub async fn wait_idle(&self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            if self.metric("loa_active_streams").await == 0.0
                && self.state.slots_free() == self.state.settings().max_concurrent
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "synthesis still running after {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The project's own voices directory (the built-in voice).
pub fn built_in_voices() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("voices")
}

/// A voices directory holding the engine's synthetic test voice: real audio from the real
/// engine, whatever state the built voice is in, and it loads in milliseconds.
pub fn voices_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("api-voices");
        let voice = synthetic::voice();
        let info = &voice.info;
        synthetic::inventory(info.sample_rate)
            .write(
                &dir.join(&info.id),
                &VoiceIdentity {
                    id: info.id.clone(),
                    name: info.name.clone(),
                    language: info.language.clone(),
                    dialect: info.dialect.clone(),
                    reference_f0: synthetic::REFERENCE_F0,
                },
            )
            .expect("writing the synthetic voice");
        dir
    })
    .clone()
}

pub fn test_settings() -> Settings {
    Settings {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        voices_dir: voices_dir(),
        max_concurrent: 8,
        request_timeout: Duration::from_secs(20),
        cache_bytes: 64 * 1024 * 1024,
        shutdown_grace: Duration::from_secs(5),
        ..Settings::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = test_settings();
    configure(&mut settings);
    let app = Application::build(settings).await.expect("service builds");
    let addr = app.local_addr().expect("bound");
    let state = app.state();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        client: reqwest::Client::new(),
        state,
        shutdown: Some(tx),
        server: Some(server),
    }
}

/// Decodes a WAV file (whole, with real sizes) into its spec and samples.
pub fn decode_wav(bytes: &[u8]) -> (hound::WavSpec, Vec<i16>) {
    let reader = hound::WavReader::new(std::io::Cursor::new(bytes)).expect("a valid WAV file");
    let spec = reader.spec();
    let samples = reader
        .into_samples::<i16>()
        .collect::<Result<Vec<_>, _>>()
        .expect("samples decode");
    (spec, samples)
}

/// Decodes a streamed WAV (its header declares an unknown length): checks that it does, then
/// writes the real sizes in, as a client saving the stream would, and decodes it.
pub fn decode_streamed_wav(bytes: &[u8]) -> (hound::WavSpec, Vec<i16>) {
    assert!(bytes.len() >= 44, "shorter than a WAV header");
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WAVE");
    assert_eq!(&bytes[36..40], b"data", "a plain 44-byte PCM header");
    assert_eq!(
        &bytes[40..44],
        &[0xff; 4],
        "the data length is declared unknown"
    );
    let mut fixed = bytes.to_vec();
    let riff = u32::try_from(bytes.len() - 8).expect("small enough");
    let data = u32::try_from(bytes.len() - 44).expect("small enough");
    fixed[4..8].copy_from_slice(&riff.to_le_bytes());
    fixed[40..44].copy_from_slice(&data.to_le_bytes());
    decode_wav(&fixed)
}

/// Little-endian 16-bit PCM bytes → samples.
pub fn pcm_samples(bytes: &[u8]) -> Vec<i16> {
    assert_eq!(bytes.len() % 2, 0, "PCM of whole samples");
    bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// Checks the JSON error shape and returns the code.
pub async fn error_code(response: reqwest::Response) -> String {
    let ct = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ct.starts_with("application/json"), "content type `{ct}`");
    let body: serde_json::Value = response.json().await.expect("JSON error body");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(!message.is_empty(), "an error message in {body}");
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.code in {body}"))
        .to_string()
}

/// POSTs `body` as JSON to `path`.
pub async fn post_json(app: &TestApp, path: &str, body: serde_json::Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}
