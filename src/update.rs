//! The reducer: applies events and actions to the state. Pure: no I/O, no clock
//! reads (time comes in with the event), so every rule here is unit-testable.

use crate::action::{Action, Command};
use crate::config::Edit;
use crate::event::Event;
use crate::model::{AlertEvent, FeedOutcome, FeedUpdate, Quote, QuoteOutcome};
use crate::sort::SortKey;
use crate::state::{Focus, Mode, State};

/// What applying a message did: whether the screen must be redrawn, and which
/// side effects to run.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub changed: bool,
    pub commands: Vec<Command>,
}

impl Outcome {
    fn changed() -> Self {
        Self::from(true)
    }

    fn command(c: Command) -> Self {
        Self {
            changed: true,
            commands: vec![c],
        }
    }
}

impl From<bool> for Outcome {
    fn from(changed: bool) -> Self {
        Self {
            changed,
            commands: Vec::new(),
        }
    }
}

pub fn on_event(state: &mut State, event: Event) -> Outcome {
    match event {
        Event::Tick(local) => {
            let before = state.clock_labels();
            state.now = local.to_utc();
            state.local = *local.offset();
            state.stream.count_second();
            let expired = expire_notice(state);
            history::with_ask(state, Outcome::from(state.clock_labels() != before || expired))
        }
        Event::HistoryFetched(outcome) => {
            let out = history::fetched(state, *outcome);
            history::with_ask(state, out)
        }
        Event::QuoteFetched(outcome) => quote_fetched(state, *outcome),
        Event::FeedFetched(outcome) => feed_fetched(state, *outcome),
        Event::SourceAbsent { feed, why } => match state.feed_mut(&feed) {
            Some(status) if status.absent.as_ref() != Some(&why) => {
                status.absent = Some(why);
                status.error = None;
                Outcome::changed()
            }
            _ => Outcome::default(),
        },
        Event::ConfigChanged(config) => {
            state.reconfigure(config);
            let mut out = Outcome::changed();
            out.commands.extend(rates_wanted(state));
            out
        }
        Event::Notice(text) => {
            state.notice = Some(text);
            Outcome::changed()
        }
        Event::CacheBehind(behind) => {
            let changed = state.cache_behind != behind;
            state.cache_behind = behind;
            Outcome::from(changed)
        }
        Event::Streamed(event) => stream::streamed(state, *event),
        Event::HaltsFetched(outcome) => halts::halts_fetched(state, *outcome),
        Event::MarketFetched(outcome) => market::market_fetched(state, *outcome),
        Event::UsualVolume { symbol, result } => match result {
            Ok(avg) => {
                let changed = state.usual_volume.insert(symbol, avg) != Some(avg);
                Outcome::from(changed)
            }
            // The last good average stands; the log says why.
            Err(_) => Outcome::default(),
        },
    }
}

/// How many ticks (the app's one-second timer) a notice holds the status line.
/// Counted, not timed by the tick's clock: the replay's clock runs ~200 times
/// faster than the user reads.
const NOTICE_TICKS: u32 = 6;

/// Clears a notice shown for [`NOTICE_TICKS`]; whether it did.
fn expire_notice(state: &mut State) -> bool {
    let Some(text) = state.notice.as_ref() else {
        state.notice_shown = None;
        return false;
    };
    match &mut state.notice_shown {
        Some((shown, ticks)) if shown == text => {
            *ticks += 1;
            if *ticks >= NOTICE_TICKS {
                state.notice = None;
                state.notice_shown = None;
                return true;
            }
            false
        }
        _ => {
            state.notice_shown = Some((text.clone(), 0));
            false
        }
    }
}

