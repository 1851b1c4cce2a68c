//! Chart answers of our own making in every shape Yahoo's chart API sends
//! (the corpus holds real ones; these cover what it does not): each is
//! (symbol, range, interval, body).

use serde_json::{Value, json};

/// (symbol, range, interval, body).
pub type Shape = (&'static str, &'static str, &'static str, String);

/// 2025-01-27 in New York: pre-market 04:00, open 09:30, close 16:00, post to 20:00.
const PRE: i64 = 1_737_968_400;
const OPEN: i64 = 1_737_988_200;
const CLOSE: i64 = OPEN + 23_400;
const DAY: i64 = 86_400;

fn answer(meta: Value, stamps: &[i64], quote: Value, extra: Value) -> String {
    let mut result = json!({"meta": meta, "timestamp": stamps, "indicators": {"quote": [quote]}});
    if let (Some(r), Some(x)) = (result.as_object_mut(), extra.as_object()) {
        for (k, v) in x {
            if k == "adjclose" {
                r["indicators"]["adjclose"] = v.clone();
            } else {
                r.insert(k.clone(), v.clone());
            }
        }
    }
    json!({"chart": {"result": [result], "error": null}}).to_string()
}

fn ohlc(closes: &[Option<f64>]) -> Value {
    let around = |d: f64| -> Vec<Option<f64>> { closes.iter().map(|c| c.map(|c| c + d)).collect() };
    json!({"open": around(0.5), "high": around(1.0), "low": around(-1.0), "close": closes,
           "volume": closes.iter().map(|c| c.map(|_| 1_000_000)).collect::<Vec<_>>()})
}

/// One day in 5-minute bars with the pre-market and after hours.
pub fn intraday() -> Shape {
    let stamps: Vec<i64> = (PRE..PRE + 16 * 3600).step_by(300).collect();
    let closes: Vec<Option<f64>> = (0..stamps.len()).map(|i| Some(130.0 - i as f64 * 0.06)).collect();
    let period = |s: i64, e: i64| json!({"timezone": "EST", "start": s, "end": e, "gmtoffset": -18_000});
    let meta = json!({"currency": "USD", "symbol": "NVDA", "dataGranularity": "5m", "range": "1d",
        "gmtoffset": -18_000, "regularMarketPrice": 118.42, "chartPreviousClose": 142.62,
        "currentTradingPeriod": {"pre": period(PRE, OPEN), "regular": period(OPEN, CLOSE),
            "post": period(CLOSE, CLOSE + 4 * 3600)},
        "tradingPeriods": {"pre": [[period(PRE, OPEN)]], "regular": [[period(OPEN, CLOSE)]],
            "post": [[period(CLOSE, CLOSE + 4 * 3600)]]}});
    (
        "NVDA",
        "1d",
        "5m",
        answer(meta, &stamps, ohlc(&closes), json!({})),
    )
}

/// Five years of weekly bars; the last week under way starts mid-week.
pub fn weekly() -> Shape {
    let first = OPEN - 5 * 52 * 7 * DAY;
    let mut stamps: Vec<i64> = (0..260).map(|w| first + w * 7 * DAY).collect();
    stamps.push(OPEN);
    let closes: Vec<Option<f64>> = (0..stamps.len()).map(|w| Some(5.0 + w as f64 * 0.5)).collect();
    let meta = json!({"currency": "USD", "symbol": "NVDA", "dataGranularity": "1wk", "range": "5y"});
    (
        "NVDA",
        "5y",
        "1wk",
        answer(meta, &stamps, ohlc(&closes), json!({})),
    )
}

/// Every month since the listing, a month without trades as nulls.
pub fn monthly() -> Shape {
    let stamps: Vec<i64> = (0..312).map(|m| 917_827_200 + m * 2_629_746).collect();
    let closes: Vec<Option<f64>> = (0..stamps.len())
        .map(|m| (m != 40).then_some(0.04 * (1.0 + m as f64 / 20.0).powi(3)))
        .collect();
    let meta = json!({"currency": "USD", "symbol": "NVDA", "dataGranularity": "1mo", "range": "max"});
    (
        "NVDA",
        "max",
        "1mo",
        answer(meta, &stamps, ohlc(&closes), json!({})),
    )
}

/// A mutual fund: one price a day, no volume, dividends and capital gains.
pub fn fund() -> Shape {
    let stamps: Vec<i64> = (0..20).map(|d| OPEN - (19 - d) * DAY).collect();
    let closes: Vec<Option<f64>> = (0..20).map(|d| Some(520.0 + d as f64)).collect();
    let quote = json!({"open": closes, "high": closes, "low": closes, "close": closes,
                       "volume": vec![0; 20]});
    let meta = json!({"currency": "USD", "symbol": "VFIAX", "instrumentType": "MUTUALFUND",
        "dataGranularity": "1d", "range": "1mo"});
    let at = stamps[12];
    let events = json!({
        "dividends": {at.to_string(): {"amount": 1.74, "date": at}},
        "capitalGains": {at.to_string(): {"amount": 0.43, "date": at}},
    });
    let adj: Vec<Option<f64>> = closes.iter().map(|c| c.map(|c| c * 0.99)).collect();
    let extra = json!({"events": events, "adjclose": [{"adjclose": adj}]});
    ("VFIAX", "1mo", "1d", answer(meta, &stamps, quote, extra))
}

/// A currency: bars Monday to Friday at midnight London, volume always 0.
pub fn fx() -> Shape {
    let monday = 1_737_936_000; // 2025-01-27 00:00 UTC
    let stamps: Vec<i64> = (0..5).map(|d| monday - 7 * DAY + d * DAY).collect();
    let closes = [1.0412, 1.0435, 1.0427, 1.0413, 1.0498];
    let quote =
        json!({"open": closes, "high": closes, "low": closes, "close": closes, "volume": [0, 0, 0, 0, 0]});
    let meta = json!({"currency": "USD", "symbol": "EURUSD=X", "instrumentType": "CURRENCY",
        "dataGranularity": "1d", "range": "5d", "gmtoffset": 0});
    ("EURUSD=X", "5d", "1d", answer(meta, &stamps, quote, json!({})))
}

/// A coin: bars every day of the week, Saturday and Sunday too.
pub fn crypto() -> Shape {
    let saturday = 1_737_763_200; // 2025-01-25 00:00 UTC
    let stamps: Vec<i64> = (0..4).map(|d| saturday + d * DAY).collect();
    let closes = [
        Some(104_819.48),
        Some(102_682.5),
        Some(102_087.69),
        Some(101_332.48),
    ];
    let meta = json!({"currency": "USD", "symbol": "BTC-USD", "instrumentType": "CRYPTOCURRENCY",
        "dataGranularity": "1d", "range": "5d", "gmtoffset": 0});
    (
        "BTC-USD",
        "5d",
        "1d",
        answer(meta, &stamps, ohlc(&closes), json!({})),
    )
}

/// A month of NVDA's daily bars (ours) with a dividend.
pub fn month() -> Shape {
    let stamps: Vec<i64> = (0..21).map(|d| OPEN - (20 - d) * DAY).collect();
    let closes: Vec<Option<f64>> = (0..21)
        .map(|d| Some(if d == 20 { 118.42 } else { 130.0 + d as f64 }))
        .collect();
    let meta = json!({"currency": "USD", "symbol": "NVDA", "dataGranularity": "1d", "range": "1mo"});
    let at = stamps[10];
    let extra = json!({"events": {"dividends": {at.to_string(): {"amount": 0.01, "date": at}}}});
    ("NVDA", "1mo", "1d", answer(meta, &stamps, ohlc(&closes), extra))
}

/// Every shape with what a reader must find in it: bars, dividends, capital gains.
pub fn all() -> Vec<(Shape, usize, usize, usize)> {
    vec![
        (intraday(), 192, 0, 0),
        (weekly(), 261, 0, 0),
        (monthly(), 311, 0, 0),
        (fund(), 20, 1, 1),
        (month(), 21, 1, 0),
        (fx(), 5, 0, 0),
        (crypto(), 4, 0, 0),
    ]
}
