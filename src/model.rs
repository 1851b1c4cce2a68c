//! Domain types shared by sources, the reducer, `once` and the UI. No I/O here.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

mod source;
mod stream;
pub(crate) use source::only_tracking;
pub use source::{
    Company, FeedId, FeedOutcome, FeedUpdate, HaltsOutcome, HistoryOutcome, MarketOutcome, QuoteOutcome,
    ReadNotes, TickerMap, Validators, canonical_url,
};
pub use stream::{Socket, StreamEvent, Ticker};

/// How far a symbol has fallen against its previous close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    None,
    Warn,
    Alert,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Warn => "warn",
            Self::Alert => "alert",
        }
    }

    /// The one word the screen shows for it, everywhere (table, log, detail
    /// view): the alert loud, the warning quiet, nothing for none.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Warn => "warn",
            Self::Alert => "ALERT",
        }
    }
}

/// Falls, as positive percentages, at which a symbol is flagged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub warn_drop_pct: f64,
    pub alert_drop_pct: f64,
}

impl Thresholds {
    /// SPEC §3: alert if change <= -alert, else warn if change <= -warn.
    /// The change is rounded to a millionth of a percent first: 93 / 100 - 1 is
    /// -6.999999999999995% in floating point, and a user reads it as -7%.
    pub fn level(&self, change_pct: f64) -> Level {
        let change_pct = (change_pct * 1e6).round() / 1e6;
        if change_pct <= -self.alert_drop_pct {
            Level::Alert
        } else if change_pct <= -self.warn_drop_pct {
            Level::Warn
        } else {
            Level::None
        }
    }
}

/// One price observation from a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub symbol: String,
    pub price: f64,
    pub previous_close: Option<f64>,
    /// The regular session's opening price, when the provider gives it.
    pub open: Option<f64>,
    pub day_high: Option<f64>,
    pub day_low: Option<f64>,
    pub volume: Option<u64>,
    pub currency: Option<String>,
    pub market_time: Option<DateTime<Utc>>,
    /// The exchange's offset from UTC, for the trading day and axis labels.
    pub utc_offset: Option<FixedOffset>,
    /// The intraday series: (unix seconds, price), sorted, without nulls.
    pub series: Vec<(i64, f64)>,
    /// The day's trading periods, when the provider gives them.
    pub periods: Option<Periods>,
    /// 52-week low and high.
    pub week52: Option<(f64, f64)>,
    /// The newest trade outside the regular session, when it is newer than `price`.
    pub extended: Option<Extended>,
    /// The provider's name for the instrument, used when the config gives none.
    pub name: Option<String>,
    pub provider: String,
    /// When this process received it.
    pub fetched_at: DateTime<Utc>,
}

impl Quote {
    pub fn change(&self) -> Option<f64> {
        self.previous_close.map(|p| self.price - p)
    }

    /// Day change in percent: (price / previous close - 1) * 100.
    pub fn change_pct(&self) -> Option<f64> {
        self.previous_close
            .filter(|p| *p > 0.0)
            .map(|p| (self.price / p - 1.0) * 100.0)
    }

    /// Whether the market never closes (Coinbase's): `previous_close` is then
    /// the price 24 hours earlier, and there are no sessions.
    pub fn rolling(&self) -> bool {
        self.provider == crate::config::providers::ROLLING
    }

    /// The market's session at `now`: by the provider's periods, else (Nasdaq
    /// gives none) by the US exchanges' calendar for a US listing.
    pub fn session(&self, now: DateTime<Utc>) -> Option<Session> {
        match self.periods {
            Some(p) => Some(p.session_at(now.timestamp())),
            None if crate::market::is_us(self) => Some(crate::market::calendar::session_at(now)),
            None => None,
        }
    }

    /// The extended trade's move against the last regular price: (change, change %).
    pub fn extended_change(&self) -> Option<(f64, f64)> {
        let e = self.extended?;
        (self.price > 0.0).then(|| (e.price - self.price, (e.price / self.price - 1.0) * 100.0))
    }