fn quote_fetched(state: &mut State, outcome: QuoteOutcome) -> Outcome {
    // An FX rate of the portfolio's total: kept apart, a row only when watched
    // too. A failed poll keeps the rate, which ages: the total says so once it is old.
    if state.rate_symbols.contains(&outcome.symbol) {
        let took = outcome.result.as_ref().is_ok_and(|q| state.rates.take(q));
        if !state.watches(&outcome.symbol) {
            return Outcome::from(took);
        }
    }
    // A symbol removed from every watchlist stays gone, whatever was still in flight.
    if !state.watches(&outcome.symbol) {
        return Outcome::default();
    }
    let now = state.now;
    state.last_refresh = Some(now);
    let entry = state.quotes.entry(outcome.symbol.clone()).or_default();
    let quote = match outcome.result {
        Ok(q) => q,
        Err(msg) => {
            entry.error = Some((msg, now));
            return Outcome::changed();
        }
    };
    entry.error = None;
    entry.from_cache = false;
    let quote = keep_newer(entry.quote.as_ref(), quote);
    take_quote(state, quote)
}

/// A poll brings the previous close, the series and the periods; the stream may
/// already have shown a newer trade (regular or extended), which stays.
fn keep_newer(shown: Option<&Quote>, mut polled: Quote) -> Quote {
    carry_series(shown, &mut polled);
    let Some(shown) = shown else { return polled };
    if let (Some(seen), Some(asked)) = (shown.market_time, polled.market_time)
        && seen > asked
    {
        polled.price = shown.price;
        polled.market_time = shown.market_time;
        let pick = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
            (Some(a), Some(b)) => Some(f(a, b)),
            (a, b) => a.or(b),
        };
        polled.day_high = pick(polled.day_high, shown.day_high, f64::max);
        polled.day_low = pick(polled.day_low, shown.day_low, f64::min);
    }
    let newest = polled.market_time.max(polled.extended.map(|e| e.time));
    if let Some(e) = shown.extended
        && Some(e.time) > newest
    {
        polled.extended = Some(e);
    }
    polled
}

/// A provider without an intraday series (Finnhub's and Coinbase's quotes): the
/// day's points so far are kept, and each poll adds its own (a point a minute),
/// so the chart draws the day as it is polled.
fn carry_series(shown: Option<&Quote>, polled: &mut Quote) {
    let Some(now) = polled.market_time.filter(|_| polled.series.is_empty()) else {
        return;
    };
    let day = crate::alert::exchange_date(polled, now);
    // A new day starts its own line.
    if let Some(shown) = shown.filter(|s| {
        s.market_time
            .is_some_and(|m| crate::alert::exchange_date(s, m) == day)
    }) {
        polled.series.clone_from(&shown.series);
    }
    let at = now.timestamp();
    match polled.series.last_mut() {
        Some(last) if at < last.0 => {}
        Some(last) if at - last.0 < 60 => last.1 = polled.price,
        _ => polled.series.push((at, polled.price)),
    }
}

/// A new quote of a watched symbol (polled, or moved by the stream): its flag,
/// and the announcement when it reached a higher level than before today.
fn take_quote(state: &mut State, quote: Quote) -> Outcome {
    let level = state.config.level_of(&quote);
    // A name is learned when it first arrives or changes, not on every tick.
    let new_name = quote.name.as_deref().filter(|n| {
        state
            .entry(&quote.symbol)
            .and_then(|e| e.quote.as_ref()?.name.as_deref())
            != Some(*n)
    });
    if let Some(name) = new_name {
        state.learn_name(&quote.symbol, name);
    }
    let Some(entry) = state.quotes.get_mut(&quote.symbol) else {
        return Outcome::default();
    };
    entry.level = level;
    let from_cache = entry.from_cache;
    let mut out = Outcome::changed();
    let now = state.now;
    // A benchmark no watchlist lists is priced to measure others, not watched.
    let listed = state.config.has_symbol(&quote.symbol);
    let symbol = quote.symbol.clone();
    let raised = listed
        .then(|| crate::alert::decide(&mut state.ledger, &quote, &state.config, now, from_cache))
        .flatten();
    if let Some(raise) = raised {
        let event = alert_event(state, &quote, raise);
        tracing::warn!(symbol = %event.symbol, level = event.level.as_str(), change_pct = event.change_pct,
            session = event.session.map_or("regular", |s| s.as_str()), day = %event.day, "new alert");
        push_log(&mut state.alert_log, event.clone());
        out.commands.push(Command::Announce(event));
    }
    if let Some(entry) = state.quotes.get_mut(&quote.symbol) {
        entry.quote = Some(quote);
    }
    for event in signals::due(state, &symbol) {
        tracing::info!(symbol = %event.symbol, kind = event.kind.as_str(), detail = ?event.detail, "new signal");
        push_log(&mut state.alert_log, event.clone());
        out.commands.push(Command::Announce(event));
    }
    if state.sort().key != SortKey::Watchlist {
        state.resort();
    }
    if !state.config.lots(&symbol).is_empty() {
        out.commands.extend(rates_wanted(state));
    }
    out
}

