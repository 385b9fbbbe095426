//! Abbreviations and acronyms from the project's own lexicon (`data/abbrev.tsv`).
//!
//! Part of stage 3 (normalize): UBND → ủy ban nhân dân, TP.HCM → thành phố hồ chí minh.
//! Lookups are exact-case: "CP" is an abbreviation, "cp" is not.

use std::sync::LazyLock;

static LEXICON: LazyLock<super::Table> =
    LazyLock::new(|| super::load_table(include_str!("data/abbrev.tsv")));

/// The spoken form of an abbreviation written exactly as `word`.
///
/// `previous` is the last spoken word before it, for the few abbreviations whose reading depends
/// on it ("Công ty CP" = cổ phần, "NĐ-CP" = chính phủ).
pub fn lookup(word: &str, previous: Option<&str>) -> Option<&'static str> {
    if word == "CP" && matches!(previous, Some("ty" | "đoàn")) {
        return Some("cổ phần");
    }
    LEXICON.get(word)
}

/// Prefixes of addresses and titles that are written with a dot before a name or number:
/// "Q.1", "P. Bến Nghé", "TX. Sơn Tây".
pub fn dotted_prefix(word: &str) -> Option<&'static str> {
    Some(match word {
        "Q" => "quận",
        "P" => "phường",
        "H" => "huyện",
        "X" => "xã",
        "TX" | "Tx" => "thị xã",
        "TT" | "Tt" => "thị trấn",
        "TP" | "Tp" => "thành phố",
        "KP" => "khu phố",
        "GS" => "giáo sư",
        "PGS" => "phó giáo sư",
        "TS" => "tiến sĩ",
        "ThS" | "Ths" => "thạc sĩ",
        "BS" | "Bs" => "bác sĩ",
        "KS" => "kỹ sư",
        "LS" => "luật sư",
        "NS" => "nhạc sĩ",
        "NSND" => "nghệ sĩ nhân dân",
        "NSƯT" => "nghệ sĩ ưu tú",
        "St" => "thánh",
        _ => return None,
    })
}

/// Every entry of the lexicon, for tests and coverage.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    LEXICON.iter()
}
