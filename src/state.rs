//! Everything the screen shows, in one value. Changed only by `update`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::config::Config;
use crate::model::{AlertEvent, Attempt, Level, Quote};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Normal,
    Help,
}

/// What is known about one symbol.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteEntry {
    /// The last good quote, kept when later polls fail.
    pub quote: Option<Quote>,
    /// Why the latest poll failed, and when; `None` after a success.
    pub error: Option<(String, DateTime<Utc>)>,
    pub attempts: Vec<Attempt>,
    pub level: Level,
    /// The highest level already announced, per trading day.
    pub announced: Option<(NaiveDate, Level)>,
}

impl QuoteEntry {
    /// A quote is stale when the latest poll failed and an older quote is shown.
    pub fn is_stale(&self) -> bool {
        self.quote.is_some() && self.error.is_some()
    }

    /// Age of the shown quote in whole seconds.
    pub fn age_secs(&self, now: DateTime<Utc>) -> Option<i64> {
        self.quote
            .as_ref()
            .map(|q| (now - q.fetched_at).num_seconds().max(0))
    }
}

#[derive(Debug, Clone)]
pub struct State {
    pub config: Arc<Config>,
    pub watchlist: usize,
    /// Row index in the current watchlist.
    pub selected: usize,
    pub quotes: BTreeMap<String, QuoteEntry>,
    pub alert_log: Vec<AlertEvent>,
    pub mode: Mode,
    pub now: DateTime<Utc>,
    /// The user's zone for clock times on screen.
    pub local: FixedOffset,
    pub last_refresh: Option<DateTime<Utc>>,
    /// Rows the table showed in the last frame, for PgUp/PgDn.
    pub page_rows: usize,
}

impl State {
    pub fn new(config: Arc<Config>, watchlist: usize, now: DateTime<FixedOffset>) -> Self {
        let watchlist = watchlist.min(config.watchlists.len().saturating_sub(1));
        Self {
            config,
            watchlist,
            selected: 0,
            quotes: BTreeMap::new(),
            alert_log: Vec::new(),
            mode: Mode::Normal,
            now: now.to_utc(),
            local: *now.offset(),
            last_refresh: None,
            page_rows: 10,
        }
    }

    pub fn symbols(&self) -> &[String] {
        self.config
            .watchlists
            .get(self.watchlist)
            .map_or(&[], |w| w.symbols.as_slice())
    }

    pub fn selected_symbol(&self) -> Option<&str> {
        self.symbols().get(self.selected).map(String::as_str)
    }

    pub fn entry(&self, symbol: &str) -> Option<&QuoteEntry> {
        self.quotes.get(symbol)
    }

    /// Symbols at `alert` now, across every watchlist, worst first.
    pub fn alerts(&self) -> Vec<(&str, f64)> {
        let mut v: Vec<(&str, f64)> = self
            .quotes
            .iter()
            .filter(|(_, e)| e.level == Level::Alert)
            .filter_map(|(s, e)| Some((s.as_str(), e.quote.as_ref()?.change_pct()?)))
            .collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
        v
    }

    /// Everything on screen that depends on the clock, so a tick redraws only
    /// when one of these labels would change.
    pub fn clock_labels(&self) -> String {
        let mut out = String::new();
        for e in self.quotes.values() {
            if let Some(a) = e.age_secs(self.now).filter(|_| e.is_stale()) {
                out.push_str(&crate::format::age(a));
            }
            if let Some((_, at)) = &e.error {
                out.push_str(&crate::format::age((self.now - *at).num_seconds()));
            }
        }
        out
    }
}
