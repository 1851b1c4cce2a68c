//! The selected ticker full-screen: a bigger chart, the day's figures, and its
//! headlines beside them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::theme::Theme;
use crate::config::{Basis, SourceKind};
use crate::format;
use crate::model::Level;
use crate::state::{FeedStatus, State};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let Some(symbol) = state.shown_symbol() else {
        return;
    };
    // The figures need 36 columns ("PRE 05:53    127.87 -10.34% -14.75" and borders):
    // at 80 columns a third of the width cut them.
    let side = (area.width * 35 / 100).max(36).min(area.width / 2);
    let [left, right] = Layout::horizontal([Constraint::Min(0), Constraint::Length(side)]).areas(area);
    super::chart::render(frame, left, state, theme);
    // Three more lines for a position, one per source of its own.
    let position = if state.config.lots(symbol).is_empty() {
        0
    } else {
        3
    };
    let flagged = state.entry(symbol).is_some_and(|e| e.level != Level::None);
    let rebased = state.config.basis(symbol) == Basis::Rebased;
    let halted = state
        .halts
        .latest(symbol, state.now)
        .map_or(0, |h| 1 + u16::from(h.resumed_at.is_some()));
    let signals = state.signals(symbol).len() as u16;
    let height = 12
        + signals
        + position
        + u16::from(flagged)
        + u16::from(rebased)
        + halted
        + state.own_sources(symbol).count() as u16;
    let [stats, news] = Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(right);
    render_stats(frame, stats, state, symbol, theme);
    render_linked(frame, news, state, symbol, theme);
}

fn render_stats(frame: &mut Frame, area: Rect, state: &State, symbol: &str, theme: Theme) {
    let entry = state.entry(symbol);
    let name = state.config.display_name(symbol);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {name} ({symbol}) "));
    let Some(q) = entry.and_then(|e| e.quote.as_ref()) else {
        let why = entry
            .and_then(|e| e.error.as_ref())
            .map_or("waiting for a price", |(m, _)| m.as_str());
        let mut lines = vec![Line::styled(why.to_string(), theme.error())];
        lines.extend(state.own_sources(symbol).map(|f| source_line(f, state, theme)));
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    };
    let row =
        |k: &str, v: String| Line::from(vec![Span::styled(format!("{k:<13}"), theme.dim()), Span::raw(v)]);
    let level = entry.map_or(Level::None, |e| e.level);
    let change = q.change();
    let currency = q.currency.clone().unwrap_or_default();
    let basis = state.config.basis(symbol);
    let opt = |v: Option<f64>| v.map(format::price).unwrap_or_else(|| "—".into());
    let mut lines = vec![
        row(
            "Price",
            match basis {
                Basis::Price => format!("{} {currency}", format::price(q.price)),
                Basis::Rebased => basis.show(q.price),
            },
        ),
        Line::from(vec![
            Span::styled(format!("{:<13}", "Change"), theme.dim()),
            Span::styled(
                format!(
                    "{} ({})",
                    change.map(format::signed).unwrap_or_else(|| "—".into()),
                    q.change_pct().map(format::pct).unwrap_or_else(|| "—".into())
                ),
                theme.change(change),
            ),
        ]),
    ];
    if level != Level::None {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<13}", "Flag"), theme.dim()),
            Span::styled(level.label(), theme.flag(level)),
        ]));
    }
    if basis == Basis::Rebased {
        lines.push(row("Basis", "index, prev = 100".into()));
    }
    lines.extend(halt_lines(state, symbol, theme));
    for s in state.signals(symbol) {
        let (label, value) = s.row();
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<13}"), theme.dim()),
            Span::styled(value, theme.warn()),
        ]));
    }
    // The rate a foreign position is added to the one total at, and how old it is.
    if let Some(r) = state
        .config
        .holding(q)
        .and_then(|h| h.currency)
        .and_then(|c| state.rate_for(&c))
    {
        let at = r.as_of.unwrap_or(r.fetched_at);
        let age = format::age((state.now.to_utc() - at).num_seconds().max(0));
        let style = if r.is_stale(state.now.to_utc()) {
            theme.warn()
        } else {
            theme.dim()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<13}", "FX"), theme.dim()),
            Span::styled(format!("{} ({age} ago)", r.text()), style),
        ]));
    }
    // A market that never closes is measured against the price 24 hours earlier.
    let base = if q.rolling() { "24h ago" } else { "Prev close" };
    lines.push(row(base, opt(q.previous_close)));
    // The extended-hours part, measured against the last regular price.
    if let (Some(e), Some((change, pct))) = (q.extended, q.extended_change()) {
        let at = e.time.with_timezone(&state.local).format("%H:%M");
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<13}", format!("{} {at}", e.session.badge())),
                theme.dim(),
            ),
            Span::styled(
                format!(
                    "{} {} {}",
                    format::price(e.price),
                    format::pct(pct),
                    format::signed(change)
                ),
                theme.change(Some(change)),
            ),
        ]));
    }
    lines.extend([
        row(
            "Day range",
            match (q.day_low, q.day_high) {
                // Before the open there is no range yet: one dash, not "— – —".
                (None, None) => "—".into(),
                (low, high) => format!("{} – {}", opt(low), opt(high)),
            },
        ),
        row(
            "Volume",
            q.volume
                .map(|v| format::price(v as f64).trim_end_matches(".00").to_string())
                .unwrap_or_else(|| "—".into()),
        ),
        row(
            "52 weeks",
            q.week52
                .map(|(l, h)| format!("{} – {}", format::price(l), format::price(h)))
                .unwrap_or_else(|| "—".into()),
        ),
    ]);
    // No regular-session move yet (the pre-market): "+$0.0K today" says nothing.
    if let Some(v) = q
        .market_value_change(state.config.shares_outstanding(symbol))
        .filter(|v| v.abs() >= 0.5)
    {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<13}", "Market value"), theme.dim()),
            Span::styled(
                format!("{} today", format::money_short(v, q.money_currency())),
                theme.change(Some(v)),
            ),
        ]));
    }
    if let Some(h) = state.config.holding(q) {
        let currency = h.currency.as_deref().unwrap_or_default();
        let from = h
            .converted_from
            .as_ref()
            .map(|m| format!(" (from {m})"))
            .unwrap_or_default();
        lines.push(row(
            "Position",
            format!(
                "{} sh · {} {currency}{from}",
                format::quantity(h.shares),
                format::money(h.value)
            ),
        ));
        let pnl = |k: &str, v: Option<f64>, extra: String| {
            Line::from(vec![
                Span::styled(format!("{k:<13}"), theme.dim()),
                Span::styled(
                    format!("{}{extra}", v.map_or_else(|| "—".into(), format::signed_money)),
                    theme.change(v),
                ),
            ])
        };
        lines.push(pnl("Day P&L", h.day_pnl, String::new()));
        let pct = h
            .total_pnl_pct
            .map(|p| format!(" ({})", format::pct(p)))
            .unwrap_or_default();
        lines.push(pnl("Total P&L", Some(h.total_pnl), pct));
    }
    let session = match q.session(state.now) {
        Some(s) => s.as_str(),
        None if q.rolling() => "never closes",
        None => "—",
    };
    lines.push(row("Session", format!("{session} · {}", q.provider)));
    lines.extend(state.own_sources(symbol).map(|f| source_line(f, state, theme)));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A symbol's own news or filings source: how it fares, where a failure shows
