//! Coinbase Exchange's public stream: `{"type":"subscribe","product_ids":[...],
//! "channels":["ticker"]}`, tickers with every figure as a string. The market
//! never closes: the base of the day's move is the price 24 hours earlier.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::Protocol;
use crate::model::{StreamEvent, Ticker};

#[derive(Default)]
pub struct Coinbase;

#[derive(Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: Option<String>,
    product_id: Option<String>,
    price: Option<String>,
    open_24h: Option<String>,
    volume_24h: Option<String>,
    low_24h: Option<String>,
    high_24h: Option<String>,
    time: Option<String>,
    message: Option<String>,
    reason: Option<String>,
}

fn channel(kind: &str, symbols: &[String]) -> String {
    serde_json::json!({ "type": kind, "product_ids": symbols, "channels": ["ticker"] }).to_string()
}

/// A price written as a string: positive and finite, or nothing.
pub fn amount(s: Option<&str>) -> Option<f64> {
    s?.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// A volume written as a string: finite and not negative, to the whole unit.
pub fn quantity(s: Option<&str>) -> Option<u64> {
    s?.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v.round() as u64)
}

impl Protocol for Coinbase {
    fn subscribe(&mut self, symbols: &[String]) -> Vec<String> {
        vec![channel("subscribe", symbols)]
    }

    fn unsubscribe(&mut self, symbols: &[String]) -> Vec<String> {
        vec![channel("unsubscribe", symbols)]
    }

    fn read(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        let m: Message = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                out.push(StreamEvent::Garbage(format!("coinbase: not a JSON message: {e}")));
                return;
            }
        };
        match m.kind.as_deref() {
            Some("ticker") => {}
            Some("error") => {
                let said = [m.message.as_deref(), m.reason.as_deref()];
                let text: Vec<&str> = said.into_iter().flatten().collect();
                let msg = crate::clean::line(&text.join(": "), 200);
                tracing::warn!(error = %msg, "coinbase stream error");
                out.push(StreamEvent::Garbage(format!("coinbase: {msg}")));
                return;
            }
            _ => return, // subscriptions, heartbeat
        }
        let time = m
            .time
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        let (Some(symbol), Some(price), Some(time)) = (m.product_id, amount(m.price.as_deref()), time) else {
            out.push(StreamEvent::Garbage(
                "coinbase: a ticker without product, price or time".into(),
            ));
            return;
        };
        out.push(StreamEvent::Tick {
            symbol,
            ticker: Ticker {
                price: Some(price),
                time: Some(time),
                // Always the regular session: there is no other.
                market_hours: Some(1),
                previous_close: amount(m.open_24h.as_deref()),
                day_high: amount(m.high_24h.as_deref()),
                day_low: amount(m.low_24h.as_deref()),
                day_volume: quantity(m.volume_24h.as_deref()),
                ..Ticker::default()
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticker_is_read_from_its_strings() {
        let mut c = Coinbase;
        let text = r#"{"type":"ticker","sequence":1,"product_id":"BTC-USD","price":"98012.34",
            "open_24h":"102140.00","volume_24h":"18234.5","low_24h":"97777.1","high_24h":"102500",
            "side":"sell","time":"2025-01-27T14:31:02.123456Z","trade_id":9,"last_size":"0.01"}"#;
        let mut out = Vec::new();
        c.read(text, &mut out);
        let [StreamEvent::Tick { symbol, ticker }] = &out[..] else {
            panic!("{out:?}")
        };
        assert_eq!(symbol, "BTC-USD");
        assert_eq!(ticker.price, Some(98012.34));
        assert_eq!(ticker.previous_close, Some(102140.0), "the 24 h open");
        assert_eq!(ticker.session(), None);
        assert_eq!(
            ticker.time.unwrap().to_rfc3339(),
            "2025-01-27T14:31:02.123456+00:00"
        );
        assert_eq!(ticker.day_volume, Some(18235));
    }

    #[test]
    fn other_messages_and_garbage() {
        let mut c = Coinbase;
        let mut out = Vec::new();
        c.read(r#"{"type":"subscriptions","channels":[]}"#, &mut out);
        c.read(r#"{"type":"heartbeat"}"#, &mut out);
        assert!(out.is_empty());
        c.read(
            r#"{"type":"error","message":"Failed to subscribe","reason":"XYZ-USD is not a valid product"}"#,
            &mut out,
        );
        c.read(
            r#"{"type":"ticker","product_id":"BTC-USD","price":"NaN","time":"x"}"#,
            &mut out,
        );
        c.read("[1,2", &mut out);
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[0],
            StreamEvent::Garbage("coinbase: Failed to subscribe: XYZ-USD is not a valid product".into())
        );
        assert_eq!(
            c.subscribe(&["BTC-USD".into()]),
            [r#"{"channels":["ticker"],"product_ids":["BTC-USD"],"type":"subscribe"}"#]
        );
    }
}
