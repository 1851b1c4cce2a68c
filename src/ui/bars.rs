//! A chart drawn in columns: candlesticks or a line over a range's bars,
//! volume below, then splits, dividends and headlines on their bars, then
//! the dates. One column holds one bar, or several merged when they do not fit.

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker as Dot;
use ratatui::text::Span;
use ratatui::widgets::canvas::{Canvas, Line as Segment};

use super::sparkline::BLOCKS;
use super::theme::Theme;
use crate::chart::{Candle, ChartData, EventKind};
use crate::format;
use crate::history::ChartRange;
use crate::state::State;

/// The bars of one column, merged: first open, last close, extremes, volume summed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Column {
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    volume: Option<f64>,
    /// The first bar's start.
    x: f64,
}

/// Which column each bar goes to: spread over the width when they are fewer,
/// merged in order when they are more.
fn column_of(i: usize, bars: usize, width: usize) -> usize {
    if bars <= width {
        if bars < 2 {
            return 0;
        }
        (i * (width - 1) + (bars - 1) / 2) / (bars - 1)
    } else {
        i * width / bars
    }
}

fn columns(candles: &[Candle], width: usize) -> Vec<Option<Column>> {
    let mut out: Vec<Option<Column>> = vec![None; width];
    for (i, c) in candles.iter().enumerate() {
        let slot = &mut out[column_of(i, candles.len(), width).min(width - 1)];
        *slot = Some(match *slot {
            None => Column {
                open: c.open,
                high: c.high,
                low: c.low,
                close: c.close,
                volume: c.volume,
                x: c.x,
            },
            Some(m) => Column {
                high: m.high.max(c.high),
                low: m.low.min(c.low),
                close: c.close,
                volume: match (m.volume, c.volume) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                },
                ..m
            },
        });
    }
    out
}

/// The column of the bar that starts at `x` (markers and events sit on a bar's start).
fn column_at(candles: &[Candle], x: f64, width: usize) -> Option<usize> {
    let i = candles.partition_point(|c| c.x < x);
    (i < candles.len()).then(|| column_of(i, candles.len(), width).min(width - 1))
}

/// How dates read on the axis of `range`.
fn date_format(range: ChartRange) -> &'static str {
    match range {
        ChartRange::Day => "%H:%M",
        ChartRange::FiveDays => "%a %H:%M",
        ChartRange::Month | ChartRange::SixMonths | ChartRange::Ytd => "%d %b",
        ChartRange::Year => "%b %Y",
        ChartRange::FiveYears | ChartRange::Max => "%Y",
    }
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    d: &ChartData,
    state: &State,
    offset: FixedOffset,
    theme: Theme,
    candles: bool,
) {
    let [y0, y1] = d.y_bounds;
    let labels = [y1, (y0 + y1) / 2.0, y0].map(format::price);
    let gutter = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u16 + 1;
    if area.width <= gutter + 4 || area.height < 4 || d.candles.is_empty() {
        return;
    }
    let width = usize::from(area.width - gutter);
    let has_volume = d.candles.iter().any(|c| c.volume.is_some_and(|v| v > 0.0));
    let marks_row = !d.events.is_empty() || (candles && !d.markers.is_empty());
    let volume_rows = match area.height {
        h if has_volume && h >= 12 => 2,
        h if has_volume && h >= 8 => 1,
        _ => 0,
    };
    let plot_rows = area.height - volume_rows - u16::from(marks_row) - 1;
    let cols = columns(&d.candles, width);
    let plot = Rect::new(area.x + gutter, area.y, area.width - gutter, plot_rows);
    let buf = frame.buffer_mut();
    for (row, label) in [0, plot_rows / 2, plot_rows.saturating_sub(1)]
        .into_iter()
        .zip(&labels)
    {
        let text = format!("{label:>w$}", w = usize::from(gutter - 1));
        buf.set_string(area.x, area.y + row, text, theme.dim());
    }
    if candles {
        draw_candles(buf, plot, &cols, [y0, y1], theme);
    } else {
        draw_line(frame, plot, d, &cols, state, theme);
    }
    let buf = frame.buffer_mut();
    let mut y = area.y + plot_rows;
    if volume_rows > 0 {
        let label = format!("{:>w$}", "vol", w = usize::from(gutter - 1));
        buf.set_string(area.x, y + volume_rows - 1, label, theme.dim());
        draw_volume(buf, Rect::new(plot.x, y, plot.width, volume_rows), &cols, theme);
        y += volume_rows;
    }
    if marks_row {
        draw_marks(buf, Rect::new(plot.x, y, plot.width, 1), d, state, theme, candles);
        y += 1;
    }
    draw_dates(
        buf,
        Rect::new(plot.x, y, plot.width, 1),
        &cols,
        d.range,
        offset,
        theme,
    );
}

