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
    match c {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' => 'a',
        'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' => 'ă',
        'ầ' | 'ấ' | 'ẩ' | 'ẫ' | 'ậ' => 'â',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' => 'e',
        'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'ê',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' => 'o',
        'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' => 'ô',
        'ờ' | 'ớ' | 'ở' | 'ỡ' | 'ợ' => 'ơ',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' => 'u',
        'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'ư',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        c => c,
    }
}

/// Whether `c` is a letter a Vietnamese or plain Latin word can hold (a quick test without
/// the Unicode tables: ASCII letters and the Latin-1, Latin Extended and Vietnamese blocks).
pub fn is_word_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{17F}')
        || matches!(c, 'Ơ' | 'ơ' | 'Ư' | 'ư' | '\u{1EA0}'..='\u{1EF9}')
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
    fn word_letters() {
        assert!("aZđĐươỹỸéñ".chars().all(is_word_letter));
        assert!(!"1 ×÷-世".chars().any(is_word_letter));
    }

    #[test]
    fn strips_tones() {
        assert_eq!(strip_tone('ế'), 'ê');
        assert_eq!(strip_tone('ạ'), 'a');
        assert_eq!(strip_tone('q'), 'q');
    }
}
