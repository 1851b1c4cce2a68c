//! One total in one currency (`[portfolio] currency`): each position's money,
//! already in its currency's major unit (pence made pounds), converted at a
//! live rate. Rates are Yahoo's `USDEUR=X`-style symbols, priced like any other
//! but never shown in a watchlist.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::Quote;
use crate::position::Holding;

/// A rate older than this (since it was last fetched) is still used, and said to be old.
pub const STALE_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// The symbol that prices one `from` in `to`: "USDEUR=X".
pub fn pair(from: &str, to: &str) -> String {
    format!("{from}{to}=X")
}

/// The currencies a pair symbol converts between.
pub fn parse_pair(symbol: &str) -> Option<(&str, &str)> {
    let body = symbol.strip_suffix("=X")?;
    (body.len() == 6 && body.is_char_boundary(3)).then(|| body.split_at(3))
}

/// One rate as last fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub from: String,
    pub to: String,
    /// How many `to` one `from` buys.
    pub rate: f64,
    /// The market's time of the rate, when the provider gave it.
    pub as_of: Option<DateTime<Utc>>,
    /// When this process last received it.
    pub fetched_at: DateTime<Utc>,
}

impl Rate {
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        now - self.fetched_at > STALE_AFTER
    }

    /// "1 USD = 0.9612 EUR".
    pub fn text(&self) -> String {
        format!("1 {} = {} {}", self.from, figure(self.rate), self.to)
    }
}

/// A rate to four decimals: 1.1875, where a price's two would say 1.19.
pub fn figure(rate: f64) -> String {
    format!("{rate:.4}")
}

/// The rates known, by pair symbol.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    by_symbol: BTreeMap<String, Rate>,
}

impl Rates {
    /// Takes a quote of a pair symbol; whether it was one.
    pub fn take(&mut self, q: &Quote) -> bool {
        let Some((from, to)) = parse_pair(&q.symbol) else {
            return false;
        };
        if !(q.price.is_finite() && q.price > 0.0) {
            return true;
        }
        let rate = Rate {
            from: from.to_string(),
            to: to.to_string(),
            rate: q.price,
            as_of: q.market_time,
            fetched_at: q.fetched_at,
        };
        self.by_symbol.insert(q.symbol.clone(), rate);
        true
    }

    pub fn get(&self, from: &str, to: &str) -> Option<&Rate> {
        self.by_symbol.get(&pair(from, to))
    }

    /// Forgets the rates no longer wanted.
    pub fn keep(&mut self, wanted: &[String]) {
        self.by_symbol.retain(|s, _| wanted.contains(s));
    }
}

/// The pair symbols `holdings` need to be added up in `target`, sorted.
pub fn needed<'a>(target: &str, holdings: impl IntoIterator<Item = &'a Holding>) -> Vec<String> {
    let mut out: Vec<String> = holdings
        .into_iter()
        .filter_map(|h| h.currency.as_deref())
        .filter(|c| *c != target)
        .map(|c| pair(c, target))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Positions added up in one currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Converted {
    pub watchlist: String,
    pub currency: String,
    /// Null while a rate is missing (`missing` says which).
    pub value: Option<f64>,
    pub day_pnl: Option<f64>,
    pub total_pnl: Option<f64>,
    pub converted: bool,
    /// The rate used per currency: how many of `currency` one unit buys.
    pub rates: BTreeMap<String, f64>,
    /// Currencies without a rate yet (or of a position whose currency is unknown: "?").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Currencies whose rate was last fetched over 15 minutes ago.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<String>,
}

/// `holdings` in `target`, at `rates` as they are at `now`.
pub fn convert<'a>(
    watchlist: &str,
    target: &str,
    holdings: impl IntoIterator<Item = &'a Holding>,
    rates: &Rates,
    now: DateTime<Utc>,
) -> Converted {
    let mut out = Converted {
        watchlist: watchlist.to_string(),
        currency: target.to_string(),
        value: Some(0.0),
        day_pnl: Some(0.0),
        total_pnl: Some(0.0),
        converted: true,
        rates: BTreeMap::new(),
        missing: Vec::new(),
        stale: Vec::new(),
    };
    let mut sums = (0.0, 0.0, 0.0);
    for h in holdings {
        let rate = match h.currency.as_deref() {
            Some(c) if c == target => 1.0,
            Some(c) => match rates.get(c, target) {
                Some(r) => {
                    out.rates.insert(c.to_string(), r.rate);
                    if r.is_stale(now) && !out.stale.iter().any(|s| s == c) {
                        out.stale.push(c.to_string());
                    }
                    r.rate
                }
                None => {
                    if !out.missing.iter().any(|m| m == c) {
                        out.missing.push(c.to_string());
                    }
                    continue;
                }
            },
            None => {
                if !out.missing.iter().any(|m| m == "?") {
                    out.missing.push("?".into());
                }
                continue;
            }
        };
        sums.0 += h.value * rate;
        sums.1 += h.day_pnl.unwrap_or(0.0) * rate;
        sums.2 += h.total_pnl * rate;
    }
    if out.missing.is_empty() {
        out.value = Some(sums.0);
        out.day_pnl = Some(sums.1);
        out.total_pnl = Some(sums.2);
    } else {
        (out.value, out.day_pnl, out.total_pnl) = (None, None, None);
    }
    out
}

