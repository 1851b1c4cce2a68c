//! Things that happened: terminal input, the clock, and results from sources.

use chrono::{DateTime, FixedOffset};

use crate::source::QuoteOutcome;
use crate::source::feeds::FeedOutcome;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The wall clock moved on (1 Hz), in the local zone (its offset can change
    /// with daylight saving while the program runs).
    Tick(DateTime<FixedOffset>),
    QuoteFetched(Box<QuoteOutcome>),
    FeedFetched(Box<FeedOutcome>),
    /// The configuration changed (edited from the UI, or on disk) and is valid.
    ConfigChanged(std::sync::Arc<crate::config::Config>),
}
