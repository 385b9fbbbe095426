//! Foreign words → a Vietnamese approximation.
//!
//! Part of stage 3 (normalize). First a lexicon we write (`data/foreign.tsv`: frequent news
//! words and names such as Facebook → phây búc), then a rule-based fallback that cuts any
//! Latin-letter word into onset + vowel + coda chunks and maps each onto a Vietnamese syllable.
//! Every syllable it makes is checked with the syllable parser; a chunk that still is not a
//! Vietnamese syllable is spelled, so the voice never receives garbage.

use std::sync::LazyLock;

use super::numbers::say;
use super::spell;

static LEXICON: LazyLock<super::Table> =
    LazyLock::new(|| super::load_table(include_str!("data/foreign.tsv")));

/// The lexicon reading of a foreign word (case-insensitive), if we have one.
pub fn lookup(word: &str) -> Option<&'static str> {
    super::with_lowercase(word, |lower| LEXICON.get(lower))
}

/// Every entry of the foreign-word lexicon, for tests and coverage.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    LEXICON.iter()
}

/// Reads a Latin-letter word with Vietnamese syllables by rule (no lexicon).
pub fn approximate(word: &str, out: &mut Vec<String>) {
    let mut letters: Vec<char> = word.chars().filter_map(fold).collect();
    // A final silent "e" after a consonant (Venice, Note) when another vowel carries the word.
    let n = letters.len();
    if n >= 3
        && letters[n - 1] == 'e'
        && !is_vowel(letters[n - 2])
        && letters[..n - 2].iter().any(|&c| is_vowel(c))
    {
        letters.pop();
    }
    if letters.is_empty() {
        spell::spell(word, out);
        return;
    }
    for chunk in chunks(&letters) {
        emit(&chunk, out);
    }
}

/// Folds a letter to plain lowercase ASCII (é → e, ñ → n, đ → d); `None` for non-letters.
fn fold(c: char) -> Option<char> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = spell::strip_tone(lower);
    let folded = match base {
        'ă' | 'â' | 'ä' | 'å' | 'æ' => 'a',
        'ê' | 'ë' => 'e',
        'î' | 'ï' => 'i',
        'ô' | 'ơ' | 'ö' | 'ø' => 'o',
        'ư' | 'û' | 'ü' => 'u',
        'đ' => 'd',
        'ç' => 'c',
        'ñ' => 'n',
        c if c.is_ascii_lowercase() => c,
        _ => return None,
    };
    Some(folded)
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// One rough syllable of the foreign word: consonants, vowels, consonants.
#[derive(Debug, Default)]
struct Chunk {
    onset: String,
    vowels: String,
    coda: String,
}

const ONSET_DIGRAPHS: [&str; 11] = [
    "ch", "ph", "sh", "th", "tr", "kh", "gh", "wh", "ng", "qu", "gu",
];

/// Cuts the folded letters into chunks: each vowel run with the consonants around it.
fn chunks(letters: &[char]) -> Vec<Chunk> {
    // Alternating runs of consonants and vowels ('y' before a vowel is a consonant).
    let mut runs: Vec<(bool, String)> = Vec::new();
    for (i, &c) in letters.iter().enumerate() {
        let glide_y = c == 'y'
            && letters.get(i + 1).is_some_and(|&n| is_vowel(n))
            && (i == 0 || is_vowel(letters[i - 1]));
        let qu = c == 'u' && i > 0 && letters[i - 1] == 'q';
        let vowel = is_vowel(c) && !glide_y && !qu;
        match runs.last_mut() {
            Some((v, s)) if *v == vowel => s.push(c),
            _ => runs.push((vowel, c.to_string())),
        }
    }
    let mut out: Vec<Chunk> = Vec::new();
    let mut pending_onset = String::new();
    let n = runs.len();
    for (i, (vowel, run)) in runs.into_iter().enumerate() {
        if vowel {
            // Long vowel runs become several chunks.
            let parts = split_vowels(&run);
            for (j, part) in parts.iter().enumerate() {
                let onset = if j == 0 {
                    std::mem::take(&mut pending_onset)
                } else {
                    String::new()
                };
                out.push(Chunk {
                    onset,
                    vowels: part.clone(),
                    coda: String::new(),
                });
            }
        } else if i + 1 == n {
            // Final consonants close the last chunk (or stand alone).
            match out.last_mut() {
                Some(last) => last.coda = run,
                None => pending_onset = run,
            }
        } else if i == 0 {
            pending_onset = run;
        } else {
            // Between vowels: the last consonant (or onset digraph) opens the next chunk.
            let tail = &run[run.len().saturating_sub(2)..];
            let cluster = tail.len() == 2
                && tail.starts_with(['b', 'c', 'd', 'f', 'g', 'k', 'p', 't'])
                && tail.ends_with(['l', 'r']);
            let keep = if run.len() >= 2 && (ONSET_DIGRAPHS.contains(&tail) || cluster) {
                2
            } else {
                1
            };
            let split = run.len() - keep;
            if let Some(last) = out.last_mut() {
                last.coda = run[..split].to_string();
            }
            pending_onset = run[split..].to_string();
        }
    }
    if !pending_onset.is_empty() {
        out.push(Chunk {
            onset: pending_onset,
            vowels: String::new(),
            coda: String::new(),
        });
    }
    out
}

