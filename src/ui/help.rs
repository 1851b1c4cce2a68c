//! The help overlay: every key, one line each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;

pub const KEYS: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "focus: tickers, chart, headlines"),
    ("j / k, ↓ / ↑", "move the selection"),
    ("g / G, Home / End", "first / last"),
    ("PgUp / PgDn", "a page up / down"),
    ("Enter", "detail view (on a ticker) · mark read (headline)"),
    (
        "h l ← → · < > · c",
        "chart: headline marker · range 1D…MAX · candles",
    ),
    ("f", "the selected ticker's headlines only (f again: all)"),
    ("o", "open the headline in the browser"),
    ("m / u", "toggle read / unread only"),
    ("/", "search headlines (Enter keeps, Esc clears)"),
    ("Esc", "clear every filter"),
    ("[ / ], 1-9", "switch watchlist"),
    ("a / d, J / K", "add / remove, move down / up a symbol (saved)"),
    ("s / S", "sort tickers: next order / other direction"),
    ("p", "edit the selected ticker's position (saved)"),
    ("A", "the alert log"),
    ("M", "the market: index map, movers (j/k, Enter, a adds)"),
    ("r", "refresh now (hosts found unreachable too)"),
    ("?", "this help (Esc, ? or q closes)"),
    ("q, Ctrl-C", "quit"),
];

pub fn render(frame: &mut Frame, area: Rect, theme: Theme) {
    let popup = super::popup(area, 78, KEYS.len() as u16 + 4);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| Line::from(format!(" {k:<20} {what}")))
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(
        " warn / ALERT: the configured drops · idx: 100 = prev close · ≈ approximate",
        theme.dim(),
    ));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" Keys ")),
        popup,
    );
}
