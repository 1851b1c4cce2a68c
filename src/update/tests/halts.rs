//! The halt feed's answers in the reducer: what is announced, once.

use super::*;
use crate::halts::{Halt, Read};
use crate::model::{AlertKind, HaltsOutcome};

/// `symbol` halted `mins` minutes after t0 (10:00 New York), for `code`,
/// resumed `resumed` minutes after t0 if ever.
fn halt(symbol: &str, code: &str, mins: i64, resumed: Option<i64>) -> Halt {
    Halt {
        symbol: symbol.into(),
        name: None,
        market: Some("NASDAQ".into()),
        reason_code: code.into(),
        halted_at: t0() + Duration::minutes(mins),
        resumed_at: resumed.map(|m| t0() + Duration::minutes(m)),
        threshold: Some(118.5),
    }
}

fn answer(mut halts: Vec<Halt>) -> Event {
    halts.sort_by_key(|h| std::cmp::Reverse(h.halted_at));
    Event::HaltsFetched(Box::new(HaltsOutcome {
        result: Ok(Read { halts, skipped: 0 }),
        at: t0(),
    }))
}

fn halts_announced(out: &Outcome) -> Vec<(String, Option<String>)> {
    out.commands
        .iter()
        .filter_map(|c| match c {
            Command::Announce(e) if e.kind == AlertKind::Halt => Some((e.symbol.clone(), e.detail.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_halt_of_a_watched_symbol_is_announced_once_and_flagged() {
    let mut s = state();
    on_event(&mut s, ok("NVDA", 120.0, 142.62, t0()));
    on_event(&mut s, Event::Tick(tick(120)));
    let out = on_event(&mut s, answer(vec![halt("NVDA", "LUDP", 1, Some(6))]));
    assert_eq!(
        halts_announced(&out),
        [(
            "NVDA".into(),
            Some("volatility pause (LUDP) · threshold 118.50".into())
        )]
    );
    let e = s.alert_log.last().unwrap();
    assert_eq!(
        (e.price, e.level, e.since),
        (120.0, Level::Alert, Some(t0() + Duration::minutes(1)))
    );
    assert!(s.halts.active("NVDA", s.now).is_some(), "the flag says HALT");
    // Polled again, and after a restart (the ledger rebuilt from the log): quiet.
    let again = on_event(&mut s, answer(vec![halt("NVDA", "LUDP", 1, Some(6))]));
    assert!(halts_announced(&again).is_empty());
    let mut restarted = state();
    restarted.ledger = crate::alert::Ledger::from_log(&s.alert_log);
    on_event(&mut restarted, Event::Tick(tick(120)));
    let after = on_event(&mut restarted, answer(vec![halt("NVDA", "LUDP", 1, Some(6))]));
    assert!(halts_announced(&after).is_empty());
    // Resumed at 10:06: no longer halted.
    on_event(&mut s, Event::Tick(tick(7 * 60)));
    assert!(s.halts.active("NVDA", s.now).is_none());
}

#[test]
fn a_second_halt_the_same_day_is_news_and_yesterdays_is_not() {
    let mut s = state();
    on_event(&mut s, Event::Tick(tick(3600)));
    let friday = Halt {
        halted_at: t0() - Duration::days(3),
        ..halt("AAPL", "T1", 0, None)
    };
    let out = on_event(
        &mut s,
        answer(vec![
            friday,
            halt("NVDA", "LUDP", 1, Some(6)),
            halt("NVDA", "T1", 50, None),
        ]),
    );
    // The pause that resumed at 10:06 is history at 11:00; the news halt is on.
    assert_eq!(
        halts_announced(&out),
        [("NVDA".into(), Some("news pending (T1) · threshold 118.50".into()))]
    );
    assert_eq!(s.alert_log.last().map(|e| e.price), Some(0.0), "no quote yet");
    assert!(s.alert_log.last().is_some_and(|e| e.priced().is_none()));
    // Friday's halt without resumption is still on on Monday: flagged, not announced.
    assert!(s.halts.active("AAPL", s.now).is_some());
}

#[test]
fn a_circuit_breaker_is_one_announcement_for_everyone() {
    let mut s = state();
    on_event(&mut s, Event::Tick(tick(120)));
    let mut all: Vec<Halt> = ["NVDA", "AAPL", "MSFT", "IBM"]
        .iter()
        .map(|sym| halt(sym, "MWC1", 1, None))
        .collect();
    all.push(halt("ZZZ", "T1", 1, None));
    let out = on_event(&mut s, answer(all));
    let announced = halts_announced(&out);
    assert_eq!(announced.len(), 1, "{announced:?}");
    assert_eq!(announced[0].0, crate::update::MARKET);
    // A restart (the ledger from the log) does not announce it again; level 2 is news.
    let mut restarted = state();
    restarted.ledger = crate::alert::Ledger::from_log(&s.alert_log);
    on_event(&mut restarted, Event::Tick(tick(180)));
    let again = on_event(
        &mut restarted,
        answer(vec![halt("NVDA", "MWC1", 1, None), halt("MSFT", "MWC1", 1, None)]),
    );
    assert!(
        halts_announced(&again).is_empty(),
        "{:?}",
        halts_announced(&again)
    );
    let level2 = on_event(
        &mut restarted,
        answer(vec![halt("NVDA", "MWC2", 2, None), halt("NVDA", "MWC1", 1, None)]),
    );
    assert_eq!(halts_announced(&level2).len(), 1);
    assert!(s.halts.market_wide(s.now).is_some());
    let watched = s.config.all_symbols();
    let shown = s.halts.shown(&watched, s.now);
    assert_eq!(shown.len(), 1, "the breaker, not each symbol's halt: {shown:?}");
    assert_eq!(shown[0].symbol, None);
}

#[test]
fn a_failed_poll_keeps_the_last_answer_and_says_why() {
    let mut s = state();
    on_event(&mut s, Event::Tick(tick(120)));
    on_event(&mut s, answer(vec![halt("NVDA", "T1", 1, None)]));
    let out = on_event(
        &mut s,
        Event::HaltsFetched(Box::new(HaltsOutcome {
            result: Err("HTTP 403 Forbidden".into()),
            at: t0(),
        })),
    );
    assert!(out.changed && halts_announced(&out).is_empty());
    assert_eq!(s.halts.halts.len(), 1);
    assert_eq!(
        s.halts.error.as_ref().map(|e| e.0.as_str()),
        Some("HTTP 403 Forbidden")
    );
    on_event(&mut s, answer(vec![]));
    assert_eq!(s.halts.error, None);
}
