//! Money amounts: 100.000đ, 5,2 tỷ đồng, $100, 10,5$ (mười đô la năm mươi xu).
//!
//! Part of stage 3 (normalize). Amounts in dollars or euros written with one or two decimals
//! are read with cents ("xu"); every other amount reads its number, then the currency.

use super::numbers::{cardinal, say};
use super::numeric::Number;

/// Whether a currency symbol is read with cents after a decimal comma.
pub fn has_cents(symbol: &str) -> bool {
    matches!(symbol, "$" | "US$" | "€")
}

/// Reads an amount followed by its currency word.
pub fn amount(n: &Number, currency: &str, cents: bool, out: &mut Vec<String>) {
    if let (true, Number::Decimal(int, frac)) = (cents, n) {
        if (1..=2).contains(&frac.len()) {
            let c = format!("{frac:0<2}");
            let int_zero = int.trim_start_matches('0').is_empty();
            let cents_zero = c == "00";
            if !int_zero || cents_zero {
                cardinal(int, out);
                say(out, currency);
            }
            if !cents_zero {
                cardinal(&c, out);
                out.push("xu".into());
            }
            return;
        }
    }
    n.read(out);
    say(out, currency);
}
