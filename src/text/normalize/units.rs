//! Units of measure and currencies (`data/units.tsv`): km → ki lô mét, USD → đô la.
//!
//! Part of stage 3 (normalize). A unit is read after its number; currencies may also stand
//! before it ($100, US$5).

use std::sync::LazyLock;

use crate::text::hash::FnvMap;

/// What a unit measures: money takes "một" for "per" (50.000 đồng/kg = … đồng một ki lô gam),
/// other measures take "trên" (km/h = ki lô mét trên giờ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Measure,
    Currency,
}

/// A unit's spoken form and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub spoken: &'static str,
    pub kind: UnitKind,
}

fn table() -> impl Iterator<Item = (&'static str, Unit)> {
    include_str!("data/units.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let key = cols.next()?;
            let spoken = cols.next()?;
            let kind = match cols.next()? {
                "c" => UnitKind::Currency,
                _ => UnitKind::Measure,
            };
            Some((key, Unit { spoken, kind }))
        })
}

static UNITS: LazyLock<FnvMap<&'static str, Unit>> = LazyLock::new(|| table().collect());

/// Lowercased symbols; on a clash the first line of the table wins (kb = KB, kilobyte).
static LOWER: LazyLock<FnvMap<String, Unit>> = LazyLock::new(|| {
    let mut map = FnvMap::default();
    for (k, u) in table() {
        map.entry(k.to_lowercase()).or_insert(u);
    }
    map
});

/// Looks a unit up: exact symbol first, then lowercase (not for a single capital letter,
/// so "4G" stays a network generation and is not "4 gam").
pub fn lookup(symbol: &str) -> Option<Unit> {
    if let Some(u) = UNITS.get(symbol) {
        return Some(*u);
    }
    let single_capital = symbol.chars().count() == 1 && symbol.chars().all(char::is_uppercase);
    if single_capital {
        return None;
    }
    super::with_lowercase(symbol, |lower| LOWER.get(lower).copied())
}

/// Every unit, for tests.
pub fn entries() -> impl Iterator<Item = (&'static str, Unit)> {
    UNITS.iter().map(|(k, v)| (*k, *v))
}