/// The FX rates the portfolio's total needs, when they changed (a position in
/// a new currency, or the last one in a currency gone).
fn rates_wanted(state: &mut State) -> Option<Command> {
    let wanted = match state.config.portfolio.currency.as_deref() {
        Some(target) => crate::fx::needed(target, &state.holdings()),
        None => Vec::new(),
    };
    if wanted == state.rate_symbols {
        return None;
    }
    state.rates.keep(&wanted);
    state.rate_symbols.clone_from(&wanted);
    Some(Command::PriceHidden(wanted))
}

/// How far back a linked headline still explains an alert.
pub(crate) const CONTEXT_HOURS: i64 = 12;

/// The announcement of `quote` crossing into `level` by `moved`, with what
/// explains it: the position's day P&L and the newest linked headline.
fn alert_event(state: &State, quote: &Quote, raise: crate::alert::Raise) -> AlertEvent {
    let since = state.now - chrono::Duration::hours(CONTEXT_HOURS);
    let crate::alert::Raise {
        moved,
        level,
        key,
        kind,
    } = raise;
    AlertEvent {
        kind,
        at: state.now,
        day: key.day,
        symbol: quote.symbol.clone(),
        name: state.config.display_name(&quote.symbol).to_string(),
        price: moved.price,
        change_pct: moved.change_pct,
        level,
        session: moved.session,
        currency: quote.currency.clone(),
        day_pnl: state.config.holding(quote).and_then(|h| h.day_pnl),
        headline: state.newest_linked(&quote.symbol, since).map(|h| h.title.clone()),
        since: None,
        detail: None,
    }
}

fn feed_fetched(state: &mut State, outcome: FeedOutcome) -> Outcome {
    let now = state.now;
    state.last_refresh = Some(now);
    // By id: a result for a feed the configuration no longer has changes nothing.
    let Some(status) = state.feed_mut(&outcome.feed) else {
        return Outcome::default();
    };
    if let Err(msg) = outcome.result {
        status.error = Some((msg, now));
        return Outcome::changed();
    }
    // Its first answer (a 304 after a restart, say) turns it "ok" in the status line.
    let health_changed = status.error.take().is_some() || status.last_ok.is_none();
    status.last_ok = Some(now);
    match outcome.result {
        Ok(FeedUpdate::Fresh { headlines, read, .. }) => {
            status.items = headlines.len();
            status.read = read;
            let merged = state.merge_news(headlines);
            Outcome::from(merged || health_changed)
        }
        _ => Outcome::from(health_changed),
    }
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
    let notice_was = state.notice.take().is_some();
    let mut out = apply(state, action);
    out.changed |= notice_was;
    history::with_ask(state, out)
}

