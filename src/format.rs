//! How numbers and ages read, shared by the UI and `once`.

/// "12s", "3m", "2h", "4d".
pub fn age(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// Prices keep two decimals, more below 1 (crypto, pennies), and thousands separators.
pub fn price(p: f64) -> String {
    let decimals = if p.abs() < 1.0 { 4 } else { 2 };
    group_thousands(&format!("{p:.decimals$}"))
}

pub fn signed(v: f64) -> String {
    // Small changes of penny stocks need four decimals; a zero change does not.
    let s = if v.abs() >= 0.01 || v == 0.0 {
        group_thousands(&format!("{:.2}", v.abs()))
    } else {
        price(v.abs())
    };
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("-{s}")
    } else {
        format!("+{s}")
    }
}

pub fn pct(v: f64) -> String {
    format!("{v:+.2}%")
}

/// "-$593B", "+£83M", "-850M CHF": a large sum in `currency` (a major unit's
/// code), with its symbol where it has a well-known one, else its code.
pub fn money_short(v: f64, currency: Option<&str>) -> String {
    let sign = if v < 0.0 { "-" } else { "+" };
    let a = v.abs();
    let (n, unit) = if a >= 1e12 {
        (a / 1e12, "T")
    } else if a >= 1e9 {
        (a / 1e9, "B")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else {
        (a / 1e3, "K")
    };
    let n = if n >= 100.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    };
    match currency {
        Some(code) => match currency_symbol(code) {
            Some(sym) => format!("{sign}{sym}{n}{unit}"),
            None => format!("{sign}{n}{unit} {code}"),
        },
        None => format!("{sign}{n}{unit}"),
    }
}

/// The symbol of a currency whose symbol is not shared with another.
pub fn currency_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        _ => return None,
    })
}

/// Money in a position's currency: "-2,104.50", whole units from 100,000 up,
/// "12.3M" from ten million, so a table column stays narrow.
pub fn money(v: f64) -> String {
    let a = v.abs();
    let sign = if v < 0.0 && a >= 0.005 { "-" } else { "" };
    if a >= 1e7 {
        format!("{sign}{:.1}M", a / 1e6)
    } else if a >= 1e5 {
        format!("{sign}{}", group_thousands(&format!("{a:.0}")))
    } else {
        format!("{sign}{}", group_thousands(&format!("{a:.2}")))
    }
}

/// A gain or loss: [`money`] with its sign always shown.
pub fn signed_money(v: f64) -> String {
    let m = money(v);
    if m.starts_with('-') { m } else { format!("+{m}") }
}

/// A number of shares: "150", "1,234.5", "0.125" (no trailing zeros).
pub fn quantity(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    group_thousands(if s == "-0" { "0" } else { s })
}

fn group_thousands(s: &str) -> String {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// Rounds for JSON so that 118.42 / 142.62 - 1 prints as -16.968, not -16.968022...
pub fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// A figure as Nasdaq writes it: "$1,234.50", "-24.20", "-16.97%",
/// "818,830,938"; "N/A" and "" are none.
pub fn figure(s: &str) -> Option<f64> {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, '$' | ',' | '%' | '+' | ' '))
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// "1 alert", "2 alerts": `n` and the noun, plural with an s.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(age(5), "5s");
        assert_eq!(age(125), "2m");
        assert_eq!(age(7300), "2h");
        assert_eq!(price(118.42), "118.42");
        assert_eq!(price(19341.83), "19,341.83");
        assert_eq!(price(0.12345), "0.1235");
        assert_eq!(signed(-24.2), "-24.20");
        assert_eq!(signed(7.08), "+7.08");
        assert_eq!(signed(-0.000_01), "+0.0000");
        assert_eq!(signed(0.0), "+0.00");
        assert_eq!(signed(-0.005), "-0.0050");
        assert_eq!(signed(-622.19), "-622.19");
        assert_eq!(pct(-16.968), "-16.97%");
        assert_eq!(money_short(-592_658_000_000.0, Some("USD")), "-$593B");
        assert_eq!(money_short(1.2e12, Some("USD")), "+$1.2T");
        assert_eq!(money_short(-83e6, Some("GBP")), "-£83.0M");
        assert_eq!(money_short(-8.5e8, Some("CHF")), "-850M CHF");
        assert_eq!(money_short(-8.5e8, None), "-850M");
        assert_eq!(round(-16.968_022, 3), -16.968);
    }

    #[test]
    fn money_and_quantities() {
        assert_eq!(money(17_763.0), "17,763.00");
        assert_eq!(money(-3630.0), "-3,630.00");
        assert_eq!(money(-0.001), "0.00");
        assert_eq!(money(123_456.7), "123,457");
        assert_eq!(money(-25_400_000.0), "-25.4M");
        assert_eq!(signed_money(2421.0), "+2,421.00");
        assert_eq!(signed_money(-2421.0), "-2,421.00");
        assert_eq!(quantity(150.0), "150");
        assert_eq!(quantity(1234.5), "1,234.5");
        assert_eq!(quantity(-10.0), "-10");
        assert_eq!(quantity(0.125), "0.125");
    }

    #[test]
    fn string_numbers() {
        assert_eq!(figure("$118.42"), Some(118.42));
        assert_eq!(figure("-24.20"), Some(-24.2));
        assert_eq!(figure("818,830,938"), Some(818_830_938.0));
        assert_eq!(figure("N/A"), None);
        assert_eq!(figure(""), None);
    }
}
