//! Yahoo chart v8 (SPEC §3): no cookie or crumb, one request per symbol.

use chrono::{DateTime, FixedOffset, Utc};
use reqwest::Url;
use reqwest::header::HeaderMap;

use super::{Provider, endpoint};
use crate::history::answer::{AnswerError, ChartResult, Envelope, Meta, TradingPeriods};
use crate::model::{Extended, ExtendedSession, Periods, Quote};
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

/// The chart day's periods from `tradingPeriods`. `currentTradingPeriod` is not
/// enough: after midnight it already names the next day while the after-hours
/// session of the chart's day is still trading (a real TSLA answer shows it).
fn chart_day_periods(v: &serde_json::Value) -> Option<Periods> {
    let span = |v: Option<&serde_json::Value>| -> Option<(i64, i64)> {
        // [[{start, end}, ...]]: the first and last period of the day.
        let all: Vec<&serde_json::Value> = v?
            .as_array()?
            .iter()
            .filter_map(|d| d.as_array())
            .flatten()
            .collect();
        let start = all.iter().filter_map(|p| p.get("start")?.as_i64()).min()?;
        let end = all.iter().filter_map(|p| p.get("end")?.as_i64()).max()?;
        (start < end).then_some((start, end))
    };
    if v.is_array() {
        return Some(Periods {
            pre: None,
            regular: span(Some(v))?,
            post: None,
        });
    }
    Some(Periods {
        pre: span(v.get("pre")),
        regular: span(v.get("regular"))?,
        post: span(v.get("post")),
    })
}

/// Yahoo's chart address of `symbol` under `base`, without a query.
pub fn chart_url(base: &Url, symbol: &str) -> Url {
    // Url::set_path leaves `^` alone, so encode the symbol as a path segment by hand.
    let encoded: String = symbol
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    endpoint(base, &format!("/v8/finance/chart/{encoded}"))
}

impl Provider for Yahoo {
    fn name(&self) -> &'static str {
        "yahoo"
    }

    fn request(&self, symbol: &str) -> Result<(Url, HeaderMap), FetchError> {
        let mut url = chart_url(&self.base, symbol);
        url.query_pairs_mut()
            .append_pair("range", "1d")
            .append_pair("interval", "5m")
            .append_pair("includePrePost", "true");
        Ok((url, browser_json_headers(None)))
    }

    fn parse(&self, symbol: &str, body: &[u8], now: DateTime<Utc>) -> Result<Quote, FetchError> {
        let result = Envelope::read(body).map_err(|e| match e {
            AnswerError::Malformed(m) => FetchError::Malformed(m),
            AnswerError::NoData(d) => FetchError::NoData(d),
        })?;
        let (opens, series) = opens_and_closes(&result);
        let meta = result.meta;
        let periods = meta
            .trading_periods
            .as_ref()
            .and_then(chart_day_periods)
            .or_else(|| {
                meta.current_trading_period
                    .as_ref()
                    .and_then(TradingPeriods::periods)
            });
        let regular = |t: i64| periods.is_none_or(|p| t >= p.regular.0 && t < p.regular.1);
        let price = meta
            .regular_market_price
            .or_else(|| series.iter().rev().find(|(t, _)| regular(*t)).map(|(_, p)| *p))
            .filter(|p| p.is_finite() && *p > 0.0)
            .ok_or_else(|| FetchError::NoData("no price in response".into()))?;
        let regular_bars = series.iter().filter(|(t, _)| regular(*t)).map(|(_, p)| *p);
        let high = regular_bars.clone().reduce(f64::max);
        let low = regular_bars.reduce(f64::min);
        let market_time = meta
            .regular_market_time
            .and_then(|t| DateTime::from_timestamp(t, 0));
        // The session's open: the first regular bar's (with periods to know it).
        let open = periods.and_then(|p| {
            opens
                .iter()
                .find(|(t, _)| *t >= p.regular.0 && *t < p.regular.1)
                .map(|(_, o)| *o)
        });
        Ok(Quote {
            symbol: symbol.to_string(),
            price,
            // The close before the regular price's session; the chart's previous close
            // is the close before the chart's range, which in the pre-market is the
            // regular price itself.
            previous_close: meta
                .previous_close
                .or_else(|| published_previous_close(&meta, price))
                .or(meta.chart_previous_close)
                .filter(|p| p.is_finite() && *p > 0.0),
            open,
            day_high: meta.regular_market_day_high.or(high),
            day_low: meta.regular_market_day_low.or(low),
            volume: meta
                .regular_market_volume
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| v as u64),
            currency: meta.currency.filter(|c| !c.trim().is_empty()),
            market_time,
            utc_offset: meta.gmtoffset.and_then(FixedOffset::east_opt),
            extended: periods.and_then(|p| extended(&series, p, market_time)),
            series,
            periods,
            week52: meta.fifty_two_week_low.zip(meta.fifty_two_week_high),
            name: meta.long_name.or(meta.short_name),
            provider: "yahoo".into(),
            fetched_at: now,
        })
    }

    fn error_detail(&self, body: &[u8]) -> Option<String> {
        match Envelope::read(body) {
            Err(AnswerError::NoData(d)) => Some(d),
            _ => None,
        }
    }
}

