//! A websocket server on 127.0.0.1 that plays Yahoo's stream from a script.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use prost::Message as _;
use tickwire::source::stream::decode::PricingData;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// What a test server does with each connection, in order of connection.
#[derive(Clone)]
pub enum Script {
    /// Reads subscriptions and sends these text frames, then stays open.
    Send(Vec<String>),
    /// Sends these frames and closes.
    SendAndClose(Vec<String>),
    /// Accepts the TCP connection and never answers the handshake.
    Silent,
    /// Sends this frame every `every`, for `for_` in all, then closes.
    Repeat {
        frame: String,
        every: Duration,
        for_: Duration,
    },
}

pub struct WsServer {
    pub url: String,
    /// Every text frame received, per connection.
    pub received: Arc<Mutex<Vec<Vec<String>>>>,
}

pub async fn serve(scripts: Vec<Script>) -> WsServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/?version=2", listener.local_addr().unwrap());
    let received: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
    let log = Arc::clone(&received);
    tokio::spawn(async move {
        for (n, script) in scripts.into_iter().cycle().enumerate() {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            log.lock().unwrap().push(Vec::new());
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let (frames, close) = match script {
                    Script::Silent => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        drop(tcp);
                        return;
                    }
                    Script::Send(f) => (f, false),
                    Script::SendAndClose(f) => (f, true),
                    Script::Repeat { frame, every, for_ } => {
                        let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                            return;
                        };
                        let end = tokio::time::Instant::now() + for_;
                        while tokio::time::Instant::now() < end {
                            if ws.send(Message::text(frame.clone())).await.is_err() {
                                return;
                            }
                            tokio::time::sleep(every).await;
                        }
                        let _ = ws.close(None).await;
                        return;
                    }
                };
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                    return;
                };
                for f in frames {
                    let _ = ws.send(Message::text(f)).await;
                }
                if close {
                    let _ = ws.close(None).await;
                    return;
                }
                while let Some(Ok(msg)) = ws.next().await {
                    if let Message::Text(t) = msg {
                        log.lock().unwrap()[n].push(t.to_string());
                    }
                }
            });
        }
    });
    WsServer { url, received }
}

pub fn frame(d: PricingData) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(d.encode_to_vec());
    serde_json::json!({"type": "pricing", "message": b64}).to_string()
}

pub fn nvda(price: f32, previous_close: Option<f32>) -> String {
    frame(PricingData {
        id: "NVDA".into(),
        price: Some(price),
        previous_close,
        market_hours: Some(0),
        time: Some(1_737_972_660_000),
        ..Default::default()
    })
}
