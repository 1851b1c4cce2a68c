//! Properties of normalisation, for any input at all.

use proptest::prelude::*;
use reqwest::Url;
use tickwire::news::clean::{TITLE_MAX, summary, title};
use tickwire::news::ingest::resolve_link;

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
    fn titles_are_clean_capped_and_stable(raw in hostile(), html in any::<bool>()) {
        let t = title(&raw, html);
        prop_assert!(t.chars().all(|c| !c.is_control() && !is_bidi(c)), "{t:?}");
        prop_assert!(t.chars().count() <= TITLE_MAX);
        prop_assert_eq!(title(&t, html), t.clone(), "normalising twice changes nothing");
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
        if let Some(u) = resolve_link(&candidate, &base) {
            prop_assert!(matches!(u.scheme(), "http" | "https"), "{u}");
        }
    }
}
