//! The selected ticker's day: price line, previous close, thresholds, and the
//! headlines linked to it as markers; the stepped-to headline under the chart.

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker as Dot;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use super::theme::Theme;
use crate::chart::{ChartData, EventKind};
use crate::format;
use crate::history::ChartRange;
use crate::state::{Focus, Mode, State};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let focused = state.focus == Focus::Chart || state.mode == Mode::Detail;
    let border = if focused {
        theme.focused()
    } else {
        theme.unfocused()
    };
    let Some(symbol) = state.shown_symbol() else {
        return;
    };
    let view = &state.chart_view;
    // Which range is shown (`<` `>` step): said while the chart is in use or
    // off its default; an idle day chart keeps the room for its title.
    let tag = if focused || view.range != ChartRange::Day || view.candles {
        format!(" ‹ {} › ", view.range.label())
    } else {
        String::new()
    };
    let block = Block::default().borders(Borders::ALL).border_style(border);
    let (Some(data), Some(quote)) = (
        state.chart(symbol),
        state.entry(symbol).and_then(|e| e.quote.as_ref()),
    ) else {
        let block = block
            .title(format!(" {symbol} "))
            .title_top(Line::from(tag).right_aligned());
        frame.render_widget(waiting(state, symbol, theme).block(block), area);
        return;
    };
    let offset = quote
        .utc_offset
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or(state.local));
    // The fullest title that fits beside the range's tag: the name goes first,
    // then the currency, then the tag; the prices and moves stay ("PRE 127.8"
    // was cut at 80 columns).
    let tag_width = tag.chars().count();
    let fits = |t: &String, extra: usize| t.chars().count() + 2 + extra <= usize::from(area.width);
    let title = [true, false]
        .into_iter()
        .map(|full| chart_title(state, symbol, quote, full))
        .find(|t| fits(t, tag_width))
        .unwrap_or_else(|| chart_title(state, symbol, quote, false));
    let block = if fits(&title, tag_width) {
        block.title_top(Line::from(tag).right_aligned())
    } else {
        block
    };
    let marker_line = state.marker.as_ref().and_then(|id| state.news.get(id)).map(|h| {
        let when = h
            .published
            .map(|t| t.with_timezone(&offset).format("%H:%M ").to_string())
            .unwrap_or_default();
        Line::from(vec![
            Span::styled("◆ ", theme.marker_selected()),
            Span::styled(when, theme.dim()),
            Span::raw(h.title.clone()),
        ])
    });
    let inner = block.inner(area);
    frame.render_widget(block.title(title), area);
    // The legend is a line of its own above the plot (two where one would cut it):
    // a box over the plot hid the last prices and had the alert line run through it.
    let key_line = legend(&data, theme, inner.width);
    let key_rows = if key_line.width() > usize::from(inner.width) {
        2
    } else {
        1
    };
    let [key, plot, caption] = Layout::vertical([
        Constraint::Length(key_rows),
        Constraint::Min(0),
        Constraint::Length(u16::from(marker_line.is_some())),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(key_line).wrap(ratatui::widgets::Wrap { trim: true }),
        key,
    );
    if data.range == ChartRange::Day && !view.candles {
        draw(frame, plot, &data, state, offset, theme);
    } else {
        super::bars::draw(frame, plot, &data, state, offset, theme, view.candles);
    }
    if let Some(line) = marker_line {
        frame.render_widget(Paragraph::new(line), caption);
    }
}

/// What the chart says while it has nothing to draw: no price yet, the
/// range's bars on their way, or why they did not come.
fn waiting(state: &State, symbol: &str, theme: Theme) -> Paragraph<'static> {
    let range = state.chart_view.range;
    let has_quote = state.entry(symbol).is_some_and(|e| e.quote.is_some());
    let line = if range == ChartRange::Day || !has_quote {
        Line::styled(format!("{symbol}: no price yet"), theme.dim())
    } else {
        match state.chart_view.slot(symbol, range) {
            Some(s) if s.history.as_ref().is_some_and(|h| h.bars.is_empty()) => Line::styled(
                format!("{symbol} {}: no bars in this range", range.label()),
                theme.dim(),
            ),
            Some(s) if s.error.is_some() && !state.chart_view.loading(symbol) => Line::styled(
                format!(
                    "{symbol} {}: {} (r tries again)",
                    range.label(),
                    s.error.as_deref().unwrap_or_default()
                ),
                theme.error(),
            ),
            _ => Line::styled(format!("{symbol} {}: loading…", range.label()), theme.dim()),
        }
    };
    Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: true })
}

