//! What the demo server answers at a replay time: Yahoo-shaped chart JSON and
//! the three feeds in their formats. Pure functions of (data, time).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

use super::day::Day;
use super::news::{Story, stories_until};

/// `/v8/finance/chart/{symbol}` at replay time `t`, as Yahoo answers with
/// `includePrePost=true`; None for an unknown symbol. Before the open the regular
/// price is still Friday's close and the pre-market trades are bars inside the
/// `pre` trading period; the regular session's bars follow from the open.
pub fn chart_json(day: &Day, symbol: &str, t: DateTime<Utc>) -> Option<String> {
    let s = day.symbol(symbol)?;
    let now = t.timestamp();
    let (open, close) = (day.open.timestamp(), day.close.timestamp());
    let [pre, regular, post] = day.periods();
    let period = |(start, end): (i64, i64)| json!({"timezone": "EST", "start": start, "end": end, "gmtoffset": -18000});
    // 5-minute bars so far, and the price now as the last point: the pre-market
    // from its first trade, then the session.
    let mut stamps = Vec::new();
    let mut closes = Vec::new();
    let mut bars = |from: i64, until: i64| {
        let mut bar = from;
        while bar < until {
            stamps.push(bar);
            closes.push(s.price_at(bar));
            bar += 300;
        }
    };
    if let Some(first) = s.first_premarket_trade() {
        bars(first.max(pre.0), now.min(open));
    }
    if now >= open {
        bars(open, now.min(close));
    }
    // Stamped inside the session even at the close (a bar at 16:00 sharp would
    // be an after-hours one), priced as of now.
    let last = now.min(close - 60);
    let trading = last >= open || s.first_premarket_trade().is_some_and(|f| last >= f);
    if trading && stamps.last().is_none_or(|t| *t < last) {
        stamps.push(last);
        closes.push(s.price_at(now.min(close)));
    }
    // The regular price and its time: Friday's close until Monday's open.
    let (price, market_time) = if now >= open {
        (s.price_at(now), now.min(close))
    } else {
        (s.previous_close, day.previous_session_close().timestamp())
    };
    let mut meta = json!({
        "currency": "USD",
        "symbol": symbol,
        "exchangeName": if symbol.starts_with('^') { "SNP" } else { "NMS" },
        "instrumentType": if symbol.starts_with('^') { "INDEX" } else { "EQUITY" },
        "regularMarketTime": market_time,
        "gmtoffset": -18000,
        "timezone": "EST",
        "exchangeTimezoneName": "America/New_York",
        "regularMarketPrice": price,
        "chartPreviousClose": s.previous_close,
        "previousClose": s.previous_close,
        "priceHint": 2,
        "currentTradingPeriod": {"pre": period(pre), "regular": period(regular), "post": period(post)},
        "tradingPeriods": {"pre": [[period(pre)]], "regular": [[period(regular)]], "post": [[period(post)]]},
        "dataGranularity": "5m",
        "range": "1d",
    });
    let session: Vec<f64> = stamps
        .iter()
        .zip(&closes)
        .filter(|(t, _)| **t >= open)
        .map(|(_, c)| *c)
        .collect();
    if !session.is_empty() {
        let hi = session.iter().copied().fold(f64::MIN, f64::max);
        let lo = session.iter().copied().fold(f64::MAX, f64::min);
        meta["regularMarketDayHigh"] = json!(hi);
        meta["regularMarketDayLow"] = json!(lo);
        if let Some(v) = s.volume {
            let done = ((now.min(close) - open) as f64 / (close - open) as f64).clamp(0.0, 1.0);
            meta["regularMarketVolume"] = json!((v as f64 * done).round() as u64);
        }
    }
    let mut result = json!({"meta": meta, "indicators": {"quote": [{}]}});
    if !stamps.is_empty() {
        result["timestamp"] = json!(stamps);
        result["indicators"] = json!({"quote": [{"close": closes}]});
        if s.open_verified {
            // A bar opens where the path is at its start: the first regular one at the open.
            let opens: Vec<f64> = stamps.iter().map(|t| s.price_at(*t)).collect();
            result["indicators"]["quote"][0]["open"] = json!(opens);
        }
    }
    Some(json!({"chart": {"result": [result], "error": null}}).to_string())
}

/// The 404 Yahoo sends for a symbol it does not know.
pub fn not_found_json() -> String {
    json!({"chart": {"result": null, "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"}}})
        .to_string()
}

