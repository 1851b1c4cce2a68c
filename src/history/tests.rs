use super::*;
use serde_json::Value;

fn corpus(name: &str) -> Option<Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/yahoo-ranges")
        .join(name);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipped: no corpus at {}", path.display());
            None
        }
    }
}

/// A client library's recording: the body is Yahoo's answer.
fn wrapped(name: &str) -> Option<Vec<u8>> {
    let v: Value = serde_json::from_slice(&corpus(name)?).unwrap();
    Some(serde_json::to_vec(&v["response"]["bodyJson"]).unwrap())
}

#[test]
fn daily_bars_with_dividends_and_adjusted_closes() {
    let Some(body) = corpus("MSFT-6mo-1d.json") else {
        return;
    };
    let h = parse(&body, "MSFT", "6mo", "1d").unwrap();
    assert!(h.bars.len() > 100, "{}", h.bars.len());
    assert_eq!(h.currency.as_deref(), Some("USD"));
    // New York's offset when it was fetched: a bar's day is its date there.
    assert_eq!(h.utc_offset, chrono::FixedOffset::west_opt(4 * 3600));
    let late = DateTime::from_timestamp(1_761_782_400, 0).unwrap(); // 00:00 UTC, 20:00 in New York
    assert_eq!(h.day_of(late).to_string(), "2025-10-29");
    assert_eq!(h.dividends.len(), 2);
    assert_eq!(h.dividends[0].amount, 0.83);
    assert!(h.dividends[0].time < h.dividends[1].time);
    assert!(
        h.bars
            .iter()
            .all(|b| b.adj_close.is_some() && b.open.is_some() && b.volume.is_some())
    );
    assert!(h.splits.is_empty());
    let csv = h.csv();
    assert!(csv.starts_with("time,open,high,low,close,adj_close,volume\n"));
    assert_eq!(csv.lines().count(), h.bars.len() + 1);
}

#[test]
fn a_split_is_read_with_its_ratio() {
    let Some(body) = wrapped("AAPL-period20200831-20201107-1d.yf2wrapper.json") else {
        return;
    };
    let h = parse(&body, "AAPL", "3mo", "1d").unwrap();
    assert_eq!(h.splits.len(), 1);
    assert_eq!((h.splits[0].numerator, h.splits[0].denominator), (4.0, 1.0));
    assert_eq!(h.splits[0].time.to_rfc3339(), "2020-08-31T13:30:00+00:00");
    assert_eq!(h.dividends.len(), 1);
    assert!(h.text().contains("split 4:1 on 2020-08-31"), "{}", h.text());
}

#[test]
fn crypto_trades_on_weekends_and_nulls_are_left_out() {
    let Some(body) = wrapped("BTC-USD-period20200101-20200103-1d.yf2wrapper.json") else {
        return;
    };
    let h = parse(&body, "BTC-USD", "5d", "1d").unwrap();
    assert!(!h.bars.is_empty());
    let body = br#"{"chart":{"result":[{"meta":{"currency":"USD"},"timestamp":[1,2,3],
        "indicators":{"quote":[{"close":[1.5,null,2.0],"open":[1,1,1]}]}}],"error":null}}"#;
    let h = parse(body, "X", "5d", "1d").unwrap();
    assert_eq!(h.bars.len(), 2);
    assert_eq!(h.bars[1].adj_close, None);
    let err = br#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#;
    assert_eq!(
        parse(err, "ZZZZ", "1y", "1d").unwrap_err(),
        "No data found, symbol may be delisted"
    );
}

#[test]
fn every_range_has_an_interval() {
    assert_eq!(interval_for("1d"), Some("5m"));
    assert_eq!(interval_for("5y"), Some("1wk"));
    assert_eq!(interval_for("max"), Some("1mo"));
    assert_eq!(interval_for("2w"), None);
    assert!(RANGES.iter().all(|(_, i)| INTERVALS.contains(i)));
}
