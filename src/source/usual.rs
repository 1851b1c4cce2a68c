//! A symbol's usual volume for the volume signal: the average of its last 20
//! complete sessions from Yahoo's daily bars (range 3mo, interval 1d), asked
//! once a day per listed symbol, the symbols taking turns.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use tokio::time::Instant;

use super::http::browser_json_headers;
use super::pace::Pacer;
use super::{FetchError, Http, Output, poll};
use crate::history::answer::Envelope;
use crate::sniff::looks_like_html;

/// Sessions averaged, and the fewest that make an average worth showing.
const SESSIONS: usize = 20;
const FEWEST: usize = 5;

/// How often a symbol's daily bars are asked for.
pub const EVERY: Duration = Duration::from_secs(24 * 3600);

/// The average daily volume of the complete sessions in a daily chart answer:
/// a bar of the session under way (at or after the current regular start) is
/// left out.
pub fn average_volume(body: &[u8]) -> Result<f64, String> {
    let r = Envelope::read(body).map_err(|e| e.to_string())?;
    if let Some(g) = r.meta.data_granularity.as_deref().filter(|g| *g != "1d") {
        return Err(format!("expected daily bars, got {g}"));
    }
    let today = r
        .meta
        .current_trading_period
        .as_ref()
        .and_then(|p| p.regular?.start)
        .unwrap_or(i64::MAX);
    let mut done: Vec<f64> = r
        .bars()
        .into_iter()
        .filter(|b| b.time < today)
        .filter_map(|b| b.volume.filter(|v| *v > 0.0))
        .collect();
    let keep = done.len().saturating_sub(SESSIONS);
    done.drain(..keep);
    if done.len() < FEWEST {
        return Err(format!("{} sessions with volume, too few to average", done.len()));
    }
    Ok(done.iter().sum::<f64>() / done.len() as f64)
}

/// Fetches `symbol`'s daily bars from Yahoo at `base` and averages them.
pub async fn fetch(http: &Http, base: &Url, symbol: &str, deadline: Instant) -> Result<f64, FetchError> {
    let mut url = super::provider::chart_url(base, symbol);
    url.query_pairs_mut()
        .append_pair("range", "3mo")
        .append_pair("interval", "1d");
    let r = http.get(url, browser_json_headers(None), deadline).await?;
    r.check_status(|_| None)?;
    if looks_like_html(&r.body) {
        return Err(FetchError::Html {
            expected: "daily bars (JSON)",
            status: r.status.as_u16(),
        });
    }
    average_volume(&r.body).map_err(FetchError::Malformed)
}

/// One symbol's daily bars: a [`poll::Job`].
pub struct UsualJob {
    http: Http,
    base: Url,
    symbol: String,
    pacer: Arc<Pacer>,
    /// Before the first round: what is left of the day since the cache's
    /// fetch (nothing when there was none).
    first_wait: std::sync::Mutex<Option<Duration>>,
}

impl UsualJob {
    /// `age`: how long ago the bars were last fetched, when they were.
    pub fn new(http: Http, base: Url, symbol: String, pacer: Arc<Pacer>, age: Option<Duration>) -> Self {
        Self {
            http,
            base,
            symbol,
            pacer,
            first_wait: std::sync::Mutex::new(age.map(|a| EVERY.saturating_sub(a))),
        }
    }
}

impl poll::Job for UsualJob {
    async fn round(&mut self) -> poll::Round {
        let deadline = Instant::now() + self.http.timeout();
        let result = fetch(&self.http, &self.base, &self.symbol, deadline).await;
        if let Err(e) = &result {
            tracing::info!(symbol = %self.symbol, error = %e, "daily bars failed");
        }
        let round = poll::Round::after(result.as_ref().err());
        poll::Round {
            output: Some(Output::Usual {
                symbol: self.symbol.clone(),
                result: result.map_err(|e| e.to_string()),
            }),
            ..round
        }
    }

    fn turn(&self) -> impl Future<Output = ()> + Send {
        let pacer = Arc::clone(&self.pacer);
        // Only before the first round: a refresh (`r`) asks now.
        let wait = self
            .first_wait
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        async move {
            if let Some(w) = wait {
                tokio::time::sleep(w).await;
            }
            pacer.turn().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily(volumes: &[Option<u64>], today_start: i64) -> Vec<u8> {
        let stamps: Vec<i64> = (0..volumes.len() as i64).map(|i| 1_000 + i * 86_400).collect();
        serde_json::json!({"chart": {"result": [{
            "meta": {"dataGranularity": "1d", "currentTradingPeriod": {"regular": {"start": today_start}}},
            "timestamp": stamps,
            "indicators": {"quote": [{"volume": volumes}]},
        }], "error": null}})
        .to_string()
        .into_bytes()
    }

    #[test]
    fn the_last_twenty_complete_sessions_are_averaged() {
        // 25 sessions of 100, then today's (300 so far) left out.
        let mut v: Vec<Option<u64>> = vec![Some(1); 5];
        v.extend(vec![Some(100); 20]);
        v.push(Some(300));
        let today = 1_000 + 25 * 86_400;
        assert_eq!(average_volume(&daily(&v, today)), Ok(100.0));
        // A null or zero bar is no session.
        v[10] = None;
        v[11] = Some(0);
        assert_eq!(
            average_volume(&daily(&v, today)),
            Ok(100.0 * 18.0 / 20.0 + 2.0 / 20.0)
        );
    }

    #[test]
    fn too_few_sessions_or_intraday_bars_say_why() {
        let err = average_volume(&daily(&[Some(5); 3], i64::MAX)).unwrap_err();
        assert!(err.contains("too few"), "{err}");
        let intraday = br#"{"chart":{"result":[{"meta":{"dataGranularity":"5m"}}]}}"#;
        assert_eq!(
            average_volume(intraday).unwrap_err(),
            "expected daily bars, got 5m"
        );
        assert!(average_volume(b"<html>").is_err());
    }
}
