//! The tickers table's order: the watchlist's own, or by a figure of each row.

use std::cmp::Ordering;

use crate::config::Config;
use crate::state::QuoteEntry;

/// What the rows are ordered by; `s` steps through them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Watchlist,
    ChangePct,
    ExtendedPct,
    DayPnl,
    MarketValue,
    Name,
}

/// A key and its direction. Figures sort worst first (the biggest fall on
/// top) unless reversed; names A to Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub key: SortKey,
    pub reversed: bool,
}

const KEYS: [SortKey; 6] = [
    SortKey::Watchlist,
    SortKey::ChangePct,
    SortKey::ExtendedPct,
    SortKey::DayPnl,
    SortKey::MarketValue,
    SortKey::Name,
];

impl SortKey {
    fn stored(self) -> &'static str {
        match self {
            Self::Watchlist => "watchlist",
            Self::ChangePct => "change_pct",
            Self::ExtendedPct => "extended_pct",
            Self::DayPnl => "day_pnl",
            Self::MarketValue => "market_value",
            Self::Name => "name",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Watchlist => "watchlist order",
            Self::ChangePct => "chg%",
            Self::ExtendedPct => "extended chg%",
            Self::DayPnl => "day P&L",
            Self::MarketValue => "value moved",
            Self::Name => "name",
        }
    }
}

impl Sort {
    /// The next key, unreversed.
    pub fn cycled(self) -> Self {
        let i = KEYS.iter().position(|k| *k == self.key).unwrap_or(0);
        Self {
            key: KEYS[(i + 1) % KEYS.len()],
            reversed: false,
        }
    }

    pub fn reversed(self) -> Self {
        Self {
            reversed: !self.reversed,
            ..self
        }
    }

    /// As the cache keeps it: "change_pct" or "change_pct reversed".
    pub fn to_stored(self) -> String {
        let key = self.key.stored();
        if self.reversed {
            format!("{key} reversed")
        } else {
            key.to_string()
        }
    }

    /// Anything unknown (a cache from a later version) is the watchlist's order.
    pub fn from_stored(s: &str) -> Self {
        let (key, reversed) = match s.strip_suffix(" reversed") {
            Some(k) => (k, true),
            None => (s, false),
        };
        match KEYS.into_iter().find(|k| k.stored() == key) {
            Some(key) => Self { key, reversed },
            None => Self::default(),
        }
    }

    /// For the table's title: "chg% worst first"; empty for the watchlist's order.
    pub fn label(self) -> String {
        let dir = match (self.key, self.reversed) {
            (SortKey::Watchlist, false) => return String::new(),
            (SortKey::Watchlist, true) => "reversed",
            (SortKey::Name, false) => "A-Z",
            (SortKey::Name, true) => "Z-A",
            (_, false) => "worst first",
            (_, true) => "best first",
        };
        format!("{} {dir}", self.key.label())
    }

    /// `symbols` in this order. Stable: equal figures keep the watchlist's
    /// order, and rows without the figure (no quote yet) go last either way.
    pub fn apply<'q>(
        self,
        symbols: &[String],
        config: &Config,
        entry: impl Fn(&str) -> Option<&'q QuoteEntry>,
    ) -> Vec<String> {
        if self.key == SortKey::Watchlist {
            let mut rows = symbols.to_vec();
            if self.reversed {
                rows.reverse();
            }
            return rows;
        }
        let mut rows: Vec<(Option<Figure>, &String)> = symbols
            .iter()
            .map(|s| (self.figure(s, config, entry(s)), s))
            .collect();
        rows.sort_by(|(a, _), (b, _)| match (a, b) {
            (Some(a), Some(b)) if self.reversed => b.cmp(a),
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        });
        rows.into_iter().map(|(_, s)| s.clone()).collect()
    }

    fn figure(self, symbol: &str, config: &Config, entry: Option<&QuoteEntry>) -> Option<Figure> {
        let quote = entry.and_then(|e| e.quote.as_ref());
        let number = |v: Option<f64>| v.filter(|v| v.is_finite()).map(Figure::Number);
        match self.key {
            SortKey::Watchlist => None,
            SortKey::ChangePct => number(quote?.change_pct()),
            SortKey::ExtendedPct => number(quote?.extended_change().map(|(_, pct)| pct)),
            SortKey::DayPnl => number(config.holding(quote?)?.day_pnl),
            SortKey::MarketValue => number(quote?.market_value_change(config.shares_outstanding(symbol))),
            SortKey::Name => {
                let name = config
                    .symbols
                    .get(symbol)
                    .and_then(|s| s.name.clone())
                    .or_else(|| quote.and_then(|q| q.name.clone()))
                    .unwrap_or_else(|| symbol.to_string());
                // "^NDX" files under N, not before A.
                let name = name.trim_start_matches(|c: char| !c.is_alphanumeric());
                Some(Figure::Text(name.to_lowercase()))
            }
        }
    }
}

#[derive(Debug, PartialEq)]
enum Figure {
    Number(f64),
    Text(String),
}

impl Eq for Figure {}

impl PartialOrd for Figure {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Figure {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Number(a), Self::Number(b)) => a.total_cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            (Self::Number(_), Self::Text(_)) => Ordering::Less,
            (Self::Text(_), Self::Number(_)) => Ordering::Greater,
        }
    }
}
