//! Spelling: letters → their Vietnamese names, for acronyms nobody pronounces as a word.
//!
//! Part of stage 3 (normalize). "CSGT" unknown to the lexicon would be read "xê ét gờ tê";
//! every letter name is a valid Vietnamese syllable, so spelling is the path of last resort
//! that always yields speech the voice can say.

use super::numbers::{self, say};

/// The name of one letter as read inside an acronym (Northern usage), if it is a letter we name.
pub fn letter_name(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = strip_tone(lower);
    Some(match base {
        'a' => "a",
        'ă' => "á",
        'â' => "ớ",
        'b' => "bê",
        'c' => "xê",
        'd' => "dê",
        'đ' => "đê",
        'e' => "e",
        'ê' => "ê",
        'f' => "ép",
        'g' => "gờ",
        'h' => "hát",
        'i' => "i",
        'j' => "gi",
        'k' => "ca",
        'l' => "lờ",
        'm' => "mờ",
        'n' => "nờ",
        'o' => "o",
        'ô' => "ô",
        'ơ' => "ơ",
        'p' => "pê",
        'q' => "quy",
        'r' => "rờ",
        's' => "ét",
        't' => "tê",
        'u' => "u",
        'ư' => "ư",
        'v' => "vê",
        'w' => "vê kép",
        'x' => "ích",
        'y' => "i",
        'z' => "dét",
        _ => return None,
    })
}

/// Spells `word` letter by letter; digits are read as digits, other characters skipped.
pub fn spell(word: &str, out: &mut Vec<String>) {
    for c in word.chars() {
        if c.is_ascii_digit() {
            numbers::digits(c.encode_utf8(&mut [0; 4]), out);
        } else if let Some(name) = letter_name(c) {
            say(out, name);
        }
    }
}

/// Whether `word` has at least one letter that [`spell`] can name.
pub fn has_nameable(word: &str) -> bool {
    word.chars().any(|c| letter_name(c).is_some())
}

/// Removes a tone mark from a lowercase vowel, keeping its quality (ế → ê, ạ → a).
pub fn strip_tone(c: char) -> char {
    const TABLE: [(&str, char); 12] = [
        ("àáảãạ", 'a'),
        ("ằắẳẵặ", 'ă'),
        ("ầấẩẫậ", 'â'),
        ("èéẻẽẹ", 'e'),
        ("ềếểễệ", 'ê'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọ", 'o'),
        ("ồốổỗộ", 'ô'),
        ("ờớởỡợ", 'ơ'),
        ("ùúủũụ", 'u'),
        ("ừứửữự", 'ư'),
        ("ỳýỷỹỵ", 'y'),
    ];
    for (marked, base) in TABLE {
        if marked.contains(c) {
            return base;
        }
    }
    c
}

/// Whether `c` is a letter of the Vietnamese alphabet or of basic Latin (any case, any tone).
pub fn is_latin_letter(c: char) -> bool {
    let lower = c.to_lowercase().next().unwrap_or(c);
    matches!(
        strip_tone(lower),
        'a'..='z' | 'ă' | 'â' | 'đ' | 'ê' | 'ô' | 'ơ' | 'ư'
    )
}

/// Whether `c` carries a Vietnamese-only letter or tone mark (so the word is Vietnamese).
pub fn is_vietnamese_marked(c: char) -> bool {
    let lower = c.to_lowercase().next().unwrap_or(c);
    lower != strip_tone(lower) || matches!(lower, 'ă' | 'â' | 'đ' | 'ê' | 'ô' | 'ơ' | 'ư')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_acronyms() {
        let mut out = Vec::new();
        spell("CSGT", &mut out);
        assert_eq!(out.join(" "), "xê ét gờ tê");
        out.clear();
        spell("Đ2", &mut out);
        assert_eq!(out.join(" "), "đê hai");
    }

    #[test]
    fn strips_tones() {
        assert_eq!(strip_tone('ế'), 'ê');
        assert_eq!(strip_tone('ạ'), 'a');
        assert_eq!(strip_tone('q'), 'q');
    }
}
