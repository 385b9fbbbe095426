//! Dates and fractions: 26/10/2020, 1/11, tháng 3/2021, ngày 5-6/7, quý III/2020, 1/3.
//!
//! Part of stage 3 (normalize). "a/b" is a date after a date word (ngày, sáng, từ, …) and a
//! fraction otherwise, unless it reads best as a date (b is 11 or 12, or a > b as in 30/4);
//! "d/m/yyyy" is always a date. Dates read "ngày D tháng M năm Y", without repeating a "ngày"/"tháng" already said.

use super::numbers::{cardinal, month, value};
use super::roman;

/// Whether the words just before call for a date ("ngày 5/6", "sáng 26/10", "thứ bảy 5/6").
pub fn date_context(previous: &[String]) -> bool {
    let last = previous.last().map(String::as_str).unwrap_or("");
    if matches!(
        last,
        "ngày"
            | "hôm"
            | "sáng"
            | "trưa"
            | "chiều"
            | "tối"
            | "đêm"
            | "khuya"
            | "mùng"
            | "mồng"
            | "rạng"
            | "từ"
            | "đến"
            | "tới"
            | "và"
            | "hạn"
            | "trước"
            | "sau"
            | "vào"
            | "cuối"
            | "đầu"
            | "giữa"
            | "hết"
            | "qua"
            | "nay"
            | "dịp"
            | "tết"
            | "lịch"
            | "nhật"
    ) {
        return true;
    }
    if previous.len() >= 2 && previous[previous.len() - 2] == "thứ" {
        return matches!(last, "hai" | "ba" | "tư" | "năm" | "sáu" | "bảy");
    }
    false
}

fn day_ok(d: u32) -> bool {
    (1..=31).contains(&d)
}

fn month_ok(m: u32) -> bool {
    (1..=12).contains(&m)
}

fn year_ok(y: &str) -> bool {
    y.len() == 4 && value(y).is_some_and(|v| (1000..=2999).contains(&v))
}

fn said_ngay(previous: &[String]) -> bool {
    matches!(
        previous.last().map(String::as_str),
        Some("ngày" | "mùng" | "mồng")
    )
}

/// Reads a whole token as a date (or month/year), if it is one.
pub fn read(s: &str, previous: &[String], out: &mut Vec<String>) -> bool {
    // d/m/yyyy, d-m-yyyy, d.m.yyyy
    for sep in ['/', '-', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if parts.len() == 3 && parts[2].len() == 4 {
            if let (Some(d), Some(m)) = (value(parts[0]), value(parts[1])) {
                if day_ok(d)
                    && month_ok(m)
                    && year_ok(parts[2])
                    && parts[0].len() <= 2
                    && parts[1].len() <= 2
                {
                    if !said_ngay(previous) {
                        out.push("ngày".into());
                    }
                    day_month(parts[0], parts[1], out);
                    out.push("năm".into());
                    cardinal(parts[2], out);
                    return true;
                }
            }
        }
    }
    let last = previous.last().map(String::as_str).unwrap_or("");
    // m/yyyy, quý III/2020
    if let Some((m, y)) = s.split_once('/').or_else(|| {
        matches!(last, "tháng" | "quý" | "quí")
            .then(|| s.split_once('-'))
            .flatten()
    }) {
        if year_ok(y) {
            let quarter = matches!(last, "quý" | "quí");
            let mv = value(m).or_else(|| quarter.then(|| roman::value(m)).flatten());
            if let Some(mv) = mv {
                if quarter && (1..=4).contains(&mv) {
                    cardinal(&mv.to_string(), out);
                    out.push("năm".into());
                    cardinal(y, out);
                    return true;
                }
                if month_ok(mv) && m.len() <= 2 {
                    if last != "tháng" {
                        out.push("tháng".into());
                    }
                    month(m, out);
                    out.push("năm".into());
                    cardinal(y, out);
                    return true;
                }
            }
        }
    }
    // d-d/m (ngày 5-6/7)
    if let Some((days, m)) = s.split_once('/') {
        if let Some((d1, d2)) = days.split_once('-') {
            if let (Some(a), Some(b), Some(mv)) = (value(d1), value(d2), value(m)) {
                if day_ok(a) && day_ok(b) && month_ok(mv) {
                    if !said_ngay(previous) {
                        out.push("ngày".into());
                    }
                    cardinal(d1, out);
                    out.push("đến".into());
                    out.push("ngày".into());
                    day_month(d2, m, out);
                    return true;
                }
            }
        }
    }
    false
}

/// Reads "a/b" as a date or a fraction, by context (see the module doc).
pub fn day_month_or_fraction(
    a: &str,
    b: &str,
    previous: &[String],
    force_date: bool,
    out: &mut Vec<String>,
) -> bool {
    let (Some(av), Some(bv)) = (value(a), value(b)) else {
        return false;
    };
    if av == 24 && bv == 7 && !date_context(previous) && !force_date {
        // "24/7": around the clock.
        cardinal(a, out);
        out.push("trên".into());
        cardinal(b, out);
        return true;
    }
    let can_be_date = day_ok(av) && month_ok(bv) && a.len() <= 2 && b.len() <= 2;
    // Without a date word: 30/4 or 1/11 can only be dates in news; 1/3 is a third.
    let date = can_be_date && (force_date || date_context(previous) || bv >= 11 || av > bv);
    if date {
        if !said_ngay(previous) {
            out.push("ngày".into());
        }
        day_month(a, b, out);
        return true;
    }
    if bv == 0 {
        return false;
    }
    fraction(a, b, out);
    true
}

/// Reads a fraction "a phần b" (b = 4 is "tư": một phần tư); a large denominator that is not
/// a power of ten is a count out of a total and reads "a trên b" (75/77 tỉnh).
pub fn fraction(a: &str, b: &str, out: &mut Vec<String>) {
    cardinal(a, out);
    let bv = value(b).unwrap_or(0);
    let power_of_ten = b.starts_with('1') && b[1..].bytes().all(|c| c == b'0');
    if bv > 20 && !power_of_ten {
        out.push("trên".into());
        cardinal(b, out);
        return;
    }
    out.push("phần".into());
    if bv == 4 {
        out.push("tư".into());
    } else {
        cardinal(b, out);
    }
}

fn day_month(d: &str, m: &str, out: &mut Vec<String>) {
    cardinal(d, out);
    out.push("tháng".into());
    month(m, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, prev: &[&str]) -> Option<String> {
        let prev: Vec<String> = prev.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        read(s, &prev, &mut out).then(|| out.join(" "))
    }

    #[test]
    fn dates() {
        assert_eq!(
            d("26/10/2020", &[]).as_deref(),
            Some("ngày hai mươi sáu tháng mười năm hai nghìn hai mươi")
        );
        assert_eq!(
            d("3/2021", &["tháng"]).as_deref(),
            Some("ba năm hai nghìn hai mươi mốt")
        );
        assert_eq!(
            d("III/2020", &["quý"]).as_deref(),
            Some("ba năm hai nghìn hai mươi")
        );
        assert_eq!(
            d("5-6/7", &["ngày"]).as_deref(),
            Some("năm đến ngày sáu tháng bảy")
        );
        assert_eq!(d("32/13/2020", &[]), None);
    }
}
