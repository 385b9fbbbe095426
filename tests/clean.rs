//! Golden table and properties for text cleaning (src/text/clean.rs).

use std::time::{Duration, Instant};

use loa::text::clean::clean;
use proptest::prelude::*;

const TABLE: &str = include_str!("data/clean.tsv");

/// Reads the table's escapes: \n \r \t \\ and \u{XXXX}.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex, 16).expect("hex escape");
                out.push(char::from_u32(code).expect("a char"));
            }
            other => panic!("bad escape \\{other:?}"),
        }
    }
    out
}

fn check_map(input: &str) {
    let c = clean(input);
    assert_eq!(c.origin.len(), c.text.len() + 1);
    assert_eq!(c.origin[c.text.len()], input.len());
    assert!(
        c.origin.windows(2).all(|w| w[0] <= w[1]),
        "map not monotone"
    );
    assert!(c.origin.iter().all(|&o| input.is_char_boundary(o)));
    // Every byte of a cleaned character maps to the same original offset.
    for (i, ch) in c.text.char_indices() {
        let first = c.origin[i];
        assert!(c.origin[i..i + ch.len_utf8()].iter().all(|&o| o == first));
    }
}

#[test]
fn golden_table() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (n, line) in TABLE.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (input, expected) = line.split_once('\t').expect("input<TAB>expected");
        let (input, expected) = (unescape(input), unescape(expected));
        cases += 1;
        let got = clean(&input).text;
        if got != expected {
            failures.push(format!(
                "line {}: {input:?}\n  expected: {expected:?}\n  got:      {got:?}",
                n + 1
            ));
        }
        check_map(&input);
    }
    assert!(cases >= 60, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn spans_map_back_to_the_original_words() {
    let input = "Ủy ban\u{A0}“hoà giải”\r\nViệt";
    let c = clean(input);
    let find = |w: &str| {
        let start = c.text.find(w).expect(w);
        c.original_span(loa::text::Span::new(start, start + w.len()))
    };
    let s = find("hòa");
    assert_eq!(&input[s.start..s.end], "hoà");
    let s = find("giải\"");
    assert_eq!(&input[s.start..s.end], "giải”");
    let s = find("Việt");
    assert_eq!(&input[s.start..s.end], "Việt");
}

fn quickly(what: &str, limit: Duration, f: impl FnOnce()) {
    let t = Instant::now();
    f();
    assert!(t.elapsed() < limit, "{what} took {:?}", t.elapsed());
}

/// Marks that meet only once the zero-width space between them is removed (found by
/// `cleaning_twice_changes_nothing`).
#[test]
fn marks_brought_together_by_removals_are_composed() {
    for (input, expected) in [
        ("\u{300}\u{200b}\u{5a2}", "\u{5a2}\u{300}"),
        ("e\u{200b}\u{301}", "é"),
    ] {
        let once = clean(input).text;
        assert_eq!(once, expected, "{input:?}");
        assert_eq!(clean(&once).text, once, "{input:?}");
        check_map(input);
    }
}

#[test]
fn pathological_input_finishes_quickly() {
    let marks = format!("a{}b", "\u{301}".repeat(10_000));
    quickly("10,000 combining marks", Duration::from_secs(2), || {
        check_map(&marks)
    });
    let mixed = "Xin chào 😀👍🏽 мир 世界 עברית مرحبا hoà\u{200B}\u{AD} ".repeat(2_000);
    quickly("mixed scripts", Duration::from_secs(2), || {
        check_map(&mixed)
    });
    let big = "Thủ tướng hoà giải “tranh chấp” tại TP.HCM ngày 26/10/2020.\r\n".repeat(160_000);
    assert!(big.len() > 10_000_000);
    quickly("10 MB", Duration::from_secs(20), || {
        let c = clean(&big);
        assert!(c.text.len() < big.len());
    });
}

proptest! {
    #[test]
    fn any_text_keeps_an_exact_map(input in "\\PC{0,40}|[a-zà-ỹ\u{300}-\u{323}\r\n\u{A0}\u{200B}]{0,40}") {
        check_map(&input);
    }

    #[test]
    fn cleaning_twice_changes_nothing(input in "\\PC{0,40}|[a-zà-ỹ\u{300}-\u{323}\r\n\u{A0}\u{200B}“”]{0,40}") {
        let once = clean(&input).text;
        let twice = clean(&once).text;
        prop_assert_eq!(once, twice);
    }
}
