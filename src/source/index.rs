//! The index's constituent list (Nasdaq's list endpoint): one request a
//! minute while the US market is in a session, at start and on refresh
//! whatever the hour. A bot wall (403, an HTML page) is an error that keeps
//! the last good list.

use chrono::{DateTime, Utc};
use reqwest::Url;
use tokio::time::Instant;

use super::gate::{SessionJob, SessionSource};
use super::http::browser_json_headers;
use super::{FetchError, Http, Output};
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

/// The index's list as a [`SessionSource`].
pub struct IndexList;

impl SessionSource for IndexList {
    type Answer = Vec<Constituent>;
    const WHAT: &'static str = "the index's list";

    fn fetch(
        http: &Http,
        url: &Url,
        deadline: Instant,
    ) -> impl Future<Output = Result<Self::Answer, FetchError>> + Send {
        fetch(http, url, deadline)
    }

    fn output(result: Result<Self::Answer, String>, at: DateTime<Utc>) -> Output {
        Output::Market(Box::new(MarketOutcome { result, at }))
    }
}

/// Polling the list.
pub type IndexJob = SessionJob<IndexList>;
