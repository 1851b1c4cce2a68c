//! Which symbols the stream prices right now, so their polling can slow down:
//! the socket is live and the symbol ticked within the last minute. Any other
//! symbol (a quiet one, or all of them while the socket is down) is polled at
//! its interval.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::model::StreamEvent;

/// How recent a tick must be for the stream to count as pricing its symbol.
pub const FRESH: Duration = Duration::from_secs(60);
/// The polling interval of a covered symbol, at the least: polls still bring the
/// previous close, the series and the chart.
pub const SLOW_POLL: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Cover {
    live: AtomicBool,
    last_tick: Mutex<HashMap<String, Instant>>,
}

impl Cover {
    fn last(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.last_tick
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Nothing covered: the stream is down, or a new one starts.
    pub fn reset(&self) {
        self.live.store(false, Ordering::Relaxed);
        self.last().clear();
    }

    pub fn note(&self, event: &StreamEvent) {
        match event {
            StreamEvent::Live(_) => self.live.store(true, Ordering::Relaxed),
            StreamEvent::Down(..) => self.reset(),
            StreamEvent::Tick { symbol, .. } => {
                self.last().insert(symbol.clone(), Instant::now());
            }
            // The next stream is connecting: what was covered stays so until it is down too.
            StreamEvent::Garbage(_) | StreamEvent::Handover { .. } => {}
        }
    }

    pub fn covers(&self, symbol: &str) -> bool {
        self.live.load(Ordering::Relaxed)
            && self
                .last_tick
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(symbol)
                .is_some_and(|t| t.elapsed() < FRESH)
    }

    /// The wait before polling `symbol` again, given its configured interval.
    pub fn pace(&self, symbol: &str, interval: Duration) -> Duration {
        if self.covers(symbol) {
            interval.max(SLOW_POLL)
        } else {
            interval
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick(s: &str) -> StreamEvent {
        StreamEvent::Tick {
            symbol: s.into(),
            ticker: Default::default(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_symbol_is_covered_while_it_ticks_on_a_live_socket() {
        let c = Cover::default();
        let every = Duration::from_secs(30);
        c.note(&tick("NVDA"));
        assert!(!c.covers("NVDA"), "not live yet");
        c.note(&StreamEvent::Live(crate::config::Socket::Yahoo));
        c.note(&tick("NVDA"));
        assert_eq!(c.pace("NVDA", every), SLOW_POLL);
        assert_eq!(c.pace("AAPL", every), every, "never ticked: polled as usual");
        tokio::time::advance(FRESH).await;
        assert_eq!(
            c.pace("NVDA", every),
            every,
            "quiet for a minute: polling takes over"
        );
        c.note(&tick("NVDA"));
        c.note(&StreamEvent::Down(crate::config::Socket::Yahoo, "reset".into()));
        assert_eq!(
            c.pace("NVDA", every),
            every,
            "the socket is down: polling covers all"
        );
    }
}
