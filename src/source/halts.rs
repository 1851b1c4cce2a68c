//! The halt feed's poll task: one GET of Nasdaq Trader's RSS per interval while
//! the US market is in a session (pre-market to after hours), and at start and
//! on refresh whatever the hour: the halts of the last trading day still matter
//! to someone who starts tickwire in the evening.

use chrono::Utc;
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::time::Instant;

use super::gate::SessionGate;
use super::{FetchError, Http, Output, poll};
use crate::model::HaltsOutcome;
use crate::news::feed::Meta;

/// Fetches and reads the halt feed at `url`.
pub async fn fetch(http: &Http, url: &Url, deadline: Instant) -> Result<crate::halts::Read, FetchError> {
    let mut headers = HeaderMap::new();
    headers.insert(
        ACCEPT,
        HeaderValue::from_static("application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"),
    );
    let r = http.get(url.clone(), headers, deadline).await?;
    r.check_status(|_| None)?;
    let content_type = r.header(CONTENT_TYPE).map(String::from);
    let (body, url) = (r.body, url.clone());
    let read = tokio::task::spawn_blocking(move || {
        let meta = Meta {
            content_type: content_type.as_deref(),
            content_location: None,
        };
        crate::halts::read(&body, meta, &url)
    })
    .await
    .map_err(|e| FetchError::Malformed(format!("the halt feed's reader stopped: {e}")))?;
    read.map_err(|why| FetchError::Malformed(format!("not the halt feed ({why})")))
}

/// Polling the halt feed: a [`poll::Job`].
pub struct HaltJob {
    pub http: Http,
    pub url: Url,
    gate: SessionGate,
}

impl HaltJob {
    /// `always`: every round runs, whatever the wall clock says (the replay).
    pub fn new(http: Http, url: Url, always: bool) -> Self {
        Self {
            http,
            url,
            gate: SessionGate::new(always),
        }
    }
}

impl poll::Job for HaltJob {
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
            tracing::info!(error = %e, "the halt feed failed");
        }
        let retry_after = result.as_ref().err().and_then(FetchError::retry_after);
        poll::Round {
            ok: result.is_ok(),
            retry_after,
            output: Some(Output::Halts(Box::new(HaltsOutcome {
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
