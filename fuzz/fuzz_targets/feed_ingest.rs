//! Any bytes as a feed: ingest must not panic, and what it keeps must be clean.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reqwest::Url;
use tickwire::news::feed::Meta;
use tickwire::news::ingest::{FeedRef, read};
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
    // The first byte picks how the document was served: the charset and base URL
    // of the HTTP answer change how every other byte is read.
    const SERVED: [(Option<&str>, Option<&str>); 5] = [
        (None, None),
        (Some("text/xml; charset=utf-16"), None),
        (Some("application/rss+xml; charset=\"iso-8859-1\""), Some("/elsewhere/")),
        (Some("text/xml; charset=koi8-r"), Some("javascript:alert(1)")),
        (Some("application/json"), Some("https://other.example.com/a/b")),
    ];
    let Some((&pick, data)) = data.split_first() else { return };
    let (content_type, content_location) = SERVED[usize::from(pick) % SERVED.len()];
    let meta = Meta { content_type, content_location };
    let Ok(url) = Url::parse("https://feeds.example.com/rss/") else { return };
    let feed = FeedRef { name: "fuzz", url: &url, index: 0 };
    if let Ok(read) = read(data, meta, &feed, &Linker::default()) {
        for h in read.headlines {
            assert!(h.title.chars().all(|c| !c.is_control()), "{:?}", h.title);
            assert!(h.summary.chars().all(|c| !c.is_control()), "{:?}", h.summary);
            assert!(h.title.chars().count() <= 300);
            if let Some(u) = h.url {
                assert!(u.starts_with("http://") || u.starts_with("https://"), "{u}");
            }
        }
    }
});
