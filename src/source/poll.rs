//! The loop every source task runs: a round at the interval while it works,
//! backoff while it fails, a round at once on refresh, until the app is gone.

use std::future::Future;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::backoff::Backoff;
use super::{Delivery, Output};

/// What one round of a source produced.
pub struct Round {
    pub output: Output,
    pub ok: bool,
    pub retry_after: Option<Duration>,
}

/// One source: a symbol's quote, a feed.
pub trait Job: Send {
    fn round(&mut self) -> impl Future<Output = Round> + Send;

    /// The wait after a good round, given the configured interval: a symbol the
    /// price stream covers is polled less often.
    fn pace(&self, interval: Duration) -> Duration {
        interval
    }

    /// Waits before the first round, and before the round a refresh asks for:
    /// a symbol's own sources take turns, so neither start-up nor `r` with 50
    /// symbols is 50 requests to one host at once.
    fn turn(&self) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// Runs `job` until the receiver is gone. Every output is stamped with
/// `generation`, so the loop can tell results of a replaced configuration.
pub async fn run(
    mut job: impl Job,
    interval: Duration,
    tx: mpsc::Sender<Delivery>,
    mut refresh: watch::Receiver<u64>,
    generation: u64,
) {
    let mut backoff = Backoff::new(interval);
    job.turn().await;
    loop {
        let round = job.round().await;
        let (wait, not_before) = if round.ok {
            let usual = backoff.succeeded(fastrand::f64());
            (usual.max(job.pace(interval)), Instant::now())
        } else {
            let asked = round.retry_after.unwrap_or_default();
            (
                backoff.failed(fastrand::f64(), round.retry_after),
                super::error::instant_after(asked),
            )
        };
        let delivery = Delivery {
            generation,
            output: round.output,
        };
        if tx.send(delivery).await.is_err() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            changed = refresh.changed() => {
                if changed.is_err() {
                    return;
                }
                // `r` asks for now, but a server that said Retry-After gets its wait.
                tokio::time::sleep_until(not_before).await;
                job.turn().await;
            }
        }
    }
}
