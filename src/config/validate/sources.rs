//! `quotes.providers`, the `[providers.*]` tables, `[quotes] stream`,
//! `[symbol."X"] provider` and `[portfolio]`.

use toml::Spanned;

use super::super::providers::{self as provider, KEYED, ROLLING};
use super::super::raw::{RawPortfolio, RawProviders};
use super::super::sources::{self, ApiKey, Portfolio, Socket, StreamChoice, StreamEndpoint, Streams};
use super::super::{ConfigError, ProviderConfig};
use super::Validator;

impl Validator<'_> {
    /// A provider's table may hold only what that provider takes.
    pub(super) fn provider_tables(&self, raw: &RawProviders) -> Result<(), ConfigError> {
        if let Some(n) = raw
            .keys()
            .find(|n| !provider::is_known(n.get_ref()) && !provider::is_news(n.get_ref()))
        {
            let known: Vec<&str> = provider::names().chain(provider::news_names()).collect();
            return Err(self.err(
                n.span(),
                format!("providers.{}", n.get_ref()),
                format!(
                    "unknown provider \"{}\" (known: {})",
                    n.get_ref(),
                    known.join(", ")
                ),
            ));
        }
        for (name, p) in raw {
            let name = name.get_ref();
            if let Some(u) = p.stream_url.as_ref().filter(|_| !sources::takes_stream(name)) {
                let with: Vec<&str> = provider::names().filter(|n| sources::takes_stream(n)).collect();
                let msg = format!("{name} has no price stream (these do: {})", with.join(", "));
                return Err(self.err(u.span(), format!("providers.{name}.stream_url"), msg));
            }
            if let Some(k) = p.api_key.as_ref().filter(|_| !sources::takes_key(name)) {
                let msg = format!("{name} takes no key (only {KEYED} does)");
                return Err(self.err(k.span(), format!("providers.{name}.api_key"), msg));
            }
        }
        Ok(())
    }

    /// One provider's settings: its base URL and, for Finnhub, its key.
    fn provider_config(
        &self,
        name: &str,
        raw: &RawProviders,
        why: &Spanned<String>,
        key: &str,
    ) -> Result<ProviderConfig, ConfigError> {
        let custom = raw.iter().find(|(k, _)| k.get_ref() == name).map(|(_, v)| v);
        let base_url = match custom.and_then(|p| p.base_url.as_ref()) {
            Some(u) => self.http_url(u, &format!("providers.{name}.base_url"))?,
            None => provider::default_base_url(name),
        };
        let api_key = if name == KEYED {
            let in_file = custom.and_then(|p| p.api_key.as_ref());
            let found = sources::finnhub_key(in_file.map(|k| k.get_ref().as_str()));
            match (found, in_file) {
                (Some(k), _) => Some(k),
                (None, Some(k)) => {
                    return Err(self.err(k.span(), format!("providers.{KEYED}.api_key"), "the key is empty"));
                }
                (None, None) => return Err(self.err(why.span(), key, sources::no_key_message())),
            }
        } else {
            None
        };
        Ok(ProviderConfig {
            name: name.to_string(),
            base_url,
            api_key,
        })
    }

    /// `quotes.providers` in order, and the providers only a symbol names.
    pub(super) fn providers(
        &self,
        order: Option<Spanned<Vec<Spanned<String>>>>,
        raw: &RawProviders,
        pinned: &[(String, Spanned<String>)],
    ) -> Result<(Vec<ProviderConfig>, Vec<ProviderConfig>), ConfigError> {
        let names: Vec<Spanned<String>> = match order {
            Some(o) if o.get_ref().is_empty() => {
                return Err(self.err(o.span(), "quotes.providers", "at least one provider is needed"));
            }
            Some(o) => o.into_inner(),
            None => provider::default_order()
                .map(|n| Spanned::new(0..0, n.to_string()))
                .collect(),
        };
        let mut out: Vec<ProviderConfig> = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let key = format!("quotes.providers[{i}]");
            let name = n.get_ref().trim().to_ascii_lowercase();
            if provider::is_news(&name) {
                let msg = format!("\"{name}\" is a news or halt source, not a price provider");
                return Err(self.err(n.span(), key, msg));
            }
            if !provider::is_known(&name) {
                return Err(self.unknown_provider(n, key));
            }
            if out.iter().any(|p| p.name == name) {
                return Err(self.err(n.span(), key, format!("provider \"{name}\" is listed twice")));
            }
            out.push(self.provider_config(&name, raw, n, &key)?);
        }
        let mut routed: Vec<ProviderConfig> = Vec::new();
        for (symbol, p) in pinned {
            let name = p.get_ref();
            if out.iter().chain(&routed).all(|c| &c.name != name) {
                let key = format!("symbol.\"{symbol}\".provider");
                routed.push(self.provider_config(name, raw, p, &key)?);
            }
        }
        Ok((out, routed))
    }

    pub(super) fn unknown_provider(&self, n: &Spanned<String>, key: String) -> ConfigError {
        let known: Vec<&str> = provider::names().collect();
        self.err(
            n.span(),
            key,
            format!(
                "unknown provider \"{}\" (known: {})",
                n.get_ref(),
                known.join(", ")
            ),
        )
    }

    /// `[symbol."X"] provider`: a price provider, and a product id for Coinbase.
    pub(super) fn symbol_provider(
        &self,
        symbol: &str,
        p: &Spanned<String>,
        key: &str,
    ) -> Result<String, ConfigError> {
        let name = p.get_ref().trim().to_ascii_lowercase();
        if !provider::is_known(&name) {
            return Err(self.unknown_provider(p, key.to_string()));
        }
        if name == ROLLING && !sources::is_product_id(symbol) {
            let msg = format!("{symbol} is not a Coinbase product id: write it BASE-QUOTE, e.g. BTC-USD");
            return Err(self.err(p.span(), key, msg));
        }
        Ok(name)
    }

    /// `[quotes] stream` and each provider's `stream_url`.
    pub(super) fn streams(
        &self,
        choice: Option<&Spanned<toml::Value>>,
        raw: &RawProviders,
        providers: &[ProviderConfig],
        routed: &[ProviderConfig],
    ) -> Result<Streams, ConfigError> {
        let span = choice.map_or(0..0, Spanned::span);
        let choice = match choice {
            None => StreamChoice::Auto,
            Some(v) => match v.get_ref() {
                toml::Value::Boolean(true) => StreamChoice::Auto,
                toml::Value::Boolean(false) => StreamChoice::Off,
                toml::Value::String(s) if s == "auto" => StreamChoice::Auto,
                toml::Value::String(s) if s == "yahoo" => StreamChoice::Only(Socket::Yahoo),
                toml::Value::String(s) if s == "finnhub" => StreamChoice::Only(Socket::Finnhub),
                other => {
                    let msg = format!(
                        "stream is one of true, false, \"auto\", \"yahoo\", \"finnhub\", not {other}"
                    );
                    return Err(self.err(v.span(), "quotes.stream", msg));
                }
            },
        };
        let endpoint = |socket: Socket, key: Option<ApiKey>| -> Result<StreamEndpoint, ConfigError> {
            let name = socket.name();
            let custom = raw
                .iter()
                .find(|(k, _)| k.get_ref() == name)
                .and_then(|(_, p)| p.stream_url.as_ref());
            let url = match custom {
                Some(s) => self.url(
                    s,
                    &format!("providers.{name}.stream_url"),
                    ["ws", "wss"],
                    "a ws or wss URL",
                )?,
                None => provider::default_stream_url(name),
            };
            Ok(StreamEndpoint { socket, url, key })
        };
        let every = || providers.iter().chain(routed);
        let mut order = Vec::new();
        match choice {
            StreamChoice::Off => return Ok(Streams::default()),
            StreamChoice::Auto => {
                for p in providers.iter().filter(|p| p.name != ROLLING) {
                    if let Some(socket) = Socket::of(&p.name) {
                        order.push(endpoint(socket, p.api_key.clone())?);
                    }
                }
            }
            StreamChoice::Only(Socket::Finnhub) => {
                let key = every()
                    .find(|p| p.name == KEYED)
                    .and_then(|p| p.api_key.clone())
                    .or_else(|| sources::finnhub_key(file_key(raw)));
                let Some(key) = key else {
                    return Err(self.err(span, "quotes.stream", sources::no_key_message()));
                };
                order.push(endpoint(Socket::Finnhub, Some(key))?);
            }
            StreamChoice::Only(socket) => order.push(endpoint(socket, None)?),
        }
        let crypto = match every().find(|p| p.name == ROLLING) {
            Some(_) => Some(endpoint(Socket::Coinbase, None)?),
            None => None,
        };
        Ok(Streams { order, crypto })
    }

    /// `[portfolio] currency`: a three-letter code.
    pub(super) fn portfolio(&self, p: RawPortfolio) -> Result<Portfolio, ConfigError> {
        let Some(c) = p.currency else {
            return Ok(Portfolio::default());
        };
        let code = c.get_ref().trim().to_ascii_uppercase();
        if code.len() != 3 || !code.chars().all(|ch| ch.is_ascii_alphabetic()) {
            let msg = format!(
                "\"{}\" is not a currency code: write three letters, e.g. EUR",
                c.get_ref()
            );
            return Err(self.err(c.span(), "portfolio.currency", msg));
        }
        Ok(Portfolio { currency: Some(code) })
    }
}

/// The key written in `[providers.finnhub]`, if any.
fn file_key(raw: &RawProviders) -> Option<&str> {
    raw.iter()
        .find(|(k, _)| k.get_ref() == KEYED)
        .and_then(|(_, p)| p.api_key.as_ref())
        .map(|k| k.get_ref().as_str())
}
