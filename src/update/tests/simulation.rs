//! A deterministic simulation of the reducer over market weeks: a US holiday
//! (Martin Luther King Jr. Day, 20 January 2025), a weekend, the switch to
//! daylight saving time (9 March 2025); Yahoo's and Nasdaq's answers in every
//! session, the stream interleaved with polls (out of order, duplicated, with
//! and without its own previous close), failed polls leaving stale closes, and
//! restarts from the cache in between. After every step:
//! - every alert is for its quote's current trading day, and its move is the
//!   true one (against the previous close of that day, not a stale one);
//! - no key (symbol, day, session, level) is raised twice, across restarts;
//! - a quote from the cache raises nothing;
//! - the flag shown is the flag of the move shown;
//! - a polled move of the current day that crossed a line has been announced.
//!
//! `cargo test --lib simulation` runs the named weeks and 64 generated ones;
//! `PROPTEST_CASES=20000 cargo test --release --lib simulation` runs longer.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::alert::Key;
use crate::cache::Snapshot;
use crate::market::{calendar, eastern};
use crate::model::{Extended, ExtendedSession, StreamEvent, Ticker};

const SYMBOL: &str = "NVDA";

/// One trade of the simulated market.
#[derive(Debug, Clone, Copy)]
struct Trade {
    time: DateTime<Utc>,
    session: Option<ExtendedSession>,
    price: f64,
}

/// The true market: each trading day's trades, in time order.
struct Market {
    days: BTreeMap<NaiveDate, Vec<Trade>>,
}

impl Market {
    fn close(&self, d: NaiveDate) -> f64 {
        self.days
            .get(&d)
            .into_iter()
            .flatten()
            .rev()
            .find(|t| t.session.is_none())
            .map_or(100.0, |t| t.price)
    }

    /// What a move of `day` in `session` is truly measured against.
    fn base(&self, day: NaiveDate, session: Option<ExtendedSession>) -> f64 {
        match session {
            Some(ExtendedSession::Post) => self.close(day),
            _ => self.close(calendar::previous_trading_day(day)),
        }
    }

    fn trades_until(&self, w: DateTime<Utc>) -> impl Iterator<Item = (NaiveDate, &Trade)> {
        self.days
            .iter()
            .flat_map(|(d, ts)| ts.iter().map(move |t| (*d, t)))
            .filter(move |(_, t)| t.time <= w)
    }

    /// A provider's answer at wall time `w`: the last regular trade with its day's
    /// previous close, the extended trade after it, the periods of the newest day.
    fn quote(&self, w: DateTime<Utc>, nasdaq: bool) -> Option<Quote> {
        let (rday, r) = self.trades_until(w).filter(|(_, t)| t.session.is_none()).last()?;
        let e = self
            .trades_until(w)
            .filter(|(_, t)| t.session.is_some() && t.time > r.time)
            .last();
        let newest = e.map_or(rday, |(d, _)| d);
        Some(Quote {
            market_time: Some(r.time),
            utc_offset: Some(eastern::offset_on(newest)),
            periods: if nasdaq { None } else { calendar::periods(newest) },
            extended: e.map(|(_, t)| Extended {
                session: t.session.unwrap_or(ExtendedSession::Pre),
                price: t.price,
                time: t.time,
            }),
            provider: if nasdaq { "nasdaq" } else { "yahoo" }.into(),
            fetched_at: w,
            ..Quote::sample(SYMBOL, r.price, self.base(rday, None))
        })
    }
}

/// What happens at one moment of wall-clock time.
#[derive(Debug, Clone)]
enum Step {
    Poll {
        nasdaq: bool,
    },
    FailedPoll,
    /// The stream's frame for a trade, with the day's previous close or without.
    Tick {
        trade: Trade,
        with_close: bool,
    },
    Restart,
}

/// New York's `h:m` on `d`, in UTC.
fn ny(d: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    let local = d.and_hms_opt(h, m, 0).unwrap_or_default();
    (local - Duration::seconds(i64::from(eastern::offset_on(d).local_minus_utc()))).and_utc()
}

/// Trades from day moves: per trading day, (pre-market move, regular moves, after-hours move).
fn market(first: NaiveDate, days: i64, moves: &[(f64, [f64; 3], f64)]) -> Market {
    let mut m = Market {
        days: BTreeMap::new(),
    };
    let mut close = 100.0;
    let mut i = 0;
    let before = calendar::previous_trading_day(first);
    m.days.insert(
        before,
        vec![Trade {
            time: ny(before, 16, 0),
            session: None,
            price: close,
        }],
    );
    for n in 0..days {
        let d = first + Duration::days(n);
        if !calendar::is_trading_day(d) {
            continue;
        }
        let (pre, regular, post) = moves[i % moves.len()];
        i += 1;
        // The last regular trade is stamped at the close, as both providers stamp it.
        let end = if calendar::is_early_close(d) { 13 } else { 16 };
        let mut ts = vec![
            Trade {
                time: ny(d, 4, 30),
                session: Some(ExtendedSession::Pre),
                price: close * (1.0 + pre / 2.0),
            },
            Trade {
                time: ny(d, 8, 0),
                session: Some(ExtendedSession::Pre),
                price: close * (1.0 + pre),
            },
        ];
        for (h, min, mv) in [(9, 45, regular[0]), (11, 59, regular[1]), (end, 0, regular[2])] {
            ts.push(Trade {
                time: ny(d, h, min),
                session: None,
                price: close * (1.0 + mv),
            });
        }
        let c = ts.last().map_or(close, |t| t.price);
        ts.push(Trade {
            time: ny(d, end + 2, 0),
            session: Some(ExtendedSession::Post),
            price: c * (1.0 + post),
        });
        close = c;
        m.days.insert(d, ts);
    }
    m
}

