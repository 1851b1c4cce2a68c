//! The in-process HTTP server of the demo, on 127.0.0.1 only. One request per
//! connection: enough for the app's own client, and nothing else can reach it.
//! A websocket upgrade on the same port is the replay's price stream.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{Replay, serve};

/// Binds 127.0.0.1 on a free port and serves until the runtime ends.
pub async fn start(replay: Arc<Replay>) -> std::io::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let replay = Arc::clone(&replay);
            tokio::spawn(async move {
                if super::stream::is_upgrade(&stream).await {
                    return super::stream::serve(stream, replay).await;
                }
                if let Err(e) = handle(stream, &replay).await {
                    tracing::debug!(%e, "demo server connection");
                }
            });
        }
    });
    Ok(port)
}

async fn handle(mut stream: TcpStream, replay: &Replay) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let (status, kind, body) = route(path, replay);
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

fn route(path: &str, replay: &Replay) -> (&'static str, &'static str, String) {
    let t = replay.clock.now();
    const JSON: &str = "application/json";
    if let Some(encoded) = path.strip_prefix("/yahoo/v8/finance/chart/") {
        let symbol = encoded.replace("%5E", "^").replace("%5e", "^");
        if let Some(script) = &replay.recorded {
            return match script.quote_at(&symbol, t) {
                Some(q) => ("200 OK", JSON, super::recorded::chart_json(&q)),
                None => ("404 Not Found", JSON, serve::not_found_json()),
            };
        }
        return match serve::chart_json(&replay.day, &symbol, t) {
            Some(body) => ("200 OK", JSON, body),
            None => ("404 Not Found", JSON, serve::not_found_json()),
        };
    }
    if replay.recorded.is_some() && path != "/feeds/wire.xml" {
        return ("404 Not Found", "text/plain", "not in the recording".into());
    }
    match path {
        "/feeds/wire.xml" => (
            "200 OK",
            "application/rss+xml",
            serve::wire_rss(&replay.stories, t),
        ),
        "/feeds/markets.atom" => (
            "200 OK",
            "application/atom+xml",
            serve::markets_atom(&replay.stories, t),
        ),
        "/feeds/brief.json" => (
            "200 OK",
            "application/feed+json",
            serve::brief_json(&replay.stories, t),
        ),
        "/nasdaq/api/quote/list-type/nasdaq100" => ("200 OK", JSON, serve::nasdaq100_json(&replay.day, t)),
        "/nasdaqtrader/rss.aspx" => ("200 OK", "application/rss+xml", serve::halts_rss(&replay.day, t)),
        _ => ("404 Not Found", "text/plain", "not found".into()),
    }
}
