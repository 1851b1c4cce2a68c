//! The reducer: applies events and actions to the state. Pure: no I/O, no clock
//! reads (time comes in with the event), so every rule here is unit-testable.

use crate::action::{Action, Command};
use crate::event::Event;
use crate::model::{AlertEvent, Level};
use crate::source::QuoteOutcome;
use crate::state::{Mode, State};

/// What applying a message did: whether the screen must be redrawn, and which
/// side effects to run.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub changed: bool,
    pub commands: Vec<Command>,
}

impl Outcome {
    fn changed() -> Self {
        Self {
            changed: true,
            commands: Vec::new(),
        }
    }

    fn command(c: Command) -> Self {
        Self {
            changed: true,
            commands: vec![c],
        }
    }
}

pub fn on_event(state: &mut State, event: Event) -> Outcome {
    match event {
        Event::Tick(local) => {
            let before = state.clock_labels();
            state.now = local.to_utc();
            state.local = *local.offset();
            Outcome {
                changed: state.clock_labels() != before,
                commands: Vec::new(),
            }
        }
        Event::QuoteFetched(outcome) => quote_fetched(state, *outcome),
    }
}

fn quote_fetched(state: &mut State, outcome: QuoteOutcome) -> Outcome {
    let now = state.now;
    state.last_refresh = Some(now);
    let thresholds = state.config.thresholds(&outcome.symbol);
    let name = state.config.display_name(&outcome.symbol).to_string();
    let entry = state.quotes.entry(outcome.symbol.clone()).or_default();
    entry.attempts = outcome.attempts;
    let quote = match outcome.result {
        Ok(q) => q,
        Err(msg) => {
            entry.error = Some((msg, now));
            return Outcome::changed();
        }
    };
    entry.error = None;
    entry.level = quote
        .change_pct()
        .map_or(Level::None, |pct| thresholds.level(pct));
    let day = quote.trading_day();
    let already = match entry.announced {
        Some((d, level)) if d == day => level,
        _ => Level::None,
    };
    let mut out = Outcome::changed();
    if entry.level > already {
        entry.announced = Some((day, entry.level));
        let event = AlertEvent {
            at: now,
            symbol: quote.symbol.clone(),
            name,
            price: quote.price,
            change_pct: quote.change_pct().unwrap_or_default(),
            level: entry.level,
        };
        tracing::warn!(symbol = %event.symbol, level = event.level.as_str(), change_pct = event.change_pct, "new alert");
        push_log(&mut state.alert_log, event.clone());
        out.commands.push(Command::Announce(event));
    } else if entry.announced.is_none_or(|(d, _)| d != day) {
        entry.announced = Some((day, Level::None));
    }
    entry.quote = Some(quote);
    out
}

/// The alert log keeps the day's transitions; a monitor left running for weeks
/// must not grow without bound.
fn push_log(log: &mut Vec<AlertEvent>, event: AlertEvent) {
    const MAX: usize = 1000;
    log.push(event);
    if log.len() > MAX {
        log.drain(..log.len() - MAX);
    }
}

pub fn on_action(state: &mut State, action: Action) -> Outcome {
    let rows = state.symbols().len();
    let last = rows.saturating_sub(1);
    let select = |state: &mut State, idx: usize| {
        let changed = state.selected != idx;
        state.selected = idx;
        Outcome {
            changed,
            commands: Vec::new(),
        }
    };
    match action {
        Action::Quit => Outcome::command(Command::Quit),
        Action::ToggleHelp => {
            state.mode = if state.mode == Mode::Help {
                Mode::Normal
            } else {
                Mode::Help
            };
            Outcome::changed()
        }
        Action::CloseOverlay => {
            let changed = state.mode != Mode::Normal;
            state.mode = Mode::Normal;
            Outcome {
                changed,
                commands: Vec::new(),
            }
        }
        // Wrap around at both ends, as list views in newsboat and tickrs do.
        Action::SelectNext if rows > 0 => select(state, (state.selected + 1) % rows),
        Action::SelectPrev if rows > 0 => select(state, (state.selected + rows - 1) % rows),
        Action::SelectFirst => select(state, 0),
        Action::SelectLast => select(state, last),
        Action::PageDown => select(state, (state.selected + state.page_rows.max(1)).min(last)),
        Action::PageUp => select(state, state.selected.saturating_sub(state.page_rows.max(1))),
        Action::SelectNext | Action::SelectPrev => Outcome::default(),
        Action::NextWatchlist => {
            let n = state.config.watchlists.len();
            show_watchlist(state, (state.watchlist + 1) % n.max(1))
        }
        Action::PrevWatchlist => {
            let n = state.config.watchlists.len().max(1);
            show_watchlist(state, (state.watchlist + n - 1) % n)
        }
        Action::ShowWatchlist(i) if i < state.config.watchlists.len() => show_watchlist(state, i),
        Action::ShowWatchlist(_) => Outcome::default(),
        Action::RefreshAll => Outcome::command(Command::RefreshAll),
    }
}

fn show_watchlist(state: &mut State, index: usize) -> Outcome {
    if index == state.watchlist {
        return Outcome::default();
    }
    state.watchlist = index;
    state.selected = 0;
    Outcome::changed()
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
