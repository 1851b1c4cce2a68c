//! Sources that matter only while the US market trades (the halt feed, the
//! index's list): every round in a session, the round asked for (the first,
//! or a refresh) at any hour, and every round for the replay, whose clock is
//! not the wall's.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use reqwest::Url;
use tokio::time::Instant;

use super::{FetchError, Http, Output, poll};
use crate::market::calendar;
use crate::model::Session;

struct SessionGate {
    asked: AtomicBool,
    always: bool,
}

impl SessionGate {
    /// Whether this round runs; it uses up an ask.
    fn open(&self) -> bool {
        let asked = self.asked.swap(false, Ordering::Relaxed);
        asked || self.always || calendar::session_at(Utc::now()) != Session::Closed
    }
}

/// What one such source fetches and how its answer reaches the app.
pub trait SessionSource: Send + Sync + 'static {
    type Answer: Send;
    /// For the log: "the halt feed".
    const WHAT: &'static str;
    fn fetch(
        http: &Http,
        url: &Url,
        deadline: Instant,
    ) -> impl Future<Output = Result<Self::Answer, FetchError>> + Send;
    fn output(result: Result<Self::Answer, String>, at: DateTime<Utc>) -> Output;
}

/// Polling a [`SessionSource`]: a [`poll::Job`].
pub struct SessionJob<S> {
    http: Http,
    url: Url,
    gate: SessionGate,
    source: std::marker::PhantomData<fn() -> S>,
}

impl<S: SessionSource> SessionJob<S> {
    /// `always`: every round runs, whatever the wall clock says (the replay).
    pub fn new(http: Http, url: Url, always: bool) -> Self {
        Self {
            http,
            url,
            gate: SessionGate {
                asked: AtomicBool::new(true),
                always,
            },
            source: std::marker::PhantomData,
        }
    }
}

impl<S: SessionSource> poll::Job for SessionJob<S> {
    async fn round(&mut self) -> poll::Round {
        if !self.gate.open() {
            return poll::Round::after(None);
        }
        let deadline = Instant::now() + self.http.timeout();
        let result = S::fetch(&self.http, &self.url, deadline).await;
        if let Err(e) = &result {
            tracing::info!(error = %e, "{} failed", S::WHAT);
        }
        let round = poll::Round::after(result.as_ref().err());
        poll::Round {
            output: Some(S::output(result.map_err(|e| e.to_string()), Utc::now())),
            ..round
        }
    }

    fn turn(&self) -> impl Future<Output = ()> + Send {
        self.gate.asked.store(true, Ordering::Relaxed);
        async {}
    }
}
