//! `loa segment`: stdin → the original sentences, one per line.

use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let input = super::read_stdin()?;
    let cleaned = loa::text::clean::clean(&input);
    let mut out = std::io::stdout().lock();
    for span in loa::text::sentences::split(&cleaned.text) {
        let original = cleaned.original_span(span);
        let sentence = input[original.start..original.end].replace(['\n', '\r'], " ");
        writeln!(out, "{sentence}")?;
    }
    Ok(ExitCode::SUCCESS)
}
