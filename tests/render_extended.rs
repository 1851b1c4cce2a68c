//! Extended hours on screen: the banner names the session, the ticker row shows
//! the badge with the extended price and move, the chart draws the pre-market
//! apart from the session with its boundaries, the detail view lists both parts.

mod common;

use std::sync::Arc;

use chrono::{FixedOffset, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use reqwest::Url;
use tickwire::action::Action;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::model::{Attempt, QuoteOutcome};
use tickwire::source::provider;
use tickwire::state::State;
use tickwire::ui::{self, Theme};
use tickwire::update::{on_action, on_event};

const CONFIG: &str = r#"
[news]
per_symbol = false
[quotes]
stream = false
[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "SMCI"]

[symbol."NVDA"]
name = "NVIDIA"
"#;

fn fixture_quote(file: &str, symbol: &str) -> Event {
    let body = std::fs::read(common::server::fixtures_dir().join(file)).unwrap();
    let yahoo = provider::build("yahoo", Url::parse("http://127.0.0.1:1/").unwrap()).unwrap();
    let q = yahoo.parse(symbol, &body, Utc::now()).unwrap();
    Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: symbol.into(),
        result: Ok(q),
        attempts: vec![Attempt {
            provider: "yahoo".into(),
            error: None,
        }],
        retry_after: None,
    }))
}

/// 05:10 in New York on 27 January 2025: NVDA down 9.84% in the pre-market; SMCI
/// after a flat day that fell 15% after hours (a fixture of another evening).
fn state() -> State {
    let config = Arc::new(parse(CONFIG, ConfigOrigin::Embedded).unwrap());
    let at = chrono::DateTime::parse_from_rfc3339("2025-01-27T05:10:00-05:00").unwrap();
    let mut s = State::new(
        config,
        0,
        at.with_timezone(&FixedOffset::west_opt(5 * 3600).unwrap()),
    );
    on_event(&mut s, fixture_quote("yahoo/premarket_fall.json", "NVDA"));
    on_event(&mut s, fixture_quote("yahoo/afterhours_fall.json", "SMCI"));
    s
}

fn draw(state: &State, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::render(f, state, Theme { color: true })).unwrap();
    t
}

fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn the_pre_market_fall_on_the_split_view() {
    let s = state();
    let t = draw(&s, 120, 30);
    let screen = text(&t);
    assert!(
        screen.contains("ALERT  SMCI -15.00% after-hours  ·  NVDA (NVIDIA) -9.84% pre-market"),
        "{screen}"
    );
    let nvda = screen.lines().find(|l| l.starts_with("│NVDA")).unwrap();
    assert!(
        nvda.contains("142.62") && nvda.contains("PRE 128.59 -9.84%"),
        "{nvda}"
    );
    assert!(nvda.contains("ALERT"), "{nvda}");
    assert!(
        screen.contains("ext. hours") || screen.contains(" ext."),
        "the chart's legend names the extended-hours bars"
    );
    insta::assert_snapshot!(t.backend());
}

#[test]
fn the_detail_view_lists_both_parts() {
    let mut s = state();
    on_action(&mut s, Action::Activate);
    let screen = text(&draw(&s, 120, 30));
    assert!(screen.contains("Change       +0.00 (+0.00%)"), "{screen}");
    assert!(screen.contains("PRE 05:10    128.59 -9.84% -14.03"), "{screen}");
}

/// Beside the news with the Extended column, the fixed columns keep their width:
/// the status gives way, never a price ("100.00 idx" once read "0.00 idx").
#[test]
fn the_extended_column_never_squeezes_a_price() {
    let text_config = CONFIG.replace(
        "symbols = [\"NVDA\", \"SMCI\"]",
        "symbols = [\"NVDA\", \"SMCI\", \"AVGO\"]",
    ) + "[symbol.\"AVGO\"]\nbasis = \"rebased\"\n";
    let config = Arc::new(parse(&text_config, ConfigOrigin::Embedded).unwrap());
    let at = chrono::DateTime::parse_from_rfc3339("2025-01-27T05:10:00-05:00").unwrap();
    let mut s = State::new(config, 0, at);
    on_event(&mut s, fixture_quote("yahoo/premarket_fall.json", "NVDA"));
    let mut avgo = common::sample_quote("AVGO");
    avgo.price = 100.0;
    avgo.previous_close = Some(100.0);
    on_event(&mut s, common::fetched(avgo));
    let t = text(&draw(&s, 100, 30));
    let row = t.lines().find(|l| l.starts_with("│AVGO")).unwrap();
    assert!(row.contains("100.00 idx"), "{t}");
    assert!(t.contains("Extended"), "{t}");
}
