//! The stream client against a websocket server on 127.0.0.1: it subscribes and
//! subscribes again, merges partial frames, skips garbage without dropping the
//! connection, reconnects after the server drops it, and gives up on a server
//! that never answers the handshake, to try again.

mod common;

use std::time::Duration;

use common::ws::{Script, next, nvda, quick, serve};
use tickwire::source::stream::client::{StreamConfig, StreamEvent, run};
use tokio::sync::mpsc;

fn config(url: &str) -> StreamConfig {
    quick(url, &["NVDA", "^NDX"])
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
    assert_eq!(
        next(&mut rx).await,
        StreamEvent::Live(tickwire::model::Socket::Yahoo)
    );
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
    assert_eq!(
        next(&mut rx).await,
        StreamEvent::Live(tickwire::model::Socket::Yahoo)
    );
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
    assert_eq!(
        next(&mut rx).await,
        StreamEvent::Live(tickwire::model::Socket::Yahoo)
    );
    assert!(matches!(next(&mut rx).await, StreamEvent::Tick { .. }));
    assert!(matches!(next(&mut rx).await, StreamEvent::Down(..)));
    assert_eq!(
        next(&mut rx).await,
        StreamEvent::Live(tickwire::model::Socket::Yahoo),
        "back after a short wait"
    );
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
    let StreamEvent::Down(_, why) = next(&mut rx).await else {
        panic!("down")
    };
    assert!(why.contains("no answer"), "{why}");
    assert!(
        matches!(next(&mut rx).await, StreamEvent::Down(..)),
        "and again, after a wait"
    );
    assert!(server.received.lock().unwrap().len() >= 2);
    client.abort();
}

#[tokio::test]
async fn a_server_that_accepts_and_closes_gets_ever_longer_waits() {
    // Every connection is accepted, then closed without a price: the handshake
    // alone once reset the backoff, and the client came back every 50 ms.
    let server = serve(vec![Script::SendAndClose(vec![])]).await;
    let (tx, mut rx) = mpsc::channel(64);
    let mut c = config(&server.url);
    c.max_backoff = Duration::from_secs(10);
    let client = tokio::spawn(run(c, tx));
    let until = tokio::time::Instant::now() + Duration::from_secs(2);
    while tokio::time::timeout_at(until, rx.recv()).await.is_ok() {}
    client.abort();
    let connections = server.received.lock().unwrap().len();
    // 50, 100, 200, 400, 800 ms...: 6 connections at most in 2 s; reset each
    // time, 30 or more.
    assert!((2..=8).contains(&connections), "{connections} connections in 2 s");
}
