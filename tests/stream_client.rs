//! The stream client against a websocket server on 127.0.0.1: it subscribes and
//! subscribes again, merges partial frames, skips garbage without dropping the
//! connection, reconnects after the server drops it, and gives up on a server
//! that never answers the handshake, to try again.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use prost::Message as _;
use tickwire::source::stream::client::{StreamConfig, StreamEvent, run};
use tickwire::source::stream::decode::PricingData;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// What a test server does with each connection, in order of connection.
#[derive(Clone)]
enum Script {
    /// Reads subscriptions and sends these text frames, then stays open.
    Send(Vec<String>),
    /// Sends these frames and closes.
    SendAndClose(Vec<String>),
    /// Accepts the TCP connection and never answers the handshake.
    Silent,
}

struct WsServer {
    url: String,
    /// Every text frame received, per connection.
    received: Arc<Mutex<Vec<Vec<String>>>>,
}

async fn serve(scripts: Vec<Script>) -> WsServer {
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

fn frame(d: PricingData) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(d.encode_to_vec());
    serde_json::json!({"type": "pricing", "message": b64}).to_string()
}

fn nvda(price: f32, previous_close: Option<f32>) -> String {
    frame(PricingData {
        id: "NVDA".into(),
        price: Some(price),
        previous_close,
        market_hours: Some(0),
        time: Some(1_737_972_660_000),
        ..Default::default()
    })
}

fn config(url: &str) -> StreamConfig {
    let mut c = StreamConfig::new(url, vec!["NVDA".into(), "^NDX".into()]);
    c.resubscribe = Duration::from_millis(200);
    c.connect_timeout = Duration::from_millis(500);
    c.backoff = Duration::from_millis(50);
    c.max_backoff = Duration::from_millis(200);
    c
}

async fn next(rx: &mut mpsc::Receiver<StreamEvent>) -> StreamEvent {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("the client said something")
        .expect("the client is running")
}

#[tokio::test]
async fn subscribes_again_and_merges_partial_frames() {
    let server = serve(vec![Script::Send(vec![
        nvda(128.59, Some(142.62)),
        nvda(127.9, None),
    ])])
    .await;
    let (tx, mut rx) = mpsc::channel(64);
    let client = tokio::spawn(run(config(&server.url), tx));
    assert_eq!(next(&mut rx).await, StreamEvent::Live);
    let StreamEvent::Tick { symbol, ticker } = next(&mut rx).await else {
        panic!("a tick")
    };
    assert_eq!(symbol, "NVDA");
    assert!((ticker.price.unwrap() - 128.59).abs() < 1e-4);
    let StreamEvent::Tick { ticker, .. } = next(&mut rx).await else {
        panic!("a tick")
    };
    assert!((ticker.price.unwrap() - 127.9).abs() < 1e-4);
    assert!(
        (ticker.previous_close.unwrap() - 142.62).abs() < 1e-4,
        "kept from the first frame"
    );
    // Resubscribed every 200 ms: wait for the third subscription.
    tokio::time::timeout(Duration::from_secs(10), async {
        while server.received.lock().unwrap()[0].len() < 3 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("three subscriptions");
    let subs = server.received.lock().unwrap()[0].clone();
    assert!(
        subs.iter().all(|s| s == r#"{"subscribe":["NVDA","^NDX"]}"#),
        "{subs:?}"
    );
    client.abort();
}

#[tokio::test]
async fn garbage_costs_one_frame_not_the_connection() {
    let frames = vec![
        "not json".to_string(),
        r#"{"type":"pricing","message":"@@@"}"#.to_string(),
        r#"{"type":"pricing","message":"CgpOVg=="}"#.to_string(),
        nvda(128.59, Some(142.62)),
    ];
    let server = serve(vec![Script::Send(frames)]).await;
    let (tx, mut rx) = mpsc::channel(64);
    let client = tokio::spawn(run(config(&server.url), tx));
    assert_eq!(next(&mut rx).await, StreamEvent::Live);
    for _ in 0..3 {
        assert!(matches!(next(&mut rx).await, StreamEvent::Garbage(_)));
    }
    assert!(
        matches!(next(&mut rx).await, StreamEvent::Tick { .. }),
        "still connected"
    );
    assert_eq!(server.received.lock().unwrap().len(), 1, "one connection");
    client.abort();
}

#[tokio::test]
async fn reconnects_and_subscribes_again_after_the_server_drops() {
    let server = serve(vec![
        Script::SendAndClose(vec![nvda(128.59, Some(142.62))]),
        Script::Send(vec![]),
    ])
    .await;
    let (tx, mut rx) = mpsc::channel(64);
    let client = tokio::spawn(run(config(&server.url), tx));
    assert_eq!(next(&mut rx).await, StreamEvent::Live);
    assert!(matches!(next(&mut rx).await, StreamEvent::Tick { .. }));
    assert!(matches!(next(&mut rx).await, StreamEvent::Down(_)));
    assert_eq!(next(&mut rx).await, StreamEvent::Live, "back after a short wait");
    tokio::time::timeout(Duration::from_secs(10), async {
        while server.received.lock().unwrap().get(1).is_none_or(Vec::is_empty) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("subscribed on the new connection");
    client.abort();
}

#[tokio::test]
async fn a_server_that_never_answers_is_down_and_tried_again() {
    let server = serve(vec![Script::Silent]).await;
    let (tx, mut rx) = mpsc::channel(64);
    let client = tokio::spawn(run(config(&server.url), tx));
    let StreamEvent::Down(why) = next(&mut rx).await else {
        panic!("down")
    };
    assert!(why.contains("no answer"), "{why}");
    assert!(
        matches!(next(&mut rx).await, StreamEvent::Down(_)),
        "and again, after a wait"
    );
    assert!(server.received.lock().unwrap().len() >= 2);
    client.abort();
}
