//! The index's list and the market view (`M`): the list replaces the last
//! good one (a failure keeps it and says why); in the view, j/k pick a
//! constituent, Enter opens a watched one's detail view, `a` adds it to the
//! current watchlist.

use super::{Outcome, edit};
use crate::action::Action;
use crate::config::Edit;
use crate::model::MarketOutcome;
use crate::state::{Focus, Mode, State};

pub fn market_fetched(state: &mut State, outcome: MarketOutcome) -> Outcome {
    let board = &mut state.market;
    match outcome.result {
        Ok(rows) => {
            let changed = board.rows != rows || board.error.is_some() || board.as_of.is_none();
            board.rows = rows;
            board.as_of = Some(state.now);
            board.error = None;
            Outcome::from(changed)
        }
        Err(why) => {
            let changed = board.error.as_ref().map(|e| &e.0) != Some(&why);
            board.error = Some((why, state.now));
            Outcome::from(changed)
        }
    }
}

/// The constituent selected in the view.
fn selected(state: &State) -> Option<String> {
    let rows = crate::ui::market::by_weight(&state.market.rows);
    rows.get(state.market_selected.min(rows.len().saturating_sub(1)))
        .map(|r| r.symbol.clone())
}

/// A constituent's quote as the index's list gives it: price, move, name.
fn listed_entry(state: &State, symbol: &str) -> Option<crate::state::QuoteEntry> {
    let row = state.market.rows.iter().find(|r| r.symbol == symbol)?;
    let price = row.price?;
    let quote = crate::model::Quote {
        previous_close: row.change.map(|c| price - c).filter(|p| *p > 0.0),
        currency: Some("USD".into()),
        name: row.name.clone(),
        ..crate::model::Quote::bare(
            symbol,
            price,
            "nasdaq list",
            state.market.as_of.unwrap_or(state.now),
        )
    };
    Some(crate::state::QuoteEntry {
        level: state.config.level_of(&quote),
        quote: Some(quote),
        error: None,
        from_cache: false,
    })
}

/// Leaving a constituent's detail view (Esc) returns to the market view.
pub fn end_peek(state: &mut State, action: &Action) -> Option<Outcome> {
    state.peek.as_ref()?;
    if state.mode != Mode::Detail
        || !matches!(
            action,
            Action::CloseOverlay | Action::SelectNext | Action::SelectPrev
        )
    {
        return None;
    }
    state.peek = None;
    state.mode = Mode::Market;
    Some(Outcome::from(true))
}

/// What an action does in the market view; `None` for what it does as anywhere.
pub fn in_view(state: &mut State, action: &Action) -> Option<Outcome> {
    let len = state.market.rows.len();
    Some(match action {
        Action::SelectNext if len > 0 => {
            state.market_selected = (state.market_selected + 1).min(len - 1);
            Outcome::from(true)
        }
        Action::SelectPrev => {
            state.market_selected = state.market_selected.saturating_sub(1);
            Outcome::from(true)
        }
        Action::Activate => {
            let symbol = selected(state)?;
            match state.symbols().iter().position(|s| *s == symbol) {
                Some(row) => {
                    state.selected = row;
                    state.focus = Focus::Tickers;
                    state.mode = Mode::Detail;
                }
                None => {
                    // Not watched: its figures from the index's list, until Esc.
                    let Some(entry) = listed_entry(state, &symbol) else {
                        state.notice = Some(format!("{symbol} has no price in the index's list: a adds it"));
                        return Some(Outcome::from(true));
                    };
                    state.peek = Some((symbol, entry));
                    state.mode = Mode::Detail;
                }
            }
            Outcome::from(true)
        }
        Action::StartAdd if state.demo => return None,
        Action::StartAdd => {
            let symbol = selected(state)?;
            if state.symbols().contains(&symbol) {
                state.notice = Some(format!("{symbol} is already in this watchlist"));
                return Some(Outcome::from(true));
            }
            state.notice = Some(format!("{symbol} added to this watchlist"));
            edit(state, Edit::Add { symbol })
        }
        _ => return None,
    })
}
