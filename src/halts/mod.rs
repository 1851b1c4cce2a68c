//! Trading halts from Nasdaq Trader's halt feed: an RSS document read by the
//! feed reader, whose items carry `ndaq:` fields. Its times are New York's,
//! converted with the daylight-saving rules of the halt's own date.

pub mod board;
pub mod reason;

pub use board::Board;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use reqwest::Url;

use crate::market::{calendar, eastern};
use crate::news::feed::{self, Meta, NdaqField, ReadError};

/// One halt of one security, as the feed gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Halt {
    /// As the feed writes it ("BRK.B").
    pub symbol: String,
    pub name: Option<String>,
    /// "NASDAQ", "NYSE", "NYSE Arca", ...
    pub market: Option<String>,
    pub reason_code: String,
    pub halted_at: DateTime<Utc>,
    /// When trading resumed (or resumes: a T3 names the time ahead); `None`
    /// while the feed gives no trade time.
    pub resumed_at: Option<DateTime<Utc>>,
    /// A volatility pause's threshold price.
    pub threshold: Option<f64>,
}

impl Halt {
    /// The reason in plain words; an unknown code as itself.
    pub fn reason(&self) -> String {
        if self.reason_code.is_empty() {
            return "no reason given".into();
        }
        reason::words(&self.reason_code).map_or_else(|| self.reason_code.clone(), str::to_string)
    }

    /// "volatility pause (LUDP) · threshold 3.21"; an unknown code alone.
    pub fn describe(&self) -> String {
        let reason = self.reason();
        let mut text = if reason::words(&self.reason_code).is_none() {
            reason
        } else {
            format!("{reason} ({})", self.reason_code)
        };
        if let Some(p) = self.threshold {
            text.push_str(&format!(" · threshold {}", crate::format::price(p)));
        }
        text
    }

    pub fn is_market_wide(&self) -> bool {
        reason::is_market_wide(&self.reason_code)
    }

    /// The New York trading date of the halt.
    pub fn day(&self) -> NaiveDate {
        calendar::local(self.halted_at).date()
    }

    /// Trading has resumed by `now`.
    pub fn resumed_by(&self, now: DateTime<Utc>) -> bool {
        self.resumed_at.is_some_and(|r| r <= now)
    }

    /// Not resumed, and halted within the current or the last trading day: a
    /// halt without resumption from last week is history, not news.
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        let since = calendar::previous_trading_day(calendar::current_day(now));
        !self.resumed_by(now) && self.day() >= since && self.halted_at <= now
    }

    /// Whether this halt concerns `watched`, a symbol as Yahoo writes it: the
    /// feed lists US securities, whose share classes it writes "BRK.B" or
    /// "BRK/B" where Yahoo writes "BRK-B". A symbol with an exchange suffix
    /// ("OCDO.L"), an index or a pair is never one of them.
    pub fn concerns(&self, watched: &str) -> bool {
        if !may_halt(watched) {
            return false;
        }
        let ours = self.symbol.trim().chars().map(|c| {
            if matches!(c, '.' | '/' | ' ') {
                '-'
            } else {
                c.to_ascii_uppercase()
            }
        });
        ours.eq(watched.chars())
    }
}

/// Whether the halt feed may list `symbol` (Yahoo's spelling): a US security,
/// not a symbol with an exchange suffix ("OCDO.L"), an index, a currency pair
/// ("EURUSD=X") or a coin priced in a currency ("BTC-USD", where a US class
/// share is "BRK-B").
pub fn may_halt(symbol: &str) -> bool {
    !symbol.contains(['.', '=', '^']) && !is_coin(symbol)
}

/// The currencies a coin is quoted in, as Yahoo and Coinbase spell the pair's
/// second half; no US share class is spelled like one.
const QUOTED_IN: [&str; 16] = [
    "USD", "USDT", "USDC", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "CNY", "KRW", "INR", "SGD", "HKD",
    "BTC", "ETH",
];

fn is_coin(symbol: &str) -> bool {
    symbol
        .rsplit_once('-')
        .is_some_and(|(base, quote)| !base.is_empty() && QUOTED_IN.contains(&quote))
}

/// What one answer of the feed held.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Read {
    /// Newest first.
    pub halts: Vec<Halt>,
    /// Items without a symbol or a halt time that can be read.
    pub skipped: usize,
}

/// Reads an answer of the halt feed; the error says what came instead.
pub fn read(bytes: &[u8], meta: Meta, url: &Url) -> Result<Read, String> {
    let doc = crate::contain::contained(|| feed::read(bytes, meta, url))
        .map_err(|panic| {
            tracing::warn!(%panic, "the feed reader panicked on the halt feed");
            "the feed reader failed on this answer".to_string()
        })?
        .map_err(|e| match e {
            ReadError::Html => "expected the halt feed (RSS), got an HTML page".to_string(),
            e => crate::clean::line(&e.to_string(), 200),
        })?;
    let mut out = Read::default();
    for item in &doc.items {
        match item.ndaq.as_deref().and_then(|n| halt(n, item.title.as_deref())) {
            Some(h) => out.halts.push(h),
            None => out.skipped += 1,
        }
    }
    out.skipped += doc.skipped;
    out.halts.sort_by_key(|h| std::cmp::Reverse(h.halted_at));
    Ok(out)
}

fn halt(n: &feed::Ndaq, title: Option<&str>) -> Option<Halt> {
    let symbol = n
        .get(NdaqField::IssueSymbol)
        .or(title)
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| is_symbol(s))?;
    let date = n.get(NdaqField::HaltDate).and_then(date)?;
    let halted_at = at(date, n.get(NdaqField::HaltTime)?)?;
    let resumed_on = n
        .get(NdaqField::ResumptionDate)
        .and_then(self::date)
        .unwrap_or(date);
    let resumed_at = n
        .get(NdaqField::ResumptionTradeTime)
        .and_then(|t| at(resumed_on, t));
    let text = |f| {
        n.get(f)
            .map(|t| crate::clean::line(t, 120))
            .filter(|t| !t.is_empty())
    };
    Some(Halt {
        symbol,
        name: text(NdaqField::IssueName),
        market: text(NdaqField::Market),
        reason_code: text(NdaqField::ReasonCode).unwrap_or_default(),
        halted_at,
        resumed_at,
        threshold: n
            .get(NdaqField::PauseThresholdPrice)
            .and_then(|p| {
                p.trim()
                    .trim_start_matches('$')
                    .replace(',', "")
                    .parse::<f64>()
                    .ok()
            })
            .filter(|p| p.is_finite() && *p > 0.0),
    })
}

/// Letters, digits and the share-class separators, as exchanges write symbols.
fn is_symbol(s: &str) -> bool {
    (1..=16).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | ' ' | '+' | '='))
}

/// "MM/DD/YYYY".
fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%m/%d/%Y").ok()
}

/// New York's `time` ("HH:MM:SS", with milliseconds or without seconds) on
/// `date`, in UTC, by the daylight-saving rules of that date.
fn at(date: NaiveDate, time: &str) -> Option<DateTime<Utc>> {
    let time = time.trim();
    let t = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time, f).ok())?;
    let offset = eastern::offset_on(date);
    date.and_time(t)
        .and_local_timezone(offset)
        .single()
        .map(|t| t.to_utc())
}

#[cfg(test)]
mod tests;
