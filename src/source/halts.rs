//! The halt feed's poll task: one GET of Nasdaq Trader's RSS per interval while
//! the US market is in a session (pre-market to after hours), and at start and
//! on refresh whatever the hour: the halts of the last trading day still matter
//! to someone who starts tickwire in the evening.

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::time::Instant;

use super::gate::{SessionJob, SessionSource};
use super::{FetchError, Http, Output};
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

/// The halt feed as a [`SessionSource`].
pub struct HaltFeed;

impl SessionSource for HaltFeed {
    type Answer = crate::halts::Read;
    const WHAT: &'static str = "the halt feed";

    fn fetch(
        http: &Http,
        url: &Url,
        deadline: Instant,
    ) -> impl Future<Output = Result<Self::Answer, FetchError>> + Send {
        fetch(http, url, deadline)
    }

    fn output(result: Result<Self::Answer, String>, at: DateTime<Utc>) -> Output {
        Output::Halts(Box::new(HaltsOutcome { result, at }))
    }
}

/// Polling the halt feed.
pub type HaltJob = SessionJob<HaltFeed>;
