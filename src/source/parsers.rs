//! Feed parsing on threads of its own, as many as the machine has cores (two at least).
//!
//! Tokio's blocking pool starts a thread for each job that finds none free: a
//! cold `once` of 200 feeds on 2 cores started 6 to 19 of them, each with its
//! own heap arena, to run what two cores can run at once. Capping that pool is
//! no answer, as the system resolver's lookups wait in it too (a slow DNS would
//! then hold up parsing, and parsing the lookups). With two threads here the
//! same run took 59.5 ms instead of 62.7 (21 runs a side, 2 cores).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, OnceLock, mpsc};

type Job = Box<dyn FnOnce() + Send>;

/// The queue the threads take jobs from, in order.
struct Pool {
    jobs: mpsc::Sender<Job>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads() {
            let rx = Arc::clone(&rx);
            let started = std::thread::Builder::new()
                .name(format!("tickwire-parse-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = started {
                tracing::warn!(error = %e, "a parse thread could not start");
            }
        }
        Pool { jobs: tx }
    })
}

/// As many as the cores, and two at least: a huge feed on a one-core machine
/// then holds up only half the parsing.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

/// Runs `work` on a parse thread and waits for it without holding the runtime.
/// `None` if it panicked, or if no parse thread could be started.
pub async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        // A parser's panic is this feed's failure, not the thread's end.
        let _ = tx.send(catch_unwind(AssertUnwindSafe(work)).ok());
    });
    pool().jobs.send(job).ok()?;
    rx.await.ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_and_a_panic_fails_only_its_own() {
        let panicked = run(|| -> u32 { panic!("a parser bug") }).await;
        assert_eq!(panicked, None);
        let answers = futures_util::future::join_all((0..64u32).map(|i| run(move || i * 2))).await;
        assert_eq!(answers, (0..64u32).map(|i| Some(i * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn the_threads_are_as_many_as_the_cores() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let names: std::collections::BTreeSet<String> = rt
            .block_on(futures_util::future::join_all((0..200).map(|_| {
                run(|| {
                    // Long enough that the jobs overlap and every thread takes some.
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    std::thread::current().name().unwrap_or_default().to_string()
                })
            })))
            .into_iter()
            .flatten()
            .collect();
        assert!(names.len() <= threads(), "{names:?}");
        assert!(
            names.iter().all(|n| n.starts_with("tickwire-parse-")),
            "{names:?}"
        );
    }
}
