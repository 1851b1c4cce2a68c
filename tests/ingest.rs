//! Feed ingest over fixture feeds: every format, encodings, hostile content.

mod common;

use reqwest::Url;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::news::Headline;
use tickwire::news::feed::Meta;
use tickwire::news::ingest::{self, FeedRef, IngestError};
use tickwire::news::link::Linker;
use tickwire::news::store::Store;

fn linker() -> Linker {
    let c = parse(
        r#"
[[watchlist]]
name = "AI shock"
symbols = ["NVDA", "^NDX", "AVGO", "TSM", "AAPL", "^IXIC"]
[symbol."NVDA"]
keywords = ["Nvidia", "Jensen Huang"]
[symbol."^NDX"]
keywords = ["Nasdaq-100", "Nasdaq 100"]
[symbol."AVGO"]
keywords = ["Broadcom"]
[symbol."TSM"]
keywords = ["TSMC"]
[symbol."AAPL"]
keywords = ["Apple"]
[symbol."^IXIC"]
keywords = ["Nasdaq Composite"]
"#,
        ConfigOrigin::Embedded,
    )
    .unwrap();
    Linker::new(&c)
}

fn load(file: &str, url: &str) -> Result<Vec<Headline>, IngestError> {
    let bytes = std::fs::read(common::server::fixtures_dir().join("feeds").join(file)).unwrap();
    ingest_bytes(&bytes, url)
}

fn ingest_bytes(bytes: &[u8], url: &str) -> Result<Vec<Headline>, IngestError> {
    let url = Url::parse(url).unwrap();
    ingest::parse(
        bytes,
        &FeedRef {
            name: "Test",
            url: &url,
            index: 0,
        },
        &linker(),
    )
}

fn by_title<'a>(items: &'a [Headline], start: &str) -> &'a Headline {
    items
        .iter()
        .find(|h| h.title.starts_with(start))
        .unwrap_or_else(|| {
            panic!(
                "no title starting {start:?} in {:#?}",
                items.iter().map(|h| &h.title).collect::<Vec<_>>()
            )
        })
}

fn assert_clean(items: &[Headline]) {
    for h in items {
        for c in h.title.chars().chain(h.summary.chars()) {
            assert!(!c.is_control(), "control {c:?} in {:?}", h.title);
            assert!(!('\u{202a}'..='\u{202e}').contains(&c) && !('\u{2066}'..='\u{2069}').contains(&c));
        }
        assert!(h.title.chars().count() <= 300);
        if let Some(u) = &h.url {
            assert!(u.starts_with("http://") || u.starts_with("https://"), "{u}");
        }
    }
}

#[test]
fn rss2_with_cdata_html_and_entities() {
    let items = load("rss2.xml", "https://news.example.com/rss").unwrap();
    assert_eq!(items.len(), 4);
    let h = by_title(&items, "Nvidia sheds");
    assert_eq!(h.id, "md-1001");
    assert_eq!(
        h.url.as_deref(),
        Some("https://news.example.com/2025/01/27/nvidia-record-loss.html")
    );
    assert_eq!(h.published.unwrap().to_rfc3339(), "2025-01-27T21:05:00+00:00");
    assert_eq!(
        h.summary,
        "NVDA closed at $118.42, down 16.97%, the largest one-day loss of market value for any US company."
    );
    assert_eq!(h.symbols, ["NVDA"]);
    let chips = by_title(&items, "Chip stocks slide");
    assert_eq!(
        chips.title,
        "Chip stocks slide: Broadcom & TSMC fall, Nasdaq 100 down 3%"
    );
    assert_eq!(chips.symbols, ["^NDX", "AVGO", "TSM"]);
    assert_eq!(
        chips.canonical.as_deref(),
        Some("https://news.example.com/2025/01/27/chips-slide.html"),
        "utm_* dropped"
    );
    assert_eq!(by_title(&items, "Apple rises").symbols, ["AAPL"]);
    assert_clean(&items);
}

