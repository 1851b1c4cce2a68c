//! The alert log overlay: every new level a symbol reached, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::format;
use crate::state::State;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let height = (state.alert_log.len() as u16 + 4).clamp(5, area.height);
    let width = 64.min(area.width);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(popup);
    let mut lines: Vec<Line> = state
        .alert_log
        .iter()
        .rev()
        .map(|a| {
            Line::from(vec![
                Span::styled(
                    a.at.with_timezone(&state.local).format(" %a %H:%M  ").to_string(),
                    theme.dim(),
                ),
                Span::raw(format!("{:<8}", a.symbol)),
                Span::styled(
                    format!("{:<6}", a.level.as_str().to_uppercase()),
                    theme.flag(a.level),
                ),
                Span::styled(
                    format!(" {:>8}", format::pct(a.change_pct)),
                    theme.change(Some(a.change_pct)),
                ),
                Span::raw(format!("  at {}", format::price(a.price))),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(" No alerts yet.", theme.dim()));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Alert log (Esc closes) "),
        ),
        popup,
    );
}
