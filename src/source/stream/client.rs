//! The websocket client every price stream runs: connect, subscribe (again
//! every few seconds where the server forgets), follow the watched symbols as
//! they change (subscribe the new, unsubscribe the gone), read each message
//! through its [`Protocol`], reconnect with backoff and jitter when the socket
//! drops. A malformed message costs that message, never the connection.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;

use super::Protocol;
use crate::config::{ApiKey, Socket, StreamEndpoint};
pub use crate::model::StreamEvent;

/// Where and what to stream.
#[derive(Debug, Clone)]
pub struct StreamConfig {
    pub socket: Socket,
    pub url: String,
    /// Sent as the URL's `token` (Finnhub's); never shown.
    pub key: Option<ApiKey>,
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
    /// Yahoo's stream at `url`.
    pub fn new(url: impl Into<String>, symbols: Vec<String>) -> Self {
        Self {
            socket: Socket::Yahoo,
            url: url.into(),
            key: None,
            symbols,
            resubscribe: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(10),
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            healthy_after: Duration::from_secs(30),
        }
    }

    pub fn of(endpoint: &StreamEndpoint, symbols: Vec<String>) -> Self {
        Self {
            socket: endpoint.socket,
            key: endpoint.key.clone(),
            ..Self::new(endpoint.url.as_str(), symbols)
        }
    }

    /// The URL connected to: with the key where the server wants it.
    fn connect_url(&self) -> String {
        match &self.key {
            Some(k) => {
                let sep = if self.url.contains('?') { '&' } else { '?' };
                format!("{}{sep}token={}", self.url, k.expose())
            }
            None => self.url.clone(),
        }
    }

    /// `text` without the key (a handshake error may quote the URL).
    fn redact(&self, text: String) -> String {
        ApiKey::redact_any(self.key.as_ref(), text)
    }

    fn protocol(&self) -> Box<dyn Protocol> {
        match self.socket {
            Socket::Yahoo => Box::<super::yahoo::Yahoo>::default(),
            Socket::Finnhub => Box::<super::finnhub::Finnhub>::default(),
            Socket::Coinbase => Box::<super::coinbase::Coinbase>::default(),
        }
    }
}

impl<P: Protocol + ?Sized> Protocol for Box<P> {
    fn subscribe(&mut self, symbols: &[String]) -> Vec<String> {
        (**self).subscribe(symbols)
    }
    fn unsubscribe(&mut self, symbols: &[String]) -> Vec<String> {
        (**self).unsubscribe(symbols)
    }
    fn resubscribes(&self) -> bool {
        (**self).resubscribes()
    }
    fn read(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        (**self).read(text, out);
    }
}

/// Runs until the receiver is gone, on a fixed set of symbols.
pub async fn run(config: StreamConfig, tx: mpsc::Sender<StreamEvent>) {
    let (_keep, symbols) = watch::channel(config.symbols.clone());
    run_watched(config, symbols, tx).await;
}

/// Runs until the receiver is gone, following `symbols` as it changes.
pub async fn run_watched(
    config: StreamConfig,
    mut symbols: watch::Receiver<Vec<String>>,
    tx: mpsc::Sender<StreamEvent>,
) {
    let mut failures: u32 = 0;
    loop {
        let mut protocol = config.protocol();
        let why = match session(&config, &mut *protocol, &mut symbols, &tx, &mut failures).await {
            Ok(()) => return, // the app is gone
            Err(why) => config.redact(why),
        };
        if tx.send(StreamEvent::Down(config.socket, why)).await.is_err() {
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
    protocol: &mut dyn Protocol,
    symbols: &mut watch::Receiver<Vec<String>>,
    tx: &mpsc::Sender<StreamEvent>,
    failures: &mut u32,
) -> Result<(), String> {
    let connect = tokio_tungstenite::connect_async(config.connect_url());
    let (mut ws, _) = tokio::time::timeout(config.connect_timeout, connect)
        .await
        .map_err(|_| format!("no answer within {}s", config.connect_timeout.as_secs()))?
        .map_err(|e| e.to_string())?;
    let mut wanted: Vec<String> = symbols.borrow_and_update().clone();
    for m in protocol.subscribe(&wanted) {
        ws.send(Message::text(m)).await.map_err(|e| e.to_string())?;
    }
    if tx.send(StreamEvent::Live(config.socket)).await.is_err() {
        return Ok(());
    }
    let connected = Instant::now();
    let mut again = tokio::time::interval_at(Instant::now() + config.resubscribe, config.resubscribe);
    again.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut events = Vec::new();
    loop {
        tokio::select! {
            _ = again.tick(), if protocol.resubscribes() => {
                for m in protocol.subscribe(&wanted) {
                    ws.send(Message::text(m)).await.map_err(|e| e.to_string())?;
                }
                continue;
            }
            Ok(()) = symbols.changed() => {
                let now: Vec<String> = symbols.borrow_and_update().clone();
                let gone: Vec<String> = wanted.iter().filter(|s| !now.contains(s)).cloned().collect();
                let new: Vec<String> = now.iter().filter(|s| !wanted.contains(s)).cloned().collect();
                let mut messages = Vec::new();
                if !gone.is_empty() {
                    messages.extend(protocol.unsubscribe(&gone));
                }
                if !new.is_empty() {
                    messages.extend(protocol.subscribe(&new));
                }
                for m in messages {
                    ws.send(Message::text(m)).await.map_err(|e| e.to_string())?;
                }
                wanted = now;
                continue;
            }
            msg = ws.next() => match msg {
                None => return Err("the server closed the stream".into()),
                Some(Err(e)) => return Err(e.to_string()),
                Some(Ok(Message::Text(text))) => protocol.read(text.as_str(), &mut events),
                Some(Ok(Message::Binary(bytes))) => protocol.read(&String::from_utf8_lossy(&bytes), &mut events),
                Some(Ok(Message::Close(frame))) => {
                    return Err(frame.map_or("the server closed the stream".into(), |f| format!("closed: {}", f.reason)));
                }
                Some(Ok(_)) => continue, // pings are answered by tungstenite
            }
        }
        for event in events.drain(..) {
            let priced = matches!(event, StreamEvent::Tick { .. });
            if priced && *failures > 0 && connected.elapsed() >= config.healthy_after {
                *failures = 0;
            }
            if tx.send(event).await.is_err() {
                return Ok(());
            }
        }
    }
}
