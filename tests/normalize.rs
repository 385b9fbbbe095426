//! Golden tables and properties of the normalizer (stage 3 of the front end).

use loa::text::normalize::{self, abbrev, foreign, units, Item};
use loa::text::{Syllable, TokenKind};
use proptest::prelude::*;

fn spoken(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Token(t) => Some(t.spoken.clone()),
            Item::Pause(_) => None,
        })
        .flatten()
        .collect()
}

fn read(text: &str) -> String {
    spoken(&normalize::normalize(text)).join(" ")
}

#[test]
fn golden_table() {
    let table = include_str!("data/normalize.tsv");
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "line {}: expected 3 columns", n + 1);
        let (category, input, expected) = (cols[0], cols[1], cols[2]);
        count += 1;
        let got = read(input);
        if got != expected {
            failures.push(format!(
                "line {} [{category}] {input}\n    expected: {expected}\n    got:      {got}",
                n + 1
            ));
        }
    }
    assert!(
        count >= 300,
        "the table should keep at least 300 cases, has {count}"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_lexicon_reading_is_speakable() {
    let mut bad = Vec::new();
    let all = abbrev::entries()
        .chain(foreign::entries())
        .chain(units::entries().map(|(k, u)| (k, u.spoken)));
    for (key, value) in all {
        for w in value.split_whitespace() {
            if w.parse::<Syllable>().is_err() {
                bad.push(format!("{key} → {value}: `{w}`"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "unsayable lexicon readings:\n{}",
        bad.join("\n")
    );
}

#[test]
fn long_numbers_finish_fast_and_read_digit_by_digit() {
    let digits = "7".repeat(500);
    let start = std::time::Instant::now();
    let out = read(&digits);
    assert!(start.elapsed().as_millis() < 200);
    assert_eq!(out.split(' ').count(), 500);
}

#[test]
fn hostile_input_does_not_panic() {
    let marks = format!("a{}", "\u{301}".repeat(10_000));
    let mixed = "Xin chào 世界 мир 🎉🎉 ١٢٣ ﬁ Ωmega 𝔸 \u{200b}";
    for text in [
        marks.as_str(),
        mixed,
        "",
        "   ",
        "\"\"",
        "-",
        "--5",
        "1/0",
        "0/0",
        "$",
        "$$5",
        "99:99",
        // Apostrophes alone between separators once recursed until the stack overflowed.
        "'",
        "/'/",
        "x.'.y",
        "’'",
        "Q\u{987}'L{j7\u{fffd}/'/\u{fb}/ONcJ{\u{1e023}\u{468}9\u{1b167}\u{1f574}\u{630}A\u{ecc}\u{543}\u{ff}<\u{113d2}{\u{fe3b}\u{fffd}\u{e0}\u{1f574}l\u{1f574}/t$\\\u{2dac}%$%{I=",
    ] {
        let _ = normalize::normalize(text);
    }
}

#[test]
fn punctuation_alone_is_an_explicit_silent_token() {
    let items = normalize::normalize("\" ( )");
    assert!(!items.is_empty());
    for item in &items {
        if let Item::Token(t) = item {
            assert_eq!(t.kind, TokenKind::Silent);
        }
    }
}

#[test]
fn long_clauses_are_cut_into_phrases() {
    let text = "người dân ở các xã vùng sâu vùng xa của tỉnh đã được tiếp cận với nước sạch và điện lưới quốc gia trong những năm gần đây nhờ các chương trình hỗ trợ của nhà nước";
    let phrases = normalize::phrases(normalize::normalize(text));
    assert!(phrases.len() >= 2);
    for p in &phrases {
        let n: usize = p.tokens.iter().map(|t| t.syllables.len()).sum();
        assert!(n <= normalize::MAX_PHRASE_SYLLABLES, "{n} syllables");
    }
    assert_eq!(
        phrases.last().map(|p| p.pause),
        Some(loa::text::Pause::Sentence)
    );
}

fn newsy() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z]{1,8}",
        "[0-9]{1,25}",
        "[0-9]{1,3}([.,][0-9]{1,3}){0,3}",
        "[0-9]{1,2}[/:h-][0-9]{1,4}",
        "[A-ZĐ]{2,5}",
        Just("hòa".to_string()),
        Just("Nguyễn".to_string()),
        Just("thứ".to_string()),
        Just("tháng".to_string()),
        Just("ngày".to_string()),
        Just("khóa".to_string()),
        Just("XIII".to_string()),
        "[-+$%&@/.,;:()\"'°€]{1,3}",
        "[a-z0-9.@/-]{1,12}",
    ];
    prop::collection::vec(word, 1..12).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn never_panics_on_any_string(s in "\\PC{0,60}") {
        let _ = normalize::normalize(&s);
    }

    #[test]
    fn speaks_whenever_there_are_letters_or_digits(s in newsy()) {
        let items = normalize::normalize(&s);
        if s.chars().any(|c| c.is_ascii_alphanumeric()) {
            prop_assert!(!spoken(&items).is_empty(), "no speech for {s:?}");
        }
        for item in &items {
            if let Item::Token(t) = item {
                let written = &s[t.span.start..t.span.end];
                if written.chars().any(|c| c.is_ascii_alphanumeric()) {
                    prop_assert!(!t.spoken.is_empty(), "no speech for token {written:?} in {s:?}");
                }
            }
        }
    }

    #[test]
    fn every_spoken_syllable_parses(s in newsy()) {
        for item in normalize::normalize(&s) {
            if let Item::Token(t) = item {
                prop_assert_eq!(t.spoken.len(), t.syllables.len());
                for (w, syl) in t.spoken.iter().zip(&t.syllables) {
                    let parsed: Syllable = w.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
                    prop_assert_eq!(&parsed, syl);
                }
            }
        }
    }

    #[test]
    fn normalizing_spoken_output_changes_nothing(s in newsy()) {
        let once = spoken(&normalize::normalize(&s)).join(" ");
        let twice = read(&once);
        prop_assert_eq!(&once, &twice, "input {:?}", s);
    }
}
