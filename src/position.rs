//! Positions: the lots a user holds in a symbol, what they are worth now, what
//! they made today and since they were bought, and the totals per watchlist.

use serde::Serialize;

use crate::model::{ExtendedSession, Level, Quote};

/// One purchase: how many shares, at what price each, in the unit the symbol is
/// quoted in (pence for a `GBp` listing). Negative shares are a short position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lot {
    pub shares: f64,
    pub cost: f64,
}

/// Lots as the `p` form shows them: "120@95.10, 30@131".
pub fn lots_text(lots: &[Lot]) -> String {
    // Exact: the shortest text that reads back as the same number. Rounded, an
    // Enter on an unchanged form saved a cost of 0.000012 as 0.
    let n = |v: f64| format!("{v}");
    lots.iter()
        .map(|l| format!("{}@{}", n(l.shares), n(l.cost)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads what was typed in the `p` form: lots as `shares@cost`, separated by
/// commas or spaces; nothing at all removes the position.
pub fn parse_lots(text: &str) -> Result<Vec<Lot>, String> {
    let mut lots = Vec::new();
    for (i, part) in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        let which = i + 1;
        let (shares, cost) = part
            .split_once('@')
            .ok_or_else(|| format!("lot {which} \"{part}\": write shares@cost, e.g. 120@95.10"))?;
        let number = |s: &str, what: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("lot {which}: {what} \"{s}\" is not a number"))
        };
        let shares = number(shares, "shares")?;
        let cost = number(cost, "cost")?;
        if shares == 0.0 {
            return Err(format!(
                "lot {which}: shares must not be 0 (negative for a short)"
            ));
        }
        if cost < 0.0 {
            return Err(format!("lot {which}: cost must not be negative"));
        }
        lots.push(Lot { shares, cost });
    }
    Ok(lots)
}

pub use crate::model::major_unit;

/// A position valued at a quote, money in the currency's major unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holding {
    pub shares: f64,
    /// What the lots cost in all.
    pub cost: f64,
    pub value: f64,
    /// Today's gain or loss; null without a previous close.
    pub day_pnl: Option<f64>,
    pub total_pnl: f64,
    /// Against the cost; null when the lots cost nothing.
    pub total_pnl_pct: Option<f64>,
    pub currency: Option<String>,
    /// The minor unit the quote came in, when the money was converted from it.
    #[serde(skip)]
    pub converted_from: Option<String>,
}

impl Holding {
    /// Values `lots` at `quote`: the newest trade (an extended one too), today's
    /// move measured from the close before the trading day it belongs to (in the
    /// pre-market that is the last regular price, whose own move was yesterday's).
    pub fn of(lots: &[Lot], quote: &Quote) -> Option<Self> {
        Self::at(lots, quote, true)
    }

    /// [`Holding::of`], counting the extended-hours trade only when `extended`
    /// (money alerts follow `alerts.extended_hours` as the percentage flags do).
    pub fn at(lots: &[Lot], quote: &Quote, extended: bool) -> Option<Self> {
        if lots.is_empty() {
            return None;
        }
        let (currency, divisor, converted_from) = match quote.currency.as_deref() {
            Some(c) => match major_unit(c) {
                Some((major, d)) => (Some(major.to_string()), d, Some(c.to_string())),
                None => (Some(c.to_string()), 1.0, None),
            },
            None => (None, 1.0, None),
        };
        let shares: f64 = lots.iter().map(|l| l.shares).sum();
        let cost: f64 = lots.iter().map(|l| l.shares * l.cost).sum::<f64>() / divisor;
        let (now, base) = match quote.extended.filter(|_| extended) {
            Some(e) if e.session == ExtendedSession::Pre => (e.price, Some(quote.price)),
            Some(e) => (e.price, quote.previous_close),
            None => (quote.price, quote.previous_close),
        };
        let value = shares * now / divisor;
        let total_pnl = value - cost;
        Some(Self {
            shares,
            cost,
            value,
            day_pnl: base.map(|b| shares * (now - b) / divisor),
            total_pnl,
            total_pnl_pct: (cost != 0.0).then(|| total_pnl / cost.abs() * 100.0),
            currency,
            converted_from,
        })
    }

