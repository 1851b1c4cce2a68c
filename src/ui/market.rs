//! The whole index on screen: the breadth strip under the banner, and the
//! market view (`M`): a treemap (area = weight, colour = move) beside the
//! biggest movers and contributors and the selected constituent's card.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::format;
use crate::market::breadth::{Breadth, Constituent, Contribution};
use crate::state::State;

/// A contribution as the strip says it: index points when the index's own
/// quote is a price, else percentage points.
fn points(state: &State, c: &Contribution) -> String {
    let index = state.config.market.index.map(|i| i.symbol());
    let prev = index
        .filter(|s| state.config.basis(s) == crate::config::Basis::Price)
        .and_then(|s| state.entry(s)?.quote.as_ref()?.previous_close);
    match prev {
        Some(p) => format!("{} pts", format::signed(c.contribution_pct / 100.0 * p)),
        None => format!("{:+.2} pp", c.contribution_pct),
    }
}

/// "NDX ▼78 ▲21 · 12 ≤ -7% · NVDA -58.12 pts · AVGO -21.40 pts", as much as fits.
pub fn strip_text(state: &State, b: &Breadth, width: usize) -> String {
    let label = state.config.market.index.map_or("", |i| i.label());
    let alert = state.config.alerts.thresholds.alert_drop_pct;
    let mut text = format!(
        " {label} ▼{} ▲{} · {} ≤ -{alert}%",
        b.decliners, b.advancers, b.down_alert
    );
    if let Some(m) = b.median_pct {
        text.push_str(&format!(" · median {}", format::pct(m)));
    }
    // The biggest movers of the index either way.
    let mut top: Vec<&Contribution> = b
        .contributors
        .iter()
        .filter(|c| c.contribution_pct != 0.0)
        .collect();
    top.sort_by(|a, b| b.contribution_pct.abs().total_cmp(&a.contribution_pct.abs()));
    for c in top.into_iter().take(4) {
        let more = format!(" · {} {}", c.symbol, points(state, c));
        if text.chars().count() + more.chars().count() > width {
            break;
        }
        text.push_str(&more);
    }
    text
}

pub fn render_strip(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let Some(b) = state.breadth() else { return };
    // A failed poll says so before the contributors take the room.
    let failed = state.market.error.as_ref().map_or_else(String::new, |(why, _)| {
        format!(" · list: {}", super::tickers::short_cause(why))
    });
    let room = (area.width as usize).saturating_sub(failed.chars().count());
    let text = strip_text(state, &b, room) + &failed;
    let style = if b.decliners > b.advancers {
        theme.change(Some(-1.0))
    } else {
        theme.change(Some(1.0))
    };
    frame.render_widget(
        Paragraph::new(Line::styled(text, style.add_modifier(Modifier::BOLD))),
        area,
    );
}

/// The constituents by weight, heaviest first (the treemap's and the
/// selection's order); those without a cap last, by symbol.
pub fn by_weight(rows: &[Constituent]) -> Vec<&Constituent> {
    let mut v: Vec<&Constituent> = rows.iter().collect();
    v.sort_by(|a, b| {
        b.market_cap
            .unwrap_or(0.0)
            .total_cmp(&a.market_cap.unwrap_or(0.0))
            .then(a.symbol.cmp(&b.symbol))
    });
    v
}

/// Splits `area` among `weights` (heaviest first) by halves of the weight,
/// each cut across the longer side (a cell is about twice as tall as wide).
/// Every weight gets a rectangle, empty when there is no room for it.
pub fn treemap(weights: &[f64], area: Rect) -> Vec<Rect> {
    let mut out = vec![Rect::default(); weights.len()];
    split(weights, 0, area, &mut out);
    out
}

fn split(weights: &[f64], first: usize, area: Rect, out: &mut [Rect]) {
    match weights.len() {
        0 => {}
        1 => out[first] = area,
        n => {
            let total: f64 = weights.iter().sum();
            // The cut that halves the weight most nearly.
            let mut acc = 0.0;
            let mut cut = 1;
            for (i, w) in weights.iter().enumerate().take(n - 1) {
                acc += w;
                cut = i + 1;
                if acc >= total / 2.0 {
                    break;
                }
            }
            let share = if total > 0.0 {
                weights[..cut].iter().sum::<f64>() / total
            } else {
                cut as f64 / n as f64
            };
            let (a, b) = cut_at(area, share, area.width >= area.height * 2);
            split(&weights[..cut], first, a, out);
            split(&weights[cut..], first + cut, b, out);
        }
    }
}

/// `area` cut in two at `share` of its width (`across`) or of its height.
fn cut_at(area: Rect, share: f64, across: bool) -> (Rect, Rect) {
    let whole = if across { area.width } else { area.height };
    let first = ((f64::from(whole) * share).round() as u16).min(whole);
    let rest = whole - first;
    if across {
        let a = Rect { width: first, ..area };
        (
            a,
            Rect {
                x: area.x + first,
                width: rest,
                ..area
            },
        )
    } else {
        let a = Rect {
            height: first,
            ..area
        };
        (
            a,
            Rect {
                y: area.y + first,
                height: rest,
                ..area
            },
        )
    }
}

/// The tile's colour by its move; without colour, none (the label's sign says it).
fn tile_style(theme: Theme, pct: Option<f64>, selected: bool) -> Style {
    let base = if !theme.color {
        Style::new()
    } else {
        let bg = match pct {
            Some(p) if p <= -5.0 => Color::Red,
            Some(p) if p <= -1.0 => Color::LightRed,
            Some(p) if p >= 5.0 => Color::Green,
            Some(p) if p >= 1.0 => Color::LightGreen,
            _ => Color::DarkGray,
        };
        let fg = if matches!(bg, Color::Red | Color::DarkGray) {
            Color::White
        } else {
            Color::Black
        };
        Style::new().bg(bg).fg(fg)
    };
    if selected {
        base.add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        base
    }
}