/// Splits a vowel run into pieces a Vietnamese rhyme can carry.
fn split_vowels(run: &str) -> Vec<String> {
    const PAIRS: [&str; 16] = [
        "ee", "ea", "oo", "ou", "ai", "ay", "ei", "ey", "au", "oa", "oe", "ie", "ia", "ui", "oi",
        "oy",
    ];
    let chars: Vec<char> = run.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() {
            let pair: String = chars[i..i + 2].iter().collect();
            if PAIRS.contains(&pair.as_str()) {
                out.push(pair);
                i += 2;
                continue;
            }
        }
        out.push(chars[i].to_string());
        i += 1;
    }
    out
}

/// Emits one chunk as Vietnamese syllables (extra consonants become syllables with "ơ").
fn emit(chunk: &Chunk, out: &mut Vec<String>) {
    let mut onset = chunk.onset.as_str();
    // Leading consonants that no Vietnamese onset can hold become their own syllables.
    while onset.chars().count() > 1 && !ONSET_DIGRAPHS.contains(&onset) {
        let c = onset.chars().next().unwrap_or('x');
        consonant_syllable(c, out);
        onset = &onset[c.len_utf8()..];
    }
    if chunk.vowels.is_empty() {
        for c in onset.chars().chain(chunk.coda.chars()) {
            consonant_syllable(c, out);
        }
        return;
    }
    let (nucleus, glide) = nucleus(&chunk.vowels, &chunk.coda);
    let front = matches!(nucleus.chars().next(), Some('e' | 'ê' | 'i' | 'y'));
    let (mut viet_onset, mut medial) = map_onset(onset, front);
    if viet_onset == "gi" && nucleus.starts_with('i') {
        viet_onset = "g";
    }
    if medial == "u" {
        medial = match nucleus {
            "a" | "e" => "o",
            "i" => "u",
            _ => "",
        };
        if medial.is_empty() && viet_onset.is_empty() && glide.is_empty() {
            viet_onset = "";
        }
    }
    let mut coda_letters = chunk.coda.as_str();
    let coda = if glide.is_empty() {
        let (c, rest) = map_coda(coda_letters);
        coda_letters = rest;
        c
    } else {
        glide
    };
    let coda = match (nucleus, coda) {
        ("i", "c") => "ch",
        ("i", "ng") => "nh",
        (_, c) => c,
    };
    let body = format!("{viet_onset}{medial}{nucleus}{coda}");
    let stop = matches!(coda, "p" | "t" | "c" | "ch");
    let syllable = apply_sac(&body, stop);
    if super::parse_syllable(&syllable).is_some() {
        out.push(syllable);
    } else {
        // Drop the coda, then give up and spell.
        let open = format!("{viet_onset}{medial}{nucleus}");
        if super::parse_syllable(&open).is_some() {
            out.push(open);
        } else {
            spell::spell(&format!("{}{}", chunk.onset, chunk.vowels), out);
        }
    }
    // Remaining final consonants: an "s" or "x" is heard in loanwords, the rest are silent.
    for c in coda_letters.chars() {
        if matches!(c, 's' | 'x' | 'z') {
            say(out, "xơ");
        }
    }
}

fn consonant_syllable(c: char, out: &mut Vec<String>) {
    let s = match c {
        'b' => "bơ",
        'c' | 'k' | 'q' => "cơ",
        'd' => "đơ",
        'f' => "phơ",
        'g' => "gơ",
        'h' => "hơ",
        'j' => "giơ",
        'l' => "lơ",
        'm' => "mơ",
        'n' => "nơ",
        'p' => "pơ",
        'r' => "rơ",
        's' | 'x' | 'z' => "xơ",
        't' => "tơ",
        'v' => "vơ",
        'w' => "uơ",
        'y' => "i",
        _ => return,
    };
    say(out, s);
}

/// Maps a vowel group to a nucleus, with an off-glide coda when the group ends in one.
fn nucleus<'a>(vowels: &'a str, coda: &str) -> (&'a str, &'static str) {
    let er = coda.starts_with('r');
    match vowels {
        "a" => ("a", ""),
        "e" if er => ("ơ", ""),
        "e" => ("e", ""),
        "i" | "y" => ("i", ""),
        "o" => ("o", ""),
        "u" => ("u", ""),
        "ee" | "ea" | "ie" => ("i", ""),
        "oo" => ("u", ""),
        "ou" => ("a", "o"),
        "ai" | "ay" => ("a", "i"),
        "ei" | "ey" => ("â", "y"),
        "au" => ("a", "o"),
        "oa" => ("oa", ""),
        "oe" => ("oe", ""),
        "ia" => ("ia", ""),
        "ui" => ("u", "i"),
        "oi" | "oy" => ("o", "i"),
        _ => ("ơ", ""),
    }
}

