//! The ticker view rendered on ratatui's TestBackend: text snapshots (insta) plus
//! colour checks on the buffer.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use ratatui::style::{Color, Modifier};
use tickwire::action::Action;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::model::QuoteOutcome;
use tickwire::model::{Attempt, Quote};
use tickwire::model::{FeedId, FeedOutcome, FeedUpdate, Validators};
use tickwire::news::Headline;
use tickwire::state::State;
use tickwire::ui::Theme;
use tickwire::update::{on_action, on_event};

use common::screen::{COLOR, col, draw, line, row};

const CONFIG: &str = r#"
[news]
per_symbol = false
[quotes]
stream = false
[[feed]]
name = "Market Desk"
url = "https://news.example.com/rss"

[[feed]]
name = "Wire"
url = "https://wire.example.com/rss"

[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "^NDX", "AVGO", "TSM", "AAPL"]

[[watchlist]]
name = "Indices"
symbols = ["^NDX", "^IXIC"]

[symbol."NVDA"]
name = "NVIDIA"
warn_drop_pct = 5.0
alert_drop_pct = 10.0

[symbol."^NDX"]
name = "Nasdaq-100"
warn_drop_pct = 1.5
alert_drop_pct = 3.0

[symbol."AVGO"]
name = "Broadcom"
warn_drop_pct = 10.0
alert_drop_pct = 20.0

[symbol."AAPL"]
name = "Apple"
"#;

fn close() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 27, 21, 0, 0).single().unwrap()
}

/// A day from `open` to `close` through `low`, 78 five-minute bars.
fn series(open: f64, low: f64, close: f64) -> Vec<(i64, f64)> {
    let start = close_ts() - 77 * 300;
    (0..78)
        .map(|i| {
            let p = if i < 55 {
                open + (low - open) * f64::from(i) / 55.0
            } else {
                low + (close - low) * f64::from(i - 55) / 22.0
            };
            (start + i64::from(i) * 300, p)
        })
        .collect()
}

fn close_ts() -> i64 {
    close().timestamp()
}

fn fetched(symbol: &str, price: f64, prev: f64, series: Vec<(i64, f64)>) -> Event {
    Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: symbol.into(),
        result: Ok(Quote {
            symbol: symbol.into(),
            price,
            previous_close: Some(prev),
            open: None,
            day_high: None,
            day_low: None,
            volume: None,
            currency: Some("USD".into()),
            market_time: Some(close()),
            utc_offset: FixedOffset::west_opt(5 * 3600),
            series,
            periods: None,
            week52: None,
            extended: None,
            name: None,
            provider: "yahoo".into(),
            fetched_at: close(),
        }),
        attempts: vec![Attempt {
            provider: "yahoo".into(),
            error: None,
        }],
        retry_after: None,
    }))
}

fn failed(symbol: &str, msg: &str) -> Event {
    Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: symbol.into(),
        result: Err(msg.into()),
        attempts: vec![Attempt {
            provider: "yahoo".into(),
            error: Some(msg.into()),
        }],
        retry_after: None,
    }))
}

/// 27 Jan 2025 at the close: NVDA at alert, AVGO at warn, ^NDX stale, TSM never priced.
fn day_state() -> State {
    day_state_with(CONFIG)
}

