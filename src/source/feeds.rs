//! Feeds: one conditional GET per poll, parsed off the raw bytes on a blocking
//! thread, so a 5 MB feed never holds up keys or drawing.

use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_LOCATION, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED,
};
use tokio::time::Instant;

use super::error::FetchError;
use super::http::Http;
use super::poll;
use crate::config::{Config, Feed};
use crate::model::{FeedId, FeedOutcome, FeedUpdate, ReadNotes, Validators};
use crate::news::feed::Meta;
use crate::news::ingest::{self, FeedRef, IngestError, Ingested};
use crate::news::link::Linker;

pub struct FeedFetcher {
    http: Http,
    feeds: Vec<(FeedId, Arc<Feed>)>,
    linker: Arc<Linker>,
}

const ACCEPT_FEEDS: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

impl FeedFetcher {
    pub fn new(http: Http, config: &Config) -> Self {
        Self {
            http,
            feeds: config
                .feeds
                .iter()
                .map(|f| (FeedId::of(&f.url), Arc::new(f.clone())))
                .collect(),
            linker: Arc::new(Linker::new(config)),
        }
    }

    pub fn id(&self, feed: usize) -> &FeedId {
        &self.feeds[feed].0
    }

    /// Polls feed number `feed` of the config this fetcher was built from.
    pub async fn fetch(&self, feed: usize, validators: &Validators, deadline: Instant) -> FeedOutcome {
        let result = self.fetch_inner(feed, validators, deadline).await;
        if let Err(e) = &result {
            tracing::info!(feed = %self.feeds[feed].1.name, error = %e, "feed failed");
        }
        FeedOutcome {
            feed: self.id(feed).clone(),
            retry_after: result.as_ref().err().and_then(FetchError::retry_after),
            result: result.map_err(|e| e.to_string()),
        }
    }

    async fn fetch_inner(
        &self,
        index: usize,
        validators: &Validators,
        deadline: Instant,
    ) -> Result<FeedUpdate, FetchError> {
        let feed = &self.feeds[index].1;
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static(ACCEPT_FEEDS));
        let conditional = [
            (IF_NONE_MATCH, &validators.etag),
            (IF_MODIFIED_SINCE, &validators.last_modified),
        ];
        for (name, value) in conditional {
            if let Some(v) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                headers.insert(name, v);
            }
        }
        let started = Instant::now();
        let r = self.http.get(feed.url.clone(), headers, deadline).await?;
        tracing::debug!(feed = %feed.name, status = %r.status, bytes = r.body.len(),
            ms = started.elapsed().as_millis() as u64, "feed response");
        if r.status == StatusCode::NOT_MODIFIED {
            return Ok(FeedUpdate::NotModified);
        }
        r.check_status(|_| None)?;
        let validators = Validators {
            etag: r.header(ETAG).map(String::from),
            last_modified: r.header(LAST_MODIFIED).map(String::from),
        };
        let status = r.status.as_u16();
        let served = Served {
            content_type: r.header(CONTENT_TYPE).map(String::from),
            content_location: r.header(CONTENT_LOCATION).map(String::from),
        };
        let ingested = parse_off_thread(r.body, served, Arc::clone(feed), index, Arc::clone(&self.linker))
            .await
            .map_err(|e| match e {
                IngestError::Html => FetchError::Html {
                    expected: "a feed",
                    status,
                },
                IngestError::Invalid(m) => FetchError::Malformed(format!("not a feed ({m})")),
            })?;
        let read = ReadNotes {
            skipped: ingested.skipped,
            repaired: ingested.repaired,
        };
        if read != ReadNotes::default() {
            tracing::info!(feed = %feed.name, skipped = read.skipped, repaired = read.repaired,
                "feed read with repairs or items left out");
        }
        Ok(FeedUpdate::Fresh {
            headlines: ingested.headlines,
            validators,
            read,
        })
    }
}

/// Parsing and cleaning a large feed takes tens of milliseconds per megabyte: on
/// the runtime's one thread that is as long without keys or frames.
/// The headers that say how to read a document.
struct Served {
    content_type: Option<String>,
    content_location: Option<String>,
}

async fn parse_off_thread(
    body: Vec<u8>,
    served: Served,
    feed: Arc<Feed>,
    index: usize,
    linker: Arc<Linker>,
) -> Result<Ingested, IngestError> {
    let work = move || {
        tracing::debug!(feed = %feed.name, bytes = body.len(), "parsing a feed");
        let feed_ref = FeedRef {
            name: &feed.name,
            url: &feed.url,
            index,
        };
        let meta = Meta {
            content_type: served.content_type.as_deref(),
            content_location: served.content_location.as_deref(),
        };
        ingest::read(&body, meta, &feed_ref, &linker)
    };
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        Err(IngestError::Invalid(
            "the feed parser failed on this input".into(),
        ))
    })
}

/// Polling one feed: keeps its validators between rounds.
pub struct FeedJob {
    pub fetcher: Arc<FeedFetcher>,
    pub feed: usize,
    pub validators: Validators,
}

impl poll::Job for FeedJob {
    async fn round(&mut self) -> poll::Round {
        let deadline = Instant::now() + self.fetcher.http.timeout();
        let outcome = self.fetcher.fetch(self.feed, &self.validators, deadline).await;
        if let Ok(FeedUpdate::Fresh { validators, .. }) = &outcome.result {
            self.validators = validators.clone();
        }
        poll::Round {
            ok: outcome.result.is_ok(),
            retry_after: outcome.retry_after,
            output: super::Output::Feed(Box::new(outcome)),
        }
    }
}
