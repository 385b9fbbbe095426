//! `loa eval syllables`: how much of the attested Vietnamese syllable inventories
//! (`<shared>/eval/syllables/*.txt`, one syllable per line) the syllable parser accepts, and
//! how much of `Syllable::all()` they attest.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use loa::text::Syllable;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory (holds eval/syllables/).
    #[arg(long, default_value = "../shared")]
    shared: PathBuf,
    /// Print every word that does not parse.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.shared.join("eval").join("syllables");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {} (set --shared)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no .txt files in {}", dir.display());

    let space: HashSet<Syllable> = Syllable::all().collect();
    let mut attested = HashSet::new();
    println!(
        "{:<28} {:>7} {:>7} {:>8}",
        "list", "words", "parsed", "share"
    );
    for file in &files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let words: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        let mut rejected = Vec::new();
        for word in &words {
            match word.parse::<Syllable>() {
                Ok(s) => {
                    attested.insert(s);
                }
                Err(_) => rejected.push(*word),
            }
        }
        let parsed = words.len() - rejected.len();
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let share = parsed as f64 / words.len().max(1) as f64;
        println!("{name:<28} {:>7} {parsed:>7} {share:>8.4}", words.len());
        if args.verbose && !rejected.is_empty() {
            println!("    not parsed: {}", rejected.join(" "));
        }
    }
    let covered = attested.iter().filter(|s| space.contains(s)).count();
    println!(
        "Syllable::all(): {} syllables, {} attested in these lists",
        space.len(),
        covered
    );
    Ok(ExitCode::SUCCESS)
}
