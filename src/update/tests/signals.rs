//! `[signals] alert`: a signal announced once per day and kind, and never for
//! a benchmark no watchlist lists.

use super::*;
use crate::model::AlertKind;

const SIGNALS: &str = r#"
[signals]
alert = ["gap", "relative"]

[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "AAPL"]
benchmark = "^IXIC"
"#;

fn signal_state() -> State {
    let config = parse(SIGNALS, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    State::new(Arc::new(config), 0, t0().fixed_offset())
}

fn priced(symbol: &str, price: f64, prev: f64, open: Option<f64>) -> Event {
    let mut q = quote(symbol, price, prev, t0());
    q.open = open;
    common_fetched(q)
}

fn signals_announced(out: &Outcome) -> Vec<(String, AlertKind, Option<String>)> {
    out.commands
        .iter()
        .filter_map(|c| match c {
            Command::Announce(e) if e.kind.is_signal_or_halt() => {
                Some((e.symbol.clone(), e.kind, e.detail.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_gap_and_a_move_apart_from_the_benchmark_are_announced_once() {
    let mut s = signal_state();
    assert!(s.watches("^IXIC"), "the benchmark is priced");
    // Down 30%: past any line, yet nobody lists it.
    let bench = on_event(&mut s, priced("^IXIC", 13968.0, 19954.30, None));
    assert!(
        announced(&bench).is_empty(),
        "a benchmark nobody lists raises nothing"
    );
    assert!(s.alerts().is_empty(), "nor is it in the banner");
    let bench = on_event(&mut s, priced("^IXIC", 19341.83, 19954.30, None));
    assert!(
        announced(&bench).is_empty(),
        "a benchmark nobody lists raises nothing"
    );
    let out = on_event(&mut s, priced("NVDA", 124.0, 142.62, Some(124.80)));
    assert_eq!(
        signals_announced(&out),
        [
            (
                "NVDA".into(),
                AlertKind::Gap,
                Some("opened -12.49% from the close".into())
            ),
            (
                "NVDA".into(),
                AlertKind::Relative,
                Some("-10.0 pts vs ^IXIC".into())
            ),
        ]
    );
    let again = on_event(&mut s, priced("NVDA", 120.0, 142.62, Some(124.80)));
    assert!(signals_announced(&again).is_empty());
    // Restarted: the log says what was raised.
    let mut restarted = signal_state();
    restarted.ledger = crate::alert::Ledger::from_log(&s.alert_log);
    on_event(&mut restarted, priced("^IXIC", 19341.83, 19954.30, None));
    let after = on_event(&mut restarted, priced("NVDA", 120.0, 142.62, Some(124.80)));
    assert!(signals_announced(&after).is_empty());
    assert_eq!(s.signals("NVDA").len(), 2, "still shown");
}

#[test]
fn signals_not_asked_for_are_shown_not_announced() {
    let mut s = signal_state();
    let mut q = quote("AAPL", 259.0, 250.0, t0());
    q.week52 = Some((164.08, 258.5));
    let out = on_event(&mut s, common_fetched(q));
    assert!(signals_announced(&out).is_empty());
    assert_eq!(s.signals("AAPL")[0].kind, AlertKind::High52);
}

#[test]
fn yesterdays_figures_in_the_pre_market_say_nothing() {
    let mut s = signal_state();
    // Tuesday 05:00 New York: the regular price is Monday's.
    on_event(&mut s, Event::Tick((t0() + Duration::hours(19)).fixed_offset()));
    let out = on_event(&mut s, priced("NVDA", 124.0, 142.62, Some(124.80)));
    assert!(signals_announced(&out).is_empty());
}

fn common_fetched(q: Quote) -> Event {
    Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: q.symbol.clone(),
        result: Ok(q),
        attempts: vec![],
        retry_after: None,
    }))
}

#[test]
fn volume_far_above_the_usual_by_now_is_a_signal() {
    let mut s = signal_state();
    let mut q = quote("NVDA", 124.0, 142.62, t0());
    // t0 is 10:00 New York: a twelfth of the session gone (30 of 390 minutes).
    let open = t0().timestamp() - 30 * 60;
    q.periods = Some(crate::model::Periods {
        pre: None,
        regular: (open, open + 390 * 60),
        post: None,
    });
    q.volume = Some(100_000_000);
    on_event(&mut s, common_fetched(q));
    assert!(
        s.signals("NVDA").iter().all(|x| x.kind != AlertKind::Volume),
        "no usual volume yet"
    );
    on_event(
        &mut s,
        Event::UsualVolume {
            symbol: "NVDA".into(),
            result: Ok(250e6),
        },
    );
    // 250M a day, 30/390 of it by now: 19.2M usual (never below a tenth: 25M); 100M is 4x.
    let vol = s
        .signals("NVDA")
        .into_iter()
        .find(|x| x.kind == AlertKind::Volume)
        .unwrap();
    assert_eq!(vol.value, 4.0);
    assert_eq!(vol.text, "volume 4.0x the usual by now");
    // A failed fetch keeps the average.
    on_event(
        &mut s,
        Event::UsualVolume {
            symbol: "NVDA".into(),
            result: Err("HTTP 500".into()),
        },
    );
    assert!(s.signals("NVDA").iter().any(|x| x.kind == AlertKind::Volume));
}
