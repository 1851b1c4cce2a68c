//! `[signals] alert`: a signal of a watched symbol announced once per trading
//! day and kind, through the same path as a drop (bell, notifications, the
//! command with `{kind}` = the signal's).

use chrono::Duration;

use crate::alert::{self, Key};
use crate::model::{AlertEvent, AlertKind, Level};
use crate::state::State;

/// The signals of `symbol` to announce now; each is recorded in the ledger.
/// Only figures of the quote's current trading day count: in the pre-market,
/// yesterday's gap is not news.
pub fn due(state: &mut State, symbol: &str) -> Vec<AlertEvent> {
    let wanted: Vec<AlertKind> = state
        .config
        .signals
        .alert
        .iter()
        .copied()
        .filter(|k| *k != AlertKind::Halt)
        .collect();
    if wanted.is_empty() || !state.config.has_symbol(symbol) {
        return Vec::new();
    }
    let Some(entry) = state.entry(symbol).filter(|e| !e.from_cache) else {
        return Vec::new();
    };
    let Some(q) = entry.quote.as_ref() else {
        return Vec::new();
    };
    let now = state.now;
    let Some(today) = alert::current_day(q, now).filter(|d| alert::move_day(q, None) == Some(*d)) else {
        return Vec::new();
    };
    let since = now - Duration::hours(super::CONTEXT_HOURS);
    let mut events = Vec::new();
    for s in state.signals(symbol) {
        if !wanted.contains(&s.kind) {
            continue;
        }
        let key = Key {
            symbol: symbol.to_string(),
            day: today,
            session: None,
            kind: s.kind,
            since: None,
        };
        if state.ledger.raised(&key) > Level::None {
            continue;
        }
        events.push((key, s));
    }
    let events: Vec<AlertEvent> = events
        .into_iter()
        .map(|(key, s)| AlertEvent {
            kind: s.kind,
            at: now,
            day: key.day,
            symbol: symbol.to_string(),
            name: state.config.display_name(symbol).to_string(),
            price: q.price,
            change_pct: q.change_pct().unwrap_or(0.0),
            level: Level::Warn,
            session: None,
            currency: q.currency.clone(),
            day_pnl: state.config.holding(q).and_then(|h| h.day_pnl),
            headline: state.newest_linked(symbol, since).map(|h| h.title.clone()),
            since: None,
            detail: Some(s.text),
        })
        .collect();
    for e in &events {
        state.ledger.record(e.key(), Level::Warn);
    }
    events
}
