//! Nasdaq's quote API (SPEC §3): US stocks and indices, prices as strings.

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::Value;

use super::{Provider, endpoint, malformed};
use crate::market::eastern;
use crate::model::{Extended, ExtendedSession, Quote};
use crate::source::error::FetchError;
use crate::source::http::browser_json_headers;

pub struct Nasdaq {
    base: Url,
}

impl Nasdaq {
    pub fn new(base: Url) -> Self {
        Self { base }
    }
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<Data>,
    #[serde(default)]
    status: Option<Status>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    company_name: Option<String>,
    /// "Pre Market", "Market Open", "After Hours", "Market Closed".
    market_status: Option<String>,
    primary_data: Option<Trade>,
    /// Outside regular hours: the regular session's close (`primaryData` is then
    /// the extended-hours trade).
    secondary_data: Option<Trade>,
    #[serde(default)]
    key_stats: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Trade {
    last_sale_price: Option<String>,
    /// Without a sign: `delta_indicator` gives it.
    net_change: Option<String>,
    delta_indicator: Option<String>,
    volume: Option<String>,
    last_trade_timestamp: Option<String>,
}

impl Trade {
    fn price(&self) -> Option<f64> {
        self.last_sale_price
            .as_deref()
            .and_then(number)
            .filter(|p| *p > 0.0)
    }

    /// The change with its sign: "0.318" with "down" is -0.318.
    fn change(&self) -> Option<f64> {
        let c = self.net_change.as_deref().and_then(number)?;
        match self
            .delta_indicator
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("down") => Some(-c.abs()),
            Some("up") => Some(c.abs()),
            _ => Some(c),
        }
    }

    fn time(&self) -> Option<DateTime<Utc>> {
        self.last_trade_timestamp.as_deref().and_then(eastern::parse)
    }
}

/// The extended session `primaryData` belongs to, from the market status (or,
/// failing that, the trade's own stamp: "... ET - PRE-MARKET").
fn extended_session(status: Option<&str>, primary: &Trade) -> Option<ExtendedSession> {
    let said = |s: &str| {
        let s = s.to_ascii_lowercase().replace(['-', ' '], "");
        if s.contains("premarket") {
            Some(ExtendedSession::Pre)
        } else if s.contains("afterhours") {
            Some(ExtendedSession::Post)
        } else {
            None
        }
    };
    status
        .and_then(said)
        .or_else(|| primary.last_trade_timestamp.as_deref().and_then(said))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    #[serde(default)]
    b_code_message: Option<Vec<CodeMessage>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CodeMessage {
    error_message: Option<String>,
}

/// Nasdaq's symbol and asset class for a Yahoo-style symbol, if it lists it.
fn nasdaq_symbol(symbol: &str) -> Option<(String, &'static str)> {
    if let Some(index) = symbol.strip_prefix('^') {
        // Yahoo's ^IXIC is Nasdaq's COMP; other indices keep their name.
        let name = if index == "IXIC" { "COMP" } else { index };
        return Some((name.to_string(), "index"));
    }
    if symbol.contains(['.', '=']) || symbol.contains('-') {
        return None; // foreign listings, currencies and crypto are not on Nasdaq's API
    }
    Some((symbol.to_string(), "stocks"))
}

use crate::format::figure as number;

/// keyStats entries are spelt "PreviousClose" for stocks and "previousclose" for
/// indices; match the key without regard to case.
/// "116.70 - 128.40" -> (116.7, 128.4).
fn range(s: &str) -> Option<(f64, f64)> {
    let (lo, hi) = s.split_once(" - ")?;
    Some((number(lo)?, number(hi)?))
}

fn key_stat(stats: Option<&Value>, key: &str) -> Option<String> {
    let (_, entry) = stats?
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))?;
    entry.get("value")?.as_str().map(str::to_string)
}

