//! Numbers → spoken Vietnamese: cardinals, digit strings, decimals, ordinals, months.
//!
//! Part of stage 3 (normalize). Pure functions over ASCII digit strings; they append spoken
//! syllables to a caller-owned `Vec<String>`.
//!
//! Conventions (README "Reading conventions"): `linh` for an empty tens place (105 = một trăm
//! linh năm), `nghìn`, `mươi tư` for 24, `mốt` for 21, `lăm` for 15/25, `tỷ` as the 10^9 scale
//! read recursively above it (10^12 = một nghìn tỷ, 1.234 × 10^9 = một nghìn hai trăm ba mươi
//! tư tỷ, 10^18 = một tỷ tỷ). Numbers longer than
//! [`MAX_CARDINAL_DIGITS`] digits are read digit by digit.

/// The digits 0–9 as spoken.
pub const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Longer numbers (after leading zeros) are read digit by digit: up to 10^24 (nghìn tỷ tỷ) the
/// scale words are still ones people use.
pub const MAX_CARDINAL_DIGITS: usize = 24;

/// Appends each syllable of `text` (space-separated) to `out`.
pub fn say(out: &mut Vec<String>, text: &str) {
    out.extend(text.split_whitespace().map(str::to_string));
}

/// Reads every ASCII digit of `s` one by one; other characters are skipped.
pub fn digits(s: &str, out: &mut Vec<String>) {
    for b in s.bytes().filter(u8::is_ascii_digit) {
        out.push(DIGITS[usize::from(b - b'0')].to_string());
    }
}

/// Reads an unsigned integer written as ASCII digits (no separators).
///
/// Leading zeros are ignored ("007" = bảy); an all-zero string is `không`; more than
/// [`MAX_CARDINAL_DIGITS`] significant digits are read digit by digit.
pub fn cardinal(s: &str, out: &mut Vec<String>) {
    let only_digits: String;
    let s = if is_digits(s) {
        s
    } else {
        only_digits = s
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(char::from)
            .collect();
        &only_digits
    };
    let significant = s.trim_start_matches('0');
    if significant.is_empty() {
        out.push(DIGITS[0].to_string());
        return;
    }
    if significant.len() > MAX_CARDINAL_DIGITS {
        digits(significant, out);
        return;
    }
    read_significant(significant.as_bytes(), true, out);
}

/// Reads digits without leading zeros: the part above 10^9 recursively, then "tỷ", then the
/// rest in groups of three (1.234.567.890.123 = một nghìn hai trăm ba mươi tư tỷ …).
fn read_significant(bytes: &[u8], leading: bool, out: &mut Vec<String>) {
    if bytes.len() > 9 {
        let (high, low) = bytes.split_at(bytes.len() - 9);
        read_significant(high, leading, out);
        out.push("tỷ".into());
        if low.iter().any(|&b| b != b'0') {
            read_significant(low, false, out);
        }
        return;
    }
    let n_groups = bytes.len().div_ceil(3);
    let first_len = bytes.len() - (n_groups - 1) * 3;
    let mut leading = leading;
    for g in 0..n_groups {
        let (lo, hi) = if g == 0 {
            (0, first_len)
        } else {
            (first_len + (g - 1) * 3, first_len + g * 3)
        };
        let mut d = [0u8; 3];
        let chunk = &bytes[lo..hi];
        for (i, b) in chunk.iter().enumerate() {
            d[3 - chunk.len() + i] = b - b'0';
        }
        if d == [0, 0, 0] {
            continue;
        }
        let scale_index = n_groups - 1 - g;
        group(d, leading, scale_index == 0, out);
        scale(scale_index, out);
        leading = false;
    }
}

/// The scale word of group `index` below a billion (0 = units, 1 = nghìn, 2 = triệu).
fn scale(index: usize, out: &mut Vec<String>) {
    match index {
        1 => out.push("nghìn".into()),
        2 => out.push("triệu".into()),
        _ => {}
    }
}

/// Reads one group of three digits `[hundreds, tens, units]` (not all zero).
///
/// The leading group is read compactly (no "không trăm"); a later group with no hundreds is
/// read without "không trăm" too (1.050.003 = một triệu năm mươi nghìn linh ba); a lone unit
/// in the last group takes "linh" (1.001 = một nghìn linh một).
fn group(d: [u8; 3], leading: bool, last: bool, out: &mut Vec<String>) {
    let [h, t, u] = d;
    if h > 0 {
        out.push(DIGITS[usize::from(h)].into());
        out.push("trăm".into());
        tens_units(t, u, true, out);
    } else if t == 0 && !leading && last {
        out.push("linh".into());
        out.push(DIGITS[usize::from(u)].into());
    } else {
        tens_units(t, u, false, out);
    }
}

