//! `loa eval normalization`: exact-match accuracy of the spoken form, per category.
//!
//! Reads `<shared>/eval/normalization/cases.tsv` (`category, input, expected, source`), runs
//! each input through the whole front end and compares word sequences after mapping the
//! documented reading variants onto one form (README "Reading conventions"):
//! linh/lẻ/lẽ, nghìn/ngàn, tư/bốn after "mươi", lăm/năm after "mươi", tỷ/tỉ, kỷ/kỉ, héc/hẹc,
//! xăng/xen (ti mét), "không trăm" after a scale word (hai nghìn không trăm mười tám = hai
//! nghìn mười tám), and a two-digit decimal read as a number or digit by digit
//! (phẩy hai mươi hai = phẩy hai hai). Case and punctuation are ignored.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared")]
    shared: PathBuf,
    /// Print every miss with the expected and produced readings.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = args.shared.join("eval/normalization/cases.tsv");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if n == 0 && cols.first() == Some(&"category") || cols.len() < 3 {
            continue;
        }
        let (category, input, expected) = (cols[0], cols[1], cols[2]);
        let got = spoken(input);
        let ok = canonical(&got) == canonical(expected);
        let e = per.entry(category.to_string()).or_default();
        e.1 += 1;
        if ok {
            e.0 += 1;
        } else {
            misses.push((
                category.to_string(),
                input.to_string(),
                expected.to_string(),
                got,
            ));
        }
    }
    let (mut hit, mut total) = (0, 0);
    println!(
        "{:<22} {:>6} {:>6} {:>8}",
        "category", "ok", "cases", "accuracy"
    );
    for (cat, (ok, n)) in &per {
        hit += ok;
        total += n;
        println!(
            "{cat:<22} {ok:>6} {n:>6} {:>7.1}%",
            100.0 * *ok as f64 / *n as f64
        );
    }
    println!(
        "{:<22} {hit:>6} {total:>6} {:>7.1}%",
        "overall",
        100.0 * hit as f64 / total.max(1) as f64
    );
    if args.verbose {
        println!("\nmisses:");
        for (cat, input, expected, got) in &misses {
            println!("[{cat}] {input}\n  expected: {expected}\n  got:      {got}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The front end's spoken form of `input`, words separated by spaces.
pub fn spoken(input: &str) -> String {
    let doc = loa::text::analyze(input);
    let words: Vec<&str> = doc
        .phrases()
        .flat_map(|p| p.tokens.iter())
        .flat_map(|t| t.spoken.iter().map(String::as_str))
        .collect();
    words.join(" ")
}

const DIGIT_WORDS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Maps a reading onto one canonical form of the documented variants.
fn canonical(s: &str) -> Vec<String> {
    let lower = s.to_lowercase();
    let words: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || ",.;:!?()\"'-–".contains(c))
        .filter(|w| !w.is_empty())
        .map(|w| {
            match w {
                "lẻ" | "lẽ" => "linh",
                "ngàn" => "nghìn",
                "tỉ" => "tỷ",
                "kỉ" => "kỷ",
                "hẹc" => "héc",
                "xen" => "xăng",
                w => w,
            }
            .to_string()
        })
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let after_muoi = out.last().is_some_and(|p| p == "mươi");
        let after_scale = out
            .last()
            .is_some_and(|p| matches!(p.as_str(), "nghìn" | "triệu" | "tỷ"));
        if after_scale && w == "không" && words.get(i + 1).is_some_and(|x| x == "trăm") {
            // "hai nghìn không trăm mười tám" = "hai nghìn mười tám"
            i += 2;
            continue;
        }
        if after_muoi && w == "bốn" {
            out.push("tư".into());
        } else if after_muoi && w == "năm" {
            out.push("lăm".into());
        } else if w == "phẩy" && i + 2 < words.len() + 1 {
            out.push(w.clone());
            // A two-digit decimal read digit by digit → as a number.
            let d1 = words
                .get(i + 1)
                .and_then(|x| DIGIT_WORDS.iter().position(|d| d == x));
            let d2 = words
                .get(i + 2)
                .and_then(|x| DIGIT_WORDS.iter().position(|d| d == x));
            let d3 = words
                .get(i + 3)
                .and_then(|x| DIGIT_WORDS.iter().position(|d| d == x));
            if let (Some(a), Some(b), None) = (d1, d2, d3) {
                if a > 0 {
                    let mut n = Vec::new();
                    loa::text::normalize::numbers::cardinal(&format!("{a}{b}"), &mut n);
                    out.extend(n);
                    i += 3;
                    continue;
                }
            }
        } else {
            out.push(w.clone());
        }
        i += 1;
    }
    out
}
