//! What the chart shows besides the day: the range stepped to, line or
//! candles, and each symbol's fetched ranges with one ask in flight per symbol.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::history::{ChartRange, History};
use crate::model::HistoryOutcome;

/// Fetched ranges kept at most: a user browsing symbols and ranges all day
/// keeps the newest asks.
const KEPT: usize = 64;

/// How long after a failed ask the chart asks again.
const RETRY_SECS: i64 = 60;

#[derive(Debug, Clone, Default)]
pub struct ChartView {
    pub range: ChartRange,
    pub candles: bool,
    slots: HashMap<(String, ChartRange), Slot>,
    /// Symbols with an ask out: never two at once for one symbol.
    in_flight: HashSet<String>,
}

/// One symbol's range: its bars (fresh or older), and why the last ask failed.
#[derive(Debug, Clone)]
pub struct Slot {
    pub history: Option<Arc<History>>,
    pub error: Option<String>,
    /// When the bars shown were fetched.
    pub fetched: DateTime<Utc>,
    /// When they were last asked for.
    asked: DateTime<Utc>,
}

impl ChartView {
    pub fn slot(&self, symbol: &str, range: ChartRange) -> Option<&Slot> {
        self.slots.get(&(symbol.to_string(), range))
    }

    /// An ask for `symbol` out and not answered yet.
    pub fn loading(&self, symbol: &str) -> bool {
        self.in_flight.contains(symbol)
    }

    /// The ask the chart of `symbol` needs now, if any: none for the day (the
    /// quote's own bars), none while one is out for the symbol, none while the
    /// bars held are young or a failed ask is recent. Marks it out.
    pub fn want(&mut self, symbol: &str, now: DateTime<Utc>) -> Option<ChartRange> {
        let range = self.range;
        if range == ChartRange::Day || self.in_flight.contains(symbol) {
            return None;
        }
        let due = match self.slot(symbol, range) {
            None => true,
            Some(s) => {
                let since_ask = (now - s.asked).num_seconds();
                let age = (now - s.fetched).to_std().unwrap_or_default();
                since_ask >= RETRY_SECS && (s.history.is_none() || age >= range.max_age())
            }
        };
        if !due {
            return None;
        }
        self.in_flight.insert(symbol.to_string());
        Some(range)
    }

    /// Takes an answer; true when it is of the range on screen.
    pub fn answered(&mut self, o: HistoryOutcome, now: DateTime<Utc>) -> bool {
        self.in_flight.remove(&o.symbol);
        let key = (o.symbol, o.range);
        let kept = self.slots.remove(&key);
        // A failed ask keeps the bars it had.
        let history = o.history.or_else(|| kept.and_then(|k| k.history));
        let shown = key.1 == self.range;
        self.slots.insert(
            key,
            Slot {
                history,
                error: o.error,
                fetched: o.fetched,
                asked: now,
            },
        );
        if self.slots.len() > KEPT
            && let Some(oldest) = self
                .slots
                .iter()
                .min_by_key(|(_, s)| s.asked)
                .map(|(k, _)| k.clone())
        {
            self.slots.remove(&oldest);
        }
        shown
    }

    /// `r`: the range on screen is asked for again at once.
    pub fn refresh(&mut self, symbol: &str) {
        if let Some(s) = self.slots.get_mut(&(symbol.to_string(), self.range)) {
            s.asked = DateTime::<Utc>::MIN_UTC;
            s.fetched = DateTime::<Utc>::MIN_UTC;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_737_990_000 + s, 0).unwrap()
    }

    fn answer(symbol: &str, range: ChartRange, ok: bool, fetched: DateTime<Utc>) -> HistoryOutcome {
        HistoryOutcome {
            symbol: symbol.into(),
            range,
            history: ok.then(|| {
                Arc::new(History {
                    symbol: symbol.into(),
                    range: range.api().0.into(),
                    interval: range.api().1.into(),
                    currency: None,
                    bars: vec![],
                    dividends: vec![],
                    splits: vec![],
                    capital_gains: vec![],
                    utc_offset: None,
                })
            }),
            error: (!ok).then(|| "HTTP 500".to_string()),
            fetched,
            body: None,
        }
    }

    #[test]
    fn one_ask_per_symbol_in_flight_and_none_for_the_day() {
        let mut v = ChartView::default();
        assert_eq!(v.want("NVDA", at(0)), None, "the day is the quote's own");
        v.range = ChartRange::Year;
        assert_eq!(v.want("NVDA", at(0)), Some(ChartRange::Year));
        assert!(v.loading("NVDA"));
        // Stepping on while it is out asks nothing more for NVDA; AAPL has its own.
        v.range = ChartRange::FiveYears;
        assert_eq!(v.want("NVDA", at(1)), None);
        assert_eq!(v.want("AAPL", at(1)), Some(ChartRange::FiveYears));
        // The 1Y answer is not the range shown; then 5Y is asked for.
        assert!(!v.answered(answer("NVDA", ChartRange::Year, true, at(2)), at(2)));
        assert_eq!(v.want("NVDA", at(2)), Some(ChartRange::FiveYears));
        assert!(v.answered(answer("NVDA", ChartRange::FiveYears, true, at(3)), at(3)));
        assert_eq!(v.want("NVDA", at(4)), None, "young bars are not asked for again");
        assert_eq!(
            v.want("NVDA", at(3 + 24 * 3600)),
            Some(ChartRange::FiveYears),
            "a day on, 5Y is old"
        );
    }

    #[test]
    fn a_failure_keeps_the_bars_and_waits_before_asking_again() {
        let mut v = ChartView {
            range: ChartRange::Month,
            ..Default::default()
        };
        v.want("NVDA", at(0));
        v.answered(answer("NVDA", ChartRange::Month, true, at(0)), at(0));
        v.refresh("NVDA");
        assert_eq!(v.want("NVDA", at(1)), Some(ChartRange::Month), "r asks at once");
        // It fails: the bars of before stay, with why.
        v.answered(answer("NVDA", ChartRange::Month, false, at(0)), at(1));
        let slot = v.slot("NVDA", ChartRange::Month).unwrap();
        assert!(slot.history.is_some() && slot.error.as_deref() == Some("HTTP 500"));
        assert_eq!(
            v.want("NVDA", at(2)),
            None,
            "bars young enough are not asked again"
        );
        // An hour on they are old, but a failure is not asked again within a minute.
        v.want("NVDA", at(3600));
        v.answered(answer("NVDA", ChartRange::Month, false, at(0)), at(3600));
        assert_eq!(v.want("NVDA", at(3630)), None);
        assert_eq!(v.want("NVDA", at(3661)), Some(ChartRange::Month));
    }

    #[test]
    fn the_oldest_asks_are_dropped_past_the_cap() {
        let mut v = ChartView {
            range: ChartRange::Year,
            ..Default::default()
        };
        for i in 0..(KEPT as i64 + 5) {
            let s = format!("S{i}");
            v.want(&s, at(i));
            v.answered(answer(&s, ChartRange::Year, true, at(i)), at(i));
        }
        assert_eq!(v.slots.len(), KEPT);
        assert!(v.slot("S0", ChartRange::Year).is_none());
        assert!(v.slot(&format!("S{}", KEPT + 4), ChartRange::Year).is_some());
    }
}
