//! `loa say`: text, a file or stdin → a WAV file or stdout.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use loa::synth::{self, Params};
use loa::voice::VoiceSet;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The text to speak (else --file, else stdin).
    text: Option<String>,
    /// Read the text from this file.
    #[arg(short = 'f', long = "file")]
    file: Option<PathBuf>,
    /// Write the WAV here; `-` is stdout.
    #[arg(short = 'o', long = "out", default_value = "-")]
    out: String,
    /// Voice id, or `default`.
    #[arg(long, default_value = "default")]
    voice: String,
    /// Speaking rate, 0.5 to 4.
    #[arg(long, default_value_t = 1.0)]
    rate: f32,
    /// Pitch shift in semitones.
    #[arg(long, default_value_t = 0.0)]
    pitch: f32,
    /// Volume, 0 to 2.
    #[arg(long, default_value_t = 1.0)]
    volume: f32,
    /// The voices directory.
    #[arg(long, env = "LOA_VOICES")]
    voices: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = match (&args.text, &args.file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            String::from_utf8(bytes)
                .with_context(|| format!("{} is not valid UTF-8", path.display()))?
        }
        (None, None) => super::read_stdin()?,
    };
    let params = Params::new(args.rate, args.pitch, args.volume)?;
    let dir = args.voices.clone().unwrap_or_else(loa::voice::default_dir);
    let voices = VoiceSet::load_dir(&dir)?;
    let voice = voices
        .get(&args.voice)
        .with_context(|| format!("voice `{}` is not installed", args.voice))?;
    let sample_rate = voice.info.sample_rate;
    let doc = loa::text::analyze(&text);
    let samples: Vec<i16> = synth::stream(voice, doc, params)
        .flat_map(|p| p.samples)
        .collect();
    let wav = loa::audio::wav_bytes(&samples, sample_rate);
    if args.out == "-" {
        std::io::stdout().lock().write_all(&wav)?;
    } else {
        std::fs::write(&args.out, &wav).with_context(|| format!("writing {}", args.out))?;
    }
    Ok(ExitCode::SUCCESS)
}
