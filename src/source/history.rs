//! A chart range's bars, asked for when the chart shows it: from the cache
//! while young enough, else from Yahoo's chart API (the cache's older bars
//! kept when that fails).

use std::path::PathBuf;
use std::sync::Arc;

use reqwest::Url;

use super::{Http, Output};
use crate::history::{self, ChartRange};
use crate::model::HistoryOutcome;

/// What one ask needs: the client, where Yahoo is, and the cache file.
pub struct Ask {
    pub http: Http,
    pub base: Url,
    pub cache: Option<PathBuf>,
    pub symbol: String,
    pub range: ChartRange,
}

/// Answers one ask; never fails: a failure is the outcome's `error`.
pub async fn answer(ask: Ask) -> Output {
    let (range, interval) = ask.range.api();
    let now = chrono::Utc::now();
    let stored = match ask.cache.clone() {
        Some(path) => {
            let (symbol, r, i) = (ask.symbol.clone(), range, interval);
            tokio::task::spawn_blocking(move || crate::cache::history::read(&path, &symbol, r, i))
                .await
                .ok()
                .flatten()
        }
        None => None,
    };
    let stored = stored.and_then(|(at, body)| {
        let h = history::parse(&body, &ask.symbol, range, interval).ok()?;
        Some((at, Arc::new(h)))
    });
    let outcome = |history, error, fetched, body| {
        Output::History(Box::new(HistoryOutcome {
            symbol: ask.symbol.clone(),
            range: ask.range,
            history,
            error,
            fetched,
            body,
        }))
    };
    if let Some((at, h)) = &stored
        && (now - *at).to_std().is_ok_and(|age| age < ask.range.max_age())
    {
        return outcome(Some(Arc::clone(h)), None, *at, None);
    }
    let deadline = tokio::time::Instant::now() + ask.http.timeout();
    match history::fetch(&ask.http, &ask.base, &ask.symbol, range, interval, deadline).await {
        Ok((body, h)) => outcome(Some(Arc::new(h)), None, now, Some(body)),
        Err(why) => {
            tracing::info!(symbol = %ask.symbol, range, error = %why, "chart history failed");
            match stored {
                Some((at, h)) => outcome(Some(h), Some(why), at, None),
                None => outcome(None, Some(why), now, None),
            }
        }
    }
}
