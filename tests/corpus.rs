//! Every feed of ../shared/corpus/feeds (real feeds from the test suites of
//! feedparser, newsboat, feed-rs and the rss/atom crates), read in place and
//! compared with feedparser's reading of it in expected/: the number of entries,
//! and each one's title, link and date. Where the corpus is absent (a clone of
//! this project alone) the test says so and passes.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use reqwest::Url;
use serde_json::Value;
use tickwire::config::{ConfigOrigin, parse};
use tickwire::news::clean;
use tickwire::news::feed::Meta;
use tickwire::news::ingest::{self, FeedRef, Ingested};
use tickwire::news::link::Linker;

/// Where tickwire reads a feed differently from feedparser on purpose: (file,
/// what differs, why). Everything else must agree.
const DELIBERATE: &[(&str, &str, &str)] = &[
    ("feedrs_jsonfeed_elastic_1.1.json", "count", JSON_FEED),
    ("feedrs_jsonfeed_example_1.json", "count", JSON_FEED),
    ("feedrs_jsonfeed_spec_1.json", "count", JSON_FEED),
    (
        "rsscrate_guid.xml",
        "count",
        "a guid that is not an absolute URL (\"def?g=h&i=j\") is an id, not a page: the item has nothing to show",
    ),
    (
        "fp_sanitize_entry_title_crazy.xml",
        "title",
        "a script is dropped whole; feedparser keeps the text of one its sanitizer could not parse",
    ),
    (
        "feedrs_rss_2.0_nbcny.xml",
        "date",
        "\"Sat, Dec 16 2023 02:02:33 PM\" is 14:02; feedparser drops the PM",
    ),
];

const JSON_FEED: &str = "feedparser does not read JSON Feed; tickwire does";

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("feeds").is_dir().then_some(dir)
}

fn linker() -> Linker {
    let c = parse(
        "[[watchlist]]\nname = \"w\"\nsymbols = [\"NVDA\"]\n",
        ConfigOrigin::Embedded,
    )
    .unwrap();
    Linker::new(&c)
}

/// The HTTP headers feedparser's harness serves a file with, if it has any.
fn headers(dir: &Path, name: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(dir.join("feed-headers").join(name))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect()
}

fn ours(dir: &Path, name: &str, base: &Url, linker: &Linker) -> Result<Ingested, String> {
    let bytes = std::fs::read(dir.join("feeds").join(name)).unwrap();
    let headers = headers(dir, name);
    let get = |k: &str| headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let meta = Meta {
        content_type: get("content-type"),
        content_location: get("content-location"),
    };
    let feed = FeedRef {
        name,
        url: base,
        index: 0,
    };
    ingest::read(&bytes, meta, &feed, linker).map_err(|e| e.to_string())
}

fn text(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !s.trim().is_empty())
}

/// Compares one feed; returns (what, detail) for every difference.
fn compare(expected: &Value, got: Result<Ingested, String>, base: &Url) -> Vec<(String, String)> {
    let mut diffs = Vec::new();
    let entries = expected["entries"].as_array().cloned().unwrap_or_default();
    let got = match got {
        Ok(g) => g,
        Err(e) => {
            if !entries.is_empty() {
                diffs.push((
                    "error".into(),
                    format!("{e}; feedparser read {} entries", entries.len()),
                ));
            }
            return diffs;
        }
    };
    let total = got.headlines.len() + got.skipped;
    if total != entries.len() {
        diffs.push((
            "count".into(),
            format!(
                "{} read + {} skipped, feedparser {}",
                got.headlines.len(),
                got.skipped,
                entries.len()
            ),
        ));
        return diffs;
    }
    // Skipped entries are those with nothing to show: pair the others in order.
    let shown: Vec<&Value> = if got.skipped == 0 {
        entries.iter().collect()
    } else {
        entries
            .iter()
            .filter(|e| {
                text(&e["title"]).is_some_and(|t| !clean::title(t, true).is_empty())
                    || text(&e["link"]).is_some()
            })
            .collect()
    };
    if shown.len() != got.headlines.len() {
        diffs.push((
            "count".into(),
            format!(
                "{} shown, feedparser {} with a title or link",
                got.headlines.len(),
                shown.len()
            ),
        ));
        return diffs;
    }
    for (i, (e, h)) in shown.iter().zip(&got.headlines).enumerate() {
        if let Some(t) = text(&e["title"]).filter(|t| !clean::title(t, true).is_empty()) {
            let want = clean::title(t, true);
            if want != h.title {
                diffs.push((
                    format!("title[{i}]"),
                    format!("{:?} vs feedparser {:?}", h.title, want),
                ));
            }
        }
        if let Some(l) = text(&e["link"]) {
            let want = base
                .join(l.trim())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"));
            let got = h.url.as_deref().and_then(|u| Url::parse(u).ok());
            if want.is_some() && want != got {
                diffs.push((format!("link[{i}]"), format!("{:?} vs feedparser {:?}", h.url, l)));
            }
        }
        let want_date = text(&e["published"]).and_then(|d| DateTime::parse_from_rfc3339(d).ok());
        let want_date = want_date.map(|d| d.with_timezone(&Utc).timestamp());
        let got_date = h.published.map(|d| d.timestamp());
        if want_date.is_some() && want_date != got_date {
            diffs.push((
                format!("date[{i}]"),
                format!("{:?} vs feedparser {:?}", h.published, e["published"]),
            ));
        }
    }
    // Every story of the document survives the store: items that differ in title
    // and link are distinct even when the feed gave them one id or one URL.
    let distinct: std::collections::HashSet<(&str, Option<&str>)> = got
        .headlines
        .iter()
        .map(|h| (h.title.as_str(), h.url.as_deref()))
        .collect();
    let mut store = tickwire::news::store::Store::default();
    store.merge(got.headlines.clone(), usize::MAX);
    if store.items().len() < distinct.len() {
        diffs.push((
            "stories".into(),
            format!(
                "{} stories kept of {} distinct items",
                store.items().len(),
                distinct.len()
            ),
        ));
    }
    diffs
}

