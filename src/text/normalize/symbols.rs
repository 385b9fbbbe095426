//! Symbols, e-mail addresses and URLs: & + = % @ °, ban@vnexpress.net, www.dantri.com.vn.
//!
//! Part of stage 3 (normalize). Addresses are read piece by piece: words as words (or spelled),
//! digits one by one, "." = chấm, "@" = a còng, "/" = gạch chéo, "-" = gạch ngang.

use super::numbers::{digits, say};
use super::words;

/// The spoken name of a symbol standing on its own, if it has one.
pub fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '&' => "và",
        '+' => "cộng",
        '=' => "bằng",
        '%' => "phần trăm",
        '‰' => "phần nghìn",
        '@' => "a còng",
        '°' => "độ",
        '~' | '≈' => "khoảng",
        '>' => "lớn hơn",
        '<' => "nhỏ hơn",
        '≥' => "lớn hơn hoặc bằng",
        '≤' => "nhỏ hơn hoặc bằng",
        '±' => "cộng trừ",
        '×' => "nhân",
        '÷' => "chia",
        '→' => "đến",
        '$' => "đô la",
        '€' => "ơ rô",
        '£' => "bảng anh",
        '¥' => "yên",
        '₫' => "đồng",
        '§' => "mục",
        '#' => "thăng",
        '^' => "mũ",
        _ => return None,
    })
}

const TLDS: [&str; 16] = [
    "com", "vn", "net", "org", "gov", "edu", "info", "io", "co", "uk", "us", "me", "tv", "biz",
    "int", "asia",
];

/// Whether `s` looks like an e-mail address.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.ends_with('.')
        && local
            .chars()
            .chain(domain.chars())
            .all(|c| c.is_alphanumeric() || "._-+".contains(c))
}

/// Whether `s` looks like a URL or a bare domain name (dantri.com.vn).
pub fn is_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return true;
    }
    let host = lower.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels[0].chars().any(|c| c.is_ascii_alphabetic())
        && TLDS.contains(labels.last().unwrap_or(&""))
}

/// Reads an e-mail address or URL piece by piece.
pub fn read_address(s: &str, out: &mut Vec<String>) {
    let lower = s.to_ascii_lowercase();
    let mut rest = s;
    for scheme in ["https://", "http://"] {
        if lower.starts_with(scheme) {
            tracing::debug!(url = s, "URL scheme not read aloud");
            rest = &s[scheme.len()..];
        }
    }
    let rest = rest.trim_end_matches('/');
    let mut word = String::new();
    for c in rest.chars() {
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        flush(&mut word, out);
        match c {
            '.' => say(out, "chấm"),
            '@' => say(out, "a còng"),
            '/' => say(out, "gạch chéo"),
            '-' => say(out, "gạch ngang"),
            '_' => say(out, "gạch dưới"),
            ':' => say(out, "hai chấm"),
            '?' => say(out, "chấm hỏi"),
            '=' => say(out, "bằng"),
            '&' => say(out, "và"),
            '#' => say(out, "thăng"),
            '%' => say(out, "phần trăm"),
            '+' => say(out, "cộng"),
            '~' => say(out, "ngã"),
            _ => {}
        }
    }
    flush(&mut word, out);
}

fn flush(word: &mut String, out: &mut Vec<String>) {
    if word.is_empty() {
        return;
    }
    if word.eq_ignore_ascii_case("www") {
        say(out, "vê kép vê kép vê kép");
    } else if word.chars().all(|c| c.is_ascii_digit()) {
        digits(word, out);
    } else if word.chars().any(|c| c.is_ascii_digit()) {
        // Mixed letters and digits in an address: letters as a word, digits one by one.
        let mut run = String::new();
        let mut digit_run = false;
        for c in word.chars() {
            if c.is_ascii_digit() != digit_run && !run.is_empty() {
                piece(&run, digit_run, out);
                run.clear();
            }
            digit_run = c.is_ascii_digit();
            run.push(c);
        }
        piece(&run, digit_run, out);
    } else {
        out.extend(words::read_plain(word));
    }
    word.clear();
}

fn piece(run: &str, digit_run: bool, out: &mut Vec<String>) {
    if digit_run {
        digits(run, out);
    } else {
        out.extend(words::read_plain(run));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_addresses() {
        assert!(is_email("ban.doc@vnexpress.net"));
        assert!(!is_email("@abc"));
        assert!(is_url("dantri.com.vn"));
        assert!(is_url("https://example.org/a?b=1"));
        assert!(!is_url("TP.HCM"));
        assert!(!is_url("v.v"));
    }
}