/// Reads the last two digits of a group; `after_hundred` asks for "linh" before a lone unit.
fn tens_units(t: u8, u: u8, after_hundred: bool, out: &mut Vec<String>) {
    match (t, u) {
        (0, 0) => {}
        (0, u) => {
            if after_hundred {
                out.push("linh".into());
            }
            out.push(DIGITS[usize::from(u)].into());
        }
        (1, u) => {
            out.push("mười".into());
            match u {
                0 => {}
                5 => out.push("lăm".into()),
                u => out.push(DIGITS[usize::from(u)].into()),
            }
        }
        (t, u) => {
            out.push(DIGITS[usize::from(t)].into());
            out.push("mươi".into());
            match u {
                0 => {}
                1 => out.push("mốt".into()),
                4 => out.push("tư".into()),
                5 => out.push("lăm".into()),
                u => out.push(DIGITS[usize::from(u)].into()),
            }
        }
    }
}

/// Reads the digits after a decimal comma: two digits without a leading zero as a number
/// (5,22 = năm phẩy hai mươi hai), anything else digit by digit (3,141 = ba phẩy một bốn một).
pub fn fraction_digits(frac: &str, out: &mut Vec<String>) {
    if frac.len() == 2 && !frac.starts_with('0') {
        cardinal(frac, out);
    } else {
        digits(frac, out);
    }
}

/// Reads a decimal number `int,frac` (either part may be empty but not both).
pub fn decimal(int: &str, frac: &str, out: &mut Vec<String>) {
    cardinal(if int.is_empty() { "0" } else { int }, out);
    if !frac.is_empty() {
        out.push("phẩy".into());
        fraction_digits(frac, out);
    }
}

/// Reads an ordinal after "thứ": 1 = nhất, 4 = tư, otherwise the cardinal.
pub fn ordinal(s: &str, out: &mut Vec<String>) {
    match s.trim_start_matches('0') {
        "1" => out.push("nhất".into()),
        "4" => out.push("tư".into()),
        _ => cardinal(s, out),
    }
}

/// Reads a month number after "tháng": 4 = tư (tháng tư), otherwise the cardinal.
pub fn month(s: &str, out: &mut Vec<String>) {
    match s.trim_start_matches('0') {
        "4" => out.push("tư".into()),
        _ => cardinal(s, out),
    }
}

/// The value of a short ASCII digit string, if it has at most 9 digits.
pub fn value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Whether `s` is a non-empty string of ASCII digits.
pub fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> String {
        let mut out = Vec::new();
        cardinal(s, &mut out);
        out.join(" ")
    }

    #[test]
    fn small_numbers() {
        assert_eq!(read("0"), "không");
        assert_eq!(read("15"), "mười lăm");
        assert_eq!(read("21"), "hai mươi mốt");
        assert_eq!(read("24"), "hai mươi tư");
        assert_eq!(read("105"), "một trăm linh năm");
        assert_eq!(read("110"), "một trăm mười");
        assert_eq!(read("1001"), "một nghìn linh một");
    }

    #[test]
    fn large_numbers() {
        assert_eq!(read("1050003"), "một triệu năm mươi nghìn linh ba");
        assert_eq!(read("1423000"), "một triệu bốn trăm hai mươi ba nghìn");
        assert_eq!(read("2345000000000"), "hai nghìn ba trăm bốn mươi lăm tỷ");
        assert_eq!(read("1002000003"), "một tỷ hai triệu linh ba");
        assert_eq!(read("1000000000000000000"), "một tỷ tỷ");
    }

    #[test]
    fn very_long_numbers_are_read_digit_by_digit() {
        let s = "9".repeat(500);
        let mut out = Vec::new();
        cardinal(&s, &mut out);
        assert_eq!(out.len(), 500);
    }

    #[test]
    fn decimals() {
        let mut out = Vec::new();
        decimal("5", "22", &mut out);
        assert_eq!(out.join(" "), "năm phẩy hai mươi hai");
        out.clear();
        decimal("0", "007", &mut out);
        assert_eq!(out.join(" "), "không phẩy không không bảy");
    }
}
