//! The watchlist table: the columns `[general] columns` names (or a choice by
//! width), sorted as `s` chose, with the watchlist's positions totalled below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::sparkline::sparkline;
use super::theme::Theme;
use crate::config::Column;
use crate::format;
use crate::model::{Level, Quote};
use crate::position::{self, Holding};
use crate::state::{Focus, QuoteEntry, State};

const SPARK_WIDTH: u16 = 12;
/// "POST 1,156.49 -0.03%".
const EXT_WIDTH: u16 = 20;

fn width(c: Column) -> u16 {
    match c {
        Column::Symbol => 8,
        Column::Name => 13,
        Column::Price | Column::DayPnl | Column::TotalPnl => 10,
        Column::Change => 9,
        Column::ChangePct | Column::Shares | Column::TotalPnlPct => 8,
        Column::Extended => EXT_WIDTH,
        Column::Day => SPARK_WIDTH,
        Column::Value => 11,
        Column::Flag => 5,
        // "GAP REL VOL".
        Column::Signals => 11,
        // The rest of the row: at least this much.
        Column::Status => 6,
    }
}

fn header(c: Column) -> &'static str {
    match c {
        Column::Symbol => "Symbol",
        Column::Name => "Name",
        Column::Price => "Price",
        Column::Change => "Chg",
        Column::ChangePct => "Chg%",
        Column::Extended => "Extended",
        Column::Day => "Day",
        Column::Shares => "Shares",
        Column::Value => "Value",
        Column::DayPnl => "Day P&L",
        Column::TotalPnl => "P&L",
        Column::TotalPnlPct => "P&L%",
        Column::Flag => "Flag",
        Column::Signals => "Signals",
        Column::Status => "Status",
    }
}

/// Which columns a narrow panel gives up first: the sparkline, the signals, then
/// the name, before anything numeric. Symbol, price, change %, flag and status stay.
fn drop_rank(c: Column) -> Option<u8> {
    Some(match c {
        Column::Day => 0,
        // Before the name: chips that come and go must not push names in and out
        // of a row; the detail view has the signals too.
        Column::Signals => 1,
        Column::Name => 2,
        Column::Shares => 3,
        Column::Value => 4,
        Column::TotalPnlPct => 5,
        Column::Change => 6,
        Column::TotalPnl => 7,
        Column::Extended => 8,
        Column::DayPnl => 9,
        _ => return None,
    })
}

/// The columns asked for, or by default: the extended-hours trade while any
/// symbol of the watchlist has one, the position columns while any has lots.
fn wanted(state: &State) -> Vec<Column> {
    if let Some(c) = &state.config.general.columns {
        return c.clone();
    }
    let symbols = state.symbols();
    let extended = symbols.iter().any(|s| {
        state
            .entry(s)
            .and_then(|e| e.quote.as_ref())
            .is_some_and(|q| q.extended.is_some())
    });
    let positions = symbols.iter().any(|s| !state.config.lots(s).is_empty());
    let signals = symbols.iter().any(|s| !state.signals(s).is_empty());
    let mut out = vec![
        Column::Symbol,
        Column::Name,
        Column::Price,
        Column::Change,
        Column::ChangePct,
    ];
    if extended {
        out.push(Column::Extended);
    }
    out.push(Column::Day);
    if positions {
        out.extend([Column::Value, Column::DayPnl, Column::TotalPnl]);
    }
    out.push(Column::Flag);
    if signals {
        out.push(Column::Signals);
    }
    out.push(Column::Status);
    out
}

/// The room a column needs for the row to keep it: the status may shrink to
/// two cells for a name, but the sparkline is only worth it while the status
/// stays readable.
fn room(c: Column) -> u16 {
    match c {
        Column::Status => 2,
        Column::Day => SPARK_WIDTH + 5,
        c => width(c),
    }
}

