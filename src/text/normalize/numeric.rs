//! Tokens with digits: numbers, decimals, percentages, ranges, fractions, dates, times, money,
//! measures, phone numbers, and mixed codes (U23, COVID-19, H5N1).
//!
//! Part of stage 3 (normalize). [`read`] takes one whitespace-free token; readings that need
//! the neighbouring tokens (phone groups, "tháng 1 2024", "5 1/2") live in the module root.

use super::numbers::{cardinal, decimal, digits, is_digits, say};
use super::units::{self, UnitKind};
use super::{dates, money, symbols, times, words};
use crate::text::TokenKind;

/// A number as written at the start of a token.
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// Digits without separators (thousands dots already removed).
    Integer(String),
    /// Integer part and the digits after the decimal comma.
    Decimal(String, String),
    /// Dot-separated digit groups that are not thousands ("2.0", "1.2.3"): read with "chấm".
    Dotted(Vec<String>),
}

impl Number {
    /// Reads the number.
    pub fn read(&self, out: &mut Vec<String>) {
        match self {
            Number::Integer(d) => integer(d, out),
            Number::Decimal(i, f) => decimal(i, f, out),
            Number::Dotted(parts) => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push("chấm".into());
                    }
                    integer(p, out);
                }
            }
        }
    }
}

/// Reads an integer: codes with two or more leading zeros digit by digit ("007"), else cardinal.
pub fn integer(d: &str, out: &mut Vec<String>) {
    if d.len() >= 3 && d.starts_with('0') {
        digits(d, out);
    } else {
        cardinal(d, out);
    }
}

/// Splits a token into its leading number and the rest ("200km" → 200, "km").
pub fn split_number(s: &str) -> Option<(Number, &str)> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map_or(s.len(), |(i, _)| i);
    let mut run = &s[..end];
    while run.ends_with(['.', ',']) {
        run = &run[..run.len() - 1];
    }
    if run.is_empty() || !run.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = &s[run.len()..];
    Some((parse_number(run)?, rest))
}

fn groups_ok(groups: &[&str]) -> bool {
    !groups.is_empty()
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| is_digits(g))
}

/// Parses digits with "." and "," separators (Vietnamese: dots group thousands, the comma is
/// the decimal mark; English grouping "1,234,567" is accepted when unambiguous).
pub fn parse_number(run: &str) -> Option<Number> {
    if is_digits(run) {
        return Some(Number::Integer(run.to_string()));
    }
    let commas = run.matches(',').count();
    let dots = run.matches('.').count();
    if commas <= 1 {
        let (int, frac) = run.split_once(',').unwrap_or((run, ""));
        let groups: Vec<&str> = int.split('.').collect();
        if dots > 0 && groups_ok(&groups) {
            let joined: String = groups.concat();
            return Some(if commas == 1 {
                is_digits(frac).then(|| Number::Decimal(joined, frac.to_string()))?
            } else {
                Number::Integer(joined)
            });
        }
        if dots == 0 && commas == 1 && is_digits(int) && is_digits(frac) {
            return Some(Number::Decimal(int.to_string(), frac.to_string()));
        }
        if commas == 0 && run.split('.').all(is_digits) {
            return Some(Number::Dotted(run.split('.').map(str::to_string).collect()));
        }
        return None;
    }
    // English grouping: 1,234,567 or 1,234,567.89
    let (int, frac) = run.split_once('.').unwrap_or((run, ""));
    let groups: Vec<&str> = int.split(',').collect();
    if groups_ok(&groups) && dots <= 1 {
        let joined = groups.concat();
        return Some(if frac.is_empty() {
            Number::Integer(joined)
        } else {
            is_digits(frac).then(|| Number::Decimal(joined, frac.to_string()))?
        });
    }
    None
}

/// Whether a token is a telephone number by its shape: 0 + 9–10 digits, maybe with . - groups.
pub fn is_phone(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return false;
    }
    let n = body.chars().filter(char::is_ascii_digit).count();
    if s.starts_with('+') {
        return (10..=13).contains(&n) && body.starts_with(|c: char| c.is_ascii_digit());
    }
    if !body.starts_with('0') {
        return false;
    }
    // Thousands-like groups ("0.500") are not phone numbers; dates neither.
    (10..=11).contains(&n)
}

/// Reads a telephone number: "+" = cộng, then the digits one by one.
pub fn phone(s: &str, out: &mut Vec<String>) {
    if s.starts_with('+') {
        out.push("cộng".into());
    }
    digits(s, out);
}

/// Reads one token that contains a digit. `None` if it is not a number form we know; the
/// caller then reads it as a mixed code.
pub fn read(s: &str, previous: &[String]) -> Option<(TokenKind, Vec<String>)> {
    let mut out = Vec::new();
    if is_phone(s) {
        phone(s, &mut out);
        return Some((TokenKind::Telephone, out));
    }
    let (negative, body) = match s.strip_prefix(['-', '−']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => (true, rest),
        _ => (false, s),
    };
    let (plus, body) = match body.strip_prefix('+') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => (true, rest),
        _ => (false, body),
    };
    if negative {
        out.push("âm".into());
    }
    if plus {
        out.push("cộng".into());
    }
    let kind = body_read(body, previous, &mut out)?;
    Some((kind, out))
}

