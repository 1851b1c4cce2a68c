//! Properties of normalisation and of the headline store, for any input at all.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use reqwest::Url;
use tickwire::news::Headline;
use tickwire::news::clean::{TITLE_MAX, summary, title};
use tickwire::news::feed::WebLink;
use tickwire::news::store::Store;

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Strings rich in what feeds get wrong: escapes, entities, tags, bidi, C1.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}]8;;http://x\u{7}".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("&#x1b;".to_string()),
        Just("&amp;".to_string()),
        Just("&lt;b&gt;".to_string()),
        Just("<b>".to_string()),
        Just("</p>".to_string()),
        Just("<!--".to_string()),
        Just("\u{202e}".to_string()),
        Just("&am".to_string()),
        Just("p;".to_string()),
        Just(" ".to_string()),
        "[a-zA-Z0-9 ]{0,12}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn titles_and_summaries_are_clean_capped_and_stable(raw in hostile(), html in any::<bool>()) {
        let t = title(&raw, html);
        prop_assert!(t.chars().all(|c| !c.is_control() && !is_bidi(c)), "{t:?}");
        prop_assert!(t.chars().count() <= TITLE_MAX);
        prop_assert_eq!(title(&t, html), t.clone(), "normalising twice changes nothing");
        let s = summary(&raw);
        prop_assert!(s.chars().all(|c| !c.is_control() && !is_bidi(c)), "{s:?}");
        prop_assert_eq!(summary(&s), s.clone(), "normalising twice changes nothing");
    }

    #[test]
    fn arbitrary_unicode_titles_too(raw in any::<String>()) {
        let t = title(&raw, false);
        prop_assert!(t.chars().all(|c| !c.is_control() && !is_bidi(c)));
        prop_assert_eq!(title(&t, false), t.clone());
        let s = summary(&raw);
        prop_assert!(s.chars().all(|c| !c.is_control() && !is_bidi(c)));
        prop_assert_eq!(summary(&s), s.clone());
    }

    #[test]
    fn links_are_http_or_nothing(href in any::<String>(), scheme in "(https?|javascript|file|data|ftp|mailto|)") {
        let base = Url::parse("https://feeds.example.com/rss/").unwrap();
        let candidate = if scheme.is_empty() { href.clone() } else { format!("{scheme}:{href}") };
        if let Some(link) = WebLink::resolve(&candidate, &base) {
            let u = Url::parse(link.as_str());
            prop_assert!(u.as_ref().is_ok_and(|u| u.as_str() == link.as_str()), "{:?} {:?}", link, u);
            let u = u.unwrap();
            prop_assert!(matches!(u.scheme(), "http" | "https"), "{u}");
        }
    }
}

/// Copies of a few stories that collide by id, by URL or both, across three feeds.
fn copies() -> impl Strategy<Value = Vec<Headline>> {
    let copy = (
        0..6u8,
        proptest::option::of(0..4u8),
        0..3usize,
        proptest::option::of(0..5i64),
        any::<bool>(),
    );
    proptest::collection::vec(copy, 0..40).prop_map(|v| {
        v.into_iter()
            .map(|(id, url, feed, minute, read)| Headline {
                filing: None,
                id: format!("id{id}"),
                title: format!("story {id}"),
                url: url.map(|u| format!("https://e.com/{u}")),
                canonical: url.map(|u| format!("https://e.com/{u}")),
                feed: format!("feed{feed}").into(),
                feed_id: Default::default(),
                feed_index: feed,
                published: minute.map(|m| Utc.timestamp_opt(1_737_990_000 + m * 60, 0).unwrap()),
                summary: String::new(),
                symbols: vec![],
                read,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Whatever the batches, the store answers every id with the story that carries it,
    /// holds no id twice and stays newest first. (Debug builds also
    /// check inside `merge` that every key points at an item answering to it.)
    #[test]
    fn merging_keeps_every_key_pointing_at_its_story(all in copies(), cuts in proptest::collection::vec(0..40usize, 0..6), cap in 1..12usize) {
        let mut store = Store::default();
        let mut rest = all.clone();
        for cut in cuts {
            let tail = rest.split_off(cut.min(rest.len()));
            store.merge(std::mem::replace(&mut rest, tail), cap);
        }
        // The last of it in one call, as `once` merges every feed at once.
        let half = rest.split_off(rest.len() / 2);
        store.merge_all(vec![rest, half], cap);
        let items = store.items();
        prop_assert!(items.len() <= cap);
        for (i, h) in items.iter().enumerate() {
            prop_assert_eq!(store.position(&h.id), Some(i));
            // Ids are unique. URLs usually are too, but not always: a copy whose id names one
            // story and whose URL names another joins the first and does not fuse the two.
            prop_assert!(items[..i].iter().all(|o| o.id != h.id));
        }
        let newest_first = items.windows(2).all(|w| match (w[0].published, w[1].published) {
            (Some(a), Some(b)) => a >= b,
            (None, Some(_)) => false,
            _ => true,
        });
        prop_assert!(newest_first, "out of order");
        if all.len() <= cap {
            for h in &all {
                prop_assert!(store.get(&h.id).is_some(), "{} lost", h.id);
            }
        }
    }
}
