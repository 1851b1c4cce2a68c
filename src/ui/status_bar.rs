//! The bottom line: source health, the active filter, last refresh, `? help`.
//! The newest error goes last so that on a narrow terminal it is what gets cut,
//! never `? help`. While typing a search the line is the search prompt.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::format;
use crate::state::{FeedStatus, Mode, State, StreamHealth};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let list = state
        .config
        .watchlists
        .get(state.watchlist)
        .map_or("", |w| w.name.as_str());
    let prompt = match state.mode {
        Mode::AddSymbol => Some(vec![
            Span::styled(format!(" add to {list}: {}", state.prompt), theme.header()),
            Span::styled("█", theme.dim()),
            match crate::update::add_refusal(state) {
                Some(why) => Span::styled(format!("   {why} · Esc cancels"), theme.warn()),
                None => Span::styled(
                    "   Enter adds (saved to the config file) · Esc cancels",
                    theme.dim(),
                ),
            },
        ]),
        Mode::EditPosition => Some(vec![
            Span::styled(
                format!(
                    " {} lots (shares@cost, …): {}",
                    state.selected_symbol().unwrap_or(""),
                    state.prompt
                ),
                theme.header(),
            ),
            Span::styled("█", theme.dim()),
            Span::styled("   Enter saves (empty removes) · Esc cancels", theme.dim()),
        ]),
        Mode::ConfirmRemove => Some(vec![Span::styled(
            format!(
                " remove {} from {list}? y to confirm, any other key cancels",
                state.selected_symbol().unwrap_or("")
            ),
            theme.warn(),
        )]),
        _ => None,
    };
    if let Some(spans) = prompt {
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    if state.mode == Mode::Search {
        let line = Line::from(vec![
            Span::styled(format!(" /{}", state.filter.text), theme.header()),
            Span::styled("█", theme.dim()),
            Span::styled("   Enter keeps the filter · Esc clears it", theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let room = (area.width as usize).saturating_sub(HELP.len());
    // A notice takes the whole line for a few seconds: seen at any width.
    if let Some(n) = &state.notice {
        let notice = vec![Span::styled(format!(" {n}"), theme.warn())];
        frame.render_widget(Paragraph::new(with_help(notice, room, theme)), area);
        return;
    }
    // The fullest line that fits: the newest error gives way first (its cause in a
    // word: the detail view and the log have the whole message), then the words
    // around the counts, then the error itself (at 80 columns the counts stay whole).
    let mut spans = Vec::new();
    for level in Compact::ALL {
        spans = parts(state, theme, level);
        if width(&spans) <= room {
            break;
        }
    }
    frame.render_widget(Paragraph::new(with_help(spans, room, theme)), area);
}

/// Kept at the right end whatever else the line holds.
const HELP: &str = " ? help ";

fn width(spans: &[Span]) -> usize {
    spans.iter().map(|s| s.content.chars().count()).sum()
}

/// `spans` cut to `room` cells, then [`HELP`] at the right end.
fn with_help(spans: Vec<Span<'static>>, room: usize, theme: Theme) -> Line<'static> {
    let mut line = fit(spans, room);
    let used = width(&line);
    line.push(Span::raw(" ".repeat(room.saturating_sub(used))));
    line.push(Span::styled(HELP, theme.dim()));
    Line::from(line)
}

/// " (finnhub)" when the stock stream in use is not the first configured.
fn via(state: &State) -> String {
    let first = state.config.stream.order.first().map(|e| e.socket);
    match state.stream.via {
        Some(v) if Some(v) != first => format!(" ({})", v.name()),
        _ => String::new(),
    }
}

/// How much the status line leaves out, least first.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Compact {
    Full,
    ShortError,
    Terse,
    NoError,
}

impl Compact {
    const ALL: [Self; 4] = [Self::Full, Self::ShortError, Self::Terse, Self::NoError];
}

/// The status line's parts at a level of [`Compact`].
fn parts(state: &State, theme: Theme, level: Compact) -> Vec<Span<'static>> {
    let terse = level >= Compact::Terse;
    let ok_word = if terse { "" } else { " ok" };
    let total = state.config.priced_symbols().len();
    let ok = state
        .quotes
        .values()
        .filter(|e| e.quote.is_some() && e.error.is_none() && !e.from_cache)
        .count();
    let cached = state.quotes.values().filter(|e| e.from_cache).count();
    let mut spans = vec![Span::styled(
        format!(" quotes {ok}/{total}{ok_word}"),
        theme.header(),
    )];
    if cached > 0 {
        spans.push(Span::styled(format!(" · {cached} from cache"), theme.warn()));
    }
    let feeds: Vec<&FeedStatus> = state.configured_feeds().collect();
    if !feeds.is_empty() {
        let ok = feeds
            .iter()
            .filter(|f| f.last_ok.is_some() && f.error.is_none())
            .count();
        spans.push(Span::styled(
            format!(" · feeds {ok}/{}{ok_word}", feeds.len()),
            theme.header(),
        ));
        let repaired = feeds.iter().filter(|f| f.read.repaired).count();
        let skipped: usize = feeds.iter().map(|f| f.read.skipped).sum();
        let mut help = Vec::new();
        if repaired > 0 {
            help.push(format!("{repaired} repaired"));
        }
        if skipped > 0 {
            help.push(format!("{skipped} empty items left out"));
        }
        if !help.is_empty() {
            spans.push(Span::styled(format!(" ({})", help.join(", ")), theme.warn()));
        }
    }
    // A symbol's own sources: one figure, their failures are in its detail view.
    let own: Vec<&FeedStatus> = state
        .feeds
        .iter()
        .filter(|f| !f.is_configured() && f.absent.is_none())
        .collect();
    if !own.is_empty() {
        let ok = own
            .iter()
            .filter(|f| f.last_ok.is_some() && f.error.is_none())
            .count();
        let style = if ok < own.len() && own.iter().any(|f| f.error.is_some()) {
            theme.warn()
        } else {
            theme.header()
        };
        spans.push(Span::styled(format!(" · symbol news {ok}/{}", own.len()), style));
    }
    match &state.stream.health {
        // The replay's day is over: nothing more will come, whatever the socket says.
        _ if state.replay_over() => spans.push(Span::styled(" · replay over", theme.warn())),
        StreamHealth::Off => {}
        StreamHealth::Connecting => spans.push(Span::styled(" · stream connecting", theme.dim())),
        StreamHealth::Live if terse => spans.push(Span::styled(" · stream live", theme.header())),
        StreamHealth::Live => spans.push(Span::styled(
            format!(" · stream live{} · {} ticks/s", via(state), state.stream.rate),
            theme.header(),
        )),
        StreamHealth::Handover(from, to, why) => {
            let text = if terse {
                format!(" · stream: {} down, trying {}", from.name(), to.name())
            } else {
                format!(" · stream: {} down ({why}), trying {}", from.name(), to.name())
            };
            spans.push(Span::styled(text, theme.warn()));
        }
        StreamHealth::Down(why, at) => {
            let age = format::age((state.now - *at).num_seconds());
            let text = if terse {
                format!(" · stream down {age}: {}", super::tickers::short_cause(why))
            } else {
                format!(" · stream down {age}: {why} · polling covers")
            };
            spans.push(Span::styled(text, theme.error()));
        }
    }
    match &state.stream.crypto {
        StreamHealth::Off | StreamHealth::Live | StreamHealth::Handover(..) => {}
        StreamHealth::Connecting => spans.push(Span::styled(" · crypto connecting", theme.dim())),
        StreamHealth::Down(why, _) => spans.push(Span::styled(
            format!(" · crypto stream down: {}", super::tickers::short_cause(why)),
            theme.error(),
        )),
    }
    if state.cache_behind {
        spans.push(Span::styled(" · cache writes behind", theme.warn()));
    }
    let f = &state.filter;
    if f.is_active() {
        let mut parts = Vec::new();
        if !f.text.is_empty() {
            parts.push(format!("\"{}\"", f.text));
        }
        if let Some(t) = &f.ticker {
            parts.push(t.clone());
        }
        if f.unread_only {
            parts.push("unread".into());
        }
        spans.push(Span::styled(
            format!(" · filter {} (Esc clears)", parts.join(" + ")),
            theme.unread(),
        ));
    }
    if let Some(t) = state.last_refresh {
        let local = t.with_timezone(&state.local).format("%H:%M:%S");
        spans.push(Span::raw(if terse {
            format!(" · {local}")
        } else {
            format!(" · updated {local}")
        }));
    }
    if level == Compact::NoError {
        return spans;
    }
    if let Some((name, msg, at)) = newest_error(state) {
        let age = format::age((state.now - at).num_seconds());
        let text = if level == Compact::Full {
            format!("{name}: {msg} ({age} ago)")
        } else {
            format!("{name}: {} ({age} ago)", super::tickers::short_cause(msg))
        };
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(text, theme.error()));
    }
    spans
}

/// The most recent failure of any source; the panels show the rest.
fn newest_error(state: &State) -> Option<(&str, &str, DateTime<Utc>)> {
    let quotes = state
        .quotes
        .iter()
        .filter_map(|(s, e)| e.error.as_ref().map(|(m, at)| (s.as_str(), m.as_str(), *at)));
    let feeds = state
        .configured_feeds()
        .filter_map(|f| f.error.as_ref().map(|(m, at)| (f.name.as_str(), m.as_str(), *at)));
    let halts = state
        .halts
        .error
        .as_ref()
        .map(|(m, at)| ("halt feed", m.as_str(), *at));
    quotes.chain(feeds).chain(halts).max_by_key(|(_, _, at)| *at)
}

/// Cuts spans to `width` characters, marking a cut with an ellipsis.
fn fit(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut left = width;
    for s in spans {
        let n = s.content.chars().count();
        if n <= left {
            left -= n;
            out.push(s);
            continue;
        }
        if left > 1 {
            let cut: String = s.content.chars().take(left - 1).collect();
            out.push(Span::styled(format!("{cut}…"), s.style));
        }
        break;
    }
    out
}
