//! Real frames from Yahoo's stream (../shared/corpus/stream, read in place; the
//! test says it skipped where the corpus is absent), decoded to the values their
//! capturer checked against the REST quote at the same moment.

use std::path::PathBuf;

use serde_json::Value;
use tickwire::model::Ticker;
use tickwire::source::stream::decode::{merge_into, pricing};

#[test]
fn the_real_frames_decode_to_their_checked_values() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/stream/frames.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return;
    };
    let corpus: Value = serde_json::from_str(&text).unwrap();
    let frames = corpus["frames"].as_array().unwrap();
    assert!(frames.len() >= 3);
    for f in frames {
        let d = pricing(f["base64"].as_str().unwrap()).unwrap();
        let want = &f["expect"];
        assert_eq!(d.id, want["id"].as_str().unwrap());
        let price = f64::from(d.price.unwrap());
        let approx = want["price_approx"].as_f64().unwrap();
        assert!(
            (price / approx - 1.0).abs() < 1e-5,
            "{}: {price} vs {approx}",
            d.id
        );
        if let Some(ms) = want["time_ms"].as_i64() {
            assert_eq!(d.time, Some(ms), "zigzag-decoded milliseconds");
            let mut t = Ticker::default();
            merge_into(&mut t, &d);
            let at = t.time.unwrap().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            assert_eq!(at, want["time_utc"].as_str().unwrap());
        }
        if let Some(c) = want["currency"].as_str() {
            assert_eq!(d.currency.as_deref(), Some(c));
        }
    }
}
