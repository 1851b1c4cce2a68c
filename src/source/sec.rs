//! Filings: SEC's ticker map (from the cache while under a week old, else
//! fetched), then a polling task per symbol EDGAR knows, on its filings feed by
//! CIK. A symbol it does not know has no filings source, which is no error.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::backoff::Backoff;
use super::feeds::{self, FeedFetcher, FeedJob};
use super::pace::Pacer;
use super::{Delivery, FetchError, Http, Output, poll};
use crate::config::{News, SourceKind};
use crate::model::{FeedId, FeedOutcome, TickerMap, Validators};
use crate::news::own;

/// How long SEC's map is trusted: tickers change hands rarely.
pub const MAP_MAX_AGE: Duration = Duration::from_secs(7 * 86_400);

pub struct Filings {
    pub http: Http,
    pub fetcher: Arc<FeedFetcher>,
    pub news: Arc<News>,
    /// The map the cache held, if any.
    pub cached: Option<Arc<TickerMap>>,
    pub validators: HashMap<FeedId, Validators>,
    pub interval: Duration,
    /// Between the first polls of two symbols.
    pub spread: Duration,
}

/// Fetches SEC's map of tickers to companies.
pub async fn fetch_tickers(http: &Http, news: &News, deadline: Instant) -> Result<TickerMap, FetchError> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    feeds::sec_headers(&mut headers, news)?;
    let r = http.get(news.tickers_url(), headers, deadline).await?;
    r.check_status(|_| feeds::refused(true, r.status))?;
    if r.body.trim_ascii_start().starts_with(b"<") {
        return Err(FetchError::Html {
            expected: "SEC's ticker map (JSON)",
            status: r.status.as_u16(),
        });
    }
    own::parse_tickers(&r.body, chrono::Utc::now()).map_err(FetchError::Malformed)
}

/// Whether `map` is young enough to use without asking SEC again.
pub fn is_fresh(map: &TickerMap) -> bool {
    let age = chrono::Utc::now() - map.fetched;
    age.to_std().is_ok_and(|a| a < MAP_MAX_AGE) || age < chrono::TimeDelta::zero()
}

/// The filings task: runs until aborted (its per-symbol tasks with it).
pub async fn run(f: Filings, tx: mpsc::Sender<Delivery>, refresh: watch::Sender<u64>, source: u64) {
    let send = |output: Output| {
        let tx = tx.clone();
        async move { tx.send(Delivery { source, output }).await.is_ok() }
    };
    let sources: Vec<usize> = (0..f.fetcher.len())
        .filter(|i| f.fetcher.source(*i).kind == SourceKind::Filings)
        .collect();
    if sources.is_empty() {
        return;
    }
    let mut backoff = Backoff::new(f.interval);
    let mut held = f.cached.clone();
    let map = loop {
        if let Some(m) = held.as_ref().filter(|m| is_fresh(m)) {
            break Arc::clone(m);
        }
        let deadline = Instant::now() + f.http.timeout();
        match fetch_tickers(&f.http, &f.news, deadline).await {
            Ok(m) => {
                let m = Arc::new(m);
                tracing::info!(companies = m.companies.len(), "fetched SEC's ticker map");
                if !send(Output::Tickers(Arc::clone(&m))).await {
                    return;
                }
                break m;
            }
            // A week-old map still names nearly every company: better than none.
            Err(e) if held.is_some() => {
                tracing::warn!(error = %e, "SEC's ticker map could not be refreshed: using the old one");
                if let Some(m) = held.take() {
                    break m;
                }
            }
            Err(e) => {
                tracing::info!(error = %e, "SEC's ticker map failed");
                let retry_after = e.retry_after();
                for i in &sources {
                    let outcome = FeedOutcome {
                        feed: f.fetcher.id(*i).clone(),
                        result: Err(format!("SEC's ticker map: {e}")),
                        retry_after,
                    };
                    if !send(Output::Feed(Box::new(outcome))).await {
                        return;
                    }
                }
                let wait = backoff.failed(fastrand::f64(), retry_after, e.is_unreachable());
                let mut woken = refresh.subscribe();
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    changed = woken.changed() => if changed.is_err() { return },
                }
            }
        }
    };
    let mut tasks = JoinSet::new();
    let pacer = Arc::new(Pacer::new(f.spread));
    for i in sources {
        let id = f.fetcher.id(i).clone();
        let symbol = f.fetcher.source(i).symbol.clone().unwrap_or_default();
        let Some(company) = map.companies.get(&symbol) else {
            let why = "none: not in SEC's list of tickers".to_string();
            if !send(Output::Absent { feed: id, why }).await {
                return;
            }
            continue;
        };
        let job = FeedJob {
            validators: f.validators.get(&id).cloned().unwrap_or_default(),
            fetcher: Arc::clone(&f.fetcher),
            feed: i,
            at: Some(f.news.filings_url(&own::cik10(company.cik))),
            pacer: Some(Arc::clone(&pacer)),
        };
        tasks.spawn(poll::run(
            job,
            f.interval,
            tx.clone(),
            refresh.subscribe(),
            source,
        ));
    }
    // The map is refreshed when a week old, for the next start: a CIK never
    // changes, and a ticker new to the map waits for a restart or a config change.
    let age = (chrono::Utc::now() - map.fetched).to_std().unwrap_or_default();
    tokio::time::sleep(MAP_MAX_AGE.saturating_sub(age)).await;
    let deadline = Instant::now() + f.http.timeout();
    if let Ok(m) = fetch_tickers(&f.http, &f.news, deadline).await {
        send(Output::Tickers(Arc::new(m))).await;
    }
    // Keeps the per-symbol tasks alive until the supervisor aborts this one.
    while tasks.join_next().await.is_some() {}
}
