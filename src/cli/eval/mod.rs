//! `loa eval <what>`: score the front end against the shared evaluation data (`../shared`).
//! These are measurements, not tests: they read files the repository does not ship.

mod coverage;
mod normalization;
mod segmentation;
mod syllables;

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
    /// Normalization exact-match accuracy on eval/normalization/cases.tsv.
    Normalization(normalization::Args),
    /// How many attested syllables (eval/syllables/*.txt) the syllable parser accepts.
    Syllables(syllables::Args),
    /// Tokens without speech and unsayable syllables over the seed article and eval/news/.
    Coverage(coverage::Args),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Segmentation(args) => segmentation::run(args),
        What::Normalization(args) => normalization::run(args),
        What::Coverage(args) => coverage::run(args),
        What::Syllables(args) => syllables::run(args),
    }
}
