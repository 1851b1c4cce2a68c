//! The bottom line: source health, last refresh, `? help`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::format;
use crate::state::State;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let total = state.config.all_symbols().len();
    let ok = state
        .quotes
        .values()
        .filter(|e| e.quote.is_some() && e.error.is_none())
        .count();
    let mut spans = vec![Span::styled(format!(" quotes {ok}/{total} ok"), theme.header())];
    // The most recent failure is the one worth reading; the table shows the rest.
    if let Some((sym, msg, at)) = state
        .quotes
        .iter()
        .filter_map(|(s, e)| e.error.as_ref().map(|(m, at)| (s, m, *at)))
        .max_by_key(|(_, _, at)| *at)
    {
        let age = format::age((state.now - at).num_seconds());
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(format!("{sym}: {msg} ({age} ago)"), theme.error()));
    }
    if let Some(t) = state.last_refresh {
        let local = t.with_timezone(&chrono::Local).format("%H:%M:%S");
        spans.push(Span::raw(format!(" · updated {local}")));
    }
    let right = " ? help ";
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let pad = (area.width as usize).saturating_sub(used + right.len());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, theme.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