/// Drops columns by rank until the row fits `inner` cells.
fn fit(mut cols: Vec<Column>, inner: u16) -> Vec<Column> {
    let total = |cols: &[Column]| -> u16 {
        cols.iter().map(|c| room(*c)).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    while total(&cols) > inner {
        let Some(i) = (0..cols.len())
            .filter(|i| drop_rank(cols[*i]).is_some())
            .min_by_key(|i| drop_rank(cols[*i]))
        else {
            break;
        };
        cols.remove(i);
    }
    cols
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let inner = area.width.saturating_sub(2);
    let cols = fit(wanted(state), inner);
    let header_row = Row::new(cols.iter().map(|c| header(*c))).style(theme.header());
    // The status takes what the fixed columns leave, down to what `fit` counted
    // on: a wider minimum would make the layout squeeze a price instead.
    let fixed: u16 = cols
        .iter()
        .filter(|c| **c != Column::Status)
        .map(|c| width(*c))
        .sum::<u16>()
        + cols.len().saturating_sub(1) as u16;
    let status = inner.saturating_sub(fixed).max(room(Column::Status));
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|c| match c {
            Column::Status => Constraint::Length(status),
            _ => Constraint::Length(width(*c)),
        })
        .collect();

    // Only the rows in view are built, at the offset a fresh TableState scrolls to
    // (the selected row last): the hidden ones cost formatting and a sparkline each.
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let offset = state.selected.saturating_sub(height - 1);
    let rows: Vec<Row> = state
        .symbols()
        .iter()
        .skip(offset)
        .take(height)
        .map(|sym| row(sym, state, theme, &cols))
        .collect();

    let mut title = match state.config.watchlists.get(state.watchlist) {
        Some(w) => format!(" {} ", w.name),
        None => String::new(),
    };
    let sort = state.sort().label();
    if !sort.is_empty() {
        title.push_str(&format!("· {sort} "));
    }
    let border = if state.focus == Focus::Tickers {
        theme.focused()
    } else {
        theme.unfocused()
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(border);
    if let Some(line) = portfolio_line(state, theme) {
        block = block.title_bottom(line);
    }
    if let Some(why) = no_network(state) {
        let text = Paragraph::new(Line::from(Span::styled(why, theme.error())))
            .wrap(Wrap { trim: true })
            .block(block);
        frame.render_widget(text, area);
        return;
    }
    let table = Table::new(rows, widths)
        .header(header_row)
        .block(block)
        .row_highlight_style(theme.selected())
        .column_spacing(1);
    let mut ts = TableState::default().with_selected(Some(state.selected - offset));
    frame.render_stateful_widget(table, area, &mut ts);
}

/// One clear line instead of a cut error in every row, while no symbol has
/// ever been priced and every one failed for want of a network; the rows come
/// back by themselves with the first quote.
pub fn no_network(state: &State) -> Option<String> {
    let symbols = state.symbols();
    let mut cause = None;
    for s in symbols {
        let e = state.entry(s)?;
        if e.quote.is_some() {
            return None;
        }
        let word = short_cause(&e.error.as_ref()?.0);
        cause = Some(match word.as_str() {
            "offline" => "network unreachable",
            "DNS" => "DNS lookup failed",
            "refused" => "connection refused",
            _ => return None,
        });
    }
    let host = state
        .config
        .providers
        .first()
        .and_then(|p| p.base_url.host_str().map(String::from))
        .unwrap_or_else(|| "the price servers".into());
    Some(format!(
        "No network: tickwire cannot reach {host} ({}). Offline? Try `tickwire --demo`.",
        cause?
    ))
}

/// The current watchlist's positions in all, per currency: " positions 17,763.00
/// USD · day -3,630.00 · P&L +2,421.00 | 2,600.00 GBP (from GBp) · day … ".
fn portfolio_line(state: &State, theme: Theme) -> Option<Line<'static>> {
    let holdings: Vec<Holding> = state
        .symbols()
        .iter()
        .filter_map(|s| state.entry(s)?.quote.as_ref())
        .filter_map(|q| state.config.holding(q))
        .collect();
    if holdings.is_empty() {
        return None;
    }
    let mut spans = vec![Span::styled(" positions ", theme.dim())];
    // The one total first, where a narrow screen keeps it.
    let converted = state
        .config
        .portfolio
        .currency
        .as_deref()
        .map(|target| crate::fx::convert("", target, &holdings, &state.rates, state.now.to_utc()));
    if let Some(c) = &converted {
        spans.extend(converted_spans(c, state, theme));
    }
    for (i, t) in position::totals("", &holdings).iter().enumerate() {
        if i > 0 || converted.is_some() {
            spans.push(Span::styled(" | ", theme.dim()));
        }
        let currency = t.currency.clone().unwrap_or_default();
        spans.push(Span::styled(
            format!("{} {currency}", format::money(t.value)),
            theme.header(),
        ));
        let minor: Vec<&str> = holdings
            .iter()
            .filter(|h| h.currency == t.currency)
            .filter_map(|h| h.converted_from.as_deref())
            .collect();
        if let Some(m) = minor.first() {
            spans.push(Span::styled(format!(" (from {m})"), theme.dim()));
        }
        spans.push(Span::styled(" · day ", theme.dim()));
        spans.push(Span::styled(
            format::signed_money(t.day_pnl),
            theme.change(Some(t.day_pnl)),
        ));
        spans.push(Span::styled(" · P&L ", theme.dim()));
        spans.push(Span::styled(
            format::signed_money(t.total_pnl),
            theme.change(Some(t.total_pnl)),
        ));
    }
    spans.push(Span::raw(" "));
    Some(Line::from(spans))
}

