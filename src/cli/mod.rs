//! Subcommands of the `loa` binary, one file each.

mod eval;
mod healthcheck;
mod normalize;
mod say;
mod segment;
mod serve;
mod voice;

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "loa", version, about = "Loa: Vietnamese text-to-speech")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service.
    Serve(serve::Args),
    /// Synthesize text to a WAV file.
    Say(say::Args),
    /// Print the spoken form of stdin, one sentence per line.
    Normalize(normalize::Args),
    /// Print the sentences of stdin, one per line.
    Segment(segment::Args),
    /// Score the front end against the shared evaluation data.
    Eval(eval::Args),
    /// Build the voice or speak with its model.
    #[command(subcommand)]
    Voice(voice::Command),
    /// Check that a running service answers (exit 0 when healthy).
    Healthcheck(healthcheck::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Say(args) => say::run(args),
        Command::Normalize(args) => normalize::run(args),
        Command::Segment(args) => segment::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Voice(cmd) => voice::run(cmd),
        Command::Healthcheck(args) => healthcheck::run(args),
    }
}

/// How `loa say` and `loa normalize` read their text: SSML or not, and a lexicon.
#[derive(Debug, clap::Args)]
pub struct Reading {
    /// Read the text as SSML (without this flag: when it starts with `<speak`).
    #[arg(long)]
    ssml: bool,
    /// A pronunciation lexicon (TSV: written<TAB>spoken[<TAB>case]).
    #[arg(long, env = "LOA_LEXICON")]
    lexicon: Option<std::path::PathBuf>,
}

impl Reading {
    /// `text` as a script to read.
    ///
    /// # Errors
    /// A lexicon that does not load, or SSML that does not parse (saying where).
    pub fn script(&self, text: String) -> anyhow::Result<loa::text::script::Script> {
        use loa::text::lexicon::{Lexicon, Pronunciations};
        let lexicon = match &self.lexicon {
            Some(path) => Some(std::sync::Arc::new(Lexicon::load(path)?)),
            None => None,
        };
        let ssml = self.ssml.then_some(true);
        Ok(loa::text::script::Script::new(
            text,
            ssml,
            Pronunciations::new(None, lexicon),
        )?)
    }
}

/// Reads all of stdin as UTF-8.
///
/// # Errors
/// Unreadable stdin or invalid UTF-8, with the offset of the first bad byte.
pub fn read_stdin() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("reading stdin")?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "stdin is not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
