//! The loop every source task runs: a round at the interval while it works,
//! backoff while it fails, a round at once on refresh, until the app is gone.

use std::future::Future;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::backoff::Backoff;
use super::error::FetchError;
use super::{Delivery, Output};

/// What one round of a source produced: nothing, when it had nothing to do
/// (the halt feed while the market is closed).
pub struct Round {
    pub output: Option<Output>,
    pub ok: bool,
    pub retry_after: Option<Duration>,
    /// The round failed only because its hosts could not be reached.
    pub unreachable: bool,
}

impl Round {
    /// The round of one request that ended in `error` (none: it worked); its
    /// output is set by the caller.
    pub fn after(error: Option<&FetchError>) -> Self {
        Self {
            output: None,
            ok: error.is_none(),
            retry_after: error.and_then(FetchError::retry_after),
            unreachable: error.is_some_and(FetchError::is_unreachable),
        }
    }
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
/// `source` (the id of the running source it belongs to), so the loop can drop
/// results of a source a reconfiguration stopped.
pub async fn run(
    job: impl Job,
    interval: Duration,
    tx: mpsc::Sender<Delivery>,
    refresh: watch::Receiver<u64>,
    source: u64,
) {
    run_repaced(job, interval, tx, refresh, None, source).await;
}

/// [`run`], with `repace` saying when [`Job::pace`] may have shortened: the
/// price stream went down, so the symbols it slowed are due at their own
/// interval after their last poll. Each keeps its own time: they hand over
/// spread as they were, not all at once.
pub async fn run_repaced(
    mut job: impl Job,
    interval: Duration,
    tx: mpsc::Sender<Delivery>,
    mut refresh: watch::Receiver<u64>,
    mut repace: Option<watch::Receiver<u64>>,
    source: u64,
) {
    let mut backoff = Backoff::new(interval);
    job.turn().await;
    loop {
        let round = job.round().await;
        let polled = Instant::now();
        // The usual wait's jitter, kept: a repaced wait is spread the same way.
        let spread = super::backoff::spread(fastrand::f64());
        let (wait, not_before) = if round.ok {
            backoff.succeeded(0.0); // only its failure count: the wait is the job's pace
            (job.pace(interval).mul_f64(spread), polled)
        } else {
            let asked = round.retry_after.unwrap_or_default();
            (
                backoff.failed(fastrand::f64(), round.retry_after, round.unreachable),
                super::error::instant_after(asked),
            )
        };
        if let Some(output) = round.output
            && tx.send(Delivery { source, output }).await.is_err()
        {
            return;
        }
        let mut due = polled + wait;
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(due) => break,
                changed = refresh.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    // `r` asks for now, but a server that said Retry-After gets its wait.
                    tokio::time::sleep_until(not_before).await;
                    job.turn().await;
                    break;
                }
                Ok(()) = changed(&mut repace) => {
                    if round.ok {
                        due = due.min(polled + job.pace(interval).mul_f64(spread));
                    }
                }
            }
        }
    }
}

/// The next change of an optional watch; never, without one (or once it closed).
async fn changed(rx: &mut Option<watch::Receiver<u64>>) -> Result<(), watch::error::RecvError> {
    match rx {
        Some(r) => match r.changed().await {
            Ok(()) => Ok(()),
            Err(e) => {
                *rx = None;
                Err(e)
            }
        },
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    struct Failing {
        rounds: Arc<AtomicU32>,
        unreachable: bool,
    }

    impl Job for Failing {
        async fn round(&mut self) -> Round {
            self.rounds.fetch_add(1, Ordering::Relaxed);
            Round {
                output: None,
                ok: false,
                retry_after: None,
                unreachable: self.unreachable,
            }
        }
    }

    /// Rounds of a job that fails for ten minutes with a 5 s interval.
    async fn rounds_in_ten_minutes(unreachable: bool) -> u32 {
        let rounds = Arc::new(AtomicU32::new(0));
        let job = Failing {
            rounds: Arc::clone(&rounds),
            unreachable,
        };
        let (tx, _rx) = mpsc::channel(1);
        let (_refresh, refresh_rx) = watch::channel(0);
        let task = tokio::spawn(run(job, Duration::from_secs(5), tx, refresh_rx, 1));
        tokio::time::sleep(Duration::from_secs(600)).await;
        task.abort();
        rounds.load(Ordering::Relaxed)
    }

    #[tokio::test(start_paused = true)]
    async fn offline_the_waits_stop_growing_at_the_unreachable_window() {
        // 5, 10, 20, then about every 30 s (each ±20%): 19 rounds at the longest
        // waits, 27 at the shortest, so the rows come back within about half a
        // minute of the network.
        let offline = rounds_in_ten_minutes(true).await;
        assert!((19..=27).contains(&offline), "{offline} rounds offline");
        // A server that fails is backed off to its cap: 5, 10, 20, ... 320 s.
        let failing = rounds_in_ten_minutes(false).await;
        assert!(
            (6..=8).contains(&failing),
            "{failing} rounds against a failing server"
        );
    }
}
