//! The configuration file as written: serde types that mirror SPEC §2 one to one.
//!
//! Values that need a cross-field check later keep their `Spanned` position so the
//! error can point at the exact line and column.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub general: RawGeneral,
    #[serde(default)]
    pub alerts: RawAlerts,
    #[serde(default)]
    pub watchlist: Vec<Spanned<RawWatchlist>>,
    #[serde(default)]
    pub symbol: BTreeMap<Spanned<String>, Spanned<RawSymbol>>,
    #[serde(default)]
    pub feed: Vec<Spanned<RawFeed>>,
    #[serde(default)]
    pub quotes: RawQuotes,
    #[serde(default)]
    pub providers: RawProviders,
    #[serde(default)]
    pub news: RawNews,
    #[serde(default)]
    pub halts: RawHalts,
    #[serde(default)]
    pub signals: RawSignals,
    #[serde(default)]
    pub market: RawMarket,
    #[serde(default)]
    pub record: RawRecord,
    #[serde(default)]
    pub portfolio: RawPortfolio,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPortfolio {
    pub currency: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    pub enabled: Option<bool>,
    pub days: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarket {
    pub index: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignals {
    pub gap_pct: Option<Spanned<f64>>,
    pub relative_pct: Option<Spanned<f64>>,
    pub volume_x: Option<Spanned<f64>>,
    /// `false`: no volume signal, and no daily bars fetched for it.
    pub volume: Option<bool>,
    pub alert: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHalts {
    pub enabled: Option<bool>,
    #[serde(default, deserialize_with = "opt_duration")]
    pub interval: Option<Spanned<Duration>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNews {
    pub per_symbol: Option<bool>,
    pub once_per_symbol: Option<bool>,
    pub filings: Option<Spanned<Vec<Spanned<String>>>>,
    pub sec_user_agent: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeneral {
    #[serde(default, deserialize_with = "opt_duration")]
    pub quote_interval: Option<Spanned<Duration>>,
    #[serde(default, deserialize_with = "opt_duration")]
    pub news_interval: Option<Spanned<Duration>>,
    #[serde(default, deserialize_with = "opt_duration")]
    pub timeout: Option<Spanned<Duration>>,
    pub max_concurrent_requests: Option<Spanned<u32>>,
    pub max_body_bytes: Option<Spanned<u64>>,
    pub max_headlines: Option<Spanned<u32>>,
    #[serde(default, deserialize_with = "opt_duration")]
    pub headline_max_age: Option<Spanned<Duration>>,
    pub user_agent: Option<Spanned<String>>,
    pub columns: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    pub warn_drop_pct: Option<Spanned<f64>>,
    pub alert_drop_pct: Option<Spanned<f64>>,
    pub bell: Option<bool>,
    pub command: Option<Spanned<Vec<String>>>,
    pub extended_hours: Option<bool>,
    pub notify: Option<bool>,
    pub osc_notify: Option<bool>,
    pub position_loss: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWatchlist {
    pub name: Spanned<String>,
    pub symbols: Spanned<Vec<Spanned<String>>>,
    pub benchmark: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSymbol {
    pub name: Option<String>,
    #[serde(default)]
    pub keywords: Vec<Spanned<String>>,
    pub warn_drop_pct: Option<Spanned<f64>>,
    pub alert_drop_pct: Option<Spanned<f64>>,
    pub shares_outstanding: Option<Spanned<f64>>,
    /// One lot as a table or several as an array of tables: checked by hand in
    /// validation, where the error can say which lot and which key.
    pub position: Option<Spanned<toml::Value>>,
    /// `false` turns the symbol's own news and filings off.
    pub news: Option<bool>,
    /// "price" (the default) or "rebased".
    pub basis: Option<Spanned<String>>,
    pub benchmark: Option<Spanned<String>>,
    pub provider: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeed {
    pub name: Spanned<String>,
    pub url: Spanned<String>,
    #[serde(default, deserialize_with = "opt_duration")]
    pub interval: Option<Spanned<Duration>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuotes {
    pub providers: Option<Spanned<Vec<Spanned<String>>>>,
    /// true, false, "auto", "yahoo" or "finnhub".
    pub stream: Option<Spanned<toml::Value>>,
}

/// Provider tables by name; names are checked against the registry in validation.
pub type RawProviders = BTreeMap<Spanned<String>, RawProvider>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub base_url: Option<Spanned<String>>,
    /// Providers with a price stream only.
    pub stream_url: Option<Spanned<String>>,
    /// Finnhub's only.
    pub api_key: Option<Spanned<String>>,
}

/// humantime strings ("30s", "5m"); a zero duration is refused because every
/// duration here is an interval or a timeout, and zero would spin or never wait.
fn opt_duration<'de, D>(de: D) -> Result<Option<Spanned<Duration>>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = Spanned::<String>::deserialize(de)?;
    let span = raw.span();
    let parsed = humantime::parse_duration(raw.get_ref()).map_err(|e| {
        serde::de::Error::custom(format!(
            "invalid duration \"{}\": {e} (write e.g. \"30s\", \"5m\", \"1h\")",
            raw.get_ref()
        ))
    })?;
    if parsed.is_zero() {
        return Err(serde::de::Error::custom("duration must be greater than zero"));
    }
    Ok(Some(Spanned::new(span, parsed)))
}
