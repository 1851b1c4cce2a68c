//! Politeness per host, shared by every source that asks it: how many requests
//! at once, how many a second, and a host's Retry-After honoured by all of them
//! (a 429 on one feed pauses the other feeds and quotes on that host too).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::error::FetchError;

/// What one host may be asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Requests in flight at once.
    pub concurrent: usize,
    /// Requests begun per second; `None` for no limit beyond `concurrent`.
    pub per_second: Option<f64>,
}

/// The budgets hosts publish (SEC: 10 requests a second across all of its
/// hosts' clients, https://www.sec.gov/os/accessing-edgar-data; Finnhub's free
/// plan: 60 calls a minute; Coinbase Exchange's public API: 10 a second),
/// else what a browser allows itself per host.
pub fn published_budget(host: &str) -> Budget {
    let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    if under("sec.gov") {
        Budget {
            concurrent: 4,
            per_second: Some(10.0),
        }
    } else if under("finnhub.io") {
        Budget {
            concurrent: 2,
            per_second: Some(1.0),
        }
    } else if under("exchange.coinbase.com") {
        Budget {
            concurrent: 6,
            per_second: Some(10.0),
        }
    } else {
        Budget {
            concurrent: 6,
            per_second: None,
        }
    }
}

type BudgetOf = dyn Fn(&str) -> Budget + Send + Sync;

pub struct Hosts {
    gates: Mutex<HashMap<String, Arc<Gate>>>,
    budget: Box<BudgetOf>,
}

struct Gate {
    permits: Arc<Semaphore>,
    interval: Option<Duration>,
    /// When the next request may begin, for a host with a rate.
    next: Mutex<Instant>,
    /// Until when the host asked everyone to wait (Retry-After).
    paused_until: Mutex<Option<Instant>>,
    /// Until when the host is known unreachable, and why.
    down: Mutex<Option<(Instant, String)>>,
}

/// How long a host that could not be reached is not asked again: longer than
/// one `once` (its timeout plus a second), short beside the monitor's polls.
pub const UNREACHABLE_FOR: Duration = Duration::from_secs(30);

impl Gate {
    fn down(&self, now: Instant) -> Result<(), FetchError> {
        match &*self.down.lock().unwrap_or_else(|e| e.into_inner()) {
            Some((until, why)) if *until > now => Err(FetchError::Unreachable(why.clone(), *until - now)),
            _ => Ok(()),
        }
    }
}

/// Held while a request to the host is in flight.
pub struct Pass {
    _permit: OwnedSemaphorePermit,
}

impl Hosts {
    pub fn new(budget: impl Fn(&str) -> Budget + Send + Sync + 'static) -> Self {
        Self {
            gates: Mutex::new(HashMap::new()),
            budget: Box::new(budget),
        }
    }

