use chrono::TimeZone;

use super::*;

fn url() -> Url {
    Url::parse("https://www.nasdaqtrader.com/rss.aspx?feed=tradehalts").unwrap()
}

fn item(fields: &str) -> String {
    format!(
        "<item><title>X</title><pubDate>Mon, 27 Jan 2025 05:00:00 GMT</pubDate>{fields}\
         <description>&lt;table&gt;&lt;/table&gt;</description></item>"
    )
}

fn doc(items: &[String]) -> Vec<u8> {
    format!(
        "\u{feff}\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:ndaq=\"http://www.nasdaqtrader.com/\">\
         <channel><title>NASDAQTrader.com</title><ndaq:numItems>{}</ndaq:numItems>{}</channel></rss>",
        items.len(),
        items.concat()
    )
    .into_bytes()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

fn read_one(fields: &str) -> Halt {
    let r = read(&doc(&[item(fields)]), Meta::default(), &url()).unwrap();
    assert_eq!(r.skipped, 0);
    r.halts.into_iter().next().unwrap()
}

#[test]
fn a_pause_that_resumed_in_winter() {
    let h = read_one(
        "<ndaq:HaltDate>01/27/2025</ndaq:HaltDate><ndaq:HaltTime>11:02:07.123</ndaq:HaltTime>\
         <ndaq:IssueSymbol>ABIL</ndaq:IssueSymbol><ndaq:IssueName>Ability &amp; Co</ndaq:IssueName>\
         <ndaq:Market>NASDAQ</ndaq:Market><ndaq:ReasonCode>LUDP</ndaq:ReasonCode>\
         <ndaq:PauseThresholdPrice>3.21</ndaq:PauseThresholdPrice>\
         <ndaq:ResumptionDate>01/27/2025</ndaq:ResumptionDate>\
         <ndaq:ResumptionQuoteTime>11:02:07</ndaq:ResumptionQuoteTime>\
         <ndaq:ResumptionTradeTime>11:07:07</ndaq:ResumptionTradeTime>",
    );
    assert_eq!(h.symbol, "ABIL");
    assert_eq!(h.name.as_deref(), Some("Ability & Co"));
    assert_eq!(h.market.as_deref(), Some("NASDAQ"));
    assert_eq!(h.reason(), "volatility pause");
    assert_eq!(h.threshold, Some(3.21));
    // EST: UTC-5; the milliseconds are kept.
    assert_eq!(
        h.halted_at,
        utc(2025, 1, 27, 16, 2, 7) + chrono::Duration::milliseconds(123)
    );
    assert_eq!(h.resumed_at, Some(utc(2025, 1, 27, 16, 7, 7)));
    assert!(
        h.active(utc(2025, 1, 27, 16, 5, 0)),
        "paused at 11:05 New York time"
    );
    assert!(!h.active(utc(2025, 1, 27, 16, 8, 0)), "resumed at 11:07");
}

#[test]
fn the_offset_is_the_halt_dates_not_todays() {
    let on = |date: &str| {
        read_one(&format!(
            "<ndaq:HaltDate>{date}</ndaq:HaltDate><ndaq:HaltTime>09:45:00</ndaq:HaltTime>\
             <ndaq:IssueSymbol>NVDA</ndaq:IssueSymbol><ndaq:ReasonCode>T1</ndaq:ReasonCode>"
        ))
        .halted_at
    };
    // 2025's switch to daylight time was Sunday 9 March.
    assert_eq!(on("03/07/2025"), utc(2025, 3, 7, 14, 45, 0));
    assert_eq!(on("03/10/2025"), utc(2025, 3, 10, 13, 45, 0));
    // And back on Sunday 2 November.
    assert_eq!(on("10/31/2025"), utc(2025, 10, 31, 13, 45, 0));
    assert_eq!(on("11/03/2025"), utc(2025, 11, 3, 14, 45, 0));
}

#[test]
fn empty_elements_are_no_value_and_an_open_halt_stays_active_a_day() {
    let h = read_one(
        "<ndaq:HaltDate>01/24/2025</ndaq:HaltDate><ndaq:HaltTime>13:00:42</ndaq:HaltTime>\
         <ndaq:IssueSymbol>WG</ndaq:IssueSymbol><ndaq:IssueName /><ndaq:Mkt>NYSE</ndaq:Mkt>\
         <ndaq:ReasonCode>T12</ndaq:ReasonCode><ndaq:PauseThresholdPrice />\
         <ndaq:ResumptionDate /><ndaq:ResumptionQuoteTime /><ndaq:ResumptionTradeTime/>",
    );
    assert_eq!(h.name, None);
    assert_eq!(h.market.as_deref(), Some("NYSE"), "the older Mkt element");
    assert_eq!((h.threshold, h.resumed_at), (None, None));
    // Friday's halt is still on on Monday (the last trading day) and not on Tuesday.
    assert!(h.active(utc(2025, 1, 27, 15, 0, 0)));
    assert!(!h.active(utc(2025, 1, 28, 15, 0, 0)));
}

#[test]
fn a_resumption_ahead_is_not_yet_a_resumption() {
    let h = read_one(
        "<ndaq:HaltDate>01/27/2025</ndaq:HaltDate><ndaq:HaltTime>10:00:00</ndaq:HaltTime>\
         <ndaq:IssueSymbol>ABC</ndaq:IssueSymbol><ndaq:ReasonCode>T3</ndaq:ReasonCode>\
         <ndaq:ResumptionTradeTime>14:00:00</ndaq:ResumptionTradeTime>",
    );
    assert_eq!(
        h.resumed_at,
        Some(utc(2025, 1, 27, 19, 0, 0)),
        "the halt's date when none is given"
    );
    assert!(h.active(utc(2025, 1, 27, 18, 0, 0)));
    assert!(!h.active(utc(2025, 1, 27, 19, 0, 0)));
}

#[test]
fn items_without_a_symbol_or_time_are_counted_and_newest_comes_first() {
    let good = |sym: &str, time: &str| {
        item(&format!(
            "<ndaq:HaltDate>01/27/2025</ndaq:HaltDate><ndaq:HaltTime>{time}</ndaq:HaltTime>\
             <ndaq:IssueSymbol>{sym}</ndaq:IssueSymbol><ndaq:ReasonCode>Z9</ndaq:ReasonCode>"
        ))
    };
    let items = [
        good("AAA", "10:00:00"),
        item("<ndaq:HaltDate>01/27/2025</ndaq:HaltDate><ndaq:HaltTime>soon</ndaq:HaltTime>"),
        item("<ndaq:HaltTime>10:00:00</ndaq:HaltTime><ndaq:IssueSymbol>B</ndaq:IssueSymbol>"),
        good("<b>x</b>", "10:00:00"),
        good("CCC", "12:30:00"),
    ];
    let r = read(&doc(&items), Meta::default(), &url()).unwrap();
    assert_eq!(r.skipped, 3);
    let symbols: Vec<&str> = r.halts.iter().map(|h| h.symbol.as_str()).collect();
    assert_eq!(symbols, ["CCC", "AAA"]);
    assert_eq!(r.halts[0].reason(), "Z9", "an unknown code shows as itself");
}

#[test]
fn share_classes_match_yahoos_spelling_and_suffixed_symbols_never() {
    let mut h = read_one(
        "<ndaq:HaltDate>01/27/2025</ndaq:HaltDate><ndaq:HaltTime>10:00:00</ndaq:HaltTime>\
         <ndaq:IssueSymbol>BRK.B</ndaq:IssueSymbol><ndaq:ReasonCode>T1</ndaq:ReasonCode>",
    );
    assert!(h.concerns("BRK-B"));
    assert!(!h.concerns("BRK"));
    h.symbol = "ocdo".into();
    assert!(h.concerns("OCDO"));
    assert!(!h.concerns("OCDO.L"));
    assert!(!h.concerns("^OCDO"));
}

#[test]
fn a_page_that_is_not_the_feed_is_an_error() {
    let html = b"<!DOCTYPE html><html><body>Access denied</body></html>";
    let err = read(html, Meta::default(), &url()).unwrap_err();
    assert!(err.contains("HTML page"), "{err}");
    assert!(read(b"{}", Meta::default(), &url()).is_err());
}

/// The recorded answers in `../shared/corpus/halts` (skipped without it).
#[test]
fn the_recorded_feeds_read_whole() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/halts");
    let Ok(day) = std::fs::read(dir.join("stock-alerts-f04022018.xml")) else {
        eprintln!("skipped: no corpus at {}", dir.display());
        return;
    };
    let r = read(&day, Meta::default(), &url()).unwrap();
    assert_eq!((r.halts.len(), r.skipped), (14, 0));
    // Newest first; 2 April 2018 was in daylight time (UTC-4).
    let discb = &r.halts[0];
    assert_eq!(discb.symbol, "DISCB");
    assert_eq!(discb.halted_at, utc(2018, 4, 2, 19, 33, 2));
    assert_eq!(discb.resumed_at, Some(utc(2018, 4, 2, 19, 43, 2)));
    assert_eq!(discb.reason(), "volatility pause");
    assert!(
        r.halts
            .iter()
            .all(|h| h.market.is_some() && !h.reason_code.is_empty())
    );
    let one = std::fs::read(dir.join("stock-alerts-1item.xml")).unwrap();
    let r = read(&one, Meta::default(), &url()).unwrap();
    assert_eq!(r.halts.len(), 1);
    let wg = &r.halts[0];
    assert_eq!((wg.symbol.as_str(), wg.reason().as_str()), ("WG", "news pending"));
    assert_eq!(wg.halted_at, utc(2018, 3, 26, 17, 0, 42));
    assert_eq!(wg.resumed_at, None);
    assert!(wg.active(utc(2018, 3, 26, 18, 0, 0)));
}

#[test]
fn coins_and_currency_pairs_are_not_us_listings_but_class_shares_are() {
    for s in ["NVDA", "BRK-B", "BF-B", "HEI-A", "PBR-A"] {
        assert!(may_halt(s), "{s}");
    }
    for s in [
        "BTC-USD", "ETH-EUR", "SOL-USDT", "ETH-BTC", "EURUSD=X", "^NDX", "OCDO.L",
    ] {
        assert!(!may_halt(s), "{s}");
    }
}