fn body_read(s: &str, previous: &[String], out: &mut Vec<String>) -> Option<TokenKind> {
    if times::read(s, out) {
        return Some(TokenKind::Time);
    }
    if dates::read(s, previous, out) {
        return Some(TokenKind::Date);
    }
    if let Some(k) = quantity(s, out) {
        return Some(k);
    }
    if let Some(k) = range(s, previous, out) {
        return Some(k);
    }
    slash(s, previous, out)
}

/// A number with an optional suffix: %, a unit, a currency, informal k/tr/t scales; or a
/// currency sign before it ($100, €5).
fn quantity(s: &str, out: &mut Vec<String>) -> Option<TokenKind> {
    for (sign, unit) in [
        ("US$", "US$"),
        ("$", "$"),
        ("€", "€"),
        ("£", "£"),
        ("¥", "¥"),
    ] {
        if let Some(rest) = s.strip_prefix(sign) {
            let (n, suffix) = split_number(rest)?;
            let u = units::lookup(unit)?;
            let mut tmp = Vec::new();
            if suffix.is_empty() {
                money::amount(&n, u.spoken, money::has_cents(unit), &mut tmp);
            } else {
                informal_scale(&n, suffix, &mut tmp)?;
                say(&mut tmp, u.spoken);
            }
            out.extend(tmp);
            return Some(TokenKind::Money);
        }
    }
    let (n, suffix) = split_number(s)?;
    if suffix.is_empty() {
        n.read(out);
        return Some(match n {
            Number::Decimal(..) => TokenKind::Decimal,
            _ => TokenKind::Cardinal,
        });
    }
    // "10.6%", "1.5m": a dot before a short fraction with a unit is a decimal point.
    let n = match n {
        Number::Dotted(parts) if parts.len() == 2 && parts[1].len() != 3 => {
            Number::Decimal(parts[0].clone(), parts[1].clone())
        }
        n => n,
    };
    if suffix == "%" {
        n.read(out);
        say(out, "phần trăm");
        return Some(TokenKind::Percent);
    }
    if let Some(u) = units::lookup(suffix) {
        if u.kind == UnitKind::Currency {
            money::amount(&n, u.spoken, money::has_cents(suffix), out);
            return Some(TokenKind::Money);
        }
        n.read(out);
        say(out, u.spoken);
        return Some(TokenKind::Measure);
    }
    let mut tmp = Vec::new();
    if informal_scale(&n, suffix, &mut tmp).is_some() {
        out.extend(tmp);
        return Some(TokenKind::Money);
    }
    None
}

/// Informal scales after a number: 10k = mười nghìn, 1tr2 = một triệu hai trăm nghìn,
/// 2t3 = hai tỷ ba trăm triệu. Returns "" after writing the whole reading to `out`.
fn informal_scale(n: &Number, suffix: &str, out: &mut Vec<String>) -> Option<&'static str> {
    let Number::Integer(int) = n else {
        // 1,5k = một phẩy năm nghìn
        let (scale, rest) = scale_prefix(suffix)?;
        if !rest.is_empty() {
            return None;
        }
        n.read(out);
        say(out, scale.0);
        return Some("");
    };
    let (scale, rest) = scale_prefix(suffix)?;
    if !(rest.is_empty() || (is_digits(rest) && rest.len() <= 3)) {
        return None;
    }
    cardinal(int, out);
    say(out, scale.0);
    if !rest.is_empty() {
        let padded = format!("{rest:0<3}");
        cardinal(&padded, out);
        say(out, scale.1);
    }
    Some("")
}

/// (scale word, the scale below it) for an informal suffix, and what follows the suffix.
fn scale_prefix(suffix: &str) -> Option<((&'static str, &'static str), &str)> {
    for (p, words) in [
        ("tr", ("triệu", "nghìn")),
        ("k", ("nghìn", "")),
        ("K", ("nghìn", "")),
        ("t", ("tỷ", "triệu")),
    ] {
        if let Some(rest) = suffix.strip_prefix(p) {
            return Some((words, rest));
        }
    }
    None
}

/// A range "a-b": 2021-2025, 200-220km, 10-15%, 8h-10h, 50.000đ-100.000đ.
fn range(s: &str, previous: &[String], out: &mut Vec<String>) -> Option<TokenKind> {
    let (at, dash) = s
        .char_indices()
        .skip(1)
        .find(|&(_, c)| matches!(c, '-' | '–' | '—' | '~'))?;
    let (left, right) = (&s[..at], &s[at + dash.len_utf8()..]);
    if left.is_empty()
        || right.is_empty()
        || !right.starts_with(|c: char| c.is_ascii_digit() || "$€".contains(c))
    {
        return None;
    }
    let mut r = Vec::new();
    body_read(right, previous, &mut r)?;
    let mut l = Vec::new();
    let right_is_date = right.matches('/').count() == 2;
    if right_is_date {
        if let Some((a, b)) = left.split_once('/') {
            if !dates::day_month_or_fraction(a, b, previous, true, &mut l) {
                return None;
            }
        }
    }
    if l.is_empty() {
        body_read(left, previous, &mut l)?;
    }
    out.extend(l);
    if !is_score(left, right, previous) {
        out.push("đến".into());
    }
    out.extend(r);
    Some(TokenKind::Range)
}

