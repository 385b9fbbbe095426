//! Roman numerals in context: khóa XIII, thế kỷ XXI, chương IV, quý II.
//!
//! Part of stage 3 (normalize). Only strict, canonical numerals are accepted (no "IIII"),
//! so ordinary words are not mistaken for numbers; the caller decides from context.

/// The value of a canonical Roman numeral (any case), 1..=3999.
pub fn value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    let mut total = 0u32;
    let digits: Option<Vec<u32>> = upper
        .chars()
        .map(|c| match c {
            'I' => Some(1),
            'V' => Some(5),
            'X' => Some(10),
            'L' => Some(50),
            'C' => Some(100),
            'D' => Some(500),
            'M' => Some(1000),
            _ => None,
        })
        .collect();
    let digits = digits?;
    let mut i = 0;
    while i < digits.len() {
        let d = digits[i];
        if i + 1 < digits.len() && digits[i + 1] > d {
            total += digits[i + 1] - d;
            i += 2;
        } else {
            total += d;
            i += 1;
        }
    }
    // Canonical form only: re-encoding must give the same letters.
    (to_roman(total)? == upper).then_some(total)
}

fn to_roman(mut n: u32) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
}

/// Words after which a Roman numeral is read as a number ("khóa XIII", "thế kỷ XXI").
pub fn is_context(previous: &[String]) -> bool {
    let last = previous.last().map(String::as_str).unwrap_or("");
    let two = if previous.len() >= 2 {
        format!("{} {}", previous[previous.len() - 2], last)
    } else {
        String::new()
    };
    matches!(
        two.as_str(),
        "thế kỷ"
            | "thế kỉ"
            | "phụ lục"
            | "đại hội"
            | "giai đoạn"
            | "thời kỳ"
            | "thời kì"
            | "quân khu"
            | "quân đoàn"
            | "hội nghị"
            | "trung ương"
            | "chiến tranh"
            | "thế chiến"
    ) || matches!(
        last,
        "khóa"
            | "khoá"
            | "chương"
            | "quý"
            | "quí"
            | "phần"
            | "mục"
            | "khoản"
            | "đoạn"
            | "điều"
            | "số"
            | "thứ"
            | "năm"
            | "tập"
            | "hồi"
            | "kỳ"
            | "kì"
            | "lần"
            | "cấp"
            | "loại"
            | "hạng"
            | "bài"
            | "tiết"
            | "phiên"
            | "vòng"
            | "nhóm"
            | "đợt"
            | "mùa"
            | "vùng"
            | "quyển"
            | "bảng"
            | "hình"
            | "lớp"
            | "phụ"
            | "đội"
            | "tầng"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_numerals() {
        assert_eq!(value("XIII"), Some(13));
        assert_eq!(value("xxi"), Some(21));
        assert_eq!(value("MCMXCIX"), Some(1999));
        assert_eq!(value("IIII"), None);
        assert_eq!(value("IC"), None);
        assert_eq!(value("HI"), None);
    }
}