/// [`day_state`] under another configuration.
fn day_state_with(text: &str) -> State {
    let config = Arc::new(parse(text, ConfigOrigin::Embedded).unwrap());
    let mut s = State::new(config, 0, close().fixed_offset());
    on_event(
        &mut s,
        fetched("NVDA", 118.42, 142.62, series(124.8, 116.7, 118.42)),
    );
    on_event(
        &mut s,
        fetched("^NDX", 20825.23, 21447.42, series(20988.0, 20662.0, 20825.23)),
    );
    on_event(
        &mut s,
        fetched("AVGO", 195.09, 236.2, series(205.0, 193.4, 195.09)),
    );
    on_event(
        &mut s,
        fetched("AAPL", 229.86, 222.78, series(224.02, 223.98, 229.86)),
    );
    on_event(
        &mut s,
        failed(
            "TSM",
            "yahoo: HTTP 500 Internal Server Error; nasdaq: timed out after 10s",
        ),
    );
    on_event(
        &mut s,
        Event::Tick((close() + Duration::seconds(100)).fixed_offset()),
    );
    on_event(
        &mut s,
        failed("^NDX", "yahoo: HTTP 429 Too Many Requests (retry after 30s)"),
    );
    on_event(
        &mut s,
        Event::Tick((close() + Duration::seconds(130)).fixed_offset()),
    );
    on_event(
        &mut s,
        feed(
            0,
            &[
                (
                    "md-1",
                    "Nvidia sheds almost $600 billion as DeepSeek rattles the AI trade",
                    5,
                    &["NVDA"],
                ),
                (
                    "md-2",
                    "Chip stocks slide: Broadcom & TSMC fall, Nasdaq 100 down 3%",
                    -66,
                    &["^NDX", "AVGO", "TSM"],
                ),
                (
                    "md-3",
                    "Apple rises as investors rotate out of AI hardware",
                    -150,
                    &["AAPL"],
                ),
            ],
        ),
    );
    on_event(
        &mut s,
        feed(
            1,
            &[
                (
                    "w-1",
                    "DeepSeek limits sign-ups, citing malicious attacks",
                    -447,
                    &[],
                ),
                (
                    "w-2",
                    "Nvidia hits the day's low, down more than 18%",
                    -110,
                    &["NVDA"],
                ),
                (
                    "w-3",
                    "NVDA down nearly 10% in premarket trading",
                    -590,
                    &["NVDA"],
                ),
            ],
        ),
    );
    s
}

/// A feed answering with headlines published `minutes` after the close.
fn feed(index: usize, items: &[(&str, &str, i64, &[&str])]) -> Event {
    let headlines = items
        .iter()
        .map(|(id, title, minutes, symbols)| Headline {
            filing: None,
            id: (*id).into(),
            title: (*title).into(),
            url: Some(format!("https://news.example.com/{id}")),
            canonical: Some(format!("https://news.example.com/{id}")),
            feed: ["Market Desk", "Wire"][index].into(),
            feed_id: Default::default(),
            feed_index: index,
            published: Some(close() + Duration::minutes(*minutes)),
            summary: format!("Summary of {title}, long enough to wrap in the preview pane below the list."),
            symbols: symbols.iter().map(|s| (*s).to_string()).collect(),
            read: false,
        })
        .collect();
    let url = ["https://news.example.com/rss", "https://wire.example.com/rss"][index];
    Event::FeedFetched(Box::new(FeedOutcome {
        feed: FeedId::of(&reqwest::Url::parse(url).unwrap()),
        result: Ok(FeedUpdate::Fresh {
            headlines,
            validators: Validators::default(),
            read: Default::default(),
        }),
        retry_after: None,
    }))
}

#[test]
fn split_view_80x24_with_headlines_focused() {
    let mut s = day_state();
    on_action(&mut s, Action::FocusNext);
    on_action(&mut s, Action::SelectNext);
    insta::assert_snapshot!(draw(&s, 80, 24, COLOR).backend());
}

#[test]
fn a_ticker_filter_and_a_search() {
    let mut s = day_state();
    on_action(&mut s, Action::FilterTicker);
    assert_eq!(s.visible.len(), 3, "NVDA's three headlines");
    on_action(&mut s, Action::FilterTicker);
    on_action(&mut s, Action::StartSearch);
    for c in "chip".chars() {
        on_action(&mut s, Action::SearchInput(c));
    }
    insta::assert_snapshot!(draw(&s, 120, 30, COLOR).backend());
}