    /// The regular move against the previous close and, when `extended_hours`
    /// counts, the extended trade's against the last regular price.
    pub fn moves(&self, extended_hours: bool) -> (Option<Move>, Option<Move>) {
        let regular = self.change_pct().map(|pct| Move {
            change_pct: pct,
            price: self.price,
            session: None,
        });
        let extended = self
            .extended
            .filter(|_| extended_hours)
            .zip(self.extended_change())
            .map(|(e, (_, pct))| Move {
                change_pct: pct,
                price: e.price,
                session: Some(e.session),
            });
        (regular, extended)
    }

    /// The move the flag is measured on: the worse of the regular change and, when
    /// `extended_hours` counts, the extended one.
    pub fn flag_move(&self, extended_hours: bool) -> Option<Move> {
        match self.moves(extended_hours) {
            (Some(r), Some(e)) if e.change_pct < r.change_pct => Some(e),
            (Some(r), _) => Some(r),
            (None, e) => e,
        }
    }

    /// The flag under `thresholds`.
    pub fn level(&self, thresholds: Thresholds, extended_hours: bool) -> Level {
        self.flag_move(extended_hours)
            .map_or(Level::None, |m| thresholds.level(m.change_pct))
    }

    /// Market value gained or lost today, given the shares outstanding, in the
    /// major unit of the quote's currency (pounds for a price in pence).
    pub fn market_value_change(&self, shares: Option<f64>) -> Option<f64> {
        let divisor = self
            .currency
            .as_deref()
            .and_then(major_unit)
            .map_or(1.0, |(_, d)| d);
        self.change().zip(shares).map(|(c, s)| c * s / divisor)
    }

    /// The currency money is counted in: the major unit of the quote's ("GBP"
    /// for "GBp").
    pub fn money_currency(&self) -> Option<&str> {
        let c = self.currency.as_deref()?;
        Some(major_unit(c).map_or(c, |(major, _)| major))
    }
}

/// Currencies quoted in hundredths of their major unit: the code of the major
/// unit and the divisor. Case matters: `GBp` is pence, `GBP` pounds.
pub fn major_unit(currency: &str) -> Option<(&'static str, f64)> {
    match currency {
        "GBp" | "GBX" => Some(("GBP", 100.0)),
        "ZAc" => Some(("ZAR", 100.0)),
        "ILA" => Some(("ILS", 100.0)),
        _ => None,
    }
}

/// A trading period outside the regular session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtendedSession {
    Pre,
    Post,
}

impl ExtendedSession {
    /// The session [`ExtendedSession::as_str`] names, as stored.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pre" => Some(Self::Pre),
            "post" => Some(Self::Post),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pre => "pre",
            Self::Post => "post",
        }
    }

    /// As people say it: "NVDA -9.84% pre-market".
    pub fn label(self) -> &'static str {
        match self {
            Self::Pre => "pre-market",
            Self::Post => "after-hours",
        }
    }

    /// The badge on a ticker row.
    pub fn badge(self) -> &'static str {
        match self {
            Self::Pre => "PRE",
            Self::Post => "POST",
        }
    }
}

/// A trade in the pre-market or after hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extended {
    pub session: ExtendedSession,
    pub price: f64,
    pub time: DateTime<Utc>,
}

/// A move that sets a flag: how far, at what price, and in which session
/// (`None` for the regular one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    pub change_pct: f64,
    pub price: f64,
    pub session: Option<ExtendedSession>,
}

/// Where the market is in its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Session {
    Pre,
    Regular,
    Post,
    Closed,
}

impl Session {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pre => "pre",
            Self::Regular => "regular",
            Self::Post => "post",
            Self::Closed => "closed",
        }
    }
}

/// Pre-market, regular and post-market periods as unix-second ranges [start, end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub pre: Option<(i64, i64)>,
    pub regular: (i64, i64),
    pub post: Option<(i64, i64)>,
}

impl Periods {
    pub fn session_at(&self, t: i64) -> Session {
        let within = |p: Option<(i64, i64)>| p.is_some_and(|(s, e)| t >= s && t < e);
        if within(Some(self.regular)) {
            Session::Regular
        } else if within(self.pre) {
            Session::Pre
        } else if within(self.post) {
            Session::Post
        } else {
            Session::Closed
        }
    }
}

