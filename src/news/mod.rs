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

/// How far ahead of its fetch a headline's date may claim to be (see
/// [`store::Store::settle_future_dates`]).
pub const FUTURE_SLACK_HOURS: i64 = 24;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable() {
        assert_eq!(stable_hash(&["feed", "title"]), stable_hash(&["feed", "title"]));
        assert_ne!(stable_hash(&["feedt", "itle"]), stable_hash(&["feed", "title"]));
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
    }
}