/// What each line and mark is, in the style it is drawn in, with its value; in
/// fewer words where the full form would not fit `width`.
fn legend(d: &ChartData, theme: Theme, width: u16) -> Line<'static> {
    let full = legend_parts(d, theme, false);
    // Each part and its two-space gap, less the gap the first has not.
    let long: usize = full.iter().map(|(t, _)| t.chars().count() + 2).sum();
    let (parts, gap) = if long <= usize::from(width) + 2 {
        (full, "  ")
    } else {
        (legend_parts(d, theme, true), " ")
    };
    let mut spans = Vec::new();
    for (i, (text, style)) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(gap));
        }
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

fn legend_parts(d: &ChartData, theme: Theme, terse: bool) -> Vec<(String, ratatui::style::Style)> {
    if d.range != ChartRange::Day {
        return range_legend(d, theme, terse);
    }
    let value = |v: Option<f64>| v.map(format::price).unwrap_or_default();
    let mut parts: Vec<(String, ratatui::style::Style)> = Vec::new();
    // The day's range in the price line's own colour: the key to the line.
    let change = d.previous_close.zip(d.points.last()).map(|(p, l)| l.1 - p);
    if let (Some(h), Some(l)) = (d.high, d.low) {
        parts.push((
            format!("H {} L {}", format::price(h.1), format::price(l.1)),
            theme.change(change),
        ));
    }
    if d.previous_close.is_some() {
        parts.push((format!("prev {}", value(d.previous_close)), theme.dim()));
    }
    // The thresholds' own lines: a line off the chart has no entry.
    if d.warn_line.is_some() {
        parts.push((format!("warn {}", value(d.warn_line)), theme.threshold(false)));
    }
    if d.alert_line.is_some() {
        parts.push((format!("alert {}", value(d.alert_line)), theme.threshold(true)));
    }
    let filings = d.markers.iter().filter(|m| m.filing).count();
    let news = d.markers.len() - filings;
    if news > 0 {
        let text = if terse {
            format!("•{news}")
        } else {
            format!("• {news} headlines")
        };
        parts.push((text, theme.marker()));
    }
    if filings > 0 {
        let text = if terse {
            format!("▮{filings}")
        } else {
            format!("▮ {filings} filings")
        };
        parts.push((text, theme.filing()));
    }
    if !d.pre.is_empty() || !d.post.is_empty() {
        parts.push((if terse { "ext." } else { "ext. hours" }.into(), theme.extended()));
    }
    parts
}

/// A range's key: its change from the first close, its extremes, its events.
fn range_legend(d: &ChartData, theme: Theme, terse: bool) -> Vec<(String, ratatui::style::Style)> {
    let mut parts: Vec<(String, ratatui::style::Style)> = Vec::new();
    let first = d.previous_close;
    let last = d.points.last().map(|p| p.1);
    let change = first.zip(last).map(|(f, l)| l - f);
    let pct = first
        .zip(last)
        .filter(|(f, _)| *f > 0.0)
        .map(|(f, l)| (l / f - 1.0) * 100.0);
    parts.push((
        format!("{} {}", d.range.label(), pct.map(format::pct).unwrap_or_default()),
        theme.change(change),
    ));
    if let (Some(h), Some(l)) = (d.high, d.low) {
        parts.push((
            format!("H {} L {}", format::price(h.1), format::price(l.1)),
            theme.change(change),
        ));
    }
    if let Some(f) = first.filter(|_| !terse) {
        parts.push((format!("from {}", format::price(f)), theme.dim()));
    }
    let news = d.markers.iter().filter(|m| !m.filing).count();
    if news > 0 {
        parts.push((format!("• {news}"), theme.marker()));
    }
    for e in &d.events {
        if let EventKind::Split {
            numerator,
            denominator,
        } = e.kind
        {
            parts.push((format!("S {numerator}:{denominator}"), theme.warn()));
        }
    }
    let dividends = d
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Dividend(_)))
        .count();
    if dividends > 0 {
        parts.push((format!("D {dividends}"), theme.dim()));
    }
    if d.adjusted {
        parts.push((if terse { "adj." } else { "split-adjusted" }.into(), theme.dim()));
    }
    parts
}

