//! `loa normalize`: stdin → the spoken form, one sentence per line (`--json`: the structure).

use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the front end's structure as JSON: sentences, spans, tokens, syllables.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    reading: super::Reading,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let input = super::read_stdin()?;
    let doc = args.reading.script(input)?.analyze();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for sentence in &doc.sentences {
        let words: Vec<&str> = sentence
            .phrases
            .iter()
            .flat_map(|p| p.tokens.iter())
            .flat_map(|t| t.spoken.iter().map(String::as_str))
            .collect();
        writeln!(out, "{}", words.join(" "))?;
    }
    Ok(ExitCode::SUCCESS)
}