#[test]
fn split_view_120x40() {
    let t = draw(&day_state(), 120, 40, COLOR);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn split_view_narrow_60x20() {
    let t = draw(&day_state(), 60, 20, COLOR);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn help_overlay() {
    let mut s = day_state();
    on_action(&mut s, Action::ToggleHelp);
    insta::assert_snapshot!(draw(&s, 80, 24, COLOR).backend());
    // Every key's line whole, at the size terminals open at and at a larger one.
    for (w, h) in [(80, 24), (120, 40)] {
        let text = format!("{:?}", draw(&s, w, h, COLOR).backend());
        for (key, what) in tickwire::ui::help::KEYS {
            assert!(
                text.contains(&format!("{key:<20} {what}")),
                "{w}x{h}: {key} {what}"
            );
        }
    }
}

#[test]
fn the_status_column_gives_the_session_before_the_market_value() {
    let s = day_state_with(&CONFIG.replace(
        "[symbol.\"NVDA\"]",
        "[symbol.\"NVDA\"]\nshares_outstanding = 24.49e9",
    ));
    for width in [200, 120, 80] {
        let t = draw(&s, width, 24, COLOR);
        let buf = t.backend().buffer();
        let nvda = row(buf, "NVDA ");
        let text = line(buf, nvda);
        assert!(text.contains("post"), "{width}: the session stays: {text}");
        if width == 200 {
            assert!(text.contains("post -$593B"), "{text}");
        }
    }
}

#[test]
fn a_rebased_symbol_is_not_shown_as_a_price() {
    let s = day_state_with(&CONFIG.replace("[symbol.\"NVDA\"]", "[symbol.\"NVDA\"]\nbasis = \"rebased\""));
    let text = format!("{:?}", draw(&s, 80, 24, COLOR).backend());
    assert!(text.contains("118.42 idx"), "{text}");
    let mut detail = s.clone();
    on_action(&mut detail, Action::Activate);
    let text = format!("{:?}", draw(&detail, 80, 24, COLOR).backend());
    for whole in ["Price        118.42 idx", "Basis        index, prev = 100"] {
        assert!(text.contains(whole), "{whole} whole at 80x24: {text}");
    }
    let mut log = s.clone();
    on_action(&mut log, Action::ToggleAlertLog);
    let text = format!("{:?}", draw(&log, 80, 24, COLOR).backend());
    assert!(
        text.contains("-16.97%  at 118.42 idx"),
        "the alert log says so too: {text}"
    );
    let bad = parse(
        &CONFIG.replace("[symbol.\"NVDA\"]", "[symbol.\"NVDA\"]\nbasis = \"points\""),
        ConfigOrigin::Embedded,
    );
    let msg = bad.map(|_| ()).unwrap_err().to_string();
    assert!(
        msg.contains("unknown basis \"points\" (one of: price, rebased)"),
        "{msg}"
    );
}

#[test]
fn the_end_of_the_replay_is_said() {
    let mut s = day_state();
    s.demo = true;
    s.stream.health = tickwire::state::StreamHealth::Live;
    s.replay_end = Some(s.now + chrono::Duration::minutes(1));
    let text = format!("{:?}", draw(&s, 120, 40, COLOR).backend());
    assert!(
        text.contains("DEMO replay ·") && text.contains("stream live"),
        "{text}"
    );
    s.replay_end = Some(s.now);
    let text = format!("{:?}", draw(&s, 120, 40, COLOR).backend());
    assert!(
        text.contains("DEMO replay ended") && text.contains("q quits"),
        "{text}"
    );
    assert!(
        text.contains("replay over") && !text.contains("stream live"),
        "{text}"
    );
}

/// What the user sees at 80x24 while typing in each prompt, and in the alert log.
#[test]
fn prompts_and_the_alert_log_at_80x24() {
    let prompt = |actions: &[Action], typed: &str| {
        let mut s = day_state();
        for a in actions {
            on_action(&mut s, *a);
        }
        for c in typed.chars() {
            on_action(&mut s, Action::PromptInput(c));
        }
        draw(&s, 80, 24, COLOR)
    };
    let add = prompt(&[Action::StartAdd], "MRVL");
    insta::assert_snapshot!("prompt_add_80x24", add.backend());
    let refused = prompt(&[Action::StartAdd], "NVDA");
    assert!(
        format!("{:?}", refused.backend()).contains("already in this watchlist"),
        "a symbol already listed is refused before Enter"
    );
    let position = prompt(&[Action::StartPosition], "10@120");
    insta::assert_snapshot!("prompt_position_80x24", position.backend());
    let remove = prompt(&[Action::RemoveSelected], "");
    insta::assert_snapshot!("prompt_remove_80x24", remove.backend());
    let mut s = day_state();
    on_action(&mut s, Action::StartSearch);
    for c in "deepseek".chars() {
        on_action(&mut s, Action::SearchInput(c));
    }
    insta::assert_snapshot!("prompt_search_80x24", draw(&s, 80, 24, COLOR).backend());
    // The day's own alerts, raised by the quotes above.
    let mut s = day_state();
    on_action(&mut s, Action::ToggleAlertLog);
    insta::assert_snapshot!("alert_log_80x24", draw(&s, 80, 24, COLOR).backend());
}

#[test]
fn second_watchlist_with_selection() {
    let mut s = day_state();
    on_action(&mut s, Action::NextWatchlist);
    on_action(&mut s, Action::SelectNext);
    insta::assert_snapshot!(draw(&s, 100, 12, COLOR).backend());
}

#[test]
fn colours_red_green_and_a_loud_alert() {
    let t = draw(&day_state(), 120, 40, COLOR);
    let buf = t.backend().buffer();
    let nvda = row(buf, "NVDA ");
    let fall = &buf[(col(buf, nvda, "-16.97%").unwrap(), nvda)];
    assert_eq!(fall.fg, Color::Red, "a fall is red");
    let aapl = row(buf, "AAPL ");
    assert_eq!(
        buf[(col(buf, aapl, "+3.18%").unwrap(), aapl)].fg,
        Color::Green,
        "a rise is green"
    );
    let flag = &buf[(col(buf, nvda, "ALERT").unwrap(), nvda)];
    assert_eq!((flag.fg, flag.bg), (Color::White, Color::Red));
    assert!(flag.modifier.contains(Modifier::BOLD));
    let banner = row(buf, " ▼ ALERT");
    assert!(
        (0..120).all(|x| buf[(x, banner)].bg == Color::Red),
        "the banner is loud across the width"
    );
    let avgo = row(buf, "AVGO ");
    assert_eq!(buf[(col(buf, avgo, "warn").unwrap(), avgo)].fg, Color::Yellow);
    let ndx = row(buf, "^NDX ");
    let stale_price = &buf[(col(buf, ndx, "20,825.23").unwrap(), ndx)];
    assert!(
        stale_price.modifier.contains(Modifier::DIM),
        "a stale price is dimmed"
    );
}

#[test]
fn no_color_keeps_the_alert_loud_without_colours() {
    let t = draw(&day_state(), 120, 40, Theme { color: false });
    let buf = t.backend().buffer();
    for y in 0..40 {
        for x in 0..120 {
            let c = &buf[(x, y)];
            assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "colour at {x},{y}");
        }
    }
    let nvda = row(buf, "NVDA ");
    let flag = &buf[(col(buf, nvda, "ALERT").unwrap(), nvda)];
    assert!(flag.modifier.contains(Modifier::REVERSED | Modifier::BOLD));
}

#[test]
fn tiny_terminals_do_not_panic() {
    let s = day_state();
    for (w, h) in [(1, 1), (20, 5), (10, 3), (200, 2)] {
        draw(&s, w, h, COLOR);
    }
}

#[test]
fn chips_take_their_symbol_colour_and_unread_is_marked() {
    let t = draw(&day_state(), 120, 40, COLOR);
    let buf = t.backend().buffer();
    let (x, y) = (0..40)
        .find_map(|y| col(buf, y, "[NVDA]").map(|x| (x, y)))
        .expect("an NVDA chip");
    assert_eq!(buf[(x + 1, y)].bg, Color::Red, "NVDA is at alert, so is its chip");
    let mark = (0..40)
        .find_map(|y| col(buf, y, "● ").map(|x| (x, y)))
        .expect("an unread marker");
    assert!(buf[mark].modifier.contains(Modifier::BOLD));
}

fn with_marker(steps: usize) -> State {
    let mut s = day_state();
    on_action(&mut s, Action::FocusNext);
    for _ in 0..steps {
        on_action(&mut s, Action::MarkerNext);
    }
    s
}

#[test]
fn chart_with_three_markers_120x40() {
    let s = with_marker(2);
    assert_eq!(s.marker.as_deref(), Some("w-2"), "premarket first, then the low");
    let t = draw(&s, 120, 40, COLOR);
    insta::assert_snapshot!(t.backend());
    let buf = t.backend().buffer();
    let caption = row(buf, "◆ ");
    assert!(
        line(buf, caption).contains("Nvidia hits the day's low"),
        "the stepped-to headline under the chart"
    );
    assert_eq!(buf[(col(buf, caption, "◆").unwrap(), caption)].fg, Color::Magenta);
    // The legend is a line of its own above the plot, not a box over it.
    let prev = (0..40)
        .find(|y| line(buf, *y).contains("prev 142.62"))
        .expect("the previous close labelled");
    assert!(
        buf[(col(buf, prev, "prev 142.62").unwrap(), prev)]
            .modifier
            .contains(Modifier::DIM)
    );
    let title = (0..40)
        .find(|y| line(buf, *y).contains("┌ NVDA NVIDIA ·"))
        .expect("the chart's title");
    assert_eq!(
        row(buf, "H 124.80 L 116.70"),
        title + 1,
        "the legend is the chart's first line, above every plotted point"
    );
    let low = (0..40)
        .find(|y| line(buf, *y).contains("L 116.70"))
        .expect("the day's low annotated");
    assert_eq!(
        buf[(col(buf, low, "L 116.70").unwrap(), low)].fg,
        Color::Red,
        "the price line is red on a fall"
    );
}

#[test]
fn detail_view_120x40_and_80x24() {
    let mut s = with_marker(1);
    on_action(&mut s, Action::FocusPrev);
    on_action(&mut s, Action::Activate);
    let big = draw(&s, 120, 40, COLOR);
    insta::assert_snapshot!("detail_120x40", big.backend());
    let small = draw(&s, 80, 24, COLOR);
    insta::assert_snapshot!("detail_80x24", small.backend());
    let buf = big.backend().buffer();
    let change = (0..40)
        .find(|y| line(buf, *y).contains("-24.20 (-16.97%)"))
        .unwrap();
    let x = col(buf, change, "-24.20").unwrap();
    assert_eq!(buf[(x, change)].fg, Color::Red);
    // The flag on a row of its own: at 80 columns the change and the flag did not fit one.
    let flag_row = change + 1;
    let flag = col(buf, flag_row, "ALERT").unwrap();
    assert_eq!(buf[(flag, flag_row)].bg, Color::Red);
    let buf = small.backend().buffer();
    for figure in [
        "-24.20 (-16.97%)",
        "Prev close   142.62",
        "Session      post · yahoo",
    ] {
        assert!(
            (0..24).any(|y| line(buf, y).contains(figure)),
            "{figure} whole at 80x24"
        );
    }
}

#[test]
fn a_long_watchlist_scrolls_to_keep_the_selection_in_view() {
    let t = draw(&long_watchlist(20, 17), 100, 16, COLOR);
    let buf = t.backend().buffer();
    let shown: Vec<u32> = (0..buf.area.height)
        .filter_map(|y| {
            let l = line(buf, y);
            let at = l.find("│S")?;
            l[at + 4..at + 6].parse().ok()
        })
        .collect();
    // A window of consecutive rows that ends at the selection (S17), as ratatui scrolls.
    assert!(shown.len() > 2 && shown.len() < 18, "{shown:?}");
    assert_eq!(shown.last(), Some(&17), "{shown:?}");
    assert!(shown.windows(2).all(|w| w[1] == w[0] + 1), "{shown:?}");
    let reversed = |y: u16| buf[(2, y)].modifier.contains(Modifier::REVERSED);
    assert!(reversed(row(buf, "S17")), "the selection is highlighted");
    assert!(!reversed(row(buf, "S16")), "and only the selection");
}

#[test]
fn a_watchlist_longer_than_the_column_keeps_a_chart_below_it() {
    let t = draw(&long_watchlist(50, 45), 200, 60, COLOR);
    let buf = t.backend().buffer();
    let chart_top = row(buf, "┌ S45 ");
    let selected = row(buf, "S45 ");
    assert!(
        selected < chart_top,
        "the selected symbol is in view above its chart"
    );
    assert!(
        chart_top <= 60 - 1 - 18,
        "the chart keeps a third of the column: top at {chart_top}"
    );
    assert!(
        (0..chart_top).all(|y| !line(buf, y).contains("│S00 ")),
        "the table scrolled"
    );
}

/// A watchlist S00, S01, ... of `n` symbols, nothing priced, with S`selected` selected.
fn long_watchlist(n: usize, selected: usize) -> State {
    let symbols: Vec<String> = (0..n).map(|i| format!("\"S{i:02}\"")).collect();
    let config = format!(
        "[news]\nper_symbol = false\n[[watchlist]]\nname = \"Long\"\nsymbols = [{}]\n",
        symbols.join(", ")
    );
    let mut s = State::new(
        Arc::new(parse(&config, ConfigOrigin::Embedded).unwrap()),
        0,
        close().fixed_offset(),
    );
    for _ in 0..selected {
        on_action(&mut s, Action::SelectNext);
    }
    s
}

/// A feed read with repairs, and one with items that had nothing to show: the
/// status line says so, so a user knows why a feed looks thin.
#[test]
fn the_status_line_says_when_feeds_needed_repair() {
    let mut s = day_state();
    let url = "https://wire.example.com/rss";
    on_event(
        &mut s,
        Event::FeedFetched(Box::new(FeedOutcome {
            feed: FeedId::of(&reqwest::Url::parse(url).unwrap()),
            result: Ok(FeedUpdate::Fresh {
                headlines: vec![],
                validators: Validators::default(),
                read: tickwire::model::ReadNotes {
                    skipped: 2,
                    repaired: true,
                },
            }),
            retry_after: None,
        })),
    );
    let t = draw(&s, 160, 24, COLOR);
    let status = line(t.backend().buffer(), 23);
    assert!(
        status.contains("feeds 2/2 ok (1 repaired, 2 empty items left out)"),
        "{status}"
    );
}

/// The day's state with positions in NVDA and Apple, sorted by the day's move.
fn positions_state(extra: &str) -> State {
    let text = CONFIG
        .replace(
            "name = \"NVIDIA\"\n",
            "name = \"NVIDIA\"\nposition = [{ shares = 120, cost = 95.10 }, { shares = 30, cost = 131.00 }]\n",
        )
        .replace(
            "name = \"Apple\"\n",
            "name = \"Apple\"\nposition = { shares = 100, cost = 150 }\n",
        );
    let mut s = day_state_with(&format!("{extra}{text}"));
    on_action(&mut s, Action::CycleSort);
    s
}

#[test]
fn positions_and_the_sort_in_the_title_180x40() {
    let s = positions_state("");
    let t = draw(&s, 180, 40, COLOR);
    let buf = t.backend().buffer();
    assert!(
        line(buf, 2).contains("AI shock · chg% worst first"),
        "{}",
        line(buf, 2)
    );
    assert!(line(buf, 3).contains("Value") && line(buf, 3).contains("Day P&L"));
    // NVDA's row: 150 shares at 118.42, -3,630 today, +2,421 since bought.
    let nvda = line(buf, row(buf, "NVDA"));
    assert!(
        nvda.contains("17,763.00") && nvda.contains("-3,630.00") && nvda.contains("+2,421.00"),
        "{nvda}"
    );
    assert!(
        line(buf, 9).starts_with("└ positions 40,749.00 USD · day -2,922.00 · P&L +10,407.00 ─"),
        "{}",
        line(buf, 9)
    );
    insta::assert_snapshot!(t.backend());
}

#[test]
fn the_detail_view_shows_the_position() {
    let mut s = positions_state("");
    // The selection stayed on NVDA when the sort moved it to the second row.
    assert_eq!(s.selected_symbol(), Some("NVDA"));
    on_action(&mut s, Action::Activate);
    let t = draw(&s, 120, 40, COLOR);
    let text = format!("{:?}", t.backend());
    assert!(text.contains("Position     150 sh · 17,763.00 USD"), "{text}");
    assert!(text.contains("Day P&L      -3,630.00"), "{text}");
    assert!(text.contains("Total P&L    +2,421.00 (+15.78%)"), "{text}");
}

#[test]
fn configured_columns_come_in_their_order() {
    let s = positions_state(
        "[general]\ncolumns = [\"symbol\", \"day_pnl\", \"total_pnl_pct\", \"price\", \"flag\"]\n",
    );
    let t = draw(&s, 120, 40, COLOR);
    let buf = t.backend().buffer();
    let header: Vec<String> = line(buf, 3).split_whitespace().map(String::from).collect();
    assert_eq!(
        header[..7],
        ["│Symbol", "Day", "P&L", "P&L%", "Price", "Flag", "││●"]
    );
    let apple = line(buf, row(buf, "AAPL"));
    assert!(apple.contains("+708.00") && apple.contains("+53.24%"), "{apple}");
}

#[test]
fn the_alert_log_says_why_it_moved() {
    let mut s = day_state();
    s.alert_log.push(tickwire::model::AlertEvent {
        at: close(),
        day: chrono::NaiveDate::from_ymd_opt(2025, 1, 27).unwrap(),
        symbol: "AAPL".into(),
        name: "Apple".into(),
        price: 211.64,
        change_pct: -5.0,
        level: tickwire::model::Level::Alert,
        session: None,
        currency: Some("USD".into()),
        day_pnl: Some(-1113.9),
        headline: Some("Apple slides as DeepSeek questions AI spending".into()),
        kind: tickwire::model::AlertKind::Money,
        since: None,
        detail: None,
    });
    on_action(&mut s, Action::ToggleAlertLog);
    let t = draw(&s, 120, 40, COLOR);
    let text = format!("{:?}", t.backend());
    assert!(
        text.contains("AAPL    ALERT    -5.00%  at 211.64  day P&L -1,113.90"),
        "{text}"
    );
    assert!(
        text.contains("└ Apple slides as DeepSeek questions AI spending"),
        "{text}"
    );
}
