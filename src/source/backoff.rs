//! When to poll next: the interval with a little jitter while things work,
//! exponential backoff with jitter (capped) while they fail.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    interval: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            cap: interval.max(Duration::from_secs(600)),
            failures: 0,
        }
    }

    /// The wait after a success. `unit` is a random number in [0, 1): the ±10%
    /// spread keeps many sources with one interval from firing in bursts.
    pub fn succeeded(&mut self, unit: f64) -> Duration {
        self.failures = 0;
        self.interval.mul_f64(spread(unit))
    }

    /// The wait after a failure: interval * 2^(n-1), capped, with ±20% jitter,
    /// and never shorter than what the server asked for with Retry-After.
    ///
    /// A failure that never reached a server (`unreachable`: offline, DNS,
    /// refused) grows only to the interval or the hosts' unreachable window,
    /// whichever is longer: the window already lets one connect per host through,
    /// and the rows should come back soon after the network does, not up to ten
    /// minutes later.
    pub fn failed(&mut self, unit: f64, retry_after: Option<Duration>, unreachable: bool) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let exp = 2f64.powi(self.failures.saturating_sub(1).min(20) as i32);
        let cap = if unreachable {
            self.interval.max(super::hosts::UNREACHABLE_FOR).min(self.cap)
        } else {
            self.cap
        };
        let raw = self.interval.mul_f64(exp).min(cap);
        let jittered = raw.mul_f64(0.8 + 0.4 * unit.clamp(0.0, 1.0)).min(self.cap);
        retry_after.map_or(jittered, |r| jittered.max(r.min(super::error::MAX_SERVER_WAIT)))
    }
}

/// The factor of a usual wait's ±10% jitter, from `unit` in [0, 1).
pub fn spread(unit: f64) -> f64 {
    0.9 + 0.2 * unit.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_and_caps() {
        let mut b = Backoff::new(Duration::from_secs(30));
        let waits: Vec<u64> = (0..8).map(|_| b.failed(0.5, None, false).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 600, 600, 600]);
        assert_eq!(b.succeeded(0.5), Duration::from_secs(30));
        assert_eq!(b.failed(0.5, None, false), Duration::from_secs(30));
    }

    #[test]
    fn jitter_stays_in_bounds() {
        let mut b = Backoff::new(Duration::from_secs(10));
        assert_eq!(b.failed(0.0, None, false), Duration::from_secs(8));
        let mut b = Backoff::new(Duration::from_secs(10));
        assert_eq!(b.failed(1.0, None, false), Duration::from_secs(12));
        assert_eq!(b.succeeded(0.0), Duration::from_secs(9));
        assert_eq!(b.succeeded(1.0), Duration::from_secs(11));
    }

    #[test]
    fn a_host_not_reached_is_tried_again_within_its_window_or_the_interval() {
        let mut b = Backoff::new(Duration::from_secs(5));
        let waits: Vec<u64> = (0..8).map(|_| b.failed(0.5, None, true).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 30, 30, 30, 30, 30]);
        assert_eq!(b.failed(1.0, None, true), Duration::from_secs(36), "still spread");
        // A longer interval is kept: an unreachable host is not asked more often.
        let mut b = Backoff::new(Duration::from_secs(300));
        let waits: Vec<u64> = (0..3).map(|_| b.failed(0.5, None, true).as_secs()).collect();
        assert_eq!(waits, [300, 300, 300]);
        // A server's own Retry-After still holds.
        let mut b = Backoff::new(Duration::from_secs(5));
        assert_eq!(
            b.failed(0.5, Some(Duration::from_secs(120)), true),
            Duration::from_secs(120)
        );
    }

    #[test]
    fn retry_after_is_honoured() {
        let mut b = Backoff::new(Duration::from_secs(1));
        assert_eq!(
            b.failed(0.5, Some(Duration::from_secs(30)), false),
            Duration::from_secs(30)
        );
        assert_eq!(
            b.failed(0.5, Some(Duration::from_secs(0)), false),
            Duration::from_secs(2)
        );
    }
}
