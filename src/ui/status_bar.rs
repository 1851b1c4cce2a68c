//! The bottom line: source health, last refresh, `? help`. The newest error goes
//! last so that on a narrow terminal it is what gets cut, never `? help`.

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
    if let Some(t) = state.last_refresh {
        let local = t.with_timezone(&state.local).format("%H:%M:%S");
        spans.push(Span::raw(format!(" · updated {local}")));
    }
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
    let help = " ? help ";
    let room = (area.width as usize).saturating_sub(help.len());
    let mut line = fit(spans, room);
    let used: usize = line.iter().map(|s| s.content.chars().count()).sum();
    line.push(Span::raw(" ".repeat(room.saturating_sub(used))));
    line.push(Span::styled(help, theme.dim()));
    frame.render_widget(Paragraph::new(Line::from(line)), area);
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
