//! Things that happened: terminal input, the clock, results from sources, and
//! what the loop learned about the configuration and the cache.

use chrono::{DateTime, FixedOffset};

use crate::model::{
    FeedId, FeedOutcome, HaltsOutcome, HistoryOutcome, MarketOutcome, QuoteOutcome, StreamEvent,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The wall clock moved on (1 Hz), in the local zone (its offset can change
    /// with daylight saving while the program runs).
    Tick(DateTime<FixedOffset>),
    QuoteFetched(Box<QuoteOutcome>),
    FeedFetched(Box<FeedOutcome>),
    /// A symbol's own source that cannot be (EDGAR does not know the ticker).
    SourceAbsent {
        feed: FeedId,
        why: String,
    },
    /// The configuration changed (edited from the UI, or on disk) and is valid.
    ConfigChanged(std::sync::Arc<crate::config::Config>),
    /// Something went wrong that the user should read in the status line.
    Notice(String),
    /// The cache's writer fell behind (true) or caught up (false).
    CacheBehind(bool),
    /// What the price stream said.
    Streamed(Box<StreamEvent>),
    /// An answer of the halt feed (or why there was none).
    HaltsFetched(Box<HaltsOutcome>),
    /// The index's constituent list (or why there was none).
    MarketFetched(Box<MarketOutcome>),
    /// A chart range's bars (or why there are none).
    HistoryFetched(Box<HistoryOutcome>),
    /// A symbol's usual daily volume, from its daily bars.
    UsualVolume {
        symbol: String,
        result: Result<f64, String>,
    },
}

impl Event {
    /// What a source's output means to the reducer; `None` for what only the
    /// cache keeps (SEC's ticker map).
    pub fn of(output: crate::source::Output) -> Option<Self> {
        use crate::source::Output;
        Some(match output {
            Output::Quote(o) => Self::QuoteFetched(o),
            Output::Feed(o) => Self::FeedFetched(o),
            Output::Stream(e) => Self::Streamed(e),
            Output::Halts(o) => Self::HaltsFetched(o),
            Output::Market(o) => Self::MarketFetched(o),
            Output::History(o) => Self::HistoryFetched(o),
            Output::Usual { symbol, result } => Self::UsualVolume { symbol, result },
            Output::Absent { feed, why } => Self::SourceAbsent { feed, why },
            Output::Tickers(_) => return None,
        })
    }
}
