//! The whole index: Nasdaq's constituent list read as public clients read it,
//! and the breadth of a day from it (advancers, decliners, the median move,
//! cap weights and each constituent's contribution). Weights from market caps
//! are approximate: the Nasdaq-100 is modified-cap weighted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::model::Thresholds;

/// One constituent as the list gives it; what it leaves out or writes as
/// "NA" / "--" is `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Constituent {
    pub symbol: String,
    pub name: Option<String>,
    pub market_cap: Option<f64>,
    pub price: Option<f64>,
    pub change: Option<f64>,
    /// "UNCH" is 0.
    pub change_pct: Option<f64>,
}

/// A figure as the list writes it: "$118.42", "3,468,523,930,000", "-16.97%".
fn figure(v: Option<&Value>) -> Option<f64> {
    let s = v?.as_str()?.trim();
    if s.eq_ignore_ascii_case("UNCH") {
        return Some(0.0);
    }
    crate::format::figure(s)
}

fn text(v: Option<&Value>) -> Option<String> {
    let t = crate::clean::line(v?.as_str()?, 80);
    (!t.is_empty() && t != "NA" && t != "--").then_some(t)
}

/// The rows of a list answer (`data.data.rows[]`); an answer without them is
/// an error that says what came instead.
pub fn parse_list(body: &[u8]) -> Result<Vec<Constituent>, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON ({e})"))?;
    let rows = v
        .pointer("/data/data/rows")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            match v
                .pointer("/status/bCodeMessage/0/errorMessage")
                .and_then(Value::as_str)
            {
                Some(m) => format!("Nasdaq says: {}", crate::clean::line(m, 120)),
                None => "no data.data.rows in the answer".to_string(),
            }
        })?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(symbol) = r
            .get("symbol")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| {
                !s.is_empty()
                    && s.len() <= 16
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || ".-/".contains(c))
            })
        else {
            continue;
        };
        // The sign of a move is the delta indicator's when it gives one.
        let sign = match r.get("deltaIndicator").and_then(Value::as_str).map(str::trim) {
            Some(d) if d.eq_ignore_ascii_case("down") => Some(-1.0),
            Some(d) if d.eq_ignore_ascii_case("up") => Some(1.0),
            _ => None,
        };
        let signed = |v: Option<f64>| match (v, sign) {
            (Some(v), Some(s)) => Some(v.abs() * s),
            (v, _) => v,
        };
        out.push(Constituent {
            name: text(r.get("companyName")),
            market_cap: figure(r.get("marketCap")).filter(|c| *c > 0.0),
            price: figure(r.get("lastSalePrice")).filter(|p| *p > 0.0),
            change: signed(figure(r.get("netChange"))),
            change_pct: signed(figure(r.get("percentageChange"))),
            symbol,
        });
    }
    if out.is_empty() {
        return Err("the list has no rows".into());
    }
    Ok(out)
}

/// One constituent's share of the index's move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub symbol: String,
    /// Its market cap over the list's (0 to 1): approximate.
    pub weight: f64,
    pub change_pct: f64,
    /// weight x move: percentage points of the index.
    pub contribution_pct: f64,
}

/// A day's breadth (`once --json`'s `market`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breadth {
    pub index: String,
    pub as_of: String,
    pub advancers: usize,
    pub decliners: usize,
    pub unchanged: usize,
    /// Down at least the warn line, and the alert line.
    pub down_warn: usize,
    pub down_alert: usize,
    pub median_pct: Option<f64>,
    /// The sum of the contributions: the index's move as the caps imply it.
    pub est_index_pct: Option<f64>,
    pub constituents: usize,
    /// Every constituent with a cap and a move, the biggest drag first.
    pub contributors: Vec<Contribution>,
}

pub fn compute(index: &str, rows: &[Constituent], lines: Thresholds, as_of: DateTime<Utc>) -> Breadth {
    let moves: Vec<f64> = rows.iter().filter_map(|r| r.change_pct).collect();
    let count = |f: &dyn Fn(f64) -> bool| moves.iter().filter(|m| f(**m)).count();
    let mut sorted = moves.clone();
    sorted.sort_by(f64::total_cmp);
    let median_pct = match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    };
    let weighed: Vec<(&Constituent, f64, f64)> = rows
        .iter()
        .filter_map(|r| Some((r, r.market_cap?, r.change_pct?)))
        .collect();
    let total: f64 = weighed.iter().map(|(_, c, _)| c).sum();
    let mut contributors: Vec<Contribution> = weighed
        .iter()
        .filter(|_| total > 0.0)
        .map(|(r, cap, pct)| {
            let weight = cap / total;
            Contribution {
                symbol: r.symbol.clone(),
                weight: crate::format::round(weight, 5),
                change_pct: crate::format::round(*pct, 3),
                contribution_pct: crate::format::round(weight * pct, 4),
            }
        })
        .collect();
    contributors.sort_by(|a, b| {
        a.contribution_pct
            .total_cmp(&b.contribution_pct)
            .then(a.symbol.cmp(&b.symbol))
    });
    let est = (!contributors.is_empty()).then(|| weighed.iter().map(|(_, c, p)| c / total * p).sum::<f64>());
    Breadth {
        index: index.to_string(),
        as_of: as_of.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        advancers: count(&|m| m > 0.0),
        decliners: count(&|m| m < 0.0),
        unchanged: count(&|m| m == 0.0),
        down_warn: count(&|m| m <= -lines.warn_drop_pct),
        down_alert: count(&|m| m <= -lines.alert_drop_pct),
        median_pct: median_pct.map(|m| crate::format::round(m, 3)),
        est_index_pct: est.map(|e| crate::format::round(e, 3)),
        constituents: rows.len(),
        contributors,
    }
}

#[cfg(test)]
mod tests;
