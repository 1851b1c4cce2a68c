//! Quotes: one fetch with failover across providers, and the per-symbol poll task.

use std::sync::Arc;

use chrono::Utc;
use tokio::time::Instant;

use super::error::FetchError;
use super::http::Http;
use super::poll;
use super::provider::{self, Provider};
use super::stream::cover::Cover;
use crate::clean;
use crate::config::Config;
use crate::model::{Attempt, Quote, QuoteOutcome};
use crate::sniff::looks_like_html;

pub struct QuoteFetcher {
    http: Http,
    providers: Vec<Box<dyn Provider>>,
}

impl QuoteFetcher {
    pub fn new(http: Http, config: &Config) -> Self {
        let providers = config
            .providers
            .iter()
            .filter_map(|p| provider::build(&p.name, p.base_url.clone()))
            .collect();
        Self { http, providers }
    }

    /// Tries each provider in order until one prices the symbol. Each attempt gets
    /// the request timeout, and none runs past `deadline`.
    pub async fn fetch(&self, symbol: &str, deadline: Instant) -> QuoteOutcome {
        let mut attempts = Vec::new();
        let mut errors = Vec::new();
        let mut retry_after = None;
        for p in &self.providers {
            let attempt_deadline = deadline.min(Instant::now() + self.http.timeout());
            let result = if Instant::now() >= deadline {
                Err(FetchError::Timeout(self.http.timeout()))
            } else {
                self.fetch_one(p.as_ref(), symbol, attempt_deadline).await
            };
            match result {
                Ok(q) => {
                    attempts.push(Attempt {
                        provider: p.name().into(),
                        error: None,
                    });
                    return QuoteOutcome {
                        symbol: symbol.into(),
                        result: Ok(q.sanitized()),
                        attempts,
                        retry_after: None,
                    };
                }
                Err(e) => {
                    let error = clean::line(&e.to_string(), 300);
                    tracing::info!(provider = p.name(), symbol, %error, "quote failed");
                    retry_after = retry_after.max(e.retry_after());
                    errors.push(format!("{}: {error}", p.name()));
                    attempts.push(Attempt {
                        provider: p.name().into(),
                        error: Some(error),
                    });
                }
            }
        }
        QuoteOutcome {
            symbol: symbol.into(),
            result: Err(errors.join("; ")),
            attempts,
            retry_after,
        }
    }

    async fn fetch_one(
        &self,
        p: &dyn Provider,
        symbol: &str,
        deadline: Instant,
    ) -> Result<Quote, FetchError> {
        let (url, headers) = p.request(symbol)?;
        let started = Instant::now();
        let r = self.http.get(url, headers, deadline).await?;
        tracing::debug!(provider = p.name(), symbol, status = %r.status, bytes = r.body.len(),
            ms = started.elapsed().as_millis() as u64, "quote response");
        r.check_status(|body| p.error_detail(body))?;
        if looks_like_html(&r.body) {
            return Err(FetchError::Html {
                expected: "JSON",
                status: r.status.as_u16(),
            });
        }
        p.parse(symbol, &r.body, Utc::now())
    }
}

/// Polling one symbol: a [`poll::Job`] for [`poll::run`].
pub struct QuoteJob {
    pub fetcher: Arc<QuoteFetcher>,
    pub symbol: String,
    /// What the price stream covers, when there is one.
    pub cover: Option<Arc<Cover>>,
}

impl poll::Job for QuoteJob {
    fn pace(&self, interval: std::time::Duration) -> std::time::Duration {
        self.cover
            .as_ref()
            .map_or(interval, |c| c.pace(&self.symbol, interval))
    }

    async fn round(&mut self) -> poll::Round {
        // Each provider gets the full timeout in the live app.
        let budget = self.fetcher.http.timeout() * self.fetcher.providers.len().max(1) as u32;
        let outcome = self.fetcher.fetch(&self.symbol, Instant::now() + budget).await;
        poll::Round {
            ok: outcome.result.is_ok(),
            retry_after: outcome.retry_after,
            output: Some(super::Output::Quote(Box::new(outcome))),
        }
    }
}
