//! The headlines list (time, feed, title, symbol chips, unread marker) and the
//! preview of the selected headline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::theme::Theme;
use crate::news::Headline;
use crate::state::{Focus, State};

const FEED_WIDTH: usize = 12;

pub fn render_list(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let items = state.news.items();
    let today = state.now.with_timezone(&state.local).date_naive();
    // Only the rows in view are built: with 10,000 headlines, building them all
    // cost ~10 ms a frame. The window is where ratatui would scroll a fresh list
    // to (the same rule the reducer uses for mouse clicks).
    let height = usize::from(area.height.saturating_sub(2)).max(1);
    let selected = state.selected_headline_row();
    let offset = selected.unwrap_or(0).saturating_sub(height - 1);
    let rows: Vec<ListItem> = state
        .visible
        .iter()
        .skip(offset)
        .take(height)
        .filter_map(|i| items.get(*i))
        .map(|h| ListItem::new(row(h, state, today, theme)))
        .collect();
    // Newer headlines above the view are said, never silently off-screen.
    let title = match offset {
        0 => format!(" Headlines {}/{} ", state.visible.len(), items.len()),
        n => format!(
            " Headlines {}/{} · {n} newer above ",
            state.visible.len(),
            items.len()
        ),
    };
    let border = if state.focus == Focus::Headlines {
        theme.focused()
    } else {
        theme.unfocused()
    };
    let list = List::new(rows)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .border_style(border),
        )
        .highlight_style(theme.selected());
    let mut ls = ListState::default().with_selected(selected.map(|s| s - offset));
    frame.render_stateful_widget(list, area, &mut ls);
}

fn row<'a>(h: &'a Headline, state: &State, today: chrono::NaiveDate, theme: Theme) -> Line<'a> {
    let marker = if h.read {
        Span::raw("  ")
    } else {
        Span::styled("● ", theme.unread())
    };
    let when = match h.published {
        Some(t) => {
            let local = t.with_timezone(&state.local);
            if local.date_naive() == today {
                local.format("%H:%M").to_string()
            } else {
                local.format("%b %d").to_string()
            }
        }
        None => "  —".to_string(),
    };
    let feed: String = h.feed.chars().take(FEED_WIDTH).collect();
    let title_style = if h.read {
        theme.dim()
    } else {
        ratatui::style::Style::new()
    };
    // Chips go before the title so a long title cannot push them off screen.
    let mut spans = vec![
        marker,
        Span::styled(format!("{when:<6} "), theme.dim()),
        Span::styled(format!("{feed:<FEED_WIDTH$} "), theme.feed()),
    ];
    if h.filing.is_some() {
        spans.push(Span::styled("FILING ", theme.filing()));
    }
    for s in &h.symbols {
        spans.push(Span::styled(format!("[{s}]"), theme.chip(state.level_of(s))));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(h.title.as_str(), title_style));
    Line::from(spans)
}

pub fn render_preview(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let block = Block::default().borders(Borders::ALL).title(" Preview ");
    let Some(h) = state.selected_headline() else {
        let hint = if state.feeds.is_empty() {
            "No feeds configured: add [[feed]] tables to the config, or `tickwire opml import FILE`."
        } else if state.news.is_empty() {
            "Waiting for the first feed…"
        } else {
            "No headline matches the filter."
        };
        frame.render_widget(Paragraph::new(Line::styled(hint, theme.dim())).block(block), area);
        return;
    };
    let when = h
        .published
        .map(|t| {
            t.with_timezone(&state.local)
                .format("%a %d %b %Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| "undated".into());
    let mut lines = vec![
        Line::styled(h.title.as_str(), theme.header()),
        Line::from(vec![
            Span::styled(if h.filing.is_some() { "FILING · " } else { "" }, theme.filing()),
            Span::styled(&*h.feed, theme.feed()),
            Span::styled(format!(" · {when}"), theme.dim()),
            Span::styled(if h.read { "" } else { " · unread" }, theme.unread()),
        ]),
        Line::styled(h.url.as_deref().unwrap_or("(no link)"), theme.link()),
    ];
    if !h.symbols.is_empty() {
        let chips: Vec<Span> = h
            .symbols
            .iter()
            .flat_map(|s| {
                [
                    Span::styled(format!("[{s}]"), theme.chip(state.level_of(s))),
                    Span::raw(" "),
                ]
            })
            .collect();
        lines.push(Line::from(chips));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(h.summary.as_str()));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
}
