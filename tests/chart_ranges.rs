//! The chart's ranges on screen: `<` / `>` ask for a range's bars once per
//! symbol, `c` draws candlesticks, volume and events under their bars.

mod common;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use tickwire::action::{Action, Command};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::history::{Bar, ChartRange, Dividend, History};
use tickwire::model::{FeedId, FeedOutcome, FeedUpdate, HistoryOutcome, Validators};
use tickwire::news::Headline;
use tickwire::state::State;
use tickwire::ui::Theme;
use tickwire::update::{on_action, on_event};

use common::screen::{COLOR, draw, line};

const CONFIG: &str = r#"
[news]
per_symbol = false
[quotes]
stream = false
[[feed]]
name = "Wire"
url = "https://wire.example.com/rss"
[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "AAPL"]
[symbol."NVDA"]
name = "NVIDIA"
"#;

fn close() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 27, 21, 0, 0).unwrap()
}

fn state() -> State {
    let config = Arc::new(parse(CONFIG, ConfigOrigin::Embedded).unwrap());
    let mut s = State::new(config, 0, close().fixed_offset());
    for symbol in ["NVDA", "AAPL"] {
        let mut q = common::sample_quote(symbol);
        q.market_time = Some(close() - chrono::Duration::hours(1));
        q.open = Some(124.8);
        on_event(&mut s, common::fetched(q));
    }
    s
}

/// A month of daily bars of our own making on the month's real trading days
/// (1, 9 and 20 January closed): a climb, then the 27th's gap down.
fn month() -> Arc<History> {
    let days = [
        (2024, 12, 27),
        (2024, 12, 30),
        (2024, 12, 31),
        (2025, 1, 2),
        (2025, 1, 3),
        (2025, 1, 6),
        (2025, 1, 7),
        (2025, 1, 8),
        (2025, 1, 10),
        (2025, 1, 13),
        (2025, 1, 14),
        (2025, 1, 15),
        (2025, 1, 16),
        (2025, 1, 17),
        (2025, 1, 21),
        (2025, 1, 22),
        (2025, 1, 23),
        (2025, 1, 24),
        (2025, 1, 27),
    ];
    let closes = [
        137.0, 138.3, 134.3, 138.3, 144.5, 149.4, 140.1, 140.1, 135.9, 133.2, 131.8, 136.2, 133.6, 137.7,
        140.8, 147.1, 147.2, 142.6, 118.4,
    ];
    let bars = days
        .iter()
        .zip(closes)
        .enumerate()
        .map(|(i, (&(y, m, d), close))| {
            let open = if i == closes.len() - 1 {
                124.8
            } else {
                closes[i.saturating_sub(1)]
            };
            Bar {
                time: Utc.with_ymd_and_hms(y, m, d, 14, 30, 0).unwrap(),
                open: Some(open),
                high: Some(open.max(close) + 1.5),
                low: Some(open.min(close) - 1.5),
                close,
                adj_close: Some(close),
                volume: Some(if i == closes.len() - 1 {
                    818_830_900
                } else {
                    200_000_000 + i as u64 * 5_000_000
                }),
            }
        })
        .collect();
    Arc::new(History {
        symbol: "NVDA".into(),
        range: "1mo".into(),
        interval: "1d".into(),
        currency: Some("USD".into()),
        bars,
        dividends: vec![Dividend {
            time: Utc.with_ymd_and_hms(2025, 1, 8, 14, 30, 0).unwrap(),
            amount: 0.01,
        }],
        splits: vec![],
        capital_gains: vec![],
        utc_offset: None,
    })
}

fn answered(symbol: &str, range: ChartRange, history: Option<Arc<History>>, error: Option<&str>) -> Event {
    Event::HistoryFetched(Box::new(HistoryOutcome {
        symbol: symbol.into(),
        range,
        history,
        error: error.map(String::from),
        fetched: close(),
        body: None,
    }))
}

