//! Coinbase Exchange's public REST API, for its own products (BTC-USD):
//! `/products/{id}/ticker` for the last trade and its time, `/products/{id}/stats`
//! for the 24 hours' open, high, low and volume. The market never closes: the
//! day's move is measured against the price 24 hours earlier (the stats' open).

use chrono::{DateTime, FixedOffset, Utc};
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Deserialize;

use super::{Provider, endpoint, malformed};
use crate::config::is_product_id;
use crate::model::Quote;
use crate::source::error::FetchError;
use crate::source::stream::coinbase::{amount, quantity};

pub struct Coinbase {
    base: Url,
}

impl Coinbase {
    pub fn new(base: Url) -> Self {
        Self { base }
    }

    fn get(&self, symbol: &str, what: &str) -> (Url, HeaderMap) {
        let url = endpoint(&self.base, &format!("/products/{symbol}/{what}"));
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        (url, headers)
    }
}

#[derive(Deserialize)]
struct Ticker {
    price: Option<String>,
    time: Option<String>,
}

#[derive(Deserialize)]
struct Stats {
    open: Option<String>,
    high: Option<String>,
    low: Option<String>,
    last: Option<String>,
    volume: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    message: Option<String>,
}

impl Provider for Coinbase {
    fn name(&self) -> &'static str {
        "coinbase"
    }

    fn request(&self, symbol: &str) -> Result<(Url, HeaderMap), FetchError> {
        if !is_product_id(symbol) {
            return Err(FetchError::NoData(format!(
                "{symbol} is not a Coinbase product (BASE-QUOTE)"
            )));
        }
        Ok(self.get(symbol, "ticker"))
    }

    fn requests(&self, symbol: &str) -> Result<Vec<(Url, HeaderMap)>, FetchError> {
        Ok(vec![self.request(symbol)?, self.get(symbol, "stats")])
    }

    fn parse(&self, symbol: &str, body: &[u8], now: DateTime<Utc>) -> Result<Quote, FetchError> {
        self.parse_all(symbol, &[body], now)
    }

    fn parse_all(&self, symbol: &str, bodies: &[&[u8]], now: DateTime<Utc>) -> Result<Quote, FetchError> {
        let ticker: Ticker =
            serde_json::from_slice(bodies.first().copied().unwrap_or_default()).map_err(|e| malformed(&e))?;
        let stats: Option<Stats> = match bodies.get(1) {
            Some(b) => Some(serde_json::from_slice(b).map_err(|e| malformed(&e))?),
            None => None,
        };
        let stat = |f: fn(&Stats) -> &Option<String>| stats.as_ref().and_then(|s| amount(f(s).as_deref()));
        let price = amount(ticker.price.as_deref())
            .or_else(|| stat(|s| &s.last))
            .ok_or_else(|| FetchError::Malformed(format!("no price for {symbol}")))?;
        let time = ticker
            .time
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        let currency = symbol.split_once('-').map(|(_, q)| q.to_string());
        Ok(Quote {
            previous_close: stat(|s| &s.open),
            open: stat(|s| &s.open),
            day_high: stat(|s| &s.high),
            day_low: stat(|s| &s.low),
            volume: stats.as_ref().and_then(|s| quantity(s.volume.as_deref())),
            currency,
            market_time: time,
            utc_offset: FixedOffset::east_opt(0),
            ..Quote::bare(symbol, price, "coinbase", now)
        })
    }

    fn error_detail(&self, body: &[u8]) -> Option<String> {
        let e: ErrorBody = serde_json::from_slice(body).ok()?;
        e.message.map(|m| crate::clean::line(&m, 200))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticker_and_stats_make_one_quote_against_24_hours_ago() {
        let base = Url::parse("http://127.0.0.1:9/cb")
            .unwrap_or_else(|_| crate::config::providers::default_base_url("coinbase"));
        let c = Coinbase::new(base);
        let asked = c.requests("BTC-USD").unwrap();
        assert_eq!(
            asked[0].0.as_str(),
            "http://127.0.0.1:9/cb/products/BTC-USD/ticker"
        );
        assert_eq!(
            asked[1].0.as_str(),
            "http://127.0.0.1:9/cb/products/BTC-USD/stats"
        );
        let ticker = br#"{"ask":"98012.5","bid":"98012.3","volume":"18234.5","trade_id":1,"price":"98012.34","size":"0.01","time":"2025-01-27T14:31:02.123456Z"}"#;
        let stats = br#"{"open":"102140.00","high":"102500","low":"97777.10","last":"98012.34","volume":"18234.5","volume_30day":"1"}"#;
        let q = c
            .parse_all("BTC-USD", &[&ticker[..], &stats[..]], Utc::now())
            .unwrap();
        assert!((q.change_pct().unwrap() - (98012.34 / 102140.0 - 1.0) * 100.0).abs() < 1e-9);
        assert_eq!(q.currency.as_deref(), Some("USD"));
        assert_eq!(q.day_low, Some(97777.1));
        assert!(
            !crate::market::is_us(&q),
            "no US sessions for a market that never closes"
        );
        assert!(matches!(c.request("NVDA"), Err(FetchError::NoData(_))));
        assert_eq!(
            c.error_detail(br#"{"message":"NotFound"}"#).as_deref(),
            Some("NotFound")
        );
    }
}
