//! Things that happened: terminal input, the clock, results from sources, and
//! what the loop learned about the configuration and the cache.

use chrono::{DateTime, FixedOffset};

use crate::model::{FeedOutcome, QuoteOutcome, StreamEvent};

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The wall clock moved on (1 Hz), in the local zone (its offset can change
    /// with daylight saving while the program runs).
    Tick(DateTime<FixedOffset>),
    QuoteFetched(Box<QuoteOutcome>),
    FeedFetched(Box<FeedOutcome>),
    /// The configuration changed (edited from the UI, or on disk) and is valid.
    ConfigChanged(std::sync::Arc<crate::config::Config>),
    /// Something went wrong that the user should read in the status line.
    Notice(String),
    /// The cache's writer fell behind (true) or caught up (false).
    CacheBehind(bool),
    /// What the price stream said.
    Streamed(Box<StreamEvent>),
}
