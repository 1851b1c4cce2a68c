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
    /// The path and query of each handshake.
    pub targets: Arc<Mutex<Vec<String>>>,
}

/// The handshake, noting what it asked for.
async fn accept(
    tcp: tokio::net::TcpStream,
    targets: &Arc<Mutex<Vec<String>>>,
) -> Option<tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>> {
    use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
    let t = Arc::clone(targets);
    // The callback's type is tungstenite's: its error is the HTTP response it would send.
    #[allow(clippy::result_large_err)]
    let note = move |req: &Request, resp: Response| {
        t.lock().unwrap().push(req.uri().to_string());
        Ok(resp)
    };
    tokio_tungstenite::accept_hdr_async(tcp, note).await.ok()
}

pub async fn serve(scripts: Vec<Script>) -> WsServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/?version=2", listener.local_addr().unwrap());
    let received: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
    let log = Arc::clone(&received);
    let targets: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&targets);
    tokio::spawn(async move {
        for (n, script) in scripts.into_iter().cycle().enumerate() {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            log.lock().unwrap().push(Vec::new());
            let log = Arc::clone(&log);
            let seen = Arc::clone(&seen);
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
                        let Some(mut ws) = accept(tcp, &seen).await else {
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
                let Some(mut ws) = accept(tcp, &seen).await else {
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
    WsServer {
        url,
        received,
        targets,
    }
}

/// A stream client's settings at test speed: resubscribing every 200 ms,
/// giving up a handshake after 500 ms, reconnecting after 50 to 200 ms.
pub fn quick(url: &str, symbols: &[&str]) -> tickwire::source::stream::client::StreamConfig {
    let symbols = symbols.iter().map(|s| s.to_string()).collect();
    let mut c = tickwire::source::stream::client::StreamConfig::new(url, symbols);
    c.resubscribe = Duration::from_millis(200);
    c.connect_timeout = Duration::from_millis(500);
    c.backoff = Duration::from_millis(50);
    c.max_backoff = Duration::from_millis(200);
    c
}

/// The next thing a stream client says (within 10 s).
pub async fn next(
    rx: &mut tokio::sync::mpsc::Receiver<tickwire::model::StreamEvent>,
) -> tickwire::model::StreamEvent {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("the client said something")
        .expect("the client is running")
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
