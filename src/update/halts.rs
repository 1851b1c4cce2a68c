//! The halt feed's answers, applied to the state: the board is replaced by
//! the newest good answer, and a halt of a watched symbol that is news (of
//! the current trading day, not resumed minutes ago) is announced once, like a
//! drop: bell, notifications, the user's command with `{kind}` = `halt`.

use chrono::{DateTime, Duration, Utc};

use super::{Outcome, push_log};
use crate::action::Command;
use crate::alert::Key;
use crate::halts::Halt;
use crate::market::calendar;
use crate::model::{AlertEvent, AlertKind, HaltsOutcome, Level};
use crate::state::State;

/// A halt that resumed longer ago than this is history when first seen (at
/// start-up, say): shown, not announced.
const STILL_NEWS: Duration = Duration::minutes(5);

/// The symbol of a market-wide circuit breaker's alert.
pub const MARKET: &str = "MARKET";

pub fn halts_fetched(state: &mut State, outcome: HaltsOutcome) -> Outcome {
    let now = state.now;
    let board = &mut state.halts;
    let read = match outcome.result {
        Ok(read) => read,
        Err(why) => {
            let changed = board.error.as_ref().map(|e| &e.0) != Some(&why);
            board.error = Some((why, now));
            return Outcome::from(changed);
        }
    };
    let changed = board.halts != read.halts || board.error.is_some() || board.last_ok.is_none();
    board.halts = read.halts;
    board.error = None;
    board.last_ok = Some(now);
    let mut out = Outcome::from(changed);
    // `[signals] alert` without "halt": shown, not announced.
    if !state.config.signals.alert.contains(&AlertKind::Halt) {
        return out;
    }
    for event in news(state) {
        tracing::warn!(symbol = %event.symbol, detail = ?event.detail, "new halt");
        push_log(&mut state.alert_log, event.clone());
        out.commands.push(Command::Announce(event));
        out.changed = true;
    }
    out
}

/// The halts to announce now, oldest first; each is recorded in the ledger.
fn news(state: &mut State) -> Vec<AlertEvent> {
    let now = state.now;
    let today = calendar::current_day(now);
    let watched = state.config.all_symbols();
    let mut due: Vec<(Option<String>, Halt)> = state
        .halts
        .relevant(&watched)
        .filter(|(_, h)| h.day() == today && h.halted_at <= now && !h.resumed_by(now - STILL_NEWS))
        // A circuit breaker's halts are one event, the market's: not one per symbol.
        .filter(|(s, h)| s.is_none() || !h.is_market_wide())
        .map(|(s, h)| (s.map(str::to_string), h.clone()))
        .collect();
    due.reverse();
    let mut events = Vec::new();
    for (symbol, halt) in due {
        let key = match &symbol {
            Some(s) => Key {
                symbol: s.clone(),
                day: today,
                session: None,
                kind: AlertKind::Halt,
                since: Some(halt.halted_at),
            },
            // Each level of a circuit breaker once a day.
            None => Key::breaker(&halt.reason_code, today),
        };
        if state.ledger.raised(&key) > Level::None {
            continue;
        }
        state.ledger.record(key.clone(), Level::Alert);
        events.push(event(state, symbol.as_deref(), &halt, &key, now));
    }
    events
}

/// The alert of `halt`: the symbol's last price and move, when known.
fn event(state: &State, symbol: Option<&str>, halt: &Halt, key: &Key, now: DateTime<Utc>) -> AlertEvent {
    let quote = symbol.and_then(|s| state.entry(s)?.quote.as_ref());
    let since = now - Duration::hours(super::CONTEXT_HOURS);
    AlertEvent {
        kind: AlertKind::Halt,
        at: now,
        day: key.day,
        symbol: symbol.unwrap_or(MARKET).to_string(),
        // A breaker's name ends with its level: the key rebuilt from the log
        // (alert::AlertEvent::key) tells level 1 from level 2 by it.
        name: symbol.map_or_else(
            || format!("Market-wide circuit breaker {}", halt.reason_code),
            |s| state.config.display_name(s).to_string(),
        ),
        price: quote.map_or(0.0, |q| q.price),
        change_pct: quote.and_then(|q| q.change_pct()).unwrap_or(0.0),
        level: Level::Alert,
        session: None,
        currency: quote.and_then(|q| q.currency.clone()),
        day_pnl: quote
            .and_then(|q| state.config.holding(q))
            .and_then(|h| h.day_pnl),
        headline: symbol
            .and_then(|s| state.newest_linked(s, since))
            .map(|h| h.title.clone()),
        since: Some(halt.halted_at),
        detail: Some(halt.describe()),
    }
}
