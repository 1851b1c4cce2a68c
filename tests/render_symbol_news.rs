//! A symbol's own news and filings on screen: the FILING chip, the filings'
//! chart marker, and each source's health in the detail view, not the status line.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::style::Color;
use tickwire::action::Action;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::model::{FeedId, FeedOutcome, FeedUpdate, Headline, Validators};
use tickwire::state::State;
use tickwire::update::{on_action, on_event};

use common::screen::{COLOR, col, draw, line};

const CONFIG: &str = r#"
[news]
sec_user_agent = "Tickwire Tests tests@example.com"
[quotes]
stream = false
[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "AMD", "^IXIC"]
[symbol."NVDA"]
name = "NVIDIA"
"#;

fn close() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 27, 21, 0, 0).unwrap()
}

fn id(state: &State, symbol: &str, name: &str) -> FeedId {
    state
        .own_sources(symbol)
        .find(|f| f.name == name)
        .map(|f| f.id.clone())
        .unwrap_or_else(|| panic!("no {name} source for {symbol}"))
}

fn answer(feed: FeedId, result: Result<Vec<Headline>, String>) -> Event {
    Event::FeedFetched(Box::new(FeedOutcome {
        feed,
        result: result.map(|headlines| FeedUpdate::Fresh {
            headlines,
            validators: Validators::default(),
            read: Default::default(),
        }),
        retry_after: None,
    }))
}

fn headline(id: &str, title: &str, minutes: i64, feed: &str, filing: Option<&str>) -> Headline {
    Headline {
        id: id.into(),
        title: title.into(),
        url: Some(format!("https://example.com/{id}")),
        canonical: Some(format!("https://example.com/{id}")),
        feed: feed.into(),
        feed_id: FeedId::default(),
        feed_index: 1,
        published: Some(close() + Duration::minutes(minutes)),
        summary: String::new(),
        symbols: vec!["NVDA".into()],
        read: false,
        filing: filing.map(String::from),
    }
}

fn state() -> State {
    let config = Arc::new(parse(CONFIG, ConfigOrigin::Embedded).unwrap());
    let mut s = State::new(config, 0, close().fixed_offset());
    let series: Vec<(i64, f64)> = (0..=78)
        .map(|i| {
            (
                close().timestamp() - 23_400 + i * 300,
                124.8 - f64::from(i as u32) * 0.08,
            )
        })
        .collect();
    let mut q = tickwire::model::Quote {
        day_high: Some(128.4),
        day_low: Some(116.7),
        market_time: Some(close()),
        series,
        fetched_at: close(),
        ..common::sample_quote("NVDA")
    };
    q.series.push((close().timestamp(), 118.42));
    on_event(&mut s, common::fetched(q));
    let yahoo = id(&s, "NVDA", "Yahoo");
    let sec = id(&s, "NVDA", "SEC");
    on_event(
        &mut s,
        answer(
            yahoo,
            Ok(vec![headline(
                "y-1",
                "Chip stocks slide as a cheap model rattles the AI trade",
                -200,
                "Yahoo",
                None,
            )]),
        ),
    );
    on_event(
        &mut s,
        answer(
            sec,
            Ok(vec![headline(
                "s-1",
                "8-K - Current report",
                -30,
                "SEC",
                Some("8-K"),
            )]),
        ),
    );
    // AMD's own news fails; EDGAR does not know the index.
    let amd = id(&s, "AMD", "Yahoo");
    on_event(&mut s, answer(amd, Err("HTTP 429 Too Many Requests".into())));
    on_event(
        &mut s,
        Event::Tick((close() + Duration::seconds(60)).fixed_offset()),
    );
    s
}

#[test]
fn filings_wear_a_chip_and_a_marker_of_their_own_and_failures_stay_in_the_detail_view() {
    let mut s = state();
    let t = draw(&s, 140, 36, COLOR);
    let buf = t.backend().buffer();
    let filing = (0..36)
        .find(|y| line(buf, *y).contains("FILING [NVDA] 8-K - Current report"))
        .expect("the filing in the headlines list with its chip");
    assert_eq!(
        buf[(col(buf, filing, "FILING").unwrap(), filing)].fg,
        Color::LightGreen
    );
    let status = line(buf, 35);
    assert!(status.contains("symbol news 2/5"), "{status}");
    assert!(
        !status.contains("429"),
        "a symbol's failed news is not the status line's: {status}"
    );
    assert!(
        (0..36).any(|y| line(buf, y).contains("▮1")),
        "the chart's legend counts the filing"
    );
    insta::assert_snapshot!("list_and_chart_140x36", t.backend());

    on_action(&mut s, Action::SelectNext);
    on_action(&mut s, Action::Activate);
    let t = draw(&s, 140, 36, COLOR);
    let text = format!("{:?}", t.backend());
    assert!(
        text.contains("News         Yahoo: HTTP 429 Too Many Requests"),
        "{text}"
    );
    on_action(&mut s, Action::CloseOverlay);
    on_action(&mut s, Action::SelectPrev);
    on_action(&mut s, Action::Activate);
    let t = draw(&s, 140, 36, COLOR);
    let text = format!("{:?}", t.backend());
    assert!(text.contains("News         Yahoo · 1 item · 1m ago"), "{text}");
    assert!(text.contains("Filings      SEC · 1 item · 1m ago"), "{text}");
    assert!(text.contains("FILING 8-K - Current report"), "{text}");
    insta::assert_snapshot!("detail_140x36", t.backend());
}

#[test]
fn filtering_by_a_ticker_keeps_its_filings() {
    let mut s = state();
    on_action(&mut s, Action::FilterTicker);
    assert_eq!(s.filter.ticker.as_deref(), Some("NVDA"));
    let titles: Vec<&str> = s
        .visible
        .iter()
        .map(|i| s.news.items()[*i].title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "8-K - Current report",
            "Chip stocks slide as a cheap model rattles the AI trade"
        ]
    );
    on_action(&mut s, Action::SelectNext);
    on_action(&mut s, Action::FilterTicker);
    assert!(s.visible.is_empty(), "AMD has nothing of its own yet");
}

#[test]
fn a_symbol_sec_does_not_know_has_no_filings_and_says_so() {
    let mut s = state();
    let amd = id(&s, "AMD", "SEC");
    let out = on_event(
        &mut s,
        Event::SourceAbsent {
            feed: amd.clone(),
            why: "none: not in SEC's list of tickers".into(),
        },
    );
    assert!(out.changed);
    let status = s.own_sources("AMD").find(|f| f.id == amd).unwrap();
    assert_eq!(
        status.absent.as_deref(),
        Some("none: not in SEC's list of tickers")
    );
    // Not counted among the sources that should answer.
    let t = draw(&s, 140, 36, COLOR);
    assert!(line(t.backend().buffer(), 35).contains("symbol news 2/4"));
    // The index never had a filings source.
    assert!(s.own_sources("^IXIC").all(|f| f.name == "Yahoo"));
}