/// Wall-clock moments and what happens at each: a poll and a tick at every
/// trade, polls at night, on the weekend and the holiday, then the chaos.
fn schedule(m: &Market, chaos: &[(u8, u8)]) -> Vec<(DateTime<Utc>, Step)> {
    let mut v: Vec<(DateTime<Utc>, Step)> = Vec::new();
    for ts in m.days.values() {
        for t in ts {
            v.push((
                t.time,
                Step::Tick {
                    trade: *t,
                    with_close: false,
                },
            ));
            v.push((t.time + Duration::seconds(20), Step::Poll { nasdaq: false }));
        }
    }
    let (first, last) = match (m.days.keys().next(), m.days.keys().last()) {
        (Some(a), Some(b)) => (*a, *b + Duration::days(1)),
        _ => return v,
    };
    let mut d = first;
    while d <= last {
        for h in [2, 10, 22] {
            v.push((ny(d, h, 5), Step::Poll { nasdaq: h == 2 }));
        }
        d += Duration::days(1);
    }
    v.sort_by_key(|(t, _)| *t);
    for (i, &(what, arg)) in chaos.iter().enumerate() {
        if v.is_empty() {
            break;
        }
        let at = (usize::from(arg) * 7919 + i * 104_729) % v.len();
        match what % 7 {
            0 => v[at].1 = Step::Poll { nasdaq: true },
            1 => v[at].1 = Step::FailedPoll,
            2 => v.insert(at, (v[at].0, Step::Restart)),
            // The stream sends the frame again, later.
            3 => {
                let later = (at + usize::from(arg % 5) + 1).min(v.len() - 1);
                let repeat = (v[later].0, v[at].1.clone());
                v.insert(later, repeat);
            }
            // Two steps arrive in the other order, both when the later one happened
            // (nothing is known before it happens).
            4 if at + 1 < v.len() => {
                let (a, b) = (v[at].1.clone(), v[at + 1].1.clone());
                v[at] = (v[at + 1].0, b);
                v[at + 1].1 = a;
            }
            5 => {
                if let Step::Tick { with_close, .. } = &mut v[at].1 {
                    *with_close = true;
                }
            }
            // A run of failed polls: the stream alone, across a day boundary maybe.
            _ => {
                for s in v.iter_mut().skip(at).take(usize::from(arg % 40)) {
                    if matches!(s.1, Step::Poll { .. }) {
                        s.1 = Step::FailedPoll;
                    }
                }
            }
        }
    }
    v
}