fn apply(state: &mut State, action: Action) -> Outcome {
    if state.mode == Mode::Market
        && let Some(out) = market::in_view(state, &action)
    {
        return out;
    }
    if let Some(out) = market::end_peek(state, &action) {
        return out;
    }
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
            Outcome::from(changed)
        }
        Action::FocusNext => {
            state.focus = match state.focus {
                // A chart too small to draw is passed by: nothing would show the focus.
                Focus::Tickers if state.areas.chart_hidden => Focus::Headlines,
                Focus::Tickers => Focus::Chart,
                Focus::Chart => Focus::Headlines,
                Focus::Headlines => Focus::Tickers,
            };
            Outcome::changed()
        }
        Action::FocusPrev => {
            state.focus = match state.focus {
                Focus::Tickers => Focus::Headlines,
                Focus::Chart => Focus::Tickers,
                Focus::Headlines if state.areas.chart_hidden => Focus::Tickers,
                Focus::Headlines => Focus::Chart,
            };
            Outcome::changed()
        }
        Action::MarkerNext => step_marker(state, true),
        Action::MarkerPrev => step_marker(state, false),
        Action::SelectNext => step(state, Step::Next),
        Action::SelectPrev => step(state, Step::Prev),
        Action::SelectFirst => step(state, Step::First),
        Action::SelectLast => step(state, Step::Last),
        Action::PageDown => step(state, Step::PageDown),
        Action::PageUp => step(state, Step::PageUp),
        Action::NextWatchlist => {
            let n = state.config.watchlists.len().max(1);
            show_watchlist(state, (state.watchlist + 1) % n)
        }
        Action::PrevWatchlist => {
            let n = state.config.watchlists.len().max(1);
            show_watchlist(state, (state.watchlist + n - 1) % n)
        }
        Action::ShowWatchlist(i) if i < state.config.watchlists.len() => show_watchlist(state, i),
        Action::ShowWatchlist(_) => Outcome::default(),
        Action::RefreshAll => {
            if let Some(symbol) = state.shown_symbol().map(String::from) {
                state.chart_view.refresh(&symbol);
            }
            state.notice = Some("refreshing every source now".into());
            Outcome::command(Command::RefreshAll)
        }
        Action::StartAdd | Action::RemoveSelected | Action::MoveSelected(_) | Action::StartPosition
            if state.demo =>
        {
            state.notice = Some(format!(
                "{} saves nothing: run tickwire on your own config to edit",
                state.replay_name()
            ));
            Outcome::changed()
        }
        Action::Activate if state.mode == Mode::Detail => mark_marker_read(state),
        Action::Activate => match state.focus {
            Focus::Tickers if state.selected_symbol().is_some() => {
                state.mode = Mode::Detail;
                Outcome::changed()
            }
            Focus::Tickers => Outcome::default(),
            Focus::Chart => mark_marker_read(state),
            Focus::Headlines => set_read(state, Some(true)),
        },
        Action::FilterTicker => filter_ticker(state),
        Action::ToggleRead => set_read(state, None),
        Action::OpenSelected => open_selected(state),
        Action::ToggleUnreadOnly => {
            state.filter.unread_only = !state.filter.unread_only;
            state.refresh_visible();
            Outcome::changed()
        }
        Action::StartSearch => {
            state.mode = Mode::Search;
            state.search_from = state.focus;
            state.focus = Focus::Headlines;
            Outcome::changed()
        }
        Action::SearchInput(c) => {
            if !c.is_control() {
                state.filter.text.push(c);
                state.refresh_visible();
            }
            Outcome::changed()
        }
        Action::SearchBackspace => {
            state.filter.text.pop();
            state.refresh_visible();
            Outcome::changed()
        }
        Action::SearchAccept => {
            state.mode = Mode::Normal;
            Outcome::changed()
        }
        Action::SearchCancel => {
            state.mode = Mode::Normal;
            // Esc takes back the whole `/`: the focus returns where it was.
            state.focus = state.search_from;
            state.filter.text.clear();
            state.refresh_visible();
            Outcome::changed()
        }
        Action::ClearFilters => {
            let changed = state.filter.is_active();
            state.filter = Default::default();
            state.refresh_visible();
            Outcome::from(changed)
        }
        Action::StartAdd => {
            state.mode = Mode::AddSymbol;
            state.prompt.clear();
            Outcome::changed()
        }
        Action::PromptInput(c) => {
            match state.mode {
                Mode::EditPosition if !c.is_control() && state.prompt.len() < 200 => state.prompt.push(c),
                Mode::AddSymbol if !c.is_control() && state.prompt.len() < 24 => {
                    state.prompt.push(c.to_ascii_uppercase());
                }
                _ => {}
            }
            Outcome::changed()
        }
        Action::PromptBackspace => {
            state.prompt.pop();
            Outcome::changed()
        }
        Action::PromptSubmit if state.mode == Mode::EditPosition => submit_position(state),
        Action::PromptSubmit => add_symbol(state),
        Action::StartPosition => match state.selected_symbol() {
            Some(sym) => {
                state.prompt = crate::position::lots_text(state.config.lots(sym));
                state.mode = Mode::EditPosition;
                Outcome::changed()
            }
            None => Outcome::default(),
        },
        Action::CycleSort => set_sort(state, |s| s.cycled()),
        Action::ReverseSort => set_sort(state, |s| s.reversed()),
        Action::RemoveSelected if state.selected_symbol().is_some() => {
            state.mode = Mode::ConfirmRemove;
            Outcome::changed()
        }
        Action::RemoveSelected => Outcome::default(),
        Action::Confirm(yes) => {
            state.mode = Mode::Normal;
            match (yes, state.selected_symbol()) {
                (true, Some(sym)) => edit(
                    state,
                    Edit::Remove {
                        symbol: sym.to_string(),
                    },
                ),
                _ => Outcome::changed(),
            }
        }
        Action::MoveSelected(by) => {
            let Some(sym) = state.selected_symbol().map(String::from) else {
                return Outcome::default();
            };
            if state.sort() != crate::sort::Sort::default() {
                state.notice = Some(format!(
                    "sorted by {}: press s until watchlist order to move symbols",
                    state.sort().label()
                ));
                return Outcome::changed();
            }
            let to = state.selected as isize + by;
            if to < 0 || to as usize >= state.symbols().len() {
                return Outcome::default();
            }
            // The selection follows the symbol; the list itself changes when the
            // edited config is read back.
            state.selected = to as usize;
            edit(state, Edit::Move { symbol: sym, by })
        }
        Action::RangeNext => history::step(state, true),
        Action::RangePrev => history::step(state, false),
        Action::ToggleCandles => history::toggle_candles(state),
        Action::ToggleMarket => {
            state.mode = if state.mode == Mode::Market {
                Mode::Normal
            } else {
                Mode::Market
            };
            Outcome::changed()
        }
        Action::ToggleAlertLog => {
            state.mode = if state.mode == Mode::AlertLog {
                Mode::Normal
            } else {
                Mode::AlertLog
            };
            Outcome::changed()
        }
        Action::ScrollDown { x, y } => scroll(state, x, y, Step::Next),
        Action::ScrollUp { x, y } => scroll(state, x, y, Step::Prev),
        Action::Click { x, y } => click(state, x, y),
    }
}

