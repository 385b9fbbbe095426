//! `loa eval segmentation`: sentence-boundary precision, recall and F1 against the gold
//! splits in `<shared>/eval/segmentation/*.jsonl` (one paragraph per line: `text` and its
//! `sentences`).
//!
//! A boundary is the character offset where a sentence ends; each paragraph's end counts too.
//! Our boundaries come from the whole front end's view (clean, then split) mapped back to the
//! original text. A naive split after every ". ", "! ", "? " is printed beside for reference.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde::Deserialize;

use loa::text::{clean, sentences};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory (holds eval/segmentation/).
    #[arg(long, default_value = "../shared")]
    shared: PathBuf,
    /// Print every missed or extra boundary, worst paragraphs first.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Debug, Deserialize)]
struct Case {
    #[serde(default)]
    id: String,
    text: String,
    sentences: Vec<String>,
}

/// True positives, false positives, false negatives.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, gold: &BTreeSet<usize>, got: &BTreeSet<usize>) {
        self.tp += gold.intersection(got).count();
        self.fp += got.difference(gold).count();
        self.fn_ += gold.difference(got).count();
    }

    fn merge(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    fn scores(self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.shared.join("eval").join("segmentation");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {} (set --shared)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no .jsonl files in {}", dir.display());

    println!(
        "{:<28} {:>6} {:>6} {:>9} {:>7} {:>7} {:>7} {:>9}",
        "file", "paras", "gold", "predicted", "P", "R", "F1", "naive F1"
    );
    let (mut total, mut total_naive) = (Counts::default(), Counts::default());
    let (mut paragraphs, mut gold_total) = (0, 0);
    for file in &files {
        let (counts, naive, n, gold, misses) = score_file(file)?;
        let (p, r, f) = counts.scores();
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "{:<28} {:>6} {:>6} {:>9} {:>7.4} {:>7.4} {:>7.4} {:>9.4}",
            name,
            n,
            gold,
            counts.tp + counts.fp,
            p,
            r,
            f,
            naive.scores().2
        );
        if args.verbose {
            for line in misses {
                println!("    {line}");
            }
        }
        total.merge(counts);
        total_naive.merge(naive);
        paragraphs += n;
        gold_total += gold;
    }
    let (p, r, f) = total.scores();
    println!(
        "{:<28} {:>6} {:>6} {:>9} {:>7.4} {:>7.4} {:>7.4} {:>9.4}",
        "overall",
        paragraphs,
        gold_total,
        total.tp + total.fp,
        p,
        r,
        f,
        total_naive.scores().2
    );
    Ok(ExitCode::SUCCESS)
}

type FileScore = (Counts, Counts, usize, usize, Vec<String>);

fn score_file(path: &Path) -> anyhow::Result<FileScore> {
    let content =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (mut counts, mut naive) = (Counts::default(), Counts::default());
    let mut gold_count = 0;
    let mut paragraphs = 0;
    let mut worst: Vec<(usize, Vec<String>)> = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a segmentation case", path.display(), n + 1))?;
        paragraphs += 1;
        let gold = gold_boundaries(&case)
            .with_context(|| format!("{}:{}: gold sentence not in text", path.display(), n + 1))?;
        let got = our_boundaries(&case.text);
        gold_count += gold.len();
        counts.add(&gold, &got);
        naive.add(&gold, &naive_boundaries(&case.text));
        let mut misses = Vec::new();
        for &b in gold.difference(&got) {
            misses.push(format!("missed {}: {}", case.id, context(&case.text, b)));
        }
        for &b in got.difference(&gold) {
            misses.push(format!("extra  {}: {}", case.id, context(&case.text, b)));
        }
        if !misses.is_empty() {
            worst.push((misses.len(), misses));
        }
    }
    worst.sort_by_key(|w| std::cmp::Reverse(w.0));
    let misses = worst.into_iter().flat_map(|(_, m)| m).collect();
    Ok((counts, naive, paragraphs, gold_count, misses))
}

/// Character offsets where the gold sentences end, found in order in the text.
fn gold_boundaries(case: &Case) -> anyhow::Result<BTreeSet<usize>> {
    let mut ends = BTreeSet::new();
    let mut from = 0;
    for sentence in &case.sentences {
        let sentence = sentence.trim();
        let at = case.text[from..]
            .find(sentence)
            .with_context(|| format!("{sentence:?}"))?;
        from += at + sentence.len();
        ends.insert(case.text[..from].chars().count());
    }
    Ok(ends)
}

/// Character offsets where our sentences end, in the original text.
fn our_boundaries(text: &str) -> BTreeSet<usize> {
    let cleaned = clean::clean(text);
    sentences::split(&cleaned.text)
        .into_iter()
        .map(|span| cleaned.original_span(span).end)
        .map(|end| text[..end].chars().count())
        .collect()
}

/// The reference baseline: a boundary after every ". ", "! ", "? " and at the end.
fn naive_boundaries(text: &str) -> BTreeSet<usize> {
    let mut ends = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, pair) in chars.windows(2).enumerate() {
        if matches!(pair[0], '.' | '!' | '?') && pair[1] == ' ' {
            ends.insert(i + 1);
        }
    }
    let trimmed = text.trim_end().chars().count();
    if trimmed > 0 {
        ends.insert(trimmed);
    }
    ends
}

/// Forty characters either side of a boundary, with the boundary marked.
fn context(text: &str, boundary: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let from = boundary.saturating_sub(40);
    let to = (boundary + 40).min(chars.len());
    let before: String = chars[from..boundary.min(chars.len())].iter().collect();
    let after: String = chars[boundary.min(chars.len())..to].iter().collect();
    format!("…{before}‖{after}…")
}
