//! Configuration: the TOML file of SPEC §2 parsed, validated and turned into [`Config`].

mod columns;
mod edit;
mod error;
mod locate;
mod news;
pub mod providers;
mod raw;
mod sources;
mod validate;
mod write;

use std::collections::BTreeMap;
use std::time::Duration;

pub use columns::Column;
pub use edit::{Edit, SaveError, save as save_edit};
pub use error::ConfigError;
pub use locate::{ConfigOrigin, DEFAULT_CONFIG, load, locate};
pub use locate::{user_config_path, xdg_file};
pub use news::{News, NewsSource, SourceKind, no_per_symbol};
pub use sources::{ApiKey, Portfolio, Socket, StreamEndpoint, Streams, is_product_id};
pub use validate::{is_valid_symbol, parse};
pub use write::{Expect, WriteError, write_atomically, write_checked};

use crate::model::Thresholds;
use crate::position::Lot;

/// A validated configuration. Everything here has been checked; code that uses it
/// never needs to handle an invalid value.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub origin: ConfigOrigin,
    pub general: General,
    pub alerts: Alerts,
    pub watchlists: Vec<Watchlist>,
    pub symbols: BTreeMap<String, SymbolConfig>,
    pub feeds: Vec<Feed>,
    /// Providers in the order they are tried for each symbol (`quotes.providers`).
    pub providers: Vec<ProviderConfig>,
    /// Providers only a `[symbol."X"] provider` names.
    pub routed: Vec<ProviderConfig>,
    /// The price streams, when `[quotes] stream` is on.
    pub stream: Streams,
    pub portfolio: Portfolio,
    pub news: News,
    pub halts: Halts,
    pub record: Record,
    pub signals: Signals,
    pub market: Market,
}

/// `[market]`: the index whose constituents the breadth strip and the market
/// view show, from Nasdaq's list endpoint (`[providers.nasdaq] base_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Market {
    /// `None`: `index = "none"`.
    pub index: Option<IndexList>,
    pub base_url: reqwest::Url,
}

/// An index Nasdaq lists the constituents of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexList {
    Nasdaq100,
}

impl IndexList {
    pub const NAMES: [&str; 2] = ["nasdaq100", "none"];

    pub fn name(self) -> &'static str {
        match self {
            Self::Nasdaq100 => "nasdaq100",
        }
    }

    /// How the strip names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Nasdaq100 => "NDX",
        }
    }

    /// The index's own symbol, for its quote.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Nasdaq100 => "^NDX",
        }
    }
}

impl Market {
    /// The list's address.
    pub fn url(&self) -> Option<reqwest::Url> {
        let index = self.index?;
        let mut url = self.base_url.clone();
        let path = format!(
            "{}/api/quote/list-type/{}",
            url.path().trim_end_matches('/'),
            index.name()
        );
        url.set_path(&path);
        Some(url)
    }
}

/// `[signals]`: the unusual moves shown beside the drop flag, and which of
/// them (and halts) are announced like a drop.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    /// The session opened at least this far (percent) from the previous close.
    pub gap_pct: f64,
    /// The move differs from its benchmark's by at least this many points.
    pub relative_pct: f64,
    /// Volume at least this many times the usual for the time of day.
    pub volume_x: f64,
    /// The volume signal is on: each listed symbol's daily bars are fetched
    /// once a day for its usual volume.
    pub volume: bool,
    /// Announced: `halt` and signal kinds.
    pub alert: Vec<crate::model::AlertKind>,
}

/// `[record]`: what the monitor saw, kept in the cache for replays and
/// back-tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub enabled: bool,
    /// Recorded days kept; older ones are pruned.
    pub days: i64,
}

/// `[halts]`: Nasdaq Trader's trade-halt feed, polled while a watched symbol
/// is in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Halts {
    pub enabled: bool,
    pub interval: Duration,
    /// `[providers.nasdaqtrader] base_url`.
    pub base_url: reqwest::Url,
}

