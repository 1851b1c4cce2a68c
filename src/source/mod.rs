//! Sources: HTTP, price providers, and the tasks that poll them. No UI here.

pub mod backoff;
pub mod error;
pub mod feeds;
pub mod http;
pub mod poll;
pub mod provider;
pub mod quotes;

pub use error::FetchError;
pub use http::Http;
pub use quotes::{QuoteFetcher, QuoteOutcome};
