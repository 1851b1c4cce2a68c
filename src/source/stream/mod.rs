//! The price streams: Yahoo's (protobuf frames merged per symbol), Finnhub's
//! (keyed trades) and Coinbase's (crypto tickers), one websocket client for
//! all three, the relay that hands over from one stock stream to the next,
//! and which symbols a stream covers so polling can slow down.

pub mod client;
pub mod coinbase;
pub mod cover;
pub mod decode;
pub mod finnhub;
pub mod relay;
pub mod yahoo;

use crate::model::StreamEvent;

/// One stream's wire format: what to send to subscribe, and what a message says.
pub trait Protocol: Send + 'static {
    /// The messages that subscribe to `symbols` (tickwire's symbols).
    fn subscribe(&mut self, symbols: &[String]) -> Vec<String>;
    /// The messages that end those subscriptions.
    fn unsubscribe(&mut self, symbols: &[String]) -> Vec<String>;
    /// Whether the server forgets subscriptions, so they are sent again every few seconds.
    fn resubscribes(&self) -> bool {
        false
    }
    /// What one text message says: ticks, nothing (a ping), or garbage. Never panics.
    fn read(&mut self, text: &str, out: &mut Vec<StreamEvent>);
}