pub fn render_view(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    frame.render_widget(Clear, area);
    let Some(b) = state.breadth() else {
        let why = state.market.error.as_ref().map_or_else(
            || match state.config.market.index {
                Some(_) => "waiting for the index's list".to_string(),
                None => "no index: set [market] index = \"nasdaq100\"".to_string(),
            },
            |(e, _)| format!("the index's list failed: {e}"),
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(" Market (Esc closes) ");
        frame.render_widget(Paragraph::new(why).block(block), area);
        return;
    };
    let side = (area.width / 3).clamp(26, 40).min(area.width / 2);
    let [left, right] = Layout::horizontal([Constraint::Min(0), Constraint::Length(side)]).areas(area);
    let title = format!(
        " {} · {} constituents · weights approximate (caps) · Esc closes ",
        state.config.market.index.map_or("", |i| i.label()),
        b.constituents
    );
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let rows = by_weight(&state.market.rows);
    let weights: Vec<f64> = rows.iter().map(|r| r.market_cap.unwrap_or(0.0)).collect();
    let selected = state.market_selected.min(rows.len().saturating_sub(1));
    for (i, (r, tile)) in rows.iter().zip(treemap(&weights, inner)).enumerate() {
        if tile.width == 0 || tile.height == 0 {
            continue;
        }
        let style = tile_style(theme, r.change_pct, i == selected);
        let pct = r.change_pct.map(format::pct).unwrap_or_else(|| "—".into());
        let mut lines = Vec::new();
        let one_line = format!("{} {pct}", r.symbol);
        if tile.height >= 2 && tile.width as usize >= r.symbol.len().max(pct.len()) {
            lines.push(Line::from(r.symbol.clone()));
            lines.push(Line::from(pct));
        } else if tile.width as usize >= one_line.chars().count() {
            lines.push(Line::from(one_line));
        } else {
            lines.push(Line::from(
                r.symbol.chars().take(tile.width as usize).collect::<String>(),
            ));
        }
        frame.render_widget(Paragraph::new(lines).style(style), tile);
    }
    render_side(frame, right, state, &b, rows.get(selected).copied(), theme);
}

fn render_side(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    b: &Breadth,
    selected: Option<&Constituent>,
    theme: Theme,
) {
    let mut lines: Vec<Line> = Vec::new();
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_string(), format::pct);
    lines.push(Line::from(format!(
        "▼{} ▲{} ={}  median {}",
        b.decliners,
        b.advancers,
        b.unchanged,
        pct(b.median_pct)
    )));
    let index = state.config.market.index.map(|i| i.symbol());
    let own = index.and_then(|s| state.entry(s)?.quote.as_ref()?.change_pct());
    lines.push(Line::from(format!(
        "est. {} · index {}",
        pct(b.est_index_pct),
        pct(own)
    )));
    // "NVDA   -16.97% -58.12 pts".
    let row = |c: &Contribution| {
        Line::from(vec![
            Span::raw(format!("{:<6}", c.symbol)),
            Span::styled(
                format!("{:>8} ", format::pct(c.change_pct)),
                theme.change(Some(c.change_pct)),
            ),
            Span::raw(points(state, c)),
        ])
    };
    lines.push(Line::styled("Biggest drag", theme.header()));
    let drag = b.contributors.iter().filter(|c| c.contribution_pct < 0.0);
    lines.extend(drag.take(5).map(row));
    lines.push(Line::styled("Biggest lift", theme.header()));
    let lift = b.contributors.iter().rev().filter(|c| c.contribution_pct > 0.0);
    lines.extend(lift.take(3).map(row));
    if let Some(r) = selected {
        lines.push(Line::styled(format!("▶ {}", r.symbol), theme.header()));
        if let Some(n) = &r.name {
            lines.push(Line::from(n.clone()));
        }
        let price = r.price.map(format::price).unwrap_or_else(|| "—".into());
        lines.push(Line::styled(
            format!("{price} {}", pct(r.change_pct)),
            theme.change(r.change_pct),
        ));
        if let Some(c) = b.contributors.iter().find(|c| c.symbol == r.symbol) {
            lines.push(Line::from(format!(
                "weight {:.2}% · {}",
                c.weight * 100.0,
                points(state, c)
            )));
        }
        let hint = if state.symbols().contains(&r.symbol) {
            "Enter: detail view"
        } else {
            "a: add to this watchlist"
        };
        lines.push(Line::styled(hint, theme.dim()));
    }
    let block = Block::default().borders(Borders::ALL).title(" Movers ");
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_treemap_tiles_the_area_in_proportion() {
        let area = Rect::new(0, 0, 60, 20);
        let weights = [50.0, 20.0, 15.0, 10.0, 5.0];
        let tiles = treemap(&weights, area);
        let cells: u32 = tiles
            .iter()
            .map(|t| u32::from(t.width) * u32::from(t.height))
            .sum();
        assert_eq!(cells, 1200, "every cell belongs to one tile");
        for (i, a) in tiles.iter().enumerate() {
            for b in &tiles[i + 1..] {
                assert!(a.intersection(*b).is_empty(), "{a:?} overlaps {b:?}");
            }
        }
        let biggest = u32::from(tiles[0].width) * u32::from(tiles[0].height);
        assert!(
            (540..=660).contains(&biggest),
            "half the weight, about half the area: {biggest}"
        );
        assert!(treemap(&[], area).is_empty());
        assert_eq!(treemap(&[0.0, 0.0], area).len(), 2);
    }
}