impl Quote {
    /// The quote with a provider's words made safe for a terminal: a long name
    /// or a currency carrying an OSC 52 sequence would write to the clipboard.
    pub fn sanitized(mut self) -> Self {
        self.name = self
            .name
            .map(|n| crate::clean::line(&n, 120))
            .filter(|n| !n.is_empty());
        self.currency = self
            .currency
            .map(|c| crate::clean::line(&c, 12))
            .filter(|c| !c.is_empty());
        self
    }
}

/// What an alert is about: the alert command's `{kind}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    /// The day's move crossed a drop line.
    #[default]
    Drop,
    /// A position's day loss crossed `alerts.position_loss`.
    Money,
    /// Trading in the symbol was halted (or the whole market: a circuit breaker).
    Halt,
    /// The price at or below the 52-week low.
    Low52,
    /// The price at or above the 52-week high.
    High52,
    /// The session opened `gap_pct` or more away from the previous close.
    Gap,
    /// The move differs from its benchmark's by `relative_pct` points or more.
    Relative,
    /// Volume `volume_x` times the usual for the time of day.
    Volume,
}

impl AlertEvent {
    /// The price and move the alert carries: none for a halt announced before
    /// any quote of its symbol came (stored as 0, its columns being required).
    pub fn priced(&self) -> Option<(f64, f64)> {
        (self.kind != AlertKind::Halt || self.price != 0.0).then_some((self.price, self.change_pct))
    }
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Drop => "drop",
            Self::Money => "money",
            Self::Halt => "halt",
            Self::Low52 => "low52",
            Self::High52 => "high52",
            Self::Gap => "gap",
            Self::Relative => "relative",
            Self::Volume => "volume",
        }
    }

    pub const ALL: [Self; 8] = [
        Self::Drop,
        Self::Money,
        Self::Halt,
        Self::Low52,
        Self::High52,
        Self::Gap,
        Self::Relative,
        Self::Volume,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What `[signals] alert` may name.
    pub fn is_signal_or_halt(self) -> bool {
        !matches!(self, Self::Drop | Self::Money)
    }
}

/// A symbol's flag transition that must be announced once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertEvent {
    pub kind: AlertKind,
    pub at: DateTime<Utc>,
    /// The trading day of the move, in the exchange's time zone: with the symbol,
    /// the session and the level, the alert's key (see [`crate::alert`]).
    pub day: NaiveDate,
    pub symbol: String,
    pub name: String,
    pub price: f64,
    pub change_pct: f64,
    pub level: Level,
    /// The session of the move that crossed the line; `None` for the regular one.
    pub session: Option<ExtendedSession>,
    /// The quote's currency, as quoted (`GBp` too).
    pub currency: Option<String>,
    /// The position's day gain or loss, in its currency's major unit, when there is a position.
    pub day_pnl: Option<f64>,
    /// The newest headline linked to the symbol in the hours before: why it moved.
    pub headline: Option<String>,
    /// When what is announced began, for what can happen more than once a day:
    /// a halt's time. With the kind, part of the alert's key.
    pub since: Option<DateTime<Utc>>,
    /// What a halt is, in words ("volatility pause (LUDP) · threshold 3.21").
    pub detail: Option<String>,
}

/// The outcome of one request to one provider for one symbol.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub provider: String,
    pub error: Option<String>,
}

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
    /// The feed's name, shared by every headline of the feed.
    pub feed: Arc<str>,
    /// The feed it came from.
    pub feed_id: FeedId,
    /// The feed's position in the config: the tie-break when two feeds carry one story.
    pub feed_index: usize,
    pub published: Option<DateTime<Utc>>,
    pub summary: String,
    pub symbols: Vec<String>,
    pub read: bool,
    /// An SEC filing's form type ("8-K"); `None` for news.
    pub filing: Option<String>,
}