impl Provider for Nasdaq {
    fn name(&self) -> &'static str {
        "nasdaq"
    }

    fn request(&self, symbol: &str) -> Result<(Url, HeaderMap), FetchError> {
        let (sym, class) = nasdaq_symbol(symbol)
            .ok_or_else(|| FetchError::NoData(format!("nasdaq does not list {symbol}")))?;
        let mut url = endpoint(&self.base, &format!("/api/quote/{sym}/info"));
        url.query_pairs_mut().append_pair("assetclass", class);
        Ok((url, browser_json_headers(Some("https://www.nasdaq.com/"))))
    }

    fn parse(&self, symbol: &str, body: &[u8], now: DateTime<Utc>) -> Result<Quote, FetchError> {
        let env: Envelope = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
        let Some(data) = env.data else {
            let why = self
                .error_detail(body)
                .or(env.message)
                .unwrap_or_else(|| "unknown symbol".into());
            return Err(FetchError::NoData(why));
        };
        let primary = data
            .primary_data
            .ok_or_else(|| FetchError::NoData("no primaryData in response".into()))?;
        let session = extended_session(data.market_status.as_deref(), &primary);
        // Outside regular hours the regular part is the secondary trade, and the
        // primary one is the extended trade measured against it.
        let (regular, extended) = match (session, data.secondary_data) {
            (Some(s), Some(sec)) if sec.price().is_some() => (sec, Some((s, primary))),
            (_, _) => (primary, None),
        };
        let price = regular
            .price()
            .ok_or_else(|| FetchError::NoData("no price in response".into()))?;
        let stats = data.key_stats.as_ref();
        let from_change = regular.change().map(|c| price - c);
        // keyStats' previous close is today's: in the pre-market that is the regular
        // price itself, not the close before its session.
        let previous_close = if extended.is_some() {
            from_change
        } else {
            key_stat(stats, "PreviousClose")
                .as_deref()
                .and_then(number)
                .or(from_change)
        }
        .filter(|p| *p > 0.0);
        let (low, high) = key_stat(stats, "dayrange").as_deref().and_then(range).unzip();
        let market_time = regular.time();
        let extended = extended.and_then(|(session, trade)| {
            Some(Extended {
                session,
                price: trade.price()?,
                time: trade.time().unwrap_or(now),
            })
        });
        let volume = regular
            .volume
            .as_deref()
            .and_then(number)
            .or_else(|| key_stat(stats, "Volume").as_deref().and_then(number));
        Ok(Quote {
            symbol: symbol.to_string(),
            price,
            previous_close,
            open: None,
            day_high: high,
            day_low: low,
            volume: volume.filter(|v| *v >= 0.0).map(|v| v as u64),
            currency: Some("USD".into()),
            market_time,
            utc_offset: Some(eastern::offset_at(market_time.unwrap_or(now))),
            series: Vec::new(),
            periods: None,
            week52: key_stat(stats, "fiftyTwoWeekHighLow").as_deref().and_then(range),
            extended,
            name: data.company_name,
            provider: "nasdaq".into(),
            fetched_at: now,
        })
    }

    fn error_detail(&self, body: &[u8]) -> Option<String> {
        let env: Envelope = serde_json::from_slice(body).ok()?;
        env.status?
            .b_code_message?
            .into_iter()
            .find_map(|m| m.error_message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_map_to_nasdaq_names() {
        assert_eq!(nasdaq_symbol("NVDA"), Some(("NVDA".into(), "stocks")));
        assert_eq!(nasdaq_symbol("^NDX"), Some(("NDX".into(), "index")));
        assert_eq!(nasdaq_symbol("^IXIC"), Some(("COMP".into(), "index")));
        assert_eq!(nasdaq_symbol("SAP.DE"), None);
        assert_eq!(nasdaq_symbol("BTC-USD"), None);
    }

    #[test]
    fn key_stats_match_without_case() {
        let v: Value =
            serde_json::json!({"previousclose": {"label": "Previous Close", "value": "21,447.42"}});
        assert_eq!(key_stat(Some(&v), "PreviousClose").as_deref(), Some("21,447.42"));
        assert_eq!(key_stat(Some(&v), "dayrange"), None);
    }
}
