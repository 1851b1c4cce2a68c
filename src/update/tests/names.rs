//! Company names learned from the providers link headlines that name the
//! company, not the ticker: the ones already shown and the ones to come.

use super::*;
use crate::model::{FeedId, FeedOutcome, FeedUpdate, Headline, Validators};

const NAMES: &str = r#"
[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "AAPL", "ARM"]

[symbol."ARM"]
keywords = ["Arm Holdings"]

[[feed]]
name = "Desk"
url = "https://desk.example.com/rss"
"#;

fn story(id: &str, title: &str) -> Headline {
    Headline {
        filing: None,
        id: id.into(),
        title: title.into(),
        url: None,
        canonical: None,
        feed: "Desk".into(),
        feed_id: FeedId::of(&reqwest::Url::parse("https://desk.example.com/rss").unwrap()),
        feed_index: 0,
        published: Some(t0()),
        summary: String::new(),
        symbols: vec![],
        read: false,
    }
}

fn fresh(items: Vec<Headline>) -> Event {
    Event::FeedFetched(Box::new(FeedOutcome {
        feed: items[0].feed_id.clone(),
        result: Ok(FeedUpdate::Fresh {
            headlines: items,
            validators: Validators::default(),
            read: Default::default(),
        }),
        retry_after: None,
    }))
}

fn named(symbol: &str, long: &str) -> Event {
    let mut q = quote(symbol, 100.0, 101.0, t0());
    q.name = Some(long.into());
    Event::QuoteFetched(Box::new(QuoteOutcome {
        symbol: symbol.into(),
        result: Ok(q),
        attempts: vec![],
        retry_after: None,
    }))
}

fn symbols_of(s: &State, id: &str) -> Vec<String> {
    s.news.get(id).map(|h| h.symbols.clone()).unwrap_or_default()
}

#[test]
fn a_learned_name_links_the_headlines_before_and_after_it() {
    let config = parse(NAMES, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    let mut s = State::new(Arc::new(config), 0, t0().fixed_offset());
    on_event(
        &mut s,
        fresh(vec![story("a", "Nvidia sheds $600 billion; Apple rises")]),
    );
    assert!(symbols_of(&s, "a").is_empty(), "no names known yet");
    // Apple's name first: the chips still come in watchlist order.
    on_event(&mut s, named("AAPL", "Apple Inc."));
    assert_eq!(symbols_of(&s, "a"), ["AAPL"]);
    on_event(&mut s, named("NVDA", "NVIDIA Corporation"));
    assert_eq!(symbols_of(&s, "a"), ["NVDA", "AAPL"]);
    // Headlines that come later are linked as they arrive; the filter sees them.
    on_event(&mut s, fresh(vec![story("b", "NVIDIA's worst day since 2020")]));
    assert_eq!(symbols_of(&s, "b"), ["NVDA"]);
    s.selected = 0;
    on_action(&mut s, Action::FilterTicker);
    assert_eq!(s.visible.len(), 2);
    // NVDA leaves every watchlist: its name links nothing more.
    let text = NAMES.replace("\"NVDA\", ", "");
    on_event(
        &mut s,
        Event::ConfigChanged(Arc::new(parse(&text, ConfigOrigin::Embedded).unwrap())),
    );
    on_event(&mut s, fresh(vec![story("e", "Nvidia and Apple")]));
    assert_eq!(symbols_of(&s, "e"), ["AAPL"]);
}

#[test]
fn a_configured_keyword_wins_over_a_learned_name() {
    let config = parse(NAMES, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    let mut s = State::new(Arc::new(config), 0, t0().fixed_offset());
    // "Arm Holdings plc" would be "Arm"; the user linked ARM by "Arm Holdings" only.
    on_event(
        &mut s,
        named("ARM", "Arm Holdings plc American Depositary Shares"),
    );
    on_event(&mut s, fresh(vec![story("c", "Arm falls with the chip sector")]));
    assert_eq!(
        symbols_of(&s, "c"),
        ["ARM"],
        "a name the user did not configure still links"
    );
    let text = NAMES.replace("keywords = [\"Arm Holdings\"]", "keywords = [\"Arm\"]");
    let config = parse(&text, ConfigOrigin::Embedded).unwrap_or_else(|e| panic!("{e}"));
    let mut s = State::new(Arc::new(config), 0, t0().fixed_offset());
    on_event(
        &mut s,
        named("ARM", "Arm Holdings plc American Depositary Shares"),
    );
    on_event(&mut s, fresh(vec![story("d", "Arm falls with the chip sector")]));
    // Linking by the keyword is the feed's (tested in news::link); the learned name
    // adds nothing on top of it here.
    assert!(
        symbols_of(&s, "d").is_empty(),
        "the configured keyword's own rules decide"
    );
}
