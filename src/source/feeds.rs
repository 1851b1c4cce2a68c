//! Feeds: one conditional GET per poll, parsed off the raw bytes on a parse
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
use super::pace::Pacer;
use super::poll;
use crate::config::{Config, News, NewsSource, SourceKind};
use crate::model::{FeedId, FeedOutcome, FeedUpdate, ReadNotes, Validators};
use crate::news::feed::Meta;
use crate::news::ingest::{self, FeedRef, IngestError, Ingested};
use crate::news::link::Linker;
use crate::news::own;

pub struct FeedFetcher {
    http: Http,
    feeds: Vec<(FeedId, Arc<NewsSource>)>,
    linker: Arc<LinkerCell>,
    news: Arc<News>,
}

/// The linker the feed tasks read at each poll: a new symbol or keyword
/// changes it for every running feed, without restarting one.
pub struct LinkerCell(std::sync::RwLock<Arc<Linker>>);

impl LinkerCell {
    pub fn new(linker: Linker) -> Self {
        Self(std::sync::RwLock::new(Arc::new(linker)))
    }

    pub fn set(&self, linker: Linker) {
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(linker);
    }

    pub fn get(&self) -> Arc<Linker> {
        Arc::clone(&self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

const ACCEPT_FEEDS: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

impl FeedFetcher {
    /// A fetcher for every source of `config`'s [`Config::news_sources`], in that order.
    pub fn new(http: Http, config: &Config) -> Self {
        Self::with_linker(http, config, Arc::new(LinkerCell::new(Linker::new(config))))
    }

    /// A fetcher whose linker is shared (and swapped) with others.
    pub fn with_linker(http: Http, config: &Config, linker: Arc<LinkerCell>) -> Self {
        Self {
            http,
            feeds: config
                .news_sources()
                .into_iter()
                .map(|s| (FeedId::of(&s.feed.url), Arc::new(s)))
                .collect(),
            linker,
            news: Arc::new(config.news.clone()),
        }
    }

    pub fn id(&self, feed: usize) -> &FeedId {
        &self.feeds[feed].0
    }

    pub fn source(&self, feed: usize) -> &NewsSource {
        &self.feeds[feed].1
    }

    pub fn len(&self) -> usize {
        self.feeds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.feeds.is_empty()
    }

    /// Polls source number `feed` of the config this fetcher was built from, at
    /// its own URL or at `at` (a filings feed by CIK, once SEC's map named it).
    pub async fn fetch(
        &self,
        feed: usize,
        at: Option<&reqwest::Url>,
        validators: &Validators,
        deadline: Instant,
    ) -> FeedOutcome {
        self.fetch_with_reach(feed, at, validators, deadline).await.0
    }

    /// [`Self::fetch`], and whether it failed only because the host could not
    /// be reached ([`FetchError::is_unreachable`]).
    pub async fn fetch_with_reach(
        &self,
        feed: usize,
        at: Option<&reqwest::Url>,
        validators: &Validators,
        deadline: Instant,
    ) -> (FeedOutcome, bool) {
        let result = self.fetch_inner(feed, at, validators, deadline).await;
        if let Err(e) = &result {
            let s = &self.feeds[feed].1;
            tracing::info!(feed = %s.feed.name, symbol = ?s.symbol, error = %e, "feed failed");
        }
        let unreachable = result.as_ref().is_err_and(FetchError::is_unreachable);
        let outcome = FeedOutcome {
            feed: self.id(feed).clone(),
            retry_after: result.as_ref().err().and_then(FetchError::retry_after),
            result: result.map_err(|e| e.to_string()),
        };
        (outcome, unreachable)
    }

    async fn fetch_inner(
        &self,
        index: usize,
        at: Option<&reqwest::Url>,
        validators: &Validators,
        deadline: Instant,
    ) -> Result<FeedUpdate, FetchError> {
        let source = &self.feeds[index].1;
        let feed = &source.feed;
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static(ACCEPT_FEEDS));
        let sec = source.kind == SourceKind::Filings;
        if sec {
            sec_headers(&mut headers, &self.news)?;
        }
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
        let url = at.unwrap_or(&feed.url).clone();
        let r = self.http.get(url, headers, deadline).await?;
        tracing::debug!(feed = %feed.name, status = %r.status, bytes = r.body.len(),
            ms = started.elapsed().as_millis() as u64, "feed response");
        if r.status == StatusCode::NOT_MODIFIED {
            return Ok(FeedUpdate::NotModified);
        }
        r.check_status(|_| refused(sec, r.status))?;
        let validators = Validators {
            etag: r.header(ETAG).map(String::from),
            last_modified: r.header(LAST_MODIFIED).map(String::from),
        };
        let status = r.status.as_u16();
        let served = Served {
            content_type: r.header(CONTENT_TYPE).map(String::from),
            content_location: r.header(CONTENT_LOCATION).map(String::from),
        };
        let (source, news, linker) = (Arc::clone(source), Arc::clone(&self.news), self.linker.get());
        let ingested = parse_off_thread(r.body, served, source, index, linker, news)
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

/// SEC's fair-access rule: a declared User-Agent with a contact. Without one
/// there is no request at all.
pub fn sec_headers(headers: &mut HeaderMap, news: &News) -> Result<(), FetchError> {
    let ua = news
        .sec_user_agent
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
        .ok_or_else(|| FetchError::Client("no [news] sec_user_agent: SEC wants a name and email".into()))?;
    headers.insert(reqwest::header::USER_AGENT, ua);
    Ok(())
}

/// What a refusal from SEC means: it answers an undeclared or too-fast client with 403.
pub fn refused(sec: bool, status: StatusCode) -> Option<String> {
    (sec && status == StatusCode::FORBIDDEN).then(|| {
        "User-Agent missing or refused by SEC (check [news] sec_user_agent: a name and an email)".into()
    })
}

/// The headers that say how to read a document.
struct Served {
    content_type: Option<String>,
    content_location: Option<String>,
}

/// Parsing and cleaning a large feed takes tens of milliseconds per megabyte: on
/// the runtime's one thread that is as long without keys or frames. On the parse
/// threads (see `parsers`), not tokio's blocking pool.
async fn parse_off_thread(
    body: bytes::Bytes,
    served: Served,
    source: Arc<NewsSource>,
    index: usize,
    linker: Arc<Linker>,
    news: Arc<News>,
) -> Result<Ingested, IngestError> {
    let work = move || {
        let feed = &source.feed;
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
        let mut read = ingest::read(&body, meta, &feed_ref, &linker)?;
        if let Some(symbol) = &source.symbol {
            own::claim(&mut read.headlines, symbol, source.kind, &news);
        }
        Ok(read)
    };
    super::parsers::run(work).await.unwrap_or_else(|| {
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
    /// Where to fetch it instead of the source's own URL (a filings feed by CIK).
    pub at: Option<reqwest::Url>,
    /// Turns shared by the sources of one kind (a symbol's news, its filings):
    /// they start spread out, not all in the first second. None: at once.
    pub pacer: Option<Arc<Pacer>>,
}

impl poll::Job for FeedJob {
    async fn round(&mut self) -> poll::Round {
        let deadline = Instant::now() + self.fetcher.http.timeout();
        let (outcome, unreachable) = self
            .fetcher
            .fetch_with_reach(self.feed, self.at.as_ref(), &self.validators, deadline)
            .await;
        if let Ok(FeedUpdate::Fresh { validators, .. }) = &outcome.result {
            self.validators = validators.clone();
        }
        poll::Round {
            ok: outcome.result.is_ok(),
            retry_after: outcome.retry_after,
            unreachable,
            output: Some(super::Output::Feed(Box::new(outcome))),
        }
    }

    async fn turn(&self) {
        if let Some(p) = &self.pacer {
            p.turn().await;
        }
    }
}
