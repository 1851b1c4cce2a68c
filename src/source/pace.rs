//! Turns taken one at a time, a step apart: a symbol's own sources start (and
//! answer a refresh) spread out, never all in one second. Each turn is measured
//! from when the previous one was really taken, so a stalled process that wakes
//! late still lets them go one by one, not in a burst.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

pub struct Pacer {
    step: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    pub fn new(step: Duration) -> Self {
        Self {
            step,
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this caller's turn.
    pub async fn turn(&self) {
        loop {
            let wait = {
                let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                if *next <= now {
                    *next = now + self.step;
                    return;
                }
                *next - now
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test(start_paused = true)]
    async fn turns_are_a_step_apart_even_after_a_stall() {
        let pacer = Arc::new(Pacer::new(Duration::from_millis(250)));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let p = Arc::clone(&pacer);
            tasks.push(tokio::spawn(async move {
                p.turn().await;
                Instant::now()
            }));
        }
        let mut at: Vec<Duration> = Vec::new();
        for t in tasks {
            at.push(t.await.unwrap() - start);
        }
        at.sort();
        assert_eq!(at, [0, 250, 500, 750].map(Duration::from_millis));
        // Nobody asked for a while: the next turn is at once, the one after a step later.
        tokio::time::advance(Duration::from_secs(5)).await;
        let t0 = Instant::now();
        pacer.turn().await;
        pacer.turn().await;
        assert_eq!(Instant::now() - t0, Duration::from_millis(250));
    }
}
