//! Any bytes as a feed: ingest must not panic, and what it keeps must be clean.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reqwest::Url;
use tickwire::news::ingest::{FeedRef, parse};
use tickwire::news::link::Linker;

fuzz_target!(init: {
    // libFuzzer's hook aborts on any panic; let the ones tickwire contains unwind.
    let fuzzer_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !tickwire::contain::is_contained() {
            fuzzer_hook(info);
        }
    }));
}, |data: &[u8]| {
    let Ok(url) = Url::parse("https://feeds.example.com/rss/") else { return };
    let feed = FeedRef { name: "fuzz", url: &url, index: 0 };
    if let Ok(items) = parse(data, &feed, &Linker::default()) {
        for h in items {
            assert!(h.title.chars().all(|c| !c.is_control()), "{:?}", h.title);
            assert!(h.title.chars().count() <= 300);
            if let Some(u) = h.url {
                assert!(u.starts_with("http://") || u.starts_with("https://"), "{u}");
            }
        }
    }
});
