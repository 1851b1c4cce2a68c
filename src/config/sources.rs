//! Where prices come from: the providers tried per symbol, the price streams
//! and their order, a provider's key, and the one currency totals are shown in.

use std::fmt;

use super::providers::{self, KEY_ENV, KEYED, ROLLING};
use super::{Config, ProviderConfig};

/// A provider's API key. Never printed: `Debug` hides it, and [`ApiKey::redact`]
/// takes it out of any text that may have picked it up (an error naming a URL).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the request that carries it and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` without `key`, when there is one.
    pub fn redact_any(key: Option<&Self>, text: String) -> String {
        match key {
            Some(k) => k.redact(&text),
            None => text,
        }
    }

    /// `text` without the key.
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.0, "***")
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// A price stream's socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Socket {
    Yahoo,
    Finnhub,
    Coinbase,
}

impl Socket {
    pub fn name(self) -> &'static str {
        match self {
            Self::Yahoo => "yahoo",
            Self::Finnhub => "finnhub",
            Self::Coinbase => "coinbase",
        }
    }

    pub fn of(provider: &str) -> Option<Self> {
        match provider {
            "yahoo" => Some(Self::Yahoo),
            "finnhub" => Some(Self::Finnhub),
            "coinbase" => Some(Self::Coinbase),
            _ => None,
        }
    }
}

/// One stream to connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamEndpoint {
    pub socket: Socket,
    pub url: reqwest::Url,
    pub key: Option<ApiKey>,
}

/// `[quotes] stream`: the stock streams in the order they are used (the first
/// while it is up, the next while it is down) and Coinbase's for the symbols
/// routed to it. Empty and `None` when streaming is off.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Streams {
    pub order: Vec<StreamEndpoint>,
    pub crypto: Option<StreamEndpoint>,
}

impl Streams {
    pub fn is_off(&self) -> bool {
        self.order.is_empty() && self.crypto.is_none()
    }

    /// "on (wss://...yahoo...), then finnhub's while it is down (wss://...)" for `check`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (i, e) in self.order.iter().enumerate() {
            let url = e.url.as_str();
            parts.push(if i == 0 {
                format!("on ({url})")
            } else {
                format!("then {}'s while it is down ({url})", e.socket.name())
            });
        }
        if let Some(c) = &self.crypto {
            parts.push(format!("coinbase's for its products ({})", c.url));
        }
        if parts.is_empty() {
            "off".into()
        } else {
            parts.join(", ")
        }
    }
}

/// `[quotes] stream` as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamChoice {
    Off,
    /// Each listed provider's stream in the order of `quotes.providers`.
    Auto,
    Only(Socket),
}

/// `[portfolio]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Portfolio {
    /// Every position's money converted into this currency for one total.
    pub currency: Option<String>,
}

/// Where the Finnhub key comes from: the file, else the environment.
pub fn finnhub_key(in_file: Option<&str>) -> Option<ApiKey> {
    let file = in_file.map(str::trim).filter(|k| !k.is_empty());
    let env = || {
        std::env::var(KEY_ENV)
            .ok()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
    };
    file.map(String::from).or_else(env).map(ApiKey::new)
}

/// Why a keyed provider cannot be used, for the config error.
pub fn no_key_message() -> String {
    format!(
        "finnhub needs an API key: set api_key in [providers.{KEYED}] or the environment variable \
         {KEY_ENV} (a free key: https://finnhub.io/register)"
    )
}

/// Whether `symbol` is written as a Coinbase product id: BASE-QUOTE, letters and digits.
pub fn is_product_id(symbol: &str) -> bool {
    let Some((base, quote)) = symbol.split_once('-') else {
        return false;
    };
    let part = |s: &str| !s.is_empty() && s.len() <= 10 && s.chars().all(|c| c.is_ascii_alphanumeric());
    part(base) && part(quote)
}

impl Config {
    /// The providers tried for `symbol`, in order: its own first when it names
    /// one, then the listed ones that measure the day the same way (a Coinbase
    /// product is never priced against another provider's previous close).
    pub fn chain(&self, symbol: &str) -> Vec<&ProviderConfig> {
        match self.pinned(symbol) {
            Some(p) if p.name == ROLLING => vec![p],
            Some(p) => std::iter::once(p)
                .chain(
                    self.providers
                        .iter()
                        .filter(|o| o.name != p.name && o.name != ROLLING),
                )
                .collect(),
            None => self.providers.iter().collect(),
        }
    }

    /// The provider a symbol names as its own, when configured.
    fn pinned(&self, symbol: &str) -> Option<&ProviderConfig> {
        let name = self.symbols.get(symbol)?.provider.as_deref()?;
        self.every_provider().find(|p| p.name == name)
    }

    /// The first of [`Config::chain`], without building the rest (the table asks per row).
    pub fn first_provider(&self, symbol: &str) -> Option<&ProviderConfig> {
        self.pinned(symbol).or_else(|| self.providers.first())
    }

    /// Whether the symbol is priced by Coinbase (its stream, its 24 h base).
    pub fn is_crypto(&self, symbol: &str) -> bool {
        self.first_provider(symbol).is_some_and(|p| p.name == ROLLING)
    }

    /// Every provider configured: the listed ones and those only a symbol names.
    pub fn every_provider(&self) -> impl Iterator<Item = &ProviderConfig> {
        self.providers.iter().chain(&self.routed)
    }

    /// `check`'s line on keys: "finnhub: key set (from FINNHUB_API_KEY)".
    pub fn key_summary(&self) -> Option<String> {
        let p = self.every_provider().find(|p| p.api_key.is_some())?;
        let from_env =
            std::env::var(KEY_ENV).is_ok_and(|k| p.api_key.as_ref().is_some_and(|a| a.expose() == k.trim()));
        Some(format!(
            "{}: key set{}",
            p.name,
            if from_env {
                format!(" (from {KEY_ENV})")
            } else {
                " (in the file)".into()
            }
        ))
    }
}

/// Whether a provider may be named in `[providers.X] api_key`.
pub fn takes_key(name: &str) -> bool {
    name == KEYED
}

/// Whether a provider may be named in `[providers.X] stream_url`.
pub fn takes_stream(name: &str) -> bool {
    providers::has_stream(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_never_shows_in_debug_or_redacted_text() {
        let k = ApiKey::new("c0ffee123");
        assert_eq!(format!("{k:?}"), "ApiKey(***)");
        assert_eq!(
            k.redact("error for url (http://h/quote?symbol=A&token=c0ffee123)"),
            "error for url (http://h/quote?symbol=A&token=***)"
        );
    }

    #[test]
    fn product_ids_are_base_dash_quote() {
        assert!(is_product_id("BTC-USD") && is_product_id("ETH-EUR"));
        assert!(!is_product_id("NVDA") && !is_product_id("^NDX") && !is_product_id("-USD"));
        assert!(!is_product_id("EURUSD=X") && !is_product_id("A-B-C"));
    }
}
