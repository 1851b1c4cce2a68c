//! The index's constituent list (Nasdaq's list endpoint): one request a
//! minute while the US market is in a session, at start and on refresh
//! whatever the hour. A bot wall (403, an HTML page) is an error that keeps
//! the last good list.

use chrono::Utc;
use reqwest::Url;
use tokio::time::Instant;

use super::gate::SessionGate;
use super::http::browser_json_headers;
use super::{FetchError, Http, Output, poll};
use crate::market::breadth::{self, Constituent};
use crate::model::MarketOutcome;
use crate::sniff::looks_like_html;

/// Fetches and reads the list at `url`.
pub async fn fetch(http: &Http, url: &Url, deadline: Instant) -> Result<Vec<Constituent>, FetchError> {
    let headers = browser_json_headers(Some("https://www.nasdaq.com/"));
    let r = http.get(url.clone(), headers, deadline).await?;
    r.check_status(|_| None)?;
    if looks_like_html(&r.body) {
        return Err(FetchError::Html {
            expected: "Nasdaq's constituent list (JSON)",
            status: r.status.as_u16(),
        });
    }
    breadth::parse_list(&r.body).map_err(FetchError::Malformed)
}

/// Polling the list: a [`poll::Job`].
pub struct IndexJob {
    pub http: Http,
    pub url: Url,
    gate: SessionGate,
}

impl IndexJob {
    /// `always`: every round runs, whatever the wall clock says (the replay).
    pub fn new(http: Http, url: Url, always: bool) -> Self {
        Self {
            http,
            url,
            gate: SessionGate::new(always),
        }
    }
}

impl poll::Job for IndexJob {
    async fn round(&mut self) -> poll::Round {
        if !self.gate.open() {
            return poll::Round {
                output: None,
                ok: true,
                retry_after: None,
            };
        }
        let deadline = Instant::now() + self.http.timeout();
        let result = fetch(&self.http, &self.url, deadline).await;
        if let Err(e) = &result {
            tracing::info!(error = %e, "the index's list failed");
        }
        let retry_after = result.as_ref().err().and_then(FetchError::retry_after);
        poll::Round {
            ok: result.is_ok(),
            retry_after,
            output: Some(Output::Market(Box::new(MarketOutcome {
                result: result.map_err(|e| e.to_string()),
                at: Utc::now(),
            }))),
        }
    }

    fn turn(&self) -> impl Future<Output = ()> + Send {
        self.gate.ask();
        async {}
    }
}