    /// `alert` when today's loss reaches `loss` (in the position's currency).
    pub fn level(&self, loss: Option<f64>) -> Level {
        match (self.day_pnl, loss) {
            (Some(pnl), Some(loss)) if pnl <= -loss => Level::Alert,
            _ => Level::None,
        }
    }
}

/// A watchlist's positions added up in one currency: never across currencies,
/// there is no rate to do it with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Total {
    pub watchlist: String,
    pub currency: Option<String>,
    pub value: f64,
    pub day_pnl: f64,
    pub total_pnl: f64,
}

/// Totals per currency, in the order the currencies first appear.
pub fn totals<'a>(watchlist: &str, holdings: impl IntoIterator<Item = &'a Holding>) -> Vec<Total> {
    let mut out: Vec<Total> = Vec::new();
    for h in holdings {
        let i = match out.iter().position(|t| t.currency == h.currency) {
            Some(i) => i,
            None => {
                out.push(Total {
                    watchlist: watchlist.to_string(),
                    currency: h.currency.clone(),
                    value: 0.0,
                    day_pnl: 0.0,
                    total_pnl: 0.0,
                });
                out.len() - 1
            }
        };
        let t = &mut out[i];
        t.value += h.value;
        t.day_pnl += h.day_pnl.unwrap_or(0.0);
        t.total_pnl += h.total_pnl;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Extended;
    use chrono::{TimeZone, Utc};

    fn quote(price: f64, prev: f64, currency: &str) -> Quote {
        Quote {
            currency: Some(currency.into()),
            ..Quote::sample("X", price, prev)
        }
    }

    const NVDA_LOTS: [Lot; 2] = [
        Lot {
            shares: 120.0,
            cost: 95.10,
        },
        Lot {
            shares: 30.0,
            cost: 131.00,
        },
    ];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn lots_on_the_day_of_the_crash() {
        let h = Holding::of(&NVDA_LOTS, &quote(118.42, 142.62, "USD")).unwrap();
        assert!(close(h.shares, 150.0));
        assert!(close(h.cost, 120.0 * 95.10 + 30.0 * 131.0));
        assert!(close(h.value, 150.0 * 118.42));
        assert!(close(h.day_pnl.unwrap(), 150.0 * -24.2));
        assert!(close(h.total_pnl, 150.0 * 118.42 - 15_342.0));
        assert!(close(
            h.total_pnl_pct.unwrap(),
            (17_763.0 - 15_342.0) / 15_342.0 * 100.0
        ));
        assert_eq!(h.currency.as_deref(), Some("USD"));
        assert_eq!(h.converted_from, None);
    }

    #[test]
    fn pence_become_pounds_and_say_so() {
        // 1,000 shares bought at 250p, now 260p after 255p yesterday.
        let lots = [Lot {
            shares: 1000.0,
            cost: 250.0,
        }];
        let h = Holding::of(&lots, &quote(260.0, 255.0, "GBp")).unwrap();
        assert_eq!(h.currency.as_deref(), Some("GBP"));
        assert_eq!(h.converted_from.as_deref(), Some("GBp"));
        assert!(close(h.value, 2600.0));
        assert!(close(h.cost, 2500.0));
        assert!(close(h.day_pnl.unwrap(), 50.0));
        // Pounds stay pounds: the case says which.
        let h = Holding::of(&lots, &quote(260.0, 255.0, "GBP")).unwrap();
        assert!(close(h.value, 260_000.0));
        for (minor, major) in [("ZAc", "ZAR"), ("ILA", "ILS"), ("GBX", "GBP")] {
            let h = Holding::of(&lots, &quote(260.0, 255.0, minor)).unwrap();
            assert_eq!(h.currency.as_deref(), Some(major));
            assert!(close(h.value, 2600.0));
        }
    }

    #[test]
    fn the_pre_market_day_starts_at_the_last_close() {
        // 27 Jan 05:11 New York: the regular price is Friday's close, the
        // previous close Thursday's; today's loss is the pre-market trade's.
        let mut q = quote(142.62, 147.22, "USD");
        let at = Utc.with_ymd_and_hms(2025, 1, 27, 10, 11, 0).unwrap();
        q.extended = Some(Extended {
            session: ExtendedSession::Pre,
            price: 128.59,
            time: at,
        });
        let h = Holding::of(&NVDA_LOTS, &q).unwrap();
        assert!(close(h.value, 150.0 * 128.59));
        assert!(close(h.day_pnl.unwrap(), 150.0 * (128.59 - 142.62)));
        // After hours, the day runs from yesterday's close to the latest trade.
        q.extended = Some(Extended {
            session: ExtendedSession::Post,
            price: 120.0,
            time: at,
        });
        let h = Holding::of(&NVDA_LOTS, &q).unwrap();
        assert!(close(h.day_pnl.unwrap(), 150.0 * (120.0 - 147.22)));
        // Regular hours only: the regular price against the previous close.
        let h = Holding::at(&NVDA_LOTS, &q, false).unwrap();
        assert!(close(h.day_pnl.unwrap(), 150.0 * (142.62 - 147.22)));
    }

    #[test]
    fn a_short_gains_when_the_price_falls() {
        let lots = [Lot {
            shares: -10.0,
            cost: 100.0,
        }];
        let h = Holding::of(&lots, &quote(90.0, 95.0, "USD")).unwrap();
        assert!(close(h.total_pnl, 100.0));
        assert!(close(h.total_pnl_pct.unwrap(), 10.0));
        assert!(close(h.day_pnl.unwrap(), 50.0));
    }

    #[test]
    fn the_form_reads_what_it_shows() {
        assert_eq!(lots_text(&NVDA_LOTS), "120@95.1, 30@131");
    }

    #[test]
    fn the_form_shows_lots_exactly_and_reads_them_back_unchanged() {
        let lots = [
            Lot {
                shares: 1234.56789,
                cost: 0.000012,
            },
            Lot {
                shares: 0.1 + 0.2,
                cost: 1e-9,
            },
        ];
        let text = lots_text(&lots);
        assert_eq!(text, "1234.56789@0.000012, 0.30000000000000004@0.000000001");
        assert_eq!(parse_lots(&text).unwrap(), lots);
        assert_eq!(parse_lots("120@95.1, 30@131").unwrap(), NVDA_LOTS);
        assert_eq!(parse_lots(" 120@95.10  30@131 ").unwrap(), NVDA_LOTS);
        assert_eq!(parse_lots("  ").unwrap(), []);
        assert_eq!(parse_lots("-5@10").unwrap()[0].shares, -5.0);
        assert!(parse_lots("120").unwrap_err().contains("shares@cost"));
        assert!(
            parse_lots("1@2, x@3")
                .unwrap_err()
                .contains("lot 2: shares \"x\"")
        );
        assert!(parse_lots("0@3").unwrap_err().contains("not be 0"));
        assert!(parse_lots("1@-3").unwrap_err().contains("negative"));
        assert!(parse_lots("1@inf").is_err());
    }

    #[test]
    fn money_alert_at_the_loss() {
        let h = Holding::of(&NVDA_LOTS, &quote(118.42, 142.62, "USD")).unwrap();
        assert_eq!(h.level(Some(3630.0)), Level::Alert);
        assert_eq!(h.level(Some(3631.0)), Level::None);
        assert_eq!(h.level(None), Level::None);
    }

    #[test]
    fn totals_never_mix_currencies() {
        let a = Holding::of(&NVDA_LOTS, &quote(118.42, 142.62, "USD")).unwrap();
        let b = Holding::of(&NVDA_LOTS, &quote(100.0, 100.0, "USD")).unwrap();
        let c = Holding::of(&NVDA_LOTS, &quote(260.0, 255.0, "GBp")).unwrap();
        let t = totals("AI", [&a, &c, &b]);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].currency.as_deref(), Some("USD"));
        assert!(close(t[0].value, a.value + b.value));
        assert!(close(t[0].day_pnl, a.day_pnl.unwrap()));
        assert_eq!(t[1].currency.as_deref(), Some("GBP"));
        assert!(close(t[1].total_pnl, c.total_pnl));
    }
}
