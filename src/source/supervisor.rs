//! One owner for every source task: spawning, refresh, reconfiguration, shutdown.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::feeds::{FeedFetcher, FeedJob};
use super::quotes::QuoteJob;
use super::{Delivery, FetchError, Http, Output, QuoteFetcher, poll};
use crate::config::Config;
use crate::model::{FeedId, FeedUpdate, Validators};

pub struct Sources {
    tx: mpsc::Sender<Delivery>,
    refresh: watch::Sender<u64>,
    tasks: JoinSet<()>,
    generation: u64,
    /// Each feed's validators, kept across restarts of its task.
    validators: HashMap<FeedId, Validators>,
}

impl Sources {
    /// Starts a task per symbol and per feed of `config`. After a restart the
    /// first poll of every feed is already conditional.
    pub fn start(
        config: &Config,
        validators: HashMap<FeedId, Validators>,
    ) -> Result<(Self, mpsc::Receiver<Delivery>), FetchError> {
        let (tx, rx) = mpsc::channel(256);
        let (refresh, _) = watch::channel(0);
        let mut sources = Self {
            tx,
            refresh,
            tasks: JoinSet::new(),
            generation: 0,
            validators,
        };
        sources.reconfigure(config)?;
        Ok((sources, rx))
    }

    /// Replaces every task with tasks for `config`. When the new tasks cannot be
    /// built (no HTTP client), the old ones keep running and the error says why.
    pub fn reconfigure(&mut self, config: &Config) -> Result<(), FetchError> {
        let http = Http::new(&config.general)?;
        self.tasks.abort_all();
        self.generation += 1;
        let fetcher = Arc::new(QuoteFetcher::new(http.clone(), config));
        let feed_fetcher = Arc::new(FeedFetcher::new(http, config));
        for symbol in config.all_symbols() {
            let job = QuoteJob {
                fetcher: Arc::clone(&fetcher),
                symbol,
            };
            self.spawn(job, config.general.quote_interval);
        }
        for (i, feed) in config.feeds.iter().enumerate() {
            let job = FeedJob {
                validators: self
                    .validators
                    .get(feed_fetcher.id(i))
                    .cloned()
                    .unwrap_or_default(),
                fetcher: Arc::clone(&feed_fetcher),
                feed: i,
            };
            self.spawn(job, feed.interval);
        }
        Ok(())
    }

    fn spawn(&mut self, job: impl poll::Job + 'static, interval: std::time::Duration) {
        // Subscribed from the sender: a receiver cloned from another inherits the
        // refreshes it has not seen and would poll twice at once.
        self.tasks.spawn(poll::run(
            job,
            interval,
            self.tx.clone(),
            self.refresh.subscribe(),
            self.generation,
        ));
    }

    /// Every source polls now (or when a server's Retry-After allows).
    pub fn refresh(&self) {
        self.refresh.send_modify(|n| *n += 1);
    }

    /// The output of a delivery made by the current tasks; `None` for one made
    /// before the last reconfiguration.
    pub fn accept(&mut self, delivery: Delivery) -> Option<Output> {
        if delivery.generation != self.generation {
            tracing::debug!(
                generation = delivery.generation,
                current = self.generation,
                "dropped a result of a replaced configuration"
            );
            return None;
        }
        if let Output::Feed(o) = &delivery.output
            && let Ok(FeedUpdate::Fresh { validators, .. }) = &o.result
        {
            self.validators.insert(o.feed.clone(), validators.clone());
        }
        Some(delivery.output)
    }

    pub fn shutdown(&mut self) {
        self.tasks.abort_all();
    }
}

impl Drop for Sources {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}
