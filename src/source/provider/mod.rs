//! Price providers behind one interface. A provider only builds requests and parses
//! bodies; the HTTP, status handling, failover and backoff are shared
//! (`source::quotes`). Adding a provider is one file plus one row in [`REGISTRY`].

mod nasdaq;
mod yahoo;

pub use yahoo::{Yahoo, chart_url};

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::HeaderMap;

use super::error::FetchError;
use crate::model::Quote;

pub trait Provider: Send + Sync {
    fn name(&self) -> &'static str;
    /// The request for one symbol, or `NoData` when this provider cannot price it.
    fn request(&self, symbol: &str) -> Result<(Url, HeaderMap), FetchError>;
    /// Parses a 2xx body into a quote.
    fn parse(&self, symbol: &str, body: &[u8], now: DateTime<Utc>) -> Result<Quote, FetchError>;
    /// The provider's own explanation inside an error body (e.g. Yahoo's 404).
    fn error_detail(&self, body: &[u8]) -> Option<String>;
}

type Constructor = fn(Url) -> Box<dyn Provider>;

/// Each provider the configuration knows (`config::providers`), built from its base URL.
const REGISTRY: &[(&str, Constructor)] = &[
    ("yahoo", |u| Box::new(yahoo::Yahoo::new(u))),
    ("nasdaq", |u| Box::new(nasdaq::Nasdaq::new(u))),
];

pub fn build(name: &str, base_url: Url) -> Option<Box<dyn Provider>> {
    REGISTRY
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, make)| make(base_url))
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
