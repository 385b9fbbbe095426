//! Golden table and properties for the syllable parser (src/text/syllable.rs).

use loa::text::{Coda, Nucleus, Onset, Syllable, Tone};
use proptest::prelude::*;

const TABLE: &str = include_str!("data/syllables.tsv");

fn describe(result: &Result<Syllable, loa::text::SyllableError>) -> String {
    match result {
        Ok(s) => format!(
            "{:?}\t{}\t{:?}\t{:?}\t{:?}\t{}",
            s.onset, s.medial as u8, s.nucleus, s.coda, s.tone, s
        ),
        Err(_) => "ERR".to_string(),
    }
}

#[test]
fn golden_table() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (n, line) in TABLE.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() && !line.starts_with('\t') {
            continue;
        }
        let (input, expected) = line.split_once('\t').expect("input<TAB>expected");
        cases += 1;
        let got = describe(&input.parse::<Syllable>());
        if got != expected {
            failures.push(format!(
                "line {}: {input:?}\n  expected: {expected}\n  got:      {got}",
                n + 1
            ));
        }
    }
    assert!(cases >= 150, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn golden_table_covers_every_part() {
    let parsed: Vec<Syllable> = TABLE
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(w, _)| w.parse().ok())
        .collect();
    for onset in Onset::ALL {
        assert!(parsed.iter().any(|s| s.onset == onset), "no {onset:?}");
    }
    for nucleus in Nucleus::ALL {
        assert!(
            parsed.iter().any(|s| s.nucleus == nucleus),
            "no {nucleus:?}"
        );
    }
    for coda in Coda::ALL {
        assert!(parsed.iter().any(|s| s.coda == coda), "no {coda:?}");
    }
    for tone in Tone::ALL {
        assert!(parsed.iter().any(|s| s.tone == tone), "no {tone:?}");
    }
    assert!(parsed.iter().any(|s| s.medial));
}

#[test]
fn every_syllable_round_trips_through_its_spelling() {
    let mut count = 0;
    for s in Syllable::all() {
        count += 1;
        assert!(s.is_valid(), "{s:?}");
        let text = s.to_string();
        assert_eq!(text.parse::<Syllable>(), Ok(s), "{text}");
        assert_eq!(text.to_uppercase().parse::<Syllable>(), Ok(s), "{text}");
    }
    // The whole space: about 22 onsets × 150 rhymes × the allowed tones.
    assert!((15_000..20_000).contains(&count), "{count} syllables");
}

#[test]
fn stop_codas_take_only_sac_and_nang() {
    for s in Syllable::all().filter(|s| s.coda.is_stop()) {
        assert!(matches!(s.tone, Tone::Sac | Tone::Nang), "{s}");
    }
    for s in Syllable::all().filter(|s| s.coda.is_stop()) {
        for tone in [Tone::Ngang, Tone::Huyen, Tone::Hoi, Tone::Nga] {
            let wrong = Syllable { tone, ..s };
            assert!(wrong.to_string().parse::<Syllable>().is_err(), "{wrong}");
        }
    }
}

/// Vowel letters with their tone forms (ngang, huyền, sắc, hỏi, ngã, nặng).
const VOWELS: [&str; 12] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
];

/// Splits a letter into (row, tone index) when it is a vowel.
fn vowel(c: char) -> Option<(usize, usize)> {
    VOWELS
        .iter()
        .enumerate()
        .find_map(|(row, forms)| forms.chars().position(|f| f == c).map(|t| (row, t)))
}

proptest! {
    /// Any syllable, written in any mix of case and with its tone mark on any of its vowels
    /// (the old placements hoà, thuỷ and worse), parses back to itself.
    #[test]
    fn any_case_and_any_mark_placement_parses_back(
        index in 0usize..16_928,
        upper in proptest::collection::vec(any::<bool>(), 8),
        place in 0usize..4,
    ) {
        let all: Vec<Syllable> = Syllable::all().collect();
        let s = all[index % all.len()];
        let letters: Vec<char> = s.to_string().chars().collect();
        let marked = letters.iter().position(|&c| vowel(c).is_some_and(|(_, t)| t > 0));
        let vowels: Vec<usize> = (0..letters.len()).filter(|&i| vowel(letters[i]).is_some()).collect();
        let mut moved = letters.clone();
        if let Some(from) = marked {
            let (row, tone) = vowel(letters[from]).unwrap();
            moved[from] = VOWELS[row].chars().next().unwrap();
            let to = vowels[place % vowels.len()];
            let (row_to, _) = vowel(moved[to]).unwrap();
            moved[to] = VOWELS[row_to].chars().nth(tone).unwrap();
        }
        let written: String = moved
            .iter()
            .zip(upper.iter().cycle())
            .flat_map(|(&c, &up)| if up { c.to_uppercase().collect::<Vec<_>>() } else { vec![c] })
            .collect();
        prop_assert_eq!(written.parse::<Syllable>(), Ok(s), "{}", written);
    }


    #[test]
    fn parse_never_panics(word in "\\PC{0,12}") {
        let _ = word.parse::<Syllable>();
    }

    #[test]
    fn parse_of_vietnamese_letters_is_consistent(word in "[a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]{1,8}") {
        if let Ok(s) = word.parse::<Syllable>() {
            // Whatever parses is valid, and its canonical spelling parses back to it.
            prop_assert!(s.is_valid());
            prop_assert_eq!(s.to_string().parse::<Syllable>(), Ok(s));
        }
    }
}