/// A match score ("thắng 2-1", "tỷ số 3-0") is read without "đến": thắng hai một.
fn is_score(left: &str, right: &str, previous: &[String]) -> bool {
    let small = |s: &str| is_digits(s) && s.len() <= 2;
    let n = previous.len();
    let last = previous.last().map(String::as_str).unwrap_or("");
    let score_word = matches!(last, "thắng" | "thua" | "hòa" | "bại" | "số")
        && (last != "số" || (n >= 2 && matches!(previous[n - 2].as_str(), "tỷ" | "tỉ")));
    small(left) && small(right) && score_word
}

/// Tokens with "/": a date or a fraction (1/3), a fraction with a unit (1/2kg), a rate
/// (50.000đ/ngày, 200mg/ml), or a document number (15/2020/NĐ-CP) read with "trên".
fn slash(s: &str, previous: &[String], out: &mut Vec<String>) -> Option<TokenKind> {
    let (left, right) = s.split_once('/')?;
    if left.is_empty() || right.is_empty() {
        return None;
    }
    if is_digits(left) && is_digits(right) {
        let before = out.len();
        if dates::day_month_or_fraction(left, right, previous, false, out) {
            let date = out[before..].iter().any(|w| w == "tháng");
            return Some(if date {
                TokenKind::Date
            } else {
                TokenKind::Fraction
            });
        }
    }
    if is_digits(left) {
        if let Some((Number::Integer(den), suffix)) = split_number(right) {
            if let Some(u) = units::lookup(suffix) {
                dates::fraction(left, &den, out);
                say(out, u.spoken);
                return Some(TokenKind::Measure);
            }
        }
    }
    // A quantity per something.
    let mut l = Vec::new();
    if let Some(kind) = quantity(left, &mut l) {
        if !right.contains('/') {
            let per = if kind == TokenKind::Money {
                "một"
            } else {
                "trên"
            };
            let mut r = Vec::new();
            match units::lookup(right) {
                Some(u) => say(&mut r, u.spoken),
                None if !right.chars().any(|c| c.is_ascii_digit()) => {
                    r.extend(words::read(right, previous).1)
                }
                None => return None,
            }
            out.extend(l);
            say(out, per);
            out.extend(r);
            return Some(if kind == TokenKind::Money {
                kind
            } else {
                TokenKind::Measure
            });
        }
    }
    // Document numbers and other slashed codes.
    let mut any = false;
    for (i, part) in s.split('/').enumerate() {
        if part.is_empty() {
            continue;
        }
        if i > 0 && any {
            out.push("trên".into());
        }
        if part.chars().any(|c| c.is_ascii_digit()) {
            match read(part, previous) {
                Some((_, w)) => out.extend(w),
                None => mixed(part, previous, out),
            }
        } else {
            out.extend(words::read(part, previous).1);
        }
        any = true;
    }
    any.then_some(TokenKind::Symbol)
}

/// Reads a token mixing letters, digits and signs run by run (U23, H5N1, COVID-19, 4G).
pub fn mixed(s: &str, previous: &[String], out: &mut Vec<String>) {
    #[derive(PartialEq, Clone, Copy)]
    enum Run {
        Letter,
        Digit,
        Other,
    }
    let class = |c: char| {
        if c.is_ascii_digit() {
            Run::Digit
        } else if c.is_alphabetic() {
            Run::Letter
        } else {
            Run::Other
        }
    };
    let mut runs: Vec<(Run, String)> = Vec::new();
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some((r, text)) if *r == k => text.push(c),
            _ => runs.push((k, c.to_string())),
        }
    }
    for (i, (kind, text)) in runs.iter().enumerate() {
        match kind {
            Run::Letter => out.extend(words::read(text, previous).1),
            Run::Digit => {
                // "COVID-19", "U23": the number as a number; long codes and "A01" digit by digit.
                let after_dot =
                    i > 0 && runs[i - 1].0 == Run::Other && runs[i - 1].1.ends_with('.');
                if text.len() > 4 || (text.len() > 1 && text.starts_with('0')) || after_dot {
                    digits(text, out);
                } else {
                    integer(text, out);
                }
            }
            Run::Other => {
                for c in text.chars() {
                    let between_digits = i > 0
                        && runs.get(i + 1).is_some_and(|r| r.0 == Run::Digit)
                        && runs[i - 1].0 == Run::Digit;
                    match c {
                        ',' | '.' if between_digits => {
                            say(out, if c == ',' { "phẩy" } else { "chấm" })
                        }
                        '-' | '_' | '\'' | '’' | ':' | '.' | ',' => {}
                        c => {
                            if let Some(n) = symbols::name(c) {
                                say(out, n);
                            }
                        }
                    }
                }
            }
        }
    }
}
