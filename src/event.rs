//! Things that happened: terminal input, the clock, and results from sources.

use chrono::{DateTime, Utc};

use crate::source::QuoteOutcome;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The wall clock moved on (1 Hz); only relative times on screen depend on it.
    Tick(DateTime<Utc>),
    QuoteFetched(Box<QuoteOutcome>),
}