    fn gate(&self, url: &Url) -> Arc<Gate> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let key = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates
            .entry(key)
            .or_insert_with(|| {
                let b = (self.budget)(&host);
                Arc::new(Gate {
                    permits: Arc::new(Semaphore::new(b.concurrent.max(1))),
                    interval: b
                        .per_second
                        .filter(|r| *r > 0.0 && r.is_finite())
                        .map(|r| Duration::from_secs_f64(1.0 / r)),
                    next: Mutex::new(Instant::now()),
                    paused_until: Mutex::new(None),
                    down: Mutex::new(None),
                })
            })
            .clone()
    }

    /// Waits for the host's turn; fails at once while the host asked for a
    /// pause, and when its turn would come after `deadline`.
    pub async fn enter(&self, url: &Url, deadline: Instant) -> Result<Pass, FetchError> {
        let gate = self.gate(url);
        let now = Instant::now();
        if let Some(until) = *gate.paused_until.lock().unwrap_or_else(|e| e.into_inner())
            && until > now
        {
            return Err(FetchError::HostPaused(until - now));
        }
        gate.down(now)?;
        let permit = tokio::time::timeout_at(deadline, gate.permits.clone().acquire_owned())
            .await
            .map_err(|_| FetchError::Timeout(deadline.saturating_duration_since(now)))?
            .map_err(|_| FetchError::Client("host limiter closed".into()))?;
        // Those that waited for a turn behind the request that found it down.
        gate.down(Instant::now())?;
        if let Some(interval) = gate.interval {
            let start = {
                let mut next = gate.next.lock().unwrap_or_else(|e| e.into_inner());
                let start = (*next).max(Instant::now());
                if start > deadline {
                    return Err(FetchError::Timeout(deadline.saturating_duration_since(now)));
                }
                *next = start + interval;
                start
            };
            tokio::time::sleep_until(start).await;
        }
        Ok(Pass { _permit: permit })
    }

    /// Connecting to the host failed (`why`): the other sources' requests to it
    /// fail at once with the same cause for [`UNREACHABLE_FOR`].
    pub fn mark_down(&self, url: &Url, why: &str) {
        let gate = self.gate(url);
        *gate.down.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((super::error::instant_after(UNREACHABLE_FOR), why.to_string()));
    }

    /// The user asked to try again (`r`): hosts found unreachable are tried at once
    /// (the network may be back). A server's own pause (429) still holds.
    pub fn forget_down(&self) {
        let gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        for gate in gates.values() {
            *gate.down.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }

    /// The host answered 429 with a Retry-After: every source waits it out.
    pub fn pause(&self, url: &Url, wait: Duration) {
        let gate = self.gate(url);
        let until = super::error::instant_after(wait);
        let mut paused = gate.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sec_publishes_its_budget_others_get_a_browsers() {
        assert_eq!(published_budget("www.sec.gov").per_second, Some(10.0));
        assert_eq!(published_budget("data.sec.gov").per_second, Some(10.0));
        assert_eq!(published_budget("notsec.gov").per_second, None);
        assert_eq!(
            published_budget("finnhub.io").per_second,
            Some(1.0),
            "60 a minute"
        );
        assert_eq!(
            published_budget("api.exchange.coinbase.com").per_second,
            Some(10.0)
        );
        assert_eq!(published_budget("query1.finance.yahoo.com").concurrent, 6);
    }

    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_by_the_rate_and_a_pause_is_shared() {
        let hosts = Hosts::new(|h| Budget {
            concurrent: 8,
            per_second: (h == "a.example").then_some(10.0),
        });
        let a = Url::parse("https://a.example/x").unwrap();
        let b = Url::parse("https://b.example/x").unwrap();
        let t0 = Instant::now();
        let deadline = t0 + Duration::from_secs(10);
        let mut starts = Vec::new();
        for _ in 0..5 {
            let _pass = hosts.enter(&a, deadline).await.unwrap();
            starts.push(Instant::now() - t0);
        }
        assert_eq!(starts[4], Duration::from_millis(400));
        // Another host does not wait for this one.
        let _b = hosts.enter(&b, deadline).await.unwrap();
        assert_eq!(Instant::now() - t0, Duration::from_millis(400));
        // A turn past the deadline is refused, not waited for.
        let soon = Instant::now() + Duration::from_millis(50);
        assert!(matches!(hosts.enter(&a, soon).await, Err(FetchError::Timeout(_))));
        hosts.pause(&b, Duration::from_secs(30));
        assert!(matches!(
            hosts.enter(&b, deadline).await,
            Err(FetchError::HostPaused(d)) if d == Duration::from_secs(30)
        ));
    }

    /// The monitor's rows come back by themselves: a host found unreachable is
    /// refused with the same cause only for its window, then asked again.
    #[tokio::test(start_paused = true)]
    async fn an_unreachable_host_is_asked_again_after_its_window() {
        let hosts = Hosts::new(|_| Budget {
            concurrent: 2,
            per_second: None,
        });
        let a = Url::parse("http://a.example:8080/x").unwrap();
        let other_port = Url::parse("http://a.example:8081/x").unwrap();
        let far = || Instant::now() + Duration::from_secs(600);
        hosts.mark_down(&a, "Connection refused");
        match hosts.enter(&a, far()).await {
            Err(FetchError::Unreachable(why, left)) => {
                assert_eq!(why, "Connection refused");
                assert_eq!(left, UNREACHABLE_FOR);
            }
            other => panic!("refused at once with the cause, got {:?}", other.map(|_| ())),
        }
        assert!(
            hosts.enter(&other_port, far()).await.is_ok(),
            "another port is another server"
        );
        tokio::time::advance(UNREACHABLE_FOR - Duration::from_millis(100)).await;
        assert!(matches!(
            hosts.enter(&a, far()).await,
            Err(FetchError::Unreachable(_, left)) if left == Duration::from_millis(100)
        ));
        tokio::time::advance(Duration::from_millis(100)).await;
        assert!(
            hosts.enter(&a, far()).await.is_ok(),
            "asked again once the window is over"
        );
        hosts.mark_down(&a, "Connection refused");
        hosts.forget_down();
        assert!(hosts.enter(&a, far()).await.is_ok(), "r asks again at once");
    }
}