/// instead of the status line.
fn source_line<'a>(f: &'a FeedStatus, state: &State, theme: Theme) -> Line<'a> {
    let label = match f.kind {
        SourceKind::Filings => "Filings",
        _ => "News",
    };
    let ago = |at: chrono::DateTime<chrono::Utc>| format::age((state.now - at).num_seconds());
    let (text, style) = if let Some(why) = &f.absent {
        (why.clone(), theme.dim())
    } else if let Some((msg, at)) = &f.error {
        (format!("{}: {msg} ({} ago)", f.name, ago(*at)), theme.error())
    } else if let Some(at) = f.last_ok {
        let items = if f.items == 1 { "item" } else { "items" };
        (
            format!("{} · {} {items} · {} ago", f.name, f.items, ago(at)),
            theme.dim(),
        )
    } else {
        (format!("{} · waiting", f.name), theme.dim())
    };
    Line::from(vec![
        Span::styled(format!("{label:<13}"), theme.dim()),
        Span::styled(text, style),
    ])
}

fn render_linked(frame: &mut Frame, area: Rect, state: &State, symbol: &str, theme: Theme) {
    let linked: Vec<_> = state
        .news
        .items()
        .iter()
        .filter(|h| h.symbols.iter().any(|s| s == symbol))
        .collect();
    let items: Vec<ListItem> = linked
        .iter()
        .map(|h| {
            let when = h
                .published
                .map(|t| t.with_timezone(&state.local).format("%H:%M ").to_string())
                .unwrap_or_default();
            let style = if h.read {
                theme.dim()
            } else {
                ratatui::style::Style::new()
            };
            let chip = if h.filing.is_some() { "FILING " } else { "" };
            ListItem::new(Line::from(vec![
                Span::styled(when, theme.dim()),
                Span::styled(chip, theme.filing()),
                Span::styled(h.title.as_str(), style),
            ]))
        })
        .collect();
    let selected = state
        .marker
        .as_ref()
        .and_then(|m| linked.iter().position(|h| &h.id == m));
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {symbol} headlines {} ", linked.len())),
        )
        .highlight_style(theme.selected());
    frame.render_stateful_widget(list, area, &mut ListState::default().with_selected(selected));
}

/// "Halted 09:35 ET LUDP" (loud while on) and "Resumed 09:40 ET" (or
/// "Resumes" when the feed names a time ahead): the symbol's newest halt of
/// the current or last trading day.
fn halt_lines<'a>(state: &State, symbol: &str, theme: Theme) -> Vec<Line<'a>> {
    let Some(h) = state.halts.latest(symbol, state.now) else {
        return Vec::new();
    };
    let et = |t| crate::market::calendar::local(t).format("%H:%M ET").to_string();
    let on = h.active(state.now);
    let style = if on {
        theme.flag(Level::Alert)
    } else {
        ratatui::style::Style::new()
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<13}", "Halted"), theme.dim()),
        Span::styled(format!("{} {}", et(h.halted_at), h.reason_code), style),
    ])];
    if let Some(r) = h.resumed_at {
        let key = if r <= state.now { "Resumed" } else { "Resumes" };
        lines.push(Line::from(vec![
            Span::styled(format!("{key:<13}"), theme.dim()),
            Span::raw(et(r)),
        ]));
    }
    lines
}