/// "in EUR 21,345.00 · day -1,234.00 · P&L +2,000.00 (USD rate 2h old)", or
/// "in EUR: no GBP→EUR rate yet".
fn converted_spans(c: &crate::fx::Converted, state: &State, theme: Theme) -> Vec<Span<'static>> {
    let caveat = c.caveat(&state.rates, state.now.to_utc());
    let (Some(value), Some(day), Some(total)) = (c.value, c.day_pnl, c.total_pnl) else {
        return vec![Span::styled(format!("in {}: {caveat}", c.currency), theme.warn())];
    };
    let mut spans = vec![
        Span::styled(
            format!("in {} {}", c.currency, format::money(value)),
            theme.header(),
        ),
        Span::styled(" · day ", theme.dim()),
        Span::styled(format::signed_money(day), theme.change(Some(day))),
        Span::styled(" · P&L ", theme.dim()),
        Span::styled(format::signed_money(total), theme.change(Some(total))),
    ];
    if !caveat.is_empty() {
        spans.push(Span::styled(format!(" ({caveat})"), theme.warn()));
    }
    spans
}

fn row<'a>(sym: &'a str, state: &'a State, theme: Theme, cols: &[Column]) -> Row<'a> {
    let entry = state.entry(sym);
    let quote = entry.and_then(|e| e.quote.as_ref());
    let change = quote.and_then(|q| q.change());
    let pct = quote.and_then(|q| q.change_pct());
    let stale = entry.is_some_and(|e| e.is_stale(state.now));
    let holding = quote.and_then(|q| state.config.holding(q));
    let has_lots = !state.config.lots(sym).is_empty();
    // A position's cell: blank without lots, a dash while there is no price.
    let money = |f: &dyn Fn(&Holding) -> Option<f64>, show: fn(f64) -> String, coloured: bool| {
        if !has_lots {
            return Cell::from("");
        }
        let v = holding.as_ref().and_then(f);
        let style = if coloured {
            theme.change(v)
        } else {
            ratatui::style::Style::default()
        };
        right(v.map(show), style)
    };
    let cells: Vec<Cell> = cols
        .iter()
        .map(|c| match c {
            Column::Symbol => Cell::from(sym),
            Column::Name => Cell::from(
                state
                    .config
                    .symbols
                    .get(sym)
                    .and_then(|s| s.name.clone())
                    .or_else(|| quote.and_then(|q| q.name.clone()))
                    .unwrap_or_default(),
            ),
            Column::Price => {
                let style = if stale { theme.dim() } else { theme.change(change) };
                right(quote.map(|q| state.config.basis(sym).show(q.price)), style)
            }
            Column::Change => right(change.map(format::signed), theme.change(change)),
            Column::ChangePct => right(pct.map(format::pct), theme.change(pct)),
            Column::Extended => extended_cell(quote, theme),
            Column::Day => {
                let spark = quote
                    .map(|q| sparkline(&q.series, SPARK_WIDTH as usize))
                    .unwrap_or_default();
                Cell::from(Span::styled(spark, theme.change(change)))
            }
            Column::Shares => money(&|h| Some(h.shares), format::quantity, false),
            Column::Value => money(&|h| Some(h.value), format::money, false),
            Column::DayPnl => money(&|h| h.day_pnl, format::signed_money, true),
            Column::TotalPnl => money(&|h| Some(h.total_pnl), format::signed_money, true),
            Column::TotalPnlPct => money(&|h| h.total_pnl_pct, format::pct, true),
            Column::Flag => {
                let level = entry.map_or(Level::None, |e| e.level);
                // Halted outranks any move: its price is frozen, not settled.
                if state.halts.active(sym, state.now).is_some() {
                    Cell::from(Span::styled("HALT", theme.flag(Level::Alert)))
                } else {
                    Cell::from(Span::styled(level.label(), theme.flag(level)))
                }
            }
            Column::Signals => {
                let chips: Vec<&str> = state.signals(sym).iter().map(|s| s.chip()).collect();
                Cell::from(Span::styled(chips.join(" "), theme.warn()))
            }
            Column::Status => status_cell(entry, state, theme),
        })
        .collect();
    Row::new(cells)
}

