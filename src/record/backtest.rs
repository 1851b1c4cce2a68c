//! `tickwire backtest`: a recorded day fed through the monitor's own reducer
//! under other thresholds, so a back-test and a live day raise the same
//! alerts by the same rule.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::read::RecordedDay;
use crate::action::Command;
use crate::config::{Config, Watchlist};
use crate::event::Event;
use crate::model::{AlertKind, Attempt, Headline, QuoteOutcome, Thresholds};
use crate::state::State;
use crate::update::on_event;

/// SPEC §10's `backtest --json`: one alert the thresholds would have raised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    pub symbol: String,
    pub date: NaiveDate,
    pub time: DateTime<Utc>,
    /// `warn` or `alert` for a drop, else the kind (`money`, a signal's).
    pub level: String,
    pub change_pct: f64,
    pub price: f64,
    /// The newest headline linked to the symbol before the crossing.
    pub headline: Option<String>,
}

/// Which thresholds a back-test tries: the config's where not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trial {
    pub warn: Option<f64>,
    pub alert: Option<f64>,
}

/// The configuration a day is replayed under: `trial`'s thresholds for every
/// symbol, and the day's symbols watched (those of `watchlist` only, when given).
fn config_for(config: &Config, day: &RecordedDay, trial: Trial, watchlist: Option<&[String]>) -> Config {
    let mut c = config.clone();
    if trial.warn.is_some() || trial.alert.is_some() {
        c.alerts.thresholds = Thresholds {
            warn_drop_pct: trial.warn.unwrap_or(c.alerts.thresholds.warn_drop_pct),
            alert_drop_pct: trial.alert.unwrap_or(c.alerts.thresholds.alert_drop_pct),
        };
        for s in c.symbols.values_mut() {
            s.warn_drop_pct = trial.warn.or(s.warn_drop_pct);
            s.alert_drop_pct = trial.alert.or(s.alert_drop_pct);
        }
    }
    let mut symbols: Vec<String> = day.quotes.iter().map(|(_, q)| q.symbol.clone()).collect();
    symbols.sort();
    symbols.dedup();
    if let Some(only) = watchlist {
        symbols.retain(|s| only.contains(s));
    }
    c.watchlists = vec![Watchlist {
        name: format!("recorded {}", day.day),
        symbols,
        benchmark: None,
    }];
    c
}

/// The newest of `headlines` linked to `symbol` at or before `t`.
fn explaining<'a>(headlines: &'a [Headline], symbol: &str, t: DateTime<Utc>) -> Option<&'a Headline> {
    headlines
        .iter()
        .filter(|h| h.symbols.iter().any(|s| s == symbol))
        .filter(|h| h.published.is_some_and(|p| p <= t))
        .max_by_key(|h| h.published)
}

/// The alerts `day` raises under `trial`, in the order they would have come.
pub fn run(config: &Config, day: &RecordedDay, trial: Trial, watchlist: Option<&[String]>) -> Vec<Crossing> {
    let config = Arc::new(config_for(config, day, trial, watchlist));
    let Some((first, _)) = day.quotes.first() else {
        return Vec::new();
    };
    let mut state = State::new(Arc::clone(&config), 0, first.fixed_offset());
    let mut out = Vec::new();
    for (seen, quote) in &day.quotes {
        on_event(&mut state, Event::Tick(seen.fixed_offset()));
        let event = Event::QuoteFetched(Box::new(QuoteOutcome {
            symbol: quote.symbol.clone(),
            attempts: vec![Attempt {
                provider: quote.provider.clone(),
                error: None,
            }],
            result: Ok(quote.clone()),
            retry_after: None,
        }));
        for command in on_event(&mut state, event).commands {
            let Command::Announce(e) = command else {
                continue;
            };
            let level = match e.kind {
                AlertKind::Drop => e.level.as_str().to_string(),
                other => other.as_str().to_string(),
            };
            out.push(Crossing {
                headline: explaining(&day.headlines, &e.symbol, *seen).map(|h| h.title.clone()),
                symbol: e.symbol,
                date: e.day,
                time: *seen,
                level,
                change_pct: e.change_pct,
                price: e.price,
            });
        }
    }
    out
}

/// `backtest --from-history`: without a recording, a symbol's daily bars say
/// only how far each day fell at worst (its low against the previous close):
/// the highest level it reached that day, timed at the bar, without headlines.
/// Prices are split-adjusted so a split is no crash.
pub fn from_bars(config: &Config, history: &crate::history::History, trial: Trial) -> Vec<Crossing> {
    let symbol = history.symbol.as_str();
    let t = config.thresholds(symbol);
    let lines = Thresholds {
        warn_drop_pct: trial.warn.unwrap_or(t.warn_drop_pct),
        alert_drop_pct: trial.alert.unwrap_or(t.alert_drop_pct),
    };
    let adjusted = |b: &crate::history::Bar, v: f64| {
        let f = b
            .adj_close
            .map(|a| a / b.close)
            .filter(|f| f.is_finite() && *f > 0.0)
            .unwrap_or(1.0);
        v * f
    };
    history
        .bars
        .windows(2)
        .filter_map(|w| {
            let (prev, bar) = (&w[0], &w[1]);
            let before = adjusted(prev, prev.close);
            let low = adjusted(bar, bar.low.unwrap_or(bar.close).min(bar.close));
            let pct = (low / before - 1.0) * 100.0;
            let level = lines.level(pct);
            (level != crate::model::Level::None).then(|| Crossing {
                symbol: symbol.to_string(),
                date: history.day_of(bar.time),
                time: bar.time,
                level: level.as_str().to_string(),
                change_pct: pct,
                price: bar.low.unwrap_or(bar.close).min(bar.close),
                headline: None,
            })
        })
        .collect()
}
