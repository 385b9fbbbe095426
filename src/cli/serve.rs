//! `loa serve`: the HTTP service. Flags and environment → settings → telemetry → run.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use loa::http::{Application, Settings};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (HOST:PORT; a host name is resolved).
    #[arg(long, env = "LOA_ADDR", default_value = "127.0.0.1:8080", value_parser = resolve)]
    addr: SocketAddr,
    /// The voices directory (default: the built-in voices).
    #[arg(long, env = "LOA_VOICES")]
    voices: Option<PathBuf>,
    /// Longest accepted text, in characters.
    #[arg(long, env = "LOA_MAX_TEXT_CHARS", default_value_t = 200_000)]
    max_text_chars: usize,
    /// Syntheses running at once; further requests get 503 with Retry-After.
    #[arg(long, env = "LOA_MAX_CONCURRENT", default_value_t = 256)]
    max_concurrent: usize,
    /// Seconds for a response to start, and for a streaming client to take the next phrase.
    #[arg(long, env = "LOA_REQUEST_TIMEOUT", default_value_t = 60)]
    request_timeout: u64,
    /// Byte budget of the download cache (0 disables it).
    #[arg(long, env = "LOA_CACHE_BYTES", default_value_t = 256 * 1024 * 1024)]
    cache_bytes: usize,
    /// Origins allowed by CORS, comma-separated; `*` for any; none by default.
    #[arg(long, env = "LOA_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,
    /// Seconds streams may go on after SIGTERM before they are cut.
    #[arg(long, env = "LOA_SHUTDOWN_GRACE", default_value_t = 10)]
    shutdown_grace: u64,
    /// A server-wide pronunciation lexicon (TSV: written<TAB>spoken[<TAB>case]), loaded at
    /// start; the service does not start if it has an error.
    #[arg(long, env = "LOA_LEXICON")]
    lexicon: Option<PathBuf>,
    /// Log format.
    #[arg(long, env = "LOA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `HOST:PORT` → the first address it resolves to.
pub fn resolve(addr: &str) -> Result<SocketAddr, String> {
    use std::net::ToSocketAddrs;
    addr.to_socket_addrs()
        .map_err(|e| format!("`{addr}`: {e}"))?
        .next()
        .ok_or_else(|| format!("`{addr}` resolves to no address"))
}

impl Args {
    fn settings(&self) -> Settings {
        let defaults = Settings::default();
        Settings {
            addr: self.addr,
            voices_dir: self.voices.clone().unwrap_or(defaults.voices_dir),
            max_text_chars: self.max_text_chars,
            max_concurrent: self.max_concurrent.max(1),
            request_timeout: Duration::from_secs(self.request_timeout.max(1)),
            cache_bytes: self.cache_bytes,
            cors_origins: self
                .cors_origins
                .iter()
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect(),
            shutdown_grace: Duration::from_secs(self.shutdown_grace),
            lexicon: self.lexicon.clone(),
            ..defaults
        }
    }
}

/// Logs go to stderr; `RUST_LOG` filters them (default: `info`).
fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    init_tracing(args.log_format);
    let settings = args.settings();
    // Synthesis threads wait on their clients most of the time (back-pressure), so the
    // blocking pool must hold one per slot besides the front end's and the encoder's.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(settings.max_concurrent.saturating_mul(2).max(16))
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let app = Application::build(settings).await?;
        app.run_until_stopped(loa::http::shutdown::signal()).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
