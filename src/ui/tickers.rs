//! The watchlist table: symbol, name, price, change, change %, the extended-hours
//! trade, the day, the flag, the status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};

use super::sparkline::sparkline;
use super::theme::Theme;
use crate::format;
use crate::model::Level;
use crate::state::{Focus, QuoteEntry, State};

const SPARK_WIDTH: u16 = 12;
/// "POST 1,156.49 -0.03%".
const EXT_WIDTH: u16 = 20;

/// Which optional columns the table shows.
#[derive(Clone, Copy)]
struct Columns {
    wide: bool,
    with_name: bool,
    with_change: bool,
    extended: bool,
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    // Narrow panels drop the sparkline, then the name, before anything numeric.
    // Pre-market and after-hours trades get a column of their own while any
    // symbol of the watchlist has one.
    let inner = area.width.saturating_sub(2);
    let extended = state.symbols().iter().any(|s| {
        state
            .entry(s)
            .and_then(|e| e.quote.as_ref())
            .is_some_and(|q| q.extended.is_some())
    });
    // With it, the absolute change goes first, then the name and the sparkline.
    let (with_change, with_name, wide) = if extended {
        (inner >= 72, inner >= 87, inner >= 100)
    } else {
        (true, inner >= 62, inner >= 80)
    };
    let mut header = vec!["Symbol"];
    if with_name {
        header.push("Name");
    }
    header.push("Price");
    if with_change {
        header.push("Chg");
    }
    header.push("Chg%");
    if extended {
        header.push("Extended");
    }
    if wide {
        header.push("Day");
    }
    header.extend(["Flag", "Status"]);

    // Only the rows in view are built, at the offset a fresh TableState scrolls to
    // (the selected row last): the hidden ones cost formatting and a sparkline each.
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let offset = state.selected.saturating_sub(height - 1);
    let rows: Vec<Row> = state
        .symbols()
        .iter()
        .skip(offset)
        .take(height)
        .map(|sym| {
            let columns = Columns {
                wide,
                with_name,
                with_change,
                extended,
            };
            row(sym, state, theme, columns)
        })
        .collect();

    let mut widths = vec![Constraint::Length(8)];
    if with_name {
        widths.push(Constraint::Length(14));
    }
    widths.push(Constraint::Length(10));
    if with_change {
        widths.push(Constraint::Length(9));
    }
    widths.push(Constraint::Length(8));
    if extended {
        widths.push(Constraint::Length(EXT_WIDTH));
    }
    if wide {
        widths.push(Constraint::Length(SPARK_WIDTH));
    }
    widths.extend([Constraint::Length(5), Constraint::Min(6)]);

    let title = match state.config.watchlists.get(state.watchlist) {
        Some(w) => format!(" {} ", w.name),
        None => String::new(),
    };
    let border = if state.focus == Focus::Tickers {
        theme.focused()
    } else {
        theme.unfocused()
    };
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .border_style(border),
        )
        .row_highlight_style(theme.selected())
        .column_spacing(1);
    let mut ts = TableState::default().with_selected(Some(state.selected - offset));
    frame.render_stateful_widget(table, area, &mut ts);
}