#[derive(Clone, Copy)]
enum Step {
    Next,
    Prev,
    First,
    Last,
    PageDown,
    PageUp,
}

/// Where a step lands in a list of `len` rows. Single steps wrap around at both
/// ends, as list views in newsboat and tickrs do; pages stop at the ends.
fn target(current: usize, len: usize, page: usize, s: Step) -> usize {
    let last = len.saturating_sub(1);
    match s {
        Step::Next => (current + 1) % len.max(1),
        Step::Prev => (current + len.max(1) - 1) % len.max(1),
        Step::First => 0,
        Step::Last => last,
        Step::PageDown => (current + page.max(1)).min(last),
        Step::PageUp => current.saturating_sub(page.max(1)),
    }
}

fn step(state: &mut State, s: Step) -> Outcome {
    // The chart and the detail view show the selected ticker: j/k pick another.
    let focus = if state.mode == Mode::Detail {
        Focus::Tickers
    } else {
        state.focus
    };
    match focus {
        Focus::Tickers | Focus::Chart => {
            let len = state.symbols().len();
            if len == 0 {
                return Outcome::default();
            }
            let to = target(state.selected, len, state.page_rows, s);
            let changed = to != state.selected;
            state.selected = to;
            if changed {
                state.marker = None;
            }
            Outcome::from(changed)
        }
        Focus::Headlines => {
            let len = state.visible.len();
            if len == 0 {
                return Outcome::default();
            }
            let from = state.selected_headline_row().unwrap_or(0);
            select_headline_row(state, target(from, len, state.headline_rows, s))
        }
    }
}

