//! The chart's ranges: stepping through them, candles or a line, and asking
//! for the bars the chart on screen needs.

use super::Outcome;
use crate::action::Command;
use crate::history::ChartRange;
use crate::model::HistoryOutcome;
use crate::state::{Mode, State};

/// `<` / `>`: the shorter or longer range; a replay has its one day and no other.
pub fn step(state: &mut State, longer: bool) -> Outcome {
    let view = &mut state.chart_view;
    let to = if longer {
        view.range.next()
    } else {
        view.range.prev()
    };
    if state.demo && to != ChartRange::Day {
        state.notice = Some(format!("{} has one day: no longer ranges", state.replay_name()));
        return Outcome::changed();
    }
    if to == view.range {
        let end = if longer { "longest" } else { "shortest" };
        state.notice = Some(format!("{} is the {end} range", to.label()));
        return Outcome::changed();
    }
    view.range = to;
    Outcome::changed()
}

pub fn toggle_candles(state: &mut State) -> Outcome {
    state.chart_view.candles = !state.chart_view.candles;
    Outcome::changed()
}

/// The ask the chart on screen needs, if any (a range shown and its bars
/// missing or old, and none out for the symbol).
pub fn ask(state: &mut State) -> Option<Command> {
    if state.areas.chart_hidden && state.mode != Mode::Detail {
        return None;
    }
    let symbol = state.shown_symbol()?.to_string();
    let range = state.chart_view.want(&symbol, state.now)?;
    Some(Command::FetchHistory { symbol, range })
}

pub fn fetched(state: &mut State, outcome: HistoryOutcome) -> Outcome {
    let shown = state.shown_symbol() == Some(outcome.symbol.as_str());
    let of_range = state.chart_view.answered(outcome, state.now);
    Outcome::from(shown && of_range)
}

/// Adds the ask the chart needs now to `out`.
pub fn with_ask(state: &mut State, mut out: Outcome) -> Outcome {
    if let Some(c) = ask(state) {
        out.commands.push(c);
        out.changed = true;
    }
    out
}
