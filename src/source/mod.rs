//! Sources: HTTP, price providers, and the tasks that poll them. No UI here, and
//! nothing of the app's: a task returns its own output, the app maps it to an event.

pub mod backoff;
pub mod error;
pub mod feeds;
mod gate;
pub mod halts;
pub mod history;
pub mod hosts;
pub mod http;
pub mod index;
pub mod pace;
mod parsers;
pub mod poll;
pub mod provider;
pub mod quotes;
pub mod sec;
pub mod stream;
mod supervisor;
mod tls;
pub mod usual;

pub use error::FetchError;
pub use http::Http;
pub use quotes::QuoteFetcher;
pub use supervisor::Sources;

use crate::model::{FeedId, FeedOutcome, HaltsOutcome, MarketOutcome, QuoteOutcome, StreamEvent, TickerMap};

/// What a source task produced in one round.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Quote(Box<QuoteOutcome>),
    Feed(Box<FeedOutcome>),
    /// What the price stream said.
    Stream(Box<StreamEvent>),
    /// The halt feed's answer.
    Halts(Box<HaltsOutcome>),
    /// The index's constituent list.
    Market(Box<MarketOutcome>),
    /// A symbol's usual daily volume (for the volume signal), or why not.
    Usual {
        symbol: String,
        result: Result<f64, String>,
    },
    /// A chart range's bars, asked for by the screen.
    History(Box<crate::model::HistoryOutcome>),
    /// SEC's ticker map, freshly fetched.
    Tickers(std::sync::Arc<TickerMap>),
    /// A symbol's source that cannot exist (EDGAR does not know the ticker).
    Absent {
        feed: FeedId,
        why: String,
    },
}

/// An output stamped with the id of the running source that made it: results of a
/// source a reconfiguration stopped are dropped, not applied to the new configuration.
#[derive(Debug)]
pub struct Delivery {
    pub source: u64,
    pub output: Output,
}