#[test]
fn rss091_rdf_atom_and_json_feed() {
    let old = load("rss091.xml", "http://oldschool.example.com/rss").unwrap();
    assert_eq!(
        old[0].title,
        "Futures point to a sharply lower open for the Nasdaq"
    );
    assert_eq!(old[0].symbols, ["^NDX"], "the summary mentions Nasdaq 100");
    assert_eq!(old[0].published, None);
    assert_eq!(
        old[0].id, "http://oldschool.example.com/futures-lower",
        "no guid: the canonical url"
    );

    let rdf = load("rdf.xml", "https://rdf.example.com/rss").unwrap();
    assert_eq!(rdf[0].title, "NVDA down nearly 10% in premarket trading");
    assert_eq!(
        rdf[0].published.unwrap().to_rfc3339(),
        "2025-01-27T10:11:00+00:00"
    );
    assert_eq!(rdf[0].symbols, ["NVDA"]);

    let atom = load("atom.xml", "https://atom.example.com/feed.atom").unwrap();
    let qa = by_title(&atom, "Q&A");
    assert_eq!(qa.title, "Q&A: Why Jensen Huang's chips fell");
    assert_eq!(
        qa.url.as_deref(),
        Some("https://atom.example.com/markets/qa-why-chips-fell"),
        "xml:base"
    );
    assert_eq!(qa.summary, "An explainer on the record fall.");
    assert_eq!(
        qa.published.unwrap().to_rfc3339(),
        "2025-01-27T20:15:00+00:00",
        "updated as fallback"
    );
    assert_eq!(qa.symbols, ["NVDA"]);
    let evening = by_title(&atom, "Evening");
    assert_eq!(
        evening.url.as_deref(),
        Some("https://atom.example.com/politics/wake-up-call")
    );
    assert_eq!(
        evening.published.unwrap().to_rfc3339(),
        "2025-01-28T01:30:00+00:00",
        "published wins"
    );

    let json = load("feed.json", "https://json.example.com/feed.json").unwrap();
    let nv = by_title(&json, "Nvidia calls DeepSeek");
    assert_eq!(nv.summary, "The company said inference needs many GPUs.");
    let untitled = json.iter().find(|h| h.id == "json-2").unwrap();
    assert!(
        untitled
            .title
            .starts_with("A post without a title: the Nasdaq Composite closed"),
        "{}",
        untitled.title
    );
    assert_eq!(untitled.symbols, ["^IXIC"]);
    assert_clean(&json);
}

#[test]
fn declared_encodings_are_honoured() {
    let de = load("latin1.xml", "https://boerse.example.de/rss").unwrap();
    assert_eq!(
        de[0].title,
        "Nvidia-Aktie stürzt ab: größter Verlust der Börsengeschichte"
    );
    assert_eq!(de[0].summary, "Anleger flüchten aus KI-Werten - Müller erklärt.");
    assert_eq!(de[0].published.unwrap().to_rfc3339(), "2025-01-27T20:30:00+00:00");
    let cp = load("windows1252.xml", "https://cp.example.com/rss").unwrap();
    assert_eq!(cp[0].title, "“Sell-off” — chipmakers’ worst day since 2020");
}

#[test]
fn hostile_content_cannot_reach_the_terminal() {
    let items = load("hostile.xml", "https://hostile.example.com/feed/rss").unwrap();
    assert_clean(&items);
    assert_eq!(by_title(&items, "Raw").title, "Raw RED and bell in a title");
    // &#x9b; is windows-1252's "›", as feedparser reads it: no longer a CSI.
    assert_eq!(by_title(&items, "Refs").title, "Refs clear ›31m csi bel osc");
    let cdata = by_title(&items, "CDATA");
    assert_eq!(cdata.title, "CDATA link and evil bidi");
    assert_eq!(cdata.url, None, "javascript: links are dropped, the item stays");
    assert_eq!(by_title(&items, "A file link").url, None);
    let nonsense = by_title(&items, "Nonsense date");
    assert_eq!(nonsense.published, None);
    let untitled = by_title(&items, "An item without a title");
    assert_eq!(
        untitled.url.as_deref(),
        Some("https://hostile.example.com/feed/relative/path.html")
    );
    // No guid, no link: the id is a hash of feed and title, the same on every parse.
    let first = by_title(&items, "No guid and no link").id.clone();
    let again = load("hostile.xml", "https://hostile.example.com/feed/rss").unwrap();
    assert_eq!(by_title(&again, "No guid and no link").id, first);
    assert_eq!(first.len(), 16);
}

