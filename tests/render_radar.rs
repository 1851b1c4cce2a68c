//! The shock radar on screen (TestBackend): a halt's HALT flag, banner line,
//! detail rows and alert-log entry, a resumption that shows then goes; the
//! Signals column and the detail view's signal rows.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use tickwire::action::Action;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::halts::{Halt, Read};
use tickwire::model::HaltsOutcome;
use tickwire::state::State;
use tickwire::ui::Theme;
use tickwire::update::{on_action, on_event};

use common::screen::{COLOR, draw, line};

const CONFIG: &str = r#"
[news]
per_symbol = false
[quotes]
stream = false
[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "AVGO", "ARM", "AAPL", "^NDX"]
benchmark = "^NDX"
[symbol."NVDA"]
name = "NVIDIA"
[symbol."AVGO"]
name = "Broadcom"
"#;

/// 09:45 New York time on 27 January 2025.
fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 27, 14, 45, 0).unwrap()
}

fn quote(symbol: &str, price: f64, prev: f64) -> Event {
    let mut q = common::sample_quote(symbol);
    q.price = price;
    q.previous_close = Some(prev);
    q.market_time = Some(at());
    q.utc_offset = chrono::FixedOffset::west_opt(5 * 3600);
    q.fetched_at = at();
    common::fetched(q)
}

fn halt(symbol: &str, code: &str, et: (u32, u32), resumed: Option<(u32, u32)>) -> Halt {
    let ny = |(h, m): (u32, u32)| Utc.with_ymd_and_hms(2025, 1, 27, h + 5, m, 0).unwrap();
    Halt {
        symbol: symbol.into(),
        name: None,
        market: Some("NASDAQ".into()),
        reason_code: code.into(),
        halted_at: ny(et),
        resumed_at: resumed.map(ny),
        threshold: None,
    }
}

fn answer(halts: Vec<Halt>) -> Event {
    Event::HaltsFetched(Box::new(HaltsOutcome {
        result: Ok(Read { halts, skipped: 0 }),
        at: at(),
    }))
}

fn state() -> State {
    let config = Arc::new(parse(CONFIG, ConfigOrigin::Embedded).unwrap());
    let mut s = State::new(config, 0, at().fixed_offset());
    on_event(&mut s, quote("NVDA", 124.80, 142.62));
    on_event(&mut s, quote("AVGO", 205.0, 236.2));
    on_event(&mut s, quote("ARM", 150.2, 167.25));
    on_event(&mut s, quote("AAPL", 224.02, 222.78));
    on_event(
        &mut s,
        answer(vec![
            halt("AVGO", "T1", (9, 41), None),
            halt("ARM", "LUDP", (9, 35), Some((9, 40))),
        ]),
    );
    s
}

