//! News: feed ingest, text cleaning, linking headlines to symbols, and the merged
//! headline store. No I/O here; `source::feeds` fetches.

pub mod clean;
pub mod ingest;
pub mod link;
pub mod store;

use chrono::{DateTime, Utc};

/// One headline, normalised (SPEC §4).
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Stable across polls: the guid, else the canonical URL, else a hash of feed and title.
    pub id: String,
    pub title: String,
    /// http or https only.
    pub url: Option<String>,
    /// The URL with scheme and host lower-cased, no fragment, no utm_* parameters.
    pub canonical: Option<String>,
    pub feed: String,
    /// The feed's position in the config: the tie-break when two feeds carry one story.
    pub feed_index: usize,
    pub published: Option<DateTime<Utc>>,
    pub summary: String,
    pub symbols: Vec<String>,
    pub read: bool,
}

/// FNV-1a, 64 bit: a hash that is the same in every build and run, unlike std's.
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The URL two feeds would agree on for one story.
pub fn canonical_url(url: &reqwest::Url) -> String {
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

    #[test]
    fn hashes_are_stable() {
        assert_eq!(stable_hash(&["feed", "title"]), stable_hash(&["feed", "title"]));
        assert_ne!(stable_hash(&["feedt", "itle"]), stable_hash(&["feed", "title"]));
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
    }
}
