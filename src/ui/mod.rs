//! Rendering: a function of `&State`, one function per panel.

mod help;
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
use crate::state::{Mode, State};

pub fn render(frame: &mut Frame, state: &State, theme: Theme) {
    let area = frame.area();
    let alerts = state.alerts();
    let banner = u16::from(!alerts.is_empty());
    let [tabs, banner_area, main, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(frame, tabs, state, theme);
    if banner > 0 {
        render_banner(frame, banner_area, state, &alerts, theme);
    }
    tickers::render(frame, main, state, theme);
    status_bar::render(frame, status, state, theme);
    if state.mode == Mode::Help {
        help::render(frame, area, theme);
    }
}

/// Rows of the table that fit in a frame of this size, for PgUp/PgDn.
pub fn page_rows(area: Rect) -> usize {
    // tabs, banner, status line, table borders and header.
    area.height.saturating_sub(6).max(1) as usize
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
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_banner(frame: &mut Frame, area: Rect, state: &State, alerts: &[(&str, f64)], theme: Theme) {
    let items: Vec<String> = alerts
        .iter()
        .map(|(sym, pct)| {
            let name = state.config.display_name(sym);
            if name == *sym {
                format!("{sym} {}", format::pct(*pct))
            } else {
                format!("{sym} ({name}) {}", format::pct(*pct))
            }
        })
        .collect();
    let text = format!(" ▼ ALERT  {}", items.join("  ·  "));
    let line = Line::from(Span::styled(
        format!("{text:<width$}", width = area.width as usize),
        theme.banner(),
    ));
    frame.render_widget(Paragraph::new(line), area);
}