/// A pre-market or after-hours trade: its badge, price and move against the last
/// regular price.
fn extended_cell(quote: Option<&Quote>, theme: Theme) -> Cell<'static> {
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
            .map_or("from cache".to_string(), |(m, _)| short_cause(m));
        return Cell::from(Span::styled(format!("stale {age}: {why}"), theme.error()));
    }
    match (&e.quote, &e.error) {
        // A failed poll on a closed market: the kept quote is the last trade.
        (Some(_), Some((msg, _))) => Cell::from(Span::styled(short_cause(msg), theme.dim())),
        (None, Some((msg, _))) => Cell::from(Span::styled(short_cause(msg), theme.error())),
        (Some(q), None) => {
            // The session first (is this price live?), then the market value moved today
            // where shares are configured: a narrow column cuts the money, not the session.
            // A market that never closes has no session: its move is over 24 hours.
            let session = match q.session(state.now) {
                Some(s) => s.as_str(),
                None if q.rolling() => "24h",
                None => q.provider.as_str(),
            };
            let mut spans = vec![Span::styled(session.to_string(), theme.dim())];
            // Priced by a provider further down the symbol's order (the first one
            // failed): its name after the session, as a session-less quote shows it.
            let first = state.config.first_provider(&q.symbol).map(|p| p.name.as_str());
            if first.is_some_and(|f| f != q.provider) && session != q.provider {
                spans.push(Span::styled(format!(" {}", q.provider), theme.warn()));
            }
            // Nothing moved yet (the pre-market, where the regular price is the close): no "+$0.0K".
            if let Some(v) = q
                .market_value_change(state.config.shares_outstanding(&q.symbol))
                .filter(|v| v.abs() >= 0.5)
            {
                spans.push(Span::styled(
                    format!(" {}", format::money_short(v, q.money_currency())),
                    theme.change(Some(v)),
                ));
            }
            Cell::from(Line::from(spans))
        }
        (None, None) => Cell::from(Span::styled("…", theme.dim())),
    }
}

/// The cause of a failure in a word or two, for a column: "offline", "DNS",
/// "refused", "timeout", "HTTP 429". The detail view and the log have the
/// whole message; a cause it does not know is the first provider's reason.
pub fn short_cause(msg: &str) -> String {
    let first = first_reason(msg);
    let lower = first.to_ascii_lowercase();
    let known = [
        ("network is unreachable", "offline"),
        ("no route to host", "offline"),
        ("dns error", "DNS"),
        ("failed to lookup address", "DNS"),
        ("name or service not known", "DNS"),
        ("connection refused", "refused"),
        ("timed out", "timeout"),
        ("the host wants a pause", "paused (429)"),
    ];
    if let Some((_, word)) = known.iter().find(|(k, _)| lower.contains(k)) {
        return (*word).to_string();
    }
    match lower.strip_prefix("http ").and_then(|r| r.get(..3)) {
        Some(code) if code.bytes().all(|b| b.is_ascii_digit()) => format!("HTTP {code}"),
        _ => first.to_string(),
    }
}

/// The first provider's reason without its name: the full "yahoo: HTTP 500 …;
/// nasdaq: …" is in the status line and `once`.
fn first_reason(msg: &str) -> &str {
    let first = msg.split("; ").next().unwrap_or(msg);
    match first.split_once(": ") {
        Some((provider, rest)) if crate::config::providers::is_known(provider) => rest,
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_reads_as_its_cause_in_a_word() {
        let cases = [
            (
                "yahoo: connection failed: Network is unreachable (os error 101)",
                "offline",
            ),
            (
                "yahoo: connection failed: dns error: failed to lookup address information: Name or service not known; nasdaq: …",
                "DNS",
            ),
            (
                "yahoo: connection failed: Connection refused (os error 111)",
                "refused",
            ),
            (
                "yahoo: connection failed: Connection refused (os error 111) (host unreachable: not asked again for 29.9s)",
                "refused",
            ),
            (
                "yahoo: timed out after 10s; nasdaq: timed out after 10s",
                "timeout",
            ),
            ("yahoo: HTTP 429 Too Many Requests (retry after 30s)", "HTTP 429"),
            (
                "yahoo: not asked: the host wants a pause (12s left)",
                "paused (429)",
            ),
            (
                "yahoo: HTTP 404 Not Found: No data found, symbol may be delisted",
                "HTTP 404",
            ),
            ("yahoo: malformed response: EOF", "malformed response: EOF"),
        ];
        for (msg, want) in cases {
            assert_eq!(short_cause(msg), want, "{msg}");
        }
    }

    #[test]
    fn narrow_panels_give_up_the_sparkline_then_the_name() {
        let all = vec![
            Column::Symbol,
            Column::Name,
            Column::Price,
            Column::Change,
            Column::ChangePct,
            Column::Day,
            Column::Flag,
            Column::Status,
        ];
        assert_eq!(fit(all.clone(), 79), all);
        // At 80 columns the status keeps its words ("stale 2m: HTTP 429"), not the sparkline.
        assert!(!fit(all.clone(), 78).contains(&Column::Day));
        assert!(fit(all.clone(), 61).contains(&Column::Name));
        assert!(!fit(all.clone(), 60).contains(&Column::Name));
        let narrow = fit(all.clone(), 40);
        assert_eq!(
            narrow,
            [
                Column::Symbol,
                Column::Price,
                Column::ChangePct,
                Column::Flag,
                Column::Status
            ]
        );
        // Never below what identifies and flags a row.
        assert_eq!(fit(all, 5), narrow);
    }
}