fn text(s: &State, w: u16, h: u16, theme: Theme) -> String {
    let t = draw(s, w, h, theme);
    (0..h)
        .map(|y| line(t.backend().buffer(), y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_halt_is_flagged_and_bannered_at_80_columns() {
    let s = state();
    let t = draw(&s, 80, 24, COLOR);
    insta::assert_snapshot!(t.backend());
    let buf = t.backend().buffer();
    let halts = line(buf, 2);
    assert!(
        halts.contains("AVGO HALTED 09:41 ET T1  ·  ARM resumed 09:40 ET"),
        "{halts}"
    );
    let avgo = (0..24)
        .map(|y| line(buf, y))
        .find(|l| l.starts_with("│AVGO"))
        .unwrap();
    assert!(avgo.contains("HALT"), "the flag: {avgo}");
    let arm = (0..24)
        .map(|y| line(buf, y))
        .find(|l| l.starts_with("│ARM"))
        .unwrap();
    assert!(!arm.contains("HALT"), "resumed: {arm}");
}

#[test]
fn without_colour_the_halt_still_reads() {
    let s = state();
    let plain = text(&s, 100, 24, Theme { color: false });
    assert!(
        plain
            .contains("AVGO HALTED 09:41 ET · news pending (T1)  ·  ARM resumed 09:40 ET (volatility pause)"),
        "wide enough for the reasons: {plain}"
    );
    assert!(plain.contains("⏸ HALT"), "{plain}");
    assert!(plain.contains("HALT "), "{plain}");
}

#[test]
fn a_resumption_shows_a_while_then_goes() {
    let mut s = state();
    on_event(&mut s, answer(vec![halt("ARM", "LUDP", (9, 35), Some((9, 40)))]));
    let shown = text(&s, 100, 24, COLOR);
    assert!(shown.contains("▶ RESUMED  ARM resumed 09:40 ET"), "{shown}");
    let later = at() + Duration::minutes(11);
    on_event(&mut s, Event::Tick(later.fixed_offset()));
    let gone = text(&s, 100, 24, COLOR);
    assert!(!gone.contains("RESUMED"), "{gone}");
}

#[test]
fn the_detail_view_and_the_alert_log_say_when_and_why() {
    let mut s = state();
    s.selected = 1; // AVGO
    on_action(&mut s, Action::Activate);
    let detail = text(&s, 80, 24, COLOR);
    assert!(detail.contains("Halted       09:41 ET T1"), "{detail}");
    s.selected = 2; // ARM
    let arm = text(&s, 80, 24, COLOR);
    assert!(arm.contains("Halted       09:35 ET LUDP"), "{arm}");
    assert!(arm.contains("Resumed      09:40 ET"), "{arm}");
    on_action(&mut s, Action::ToggleAlertLog);
    let log = text(&s, 100, 24, COLOR);
    assert!(log.contains("AVGO    HALT   09:41 ET news pending (T1)"), "{log}");
}

#[test]
fn signals_have_a_column_and_rows_in_the_detail_view() {
    let mut s = state();
    let mut q = common::sample_quote("NVDA");
    q.open = Some(124.80);
    q.market_time = Some(at());
    q.fetched_at = at();
    on_event(&mut s, common::fetched(q));
    on_event(&mut s, quote("^NDX", 20825.23, 21447.42));
    let at80 = text(&s, 80, 24, COLOR);
    let nvda = at80.lines().find(|l| l.starts_with("│NVDA")).unwrap();
    assert!(
        nvda.contains("ALERT GAP REL"),
        "the stacked layout has room: {at80}"
    );
    let table = text(&s, 120, 24, COLOR);
    assert!(
        table.contains("│Symbol   Name") && !table.contains("Signals"),
        "beside the news at 120, the signals give way before the name: {table}"
    );
    assert!(
        text(&s, 180, 24, COLOR).contains("Signals"),
        "and come back when there is room"
    );
    on_action(&mut s, Action::Activate);
    let detail = text(&s, 80, 24, COLOR);
    assert!(detail.contains("Gap          -12.49% at the open"), "{detail}");
    assert!(detail.contains("Relative     -14.1 pts vs ^NDX"), "{detail}");
}

fn with_list(s: &mut State) {
    let rows = tickwire::market::breadth::parse_list(
        &std::fs::read(common::server::fixtures_dir().join("nasdaq/list_nasdaq100.json")).unwrap(),
    )
    .unwrap();
    on_event(
        s,
        Event::MarketFetched(Box::new(tickwire::model::MarketOutcome {
            result: Ok(rows),
            at: at(),
        })),
    );
}

#[test]
fn the_market_view_at_80_columns() {
    let mut s = state();
    with_list(&mut s);
    let strip = text(&s, 80, 24, COLOR);
    assert!(
        strip
            .lines()
            .nth(3)
            .unwrap()
            .starts_with(" NDX ▼4 ▲1 · 2 ≤ -7% · median -3.29%"),
        "{strip}"
    );
    on_action(&mut s, Action::ToggleMarket);
    let t = draw(&s, 80, 24, COLOR);
    insta::assert_snapshot!(t.backend());
    // Without colour the tiles' moves keep their signs.
    let plain = text(&s, 80, 24, Theme { color: false });
    assert!(plain.contains("-16.97%") && plain.contains("+3.18%"), "{plain}");
    // A failed poll keeps the list and says so in the strip.
    on_event(
        &mut s,
        Event::MarketFetched(Box::new(tickwire::model::MarketOutcome {
            result: Err("HTTP 403 Forbidden".into()),
            at: at(),
        })),
    );
    on_action(&mut s, Action::CloseOverlay);
    let kept = text(&s, 100, 24, COLOR);
    assert!(
        kept.contains("NDX ▼4 ▲1") && kept.contains("list: HTTP 403"),
        "{kept}"
    );
}