fn draw_candles(buf: &mut Buffer, plot: Rect, cols: &[Option<Column>], [y0, y1]: [f64; 2], theme: Theme) {
    let rows = f64::from(plot.height.max(1) - 1);
    let row = |v: f64| {
        let r = ((y1 - v) / (y1 - y0) * rows).round();
        r.clamp(0.0, rows) as u16
    };
    for (i, c) in cols.iter().enumerate() {
        let Some(c) = c else { continue };
        let style = theme.change(Some(c.close - c.open));
        // Without colour a rise is hollow and a fall filled, as on paper.
        let body = match c.close.total_cmp(&c.open) {
            std::cmp::Ordering::Greater if !theme.color => '░',
            std::cmp::Ordering::Equal => '─',
            _ => '█',
        };
        let (top, bottom) = (row(c.high), row(c.low));
        let (body_top, body_bottom) = (row(c.open.max(c.close)), row(c.open.min(c.close)));
        for r in top..=bottom {
            let ch = if (body_top..=body_bottom).contains(&r) {
                body
            } else {
                '│'
            };
            buf[(plot.x + i as u16, plot.y + r)].set_char(ch).set_style(style);
        }
    }
}

fn draw_line(
    frame: &mut Frame,
    plot: Rect,
    d: &ChartData,
    cols: &[Option<Column>],
    state: &State,
    theme: Theme,
) {
    let points: Vec<(f64, f64)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i as f64, c.as_ref()?.close)))
        .collect();
    let change = d.previous_close.zip(d.points.last()).map(|(p, l)| l.1 - p);
    let colour = |s: Style| s.fg.unwrap_or(Color::Reset);
    let line_colour = colour(theme.change(change));
    let width = cols.len();
    let marks: Vec<(f64, f64, bool)> = d
        .markers
        .iter()
        .filter_map(|m| {
            let col = column_at(&d.candles, m.x, width)?;
            Some((col as f64, m.y, state.marker.as_deref() == Some(m.id)))
        })
        .collect();
    let from = d.previous_close;
    let canvas = Canvas::default()
        .marker(Dot::Braille)
        .x_bounds([0.0, (width.max(2) - 1) as f64])
        .y_bounds(d.y_bounds)
        .paint(move |ctx| {
            if let Some(p) = from {
                ctx.draw(&Segment::new(0.0, p, (width - 1) as f64, p, Color::DarkGray));
            }
            for w in points.windows(2) {
                ctx.draw(&Segment::new(w[0].0, w[0].1, w[1].0, w[1].1, line_colour));
            }
            if let [only] = points.as_slice() {
                ctx.draw(&Segment::new(only.0, only.1, only.0, only.1, line_colour));
            }
            ctx.layer();
            for &(x, y, selected) in &marks {
                let (text, style) = if selected {
                    ("◆", theme.marker_selected())
                } else {
                    ("•", theme.marker())
                };
                ctx.print(x, y, Span::styled(text, style));
            }
        });
    frame.render_widget(canvas, plot);
}

fn draw_volume(buf: &mut Buffer, area: Rect, cols: &[Option<Column>], theme: Theme) {
    let max = cols
        .iter()
        .filter_map(|c| c.and_then(|c| c.volume))
        .fold(0.0, f64::max);
    if max <= 0.0 {
        return;
    }
    let levels = f64::from(area.height) * 8.0;
    for (i, c) in cols.iter().enumerate() {
        let Some(c) = c else { continue };
        let Some(v) = c.volume.filter(|v| *v > 0.0) else {
            continue;
        };
        // At least the lowest block: a traded bar never reads as none.
        let eighths = ((v / max) * levels).round().max(1.0) as u16;
        let style = theme.change(Some(c.close - c.open)).patch(theme.dim());
        for r in 0..area.height {
            let from_bottom = r * 8;
            if eighths <= from_bottom {
                break;
            }
            let fill = (eighths - from_bottom).min(8);
            let y = area.y + area.height - 1 - r;
            buf[(area.x + i as u16, y)]
                .set_char(BLOCKS[usize::from(fill) - 1])
                .set_style(style);
        }
    }
}

