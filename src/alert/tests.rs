use chrono::{FixedOffset, TimeZone};

use super::*;
use crate::model::{Extended, Periods};

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, d, h, m, 0)
        .single()
        .unwrap_or_default()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, d).unwrap_or_default()
}

fn config() -> Config {
    crate::config::parse(
        "[[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\", \"SAP.DE\"]\n",
        crate::config::ConfigOrigin::Embedded,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// SAP on Xetra (UTC+1, no extended hours) on Monday 27 January: -12%.
fn xetra(now: DateTime<Utc>) -> Quote {
    let open = utc(27, 8, 0).timestamp();
    Quote {
        currency: Some("EUR".into()),
        utc_offset: FixedOffset::east_opt(3600),
        market_time: Some(utc(27, 16, 30)),
        periods: Some(Periods {
            pre: None,
            regular: (open, open + 8 * 3600 + 30 * 60),
            post: None,
        }),
        fetched_at: now,
        ..Quote::sample("SAP.DE", 88.0, 100.0)
    }
}

#[test]
fn other_exchanges_follow_the_providers_periods() {
    let q = xetra(utc(27, 17, 0));
    assert!(!is_us(&q));
    assert_eq!(current_day(&q, utc(27, 17, 0)), Some(day(27)));
    let mut ledger = Ledger::default();
    let r = decide(&mut ledger, &q, &config(), utc(27, 17, 0), false);
    assert_eq!(r.map(|r| (r.level, r.key.day)), Some((Level::Alert, day(27))));
    // Tuesday's periods have begun: Monday's move is no longer today's.
    let mut tuesday = q.clone();
    tuesday.periods = q.periods.map(|p| Periods {
        regular: (p.regular.0 + 86_400, p.regular.1 + 86_400),
        ..p
    });
    assert_eq!(current_day(&tuesday, utc(28, 8, 1)), Some(day(28)));
    let mut fresh = Ledger::default();
    assert_eq!(
        decide(&mut fresh, &tuesday, &config(), utc(28, 8, 1), false),
        None
    );
}

#[test]
fn a_move_without_an_exchange_time_raises_nothing() {
    let q = Quote::sample("SAP.DE", 50.0, 100.0);
    let mut ledger = Ledger::default();
    assert_eq!(decide(&mut ledger, &q, &config(), utc(27, 17, 0), false), None);
    assert!(ledger.is_empty());
}

#[test]
fn us_listings_are_told_by_their_offset_and_currency() {
    let winter = Quote {
        market_time: Some(utc(27, 21, 0)),
        utc_offset: FixedOffset::west_opt(5 * 3600),
        ..Quote::sample("NVDA", 1.0, 1.0)
    };
    assert!(is_us(&winter));
    let crypto = Quote {
        utc_offset: FixedOffset::east_opt(0),
        ..winter.clone()
    };
    assert!(!is_us(&crypto));
    // 21:30 New York is already Tuesday in UTC: the trading day is Monday.
    let late = Quote {
        extended: Some(Extended {
            session: ExtendedSession::Post,
            price: 1.0,
            time: utc(28, 0, 30),
        }),
        ..winter
    };
    assert_eq!(move_day(&late, Some(ExtendedSession::Post)), Some(day(27)));
}

#[test]
fn a_higher_level_covers_the_lower_one_and_each_key_is_raised_once() {
    let mut ledger = Ledger::default();
    let key = Key::of_move("NVDA", day(27), None);
    ledger.record(key.clone(), Level::Alert);
    ledger.record(key.clone(), Level::Warn);
    assert_eq!(ledger.raised(&key), Level::Alert);
    let pre = Key {
        session: Some(ExtendedSession::Pre),
        ..key.clone()
    };
    assert_eq!(ledger.raised(&pre), Level::None, "each session has its own key");
}

#[test]
fn the_ledger_forgets_days_long_past() {
    let mut ledger = Ledger::default();
    for d in 1..=31 {
        ledger.record(Key::of_move("NVDA", day(d), None), Level::Warn);
    }
    assert_eq!(ledger.len(), 11, "ten days behind the newest, and the newest");
}
