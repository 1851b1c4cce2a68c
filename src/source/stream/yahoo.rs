//! Yahoo's stream: `{"subscribe": [...]}` sent again every 15 s (the server
//! forgets), protobuf frames merged into each symbol's state.

use std::collections::HashMap;

use super::{Protocol, decode};
use crate::model::{StreamEvent, Ticker};

#[derive(Default)]
pub struct Yahoo {
    tickers: HashMap<String, Ticker>,
    subscribed: Vec<String>,
}

impl Protocol for Yahoo {
    fn subscribe(&mut self, symbols: &[String]) -> Vec<String> {
        for s in symbols {
            if !self.subscribed.contains(s) {
                self.subscribed.push(s.clone());
            }
        }
        // The whole list each time: the server keeps what it heard last.
        vec![serde_json::json!({ "subscribe": self.subscribed }).to_string()]
    }

    fn unsubscribe(&mut self, symbols: &[String]) -> Vec<String> {
        self.subscribed.retain(|s| !symbols.contains(s));
        for s in symbols {
            self.tickers.remove(s);
        }
        vec![serde_json::json!({ "unsubscribe": symbols }).to_string()]
    }

    fn resubscribes(&self) -> bool {
        true
    }

    fn read(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        match decode::frame(text) {
            Ok(Some(data)) => {
                let ticker = self.tickers.entry(data.id.clone()).or_default();
                decode::merge_into(ticker, &data);
                out.push(StreamEvent::Tick {
                    symbol: data.id,
                    ticker: ticker.clone(),
                });
            }
            Ok(None) => {}
            Err(e) => {
                tracing::debug!(error = %e, "unreadable stream frame");
                out.push(StreamEvent::Garbage(e.to_string()));
            }
        }
    }
}