impl Converted {
    /// What keeps the total from being whole or current: "no GBP rate yet",
    /// "USD rate 2h old"; empty when nothing does.
    pub fn caveat(&self, rates: &Rates, now: DateTime<Utc>) -> String {
        let mut parts: Vec<String> = self
            .missing
            .iter()
            .map(|c| {
                if c == "?" {
                    "a position of unknown currency".to_string()
                } else {
                    format!("no {c}→{} rate yet", self.currency)
                }
            })
            .collect();
        for c in &self.stale {
            if let Some(r) = rates.get(c, &self.currency) {
                let age = crate::format::age((now - r.fetched_at).num_seconds());
                parts.push(format!("{c} rate {age} old"));
            }
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position::Lot;

    fn fx(symbol: &str, price: f64, fetched_at: DateTime<Utc>) -> Quote {
        Quote {
            currency: Some(symbol[3..6].to_string()),
            ..Quote::bare(symbol, price, "yahoo", fetched_at)
        }
    }

    fn held(symbol: &str, price: f64, prev: f64, currency: &str, lot: Lot) -> Holding {
        let q = Quote {
            currency: Some(currency.into()),
            ..Quote::sample(symbol, price, prev)
        };
        Holding::of(&[lot], &q).unwrap_or_else(|| unreachable!("a lot"))
    }

    #[test]
    fn pence_become_pounds_before_the_rate_and_a_missing_rate_is_named() {
        let now = Utc::now();
        let nvda = held(
            "NVDA",
            118.42,
            142.62,
            "USD",
            Lot {
                shares: 10.0,
                cost: 100.0,
            },
        );
        // 1,000 shares of a 250p listing bought at 200p: £2,500, up £500.
        let shel = held(
            "SHEL.L",
            250.0,
            260.0,
            "GBp",
            Lot {
                shares: 1000.0,
                cost: 200.0,
            },
        );
        let sap = held(
            "SAP.DE",
            200.0,
            200.0,
            "EUR",
            Lot {
                shares: 1.0,
                cost: 150.0,
            },
        );
        let all = [nvda, shel, sap];
        assert_eq!(needed("EUR", &all), ["GBPEUR=X", "USDEUR=X"]);

        let mut rates = Rates::default();
        assert!(rates.take(&fx("USDEUR=X", 0.96, now)));
        assert!(!rates.take(&Quote::sample("NVDA", 1.0, 1.0)), "not a pair");
        let partial = convert("W", "EUR", &all, &rates, now);
        assert_eq!(partial.missing, ["GBP"]);
        assert_eq!(partial.value, None, "no total while a rate is missing");
        assert_eq!(partial.caveat(&rates, now), "no GBP→EUR rate yet");

        rates.take(&fx("GBPEUR=X", 1.2, now));
        let whole = convert("W", "EUR", &all, &rates, now);
        let value = 1184.2 * 0.96 + 2500.0 * 1.2 + 200.0;
        assert!((whole.value.unwrap() - value).abs() < 1e-6, "{whole:?}");
        let day = -242.0 * 0.96 + -100.0 * 1.2;
        assert!((whole.day_pnl.unwrap() - day).abs() < 1e-6);
        assert_eq!(whole.rates.get("GBP"), Some(&1.2));
        assert!(whole.missing.is_empty() && whole.stale.is_empty());
    }

    #[test]
    fn an_old_rate_is_used_and_said_to_be_old() {
        let now = Utc::now();
        let nvda = held(
            "NVDA",
            100.0,
            100.0,
            "USD",
            Lot {
                shares: 1.0,
                cost: 50.0,
            },
        );
        let mut rates = Rates::default();
        rates.take(&fx("USDEUR=X", 0.9, now - chrono::TimeDelta::hours(2)));
        let c = convert("W", "EUR", [&nvda], &rates, now);
        assert_eq!(c.value, Some(90.0));
        assert_eq!(c.stale, ["USD"]);
        assert_eq!(c.caveat(&rates, now), "USD rate 2h old");
        assert_eq!(parse_pair("USDEUR=X"), Some(("USD", "EUR")));
        assert_eq!(parse_pair("NVDA"), None);
    }
}
