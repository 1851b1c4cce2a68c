//! The demo's headlines (demo/headlines.toml), each with its time.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use serde::Deserialize;

use super::day::Day;

const HEADLINES: &str = include_str!("../../demo/headlines.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    headline: Vec<RawStory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStory {
    time: String,
    #[serde(default)]
    day: i64,
    feed: String,
    title: String,
    summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub id: String,
    pub at: DateTime<Utc>,
    pub feed: String,
    pub title: String,
    pub summary: String,
}

pub fn parse(text: &str, day: &Day) -> Result<Vec<Story>, String> {
    let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
    let date = day.open.with_timezone(&day.offset).date_naive();
    raw.headline
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let t = NaiveTime::parse_from_str(&s.time, "%H:%M").map_err(|e| format!("{:?}: {e}", s.time))?;
            let at = day
                .offset
                .from_local_datetime(&(date + Duration::days(s.day)).and_time(t))
                .single()
                .ok_or("bad time")?
                .to_utc();
            Ok(Story {
                id: format!("replay-{:02}", i + 1),
                at,
                feed: s.feed,
                title: s.title,
                summary: s.summary,
            })
        })
        .collect()
}

/// The embedded headlines; checked by the tests, like the day itself.
pub fn embedded(day: &Day) -> Vec<Story> {
    #[allow(clippy::expect_used)]
    parse(HEADLINES, day).expect("demo/headlines.toml is valid (checked by tests)")
}

/// A feed's stories published by `t`.
pub fn stories_until<'a>(
    stories: &'a [Story],
    feed: &'a str,
    t: DateTime<Utc>,
) -> impl Iterator<Item = &'a Story> {
    stories.iter().filter(move |s| s.feed == feed && s.at <= t)
}
