use chrono::TimeZone;

use super::*;

const LINES: Thresholds = Thresholds {
    warn_drop_pct: 3.0,
    alert_drop_pct: 7.0,
};

fn answer(rows: &str) -> Vec<u8> {
    format!(r#"{{"data":{{"data":{{"headers":{{}},"rows":[{rows}]}},"totalrecords":3}},"message":null,"status":{{"rCode":200}}}}"#)
        .into_bytes()
}

fn row(sym: &str, cap: &str, price: &str, chg: &str, pct: &str, delta: &str) -> String {
    format!(
        r#"{{"symbol":"{sym}","companyName":"{sym} Inc. Common Stock","marketCap":"{cap}","lastSalePrice":"{price}","netChange":"{chg}","percentageChange":"{pct}","deltaIndicator":"{delta}"}}"#
    )
}

#[test]
fn share_classes_unch_and_na_are_read_as_they_mean() {
    let body = answer(
        &[
            row(
                "NVDA",
                "2,900,000,000,000",
                "$118.42",
                "-24.20",
                "-16.97%",
                "down",
            ),
            row("GOOGL", "1,200,000,000,000", "$200.00", "8.00", "4.17%", "up"),
            row("GOOG", "1,100,000,000,000", "$201.00", "UNCH", "UNCH", ""),
            row("NEWCO", "NA", "$10.00", "--", "--", ""),
            // A percentage written without a sign, the indicator saying down.
            row("AVGO", "1,000,000,000,000", "$195.09", "41.11", "17.40%", "down"),
            r#"{"companyName":"no symbol"}"#.to_string(),
        ]
        .join(","),
    );
    let rows = parse_list(&body).unwrap();
    assert_eq!(rows.len(), 5, "the row without a symbol is left out");
    assert_eq!(rows[0].market_cap, Some(2.9e12));
    assert_eq!((rows[0].price, rows[0].change_pct), (Some(118.42), Some(-16.97)));
    assert_eq!(rows[2].change_pct, Some(0.0), "UNCH");
    assert_eq!(
        (rows[3].market_cap, rows[3].change_pct),
        (None, None),
        "NA and --"
    );
    assert_eq!((rows[4].change, rows[4].change_pct), (Some(-41.11), Some(-17.4)));

    let as_of = Utc.with_ymd_and_hms(2025, 1, 27, 21, 0, 0).unwrap();
    let b = compute("nasdaq100", &rows, LINES, as_of);
    assert_eq!((b.advancers, b.decliners, b.unchanged), (1, 2, 1));
    assert_eq!((b.down_warn, b.down_alert), (2, 2));
    assert_eq!(b.median_pct, Some(-8.485), "of -17.4, -16.97, 0, 4.17");
    assert_eq!(b.constituents, 5);
    let order: Vec<&str> = b.contributors.iter().map(|c| c.symbol.as_str()).collect();
    assert_eq!(
        order,
        ["NVDA", "AVGO", "GOOG", "GOOGL"],
        "the biggest drag first; NEWCO has no cap"
    );
    let nvda = &b.contributors[0];
    assert_eq!(nvda.weight, 0.46774);
    assert_eq!(nvda.contribution_pct, -7.9376);
    let sum: f64 = b.contributors.iter().map(|c| c.contribution_pct).sum();
    assert!((b.est_index_pct.unwrap() - sum).abs() < 0.01);
    assert_eq!(b.as_of, "2025-01-27T21:00:00Z");
}

#[test]
fn what_is_not_the_list_says_so() {
    assert!(
        parse_list(b"<html>Access Denied</html>")
            .unwrap_err()
            .starts_with("not JSON")
    );
    let refused = br#"{"data":null,"message":null,"status":{"rCode":400,"bCodeMessage":[{"code":1001,"errorMessage":"List not found."}]}}"#;
    assert_eq!(parse_list(refused).unwrap_err(), "Nasdaq says: List not found.");
    assert_eq!(parse_list(&answer("")).unwrap_err(), "the list has no rows");
}

#[test]
fn an_empty_day_has_no_median_or_estimate() {
    let b = compute("nasdaq100", &[], LINES, Utc::now());
    assert_eq!((b.median_pct, b.est_index_pct, b.constituents), (None, None, 0));
}
