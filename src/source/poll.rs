//! The loop every source task runs: a round at the interval while it works,
//! backoff while it fails, a round at once on refresh, until the app is gone.

use std::future::Future;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::backoff::Backoff;
use crate::event::Event;

/// What one round of a source produced.
pub struct Round {
    pub event: Event,
    pub ok: bool,
    pub retry_after: Option<Duration>,
}

/// One source: a symbol's quote, a feed.
pub trait Job: Send {
    fn round(&mut self) -> impl Future<Output = Round> + Send;
}

pub async fn run(
    mut job: impl Job,
    interval: Duration,
    tx: mpsc::Sender<Event>,
    mut refresh: watch::Receiver<u64>,
) {
    let mut backoff = Backoff::new(interval);
    loop {
        let round = job.round().await;
        let wait = if round.ok {
            backoff.succeeded(fastrand::f64())
        } else {
            backoff.failed(fastrand::f64(), round.retry_after)
        };
        if tx.send(round.event).await.is_err() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            changed = refresh.changed() => if changed.is_err() { return },
        }
    }
}