#[test]
fn every_corpus_feed_reads_as_feedparser_reads_it() {
    let Some(dir) = corpus() else {
        eprintln!("skipped: ../shared/corpus is not beside the project");
        return;
    };
    let linker = linker();
    let mut names: Vec<String> = std::fs::read_dir(dir.join("feeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 100, "the corpus has {} feeds", names.len());
    let mut failures = Vec::new();
    let mut deliberate_seen = Vec::new();
    for name in &names {
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected").join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        let base = Url::parse(&format!("http://corpus.test/feeds/{name}")).unwrap();
        let got = ours(&dir, name, &base, &linker);
        // A link kept as the feed wrote it (feed::WebLink) must be what the url crate writes.
        for h in got.iter().flat_map(|g| &g.headlines) {
            let link = h.url.as_deref().unwrap_or("https://x.test/");
            if Url::parse(link).ok().as_ref().map(Url::as_str) != Some(link) {
                failures.push(format!(
                    "{name}: link {link:?} is not as the URL standard writes it"
                ));
            }
        }
        for (what, detail) in compare(&expected, got, &base) {
            let kind = what.split('[').next().unwrap_or(&what).to_string();
            if DELIBERATE.iter().any(|(f, k, _)| *f == name && *k == kind) {
                deliberate_seen.push((name.clone(), kind));
            } else {
                failures.push(format!("{name}: {what}: {detail}"));
            }
        }
    }
    for (file, kind, why) in DELIBERATE {
        assert!(
            deliberate_seen.iter().any(|(f, k)| f == file && k == kind),
            "{file}: the deliberate difference in {kind} ({why}) no longer shows: remove it from the list"
        );
    }
    assert!(
        failures.is_empty(),
        "{} differences from feedparser in {} feeds:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

/// `needle` in `hay` with no letter or digit on either side: the rule, one word at a time.
fn has_word(hay: &str, needle: &str) -> bool {
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    hay.match_indices(needle)
        .any(|(at, _)| edge(hay[..at].chars().next_back()) && edge(hay[at + needle.len()..].chars().next()))
}

#[test]
fn every_corpus_headline_links_as_a_word_by_word_search_does() {
    let Some(dir) = corpus() else {
        eprintln!("skipped: ../shared/corpus is not beside the project");
        return;
    };
    // With a one-byte symbol (which no second byte rules out as a candidate), and without.
    for symbols in [
        r#"["NVDA", "RSS", "XML", "HTML", "ATOM", "ON", "IT", "A", "^W3C", "7203.T"]"#,
        r#"["NVDA", "RSS", "XML", "HTML", "ATOM", "ON", "IT", "^W3C", "7203.T"]"#,
    ] {
        let config = parse(
            &format!("[[watchlist]]\nname = \"w\"\nsymbols = {symbols}\n"),
            ConfigOrigin::Embedded,
        )
        .unwrap();
        let linker = Linker::new(&config);
        let mut linked = 0;
        for entry in std::fs::read_dir(dir.join("feeds")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let base = Url::parse(&format!("http://corpus.test/feeds/{name}")).unwrap();
            let Ok(read) = ours(&dir, &name, &base, &linker) else {
                continue;
            };
            for h in &read.headlines {
                let expected: Vec<String> = config
                    .all_symbols()
                    .into_iter()
                    .filter(|s| {
                        let token = s.trim_start_matches('^');
                        has_word(&h.title, token) || has_word(&h.summary, token)
                    })
                    .collect();
                assert_eq!(h.symbols, expected, "{name}: {:?} / {:?}", h.title, h.summary);
                linked += usize::from(!expected.is_empty());
            }
        }
        assert!(
            linked > 10,
            "only {linked} corpus headlines name a symbol of {symbols}"
        );
    }
}
