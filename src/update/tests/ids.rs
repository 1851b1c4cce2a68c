//! Sources are known by stable ids: what the reducer does with results for feeds
//! and symbols the configuration no longer has, and with selections and health
//! that must follow the same story or source.

use super::*;
use crate::model::{FeedId, FeedOutcome, FeedUpdate, Headline, Validators};
use crate::state::Focus;

/// The news tests' two feeds with a cap of five headlines.
fn feeds_config() -> String {
    format!("{}[general]\nmax_headlines = 5\n", super::news::WITH_FEEDS)
}

fn with(text: &str) -> Arc<crate::config::Config> {
    Arc::new(parse(text, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}")))
}

fn feeds_state() -> State {
    State::new(with(&feeds_config()), 0, t0().fixed_offset())
}

fn fid(url: &str) -> FeedId {
    FeedId::of(&reqwest::Url::parse(url).unwrap())
}

fn story(id: &str, minute: i64) -> Headline {
    Headline {
        filing: None,
        id: id.into(),
        title: format!("title {id}"),
        url: None,
        canonical: None,
        feed: "A".into(),
        feed_id: fid("https://a.example.com/rss"),
        feed_index: 0,
        published: Some(t0() + Duration::minutes(minute)),
        summary: String::new(),
        symbols: vec![],
        read: false,
    }
}

fn answer(url: &str, result: Result<FeedUpdate, String>) -> Event {
    Event::FeedFetched(Box::new(FeedOutcome {
        feed: fid(url),
        result,
        retry_after: None,
    }))
}

fn fresh(url: &str, items: Vec<Headline>) -> Event {
    answer(
        url,
        Ok(FeedUpdate::Fresh {
            headlines: items,
            validators: Validators::default(),
            read: Default::default(),
        }),
    )
}

#[test]
fn a_result_for_a_removed_feed_changes_no_other_feed() {
    let mut s = feeds_state();
    // "A" is removed; "B" is now the first feed. The old code applied by position.
    s.reconfigure(with(&feeds_config().replace(
        "[[feed]]\nname = \"A\"\nurl = \"https://a.example.com/rss\"\n",
        "",
    )));
    let out = on_event(
        &mut s,
        answer("https://a.example.com/rss", Err("malformed".into())),
    );
    assert!(!out.changed);
    let feeds: Vec<_> = s.configured_feeds().collect();
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0].name, "B");
    assert_eq!(feeds[0].error, None, "B is not shown with A's error");
}

#[test]
fn a_renamed_feed_keeps_its_health() {
    let mut s = feeds_state();
    on_event(&mut s, fresh("https://b.example.com/rss", vec![story("b1", 1)]));
    s.reconfigure(with(&feeds_config().replace("name = \"B\"", "name = \"Wire\"")));
    assert_eq!(s.feeds[1].name, "Wire");
    assert!(s.feeds[1].last_ok.is_some());
    assert_eq!(s.feeds[1].items, 1);
}

#[test]
fn a_first_304_turns_the_feed_ok_on_screen() {
    let mut s = feeds_state();
    // After a restart the first poll is conditional: a 304 is the feed's first answer.
    let out = on_event(
        &mut s,
        answer("https://a.example.com/rss", Ok(FeedUpdate::NotModified)),
    );
    assert!(out.changed, "the status line goes from 0/2 to 1/2 ok");
    assert!(s.feeds[0].last_ok.is_some());
    let again = on_event(
        &mut s,
        answer("https://a.example.com/rss", Ok(FeedUpdate::NotModified)),
    );
    assert!(!again.changed, "a second 304 changes nothing");
}

#[test]
fn the_selection_keeps_its_row_when_its_headline_is_evicted() {
    let mut s = feeds_state();
    s.focus = Focus::Headlines;
    let first: Vec<Headline> = (0..5).map(|m| story(&format!("s{m}"), m)).collect();
    on_event(&mut s, fresh("https://a.example.com/rss", first));
    // Newest first: s4 s3 s2 s1 s0; select the last row.
    on_action(&mut s, Action::SelectLast);
    assert_eq!(s.headline.as_deref(), Some("s0"));
    assert_eq!(s.selected_headline_row(), Some(4));
    // Two newer stories push s0 and s1 out over the cap of five.
    on_event(
        &mut s,
        fresh(
            "https://b.example.com/rss",
            vec![story("n1", 10), story("n2", 11)],
        ),
    );
    assert!(s.news.get("s0").is_none());
    assert_eq!(s.selected_headline_row(), Some(4), "not the top of the list");
    assert_eq!(s.headline.as_deref(), Some("s2"));
}

#[test]
fn at_the_cap_a_repoll_of_old_stories_does_not_redraw() {
    let mut s = feeds_state();
    let all: Vec<Headline> = (0..9).map(|m| story(&format!("s{m}"), m)).collect();
    on_event(&mut s, fresh("https://a.example.com/rss", all.clone()));
    let out = on_event(&mut s, fresh("https://a.example.com/rss", all));
    assert!(!out.changed);
}

