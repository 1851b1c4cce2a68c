//! Finnhub's quote API, keyed: `{base}/quote?symbol=SYM&token=KEY` answers
//! `{"c","d","dp","h","l","o","pc","t"}`. An unknown symbol is all zeros with
//! `t` 0, not a price of 0. The free plan prices US listings only.

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Deserialize;

use super::{Provider, endpoint, malformed};
use crate::config::ApiKey;
use crate::market::eastern;
use crate::model::Quote;
use crate::source::error::FetchError;
use crate::source::stream::finnhub::{carries, their_symbol};

pub struct Finnhub {
    base: Url,
    key: Option<ApiKey>,
}

impl Finnhub {
    pub fn new(base: Url, key: Option<ApiKey>) -> Self {
        Self { base, key }
    }
}

#[derive(Deserialize)]
struct Answer {
    c: Option<f64>,
    h: Option<f64>,
    l: Option<f64>,
    o: Option<f64>,
    pc: Option<f64>,
    t: Option<i64>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<String>,
}

/// A figure that can be a price.
fn price(v: Option<f64>) -> Option<f64> {
    v.filter(|p| p.is_finite() && *p > 0.0)
}

impl Provider for Finnhub {
    fn name(&self) -> &'static str {
        "finnhub"
    }

    fn request(&self, symbol: &str) -> Result<(Url, HeaderMap), FetchError> {
        if !carries(symbol) {
            return Err(FetchError::NoData(
                "finnhub prices listed shares, not indices or currency pairs".into(),
            ));
        }
        let Some(key) = &self.key else {
            return Err(FetchError::NoData("finnhub has no API key".into()));
        };
        let mut url = endpoint(&self.base, "/quote");
        url.query_pairs_mut()
            .append_pair("symbol", &their_symbol(symbol))
            .append_pair("token", key.expose());
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        Ok((url, headers))
    }

    fn parse(&self, symbol: &str, body: &[u8], now: DateTime<Utc>) -> Result<Quote, FetchError> {
        let a: Answer = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
        let time =
            a.t.filter(|t| *t > 0)
                .and_then(|t| DateTime::from_timestamp(t, 0));
        let Some(c) = price(a.c) else {
            return Err(if time.is_none() && a.c.is_none_or(|c| c == 0.0) {
                FetchError::NoData(format!("finnhub does not know {symbol}"))
            } else {
                FetchError::Malformed(format!("no price for {symbol}"))
            });
        };
        // A symbol without an exchange suffix is a US listing: Finnhub says no currency.
        let us = !symbol.contains('.');
        Ok(Quote {
            previous_close: price(a.pc),
            open: price(a.o),
            day_high: price(a.h),
            day_low: price(a.l),
            currency: us.then(|| "USD".to_string()),
            market_time: time,
            utc_offset: us.then(|| eastern::offset_at(time.unwrap_or(now))),
            ..Quote::bare(symbol, c, "finnhub", now)
        })
    }

    fn error_detail(&self, body: &[u8]) -> Option<String> {
        let e: ErrorBody = serde_json::from_slice(body).ok()?;
        e.error.map(|m| crate::clean::line(&m, 200))
    }

    fn redact(&self, text: String) -> String {
        ApiKey::redact_any(self.key.as_ref(), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finnhub() -> Finnhub {
        let base = Url::parse("http://127.0.0.1:9/api/v1")
            .unwrap_or_else(|_| crate::config::providers::default_base_url("finnhub"));
        Finnhub::new(base, Some(ApiKey::new("sekret")))
    }

    #[test]
    fn the_crash_as_finnhub_tells_it() {
        let f = finnhub();
        let (url, _) = f.request("NVDA").unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/api/v1/quote?symbol=NVDA&token=sekret"
        );
        let body = br#"{"c":118.42,"d":-24.2,"dp":-16.9682,"h":130.37,"l":116.7,"o":124.8,"pc":142.62,"t":1738011600}"#;
        let q = f.parse("NVDA", body, Utc::now()).unwrap();
        assert!((q.change_pct().unwrap() - -16.9682).abs() < 1e-3);
        assert_eq!(q.market_time.unwrap().to_rfc3339(), "2025-01-27T21:00:00+00:00");
        assert!(
            crate::market::is_us(&q),
            "a US listing: the calendar's sessions apply"
        );
    }

    #[test]
    fn a_trade_on_the_evening_before_the_clocks_go_back_is_in_daylight_time() {
        // Saturday 1 November 2025, 22:00 EDT: already the 2nd, the switch day, in UTC.
        let body = br#"{"c":200,"d":1,"dp":0.5,"h":201,"l":199,"o":199,"pc":199,"t":1762048800}"#;
        let q = finnhub().parse("NVDA", body, Utc::now()).unwrap();
        assert_eq!(q.market_time.unwrap().to_rfc3339(), "2025-11-02T02:00:00+00:00");
        assert_eq!(q.utc_offset.unwrap().local_minus_utc(), -4 * 3600);
    }

    #[test]
    fn zeros_are_an_unknown_symbol_not_a_price() {
        let f = finnhub();
        let zeros = br#"{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}"#;
        let e = f.parse("NOPE", zeros, Utc::now()).unwrap_err();
        assert_eq!(e.to_string(), "finnhub does not know NOPE");
        assert!(matches!(f.request("^NDX"), Err(FetchError::NoData(_))));
        assert_eq!(
            f.request("BRK-B").unwrap().0.query(),
            Some("symbol=BRK.B&token=sekret")
        );
        assert_eq!(
            f.error_detail(br#"{"error":"Invalid API key."}"#).as_deref(),
            Some("Invalid API key.")
        );
        assert_eq!(
            f.redact("for url (x?token=sekret)".into()),
            "for url (x?token=***)"
        );
    }
}
