//! `loa say`: text, a file or stdin → a WAV file or stdout.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

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
    #[command(flatten)]
    reading: super::Reading,
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
    let script = args.reading.script(text)?;
    let params = Params::new(args.rate, args.pitch, args.volume)?;
    let dir = args.voices.clone().unwrap_or_else(loa::voice::default_dir);
    let voices = VoiceSet::load_dir(&dir)?;
    let voice = voices
        .get(&args.voice)
        .with_context(|| format!("voice `{}` is not installed", args.voice))?;
    let sample_rate = voice.info.sample_rate;
    let doc = script.analyze();
    if let Err(e) = synth::check(&voice, &doc) {
        // Keep going: the rest of the text is still worth hearing; the gap is silence.
        eprintln!("warning: {e}; such syllables are spoken as silence");
    }
    let phrases = doc.phrases().count() as u64;
    let progress = progress_bar(phrases);
    let stream = synth::stream(voice, doc, params).inspect(|_| progress.inc(1));
    if args.out == "-" {
        // A pipe cannot be rewound to patch the RIFF sizes: header for an unknown length.
        let mut out = BufWriter::new(std::io::stdout().lock());
        out.write_all(&loa::audio::streaming_header(sample_rate))?;
        for phrase in stream {
            out.write_all(&loa::audio::pcm_bytes(&phrase.samples))?;
        }
        out.flush().context("writing stdout")?;
    } else {
        let mut wav = hound::WavWriter::create(&args.out, loa::audio::spec(sample_rate))
            .with_context(|| format!("creating {}", args.out))?;
        for phrase in stream {
            let mut w16 = wav.get_i16_writer(phrase.samples.len() as u32);
            for s in phrase.samples {
                w16.write_sample(s);
            }
            w16.flush()
                .with_context(|| format!("writing {}", args.out))?;
        }
        wav.finalize()
            .with_context(|| format!("writing {}", args.out))?;
    }
    progress.finish_and_clear();
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on stderr for long inputs, hidden when stderr is not a terminal.
fn progress_bar(phrases: u64) -> ProgressBar {
    if phrases < 50 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(phrases);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} phrases {eta}") {
        bar.set_style(style);
    }
    bar
}
