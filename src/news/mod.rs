//! News: feed ingest, text cleaning, linking headlines to symbols, and the merged
//! headline store. No I/O here; `source::feeds` fetches.

pub mod alias;
pub mod feed;
pub mod ingest;
pub mod link;
pub mod own;
pub mod store;

pub use crate::clean;
pub use crate::model::Headline;

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

pub use crate::model::canonical_url;

/// How far ahead of its fetch a headline's date may claim to be.
pub const FUTURE_SLACK_HOURS: i64 = 24;

/// A date more than a day ahead of the fetch becomes the fetch time: a feed that
/// dates its items in the future would otherwise stay on top, and once it
/// filled `max_headlines` every other feed's new headlines would be dropped on
/// arrival (and age pruning would never reach them). The monitor keeps a
/// story's first such time across polls ([`store::Store::settle_future_dates`]).
pub fn clamp_future(headlines: &mut [Headline], fetched: chrono::DateTime<chrono::Utc>) {
    let limit = fetched + chrono::Duration::hours(FUTURE_SLACK_HOURS);
    for h in headlines {
        if h.published.is_some_and(|p| p > limit) {
            h.published = Some(fetched);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_more_than_a_day_ahead_is_the_fetch_time() {
        let now = chrono::DateTime::parse_from_rfc3339("2025-01-27T14:30:00Z")
            .unwrap_or_default()
            .to_utc();
        let at = |h: i64| Some(now + chrono::Duration::hours(h));
        let mut v: Vec<Headline> = [at(23), at(25), at(24 * 365 * 10), at(-5), None]
            .into_iter()
            .map(|published| Headline {
                published,
                ..Headline::sample("x", "t")
            })
            .collect();
        clamp_future(&mut v, now);
        let got: Vec<_> = v.iter().map(|h| h.published).collect();
        assert_eq!(got, [at(23), Some(now), Some(now), at(-5), None]);
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(stable_hash(&["feed", "title"]), stable_hash(&["feed", "title"]));
        assert_ne!(stable_hash(&["feedt", "itle"]), stable_hash(&["feed", "title"]));
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
    }
}
