//! Any text as a stream frame, and any bytes as the base64 inside one: decoding
//! must not panic, and what merges into a symbol's state has finite prices.
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use tickwire::model::Ticker;
use tickwire::source::stream::decode::{frame, merge_into, pricing};

fuzz_target!(|data: &[u8]| {
    let mut t = Ticker::default();
    if let Ok(Some(d)) = frame(&String::from_utf8_lossy(data)) {
        merge_into(&mut t, &d);
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    if let Ok(d) = pricing(&b64) {
        merge_into(&mut t, &d);
    }
    assert!(t.price.is_none_or(|p| p.is_finite() && p > 0.0));
});
