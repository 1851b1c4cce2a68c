//! The websocket client of Yahoo's price stream: connect, subscribe (and again
//! every few seconds, as the server forgets), decode each frame and merge it
//! into the symbol's state, reconnect with backoff and jitter when the socket
//! drops. A malformed frame costs that frame, never the connection.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;

use super::decode;
pub use crate::model::StreamEvent;
use crate::model::Ticker;

/// Where and what to stream.
#[derive(Debug, Clone)]
pub struct StreamConfig {
    pub url: String,
    pub symbols: Vec<String>,
    /// Yahoo drops subscriptions it has not heard again for a while: 15 s.
    pub resubscribe: Duration,
    /// Connecting and the handshake together.
    pub connect_timeout: Duration,
    /// The first wait after a failure; it doubles up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// How long a connection must carry data before its backoff starts over: a
    /// server that accepts and closes would otherwise be reconnected to every second.
    pub healthy_after: Duration,
}

impl StreamConfig {
    pub fn new(url: impl Into<String>, symbols: Vec<String>) -> Self {
        Self {
            url: url.into(),
            symbols,
            resubscribe: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(10),
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            healthy_after: Duration::from_secs(30),
        }
    }
}

/// Runs until the receiver is gone.
pub async fn run(config: StreamConfig, tx: mpsc::Sender<StreamEvent>) {
    let mut tickers: HashMap<String, Ticker> = HashMap::new();
    let mut failures: u32 = 0;
    loop {
        let why = match session(&config, &tx, &mut tickers, &mut failures).await {
            Ok(()) => return, // the app is gone
            Err(why) => why,
        };
        if tx.send(StreamEvent::Down(why)).await.is_err() {
            return;
        }
        failures = failures.saturating_add(1);
        let wait = config
            .backoff
            .mul_f64(2f64.powi(failures.saturating_sub(1).min(16) as i32))
            .min(config.max_backoff)
            .mul_f64(0.8 + 0.4 * fastrand::f64());
        tokio::time::sleep(wait).await;
    }
}

/// One connection, until it fails (the reason) or the app is gone (Ok).
async fn session(
    config: &StreamConfig,
    tx: &mpsc::Sender<StreamEvent>,
    tickers: &mut HashMap<String, Ticker>,
    failures: &mut u32,
) -> Result<(), String> {
    let connect = tokio_tungstenite::connect_async(config.url.as_str());
    let (mut ws, _) = tokio::time::timeout(config.connect_timeout, connect)
        .await
        .map_err(|_| format!("no answer within {}s", config.connect_timeout.as_secs()))?
        .map_err(|e| e.to_string())?;
    let subscribe = serde_json::json!({ "subscribe": config.symbols }).to_string();
    ws.send(Message::text(subscribe.clone()))
        .await
        .map_err(|e| e.to_string())?;
    if tx.send(StreamEvent::Live).await.is_err() {
        return Ok(());
    }
    let connected = Instant::now();
    let mut again = tokio::time::interval_at(Instant::now() + config.resubscribe, config.resubscribe);
    again.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let event = tokio::select! {
            _ = again.tick() => {
                ws.send(Message::text(subscribe.clone())).await.map_err(|e| e.to_string())?;
                continue;
            }
            msg = ws.next() => match msg {
                None => return Err("the server closed the stream".into()),
                Some(Err(e)) => return Err(e.to_string()),
                Some(Ok(Message::Text(text))) => read(text.as_str(), tickers),
                Some(Ok(Message::Binary(bytes))) => read(&String::from_utf8_lossy(&bytes), tickers),
                Some(Ok(Message::Close(frame))) => {
                    return Err(frame.map_or("the server closed the stream".into(), |f| format!("closed: {}", f.reason)));
                }
                Some(Ok(_)) => continue, // pings are answered by tungstenite
            }
        };
        let Some(event) = event else { continue };
        let priced = matches!(event, StreamEvent::Tick { .. });
        if priced && *failures > 0 && connected.elapsed() >= config.healthy_after {
            *failures = 0;
        }
        if tx.send(event).await.is_err() {
            return Ok(());
        }
    }
}

/// One frame's event: the merged state of its symbol, nothing for a frame that
/// is not pricing data, a note for one that cannot be read.
fn read(text: &str, tickers: &mut HashMap<String, Ticker>) -> Option<StreamEvent> {
    match decode::frame(text) {
        Ok(Some(data)) => {
            let ticker = tickers.entry(data.id.clone()).or_default();
            decode::merge_into(ticker, &data);
            Some(StreamEvent::Tick {
                symbol: data.id,
                ticker: ticker.clone(),
            })
        }
        Ok(None) => None,
        Err(e) => {
            tracing::debug!(error = %e, "unreadable stream frame");
            Some(StreamEvent::Garbage(e.to_string()))
        }
    }
}
