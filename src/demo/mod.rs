//! `--demo`: an offline replay of 27 January 2025. An in-process HTTP server on
//! 127.0.0.1 serves Yahoo-shaped quotes and three feeds generated from a replay
//! clock, so the real providers, parsers, reducer and UI run unchanged.

pub mod day;
pub mod news;
pub mod recorded;
pub mod serve;
mod server;
mod stream;

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use tokio::time::Instant;

use crate::config::{self, Config, ConfigOrigin};

pub use server::start;

const CONFIG: &str = include_str!("../../config/demo.toml");

/// The default speed: the 6.5-hour session in about two minutes.
pub const DEFAULT_SPEED: f64 = 195.0;

/// Replay time: from the start of the replay, `speed` times faster than the wall
/// clock, holding at the end; or fixed at one moment (for `once --demo`).
#[derive(Debug, Clone)]
pub struct Clock {
    origin: Instant,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    speed: f64,
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    pub fn running(start: DateTime<Utc>, end: DateTime<Utc>, speed: f64) -> Self {
        Self {
            origin: Instant::now(),
            start,
            end,
            speed,
            fixed: None,
        }
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            origin: Instant::now(),
            start: at,
            end: at,
            speed: 0.0,
            fixed: Some(at),
        }
    }

    /// Where the clock stops.
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn now(&self) -> DateTime<Utc> {
        if let Some(t) = self.fixed {
            return t;
        }
        let elapsed = self.origin.elapsed().as_secs_f64() * self.speed;
        let t = self.start + Duration::milliseconds((elapsed * 1000.0) as i64);
        t.min(self.end)
    }
}

/// Everything the demo needs, shared by the server and the app.
pub struct Replay {
    pub day: day::Day,
    pub stories: Vec<news::Story>,
    pub clock: Clock,
    /// A day the monitor recorded, replayed instead of the embedded one.
    pub recorded: Option<recorded::Script>,
}

impl Replay {
    /// The TUI's replay: from the pre-market to the evening at `speed`.
    pub fn live(speed: f64) -> Arc<Self> {
        let day = day::Day::embedded();
        let clock = Clock::running(day.replay_start, day.replay_end, speed);
        Self::with_clock(day, clock)
    }

    /// `once --demo`: the state at the close.
    pub fn at_close() -> Arc<Self> {
        let day = day::Day::embedded();
        let clock = Clock::fixed(day.close);
        Self::with_clock(day, clock)
    }

    pub fn with_clock(day: day::Day, clock: Clock) -> Arc<Self> {
        let stories = news::embedded(&day);
        Arc::new(Self {
            day,
            stories,
            clock,
            recorded: None,
        })
    }

    /// Replay time in New York's zone, for the screen.
    pub fn now_local(&self) -> DateTime<FixedOffset> {
        self.clock.now().with_timezone(&self.day.offset)
    }
}

/// The demo configuration with the server's port filled in.
pub fn config(port: u16) -> Result<Config, config::ConfigError> {
    config::parse(&CONFIG.replace("{port}", &port.to_string()), ConfigOrigin::Demo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_config_points_only_at_loopback() {
        let c = config(4242).unwrap();
        for p in &c.providers {
            assert_eq!(p.base_url.host_str(), Some("127.0.0.1"), "{}", p.base_url);
        }
        for f in &c.feeds {
            assert_eq!(f.url.host_str(), Some("127.0.0.1"), "{}", f.url);
        }
        assert!(c.halts.enabled);
        assert_eq!(
            c.halts.url().as_str(),
            "http://127.0.0.1:4242/nasdaqtrader/rss.aspx?feed=tradehalts"
        );
        let day = day::Day::embedded();
        for sym in c.all_symbols() {
            assert!(day.symbol(&sym).is_some(), "{sym} has replay data");
        }
        assert_eq!(c.shares_outstanding("NVDA"), Some(24.49e9));
        let stream = c.stream.order.first().map(|e| e.url.host_str().map(String::from));
        assert_eq!(
            stream,
            Some(Some("127.0.0.1".into())),
            "the replay streams from loopback too"
        );
    }

    #[test]
    fn every_story_is_in_a_served_feed_and_in_order_of_the_day() {
        let day = day::Day::embedded();
        let stories = news::embedded(&day);
        let c = config(1).unwrap();
        let feeds: Vec<&str> = c.feeds.iter().map(|f| f.name.as_str()).collect();
        assert!(
            stories.iter().all(|s| feeds.contains(&s.feed.as_str())),
            "{feeds:?}"
        );
        assert!(stories.windows(2).all(|w| w[0].at <= w[1].at));
    }
}
