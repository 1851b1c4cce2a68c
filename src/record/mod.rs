//! Every day recorded: what the monitor saw, kept in the cache so a day can
//! be listed, replayed and back-tested. Each symbol's quote at most once a
//! minute, plus every change of its flag; the headlines linked to a symbol;
//! the alerts. `[record] days` of them are kept.

pub mod backtest;
pub mod export;
pub mod read;
pub mod store;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::Config;
use crate::model::{AlertEvent, Headline, Level, Quote};

/// What the recorder asks the cache to keep.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// A symbol's quote as the monitor saw it at `seen`, on trading day `day`;
    /// its previous close, open, high and low are `None` where they are the
    /// day's last point's.
    Tick {
        day: NaiveDate,
        seen: DateTime<Utc>,
        quote: Box<Quote>,
    },
    /// Headlines linked to symbols, each with the day it belongs to.
    Headlines(Vec<(NaiveDate, Headline)>),
    Alert(AlertEvent),
}

/// The last point kept of a symbol: the minute it was seen in, its flag and its prices.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Last {
    minute: i64,
    level: Level,
    price: f64,
    extended: Option<f64>,
    day: NaiveDate,
    /// Previous close, open, high and low as last kept: written again only when they change.
    steady: [Option<f64>; 4],
}

fn steady(q: &Quote) -> [Option<f64>; 4] {
    [q.previous_close, q.open, q.day_high, q.day_low]
}

/// Decides what is worth keeping; the run loop sends what it returns to the cache.
#[derive(Debug, Default)]
pub struct Recorder {
    last: HashMap<String, Last>,
    /// Headline ids kept this run: a feed answers with the same items each poll.
    seen: std::collections::HashSet<String>,
}

/// Headlines older than this when first seen are the feed's backlog, not the day's news.
const BACKLOG_HOURS: i64 = 36;

impl Recorder {
    /// `q` as the screen now has it: kept when its minute is new and its
    /// price moved, or when its flag changed.
    pub fn quote(&mut self, config: &Config, q: &Quote, now: DateTime<Utc>) -> Option<Recorded> {
        if !config.record.enabled {
            return None;
        }
        let day = crate::alert::current_day(q, now)?;
        let point = Last {
            minute: now.timestamp().div_euclid(60),
            level: config.level_of(q),
            price: q.price,
            extended: q.extended.map(|e| e.price),
            day,
            steady: steady(q),
        };
        let before = self.last.get(&q.symbol).copied();
        if let Some(last) = before {
            let moved = last.price != point.price || last.extended != point.extended;
            let flag = last.level != point.level;
            if !flag && (!moved || last.minute == point.minute) {
                return None;
            }
        }
        self.last.insert(q.symbol.clone(), point);
        let mut quote = q.clone();
        // The day's bars are the recording itself.
        quote.series = Vec::new();
        // What has not changed since the last point of the day is left out (the
        // reader carries it forward): a third of a row.
        if let Some(last) = before.filter(|l| l.day == day) {
            let same = |i: usize| last.steady[i] == point.steady[i];
            if same(0) {
                quote.previous_close = None;
            }
            if same(1) {
                quote.open = None;
            }
            if same(2) {
                quote.day_high = None;
            }
            if same(3) {
                quote.day_low = None;
            }
        }
        Some(Recorded::Tick {
            day,
            seen: now,
            quote: Box::new(quote),
        })
    }

    /// The new headlines linked to a symbol, on the US trading calendar's day
    /// of their publication (first sight when undated).
    pub fn headlines(&mut self, config: &Config, items: &[Headline], now: DateTime<Utc>) -> Option<Recorded> {
        if !config.record.enabled {
            return None;
        }
        let fresh: Vec<(NaiveDate, Headline)> = items
            .iter()
            .filter(|h| !h.symbols.is_empty())
            .filter(|h| {
                h.published
                    .is_none_or(|p| now - p < chrono::Duration::hours(BACKLOG_HOURS))
            })
            .filter(|h| self.seen.insert(h.id.clone()))
            .map(|h| {
                let at = h.published.unwrap_or(now);
                (crate::market::calendar::current_day(at), h.clone())
            })
            .collect();
        // A long run meets many headlines: forget the oldest ids with the day.
        if self.seen.len() > 50_000 {
            self.seen.clear();
        }
        (!fresh.is_empty()).then_some(Recorded::Headlines(fresh))
    }

    pub fn alert(&self, config: &Config, event: &AlertEvent) -> Option<Recorded> {
        config.record.enabled.then(|| Recorded::Alert(event.clone()))
    }
}

#[cfg(test)]
mod tests;
