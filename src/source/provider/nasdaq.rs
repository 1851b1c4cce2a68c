//! Nasdaq's quote API (SPEC §3): US stocks and indices, prices as strings.

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::Value;

use super::{Provider, endpoint, malformed};
use crate::model::Quote;
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
    primary_data: Option<Primary>,
    #[serde(default)]
    key_stats: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Primary {
    last_sale_price: Option<String>,
    net_change: Option<String>,
    volume: Option<String>,
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

/// "$1,234.50" / "-24.20" / "N/A" -> number.
fn number(s: &str) -> Option<f64> {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, '$' | ',' | '%' | '+' | ' '))
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

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
        let price = primary
            .last_sale_price
            .as_deref()
            .and_then(number)
            .filter(|p| *p > 0.0)
            .ok_or_else(|| FetchError::NoData("no price in response".into()))?;
        let stats = data.key_stats.as_ref();
        let previous_close = key_stat(stats, "PreviousClose")
            .as_deref()
            .and_then(number)
            .or_else(|| primary.net_change.as_deref().and_then(number).map(|c| price - c))
            .filter(|p| *p > 0.0);
        let (low, high) = key_stat(stats, "dayrange").as_deref().and_then(range).unzip();
        Ok(Quote {
            symbol: symbol.to_string(),
            price,
            previous_close,
            day_high: high,
            day_low: low,
            volume: primary.volume.as_deref().and_then(number).map(|v| v as u64),
            currency: Some("USD".into()),
            market_time: None,
            utc_offset: None,
            series: Vec::new(),
            periods: None,
            week52: key_stat(stats, "fiftyTwoWeekHighLow").as_deref().and_then(range),
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

    #[test]
    fn string_numbers() {
        assert_eq!(number("$118.42"), Some(118.42));
        assert_eq!(number("-24.20"), Some(-24.2));
        assert_eq!(number("818,830,938"), Some(818_830_938.0));
        assert_eq!(number("N/A"), None);
        assert_eq!(number(""), None);
    }
}
