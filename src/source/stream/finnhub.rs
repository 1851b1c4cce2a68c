//! Finnhub's stream: `{"type":"subscribe","symbol":"AAPL"}` per symbol, trades
//! as `{"type":"trade","data":[{"s","p","t","v","c"}, ...]}` (several trades and
//! symbols in one message), `{"type":"ping"}`, `{"type":"error","msg":...}`.
//! A trade carries no session: the reducer reads it from the exchange calendar.

use std::collections::HashMap;

use chrono::DateTime;
use serde::Deserialize;

use super::Protocol;
use crate::model::{StreamEvent, Ticker};

#[derive(Default)]
pub struct Finnhub {
    /// Finnhub's symbol to tickwire's (BRK.B to BRK-B).
    ours: HashMap<String, String>,
}

/// How Finnhub writes a US share class: BRK.B where Yahoo writes BRK-B.
pub fn their_symbol(symbol: &str) -> String {
    match symbol.rsplit_once('-') {
        Some((base, class)) if class.len() == 1 && !base.contains('.') => format!("{base}.{class}"),
        _ => symbol.to_string(),
    }
}

#[derive(Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    data: Vec<Trade>,
    msg: Option<String>,
}

#[derive(Deserialize)]
struct Trade {
    s: Option<String>,
    p: Option<f64>,
    /// Milliseconds.
    t: Option<i64>,
}

fn message(kind: &str, symbol: &str) -> String {
    serde_json::json!({ "type": kind, "symbol": symbol }).to_string()
}

/// Whether Finnhub (its quotes and its stream) carries `symbol`: listed shares,
/// not Yahoo's indices (^NDX) or pairs (EURUSD=X), which it answers with an error.
pub fn carries(symbol: &str) -> bool {
    !symbol.starts_with('^') && !symbol.contains('=')
}

impl Protocol for Finnhub {
    fn subscribe(&mut self, symbols: &[String]) -> Vec<String> {
        symbols
            .iter()
            .filter(|s| carries(s))
            .map(|s| {
                let theirs = their_symbol(s);
                self.ours.insert(theirs.clone(), s.clone());
                message("subscribe", &theirs)
            })
            .collect()
    }

    fn unsubscribe(&mut self, symbols: &[String]) -> Vec<String> {
        symbols
            .iter()
            .filter(|s| carries(s))
            .map(|s| {
                let theirs = their_symbol(s);
                self.ours.remove(&theirs);
                message("unsubscribe", &theirs)
            })
            .collect()
    }

    fn read(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        let m: Message = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                out.push(StreamEvent::Garbage(format!("finnhub: not a JSON message: {e}")));
                return;
            }
        };
        match m.kind.as_deref() {
            Some("trade") => {}
            Some("error") => {
                let msg = crate::clean::line(m.msg.as_deref().unwrap_or("an error without a message"), 200);
                tracing::warn!(error = %msg, "finnhub stream error");
                out.push(StreamEvent::Garbage(format!("finnhub: {msg}")));
                return;
            }
            _ => return, // ping, and whatever else the server says
        }
        // The newest trade of each symbol in the message: a burst is one tick each.
        let mut newest: Vec<(String, f64, DateTime<chrono::Utc>)> = Vec::new();
        for t in m.data {
            let (Some(s), Some(p), Some(time)) = (t.s, t.p, t.t.and_then(DateTime::from_timestamp_millis))
            else {
                continue;
            };
            if !(p.is_finite() && p > 0.0) {
                continue;
            }
            let Some(ours) = self.ours.get(&s) else { continue };
            match newest.iter_mut().find(|(n, _, _)| n == ours) {
                Some(slot) if time >= slot.2 => *slot = (ours.clone(), p, time),
                Some(_) => {}
                None => newest.push((ours.clone(), p, time)),
            }
        }
        for (symbol, price, time) in newest {
            out.push(StreamEvent::Tick {
                symbol,
                ticker: Ticker {
                    price: Some(price),
                    time: Some(time),
                    ..Ticker::default()
                },
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(f: &mut Finnhub, text: &str) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        f.read(text, &mut out);
        out
    }

    #[test]
    fn several_trades_of_several_symbols_are_one_tick_per_symbol() {
        let mut f = Finnhub::default();
        let sub = f.subscribe(&["NVDA".into(), "^NDX".into(), "BRK-B".into(), "EURUSD=X".into()]);
        assert_eq!(sub.len(), 2, "no indices or pairs: {sub:?}");
        assert_eq!(sub[1], r#"{"symbol":"BRK.B","type":"subscribe"}"#);
        let text = r#"{"type":"trade","data":[
            {"s":"NVDA","p":118.5,"t":1737993600000,"v":100,"c":["1"]},
            {"s":"BRK.B","p":470.1,"t":1737993600100,"v":5,"c":null},
            {"s":"NVDA","p":118.42,"t":1737993600500,"v":20},
            {"s":"NVDA","p":118.9,"t":1737993600200,"v":20},
            {"s":"ZZZ","p":1.0,"t":1737993600200,"v":1}]}"#;
        let ticks = read(&mut f, text);
        assert_eq!(ticks.len(), 2, "{ticks:?}");
        let StreamEvent::Tick { symbol, ticker } = &ticks[0] else {
            panic!()
        };
        assert_eq!(symbol, "NVDA");
        assert_eq!(ticker.price, Some(118.42), "the newest, not the last written");
        assert_eq!(ticker.market_hours, None);
        let StreamEvent::Tick { symbol, .. } = &ticks[1] else {
            panic!()
        };
        assert_eq!(symbol, "BRK-B", "back in Yahoo's spelling");
    }

    #[test]
    fn pings_errors_and_garbage_never_panic() {
        let mut f = Finnhub::default();
        f.subscribe(&["NVDA".into()]);
        assert!(read(&mut f, r#"{"type":"ping"}"#).is_empty());
        let err = read(
            &mut f,
            r#"{"type":"error","msg":"Subscribing to too many symbols"}"#,
        );
        assert_eq!(
            err,
            [StreamEvent::Garbage(
                "finnhub: Subscribing to too many symbols".into()
            )]
        );
        assert!(matches!(read(&mut f, "{not json")[..], [StreamEvent::Garbage(_)]));
        let bad = r#"{"type":"trade","data":[{"s":"NVDA","p":-1,"t":1},{"s":"NVDA","p":"x"}]}"#;
        assert!(matches!(read(&mut f, bad)[..], [StreamEvent::Garbage(_)] | []));
        assert_eq!(
            f.unsubscribe(&["NVDA".into()]),
            [r#"{"symbol":"NVDA","type":"unsubscribe"}"#]
        );
        assert!(read(&mut f, r#"{"type":"trade","data":[{"s":"NVDA","p":1,"t":1}]}"#).is_empty());
    }
}
