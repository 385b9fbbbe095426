//! `loa eval <what>`: score the front end against the shared evaluation data (`../shared`).
//! These are measurements, not tests: they read files the repository does not ship.

mod segmentation;

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Sentence-boundary precision, recall and F1 on eval/segmentation/*.jsonl.
    Segmentation(segmentation::Args),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Segmentation(args) => segmentation::run(args),
    }
}
