//! The alert rule, in one place. An alert is keyed by (symbol, trading day in
//! the exchange's own time zone, session, level) and is raised at most once per
//! key: across restarts (the ledger is rebuilt from the cached log), config
//! reloads, providers and the stream. A higher level covers the lower ones of
//! its key: a symbol that opens at `alert` is not announced at `warn` later.
//!
//! The trading day of a move comes from the quote's own exchange time (the
//! regular price's market time, or the extended trade's), never from the wall
//! clock or the moment of the fetch. A move raises an alert only when its day
//! is the quote's current trading day: in the pre-market the morning after a
//! crash, the regular part is yesterday's and stays silent. A quote shown from
//! the cache, not yet confirmed by a poll, raises nothing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::config::Config;
use crate::market::calendar;
use crate::model::{AlertEvent, AlertKind, ExtendedSession, Level, Move, Quote};

pub mod command;
pub use command::{command_argv, spawn};

/// One alert's identity. `session` is `None` for the regular one. Drops and
/// a position's loss share a key (`kind` is `Drop` for both: one move, one
/// announcement); a halt is keyed by its own time too, so a second halt of a
/// day is news and the same one polled again is not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub symbol: String,
    pub day: NaiveDate,
    pub session: Option<ExtendedSession>,
    pub kind: AlertKind,
    pub since: Option<DateTime<Utc>>,
}

impl Key {
    /// A market-wide circuit breaker's key: its level, once a day.
    pub fn breaker(level: &str, day: NaiveDate) -> Self {
        Self {
            symbol: format!("{} {level}", crate::update::MARKET),
            day,
            session: None,
            kind: AlertKind::Halt,
            since: None,
        }
    }

    /// The key of a move of `symbol` on `day` in `session` (`None`: regular).
    pub fn of_move(symbol: &str, day: NaiveDate, session: Option<ExtendedSession>) -> Self {
        Self {
            symbol: symbol.to_string(),
            day,
            session,
            kind: AlertKind::Drop,
            since: None,
        }
    }
}

/// The levels already raised, per key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    raised: HashMap<Key, Level>,
}

/// Days a ledger remembers behind the newest one it holds: a monitor left
/// running for months must not grow without bound.
const KEEP_DAYS: i64 = 10;

impl Ledger {
    /// The ledger that a log of raised alerts implies (the cache's, at start-up).
    pub fn from_log(log: &[AlertEvent]) -> Self {
        let mut l = Self::default();
        for a in log {
            l.record(a.key(), a.level);
        }
        l
    }

    /// The highest level raised for `key`.
    pub fn raised(&self, key: &Key) -> Level {
        self.raised.get(key).copied().unwrap_or_default()
    }

    pub fn record(&mut self, key: Key, level: Level) {
        let newest = key.day;
        let slot = self.raised.entry(key).or_default();
        *slot = (*slot).max(level);
        let oldest = newest - Duration::days(KEEP_DAYS);
        self.raised.retain(|k, _| k.day >= oldest);
    }

    pub fn len(&self) -> usize {
        self.raised.len()
    }

    pub fn is_empty(&self) -> bool {
        self.raised.is_empty()
    }
}

impl AlertEvent {
    pub fn key(&self) -> Key {
        if self.kind == AlertKind::Halt && self.symbol == crate::update::MARKET {
            let level = self.name.rsplit(' ').next().unwrap_or_default();
            return Key::breaker(level, self.day);
        }
        Key {
            symbol: self.symbol.clone(),
            day: self.day,
            session: self.session,
            kind: match self.kind {
                AlertKind::Money => AlertKind::Drop,
                k => k,
            },
            since: self.since,
        }
    }
}

/// A move that must be announced: the move, the level it reached, its key,
/// and whether the line it crossed is the drop's or the position's loss's.
#[derive(Debug, Clone, PartialEq)]
pub struct Raise {
    pub moved: Move,
    pub level: Level,
    pub key: Key,
    pub kind: AlertKind,
}

use crate::market::is_us;

/// The exchange's calendar date of `t` for the quote's market.
pub fn exchange_date(q: &Quote, t: DateTime<Utc>) -> NaiveDate {
    if is_us(q) {
        return calendar::local(t).date();
    }
    match q.utc_offset {
        Some(off) => t.with_timezone(&off).date_naive(),
        None => t.date_naive(),
    }
}

/// The trading day of a move: of the regular price's market time, or of the
/// extended trade. `None` when the provider gave no time: such a move cannot
/// be placed in a day, and never raises an alert.
pub fn move_day(q: &Quote, session: Option<ExtendedSession>) -> Option<NaiveDate> {
    let t = match session {
        None => q.market_time?,
        Some(s) => q.extended.filter(|e| e.session == s)?.time,
    };
    Some(exchange_date(q, t))
}

/// The quote's current trading day at `now`: the newest of its own trades'
/// days and, for US listings, the calendar's day (whose pre-market has opened);
/// for other markets the provider's periods, once the first one has begun.
pub fn current_day(q: &Quote, now: DateTime<Utc>) -> Option<NaiveDate> {
    let traded = move_day(q, None).max(q.extended.and_then(|e| move_day(q, Some(e.session))));
    let by_clock = if is_us(q) {
        Some(calendar::current_day(now))
    } else {
        q.periods.and_then(|p| {
            let first = p.pre.map_or(p.regular.0, |pre| pre.0.min(p.regular.0));
            let start = DateTime::from_timestamp(p.regular.0, 0)?;
            (now.timestamp() >= first).then(|| exchange_date(q, start))
        })
    };
    traded.max(by_clock)
}

/// What `quote` must announce now, if anything: the worst of its moves that
/// belong to the current trading day and reached a higher level than its key
/// has raised. The ledger is updated. A quote from the cache raises nothing.
pub fn decide(
    ledger: &mut Ledger,
    q: &Quote,
    config: &Config,
    now: DateTime<Utc>,
    from_cache: bool,
) -> Option<Raise> {
    if from_cache {
        return None;
    }
    let today = current_day(q, now)?;
    let extended_hours = config.alerts.extended_hours;
    let thresholds = config.thresholds(&q.symbol);
    let flag = q.flag_move(extended_hours);
    let (regular, extended) = q.moves(extended_hours);
    let mut due: Vec<Raise> = [regular, extended]
        .into_iter()
        .flatten()
        .filter(|m| move_day(q, m.session) == Some(today))
        .map(|m| {
            // A position's loss line counts for the move the flag is measured on.
            let dropped = thresholds.level(m.change_pct);
            let level = if Some(m) == flag {
                config.level_of(q).max(dropped)
            } else {
                dropped
            };
            let kind = if level > dropped {
                AlertKind::Money
            } else {
                AlertKind::Drop
            };
            let key = Key::of_move(&q.symbol, today, m.session);
            Raise {
                moved: m,
                level,
                key,
                kind,
            }
        })
        .filter(|r| r.level > ledger.raised(&r.key))
        .collect();
    due.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(a.moved.change_pct.total_cmp(&b.moved.change_pct))
    });
    // One announcement per quote: the worst; the others' keys are covered by it.
    for r in &due {
        ledger.record(r.key.clone(), r.level);
    }
    due.into_iter().next()
}

#[cfg(test)]
mod tests;
