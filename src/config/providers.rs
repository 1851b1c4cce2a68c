//! The price providers a configuration may name, in the default order of
//! failover, with their public endpoints. `source::provider` builds them.

use reqwest::Url;

const KNOWN: &[(&str, &str)] = &[
    ("yahoo", "https://query1.finance.yahoo.com"),
    ("nasdaq", "https://api.nasdaq.com"),
];

/// Sources of news and halts, not prices: their tables take a `base_url` too,
/// and they are never in `quotes.providers`.
const NEWS: &[(&str, &str)] = &[
    ("yahoo_news", "https://feeds.finance.yahoo.com"),
    ("sec", "https://www.sec.gov"),
    ("nasdaqtrader", "https://www.nasdaqtrader.com"),
];

/// The news sources' table names.
pub fn news_names() -> impl Iterator<Item = &'static str> {
    NEWS.iter().map(|(n, _)| *n)
}

/// Whether `name` is a news source's table (`[providers.sec]`).
pub fn is_news(name: &str) -> bool {
    NEWS.iter().any(|(n, _)| *n == name)
}

/// A news source's public endpoint.
pub fn default_news_url(name: &str) -> Url {
    endpoint(NEWS, name)
}

/// Provider names, in the default failover order.
pub fn names() -> impl Iterator<Item = &'static str> {
    KNOWN.iter().map(|(n, _)| *n)
}

pub fn is_known(name: &str) -> bool {
    KNOWN.iter().any(|(n, _)| *n == name)
}

/// The provider's public endpoint.
///
/// # Panics
/// Never for a known name: the URLs are constants checked by a test.
pub fn default_base_url(name: &str) -> Url {
    endpoint(KNOWN, name)
}

/// `name`'s URL in `table` (loopback for a name not in it).
fn endpoint(table: &[(&str, &str)], name: &str) -> Url {
    let raw = table
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("http://127.0.0.1", |(_, u)| *u);
    #[allow(clippy::expect_used)]
    Url::parse(raw).expect("the endpoint URLs are valid")
}

/// Yahoo's price stream, the one its own pages read.
pub fn default_stream_url() -> Url {
    #[allow(clippy::expect_used)]
    Url::parse("wss://streamer.finance.yahoo.com/?version=2").expect("a valid constant URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_url_parses() {
        for (name, url) in KNOWN.iter().chain(NEWS) {
            assert!(Url::parse(url).is_ok(), "{name}");
        }
        assert_eq!(names().collect::<Vec<_>>(), ["yahoo", "nasdaq"]);
    }
}
