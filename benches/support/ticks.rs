//! What the stream benches serve: 50 symbols' chart answers (the polls that bring
//! each previous close) and Yahoo-shaped pricing frames.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use futures_util::StreamExt;
use futures_util::stream::SplitSink;
use prost::Message as _;
use tickwire::source::stream::decode::PricingData;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

pub const SYMBOLS: usize = 50;

pub fn symbols() -> Vec<String> {
    (0..SYMBOLS).map(|i| format!("S{i:03}")).collect()
}

pub fn epoch_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// One chart answer for every symbol, at 100.00 against a close of 100.00.
pub fn serve_charts() -> String {
    let now = epoch_ms() / 1000;
    let body = serde_json::json!({"chart": {"result": [{"meta": {"currency": "USD",
        "regularMarketPrice": 100.0, "previousClose": 100.0, "regularMarketTime": now - 60},
        "timestamp": [now - 60], "indicators": {"quote": [{"close": [100.0]}]}}], "error": null}})
    .to_string();
    super::http::serve(body.into_bytes(), "application/json")
}

/// A regular-session trade of `symbol` at `price`, as the stream's text frame.
pub fn frame(symbol: &str, price: f32) -> String {
    let data = PricingData {
        id: symbol.to_string(),
        price: Some(price),
        time: Some(epoch_ms()),
        market_hours: Some(1),
        ..Default::default()
    };
    let b64 = base64::engine::general_purpose::STANDARD.encode(data.encode_to_vec());
    serde_json::json!({"type": "pricing", "message": b64}).to_string()
}

/// The pace of `per_sec` ticks a second (none at 0).
pub fn pace(per_sec: u64) -> Option<Duration> {
    (per_sec > 0).then(|| Duration::from_micros(1_000_000 / per_sec))
}

/// A listener on 127.0.0.1 and its ws:// URL.
pub async fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "ws://{}/",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    (listener, url)
}

/// The websocket of a connection, to send on; what the client sends is read and dropped.
pub async fn accept(tcp: TcpStream) -> Option<SplitSink<WebSocketStream<TcpStream>, Message>> {
    let ws = tokio_tungstenite::accept_async(tcp).await.ok()?;
    let (out, mut inbound) = ws.split();
    tokio::spawn(async move { while inbound.next().await.is_some() {} });
    Some(out)
}