/// Maps foreign onset letters to a Vietnamese onset (and medial "o"/"u" for w).
fn map_onset(onset: &str, front: bool) -> (&'static str, &'static str) {
    match onset {
        "" => ("", ""),
        "b" => ("b", ""),
        "c" if front => ("x", ""),
        "k" if front => ("k", ""),
        "c" | "k" => ("c", ""),
        "ch" => ("ch", ""),
        "d" => ("đ", ""),
        "f" | "ph" => ("ph", ""),
        "g" if front => ("gh", ""),
        "g" | "gh" | "gu" => ("g", ""),
        "h" => ("h", ""),
        "j" => ("gi", ""),
        "kh" => ("kh", ""),
        "l" => ("l", ""),
        "m" => ("m", ""),
        "n" => ("n", ""),
        "ng" if front => ("ngh", ""),
        "ng" => ("ng", ""),
        "p" => ("p", ""),
        "q" | "qu" => ("qu", ""),
        "r" => ("r", ""),
        "s" | "x" | "z" => ("x", ""),
        "sh" => ("s", ""),
        "t" => ("t", ""),
        "th" => ("th", ""),
        "tr" => ("tr", ""),
        "v" => ("v", ""),
        "w" | "wh" => ("", "u"),
        "y" => ("d", ""),
        _ => ("", ""),
    }
}

/// Maps the first final consonant(s) to a Vietnamese coda; returns it and the letters left.
fn map_coda(coda: &str) -> (&'static str, &str) {
    // A silent r or h before another consonant (Vsmart, Sheikh): the next one closes.
    let coda = match coda.strip_prefix(['r', 'h']) {
        Some(rest) if !rest.is_empty() => rest,
        _ => coda,
    };
    for (written, viet) in [
        ("ng", "ng"),
        ("nk", "ng"),
        ("ck", "c"),
        ("ch", "ch"),
        ("sh", ""),
    ] {
        if let Some(rest) = coda.strip_prefix(written) {
            return (viet, rest);
        }
    }
    let mut it = coda.chars();
    let Some(c) = it.next() else { return ("", "") };
    let rest = it.as_str();
    let viet = match c {
        'm' => "m",
        'n' => "n",
        'p' | 'b' | 'f' | 'v' => "p",
        't' | 'd' => "t",
        'c' | 'k' | 'g' | 'q' => "c",
        'l' => "n",
        's' | 'x' | 'z' => return ("t", ""),
        _ => "",
    };
    (viet, rest)
}

/// Puts the sắc tone on a toneless syllable when it ends in a stop (the only tones allowed there
/// are sắc and nặng); otherwise returns it unchanged.
fn apply_sac(body: &str, stop: bool) -> String {
    if !stop {
        return body.to_string();
    }
    let chars: Vec<char> = body.chars().collect();
    // The mark goes on the last vowel letter before the coda.
    let mut idx = None;
    for (i, c) in chars.iter().enumerate() {
        if matches!(
            c,
            'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
        ) {
            // "qu" and "gi": the u/i belongs to the onset.
            let onset_letter = i == 1
                && matches!((chars[0], *c), ('q', 'u') | ('g', 'i'))
                && chars.len() > 2
                && is_vowel_letter(chars[2]);
            if !onset_letter {
                idx = Some(i);
            }
        }
    }
    let Some(i) = idx else {
        return body.to_string();
    };
    let marked = match chars[i] {
        'a' => 'á',
        'ă' => 'ắ',
        'â' => 'ấ',
        'e' => 'é',
        'ê' => 'ế',
        'i' => 'í',
        'o' => 'ó',
        'ô' => 'ố',
        'ơ' => 'ớ',
        'u' => 'ú',
        'ư' => 'ứ',
        'y' => 'ý',
        c => c,
    };
    chars
        .iter()
        .enumerate()
        .map(|(j, &c)| if j == i { marked } else { c })
        .collect()
}

fn is_vowel_letter(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cut_between_vowels() {
        let letters: Vec<char> = "snapdragon".chars().collect();
        let c = chunks(&letters);
        let onsets: Vec<&str> = c.iter().map(|c| c.onset.as_str()).collect();
        assert_eq!(onsets, ["sn", "dr", "g"]);
    }

    #[test]
    fn stop_codas_take_sac() {
        assert_eq!(apply_sac("bot", true), "bót");
        assert_eq!(apply_sac("quat", true), "quát");
        assert_eq!(apply_sac("ban", false), "ban");
    }
}
