//! The alert log overlay: every new level a symbol reached, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::format;
use crate::model::{AlertKind, Level};
use crate::state::State;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let with_headline = state.alert_log.iter().filter(|a| a.headline.is_some()).count();
    let rows = (state.alert_log.len() + with_headline) as u16;
    let popup = super::popup(area, 90, (rows + 4).max(5));
    let mut lines: Vec<Line> = Vec::new();
    for a in state.alert_log.iter().rev() {
        let when = Span::styled(
            a.at.with_timezone(&state.local).format(" %a %H:%M  ").to_string(),
            theme.dim(),
        );
        if a.kind == AlertKind::Halt {
            // "ARM     HALT   09:35 ET volatility pause (LUDP)": what, not a move.
            let since = a
                .since
                .map(|t| crate::market::calendar::local(t).format("%H:%M ET ").to_string())
                .unwrap_or_default();
            lines.push(Line::from(vec![
                when,
                Span::raw(format!("{:<8}", a.symbol)),
                Span::styled(format!("{:<6}", "HALT"), theme.flag(Level::Alert)),
                Span::raw(format!(" {since}{}", a.detail.as_deref().unwrap_or_default())),
            ]));
        } else if a.kind.is_signal_or_halt() {
            // "NVDA    GAP    opened -12.49% from the close".
            lines.push(Line::from(vec![
                when,
                Span::raw(format!("{:<8}", a.symbol)),
                Span::styled(format!("{:<6}", crate::signals::chip(a.kind)), theme.warn()),
                Span::raw(format!(" {}", a.detail.as_deref().unwrap_or_default())),
            ]));
        } else {
            lines.push(Line::from(vec![
                when,
                Span::raw(format!("{:<8}", a.symbol)),
                Span::styled(format!("{:<6}", a.level.label()), theme.flag(a.level)),
                Span::styled(
                    format!(" {:>8}", format::pct(a.change_pct)),
                    theme.change(Some(a.change_pct)),
                ),
                Span::raw(format!("  at {}", state.config.basis(&a.symbol).show(a.price))),
                Span::styled(
                    a.session.map(|s| format!(" {}", s.label())).unwrap_or_default(),
                    theme.dim(),
                ),
                Span::styled(
                    a.day_pnl
                        .map(|p| format!("  day P&L {}", format::signed_money(p)))
                        .unwrap_or_default(),
                    theme.change(a.day_pnl),
                ),
            ]));
        }
        // Why it moved: the newest linked headline when the alert came.
        if let Some(h) = &a.headline {
            lines.push(Line::styled(format!("             └ {h}"), theme.dim()));
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled(" No alerts yet.", theme.dim()));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Alert log (Esc or q closes) "),
        ),
        popup,
    );
}
