//! Clock times and durations: 23:24:57, 19h30, 14g30, 7h, 3p20s.
//!
//! Part of stage 3 (normalize). Reads "H giờ M phút S giây", leaving out zero minutes and
//! seconds (8:00 = tám giờ, 03:00:03 = ba giờ ba giây).

use super::numbers::{cardinal, is_digits, value};

/// Reads a whole token as a time, if it is one.
pub fn read(s: &str, out: &mut Vec<String>) -> bool {
    // H:MM and H:MM:SS
    let parts: Vec<&str> = s.split(':').collect();
    if (2..=3).contains(&parts.len())
        && parts.iter().all(|p| is_digits(p))
        && parts[0].len() <= 2
        && parts[1..].iter().all(|p| p.len() == 2)
    {
        let h = value(parts[0]).unwrap_or(99);
        let m = value(parts[1]).unwrap_or(99);
        let sec = parts.get(2).and_then(|p| value(p)).unwrap_or(0);
        if h <= 24 && m < 60 && sec < 60 {
            clock(parts[0], parts[1], parts.get(2).copied(), out);
            return true;
        }
        return false;
    }
    // 19h30, 14g30, 7h, 7h30', 19h30p
    for sep in ['h', 'g', 'H'] {
        if let Some((h, raw)) = s.split_once(sep) {
            let rest = raw.trim_end_matches(['\'', 'p', '’']);
            if rest.is_empty() != raw.is_empty() {
                continue;
            }
            if is_digits(h)
                && h.len() <= 2
                && (rest.is_empty() || (is_digits(rest) && rest.len() == 2))
            {
                let hv = value(h).unwrap_or(99);
                let mv = if rest.is_empty() {
                    0
                } else {
                    value(rest).unwrap_or(99)
                };
                if (sep != 'g' || !rest.is_empty()) && hv <= 24 && mv < 60 {
                    clock(h, if rest.is_empty() { "0" } else { rest }, None, out);
                    return true;
                }
            }
        }
    }
    // 3p20s (minutes and seconds)
    if let Some((m, rest)) = s.split_once('p') {
        if let Some(sec) = rest.strip_suffix('s') {
            if is_digits(m) && is_digits(sec) && m.len() <= 3 && sec.len() <= 2 {
                let mv = value(m).unwrap_or(0);
                let sv = value(sec).unwrap_or(0);
                if mv > 0 || sv == 0 {
                    cardinal(m, out);
                    out.push("phút".into());
                }
                if sv > 0 {
                    cardinal(sec, out);
                    out.push("giây".into());
                }
                return true;
            }
        }
    }
    false
}

fn clock(h: &str, m: &str, s: Option<&str>, out: &mut Vec<String>) {
    cardinal(h, out);
    out.push("giờ".into());
    if value(m).unwrap_or(0) > 0 {
        cardinal(m, out);
        out.push("phút".into());
    }
    if let Some(s) = s.filter(|s| value(s).unwrap_or(0) > 0) {
        cardinal(s, out);
        out.push("giây".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<String> {
        let mut out = Vec::new();
        read(s, &mut out).then(|| out.join(" "))
    }

    #[test]
    fn clock_times() {
        assert_eq!(
            t("23:24:57").as_deref(),
            Some("hai mươi ba giờ hai mươi tư phút năm mươi bảy giây")
        );
        assert_eq!(t("19h30").as_deref(), Some("mười chín giờ ba mươi phút"));
        assert_eq!(t("7h").as_deref(), Some("bảy giờ"));
        assert_eq!(t("8:00").as_deref(), Some("tám giờ"));
        assert_eq!(t("25:00"), None);
        assert_eq!(t("1:2"), None);
    }
}
