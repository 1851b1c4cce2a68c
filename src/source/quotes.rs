//! Quotes: one fetch with failover across providers, and the per-symbol poll task.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use tokio::time::Instant;

use super::error::FetchError;
use super::http::Http;
use super::poll;
use super::provider::{self, Provider};
use super::stream::cover::Cover;
use crate::clean;
use crate::config::{Config, ProviderConfig};
use crate::model::{Attempt, Quote, QuoteOutcome};
use crate::sniff::looks_like_html;

pub struct QuoteFetcher {
    http: Http,
    /// Every provider configured, listed or named by a symbol.
    providers: Vec<Box<dyn Provider>>,
    /// The order `quotes.providers` gives, as indices into `providers`.
    listed: Vec<usize>,
    /// A symbol that names its provider: its own order.
    routes: HashMap<String, Vec<usize>>,
}

impl QuoteFetcher {
    pub fn new(http: Http, config: &Config) -> Self {
        let configs: Vec<&ProviderConfig> = config.every_provider().collect();
        let providers: Vec<Box<dyn Provider>> =
            configs.iter().filter_map(|p| provider::build_config(p)).collect();
        let index = |chain: Vec<&ProviderConfig>| -> Vec<usize> {
            chain
                .iter()
                .filter_map(|c| providers.iter().position(|p| p.name() == c.name))
                .collect()
        };
        let listed = index(config.providers.iter().collect());
        let routes = config
            .symbols
            .iter()
            .filter(|(_, s)| s.provider.is_some())
            .map(|(k, _)| (k.clone(), index(config.chain(k))))
            .collect();
        Self {
            http,
            providers,
            listed,
            routes,
        }
    }

    /// The providers tried for `symbol`, in order.
    fn chain(&self, symbol: &str) -> impl Iterator<Item = &dyn Provider> {
        self.routes
            .get(symbol)
            .unwrap_or(&self.listed)
            .iter()
            .filter_map(|i| self.providers.get(*i))
            .map(AsRef::as_ref)
    }

    /// Tries each provider in order until one prices the symbol. Each attempt gets
    /// the request timeout, and none runs past `deadline`.
    pub async fn fetch(&self, symbol: &str, deadline: Instant) -> QuoteOutcome {
        self.fetch_with_reach(symbol, deadline).await.0
    }

    /// [`Self::fetch`], and whether every provider failed only because its host
    /// could not be reached ([`FetchError::is_unreachable`]).
    pub async fn fetch_with_reach(&self, symbol: &str, deadline: Instant) -> (QuoteOutcome, bool) {
        let mut unreachable = true;
        let mut attempts = Vec::new();
        let mut errors = Vec::new();
        let mut retry_after = None;
        for p in self.chain(symbol) {
            let attempt_deadline = deadline.min(Instant::now() + self.http.timeout());
            let result = if Instant::now() >= deadline {
                Err(FetchError::Timeout(self.http.timeout()))
            } else {
                self.fetch_one(p, symbol, attempt_deadline).await
            };
            match result {
                Ok(q) => {
                    attempts.push(Attempt {
                        provider: p.name().into(),
                        error: None,
                    });
                    let outcome = QuoteOutcome {
                        symbol: symbol.into(),
                        result: Ok(q.sanitized()),
                        attempts,
                        retry_after: None,
                    };
                    return (outcome, false);
                }
                Err(e) => {
                    let error = clean::line(&p.redact(e.to_string()), 300);
                    tracing::info!(provider = p.name(), symbol, %error, "quote failed");
                    retry_after = retry_after.max(e.retry_after());
                    unreachable &= e.is_unreachable();
                    errors.push(format!("{}: {error}", p.name()));
                    attempts.push(Attempt {
                        provider: p.name().into(),
                        error: Some(error),
                    });
                }
            }
        }
        let outcome = QuoteOutcome {
            symbol: symbol.into(),
            result: Err(errors.join("; ")),
            attempts,
            retry_after,
        };
        // No provider at all (an empty chain) is not a network matter.
        (outcome, unreachable && !errors.is_empty())
    }

    async fn fetch_one(
        &self,
        p: &dyn Provider,
        symbol: &str,
        deadline: Instant,
    ) -> Result<Quote, FetchError> {
        let mut bodies = Vec::new();
        for (url, headers) in p.requests(symbol)? {
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
            bodies.push(r.body);
        }
        let bodies: Vec<&[u8]> = bodies.iter().map(|b| &b[..]).collect();
        p.parse_all(symbol, &bodies, Utc::now())
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
        let (outcome, unreachable) = self
            .fetcher
            .fetch_with_reach(&self.symbol, Instant::now() + budget)
            .await;
        poll::Round {
            ok: outcome.result.is_ok(),
            retry_after: outcome.retry_after,
            unreachable,
            output: Some(super::Output::Quote(Box::new(outcome))),
        }
    }
}
