//! The halt feed in `once`: one request beside the quotes and feeds, and the
//! halts that concern the watchlist (or the whole market) as rows.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use tokio::time::Instant;

use super::SourceRow;
use crate::config::Config;
use crate::halts::Read;
use crate::market::calendar;
use crate::source::Http;

/// A halt as `once --json` shows it (SPEC §10).
#[derive(Debug, Serialize)]
pub struct HaltRow {
    /// The watched symbol as configured; a circuit breaker's as the feed gives it.
    pub symbol: String,
    pub name: Option<String>,
    pub market: Option<String>,
    pub reason_code: String,
    pub reason: String,
    pub halted_at: String,
    pub resumed_at: Option<String>,
    pub active: bool,
    #[serde(skip)]
    pub detail: String,
}

/// The feed's answer, when halts are on and a symbol of `symbols` may be halted.
pub async fn fetch(
    config: &Config,
    symbols: &[String],
    http: &Http,
    deadline: Instant,
) -> Option<Result<Read, String>> {
    if !config.halts.enabled || !symbols.iter().any(|s| crate::halts::may_halt(s)) {
        return None;
    }
    let result = crate::source::halts::fetch(http, &config.halts.url(), deadline).await;
    Some(result.map_err(|e| e.to_string()))
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The rows of `read` for `symbols`, newest first.
pub fn rows(read: &Read, symbols: &[String], now: DateTime<Utc>) -> Vec<HaltRow> {
    crate::halts::board::relevant(&read.halts, symbols)
        .map(|(watched, h)| HaltRow {
            symbol: watched.unwrap_or(&h.symbol).to_string(),
            name: h.name.clone(),
            market: h.market.clone(),
            reason_code: h.reason_code.clone(),
            reason: h.reason(),
            halted_at: stamp(h.halted_at),
            resumed_at: h.resumed_at.map(stamp),
            active: h.active(now),
            detail: text_line(h, now),
        })
        .collect()
}

/// "HALTED 11:02 ET · volatility pause (LUDP) · threshold 3.21 · resumed 11:07 ET".
fn text_line(h: &crate::halts::Halt, now: DateTime<Utc>) -> String {
    let et = |t: DateTime<Utc>| calendar::local(t).format("%H:%M ET").to_string();
    let day = calendar::local(h.halted_at).format("%a %b %-d");
    let mut s = format!("halted {day} {} · {}", et(h.halted_at), h.describe());
    match h.resumed_at {
        Some(r) if r <= now => s.push_str(&format!(" · resumed {}", et(r))),
        Some(r) => s.push_str(&format!(" · resumes {}", et(r))),
        None => {}
    }
    s
}

/// The source row of the halt feed.
pub fn source_row(config: &Config, result: &Result<Read, String>) -> SourceRow {
    SourceRow {
        kind: "halts",
        name: "Nasdaq Trader halts".into(),
        url: Some(config.halts.url().to_string()),
        ok: result.is_ok(),
        error: result.as_ref().err().cloned(),
        items: result.as_ref().map_or(0, |r| r.halts.len()),
        skipped: result.as_ref().ok().map(|r| r.skipped),
        repaired: None,
    }
}

/// The halts under the quotes, in the table form.
pub fn write_text(rows: &[HaltRow], out: &mut impl Write) -> std::io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nHALTS")?;
    let w = rows.iter().map(|r| r.symbol.chars().count()).max().unwrap_or(0);
    for r in rows {
        let on = if r.active { "HALT " } else { "     " };
        writeln!(out, "{on}{:<w$}  {}", r.symbol, r.detail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigOrigin, parse};
    use crate::halts::Halt;

    #[test]
    fn an_active_halt_alone_fails_a_fail_on_alert_run() {
        let config = parse(
            "[[watchlist]]\nname = \"W\"\nsymbols = [\"ABIL\"]\n",
            ConfigOrigin::Embedded,
        )
        .unwrap();
        let now = Utc::now();
        let mut snap = super::super::build(
            &config,
            "W",
            vec![],
            vec![],
            &Default::default(),
            Default::default(),
            now,
        );
        assert!(!snap.any_alert());
        let halt = |resumed_at| Halt {
            symbol: "ABIL".into(),
            name: None,
            market: None,
            reason_code: "LUDP".into(),
            halted_at: now - chrono::Duration::minutes(2),
            resumed_at,
            threshold: Some(3.21),
        };
        let read = Read {
            halts: vec![halt(Some(now - chrono::Duration::minutes(1)))],
            skipped: 0,
        };
        snap.halts = rows(&read, &["ABIL".to_string()], now);
        assert!(!snap.any_alert(), "resumed");
        let read = Read {
            halts: vec![halt(None)],
            skipped: 0,
        };
        snap.halts = rows(&read, &["ABIL".to_string()], now);
        assert!(snap.any_alert());
        assert!(
            snap.halts[0]
                .detail
                .contains("volatility pause (LUDP) · threshold 3.21")
        );
    }
}