/// Steps through the selected ticker's headline markers, selecting each in the
/// headlines list too. Only with the chart focused or in the detail view.
fn step_marker(state: &mut State, forward: bool) -> Outcome {
    if state.focus != Focus::Chart && state.mode != Mode::Detail {
        return Outcome::default();
    }
    let Some(symbol) = state.selected_symbol().map(String::from) else {
        return Outcome::default();
    };
    let ids: Vec<String> = state
        .chart(&symbol)
        .map(|c| c.markers.into_iter().map(|m| m.id.to_string()).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        state.notice = Some(format!("no dated headlines linked to {symbol} yet"));
        return Outcome::changed();
    }
    let n = ids.len();
    let i = match state
        .marker
        .as_ref()
        .and_then(|m| ids.iter().position(|id| id == m))
    {
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None if forward => 0,
        None => n - 1,
    };
    state.marker = Some(ids[i].clone());
    state.headline = Some(ids[i].clone());
    state.headline_pinned = true;
    Outcome::changed()
}

fn mark_marker_read(state: &mut State) -> Outcome {
    match state.marker.clone() {
        Some(id) => mark(state, id, true),
        None => Outcome::default(),
    }
}

fn select_headline_row(state: &mut State, row: usize) -> Outcome {
    // Back on the newest, the list follows new headlines again.
    state.headline_pinned = row > 0;
    let id = state.visible.get(row).map(|i| state.news.items()[*i].id.clone());
    let changed = id.is_some() && id != state.headline;
    if id.is_some() {
        state.headline = id;
    }
    Outcome::from(changed)
}

/// Checks the typed symbol and asks for it to be added to the current watchlist.
fn add_symbol(state: &mut State) -> Outcome {
    let symbol = state.prompt.trim().to_string();
    // A symbol that cannot be added keeps the prompt open with what was typed:
    // the prompt line says why, and a fix is a keystroke away.
    if !symbol.is_empty() && (!crate::config::is_valid_symbol(&symbol) || state.symbols().contains(&symbol)) {
        return Outcome::changed();
    }
    state.mode = Mode::Normal;
    state.prompt.clear();
    if symbol.is_empty() {
        return Outcome::changed();
    }
    edit(state, Edit::Add { symbol })
}

/// Why the symbol typed so far cannot be added, for the prompt line.
pub fn add_refusal(state: &State) -> Option<String> {
    let symbol = state.prompt.trim();
    if symbol.is_empty() {
        None
    } else if !crate::config::is_valid_symbol(symbol) {
        Some("not a symbol: write it as Yahoo does (NVDA, ^NDX, SAP.DE)".into())
    } else if state.symbols().iter().any(|s| s == symbol) {
        Some(format!("{symbol} is already in this watchlist"))
    } else {
        None
    }
}

fn edit(state: &State, edit: Edit) -> Outcome {
    match state.config.watchlists.get(state.watchlist) {
        Some(w) => Outcome::command(Command::EditWatchlist {
            watchlist: w.name.clone(),
            edit,
        }),
        None => Outcome::default(),
    }
}

fn show_watchlist(state: &mut State, index: usize) -> Outcome {
    if index == state.watchlist {
        return Outcome::default();
    }
    state.watchlist = index;
    state.resort();
    state.selected = 0;
    Outcome::changed()
}

/// Changes the current watchlist's sort and asks for it to be remembered.
fn set_sort(state: &mut State, change: impl Fn(crate::sort::Sort) -> crate::sort::Sort) -> Outcome {
    let Some(name) = state
        .config
        .watchlists
        .get(state.watchlist)
        .map(|w| w.name.clone())
    else {
        return Outcome::default();
    };
    let sort = change(state.sort());
    state.sorts.insert(name.clone(), sort);
    state.resort();
    Outcome::command(Command::SaveSort {
        watchlist: name,
        sort: sort.to_stored(),
    })
}

