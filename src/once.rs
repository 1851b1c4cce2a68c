//! `tickwire once`: one round of every source, printed as JSON (SPEC §5) or as an
//! aligned table, then exit. Same fetch code as the TUI.

use std::io::Write;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use tokio::time::Instant;

use crate::config::Config;
use crate::format;
use crate::model::Level;
use crate::source::{Http, QuoteFetcher, QuoteOutcome};

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub generated_at: String,
    pub watchlist: String,
    pub quotes: Vec<QuoteRow>,
    pub sources: Vec<SourceRow>,
}

#[derive(Debug, Serialize)]
pub struct QuoteRow {
    pub symbol: String,
    pub name: String,
    pub price: Option<f64>,
    pub previous_close: Option<f64>,
    pub change: Option<f64>,
    pub change_pct: Option<f64>,
    pub day_high: Option<f64>,
    pub day_low: Option<f64>,
    pub volume: Option<u64>,
    pub currency: Option<String>,
    pub market_time: Option<String>,
    pub flag: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_value_change: Option<f64>,
    pub provider: Option<String>,
    pub stale: bool,
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub kind: &'static str,
    pub name: String,
    pub ok: bool,
    pub error: Option<String>,
    pub items: usize,
}

/// Polls the watchlist's symbols once, concurrently, all within one request timeout.
pub async fn snapshot(config: &Config, watchlist: usize) -> Result<Snapshot, crate::source::FetchError> {
    let http = Http::new(&config.general)?;
    let fetcher = Arc::new(QuoteFetcher::new(http, config));
    let list = &config.watchlists[watchlist.min(config.watchlists.len() - 1)];
    let deadline = Instant::now() + config.general.timeout;
    let outcomes = futures_util::future::join_all(list.symbols.iter().map(|s| {
        let fetcher = Arc::clone(&fetcher);
        async move { fetcher.fetch(s, deadline).await }
    }))
    .await;
    Ok(build(config, &list.name, outcomes, Utc::now()))
}

pub fn build(config: &Config, watchlist: &str, outcomes: Vec<QuoteOutcome>, now: DateTime<Utc>) -> Snapshot {
    let mut quotes = Vec::new();
    let mut sources = Vec::new();
    for o in outcomes {
        for a in &o.attempts {
            sources.push(SourceRow {
                kind: "quote",
                name: format!("{} {}", a.provider, o.symbol),
                ok: a.error.is_none(),
                error: a.error.clone(),
                items: usize::from(a.error.is_none()),
            });
        }
        quotes.push(row(config, o));
    }
    Snapshot {
        generated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        watchlist: watchlist.to_string(),
        quotes,
        sources,
    }
}

fn row(config: &Config, o: QuoteOutcome) -> QuoteRow {
    let configured = config.symbols.get(&o.symbol).and_then(|s| s.name.clone());
    match o.result {
        Ok(q) => {
            let change = q.change();
            let pct = q.change_pct();
            let flag = pct.map_or(Level::None, |p| config.thresholds(&q.symbol).level(p));
            QuoteRow {
                name: configured.or(q.name.clone()).unwrap_or_else(|| q.symbol.clone()),
                price: Some(format::round(q.price, 4)),
                previous_close: q.previous_close.map(|p| format::round(p, 4)),
                change: change.map(|c| format::round(c, 4)),
                change_pct: pct.map(|p| format::round(p, 3)),
                day_high: q.day_high,
                day_low: q.day_low,
                volume: q.volume,
                currency: q.currency.clone(),
                market_time: q
                    .market_time
                    .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
                flag,
                market_value_change: change
                    .zip(config.shares_outstanding(&q.symbol))
                    .map(|(c, s)| (c * s).round()),
                provider: Some(q.provider),
                stale: false,
                error: None,
                symbol: q.symbol,
            }
        }
        Err(e) => QuoteRow {
            name: configured.unwrap_or_else(|| o.symbol.clone()),
            symbol: o.symbol,
            price: None,
            previous_close: None,
            change: None,
            change_pct: None,
            day_high: None,
            day_low: None,
            volume: None,
            currency: None,
            market_time: None,
            flag: Level::None,
            market_value_change: None,
            provider: None,
            stale: false,
            error: Some(e),
        },
    }
}

impl Snapshot {
    pub fn any_alert(&self) -> bool {
        self.quotes.iter().any(|q| q.flag == Level::Alert)
    }

    /// An aligned table; ANSI colour only when `color` (stdout is a terminal and
    /// NO_COLOR is unset).
    pub fn write_text(&self, out: &mut impl Write, color: bool) -> std::io::Result<()> {
        writeln!(out, "{} · {}", self.watchlist, self.generated_at)?;
        let head = ["SYMBOL", "NAME", "PRICE", "CHANGE", "CHG%", "FLAG", "SOURCE"];
        let rows: Vec<[String; 7]> = self
            .quotes
            .iter()
            .map(|q| {
                [
                    q.symbol.clone(),
                    q.name.chars().take(24).collect(),
                    q.price.map(format::price).unwrap_or_else(|| "—".into()),
                    q.change.map(format::signed).unwrap_or_default(),
                    q.change_pct.map(format::pct).unwrap_or_default(),
                    match q.flag {
                        Level::Alert => "ALERT".into(),
                        Level::Warn => "warn".into(),
                        Level::None => String::new(),
                    },
                    match (&q.provider, &q.error) {
                        (_, Some(e)) => format!("error: {e}"),
                        (Some(p), None) => p.clone(),
                        (None, None) => String::new(),
                    },
                ]
            })
            .collect();
        let mut widths = head.map(str::len);
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let numeric = [false, false, true, true, true, false, false];
        let line = |cells: &[String]| -> String {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(c.chars().count());
                if i + 1 == cells.len() {
                    s.push_str(c);
                } else if numeric[i] {
                    s.push_str(&format!("{}{c}  ", " ".repeat(pad)));
                } else {
                    s.push_str(&format!("{c}{}  ", " ".repeat(pad)));
                }
            }
            s.trim_end().to_string()
        };
        writeln!(out, "{}", line(&head.map(String::from)))?;
        for (r, q) in rows.iter().zip(&self.quotes) {
            let text = line(r);
            let code = match (q.flag, q.change_pct) {
                (Level::Alert, _) => "\x1b[1;37;41m",
                (Level::Warn, _) => "\x1b[1;33m",
                (_, Some(p)) if p < 0.0 => "\x1b[31m",
                (_, Some(p)) if p > 0.0 => "\x1b[32m",
                _ => "",
            };
            if color && !code.is_empty() {
                writeln!(out, "{code}{text}\x1b[0m")?;
            } else {
                writeln!(out, "{text}")?;
            }
        }
        Ok(())
    }
}