impl Halts {
    /// The feed's address under the base URL.
    pub fn url(&self) -> reqwest::Url {
        let mut url = self.base_url.clone();
        let path = format!("{}/rss.aspx", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.set_query(Some("feed=tradehalts"));
        url
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct General {
    pub quote_interval: Duration,
    pub news_interval: Duration,
    pub timeout: Duration,
    pub max_concurrent_requests: usize,
    pub max_body_bytes: u64,
    pub max_headlines: usize,
    /// Headlines older than this are pruned from the cache.
    pub headline_max_age: Duration,
    pub user_agent: String,
    /// The tickers table's columns in order; `None` chooses them by width.
    pub columns: Option<Vec<Column>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alerts {
    pub thresholds: Thresholds,
    pub bell: bool,
    pub command: Vec<String>,
    /// Pre-market and after-hours moves count towards the flag, not only regular ones.
    pub extended_hours: bool,
    /// A desktop notification per alert.
    pub notify: bool,
    /// An OSC 9 / 777 notification per alert; `None` sends one where the
    /// terminal is known to show it.
    pub osc_notify: Option<bool>,
    /// `alert` when a position loses this much in a day (its own currency).
    pub position_loss: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watchlist {
    pub name: String,
    pub symbols: Vec<String>,
    /// What its symbols' moves are measured against (the `relative` signal).
    pub benchmark: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SymbolConfig {
    pub name: Option<String>,
    pub keywords: Vec<String>,
    pub warn_drop_pct: Option<f64>,
    pub alert_drop_pct: Option<f64>,
    pub shares_outstanding: Option<f64>,
    /// The lots held; empty without a position.
    pub position: Vec<Lot>,
    /// `news = false`: no news or filings of its own.
    pub news_off: bool,
    /// What the provider's figures are: prices, unless said otherwise.
    pub basis: Basis,
    /// What its move is measured against, over its watchlists'.
    pub benchmark: Option<String>,
    /// The provider it is priced by first (`coinbase`: by it alone).
    pub provider: Option<String>,
}

/// `basis` of a symbol: what its "price" is. The demo's replay knows only the
/// day's move of some symbols, drawn as an index of 100 at the previous close:
/// the screen must not show that as a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Basis {
    #[default]
    Price,
    /// 100 at the previous close: only the move is real.
    Rebased,
}

impl Basis {
    pub const NAMES: [&str; 2] = ["price", "rebased"];

    /// A price as its basis says it is: "82.60 idx" for an index of 100 at the
    /// previous close (the help says what it means).
    pub fn show(self, price: f64) -> String {
        match self {
            Self::Price => crate::format::price(price),
            Self::Rebased => format!("{} idx", crate::format::price(price)),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "price" => Some(Self::Price),
            "rebased" => Some(Self::Rebased),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub name: String,
    pub url: reqwest::Url,
    pub interval: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    pub name: String,
    pub base_url: reqwest::Url,
    /// Finnhub's key (from the file or `FINNHUB_API_KEY`).
    pub api_key: Option<ApiKey>,
}

/// A current desktop browser string: Yahoo answers 429 to library user agents and
/// to old browser versions (tickrs #166, moneymanagerex #7497).
pub const DEFAULT_USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

impl Config {
    /// The thresholds in force for one symbol: its own where set, else the global ones.
    pub fn thresholds(&self, symbol: &str) -> Thresholds {
        let global = self.alerts.thresholds;
        match self.symbols.get(symbol) {
            Some(s) => Thresholds {
                warn_drop_pct: s.warn_drop_pct.unwrap_or(global.warn_drop_pct),
                alert_drop_pct: s.alert_drop_pct.unwrap_or(global.alert_drop_pct),
            },
            None => global,
        }
    }

    /// A quote's flag under this configuration: its symbol's thresholds, and the
    /// extended-hours move when `alerts.extended_hours` counts it.
    /// A position's day loss past `alerts.position_loss` is an alert too.
    pub fn level_of(&self, q: &crate::model::Quote) -> crate::model::Level {
        let moved = q.level(self.thresholds(&q.symbol), self.alerts.extended_hours);
        let money = crate::position::Holding::at(self.lots(&q.symbol), q, self.alerts.extended_hours)
            .map_or(crate::model::Level::None, |h| h.level(self.alerts.position_loss));
        moved.max(money)
    }

    /// The lots of a symbol, none when it has no position.
    pub fn lots(&self, symbol: &str) -> &[Lot] {
        self.symbols.get(symbol).map_or(&[], |s| s.position.as_slice())
    }

    /// The symbol's position valued at `q`, when it has one.
    pub fn holding(&self, q: &crate::model::Quote) -> Option<crate::position::Holding> {
        crate::position::Holding::of(self.lots(&q.symbol), q)
    }

    /// The display name of a symbol; the symbol itself when none is configured.
    pub fn display_name<'a>(&'a self, symbol: &'a str) -> &'a str {
        self.symbols
            .get(symbol)
            .and_then(|s| s.name.as_deref())
            .unwrap_or(symbol)
    }

    pub fn basis(&self, symbol: &str) -> Basis {
        self.symbols.get(symbol).map_or(Basis::Price, |s| s.basis)
    }

    pub fn shares_outstanding(&self, symbol: &str) -> Option<f64> {
        self.symbols.get(symbol).and_then(|s| s.shares_outstanding)
    }

    /// Every symbol of every watchlist, once, in first-seen order.
    pub fn all_symbols(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in &self.watchlists {
            for s in &w.symbols {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    }

    /// Every symbol polled: the watchlists' and their benchmarks (a benchmark
    /// need not be watched to measure others against it).
    pub fn priced_symbols(&self) -> Vec<String> {
        let mut out = self.all_symbols();
        let benchmarks = self.watchlists.iter().filter_map(|w| w.benchmark.as_ref());
        for b in benchmarks.chain(self.symbols.values().filter_map(|s| s.benchmark.as_ref())) {
            if !out.contains(b) {
                out.push(b.clone());
            }
        }
        out
    }

    /// Where Yahoo's chart API is: the configured provider's, else the default
    /// (history is Yahoo's alone, whichever providers price the quotes).
    pub fn yahoo_base(&self) -> reqwest::Url {
        self.providers
            .iter()
            .find(|p| p.name == "yahoo")
            .map_or_else(|| providers::default_base_url("yahoo"), |p| p.base_url.clone())
    }

    /// What `symbol`'s move is measured against: its own benchmark, else the
    /// first of its watchlists' (never itself).
    pub fn benchmark(&self, symbol: &str) -> Option<&str> {
        let own = self.symbols.get(symbol).and_then(|s| s.benchmark.as_deref());
        let listed = || {
            self.watchlists
                .iter()
                .filter(|w| w.symbols.iter().any(|s| s == symbol))
                .find_map(|w| w.benchmark.as_deref())
        };
        own.or_else(listed).filter(|b| *b != symbol)
    }

    /// The symbols that name `provider` as theirs.
    pub fn routed_symbols(&self, provider: &str) -> Vec<&str> {
        self.symbols
            .iter()
            .filter(|(_, s)| s.provider.as_deref() == Some(provider))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// Whether any watchlist has `symbol`.
    pub fn has_symbol(&self, symbol: &str) -> bool {
        self.watchlists
            .iter()
            .any(|w| w.symbols.iter().any(|s| s == symbol))
    }

    pub fn watchlist_index(&self, name: &str) -> Option<usize> {
        self.watchlists
            .iter()
            .position(|w| w.name.eq_ignore_ascii_case(name))
    }

    /// A one-paragraph summary for `tickwire check`.
    pub fn summary(&self) -> String {
        let held: Vec<&str> = self
            .symbols
            .iter()
            .filter(|(_, s)| !s.position.is_empty())
            .map(|(k, _)| k.as_str())
            .collect();
        let positions = match (held.is_empty(), self.alerts.position_loss) {
            (true, _) => String::new(),
            (false, None) => format!("\n  positions: {}", held.join(", ")),
            (false, Some(l)) => format!(
                "\n  positions: {} (alert at a day's loss of {l})",
                held.join(", ")
            ),
        };
        let providers: Vec<&str> = self.providers.iter().map(|p| p.name.as_str()).collect();
        let routed: Vec<String> = self
            .routed
            .iter()
            .map(|p| format!("{} for {}", p.name, self.routed_symbols(&p.name).join(", ")))
            .collect();
        let routed = if routed.is_empty() {
            String::new()
        } else {
            format!(" ({})", routed.join("; "))
        };
        let key = self.key_summary().map_or(String::new(), |k| format!(", {k}"));
        let currency = self.portfolio.currency.as_ref().map_or(String::new(), |c| {
            format!("\n  portfolio: one total in {c} too, at live rates (Yahoo's XXX{c}=X, fetched unseen)")
        });
        let providers = format!("{}{routed}{key}", providers.join(" > "));
        let lists: Vec<String> = self
            .watchlists
            .iter()
            .map(|w| format!("{} ({})", w.name, w.symbols.len()))
            .collect();
        format!(
            "configuration OK: {}\n  watchlists: {}\n  symbols: {} in all, {} with settings\n  \
             feeds: {}\n  providers: {}\n  alerts: warn at -{}%, alert at -{}% (per-symbol overrides apply)\n  \
             quotes every {}, news every {}, timeout {}\n  stream: {}{positions}{currency}\n  {}\n  {}\n  {}\n  {}",
            self.origin,
            lists.join(", "),
            self.all_symbols().len(),
            self.symbols.len(),
            self.feeds.len(),
            providers,
            self.alerts.thresholds.warn_drop_pct,
            self.alerts.thresholds.alert_drop_pct,
            humantime::format_duration(self.general.quote_interval),
            humantime::format_duration(self.general.news_interval),
            humantime::format_duration(self.general.timeout),
            self.stream.describe(),
            self.news_summary(),
            self.halts_summary(),
            self.radar_summary(),
            if self.record.enabled {
                format!(
                    "record: on, the newest {} days kept in the cache (tickwire replay --list, tickwire backtest)",
                    self.record.days
                )
            } else {
                "record: off".to_string()
            },
        )
    }

    /// "signals: gap 3%, 5 pts vs a benchmark (NVDA, AAPL vs ^NDX), volume 3x;
    /// announced: halt" and "market: nasdaq100 (https://...)".
    fn radar_summary(&self) -> String {
        let measured: Vec<String> = self
            .all_symbols()
            .into_iter()
            .filter_map(|s| Some(format!("{s} vs {}", self.benchmark(&s)?)))
            .collect();
        let relative = if measured.is_empty() {
            "no benchmark set".to_string()
        } else {
            measured.join(", ")
        };
        let announced: Vec<&str> = self.signals.alert.iter().map(|k| k.as_str()).collect();
        let market = match self.market.url() {
            Some(url) => format!("{} from {url}", self.market.index.map_or("", |i| i.name())),
            None => "off".into(),
        };
        let volume = if self.signals.volume {
            format!(
                "volume {}x the 20-session average by the time of day (daily bars once a day per symbol; once: from the cache, or with --per-symbol)",
                self.signals.volume_x
            )
        } else {
            "volume off".into()
        };
        format!(
            "signals: 52-week extremes, gap {}%, {} pts apart ({relative}), {volume}; announced: {}\n  market: {market}",
            self.signals.gap_pct,
            self.signals.relative_pct,
            if announced.is_empty() {
                "none".to_string()
            } else {
                announced.join(", ")
            },
        )
    }

    /// "halts: on, every 1m while the US market is open (https://www.nasdaqtrader.com/...)".
    fn halts_summary(&self) -> String {
        let can = self.all_symbols().iter().any(|s| crate::halts::may_halt(s));
        match (self.halts.enabled, can) {
            (false, _) => "halts: off".into(),
            (true, false) => "halts: on, but no watched symbol is a US listing that can be halted".into(),
            (true, true) if self.origin == ConfigOrigin::Demo => format!(
                "halts: every {} from the replay's own halt feed ({})",
                humantime::format_duration(self.halts.interval),
                self.halts.url()
            ),
            (true, true) => format!(
                "halts: every {} while the US market is in a session ({})",
                humantime::format_duration(self.halts.interval),
                self.halts.url()
            ),
        }
    }
}
