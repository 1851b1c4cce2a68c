//! Price providers behind one interface. A provider only builds requests and parses
//! bodies; the HTTP, status handling, failover and backoff are shared
//! (`source::quotes`). Adding a provider is one file plus one row in [`REGISTRY`].

mod coinbase;
mod finnhub;
mod nasdaq;
mod yahoo;

pub use yahoo::{Yahoo, chart_url};

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::HeaderMap;

use super::error::FetchError;
use crate::config::{ApiKey, ProviderConfig};
use crate::model::Quote;

pub trait Provider: Send + Sync {
    fn name(&self) -> &'static str;
    /// The request for one symbol, or `NoData` when this provider cannot price it.
    fn request(&self, symbol: &str) -> Result<(Url, HeaderMap), FetchError>;
    /// Every request one quote takes, in order (most providers: one).
    fn requests(&self, symbol: &str) -> Result<Vec<(Url, HeaderMap)>, FetchError> {
        Ok(vec![self.request(symbol)?])
    }
    /// Parses a 2xx body into a quote.
    fn parse(&self, symbol: &str, body: &[u8], now: DateTime<Utc>) -> Result<Quote, FetchError>;
    /// Parses the bodies of [`Provider::requests`], in their order.
    fn parse_all(&self, symbol: &str, bodies: &[&[u8]], now: DateTime<Utc>) -> Result<Quote, FetchError> {
        self.parse(symbol, bodies.first().copied().unwrap_or_default(), now)
    }
    /// The provider's own explanation inside an error body (e.g. Yahoo's 404).
    fn error_detail(&self, body: &[u8]) -> Option<String>;
    /// `text` without any secret the provider's requests carry.
    fn redact(&self, text: String) -> String {
        text
    }
}

type Constructor = fn(Url, Option<ApiKey>) -> Box<dyn Provider>;

/// Each provider the configuration knows (`config::providers`), built from its base URL.
const REGISTRY: &[(&str, Constructor)] = &[
    ("yahoo", |u, _| Box::new(yahoo::Yahoo::new(u))),
    ("nasdaq", |u, _| Box::new(nasdaq::Nasdaq::new(u))),
    ("finnhub", |u, k| Box::new(finnhub::Finnhub::new(u, k))),
    ("coinbase", |u, _| Box::new(coinbase::Coinbase::new(u))),
];

pub fn build_config(config: &ProviderConfig) -> Option<Box<dyn Provider>> {
    REGISTRY
        .iter()
        .find(|(n, _)| *n == config.name)
        .map(|(_, make)| make(config.base_url.clone(), config.api_key.clone()))
}

/// A provider without a key (every one but Finnhub), as tests and fuzzers build them.
pub fn build(name: &str, base_url: Url) -> Option<Box<dyn Provider>> {
    build_config(&ProviderConfig {
        name: name.into(),
        base_url,
        api_key: None,
    })
}

/// Joins a path onto a base URL that may itself carry a path prefix.
fn endpoint(base: &Url, path: &str) -> Url {
    let mut u = base.clone();
    let joined = format!("{}{}", base.path().trim_end_matches('/'), path);
    u.set_path(&joined);
    u
}

/// A JSON parse error in a form worth showing.
fn malformed(e: &serde_json::Error) -> FetchError {
    FetchError::Malformed(crate::history::answer::json_problem(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::providers;

    #[test]
    fn every_provider_a_config_may_name_can_be_built() {
        for name in providers::names() {
            let p = build(name, providers::default_base_url(name));
            assert!(p.is_some_and(|p| p.name() == name), "{name}");
        }
        assert_eq!(REGISTRY.len(), providers::names().count());
    }

    #[test]
    fn endpoint_keeps_a_base_path_prefix() {
        let base = Url::parse("http://127.0.0.1:8080/yahoo/")
            .unwrap_or_else(|_| providers::default_base_url("yahoo"));
        assert_eq!(
            endpoint(&base, "/v8/x").as_str(),
            "http://127.0.0.1:8080/yahoo/v8/x"
        );
    }
}