#[test]
fn a_symbol_removed_from_every_watchlist_leaves_the_banner_and_counts() {
    let mut s = state();
    on_event(&mut s, ok("NVDA", 118.42, 142.62, t0()));
    assert_eq!(s.alerts().len(), 1);
    s.reconfigure(with(&CONFIG.replace("\"NVDA\", ", "")));
    assert!(!s.quotes.contains_key("NVDA"));
    assert!(s.alerts().is_empty(), "no ALERT banner for a symbol not watched");
    // A poll that was in flight when it was removed does not bring it back.
    let out = on_event(&mut s, ok("NVDA", 118.42, 142.62, t0()));
    assert!(!out.changed);
    assert!(!s.quotes.contains_key("NVDA"));
    assert!(out.commands.is_empty(), "and is not announced");
}

#[test]
fn the_cache_does_not_bring_back_removed_symbols_or_raw_provider_text() {
    let mut s = state();
    let mut gone = quote("SMCI", 30.0, 40.0, t0());
    gone.name = Some("Super Micro".into());
    let mut kept = quote("AAPL", 229.86, 222.78, t0());
    kept.name = Some("Apple\u{1b}]0;pwned\u{7} Inc.".into());
    kept.currency = Some("US\u{1b}]52;c;ZXZpbA==\u{7}D".into());
    s.restore(crate::cache::Snapshot {
        quotes: vec![gone, kept],
        ..Default::default()
    });
    assert!(!s.quotes.contains_key("SMCI"));
    let q = s.quotes["AAPL"].quote.as_ref().unwrap();
    assert_eq!(q.name.as_deref(), Some("Apple Inc."));
    assert_eq!(q.currency.as_deref(), Some("USD"));
}

#[test]
fn the_cache_falling_behind_is_shown_once() {
    let mut s = state();
    assert!(on_event(&mut s, Event::CacheBehind(true)).changed);
    assert!(!on_event(&mut s, Event::CacheBehind(true)).changed);
    assert!(s.cache_behind);
    assert!(on_event(&mut s, Event::CacheBehind(false)).changed);
}

#[test]
fn a_feed_dated_in_the_future_cannot_hold_the_list() {
    let mut s = feeds_state();
    let a = "https://a.example.com/rss";
    let ahead = |id: &str| story(id, 60 * 24 * 365 * 10); // ten years ahead
    on_event(
        &mut s,
        fresh(a, (0..5).map(|i| ahead(&format!("a{i}"))).collect()),
    );
    let items = s.news.items();
    assert!(
        items.iter().all(|h| h.published == Some(t0())),
        "the fetch time, not 2035"
    );
    // Ten minutes later another feed's story of five minutes ago gets in.
    on_event(&mut s, Event::Tick(tick(600)));
    let mut b = story("b0", 5);
    b.feed_id = fid("https://b.example.com/rss");
    b.feed_index = 1;
    on_event(&mut s, fresh("https://b.example.com/rss", vec![b]));
    assert!(s.news.items().iter().any(|h| h.id == "b0"));
    // The future feed polled again keeps its first time: it does not climb back on top.
    on_event(&mut s, Event::Tick(tick(1200)));
    on_event(
        &mut s,
        fresh(a, (0..5).map(|i| ahead(&format!("a{i}"))).collect()),
    );
    assert_eq!(s.news.items().first().map(|h| h.id.as_str()), Some("b0"));
}

#[test]
fn the_headline_list_follows_the_newest_until_the_user_moves() {
    let mut s = feeds_state();
    s.focus = Focus::Headlines;
    let a = "https://a.example.com/rss";
    on_event(&mut s, fresh(a, vec![story("s1", 1), story("s2", 2)]));
    assert_eq!(s.headline.as_deref(), Some("s2"));
    on_event(
        &mut s,
        fresh(a, vec![story("s1", 1), story("s2", 2), story("s3", 3)]),
    );
    assert_eq!(
        s.headline.as_deref(),
        Some("s3"),
        "not moved: the newest stays selected"
    );
    on_action(&mut s, Action::SelectNext);
    assert_eq!(s.headline.as_deref(), Some("s2"));
    on_event(
        &mut s,
        fresh(a, vec![story("s2", 2), story("s3", 3), story("s4", 4)]),
    );
    assert_eq!(
        s.headline.as_deref(),
        Some("s2"),
        "moved: the selection stays put"
    );
    assert_eq!(s.selected_headline_row(), Some(2), "two newer above it");
    on_action(&mut s, Action::SelectFirst);
    on_event(&mut s, fresh(a, vec![story("s4", 4), story("s5", 5)]));
    assert_eq!(s.headline.as_deref(), Some("s5"), "back on top: it follows again");
}
