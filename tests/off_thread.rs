//! A feed is parsed off the thread that reads keys and draws: on tokio's blocking
//! pool, not on the app's current-thread runtime. The parse says so in the log,
//! and the log records on which thread it ran.

mod common;

use std::sync::{Arc, Mutex};
use std::thread::ThreadId;

use common::{Reply, Server, config_text};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::model::{FeedUpdate, Validators};
use tickwire::source::Http;
use tickwire::source::feeds::FeedFetcher;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// The thread of every event whose message is "parsing a feed".
#[derive(Clone, Default)]
struct Threads(Arc<Mutex<Vec<ThreadId>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Threads {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        struct Message(bool);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" && format!("{value:?}") == "parsing a feed" {
                    self.0 = true;
                }
            }
        }
        let mut m = Message(false);
        event.record(&mut m);
        if m.0 {
            self.0.lock().unwrap().push(std::thread::current().id());
        }
    }
}

#[test]
fn a_feed_is_parsed_off_the_runtime_thread() {
    let threads = Threads::default();
    let subscriber = tracing_subscriber::registry().with(threads.clone());
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = Server::start();
    server.route("/rss", Reply::fixture(200, "feeds/rss2.xml"));
    let feeds = format!("[[feed]]\nname = \"Desk\"\nurl = \"{}/rss\"\n", server.base);
    let config = parse(
        &config_text(&server.base, &["NVDA"], &feeds),
        ConfigOrigin::Embedded,
    )
    .unwrap();
    let fetcher = FeedFetcher::new(Http::new(&config.general).unwrap(), &config);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime_thread = std::thread::current().id();
    let outcome = rt.block_on(async {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        fetcher.fetch(0, None, &Validators::default(), deadline).await
    });
    assert!(
        matches!(outcome.result, Ok(FeedUpdate::Fresh { .. })),
        "{:?}",
        outcome.result
    );
    let seen = threads.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "one parse, logged once");
    assert_ne!(
        seen[0], runtime_thread,
        "the parse ran on the runtime's own thread"
    );
}