/// The previous close Yahoo's own change figures imply, when it sent them: our
/// change must be the one it publishes.
fn published_previous_close(meta: &Meta, price: f64) -> Option<f64> {
    if let Some(change) = meta.regular_market_change.filter(|c| c.is_finite()) {
        return Some(price - change);
    }
    let pct = meta
        .regular_market_change_percent
        .filter(|p| p.is_finite() && *p > -100.0)?;
    Some(price / (1.0 + pct / 100.0))
}

/// The newest bar, when it lies in the pre-market or after hours and is newer than
/// the regular price.
fn extended(series: &[(i64, f64)], p: Periods, regular_time: Option<DateTime<Utc>>) -> Option<Extended> {
    let &(t, price) = series.last()?;
    let within = |span: Option<(i64, i64)>| span.is_some_and(|(s, e)| t >= s && t < e);
    let session = if within(p.pre) {
        ExtendedSession::Pre
    } else if within(p.post) {
        ExtendedSession::Post
    } else {
        return None;
    };
    let time = DateTime::from_timestamp(t, 0)?;
    if regular_time.is_some_and(|r| time <= r) {
        return None;
    }
    Some(Extended { session, price, time })
}

/// (unix seconds, price) in time order.
type Series = Vec<(i64, f64)>;

/// Each bar's open and close with its time, in order, without nulls.
fn opens_and_closes(r: &ChartResult) -> (Series, Series) {
    let bars = r.bars();
    let priced = |pick: fn(&crate::history::answer::RawBar) -> Option<f64>| {
        let mut out: Vec<(i64, f64)> = bars
            .iter()
            .filter_map(|b| Some((b.time, pick(b).filter(|v| *v > 0.0)?)))
            .collect();
        out.sort_by_key(|(t, _)| *t);
        out
    };
    (priced(|b| b.open), priced(|b| b.close))
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
            "http://127.0.0.1:1/v8/finance/chart/%5ENDX?range=1d&interval=5m&includePrePost=true"
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

    #[test]
    fn the_change_agrees_with_yahoos_own_figure() {
        // No previousClose, a chart previous close from before the chart's range, and
        // Yahoo's published change: ours must be Yahoo's.
        let body = br#"{"chart":{"result":[{"meta":{"regularMarketPrice":118.42,
            "chartPreviousClose":147.22,"regularMarketChangePercent":-16.968},
            "timestamp":[1],"indicators":{"quote":[{"close":[118.42]}]}}],"error":null}}"#;
        let q = yahoo()
            .parse("NVDA", body, Utc::now())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!((q.change_pct().unwrap_or_default() - -16.968).abs() < 1e-9);
        let with_previous = br#"{"chart":{"result":[{"meta":{"regularMarketPrice":118.42,
            "previousClose":142.62,"chartPreviousClose":118.42}}],"error":null}}"#;
        let q = yahoo()
            .parse("NVDA", with_previous, Utc::now())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            q.previous_close,
            Some(142.62),
            "previousClose before chartPreviousClose"
        );
    }
}