/// Splits (S), dividends (D), capital gains (G) and, with candles, headlines
/// (• and ◆ for the one stepped to) under their bars; the stepped-to headline
/// wins a shared column, then a split.
fn draw_marks(buf: &mut Buffer, area: Rect, d: &ChartData, state: &State, theme: Theme, candles: bool) {
    let width = usize::from(area.width);
    let mut row: Vec<Option<(char, Style, u8)>> = vec![None; width];
    let mut put = |x: f64, ch: char, style: Style, rank: u8| {
        if let Some(col) = column_at(&d.candles, x, width) {
            let slot = &mut row[col];
            if slot.is_none_or(|(_, _, r)| rank > r) {
                *slot = Some((ch, style, rank));
            }
        }
    };
    if candles {
        for m in &d.markers {
            if state.marker.as_deref() == Some(m.id) {
                put(m.x, '◆', theme.marker_selected(), 4);
            } else {
                put(m.x, '•', theme.marker(), 0);
            }
        }
    }
    for e in &d.events {
        match e.kind {
            EventKind::Split { .. } => put(e.x, 'S', theme.warn(), 3),
            EventKind::Dividend(_) => put(e.x, 'D', theme.dim(), 2),
            EventKind::CapitalGain(_) => put(e.x, 'G', theme.dim(), 1),
        }
    }
    for (i, cell) in row.into_iter().enumerate() {
        if let Some((ch, style, _)) = cell {
            buf[(area.x + i as u16, area.y)].set_char(ch).set_style(style);
        }
    }
}

/// The first, middle and last columns' dates, where they fit without touching.
fn draw_dates(
    buf: &mut Buffer,
    area: Rect,
    cols: &[Option<Column>],
    range: ChartRange,
    offset: FixedOffset,
    theme: Theme,
) {
    let fmt = date_format(range);
    let label = |x: f64| {
        DateTime::<Utc>::from_timestamp(x as i64, 0)
            .map(|t| t.with_timezone(&offset).format(fmt).to_string())
            .unwrap_or_default()
    };
    let filled: Vec<(usize, f64)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.as_ref()?.x)))
        .collect();
    let (Some(first), Some(last)) = (filled.first(), filled.last()) else {
        return;
    };
    let width = usize::from(area.width);
    let left = label(first.1);
    let right = label(last.1);
    let right_at = width.saturating_sub(right.chars().count());
    buf.set_string(area.x, area.y, &left, theme.dim());
    if right_at > left.chars().count() + 1 {
        buf.set_string(area.x + right_at as u16, area.y, &right, theme.dim());
    }
    let mid = filled[filled.len() / 2];
    let text = label(mid.1);
    let at = mid.0.saturating_sub(text.chars().count() / 2);
    if at > left.chars().count() + 1 && at + text.chars().count() + 1 < right_at {
        buf.set_string(area.x + at as u16, area.y, &text, theme.dim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candle(x: f64, open: f64, close: f64) -> Candle {
        Candle {
            x,
            open,
            high: open.max(close) + 1.0,
            low: open.min(close) - 1.0,
            close,
            volume: Some(100.0),
        }
    }

    #[test]
    fn few_bars_spread_from_edge_to_edge_and_many_merge_in_order() {
        assert_eq!((0..3).map(|i| column_of(i, 3, 10)).collect::<Vec<_>>(), [0, 5, 9]);
        assert_eq!(column_of(0, 1, 10), 0);
        let many: Vec<Candle> = (0..6)
            .map(|i| candle(f64::from(i), 10.0 + f64::from(i), 11.0 + f64::from(i)))
            .collect();
        let cols = columns(&many, 3);
        let first = cols[0].unwrap();
        assert_eq!((first.open, first.close, first.volume), (10.0, 12.0, Some(200.0)));
        assert_eq!((first.high, first.low), (13.0, 9.0));
        assert!(cols.iter().all(Option::is_some));
    }

    #[test]
    fn a_marker_sits_in_the_column_of_its_bar() {
        let bars: Vec<Candle> = (0..4).map(|i| candle(f64::from(i) * 10.0, 1.0, 2.0)).collect();
        assert_eq!(column_at(&bars, 20.0, 7), Some(4));
        assert_eq!(column_at(&bars, 99.0, 7), None);
    }
}