fn chart_title(state: &State, symbol: &str, quote: &crate::model::Quote, full: bool) -> String {
    let name = state.config.display_name(symbol);
    let mut title = format!(" {symbol}");
    if full && name != symbol {
        title.push_str(&format!(" {name}"));
    }
    title.push_str(&format!(" · {}", state.config.basis(symbol).show(quote.price)));
    if let Some(c) = quote.currency.as_ref().filter(|_| full) {
        title.push_str(&format!(" {c}"));
    }
    if let Some(p) = quote.change_pct() {
        title.push_str(&format!(" {}", format::pct(p)));
    }
    if let (Some(e), Some((_, pct))) = (quote.extended, quote.extended_change()) {
        title.push_str(&format!(
            " · {} {} {}",
            e.session.badge(),
            format::price(e.price),
            format::pct(pct)
        ));
    }
    if let Some(s) = quote.session(state.now) {
        title.push_str(&format!(" · {}", s.as_str()));
    }
    title.push(' ');
    title
}

fn draw(frame: &mut Frame, area: Rect, d: &ChartData, state: &State, offset: FixedOffset, theme: Theme) {
    let [x0, x1] = d.x_bounds;
    let flat = |y: f64| vec![(x0, y), (x1, y)];
    let prev = d.previous_close.map(flat).unwrap_or_default();
    let warn = d.warn_line.map(flat).unwrap_or_default();
    let alert = d.alert_line.map(flat).unwrap_or_default();
    let (marked, others): (Vec<_>, Vec<_>) = d
        .markers
        .iter()
        .partition(|m| state.marker.as_deref() == Some(m.id));
    let (filings, others): (Vec<_>, Vec<_>) = others.into_iter().partition(|m| m.filing);
    let others: Vec<(f64, f64)> = others.iter().map(|m| (m.x, m.y)).collect();
    let filings: Vec<(f64, f64)> = filings.iter().map(|m| (m.x, m.y)).collect();
    let marked: Vec<(f64, f64)> = marked.iter().map(|m| (m.x, m.y)).collect();
    let change = d.previous_close.zip(d.points.last()).map(|(p, l)| l.1 - p);
    // Unnamed: the legend is the line above the plot (`legend`), not the chart's own box.
    let line = |data, style| {
        Dataset::default()
            .marker(Dot::Braille)
            .graph_type(GraphType::Line)
            .style(style)
            .data(data)
    };
    let mut datasets = Vec::new();
    if d.alert_line.is_some() {
        datasets.push(line(&alert, theme.threshold(true)));
    }
    if d.warn_line.is_some() {
        datasets.push(line(&warn, theme.threshold(false)));
    }
    if d.previous_close.is_some() {
        datasets.push(line(&prev, theme.dim()));
    }
    datasets.push(line(&d.points, theme.change(change)));
    // Extended hours in a quieter style, each side of the regular session, whose
    // open and close are marked with vertical lines.
    let [y0, y1] = d.y_bounds;
    let walls: Vec<Vec<(f64, f64)>> = d.boundaries.iter().map(|x| vec![(*x, y0), (*x, y1)]).collect();
    for wall in &walls {
        datasets.push(
            Dataset::default()
                .marker(Dot::Braille)
                .graph_type(GraphType::Line)
                .style(theme.session_wall())
                .data(wall),
        );
    }
    if !d.pre.is_empty() {
        datasets.push(line(&d.pre, theme.extended()));
    }
    if !d.post.is_empty() {
        datasets.push(line(&d.post, theme.extended()));
    }
    if !d.markers.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Dot::Dot)
                .graph_type(GraphType::Scatter)
                .style(theme.marker())
                .data(&others),
        );
        if !filings.is_empty() {
            datasets.push(
                Dataset::default()
                    .marker(Dot::Bar)
                    .graph_type(GraphType::Scatter)
                    .style(theme.filing())
                    .data(&filings),
            );
        }
        datasets.push(
            Dataset::default()
                .marker(Dot::Block)
                .graph_type(GraphType::Scatter)
                .style(theme.marker_selected())
                .data(&marked),
        );
    }
    let time = |x: f64| {
        DateTime::<Utc>::from_timestamp(x as i64, 0)
            .map(|t| t.with_timezone(&offset).format("%H:%M").to_string())
            .unwrap_or_default()
    };
    let y_labels = [y0, (y0 + y1) / 2.0, y1]
        .map(|v| Span::styled(format::price(v), theme.dim()))
        .to_vec();
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([x0, x1])
                .labels(vec![time(x0), time((x0 + x1) / 2.0), time(x1)])
                .style(theme.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([y0, y1])
                .labels(y_labels)
                .style(theme.dim()),
        )
        .legend_position(None);
    frame.render_widget(chart, area);
}
