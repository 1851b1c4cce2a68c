//! Rendering: a function of `&State`, one function per panel.

mod alert_log;
mod bars;
mod chart;
mod detail;
mod headlines;
pub mod help;
pub mod market;
mod sparkline;
mod status_bar;
mod theme;
mod tickers;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub use theme::Theme;

use crate::format;
use crate::state::{Area, Areas, Mode, State};

/// Where each panel goes in a frame of a given size.
struct Panels {
    tabs: Rect,
    banner: Rect,
    /// The index's breadth, under the banner.
    strip: Rect,
    /// The whole area below the banner, for the detail view.
    main: Rect,
    tickers: Rect,
    /// Below the table, when there is room for a chart.
    chart: Rect,
    list: Rect,
    preview: Rect,
    status: Rect,
}

fn panels(area: Rect, state: &State) -> Panels {
    let banner = u16::from(!state.alerts().is_empty()) + u16::from(!state.halts_shown().is_empty());
    let strip = u16::from(state.breadth().is_some());
    let [tabs, banner, strip, main, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner),
        Constraint::Length(strip),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    // Wide terminals put the tickers beside the news; narrow ones stack them.
    let (tickers, news) = if main.width >= 100 {
        let left = (main.width * 55 / 100).clamp(60, 100);
        let [l, r] = Layout::horizontal([Constraint::Length(left), Constraint::Min(0)]).areas(main);
        (l, r)
    } else {
        let rows = state.symbols().len() as u16 + 3;
        let [t, n] = Layout::vertical([Constraint::Max(rows.max(main.height * 2 / 5)), Constraint::Min(0)])
            .areas(main);
        (t, n)
    };
    let [list, preview] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(news);
    // The chart takes what the table does not need, when that is enough to read. A
    // watchlist too long for that keeps a third of a tall column for the chart and
    // scrolls the table, as long as the table still shows ten symbols.
    const CHART_MIN: u16 = 10;
    let table_rows = state.symbols().len() as u16 + 3;
    let chart_rows = if tickers.height >= table_rows + CHART_MIN {
        tickers.height - table_rows
    } else {
        let third = (tickers.height / 3).max(CHART_MIN);
        if tickers.height >= 3 + 10 + third {
            third
        } else {
            0
        }
    };
    let (tickers, chart) = if chart_rows > 0 {
        let [t, c] = Layout::vertical([Constraint::Min(0), Constraint::Length(chart_rows)]).areas(tickers);
        (t, c)
    } else {
        (tickers, Rect::default())
    };
    Panels {
        tabs,
        banner,
        strip,
        main,
        tickers,
        chart,
        list,
        preview,
        status,
    }
}

pub fn render(frame: &mut Frame, state: &State, theme: Theme) {
    let area = frame.area();
    let p = panels(area, state);
    render_tabs(frame, p.tabs, state, theme);
    if p.banner.height > 0 {
        render_banner(frame, p.banner, state, theme);
    }
    if p.strip.height > 0 {
        market::render_strip(frame, p.strip, state, theme);
    }
    if state.mode == Mode::Detail {
        detail::render(frame, p.main, state, theme);
    } else {
        tickers::render(frame, p.tickers, state, theme);
        if p.chart.height > 0 {
            chart::render(frame, p.chart, state, theme);
        }
        headlines::render_list(frame, p.list, state, theme);
        headlines::render_preview(frame, p.preview, state, theme);
    }
    status_bar::render(frame, p.status, state, theme);
    if state.mode == Mode::Market {
        market::render_view(frame, p.main, state, theme);
    }
    match state.mode {
        Mode::Help => help::render(frame, area, theme),
        Mode::AlertLog => alert_log::render(frame, area, state, theme),
        _ => {}
    }
}

/// A centred rectangle of at most `width` x `height` inside `area`, for overlays.
fn popup(area: Rect, width: u16, height: u16) -> Rect {
    use ratatui::layout::Flex;
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    popup
}

/// Where the panels of a frame of this size are, and how many rows each list
/// shows: the loop feeds this back for PgUp/PgDn and the mouse.
pub fn measure(area: Rect, state: &State) -> (Areas, usize, usize) {
    let p = panels(area, state);
    let to_area = |r: Rect| Area {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
    };
    let areas = Areas {
        tickers: to_area(p.tickers),
        // Border and header row.
        tickers_first_row: p.tickers.y + 2,
        headlines: to_area(p.list),
        headlines_first_row: p.list.y + 1,
        chart_hidden: p.chart.height == 0,
    };
    let table_rows = p.tickers.height.saturating_sub(3).max(1) as usize;
    let list_rows = p.list.height.saturating_sub(2).max(1) as usize;
    (areas, table_rows, list_rows)
}

