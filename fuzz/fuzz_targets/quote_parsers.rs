//! Any bytes as a Yahoo or Nasdaq answer: parsing must not panic, and a quote
//! that comes out has a positive, finite price.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reqwest::Url;
use tickwire::source::provider;

fuzz_target!(|data: &[u8]| {
    for name in ["yahoo", "nasdaq"] {
        let Ok(base) = Url::parse("http://127.0.0.1:1/") else { return };
        let Some(p) = provider::build(name, base) else { return };
        let _ = p.error_detail(data);
        if let Ok(q) = p.parse("NVDA", data, chrono::Utc::now()) {
            assert!(q.price.is_finite() && q.price > 0.0);
            let _ = q.change_pct();
        }
    }
});
