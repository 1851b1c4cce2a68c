//! The replay's price stream, on the demo server's port: what Yahoo's websocket
//! would send on 27 January 2025, so `--demo` ticks between polls as live does.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use prost::Message as _;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use super::Replay;
use crate::source::stream::decode::PricingData;

/// How often the replay looks for new prices to send (wall time).
const EVERY: Duration = Duration::from_millis(250);

/// Whether a connection asks for a websocket (the request is peeked, not read).
pub async fn is_upgrade(stream: &TcpStream) -> bool {
    let mut head = [0u8; 2048];
    let n = stream.peek(&mut head).await.unwrap_or(0);
    String::from_utf8_lossy(&head[..n])
        .to_ascii_lowercase()
        .contains("upgrade: websocket")
}

/// Serves one stream connection until it closes.
pub async fn serve(stream: TcpStream, replay: Arc<Replay>) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut out, mut inbound) = ws.split();
    let mut wanted: HashSet<String> = HashSet::new();
    let mut sent: HashMap<String, f64> = HashMap::new();
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            msg = inbound.next() => match msg {
                Some(Ok(Message::Text(text))) => wanted.extend(subscribed(text.as_str())),
                Some(Ok(_)) => {}
                _ => return,
            },
            _ = tick.tick() => {
                for frame in frames(&replay, &wanted, &mut sent) {
                    if out.send(Message::text(frame)).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// The symbols of a `{"subscribe": [...]}` message.
fn subscribed(text: &str) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("subscribe")?.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| s.as_str().map(String::from))
        .collect()
}

/// A frame for each wanted symbol whose price moved since the last one: trades in
/// the pre-market (for symbols the replay has one for) and in the session; none
/// after the close, where the replay holds its prices.
fn frames(replay: &Replay, wanted: &HashSet<String>, sent: &mut HashMap<String, f64>) -> Vec<String> {
    let now = replay.clock.now();
    let t = now.timestamp();
    let (open, close) = (replay.day.open.timestamp(), replay.day.close.timestamp());
    let mut out = Vec::new();
    for symbol in wanted {
        let Some(s) = replay.day.symbol(symbol) else {
            continue;
        };
        // After the bell, the closing trade itself, once (`sent` holds it): the
        // last tick before it was up to one tick's worth of replay earlier, and
        // a streamed symbol is polled only once a minute, so without it the
        // screen could show a price that is not the verified close.
        let (market_hours, at) = if t >= close {
            (1, replay.day.close)
        } else if t >= open {
            (1, now)
        } else if s.first_premarket_trade().is_some_and(|f| t >= f) {
            (0, now)
        } else {
            continue;
        };
        let price = s.price_at(at.timestamp());
        if sent.get(symbol) == Some(&price) {
            continue;
        }
        sent.insert(symbol.clone(), price);
        let data = PricingData {
            id: symbol.clone(),
            price: Some(price as f32),
            time: Some(at.timestamp_millis()),
            currency: Some("USD".into()),
            market_hours: Some(market_hours),
            previous_close: Some(s.previous_close as f32),
            ..Default::default()
        };
        let b64 = base64::engine::general_purpose::STANDARD.encode(data.encode_to_vec());
        out.push(serde_json::json!({"type": "pricing", "message": b64}).to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::stream::decode;

    fn decoded(frames: &[String]) -> Vec<PricingData> {
        frames
            .iter()
            .map(|f| {
                let v: serde_json::Value = serde_json::from_str(f).unwrap();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v["message"].as_str().unwrap())
                    .unwrap();
                decode::PricingData::decode(bytes.as_slice()).unwrap()
            })
            .collect()
    }

    #[test]
    fn after_the_bell_the_closing_trade_is_sent_once() {
        let day = crate::demo::day::Day::embedded();
        let close = day.close;
        let replay = Replay::with_clock(
            day,
            super::super::Clock::fixed(close + chrono::Duration::hours(2)),
        );
        let wanted: HashSet<String> = ["NVDA".to_string()].into();
        let mut sent = HashMap::new();
        // The last tick of the session, some way before the bell.
        sent.insert("NVDA".to_string(), 118.9);
        let first = decoded(&frames(&replay, &wanted, &mut sent));
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].price, Some(118.42_f32));
        assert_eq!(first[0].time, Some(close.timestamp_millis()));
        assert_eq!(first[0].market_hours, Some(1));
        assert!(frames(&replay, &wanted, &mut sent).is_empty(), "once");
    }
}
