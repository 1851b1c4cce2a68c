//! What sources produce, and the stable ids they are known by. Sources build these,
//! the reducer and the cache read them; none of them needs the other's module.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{Attempt, Headline, Quote};

/// A feed's identity: its canonical URL. Names can be edited and positions move
/// when the config changes; what the feed is stays put. The default, empty id is
/// "not known" (headlines cached before ids were kept).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeedId(Arc<str>);

impl FeedId {
    pub fn of(url: &reqwest::Url) -> Self {
        Self(canonical_url(url).into())
    }

    /// An id as the cache stored it.
    pub fn from_stored(s: &str) -> Self {
        Self(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The URL two feeds would agree on for one story: scheme and host lower-cased
/// (the URL parser does that), no fragment, no utm_* parameters.
pub fn canonical_url(url: &reqwest::Url) -> String {
    // Most links have no query: nothing to drop, nothing to re-encode.
    if url.query().is_none() && url.fragment().is_none() {
        return url.as_str().to_string();
    }
    // Or only tracking: the link up to its query. A name written "utm_..." is
    // one decoded too; one that only decodes to it takes the long way. The round
    // trip (decode the pairs, encode the rest, copy) was about 3% of ingest's
    // samples for a feed that tags every link.
    if only_tracking(url.query().unwrap_or("")) {
        return url[..url::Position::AfterPath].to_string();
    }
    by_pairs(url)
}

/// The general rule: the query decoded into pairs, the utm_* ones dropped, the
/// rest encoded again.
fn by_pairs(url: &reqwest::Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !k.to_ascii_lowercase().starts_with("utm_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    u.to_string()
}

/// Whether every parameter of `query` is written as a utm_* one.
pub(crate) fn only_tracking(query: &str) -> bool {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .all(|p| p.get(..4).is_some_and(|n| n.eq_ignore_ascii_case("utm_")))
}

/// ETag and Last-Modified from the last 200, sent back as If-None-Match and
/// If-Modified-Since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FeedUpdate {
    /// 304: nothing changed.
    NotModified,
    Fresh {
        headlines: Vec<Headline>,
        validators: Validators,
        read: ReadNotes,
    },
}

/// What reading a feed's document took, for its status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadNotes {
    /// Items with nothing to show (no title, text or link), left out.
    pub skipped: usize,
    /// The document was ill-formed or mis-encoded and was read as well as it could be.
    pub repaired: bool,
}

/// What one poll of one feed produced.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedOutcome {
    pub feed: FeedId,
    pub result: Result<FeedUpdate, String>,
    pub retry_after: Option<Duration>,
}

/// SEC's map of listed tickers to companies (company_tickers.json).
#[derive(Debug, Clone, PartialEq)]
pub struct TickerMap {
    pub fetched: chrono::DateTime<chrono::Utc>,
    /// By ticker as SEC writes it (upper-case, `-` for a share class: BRK-B).
    pub companies: std::collections::HashMap<String, Company>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// The Central Index Key EDGAR files the company under.
    pub cik: u64,
    pub title: String,
}

/// What one round of fetching a symbol produced.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteOutcome {
    pub symbol: String,
    /// The quote, or every provider's failure joined into one message.
    pub result: Result<Quote, String>,
    /// One entry per provider tried, in order.
    pub attempts: Vec<Attempt>,
    pub retry_after: Option<Duration>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls_drop_tracking_and_fragments() {
        let u = |s: &str| canonical_url(&reqwest::Url::parse(s).unwrap());
        assert_eq!(
            u("HTTPS://WWW.Example.COM/a/B?utm_source=rss&id=7&UTM_medium=x#top"),
            "https://www.example.com/a/B?id=7"
        );
        assert_eq!(u("https://example.com/x?utm_campaign=1"), "https://example.com/x");
        assert_eq!(u("https://example.com:443/x"), "https://example.com/x");
    }

    proptest::proptest! {
        /// Links with only tracking parameters, cut on the text, agree with the rule.
        #[test]
        fn the_short_way_agrees_with_the_rule(
            path in "(/[a-zA-Z0-9?#%+=&._-]{0,6}){0,3}",
            params in proptest::collection::vec(
                ("(utm_|UTM_|Utm%5F|utm|ut|x|utm\\+|%75tm_)[a-z%+]{0,4}", proptest::option::of("[a-z0-9%+=?/ ]{0,5}")),
                0..4,
            ),
            empty in proptest::collection::vec(proptest::bool::ANY, 0..4),
            fragment in proptest::option::of("[a-z?#&=%]{0,4}"),
        ) {
            let mut text = format!("https://Example.com{path}");
            let pieces: Vec<String> = params
                .iter()
                .zip(empty.iter().chain(std::iter::repeat(&false)))
                .map(|((name, value), empty)| {
                    let p = value.as_ref().map_or_else(|| name.clone(), |v| format!("{name}={v}"));
                    if *empty { format!("&{p}") } else { p }
                })
                .collect();
            if !pieces.is_empty() || fragment.is_none() {
                text.push('?');
                text.push_str(&pieces.join("&"));
            }
            if let Some(f) = fragment {
                text.push('#');
                text.push_str(&f);
            }
            let Ok(url) = reqwest::Url::parse(&text) else { return Ok(()) };
            proptest::prop_assert_eq!(canonical_url(&url), by_pairs(&url), "{}", text);
        }
    }

    #[test]
    fn a_feed_is_the_same_feed_however_its_url_is_written() {
        let id = |s: &str| FeedId::of(&reqwest::Url::parse(s).unwrap());
        assert_eq!(id("HTTPS://Example.com/rss#x"), id("https://example.com/rss"));
        assert_ne!(id("https://example.com/rss"), id("https://example.com/atom"));
    }
}

/// One poll of the halt feed.
#[derive(Debug, Clone, PartialEq)]
pub struct HaltsOutcome {
    pub result: Result<crate::halts::Read, String>,
    /// When the answer came.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A symbol's bars over a chart range, asked for when the chart showed it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryOutcome {
    pub symbol: String,
    pub range: crate::history::ChartRange,
    /// The bars: fresh, from the cache, or (with `error`) the cache's older ones.
    pub history: Option<std::sync::Arc<crate::history::History>>,
    /// Why no fresh answer came.
    pub error: Option<String>,
    /// When the bars shown were fetched.
    pub fetched: chrono::DateTime<chrono::Utc>,
    /// The answer as it came, to keep in the cache; `None` when it came from there.
    pub body: Option<Vec<u8>>,
}

/// One poll of the index's constituent list.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketOutcome {
    pub result: Result<Vec<crate::market::breadth::Constituent>, String>,
    pub at: chrono::DateTime<chrono::Utc>,
}
