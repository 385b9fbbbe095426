//! Settings of the HTTP service: typed, with defaults; `loa serve` fills them from flags and
//! the environment, tests build them directly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything the service can be configured with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen; port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// The voices directory.
    pub voices_dir: PathBuf,
    /// Longest accepted text, in characters (Unicode scalar values).
    pub max_text_chars: usize,
    /// Syntheses allowed to run at once; more are refused with 503 rather than queued.
    pub max_concurrent: usize,
    /// Deadline for a response to start (a download to be rendered, a request body to be
    /// read), and for a streaming client to accept the next phrase.
    pub request_timeout: Duration,
    /// Byte budget of the cache of rendered downloads; 0 disables it.
    pub cache_bytes: usize,
    /// Origins allowed by CORS; `*` allows any; empty sends no CORS headers.
    pub cors_origins: Vec<String>,
    /// On shutdown, how long streams in flight may go on before they are cut.
    pub shutdown_grace: Duration,
    /// Phrases a synthesis may run ahead of its client (the bounded channel's capacity).
    pub phrase_buffer: usize,
    /// Seconds a refused client is told to wait (`Retry-After`).
    pub retry_after_secs: u32,
    /// The server-wide pronunciation lexicon (TSV), loaded at start.
    pub lexicon: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            voices_dir: crate::voice::default_dir(),
            max_text_chars: 200_000,
            max_concurrent: 256,
            request_timeout: Duration::from_secs(60),
            cache_bytes: 256 * 1024 * 1024,
            cors_origins: Vec::new(),
            shutdown_grace: Duration::from_secs(10),
            phrase_buffer: 4,
            retry_after_secs: 1,
            lexicon: None,
        }
    }
}

impl Settings {
    /// The largest request body worth reading: the text limit in the worst JSON encoding
    /// (`\uXXXX` escapes, six bytes a character) plus room for the other fields.
    pub fn max_body_bytes(&self) -> usize {
        self.max_text_chars
            .saturating_mul(6)
            .saturating_add(64 * 1024)
    }
}