fn esc(s: &str) -> String {
    html_escape::encode_safe(s).into_owned()
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// "Replay Wire" as RSS 2.0.
pub fn wire_rss(stories: &[Story], t: DateTime<Utc>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Replay Wire</title><link>http://127.0.0.1/</link>\
         <description>tickwire's replay of 27 January 2025</description>\n",
    );
    for s in stories_until(stories, "Replay Wire", t) {
        out.push_str(&format!(
            "<item><title>{}</title><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate>\
             <description>{}</description></item>\n",
            esc(&s.title),
            s.id,
            s.at.to_rfc2822(),
            esc(&s.summary)
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// "Replay Markets" as Atom.
pub fn markets_atom(stories: &[Story], t: DateTime<Utc>) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Replay Markets</title><id>urn:tickwire:replay:markets</id><updated>{}</updated>\n",
        rfc3339(t)
    );
    for s in stories_until(stories, "Replay Markets", t) {
        out.push_str(&format!(
            "<entry><title>{}</title><id>urn:tickwire:{}</id><published>{}</published>\
             <updated>{}</updated><summary>{}</summary></entry>\n",
            esc(&s.title),
            s.id,
            rfc3339(s.at),
            rfc3339(s.at),
            esc(&s.summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// "Replay Brief" as JSON Feed 1.1.
pub fn brief_json(stories: &[Story], t: DateTime<Utc>) -> String {
    let items: Vec<serde_json::Value> = stories_until(stories, "Replay Brief", t)
        .map(|s| json!({"id": s.id, "title": s.title, "content_text": s.summary, "date_published": rfc3339(s.at)}))
        .collect();
    json!({"version": "https://jsonfeed.org/version/1.1", "title": "Replay Brief", "items": items})
        .to_string()
}

/// Nasdaq Trader's halt feed at replay time `t`: each halt from its time on,
/// with its resumption times (a volatility pause's are known when it begins).
pub fn halts_rss(day: &super::day::Day, t: DateTime<Utc>) -> String {
    let ny = |at: DateTime<Utc>, f: &str| at.with_timezone(&day.offset).format(f).to_string();
    let items: String = day
        .halts
        .iter()
        .filter(|h| h.halted_at <= t)
        .rev()
        .map(|h| {
            let (date, time) = (ny(h.halted_at, "%m/%d/%Y"), ny(h.halted_at, "%H:%M:%S"));
            let resumed = |f: &str| h.resumed_at.map(|r| ny(r, f)).unwrap_or_default();
            format!(
                "<item><title>{sym}</title><pubDate>{pub_date}</pubDate>\
                 <ndaq:HaltDate>{date}</ndaq:HaltDate><ndaq:HaltTime>{time}</ndaq:HaltTime>\
                 <ndaq:IssueSymbol>{sym}</ndaq:IssueSymbol><ndaq:IssueName>{name}</ndaq:IssueName>\
                 <ndaq:Market>{market}</ndaq:Market><ndaq:ReasonCode>{reason}</ndaq:ReasonCode>\
                 <ndaq:PauseThresholdPrice /><ndaq:ResumptionDate>{rdate}</ndaq:ResumptionDate>\
                 <ndaq:ResumptionQuoteTime>{time}</ndaq:ResumptionQuoteTime>\
                 <ndaq:ResumptionTradeTime>{rtime}</ndaq:ResumptionTradeTime></item>",
                sym = esc(&h.symbol),
                pub_date = h.halted_at.to_rfc2822(),
                name = esc(&h.name),
                market = esc(&h.market),
                reason = esc(&h.reason),
                rdate = resumed("%m/%d/%Y"),
                rtime = resumed("%H:%M:%S"),
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:ndaq=\"http://www.nasdaqtrader.com/\">\
         <channel><title>NASDAQTrader.com</title><description>NASDAQ Trade Halts (replay)</description>\
         <ndaq:numItems>{}</ndaq:numItems>{items}</channel></rss>",
        day.halts.iter().filter(|h| h.halted_at <= t).count()
    )
}

/// Nasdaq's Nasdaq-100 list at replay time `t`, as its list endpoint answers:
/// the replay's partial list with approximate caps (each name says so); a
/// price only where the replay has a real one.
pub fn nasdaq100_json(day: &super::day::Day, t: DateTime<Utc>) -> String {
    let now = t.timestamp();
    // A constituent without a day of its own follows the index's path.
    let progress = day.symbol("^NDX").map_or(1.0, |ndx| {
        let at_close = ndx.close / ndx.previous_close - 1.0;
        if at_close == 0.0 {
            1.0
        } else {
            (ndx.price_at(now) / ndx.previous_close - 1.0) / at_close
        }
    });
    let rows: Vec<serde_json::Value> = day
        .constituents
        .iter()
        .map(|c| {
            let (pct, close_pct, price) = match (day.symbol(&c.symbol), c.change_pct) {
                (Some(s), _) => {
                    let p = s.price_at(now);
                    let price = (!s.rebased).then_some(p);
                    ((p / s.previous_close - 1.0) * 100.0, (s.close / s.previous_close - 1.0) * 100.0, price)
                }
                (None, Some(close)) => (close * progress, close, None),
                (None, None) => (0.0, 0.0, None),
            };
            let cap = c.cap_b * 1e9 * (1.0 + pct / 100.0) / (1.0 + close_pct / 100.0);
            let figure = |v: f64| format!("{:.2}", v.abs());
            json!({
                "symbol": c.symbol,
                "companyName": format!("{} (replay: approximate cap)", c.symbol),
                "marketCap": format!("{:.0}", cap),
                "lastSalePrice": price.map_or_else(|| "NA".to_string(), |p| format!("${p:.2}")),
                "netChange": price.map_or_else(|| "NA".to_string(), |p| figure(p * pct / (100.0 + pct))),
                "percentageChange": if pct.abs() < 0.005 { "UNCH".to_string() } else { format!("{}%", figure(pct)) },
                "deltaIndicator": if pct > 0.0 { "up" } else if pct < 0.0 { "down" } else { "" },
            })
        })
        .collect();
    json!({
        "data": {"data": {"asOf": null, "headers": {}, "rows": rows}, "totalrecords": rows.len()},
        "message": null,
        "status": {"rCode": 200, "bCodeMessage": null, "developerMessage": null},
    })
    .to_string()
}
