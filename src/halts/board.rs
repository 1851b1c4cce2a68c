//! What the monitor knows of halts: the feed's last good answer, and which of
//! its halts concern the watchlist.

use chrono::{DateTime, Duration, Utc};

use super::Halt;
use crate::market::calendar;

/// A resumption stays on screen this long after trading resumed.
pub const RESUMED_SHOWN: Duration = Duration::minutes(15);

/// The halt feed's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Board {
    /// Newest first, from the last good answer.
    pub halts: Vec<Halt>,
    pub last_ok: Option<DateTime<Utc>>,
    /// Why the latest poll failed, and when; the last good answer is kept.
    pub error: Option<(String, DateTime<Utc>)>,
}

/// A halt that is news now: on, or resumed a moment ago.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown<'a> {
    /// The watched symbol it concerns (Yahoo's spelling); `None` for a
    /// market-wide circuit breaker.
    pub symbol: Option<String>,
    pub halt: &'a Halt,
    pub resumed: bool,
}

impl Board {
    /// The newest halt of `symbol` that is on at `now`.
    pub fn active(&self, symbol: &str, now: DateTime<Utc>) -> Option<&Halt> {
        self.halts.iter().find(|h| h.concerns(symbol) && h.active(now))
    }

    /// The newest halt of `symbol` of the current or last trading day, on or not.
    pub fn latest(&self, symbol: &str, now: DateTime<Utc>) -> Option<&Halt> {
        let since = calendar::previous_trading_day(calendar::current_day(now));
        self.halts
            .iter()
            .find(|h| h.concerns(symbol) && h.day() >= since && h.halted_at <= now)
    }

    /// The market-wide circuit breaker on at `now`, if any (the highest level).
    pub fn market_wide(&self, now: DateTime<Utc>) -> Option<&Halt> {
        self.halts
            .iter()
            .filter(|h| h.is_market_wide() && h.active(now))
            .max_by(|a, b| a.reason_code.cmp(&b.reason_code))
    }

    /// Every halt of `watched` that is on, or resumed within [`RESUMED_SHOWN`],
    /// of the current or last trading day; the market-wide one first. Halts of
    /// a circuit breaker are the breaker's, not each symbol's.
    pub fn shown(&self, watched: &[String], now: DateTime<Utc>) -> Vec<Shown<'_>> {
        let mut out: Vec<Shown> = self
            .market_wide(now)
            .map(|halt| Shown {
                symbol: None,
                halt,
                resumed: false,
            })
            .into_iter()
            .collect();
        let since = calendar::previous_trading_day(calendar::current_day(now));
        for symbol in watched {
            let newest = self.halts.iter().find(|h| {
                h.concerns(symbol) && !h.is_market_wide() && h.day() >= since && h.halted_at <= now
            });
            let Some(halt) = newest else { continue };
            let resumed = halt.resumed_by(now);
            let recent = halt.resumed_at.is_some_and(|r| now - r < RESUMED_SHOWN);
            if !resumed || recent {
                out.push(Shown {
                    symbol: Some(symbol.clone()),
                    halt,
                    resumed,
                });
            }
        }
        out
    }

    /// The halts of the feed that concern `watched`, and each circuit breaker
    /// once (its first item: a breaker halts every security, and the feed may
    /// list them all), newest first: what `once --json` lists.
    pub fn relevant<'a>(
        &'a self,
        watched: &'a [String],
    ) -> impl Iterator<Item = (Option<&'a str>, &'a Halt)> {
        relevant(&self.halts, watched)
    }
}

/// [`Board::relevant`] over any list of halts (an answer `once` has not put on a board).
pub fn relevant<'a>(
    halts: &'a [Halt],
    watched: &'a [String],
) -> impl Iterator<Item = (Option<&'a str>, &'a Halt)> {
    let mut breakers: Vec<(&str, chrono::NaiveDate)> = Vec::new();
    halts.iter().flat_map(move |h| {
        let mine = watched
            .iter()
            .find(|s| h.concerns(s))
            .map(|s| (Some(s.as_str()), h));
        let breaker = (h.reason_code.as_str(), h.day());
        let market = (h.is_market_wide() && !breakers.contains(&breaker)).then(|| {
            breakers.push(breaker);
            (None, h)
        });
        market.into_iter().chain(mine)
    })
}
