//! `loa voice`: build a voice's unit inventory from its parameter files, or speak text
//! directly with the voice model (whole syllables, no units) for tuning.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use loa::text::Syllable;
use loa::voice::builder::{self, Spoken, VoiceParams};
use loa::voice::format::VoiceIdentity;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build every unit of a voice and write its inventory.
    Build(BuildArgs),
    /// Speak Vietnamese words with the voice model directly (one WAV per text).
    Speak(SpeakArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The voice directory (holding `build/`); the inventory is written there.
    #[arg(long, default_value = "voices/northern")]
    voice: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct SpeakArgs {
    /// The text: Vietnamese words with , . ; : ! ? as pauses.
    text: Option<String>,
    /// Write the WAV here.
    #[arg(short = 'o', long = "out", default_value = "speak.wav")]
    out: PathBuf,
    /// Speak each line `ID<TAB>TEXT` of this file into `<out>/<ID>.wav` instead.
    #[arg(long)]
    tsv: Option<PathBuf>,
    /// The voice directory (holding `build/`).
    #[arg(long, default_value = "voices/northern")]
    voice: PathBuf,
    /// Noise seed (aspiration, frication, jitter).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Build(args) => build(args),
        Command::Speak(args) => speak(args),
    }
}

fn load(voice: &Path) -> anyhow::Result<VoiceParams> {
    Ok(VoiceParams::load(&voice.join("build"))?)
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let params = load(&args.voice)?;
    let bar = indicatif::ProgressBar::new(builder::unit_keys().len() as u64);
    let started = std::time::Instant::now();
    let inventory = builder::build_inventory(&params, |done, _| bar.set_position(done as u64));
    bar.finish_and_clear();
    let samples: usize = inventory.units.iter().map(|u| u.samples.len()).sum();
    let identity = VoiceIdentity {
        id: params.global.id.clone(),
        name: params.global.name.clone(),
        language: "vi".into(),
        dialect: params.global.dialect.clone(),
        reference_f0: params.global.reference_f0 as f32,
    };
    let manifest = inventory
        .write(&args.voice, &identity)
        .with_context(|| format!("writing the voice into {}", args.voice.display()))?;
    eprintln!(
        "built {} units, {:.1} s of audio, in {:.1} s; {} {}",
        inventory.units.len(),
        samples as f64 / inventory.sample_rate as f64,
        started.elapsed().as_secs_f64(),
        args.voice.join(&manifest.units).display(),
        manifest.checksum
    );
    Ok(ExitCode::SUCCESS)
}

/// Words and pauses of a text: letters make words, `,;:` a short pause, `.!?` a long one.
fn items(text: &str) -> anyhow::Result<Vec<Spoken>> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Spoken>| -> anyhow::Result<()> {
        if !word.is_empty() {
            let s: Syllable = word
                .to_lowercase()
                .parse()
                .with_context(|| format!("speaking `{word}`"))?;
            out.push(Spoken::Syllable(s));
            word.clear();
        }
        Ok(())
    };
    for ch in text.chars() {
        if ch.is_alphabetic() {
            word.push(ch);
            continue;
        }
        flush(&mut word, &mut out)?;
        match ch {
            ',' | ';' | ':' => out.push(Spoken::Pause(false)),
            '.' | '!' | '?' => out.push(Spoken::Pause(true)),
            _ => {}
        }
    }
    flush(&mut word, &mut out)?;
    if !matches!(out.last(), Some(Spoken::Pause(_))) {
        out.push(Spoken::Pause(true));
    }
    Ok(out)
}

fn write_wav(path: &Path, rate: u32, samples: &[i16]) -> anyhow::Result<()> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec)
        .with_context(|| format!("creating {}", path.display()))?;
    for &s in samples {
        w.write_sample(s)?;
    }
    w.finalize()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn speak(args: SpeakArgs) -> anyhow::Result<ExitCode> {
    let params = load(&args.voice)?;
    let rate = params.global.sample_rate;
    if let Some(tsv) = &args.tsv {
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("creating {}", args.out.display()))?;
        let text =
            std::fs::read_to_string(tsv).with_context(|| format!("reading {}", tsv.display()))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (id, words) = line
                .split_once('\t')
                .with_context(|| format!("{}: a line without a tab", tsv.display()))?;
            let samples = builder::speak(&params, &items(words)?, args.seed);
            write_wav(&args.out.join(format!("{id}.wav")), rate, &samples)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = match args.text {
        Some(t) => t,
        None => super::read_stdin()?,
    };
    let samples = builder::speak(&params, &items(&text)?, args.seed);
    write_wav(&args.out, rate, &samples)?;
    Ok(ExitCode::SUCCESS)
}