fn render_tabs(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let mut spans = vec![Span::styled(" tickwire ", theme.header())];
    for (i, w) in state.config.watchlists.iter().enumerate() {
        let style = if i == state.watchlist {
            theme.tab_active()
        } else {
            theme.dim()
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!("{} {}", i + 1, w.name), style));
    }
    if state.demo {
        let at = state.now.with_timezone(&state.local).format("%a %d %b %Y %H:%M");
        let text = match (state.replay_day, state.replay_over()) {
            (Some(day), true) => format!("   REPLAY of {day} ended {at} New York · q quits"),
            (Some(day), false) => format!("   REPLAY of {day} as recorded · {at} New York"),
            (None, true) => format!("   DEMO replay ended {at} New York · q quits"),
            (None, false) => format!("   DEMO replay · {at} New York · intraday paths synthetic"),
        };
        spans.push(Span::styled(text, theme.warn()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_banner(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let drops = u16::from(!state.alerts().is_empty());
    let [drop_row, halt_row] = Layout::vertical([Constraint::Length(drops), Constraint::Min(0)]).areas(area);
    if drops > 0 {
        render_drops(frame, drop_row, state, theme);
    }
    if halt_row.height > 0 {
        render_halts(frame, halt_row, state, theme);
    }
}

/// "ARM HALTED 09:35 ET · volatility pause (LUDP)", or "ARM resumed 09:40 ET
/// (volatility pause)" for a few minutes after; a circuit breaker first.
fn render_halts(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let shown = state.halts_shown();
    let et = |t| crate::market::calendar::local(t).format("%H:%M ET").to_string();
    // The reason in words when the line has room, else its code.
    let items = |full: bool| -> String {
        let items: Vec<String> = shown
            .iter()
            .map(|s| {
                let h = s.halt;
                let who = s.symbol.as_deref().unwrap_or("MARKET-WIDE");
                match h.resumed_at {
                    Some(r) if s.resumed && full => format!("{who} resumed {} ({})", et(r), h.reason()),
                    Some(r) if s.resumed => format!("{who} resumed {}", et(r)),
                    _ if full => format!("{who} HALTED {} · {}", et(h.halted_at), h.describe()),
                    _ => format!("{who} HALTED {} {}", et(h.halted_at), h.reason_code),
                }
            })
            .collect();
        items.join("  ·  ")
    };
    let on = shown.iter().any(|s| !s.resumed);
    let (mark, style) = if on {
        ("⏸ HALT", theme.banner())
    } else {
        ("▶ RESUMED", theme.warn())
    };
    let mut text = format!(" {mark}  {}", items(true));
    if text.chars().count() > area.width as usize {
        text = format!(" {mark}  {}", items(false));
    }
    let line = Line::from(Span::styled(
        format!("{text:<width$}", width = area.width as usize),
        style,
    ));
    frame.render_widget(Paragraph::new(line), area);
}

fn render_drops(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let items: Vec<String> = state
        .alerts()
        .iter()
        .map(|(sym, moved)| {
            let name = state.config.display_name(sym);
            let session = moved
                .session
                .map(|s| format!(" {}", s.label()))
                .unwrap_or_default();
            let pct = format::pct(moved.change_pct);
            if name == *sym {
                format!("{sym} {pct}{session}")
            } else {
                format!("{sym} ({name}) {pct}{session}")
            }
        })
        .collect();
    let mut text = format!(" ▼ ALERT  {}", items.join("  ·  "));
    // One symbol down: room for why, its newest linked headline of the last hours.
    if let [(sym, _)] = state.alerts().as_slice() {
        let since = state.now - chrono::Duration::hours(12);
        if let Some(h) = state.newest_linked(sym, since) {
            text.push_str(&format!("  —  {}", h.title));
        }
    }
    let line = Line::from(Span::styled(
        format!("{text:<width$}", width = area.width as usize),
        theme.banner(),
    ));
    frame.render_widget(Paragraph::new(line), area);
}