/// Reads the `p` form and asks for the lots to be saved in the config file.
fn submit_position(state: &mut State) -> Outcome {
    state.mode = Mode::Normal;
    let text = std::mem::take(&mut state.prompt);
    let Some(symbol) = state.selected_symbol().map(String::from) else {
        return Outcome::changed();
    };
    match crate::position::parse_lots(&text) {
        Ok(lots) if lots.as_slice() == state.config.lots(&symbol) => Outcome::changed(),
        Ok(lots) => edit(state, Edit::Position { symbol, lots }),
        Err(e) => {
            state.notice = Some(format!("{symbol}: position not changed: {e}"));
            Outcome::changed()
        }
    }
}

/// Shows only the selected ticker's headlines; the same ticker again clears it.
fn filter_ticker(state: &mut State) -> Outcome {
    let Some(symbol) = state.selected_symbol().map(String::from) else {
        return Outcome::default();
    };
    state.filter.ticker = if state.filter.ticker.as_deref() == Some(&symbol) {
        None
    } else {
        Some(symbol)
    };
    state.refresh_visible();
    Outcome::changed()
}

/// Marks the selected headline read (`Some(true)`) or flips it (`None`).
fn set_read(state: &mut State, to: Option<bool>) -> Outcome {
    let Some(h) = state.selected_headline() else {
        return Outcome::default();
    };
    let (id, read) = (h.id.clone(), to.unwrap_or(!h.read));
    mark(state, id, read)
}

/// Sets a read mark; a change is redrawn and persisted.
fn mark(state: &mut State, id: String, read: bool) -> Outcome {
    if !state.news.set_read(&id, read) {
        return Outcome::default();
    }
    if state.filter.unread_only {
        state.refresh_visible();
    }
    Outcome::command(Command::SaveRead { id, read })
}

fn open_selected(state: &mut State) -> Outcome {
    let Some(h) = state.selected_headline() else {
        return Outcome::default();
    };
    match h.url.clone() {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            let id = h.id.clone();
            let mut out = mark(state, id, true);
            out.changed = true;
            out.commands.push(Command::OpenUrl(url));
            out
        }
        _ => {
            state.notice = Some("this headline has no http(s) link to open".into());
            Outcome::changed()
        }
    }
}

fn scroll(state: &mut State, x: u16, y: u16, s: Step) -> Outcome {
    let focus = if state.areas.headlines.contains(x, y) {
        Focus::Headlines
    } else if state.areas.tickers.contains(x, y) {
        Focus::Tickers
    } else {
        return Outcome::default();
    };
    let before = state.focus;
    state.focus = focus;
    let out = step(state, s);
    Outcome::from(out.changed || before != focus)
}

/// The first row a list shows: ratatui scrolls a fresh list just far enough to
/// show the selection, and the UI builds a fresh list state every frame.
fn scroll_offset(selected: usize, rows: usize) -> usize {
    selected.saturating_sub(rows.max(1) - 1)
}

fn click(state: &mut State, x: u16, y: u16) -> Outcome {
    let a = state.areas;
    if a.headlines.contains(x, y) {
        state.focus = Focus::Headlines;
        if y >= a.headlines_first_row {
            let offset = scroll_offset(state.selected_headline_row().unwrap_or(0), state.headline_rows);
            let row = offset + usize::from(y - a.headlines_first_row);
            if row < state.visible.len() {
                select_headline_row(state, row);
            }
        }
        return Outcome::changed();
    }
    if a.tickers.contains(x, y) {
        state.focus = Focus::Tickers;
        if y >= a.tickers_first_row {
            let row = scroll_offset(state.selected, state.page_rows) + usize::from(y - a.tickers_first_row);
            if row < state.symbols().len() {
                state.selected = row;
            }
        }
        return Outcome::changed();
    }
    Outcome::default()
}

mod halts;
mod history;
mod market;
mod signals;
mod stream;

pub use halts::MARKET;

#[cfg(test)]
mod tests;
