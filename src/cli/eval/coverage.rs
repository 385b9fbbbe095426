//! `loa eval coverage`: every token of real articles yields speech the voice can say.
//!
//! Runs the seed article and every `<shared>/eval/news/*.txt` through the front end and
//! counts tokens, explicit silent tokens, tokens with letters or digits that yield no speech
//! (must be 0), and spoken syllables that do not parse (must be 0).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use loa::text::{Syllable, TokenKind};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared")]
    shared: PathBuf,
    /// List the tokens read by spelling or as foreign words, and every failure.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let eval = args.shared.join("eval");
    let mut files = vec![eval.join("seed-article.txt")];
    let news = eval.join("news");
    let mut listed: Vec<PathBuf> = std::fs::read_dir(&news)
        .with_context(|| format!("reading {}", news.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    listed.sort();
    files.extend(listed);

    let (mut tokens, mut silent, mut mute, mut syllables, mut bad) = (0, 0, 0, 0, 0);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut notes: BTreeMap<String, usize> = BTreeMap::new();
    let start = std::time::Instant::now();
    for file in &files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let doc = loa::text::analyze(&text);
        for token in doc.phrases().flat_map(|p| p.tokens.iter()) {
            tokens += 1;
            *kinds.entry(format!("{:?}", token.kind)).or_default() += 1;
            let written = text.get(token.span.start..token.span.end).unwrap_or("");
            for w in &token.spoken {
                syllables += 1;
                if w.parse::<Syllable>().is_err() {
                    bad += 1;
                    *notes
                        .entry(format!("unparsable `{w}` in `{written}`"))
                        .or_default() += 1;
                }
            }
            if token.spoken.is_empty() {
                if written.chars().any(char::is_alphanumeric) {
                    mute += 1;
                    *notes
                        .entry(format!("no speech for `{written}`"))
                        .or_default() += 1;
                } else {
                    silent += 1;
                }
            }
            if args.verbose && matches!(token.kind, TokenKind::Spelled | TokenKind::Foreign) {
                let key = format!("{:?} `{written}` → {}", token.kind, token.spoken.join(" "));
                *notes.entry(key).or_default() += 1;
            }
        }
    }
    let elapsed = start.elapsed();
    println!("files:                         {}", files.len());
    println!("tokens:                        {tokens}");
    println!("silent punctuation tokens:     {silent}");
    println!("tokens with text but no speech: {mute}");
    println!("spoken syllables:              {syllables}");
    println!("syllables that do not parse:   {bad}");
    println!(
        "front end time:                {:.1} ms",
        elapsed.as_secs_f64() * 1e3
    );
    println!("tokens by kind: {kinds:?}");
    if args.verbose || mute + bad > 0 {
        for (note, n) in &notes {
            println!("{n:>5}  {note}");
        }
    }
    Ok(if mute + bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
