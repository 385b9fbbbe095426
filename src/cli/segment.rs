//! `loa segment`: stdin → the original sentences, one per line.
//!
//! The sentences are found on the cleaned text ([`loa::text::clean`], then
//! [`loa::text::sentences`]) and printed as the user wrote them; a line break inside a
//! sentence (a hard-wrapped line) becomes a space.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print an empty line after each paragraph (headline, caption, list item, …).
    #[arg(long)]
    paragraphs: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let input = super::read_stdin()?;
    match write_sentences(&input, args.paragraphs) {
        // A closed pipe (`loa segment | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        result => result.map(|()| ExitCode::SUCCESS).map_err(Into::into),
    }
}

fn write_sentences(input: &str, paragraphs: bool) -> std::io::Result<()> {
    let cleaned = loa::text::clean::clean(input);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let segments = loa::text::sentences::split_with_breaks(&cleaned.text);
    for (n, segment) in segments.iter().enumerate() {
        let original = cleaned.original_span(segment.span);
        let sentence = input[original.start..original.end].replace("\r\n", " ");
        writeln!(out, "{}", sentence.replace(['\n', '\r'], " "))?;
        if paragraphs && segment.paragraph_end && n + 1 < segments.len() {
            writeln!(out)?;
        }
    }
    out.flush()
}
