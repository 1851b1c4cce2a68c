//! The index's breadth in `once`: one request beside the quotes.

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use super::SourceRow;
use crate::config::Config;
use crate::market::breadth::{self, Breadth, Constituent};
use crate::source::Http;

/// The list, when `[market] index` names one.
pub async fn fetch(
    config: &Config,
    http: &Http,
    deadline: Instant,
) -> Option<Result<Vec<Constituent>, String>> {
    let url = config.market.url()?;
    Some(
        crate::source::index::fetch(http, &url, deadline)
            .await
            .map_err(|e| e.to_string()),
    )
}

/// The source row of the list, and the breadth when it came.
pub fn read(
    config: &Config,
    result: Result<Vec<Constituent>, String>,
    now: DateTime<Utc>,
) -> (SourceRow, Option<Breadth>) {
    let row = SourceRow {
        kind: "market",
        name: config.market.index.map_or("index", |i| i.label()).to_string(),
        url: config.market.url().map(|u| u.to_string()),
        ok: result.is_ok(),
        error: result.as_ref().err().cloned(),
        items: result.as_ref().map_or(0, Vec::len),
        skipped: None,
        repaired: None,
    };
    let breadth = match (config.market.index, result) {
        (Some(index), Ok(rows)) => Some(breadth::compute(
            index.name(),
            &rows,
            config.alerts.thresholds,
            now,
        )),
        _ => None,
    };
    (row, breadth)
}

/// "NDX ▼78 ▲21 ·1 unch · 12 ≤ -7% · median -2.41% · est. -2.87%".
pub fn line(b: &Breadth, label: &str) -> String {
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_string(), crate::format::pct);
    format!(
        "{label} ▼{} ▲{} · {} unchanged · {} at the alert line · median {} · est. index {}",
        b.decliners,
        b.advancers,
        b.unchanged,
        b.down_alert,
        pct(b.median_pct),
        pct(b.est_index_pct)
    )
}
