//! The price providers a configuration may name, in the default order of
//! failover, with their public endpoints. `source::provider` builds them.

use reqwest::Url;

/// Every price provider: its name, public REST endpoint and price stream.
const KNOWN: &[(&str, &str, Option<&str>)] = &[
    (
        "yahoo",
        "https://query1.finance.yahoo.com",
        Some("wss://streamer.finance.yahoo.com/?version=2"),
    ),
    ("nasdaq", "https://api.nasdaq.com", None),
    (
        "finnhub",
        "https://finnhub.io/api/v1",
        Some("wss://ws.finnhub.io"),
    ),
    (
        "coinbase",
        "https://api.exchange.coinbase.com",
        Some("wss://ws-feed.exchange.coinbase.com"),
    ),
];

/// `quotes.providers` when the file does not say: the two that need no key.
const DEFAULT_ORDER: [&str; 2] = ["yahoo", "nasdaq"];

/// The one provider that needs a key, and where a key may come from besides the file.
pub const KEYED: &str = "finnhub";
pub const KEY_ENV: &str = "FINNHUB_API_KEY";

/// Coinbase's prices are of a market that never closes: its "previous close"
/// is the price 24 hours earlier, and it prices only its own product ids.
pub const ROLLING: &str = "coinbase";

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
    parse(NEWS.iter().find(|(n, _)| *n == name).map(|(_, u)| *u))
}

/// Every price provider's name.
pub fn names() -> impl Iterator<Item = &'static str> {
    KNOWN.iter().map(|(n, _, _)| *n)
}

/// The providers tried when `quotes.providers` is not set, in order.
pub fn default_order() -> impl Iterator<Item = &'static str> {
    DEFAULT_ORDER.into_iter()
}

pub fn is_known(name: &str) -> bool {
    KNOWN.iter().any(|(n, _, _)| *n == name)
}

/// Whether the provider has a price stream.
pub fn has_stream(name: &str) -> bool {
    KNOWN.iter().any(|(n, _, s)| *n == name && s.is_some())
}

/// The provider's public endpoint.
pub fn default_base_url(name: &str) -> Url {
    parse(KNOWN.iter().find(|(n, _, _)| *n == name).map(|(_, u, _)| *u))
}

/// The provider's public price stream (loopback for one without a stream).
pub fn default_stream_url(name: &str) -> Url {
    parse(KNOWN.iter().find(|(n, _, _)| *n == name).and_then(|(_, _, s)| *s))
}

/// A constant URL (loopback for a name not in the tables).
fn parse(raw: Option<&str>) -> Url {
    #[allow(clippy::expect_used)]
    Url::parse(raw.unwrap_or("http://127.0.0.1")).expect("the endpoint URLs are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_url_parses() {
        for (name, url, stream) in KNOWN {
            assert!(Url::parse(url).is_ok(), "{name}");
            assert!(stream.is_none_or(|s| Url::parse(s).is_ok()), "{name}");
        }
        for (name, url) in NEWS {
            assert!(Url::parse(url).is_ok(), "{name}");
        }
        assert_eq!(default_order().collect::<Vec<_>>(), ["yahoo", "nasdaq"]);
        assert!(is_known(KEYED) && is_known(ROLLING));
    }
}
