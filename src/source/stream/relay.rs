//! The stock streams in order: the first while it is up; when it drops, the
//! next is connected at once and serves until the first is back. Polling takes
//! over (the cover clears) only when the next one is down too.

use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

use super::client::{self, StreamConfig};
use crate::model::StreamEvent;

/// Aborts its task when dropped: the relay's clients end with it.
struct Owned(AbortHandle);

impl Drop for Owned {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn start(
    config: StreamConfig,
    symbols: watch::Receiver<Vec<String>>,
) -> (Owned, mpsc::Receiver<StreamEvent>) {
    let (tx, rx) = mpsc::channel(256);
    let handle = tokio::spawn(client::run_watched(config, symbols, tx)).abort_handle();
    (Owned(handle), rx)
}

/// Runs until the receiver is gone.
pub async fn run(
    mut order: Vec<StreamConfig>,
    symbols: watch::Receiver<Vec<String>>,
    tx: mpsc::Sender<StreamEvent>,
) {
    if order.len() < 2 {
        if let Some(only) = order.pop() {
            client::run_watched(only, symbols, tx).await;
        }
        return;
    }
    let next = order.swap_remove(1);
    let first = order.swap_remove(0);
    let (_first, mut from_first) = start(first, symbols.clone());
    let mut backup: Option<(Owned, mpsc::Receiver<StreamEvent>)> = None;
    loop {
        let event = tokio::select! {
            e = from_first.recv() => match e {
                None => return,
                Some(StreamEvent::Live(s)) => {
                    backup = None; // back to the first: the next one is closed
                    StreamEvent::Live(s)
                }
                Some(StreamEvent::Down(from, why)) => {
                    if backup.is_some() {
                        continue; // the next one serves (or is trying): the first's retries are not news
                    }
                    backup = Some(start(next.clone(), symbols.clone()));
                    StreamEvent::Handover { from, to: next.socket, why }
                }
                Some(other) => other,
            },
            Some(e) = recv(&mut backup) => e,
        };
        if tx.send(event).await.is_err() {
            return;
        }
    }
}

async fn recv(backup: &mut Option<(Owned, mpsc::Receiver<StreamEvent>)>) -> Option<StreamEvent> {
    match backup {
        Some((_, rx)) => rx.recv().await,
        None => std::future::pending().await,
    }
}
