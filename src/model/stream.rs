//! What the price streams say, as the reducer reads it. `source::stream` makes these.

use chrono::{DateTime, Utc};

use super::ExtendedSession;
pub use crate::config::Socket;

/// One symbol as a stream has told it so far: every frame merged in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ticker {
    pub price: Option<f64>,
    pub time: Option<DateTime<Utc>>,
    /// Yahoo's session code; `None` from a stream that does not say (Finnhub:
    /// the session is then the exchange calendar's at the trade's time).
    pub market_hours: Option<i32>,
    pub change_percent: Option<f64>,
    pub change: Option<f64>,
    pub previous_close: Option<f64>,
    pub day_high: Option<f64>,
    pub day_low: Option<f64>,
    pub day_volume: Option<u64>,
    pub currency: Option<String>,
    pub short_name: Option<String>,
}

/// What a stream says, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// Connected and subscribed.
    Live(Socket),
    /// A symbol's state after a frame, every field the stream has sent so far.
    Tick { symbol: String, ticker: Ticker },
    /// A frame that could not be read, or the server's own error message (the
    /// connection goes on).
    Garbage(String),
    /// The socket is down, and why; a reconnect follows after a wait.
    Down(Socket, String),
    /// The socket in use dropped and the next stream is being connected: polling
    /// takes over only if that one fails too.
    Handover { from: Socket, to: Socket, why: String },
}

impl Ticker {
    /// The session its `market_hours` names: 0 pre-market, 1 regular, 2 post-market,
    /// 3 extended (after hours too); `None` for the regular one or when unknown.
    pub fn session(&self) -> Option<ExtendedSession> {
        match self.market_hours? {
            0 => Some(ExtendedSession::Pre),
            2 | 3 => Some(ExtendedSession::Post),
            _ => None,
        }
    }
}