fn headline(id: &str, at: DateTime<Utc>) -> Event {
    let url = "https://wire.example.com/rss";
    Event::FeedFetched(Box::new(FeedOutcome {
        feed: FeedId::of(&reqwest::Url::parse(url).unwrap()),
        result: Ok(FeedUpdate::Fresh {
            headlines: vec![Headline {
                filing: None,
                id: id.into(),
                title: id.into(),
                url: None,
                canonical: None,
                feed: "Wire".into(),
                feed_id: Default::default(),
                feed_index: 0,
                published: Some(at),
                summary: String::new(),
                symbols: vec!["NVDA".into()],
                read: false,
            }],
            validators: Validators::default(),
            read: Default::default(),
        }),
        retry_after: None,
    }))
}

fn asks(commands: &[Command]) -> Vec<(String, ChartRange)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::FetchHistory { symbol, range } => Some((symbol.clone(), *range)),
            _ => None,
        })
        .collect()
}

fn text(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| line(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn stepping_through_ranges_asks_once_per_symbol_and_says_it_is_loading() {
    let mut s = state();
    assert!(asks(&on_action(&mut s, Action::RangePrev).commands).is_empty());
    assert!(s.notice.as_deref().unwrap().contains("1D is the shortest range"));
    let out = on_action(&mut s, Action::RangeNext);
    assert_eq!(asks(&out.commands), [("NVDA".to_string(), ChartRange::FiveDays)]);
    assert!(text(&draw(&s, 120, 40, COLOR)).contains("NVDA 5D: loading…"));
    // One ask in flight per symbol: stepping on asks nothing until it is answered.
    let out = on_action(&mut s, Action::RangeNext);
    assert!(asks(&out.commands).is_empty());
    // Another symbol has its own.
    let out = on_action(&mut s, Action::SelectNext);
    assert_eq!(asks(&out.commands), [("AAPL".to_string(), ChartRange::Month)]);
    on_action(&mut s, Action::SelectPrev);
    // The 5D answer comes: the range now shown (1M) is asked for at once.
    let out = on_event(
        &mut s,
        answered("NVDA", ChartRange::FiveDays, Some(month()), None),
    );
    assert_eq!(asks(&out.commands), [("NVDA".to_string(), ChartRange::Month)]);
    // A failure says why, and that r tries again.
    on_event(
        &mut s,
        answered(
            "NVDA",
            ChartRange::Month,
            None,
            Some("HTTP 503 Service Unavailable"),
        ),
    );
    let screen = text(&draw(&s, 120, 40, COLOR));
    assert!(
        screen.contains("NVDA 1M: HTTP 503 Service Unavailable (r tries again)"),
        "{screen}"
    );
    let out = on_action(&mut s, Action::RefreshAll);
    assert_eq!(asks(&out.commands), [("NVDA".to_string(), ChartRange::Month)]);
    // An answer without bars says so.
    let mut empty = (*month()).clone();
    empty.bars.clear();
    on_event(
        &mut s,
        answered("NVDA", ChartRange::Month, Some(Arc::new(empty)), None),
    );
    let screen = text(&draw(&s, 120, 40, COLOR));
    assert!(screen.contains("NVDA 1M: no bars in this range"), "{screen}");
    // The day is the quote's own bars: back on 1D nothing is asked.
    on_event(&mut s, answered("NVDA", ChartRange::Month, Some(month()), None));
    on_action(&mut s, Action::RangePrev);
    let out = on_action(&mut s, Action::RangePrev);
    assert!(asks(&out.commands).is_empty());
    assert_eq!(s.chart_view.range, ChartRange::Day);
}

#[test]
fn the_demo_replays_one_day_and_says_so() {
    let mut s = state();
    s.demo = true;
    let out = on_action(&mut s, Action::RangeNext);
    assert!(asks(&out.commands).is_empty());
    assert_eq!(s.chart_view.range, ChartRange::Day);
    assert!(s.notice.as_deref().unwrap().contains("the demo has one day"));
    // Candles work on the day.
    on_action(&mut s, Action::ToggleCandles);
    assert!(s.chart_view.candles);
}

fn month_shown() -> State {
    let mut s = state();
    on_event(
        &mut s,
        headline(
            "Chinese AI startup DeepSeek rattles chip stocks",
            close() - chrono::Duration::hours(9),
        ),
    );
    on_action(&mut s, Action::RangeNext);
    on_action(&mut s, Action::RangeNext);
    on_event(&mut s, answered("NVDA", ChartRange::Month, Some(month()), None));
    s
}

#[test]
fn a_month_as_a_line_with_its_change_events_and_a_headline_on_its_day() {
    let s = month_shown();
    let t = draw(&s, 120, 40, COLOR);
    let screen = text(&t);
    assert!(screen.contains("‹ 1M ›"), "{screen}");
    // From the month's first close (137.00) to the live price (118.42).
    assert!(screen.contains("1M -13.56%"), "{screen}");
    assert!(screen.contains("from 137.00"), "{screen}");
    assert!(screen.contains("D 1"), "{screen}");
    insta::assert_snapshot!("month_line_120x40", t.backend());
}

#[test]
fn candles_at_80x24_without_colour_are_hollow_up_and_filled_down() {
    let mut s = month_shown();
    on_action(&mut s, Action::ToggleCandles);
    on_action(&mut s, Action::FocusNext);
    on_action(&mut s, Action::FocusPrev);
    on_action(&mut s, Action::Activate);
    let t = draw(&s, 80, 24, Theme { color: false });
    let screen = text(&t);
    assert!(screen.contains('░') && screen.contains('█'), "{screen}");
    // The 27th's volume bar is the tallest, the headline sits under its day.
    assert!(screen.contains('•'), "{screen}");
    insta::assert_snapshot!("month_candles_detail_80x24", t.backend());
    let big = draw(&s, 120, 40, COLOR);
    insta::assert_snapshot!("month_candles_detail_120x40", big.backend());
}

#[test]
fn every_shape_of_answer_draws_as_a_line_and_as_candles_at_80x24() {
    for ((symbol, range, interval, body), bars, _, _) in common::shapes::all() {
        let shown = match range {
            "1d" | "5d" => ChartRange::FiveDays,
            "1mo" => ChartRange::Month,
            "5y" => ChartRange::FiveYears,
            _ => ChartRange::Max,
        };
        let h = tickwire::history::parse(body.as_bytes(), symbol, range, interval).unwrap();
        assert_eq!(h.bars.len(), bars, "{symbol}");
        let mut s = state();
        s.chart_view.range = shown;
        on_event(&mut s, answered("NVDA", shown, Some(Arc::new(h)), None));
        // The detail view: at 80x24 the split view has no room for a chart.
        on_action(&mut s, Action::Activate);
        for candles in [false, true] {
            s.chart_view.candles = candles;
            for (w, h) in [(80, 24), (120, 40)] {
                let screen = text(&draw(&s, w, h, COLOR));
                let label = format!("{} ", shown.label());
                assert!(
                    screen.contains(&label) && !screen.contains("loading"),
                    "{symbol} {w}x{h}:\n{screen}"
                );
            }
        }
    }
}

#[test]
fn a_constituent_opened_from_the_market_view_has_its_ranges_too() {
    let mut s = state();
    s.chart_view.range = ChartRange::Month;
    let quote = tickwire::model::Quote::bare("MRVL", 104.0, "nasdaq list", close());
    s.peek = Some((
        "MRVL".into(),
        tickwire::state::QuoteEntry {
            quote: Some(quote),
            error: None,
            level: tickwire::model::Level::Alert,
            from_cache: false,
        },
    ));
    s.mode = tickwire::state::Mode::Detail;
    let out = on_event(&mut s, Event::Tick(close().fixed_offset()));
    assert_eq!(asks(&out.commands), [("MRVL".to_string(), ChartRange::Month)]);
    on_event(&mut s, answered("MRVL", ChartRange::Month, Some(month()), None));
    let screen = text(&draw(&s, 120, 40, COLOR));
    assert!(screen.contains("‹ 1M ›") && screen.contains("1M "), "{screen}");
}