fn config() -> Arc<crate::config::Config> {
    Arc::new(parse(CONFIG, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}")))
}

/// Runs the schedule through the reducer, checking every invariant after every
/// step; returns every alert raised, across restarts.
fn run(m: &Market, steps: &[(DateTime<Utc>, Step)]) -> Vec<AlertEvent> {
    let Some(start) = steps.first().map(|(t, _)| *t) else {
        return Vec::new();
    };
    let mut s = State::new(config(), 0, start.fixed_offset());
    let mut raised: Vec<AlertEvent> = Vec::new();
    let mut keys: HashSet<(Key, Level)> = HashSet::new();
    for (w, step) in steps {
        let now = *w + Duration::seconds(1);
        on_event(&mut s, Event::Tick(now.fixed_offset()));
        let cached_before = s.quotes.get(SYMBOL).is_some_and(|e| e.from_cache);
        let event = match step {
            Step::Restart => {
                let snapshot = Snapshot {
                    quotes: s.quotes.values().filter_map(|e| e.quote.clone()).collect(),
                    alerts: s.alert_log.clone(),
                    ..Snapshot::default()
                };
                s = State::new(config(), 0, now.fixed_offset());
                s.restore(snapshot);
                continue;
            }
            Step::Poll { nasdaq } => match m.quote(*w, *nasdaq) {
                Some(q) => Event::QuoteFetched(Box::new(QuoteOutcome {
                    symbol: SYMBOL.into(),
                    result: Ok(q),
                    attempts: vec![],
                    retry_after: None,
                })),
                None => continue,
            },
            Step::FailedPoll => failed(SYMBOL, "HTTP 429 Too Many Requests"),
            Step::Tick { trade, with_close } => {
                let day = calendar::local(trade.time).date();
                let base = m.base(day, trade.session);
                Event::Streamed(Box::new(StreamEvent::Tick {
                    symbol: SYMBOL.into(),
                    ticker: Ticker {
                        price: Some(trade.price),
                        time: Some(trade.time),
                        market_hours: Some(match trade.session {
                            Some(ExtendedSession::Pre) => 0,
                            None => 1,
                            Some(ExtendedSession::Post) => 2,
                        }),
                        previous_close: with_close.then_some(base).filter(|_| trade.session.is_none()),
                        ..Ticker::default()
                    },
                }))
            }
        };
        let out = on_event(&mut s, event);
        for c in &out.commands {
            let Command::Announce(a) = c else { continue };
            assert_eq!(a.day, calendar::current_day(now), "{a:?} at {now}");
            let truth = (a.price / m.base(a.day, a.session) - 1.0) * 100.0;
            assert!(
                (a.change_pct - truth).abs() < 1e-6,
                "{a:?}: the true move is {truth} ({step:?}, {:?})",
                s.quotes.get(SYMBOL)
            );
            assert!(keys.insert((a.key(), a.level)), "{a:?} raised twice (at {now})");
            assert!(
                !(cached_before && matches!(step, Step::Tick { .. })),
                "{a:?} from a cached quote"
            );
            raised.push(a.clone());
        }
        for e in s.quotes.values() {
            if let Some(q) = &e.quote {
                assert_eq!(e.level, s.config.level_of(q), "the flag of the move shown");
            }
        }
        if let Step::Poll { .. } = step
            && let Some(q) = s.quotes.get(SYMBOL).and_then(|e| e.quote.as_ref())
        {
            let day = calendar::current_day(now);
            let level = s
                .config
                .thresholds(SYMBOL)
                .level(q.change_pct().unwrap_or_default());
            if crate::alert::move_day(q, None) == Some(day) && level > Level::None {
                let key = Key::of_move(SYMBOL, day, None);
                assert!(
                    s.ledger.raised(&key) >= level,
                    "{q:?} crossed {level:?} unannounced"
                );
            }
        }
    }
    // Within one key, levels only rise.
    for a in &raised {
        let later_lower = raised
            .iter()
            .any(|b| b.key() == a.key() && b.at > a.at && b.level <= a.level);
        assert!(!later_lower, "{a:?} followed by a lower or equal level");
    }
    raised
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// Friday 17 January 2025 crashes in the pre-market and the regular session; the
/// weekend and Martin Luther King Jr. Day pass quietly; Tuesday falls again.
#[test]
fn a_crash_before_a_long_weekend_is_announced_once_per_session_and_level() {
    let moves = [
        (-0.12, [-0.08, -0.11, -0.17], -0.02),
        (0.01, [0.02, 0.01, 0.0], 0.0),
        (0.0, [-0.06, -0.04, -0.03], 0.0),
    ];
    let m = market(d(2025, 1, 17), 6, &moves);
    let steps = schedule(&m, &[(2, 100), (2, 200), (3, 7), (4, 9)]);
    let got: Vec<(String, Option<ExtendedSession>, Level)> = run(&m, &steps)
        .iter()
        .map(|a| (a.day.to_string(), a.session, a.level))
        .collect();
    let want = [
        ("2025-01-17", Some(ExtendedSession::Pre), Level::Warn),
        ("2025-01-17", Some(ExtendedSession::Pre), Level::Alert),
        ("2025-01-17", None, Level::Warn),
        ("2025-01-17", None, Level::Alert),
        ("2025-01-22", None, Level::Warn),
    ];
    let want: Vec<_> = want.iter().map(|(d, s, l)| (d.to_string(), *s, *l)).collect();
    assert_eq!(got, want);
}

/// The week of the switch to daylight saving time: 04:00 New York moves from
/// 09:00 to 08:00 UTC, and the trading day with it.
#[test]
fn the_switch_to_daylight_saving_time_keeps_each_day_its_own() {
    let moves = [
        (0.0, [-0.02, -0.03, -0.04], 0.0),
        (-0.06, [-0.01, 0.0, 0.01], -0.11),
    ];
    let m = market(d(2025, 3, 7), 5, &moves);
    let steps = schedule(&m, &[(2, 50), (6, 30)]);
    let got: Vec<(String, Option<ExtendedSession>, Level)> = run(&m, &steps)
        .iter()
        .map(|a| (a.day.to_string(), a.session, a.level))
        .collect();
    assert_eq!(
        got,
        [
            ("2025-03-10".to_string(), Some(ExtendedSession::Pre), Level::Warn),
            (
                "2025-03-10".to_string(),
                Some(ExtendedSession::Post),
                Level::Alert
            ),
        ]
    );
}

fn day_move() -> impl Strategy<Value = (f64, [f64; 3], f64)> {
    let pct = || prop_oneof![Just(0.0), -0.2..0.05f64];
    (pct(), [pct(), pct(), pct()], pct())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_weeks_keep_every_invariant(
        moves in proptest::collection::vec(day_move(), 1..5),
        chaos in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..40),
        dst in any::<bool>(),
    ) {
        let first = if dst { d(2025, 3, 6) } else { d(2025, 1, 16) };
        let m = market(first, 7, &moves);
        run(&m, &schedule(&m, &chaos));
    }
}