impl Quote {
    /// `symbol` at `price` from `provider`, nothing else known yet.
    pub fn bare(symbol: &str, price: f64, provider: &str, fetched_at: DateTime<Utc>) -> Self {
        Self {
            symbol: symbol.into(),
            price,
            previous_close: None,
            open: None,
            day_high: None,
            day_low: None,
            volume: None,
            currency: None,
            market_time: None,
            utc_offset: None,
            series: vec![],
            periods: None,
            week52: None,
            extended: None,
            name: None,
            provider: provider.into(),
            fetched_at,
        }
    }
}

/// Fixtures for the library's unit tests.
#[cfg(test)]
impl Quote {
    /// `symbol` at `price` against `previous_close`, in USD, nothing else known.
    pub(crate) fn sample(symbol: &str, price: f64, previous_close: f64) -> Self {
        Self {
            previous_close: Some(previous_close),
            currency: Some("USD".into()),
            ..Self::bare(symbol, price, "yahoo", Utc::now())
        }
    }
}

#[cfg(test)]
impl Headline {
    /// A headline `id` titled `title` from a feed "Desk", undated, unlinked.
    pub(crate) fn sample(id: &str, title: &str) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            url: None,
            canonical: None,
            feed: "Desk".into(),
            feed_id: FeedId::from_stored("https://desk.example.com/rss"),
            feed_index: 0,
            published: None,
            summary: String::new(),
            symbols: vec![],
            read: false,
            filing: None,
        }
    }

    /// A headline titled by its `id`, published at unix second `at`, linked to `symbols`.
    pub(crate) fn linked(id: &str, at: i64, symbols: &[&str]) -> Self {
        Self {
            published: DateTime::from_timestamp(at, 0),
            symbols: symbols.iter().map(|s| s.to_string()).collect(),
            ..Self::sample(id, id)
        }
    }
}

#[cfg(test)]
impl AlertEvent {
    /// NVDA's alert at the close of 27 January 2025, without context.
    pub(crate) fn sample() -> Self {
        Self {
            kind: AlertKind::Drop,
            at: Utc::now(),
            day: NaiveDate::from_ymd_opt(2025, 1, 27).unwrap_or_default(),
            symbol: "NVDA".into(),
            name: "NVIDIA".into(),
            price: 118.42,
            change_pct: -16.968,
            level: Level::Alert,
            session: None,
            currency: Some("USD".into()),
            day_pnl: None,
            headline: None,
            since: None,
            detail: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds {
        warn_drop_pct: 5.0,
        alert_drop_pct: 10.0,
    };

    #[test]
    fn thresholds_are_inclusive() {
        assert_eq!(T.level(-4.999), Level::None);
        assert_eq!(T.level(-5.0), Level::Warn);
        assert_eq!(T.level(-9.99), Level::Warn);
        assert_eq!(T.level(-10.0), Level::Alert);
        assert_eq!(T.level(-16.97), Level::Alert);
        assert_eq!(T.level(3.18), Level::None);
    }

    #[test]
    fn market_value_moved_is_in_the_major_unit_of_a_quote_in_pence() {
        let q = Quote {
            currency: Some("GBp".into()),
            ..Quote::sample("OCDO.L", 250.0, 260.0)
        };
        let v = q.market_value_change(Some(830e6)).unwrap_or_default();
        assert!((v - -83e6).abs() < 1.0, "{v}: pounds, not pence");
        assert_eq!(q.money_currency(), Some("GBP"));
        assert_eq!(crate::format::money_short(v, q.money_currency()), "-£83.0M");
        let nvda = Quote::sample("NVDA", 118.42, 142.62);
        let v = nvda.market_value_change(Some(24.49e9)).unwrap_or_default();
        assert_eq!(crate::format::money_short(v, nvda.money_currency()), "-$593B");
    }

    #[test]
    fn change_pct_of_27_jan_nvda() {
        let q = Quote::sample("NVDA", 118.42, 142.62);
        let pct = q.change_pct().unwrap_or_default();
        assert!((pct - -16.968).abs() < 0.001, "{pct}");
        assert!((q.change().unwrap_or_default() - -24.2).abs() < 1e-9);
    }
}
