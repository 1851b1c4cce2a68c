//! Sorting the tickers, editing lots with `p`, and alerts on money and with
//! their context (the position's day P&L, the newest linked headline).

use super::*;
use crate::model::{FeedId, FeedOutcome, FeedUpdate, Headline, Validators};
use crate::sort::{Sort, SortKey};

const POSITIONS: &str = r#"
[alerts]
warn_drop_pct = 3.0
alert_drop_pct = 7.0
position_loss = 1000

[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "AAPL", "^NDX", "TSM"]

[[watchlist]]
name = "Indices"
symbols = ["^NDX"]

[symbol."NVDA"]
name = "NVIDIA"
warn_drop_pct = 5.0
alert_drop_pct = 10.0
position = [{ shares = 120, cost = 95.10 }, { shares = 30, cost = 131.00 }]

[symbol."AAPL"]
position = { shares = 100, cost = 150 }

[[feed]]
name = "Desk"
url = "https://desk.example.com/rss"
"#;

fn state() -> State {
    let config = parse(POSITIONS, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    State::new(Arc::new(config), 0, t0().fixed_offset())
}

/// NVDA -16.97%, AAPL +3.18%, ^NDX -2.90%; TSM never priced.
fn priced() -> State {
    let mut s = state();
    on_event(&mut s, ok("NVDA", 118.42, 142.62, t0()));
    on_event(&mut s, ok("AAPL", 229.86, 222.78, t0()));
    on_event(&mut s, ok("^NDX", 20_825.23, 21_447.42, t0()));
    s
}

fn rows(s: &State) -> Vec<&str> {
    s.symbols().iter().map(String::as_str).collect()
}

fn saved(out: &Outcome) -> Vec<(String, String)> {
    out.commands
        .iter()
        .filter_map(|c| match c {
            Command::SaveSort { watchlist, sort } => Some((watchlist.clone(), sort.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn s_cycles_the_sorts_worst_first_and_unpriced_last() {
    let mut s = priced();
    assert_eq!(rows(&s), ["NVDA", "AAPL", "^NDX", "TSM"]);
    let out = on_action(&mut s, Action::CycleSort);
    assert_eq!(s.sort().key, SortKey::ChangePct);
    assert_eq!(rows(&s), ["NVDA", "^NDX", "AAPL", "TSM"]);
    assert_eq!(saved(&out), [("AI shock".to_string(), "change_pct".to_string())]);
    let out = on_action(&mut s, Action::ReverseSort);
    assert_eq!(
        rows(&s),
        ["AAPL", "^NDX", "NVDA", "TSM"],
        "best first, TSM still last"
    );
    assert_eq!(saved(&out)[0].1, "change_pct reversed");
    // No extended trades: every row ties, and ties keep the watchlist's order.
    on_action(&mut s, Action::CycleSort);
    assert_eq!(s.sort().key, SortKey::ExtendedPct);
    assert_eq!(rows(&s), ["NVDA", "AAPL", "^NDX", "TSM"]);
    on_action(&mut s, Action::CycleSort);
    assert_eq!(s.sort().key, SortKey::DayPnl);
    // NVDA -3,630, AAPL +708; ^NDX and TSM have no position.
    assert_eq!(rows(&s), ["NVDA", "AAPL", "^NDX", "TSM"]);
    on_action(&mut s, Action::ReverseSort);
    assert_eq!(rows(&s), ["AAPL", "NVDA", "^NDX", "TSM"]);
    on_action(&mut s, Action::CycleSort);
    on_action(&mut s, Action::CycleSort);
    assert_eq!(s.sort().key, SortKey::Name);
    // By the name shown, an index's caret aside: "AAPL", "^NDX", "NVIDIA", "TSM".
    assert_eq!(rows(&s), ["AAPL", "^NDX", "NVDA", "TSM"]);
    on_action(&mut s, Action::CycleSort);
    assert_eq!(s.sort(), Sort::default());
    assert_eq!(rows(&s), ["NVDA", "AAPL", "^NDX", "TSM"]);
}

#[test]
fn the_selection_follows_its_symbol_as_prices_reorder_the_rows() {
    let mut s = priced();
    on_action(&mut s, Action::CycleSort);
    on_action(&mut s, Action::SelectLast);
    assert_eq!(s.selected_symbol(), Some("TSM"));
    on_action(&mut s, Action::SelectPrev);
    assert_eq!(s.selected_symbol(), Some("AAPL"));
    // AAPL falls 9%: it moves up, and the selection with it.
    on_event(&mut s, ok("AAPL", 202.73, 222.78, t0() + Duration::minutes(1)));
    assert_eq!(rows(&s), ["NVDA", "AAPL", "^NDX", "TSM"]);
    assert_eq!(s.selected_symbol(), Some("AAPL"));
}

#[test]
fn each_watchlist_keeps_its_own_sort_and_a_restart_restores_it() {
    let mut s = priced();
    on_action(&mut s, Action::CycleSort);
    on_action(&mut s, Action::NextWatchlist);
    assert_eq!(s.sort(), Sort::default());
    on_action(&mut s, Action::PrevWatchlist);
    assert_eq!(s.sort().key, SortKey::ChangePct);
    let mut again = state();
    again.restore(crate::cache::Snapshot {
        sorts: vec![("AI shock".into(), "change_pct reversed".into())],
        ..Default::default()
    });
    assert_eq!(again.sort(), Sort::default().cycled().reversed());
    // An unknown stored sort (a later version's) is the watchlist's order.
    assert_eq!(Sort::from_stored("volume"), Sort::default());
}

#[test]
fn moving_a_symbol_needs_the_watchlists_order() {
    let mut s = priced();
    on_action(&mut s, Action::CycleSort);
    let out = on_action(&mut s, Action::MoveSelected(1));
    assert!(out.commands.is_empty());
    assert!(s.notice.as_deref().is_some_and(|n| n.contains("sorted by chg%")));
}

fn position_edits(out: &Outcome) -> Vec<Edit> {
    out.commands
        .iter()
        .filter_map(|c| match c {
            Command::EditWatchlist { edit, .. } => Some(edit.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn p_shows_the_lots_and_enter_saves_what_was_typed() {
    let mut s = priced();
    on_action(&mut s, Action::StartPosition);
    assert_eq!(s.mode, Mode::EditPosition);
    assert_eq!(s.prompt, "120@95.1, 30@131");
    for _ in 0..3 {
        on_action(&mut s, Action::PromptBackspace);
    }
    for c in "140, 10@1.5".chars() {
        on_action(&mut s, Action::PromptInput(c));
    }
    let out = on_action(&mut s, Action::PromptSubmit);
    assert_eq!(s.mode, Mode::Normal);
    let lot = |shares, cost| crate::position::Lot { shares, cost };
    assert_eq!(
        position_edits(&out),
        [Edit::Position {
            symbol: "NVDA".into(),
            lots: vec![lot(120.0, 95.1), lot(30.0, 140.0), lot(10.0, 1.5)]
        }]
    );
    // Typing nonsense changes nothing and says why.
    on_action(&mut s, Action::StartPosition);
    on_action(&mut s, Action::PromptInput('x'));
    let out = on_action(&mut s, Action::PromptSubmit);
    assert!(position_edits(&out).is_empty());
    assert!(
        s.notice
            .as_deref()
            .is_some_and(|n| n.contains("NVDA: position not changed: lot 2: cost \"131x\""))
    );
    // Emptied, the position goes.
    on_action(&mut s, Action::StartPosition);
    s.prompt.clear();
    let out = on_action(&mut s, Action::PromptSubmit);
    assert_eq!(
        position_edits(&out),
        [Edit::Position {
            symbol: "NVDA".into(),
            lots: vec![]
        }]
    );
}

#[test]
fn a_money_loss_alerts_and_the_alert_says_why_it_moved() {
    let mut s = state();
    let story = Headline {
        filing: None,
        id: "h1".into(),
        title: "DeepSeek rattles Apple suppliers".into(),
        url: None,
        canonical: None,
        feed: "Desk".into(),
        feed_id: FeedId::of(&reqwest::Url::parse("https://desk.example.com/rss").unwrap()),
        feed_index: 0,
        published: Some(t0() - Duration::hours(2)),
        summary: String::new(),
        symbols: vec!["AAPL".into()],
        read: false,
    };
    on_event(
        &mut s,
        Event::FeedFetched(Box::new(FeedOutcome {
            feed: story.feed_id.clone(),
            result: Ok(FeedUpdate::Fresh {
                headlines: vec![story],
                validators: Validators::default(),
                read: Default::default(),
            }),
            retry_after: None,
        })),
    );
    // AAPL -2%: no flag by percent, but 100 shares lose 445.56: under the 1,000 line.
    let out = on_event(&mut s, ok("AAPL", 218.3244, 222.78, t0()));
    assert!(announced(&out).is_empty());
    // -5%: 1,113.90 lost today, an alert though the move is under the warn line.
    let out = on_event(&mut s, ok("AAPL", 211.641, 222.78, t0() + Duration::minutes(1)));
    assert_eq!(announced(&out), [("AAPL".to_string(), Level::Alert)]);
    let Some(Command::Announce(e)) = out.commands.first() else {
        panic!("{out:?}")
    };
    assert!((e.day_pnl.unwrap() - -1113.9).abs() < 1e-6);
    assert_eq!(e.currency.as_deref(), Some("USD"));
    assert_eq!(e.headline.as_deref(), Some("DeepSeek rattles Apple suppliers"));
    // NVDA's alert has no linked headline: none is made up.
    let out = on_event(&mut s, ok("NVDA", 118.42, 142.62, t0()));
    let Some(Command::Announce(e)) = out.commands.first() else {
        panic!("{out:?}")
    };
    assert_eq!(e.headline, None);
}

#[test]
fn enter_on_an_unchanged_position_form_writes_nothing() {
    let text = POSITIONS.replace(
        "position = { shares = 100, cost = 150 }",
        "position = { shares = 1234.56789, cost = 0.000012 }",
    );
    let config = parse(&text, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    let mut s = State::new(Arc::new(config), 0, t0().fixed_offset());
    on_event(&mut s, ok("NVDA", 118.42, 142.62, t0()));
    on_event(&mut s, ok("AAPL", 229.86, 222.78, t0()));
    s.selected = rows(&s).iter().position(|r| *r == "AAPL").unwrap_or_default();
    on_action(&mut s, Action::StartPosition);
    assert_eq!(s.prompt, "1234.56789@0.000012");
    let out = on_action(&mut s, Action::PromptSubmit);
    assert!(position_edits(&out).is_empty(), "{out:?}");
}