#[test]
fn malformed_xml_keeps_what_was_readable_and_html_pages_are_errors() {
    let bytes = std::fs::read(common::server::fixtures_dir().join("feeds/malformed.xml")).unwrap();
    let url = Url::parse("https://x.example.com/").unwrap();
    let feed = FeedRef {
        name: "Broken",
        url: &url,
        index: 0,
    };
    let read = ingest::read(&bytes, Meta::default(), &feed, &linker()).unwrap();
    assert!(read.repaired, "the status says it was repaired");
    assert_eq!(read.headlines.len(), 1);
    assert_eq!(read.headlines[0].title, "Unclosed");
    assert_eq!(
        ingest_bytes(b"<opml version='2.0'><body/></opml>", "https://x.example.com/"),
        Err(IngestError::Invalid(
            "the document's root element is <opml>, not rss, RDF or feed".into()
        ))
    );
    let html = std::fs::read(common::server::fixtures_dir().join("html_login.html")).unwrap();
    assert_eq!(
        ingest_bytes(&html, "https://x.example.com/"),
        Err(IngestError::Html)
    );
    assert!(ingest_bytes(b"", "https://x.example.com/").is_err());
}

#[test]
fn an_empty_feed_is_no_headlines() {
    let empty = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>"#;
    assert_eq!(ingest_bytes(empty, "https://q.example.com/").unwrap(), vec![]);
}

#[test]
fn a_5000_item_feed() {
    let mut xml = String::from(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>"#);
    for i in 0..5000 {
        xml.push_str(&format!(
            "<item><title>Story {i} about Nvidia</title><link>https://big.example.com/{i}</link>\
             <pubDate>Mon, 27 Jan 2025 {:02}:{:02}:00 GMT</pubDate></item>",
            i / 60 % 24,
            i % 60
        ));
    }
    xml.push_str("</channel></rss>");
    let items = ingest_bytes(xml.as_bytes(), "https://big.example.com/rss").unwrap();
    assert_eq!(items.len(), 5000);
    let mut store = Store::default();
    store.merge(items, 2000);
    assert_eq!(store.len(), 2000, "capped at max_headlines");
    assert!(store.items().windows(2).all(|w| w[0].published >= w[1].published));
}

#[test]
fn the_same_story_in_two_feeds_is_one_headline() {
    let a_url = Url::parse("https://a.example.com/rss").unwrap();
    let b_url = Url::parse("https://b.example.com/rss").unwrap();
    let read = |f: &str| std::fs::read(common::server::fixtures_dir().join("feeds").join(f)).unwrap();
    let a = ingest::parse(
        &read("dup_a.xml"),
        &FeedRef {
            name: "Wire A",
            url: &a_url,
            index: 0,
        },
        &linker(),
    )
    .unwrap();
    let b = ingest::parse(
        &read("dup_b.xml"),
        &FeedRef {
            name: "Wire B",
            url: &b_url,
            index: 1,
        },
        &linker(),
    )
    .unwrap();
    let mut ab = Store::default();
    ab.merge(a.clone(), 100);
    ab.merge(b.clone(), 100);
    let mut ba = Store::default();
    ba.merge(b, 100);
    ba.merge(a, 100);
    assert_eq!(ab.len(), 1);
    assert_eq!(ab.items(), ba.items());
    // Wire B's copy is a minute earlier, so it is the one kept.
    assert_eq!(&*ab.items()[0].feed, "Wire B");
    assert_eq!(ab.items()[0].id, "b-12");
}

/// Found by fuzzing: a second XML declaration naming another encoding made
/// quick-xml assert under feed-rs. It is one broken feed, read as well as it can
/// be, not a crash.
#[test]
fn a_second_xml_declaration_is_read_not_a_crash() {
    let items = load("fuzz-second-declaration.xml", "https://x.example.com/").unwrap();
    assert_eq!(items.len(), 1);
    assert_clean(&items);
}

#[test]
fn an_item_without_a_title_takes_its_first_words_else_its_link() {
    let long = "The Nasdaq Composite closed down 3.07% at 19,341.83 as chip stocks sank on fears that DeepSeek's cheaper models cut demand.";
    let feed = format!(
        "<rss version='2.0'><channel>\
         <item><description>{long}</description></item>\
         <item><link>https://x.example.com/only-a-link</link></item>\
         <item><guid isPermaLink='false'>nothing-to-show</guid></item>\
         </channel></rss>"
    );
    let url = Url::parse("https://x.example.com/rss").unwrap();
    let feed_ref = FeedRef {
        name: "Test",
        url: &url,
        index: 0,
    };
    let read = ingest::read(feed.as_bytes(), Meta::default(), &feed_ref, &linker()).unwrap();
    let titles: Vec<&str> = read.headlines.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "The Nasdaq Composite closed down 3.07% at 19,341.83 as chip stocks sank on fears that DeepSeek's…",
            "https://x.example.com/only-a-link"
        ]
    );
    assert_eq!(read.skipped, 1, "the item with nothing to show is counted");
    assert_eq!(read.headlines[0].symbols, ["^IXIC"]);
}

