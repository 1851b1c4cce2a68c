//! Yahoo chart v8 (SPEC §3): no cookie or crumb, one request per symbol.

use chrono::{DateTime, FixedOffset, Utc};
use reqwest::Url;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use super::{Provider, endpoint, malformed};
use crate::model::{Periods, Quote};
use crate::source::error::FetchError;
use crate::source::http::browser_json_headers;

pub struct Yahoo {
    base: Url,
}

impl Yahoo {
    pub fn new(base: Url) -> Self {
        Self { base }
    }
}

#[derive(Deserialize)]
struct Envelope {
    chart: Chart,
}

#[derive(Deserialize)]
struct Chart {
    result: Option<Vec<ChartResult>>,
    error: Option<ChartError>,
}

#[derive(Deserialize)]
struct ChartError {
    code: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct ChartResult {
    #[serde(default)]
    meta: Meta,
    #[serde(default)]
    timestamp: Option<Vec<Option<i64>>>,
    #[serde(default)]
    indicators: Option<Indicators>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Meta {
    currency: Option<String>,
    regular_market_price: Option<f64>,
    chart_previous_close: Option<f64>,
    previous_close: Option<f64>,
    regular_market_day_high: Option<f64>,
    regular_market_day_low: Option<f64>,
    regular_market_volume: Option<f64>,
    regular_market_time: Option<i64>,
    gmtoffset: Option<i32>,
    fifty_two_week_high: Option<f64>,
    fifty_two_week_low: Option<f64>,
    current_trading_period: Option<TradingPeriods>,
    long_name: Option<String>,
    short_name: Option<String>,
}

#[derive(Deserialize)]
struct TradingPeriods {
    pre: Option<Period>,
    regular: Option<Period>,
    post: Option<Period>,
}

#[derive(Deserialize, Clone, Copy)]
struct Period {
    start: i64,
    end: i64,
}

impl TradingPeriods {
    fn periods(&self) -> Option<Periods> {
        let span = |p: Option<Period>| p.map(|p| (p.start, p.end)).filter(|(s, e)| s < e);
        Some(Periods {
            pre: span(self.pre),
            regular: span(self.regular)?,
            post: span(self.post),
        })
    }
}

#[derive(Deserialize)]
struct Indicators {
    #[serde(default)]
    quote: Vec<Bars>,
}

#[derive(Deserialize, Default)]
struct Bars {
    #[serde(default)]
    close: Vec<Option<f64>>,
}

impl Provider for Yahoo {
    fn name(&self) -> &'static str {
        "yahoo"
    }

    fn request(&self, symbol: &str) -> Result<(Url, HeaderMap), FetchError> {
        // Url::set_path leaves `^` alone, so encode the symbol as a path segment by hand.
        let encoded: String = symbol
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let mut url = endpoint(&self.base, &format!("/v8/finance/chart/{encoded}"));
        url.query_pairs_mut()
            .append_pair("range", "1d")
            .append_pair("interval", "5m")
            .append_pair("includePrePost", "false");
        Ok((url, browser_json_headers(None)))
    }

    fn parse(&self, symbol: &str, body: &[u8], now: DateTime<Utc>) -> Result<Quote, FetchError> {
        let env: Envelope = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
        if let Some(d) = env.chart.error.as_ref().and_then(describe) {
            return Err(FetchError::NoData(d));
        }
        let result = env
            .chart
            .result
            .and_then(|r| r.into_iter().next())
            .ok_or_else(|| FetchError::NoData("empty chart result".into()))?;
        let series = series(&result);
        let meta = result.meta;
        let price = meta
            .regular_market_price
            .or_else(|| series.last().map(|(_, p)| *p))
            .filter(|p| p.is_finite() && *p > 0.0)
            .ok_or_else(|| FetchError::NoData("no price in response".into()))?;
        let high = series.iter().map(|(_, p)| *p).reduce(f64::max);
        let low = series.iter().map(|(_, p)| *p).reduce(f64::min);
        Ok(Quote {
            symbol: symbol.to_string(),
            price,
            previous_close: meta
                .chart_previous_close
                .or(meta.previous_close)
                .filter(|p| p.is_finite() && *p > 0.0),
            day_high: meta.regular_market_day_high.or(high),
            day_low: meta.regular_market_day_low.or(low),
            volume: meta
                .regular_market_volume
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| v as u64),
            currency: meta.currency.filter(|c| !c.trim().is_empty()),
            market_time: meta
                .regular_market_time
                .and_then(|t| DateTime::from_timestamp(t, 0)),
            utc_offset: meta.gmtoffset.and_then(FixedOffset::east_opt),
            series,
            periods: meta
                .current_trading_period
                .as_ref()
                .and_then(TradingPeriods::periods),
            week52: meta.fifty_two_week_low.zip(meta.fifty_two_week_high),
            name: meta.long_name.or(meta.short_name),
            provider: "yahoo".into(),
            fetched_at: now,
        })
    }

    fn error_detail(&self, body: &[u8]) -> Option<String> {
        let env: Envelope = serde_json::from_slice(body).ok()?;
        env.chart.error.as_ref().and_then(describe)
    }
}

fn describe(e: &ChartError) -> Option<String> {
    e.description.clone().or_else(|| e.code.clone())
}

/// Pairs timestamps with closes, skipping nulls and non-finite values.
fn series(r: &ChartResult) -> Vec<(i64, f64)> {
    let Some(ts) = &r.timestamp else {
        return Vec::new();
    };
    let closes = r
        .indicators
        .as_ref()
        .and_then(|i| i.quote.first())
        .map(|b| b.close.as_slice())
        .unwrap_or(&[]);
    let mut out: Vec<(i64, f64)> = ts
        .iter()
        .zip(closes)
        .filter_map(|(t, c)| Some(((*t)?, c.filter(|c| c.is_finite() && *c > 0.0)?)))
        .collect();
    out.sort_by_key(|(t, _)| *t);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yahoo() -> Yahoo {
        Yahoo::new(
            Url::parse("http://127.0.0.1:1/")
                .unwrap_or_else(|_| crate::config::providers::default_base_url("yahoo")),
        )
    }

    #[test]
    fn caret_is_percent_encoded() {
        let (url, headers) = yahoo().request("^NDX").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/v8/finance/chart/%5ENDX?range=1d&interval=5m&includePrePost=false"
        );
        assert!(
            headers
                .get("accept")
                .is_some_and(|v| v.to_str().is_ok_and(|s| s.contains("application/json")))
        );
    }

    #[test]
    fn error_body_gives_its_description() {
        let body = br#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#;
        assert_eq!(
            yahoo().error_detail(body).as_deref(),
            Some("No data found, symbol may be delisted")
        );
    }

    #[test]
    fn minimal_meta_uses_last_close() {
        let body = br#"{"chart":{"result":[{"meta":{"currency":null},"timestamp":[1,2,3],
            "indicators":{"quote":[{"close":[10.0,null,12.5]}]}}],"error":null}}"#;
        let q = yahoo()
            .parse("X", body, Utc::now())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.price, 12.5);
        assert_eq!(q.series, vec![(1, 10.0), (3, 12.5)]);
        assert_eq!(q.previous_close, None);
        assert_eq!(q.currency, None);
        assert_eq!((q.day_low, q.day_high), (Some(10.0), Some(12.5)));
    }
}
