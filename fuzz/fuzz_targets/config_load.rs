//! Any text as a config file: validation must not panic, and an error must say
//! where, when it knows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tickwire::config::{ConfigOrigin, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = parse(text, ConfigOrigin::Embedded) {
        let _ = e.to_string();
    }
});