#[test]
fn the_http_charset_and_content_location_count() {
    let url = Url::parse("https://x.example.com/feeds/rss").unwrap();
    let feed_ref = FeedRef {
        name: "Test",
        url: &url,
        index: 0,
    };
    let doc = b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><item><title>B\xF6rse</title><link>story</link></item></channel></rss>";
    let meta = Meta {
        content_type: Some("text/xml; charset=iso-8859-1"),
        content_location: Some("https://mirror.example.com/news/"),
    };
    let read = ingest::read(doc, meta, &feed_ref, &linker()).unwrap();
    assert_eq!(read.headlines[0].title, "Börse");
    assert_eq!(
        read.headlines[0].url.as_deref(),
        Some("https://mirror.example.com/news/story")
    );
}

#[test]
fn items_that_reuse_one_id_in_a_document_stay_distinct_stories() {
    let rss = br#"<rss version="2.0"><channel><title>Desk</title>
<item><guid isPermaLink="false">story</guid><title>Nvidia falls 17%</title><link>https://desk.example.com/a</link></item>
<item><guid isPermaLink="false">story</guid><title>Apple rises 3%</title><link>https://desk.example.com/b</link></item>
<item><guid isPermaLink="false">story</guid><title>Apple rises 3%</title><link>https://desk.example.com/b</link></item>
<item><title>Broadcom slides</title><link>https://desk.example.com/c</link></item>
<item><guid isPermaLink="true">https://desk.example.com/c</guid><title>TSMC drops</title><link>https://desk.example.com/d</link></item>
</channel></rss>"#;
    let first = ingest_bytes(rss, "https://desk.example.com/rss").unwrap();
    let mut store = Store::default();
    store.merge(first.clone(), 100);
    let mut titles: Vec<&str> = store.items().iter().map(|h| h.title.as_str()).collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Apple rises 3%",
            "Broadcom slides",
            "Nvidia falls 17%",
            "TSMC drops"
        ],
        "an exact repeat is one story; a reused id or URL is not"
    );
    // The ids are stable: the next poll of the same document adds nothing.
    let again = ingest_bytes(rss, "https://desk.example.com/rss").unwrap();
    assert_eq!(
        first.iter().map(|h| &h.id).collect::<Vec<_>>(),
        again.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    assert!(!store.merge(again, 100));
}