fn row<'a>(sym: &'a str, state: &'a State, theme: Theme, columns: Columns) -> Row<'a> {
    let entry = state.entry(sym);
    let quote = entry.and_then(|e| e.quote.as_ref());
    let name = state
        .config
        .symbols
        .get(sym)
        .and_then(|s| s.name.clone())
        .or_else(|| quote.and_then(|q| q.name.clone()))
        .unwrap_or_default();
    let change = quote.and_then(|q| q.change());
    let pct = quote.and_then(|q| q.change_pct());
    let level = entry.map_or(Level::None, |e| e.level);
    let stale = entry.is_some_and(|e| e.is_stale(state.now));
    let price_style = if stale { theme.dim() } else { theme.change(change) };

    let mut cells = vec![Cell::from(sym)];
    if columns.with_name {
        cells.push(Cell::from(name));
    }
    cells.push(right(quote.map(|q| format::price(q.price)), price_style));
    if columns.with_change {
        cells.push(right(change.map(format::signed), theme.change(change)));
    }
    cells.push(right(pct.map(format::pct), theme.change(pct)));
    if columns.extended {
        cells.push(extended_cell(quote, theme));
    }
    if columns.wide {
        let spark = quote
            .map(|q| sparkline(&q.series, SPARK_WIDTH as usize))
            .unwrap_or_default();
        cells.push(Cell::from(Span::styled(spark, theme.change(change))));
    }
    let flag = match level {
        Level::Alert => "ALERT",
        Level::Warn => "warn",
        Level::None => "",
    };
    cells.push(Cell::from(Span::styled(flag, theme.flag(level))));
    cells.push(status_cell(entry, state, theme));
    Row::new(cells)
}

/// A pre-market or after-hours trade: its badge, price and move against the last
/// regular price.
fn extended_cell(quote: Option<&crate::model::Quote>, theme: Theme) -> Cell<'static> {
    let Some((e, (change, pct))) = quote.and_then(|q| q.extended.zip(q.extended_change())) else {
        return Cell::from("");
    };
    Cell::from(Line::from(vec![
        Span::styled(e.session.badge(), theme.header()),
        Span::styled(
            format!(" {} {}", format::price(e.price), format::pct(pct)),
            theme.change(Some(change)),
        ),
    ]))
}

fn right(text: Option<String>, style: ratatui::style::Style) -> Cell<'static> {
    Cell::from(Line::from(Span::styled(text.unwrap_or_else(|| "—".into()), style)).right_aligned())
}

/// "stale 2m: <error>" for a kept quote, the error alone when there is none,
/// "…" while the first answer is awaited.
fn status_cell<'a>(entry: Option<&'a QuoteEntry>, state: &State, theme: Theme) -> Cell<'a> {
    let Some(e) = entry else {
        return Cell::from(Span::styled("…", theme.dim()));
    };
    if e.is_stale(state.now) {
        let age = e.age_secs(state.now).map(format::age).unwrap_or_default();
        let why = e
            .error
            .as_ref()
            .map_or("from cache".to_string(), |(m, _)| m.clone());
        return Cell::from(Span::styled(format!("stale {age}: {why}"), theme.error()));
    }
    match (&e.quote, &e.error) {
        // A failed poll on a closed market: the kept quote is the last trade.
        (Some(_), Some((msg, _))) => Cell::from(Span::styled(msg.clone(), theme.dim())),
        (None, Some((msg, _))) => Cell::from(Span::styled(first_reason(msg).to_string(), theme.error())),
        (Some(q), None) => {
            // Market value moved today (where shares are configured), then the session.
            let mut spans = Vec::new();
            // Nothing moved yet (the pre-market, where the regular price is the close): no "+$0.0K".
            if let Some(v) = q
                .market_value_change(state.config.shares_outstanding(&q.symbol))
                .filter(|v| v.abs() >= 0.5)
            {
                spans.push(Span::styled(
                    format!("{} ", format::money_short(v)),
                    theme.change(Some(v)),
                ));
            }
            let session = q.session(state.now).map_or(q.provider.as_str(), |s| s.as_str());
            spans.push(Span::styled(session.to_string(), theme.dim()));
            Cell::from(Line::from(spans))
        }
        (None, None) => Cell::from(Span::styled("…", theme.dim())),
    }
}

/// The first provider's reason without its name, for a narrow column: the full
/// "yahoo: HTTP 500 …; nasdaq: …" is in the status line and `once`.
fn first_reason(msg: &str) -> &str {
    let first = msg.split("; ").next().unwrap_or(msg);
    match first.split_once(": ") {
        Some((provider, rest)) if crate::config::providers::is_known(provider) => rest,
        _ => first,
    }
}
