//! The replayed day: each symbol's price at any moment, from the verified daily
//! figures in demo/day.toml and a synthetic path between them.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;

const DAY: &str = include_str!("../../demo/day.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    date: NaiveDate,
    utc_offset_hours: i32,
    replay_start: String,
    open: String,
    close: String,
    replay_end: String,
    symbol: Vec<RawSymbol>,
    #[serde(default)]
    halt: Vec<RawHalt>,
    #[serde(default)]
    constituent: Vec<RawConstituent>,
}

/// A row of the replay's index list: approximate, and partial.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConstituent {
    symbol: String,
    cap_b: f64,
    /// For one without a [[symbol]]: its verified close's move.
    change_pct: Option<f64>,
}

/// A constituent of the replay's index list.
#[derive(Debug, Clone)]
pub struct DemoConstituent {
    pub symbol: String,
    /// Billions of USD, approximate.
    pub cap_b: f64,
    /// Its close's move, when it has no [[symbol]] of its own.
    pub change_pct: Option<f64>,
}

/// A halt of the replay's own halt feed: synthetic, like the intraday paths.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHalt {
    symbol: String,
    name: String,
    market: String,
    reason: String,
    halted: String,
    resumed: Option<String>,
}

/// A halt the replay's halt feed lists from its time on.
#[derive(Debug, Clone)]
pub struct DemoHalt {
    pub symbol: String,
    pub name: String,
    pub market: String,
    pub reason: String,
    pub halted_at: DateTime<Utc>,
    pub resumed_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSymbol {
    symbol: String,
    previous_close: Option<f64>,
    open: Option<f64>,
    high: Option<f64>,
    low: Option<f64>,
    close: Option<f64>,
    volume: Option<u64>,
    change_pct: Option<f64>,
    #[serde(default)]
    premarket: Vec<(String, f64)>,
    #[serde(default)]
    knots: Vec<(String, f64)>,
    #[allow(dead_code)] // documentation for readers of the data file
    note: String,
}

/// One symbol's day, resolved to prices and times.
#[derive(Debug, Clone)]
pub struct SymbolDay {
    pub symbol: String,
    pub previous_close: f64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: Option<u64>,
    /// Pre-market (time, price) points; the price holds at the previous close before them.
    premarket: Vec<(i64, f64)>,
    /// Regular-session (time, price) points from the open to the close.
    knots: Vec<(i64, f64)>,
    /// Its halts (start, end): no trade, so the price holds.
    halted: Vec<(i64, i64)>,
    /// The open is a verified figure, not the synthetic path's: only then
    /// does the chart answer say where the session opened (a gap signal).
    pub open_verified: bool,
    /// Only the move is known: its prices are an index of 100 at the previous close.
    pub rebased: bool,
}

#[derive(Debug, Clone)]
pub struct Day {
    pub offset: FixedOffset,
    pub replay_start: DateTime<Utc>,
    pub open: DateTime<Utc>,
    pub close: DateTime<Utc>,
    pub replay_end: DateTime<Utc>,
    pub symbols: Vec<SymbolDay>,
    pub halts: Vec<DemoHalt>,
    pub constituents: Vec<DemoConstituent>,
}

impl Day {
    /// The embedded day. Its data is checked by the tests, so failing here is a
    /// build defect, not a user error.
    pub fn embedded() -> Self {
        #[allow(clippy::expect_used)]
        parse(DAY).expect("demo/day.toml is valid (checked by tests)")
    }

    pub fn symbol(&self, symbol: &str) -> Option<&SymbolDay> {
        self.symbols.iter().find(|s| s.symbol == symbol)
    }

    /// When the session before this one closed: Friday's close for a Monday.
    pub fn previous_session_close(&self) -> DateTime<Utc> {
        let back = match self.close.with_timezone(&self.offset).weekday() {
            chrono::Weekday::Mon => 3,
            chrono::Weekday::Sun => 2,
            _ => 1,
        };
        self.close - chrono::Duration::days(back)
    }

    /// Pre-market opens at 04:00, post-market ends at 20:00, New York time.
    pub fn periods(&self) -> [(i64, i64); 3] {
        let (o, c) = (self.open.timestamp(), self.close.timestamp());
        [(o - 5 * 3600 - 1800, o), (o, c), (c, c + 4 * 3600)]
    }
}

pub fn parse(text: &str) -> Result<Day, String> {
    let raw: RawDay = toml::from_str(text).map_err(|e| e.to_string())?;
    let offset = FixedOffset::east_opt(raw.utc_offset_hours * 3600).ok_or("bad utc_offset_hours")?;
    let at = |hhmm: &str| -> Result<DateTime<Utc>, String> {
        let t = NaiveTime::parse_from_str(hhmm, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(hhmm, "%H:%M"))
            .map_err(|e| format!("time {hhmm:?}: {e}"))?;
        offset
            .from_local_datetime(&raw.date.and_time(t))
            .single()
            .map(|d| d.to_utc())
            .ok_or_else(|| format!("time {hhmm:?} does not exist"))
    };
    let (open, close) = (at(&raw.open)?, at(&raw.close)?);
    let mut symbols = Vec::new();
    for s in raw.symbol {
        let pct = s.change_pct.map(|p| p / 100.0);
        let previous_close = match (s.previous_close, s.close, pct) {
            (Some(p), _, _) => p,
            (None, Some(c), Some(r)) => c / (1.0 + r),
            // Only the % move is known: rebase to 100 (the demo config says basis = "rebased").
            (None, None, Some(_)) => 100.0,
            _ => {
                return Err(format!(
                    "{}: needs previous_close, or close and change_pct, or change_pct",
                    s.symbol
                ));
            }
        };
        let close_px = s
            .close
            .or(pct.map(|r| previous_close * (1.0 + r)))
            .ok_or(format!("{}: no close", s.symbol))?;
        // Without an open, the day gaps most of the way towards its close.
        let open_px = s
            .open
            .unwrap_or(previous_close + (close_px - previous_close) * 0.6);
        let high = s.high.unwrap_or(open_px.max(close_px) * 1.004);
        let low = s.low.unwrap_or(open_px.min(close_px) * 0.996);
        let (o, c) = (open.timestamp(), close.timestamp());
        let extreme = |minutes: i64, px: f64| (o + minutes * 60, px);
        let mut knots = vec![(o, open_px), (c, close_px)];
        if close_px >= open_px {
            knots.extend([extreme(15, low), extreme(330, high)]);
        } else {
            knots.extend([extreme(30, high), extreme(330, low)]);
        }
        for (t, px) in &s.knots {
            knots.push((at(t)?.timestamp(), *px));
        }
        knots.sort_by_key(|k| k.0);
        let premarket = s
            .premarket
            .iter()
            .map(|(t, p)| Ok((at(t)?.timestamp(), previous_close * (1.0 + p / 100.0))))
            .collect::<Result<Vec<_>, String>>()?;
        symbols.push(SymbolDay {
            symbol: s.symbol,
            previous_close,
            open: open_px,
            high,
            low,
            close: close_px,
            volume: s.volume,
            premarket,
            knots,
            halted: Vec::new(),
            open_verified: s.open.is_some(),
            rebased: s.previous_close.is_none() && s.close.is_none(),
        });
    }
    let halts = raw
        .halt
        .into_iter()
        .map(|h| {
            Ok(DemoHalt {
                halted_at: at(&h.halted)?,
                resumed_at: h.resumed.as_deref().map(at).transpose()?,
                symbol: h.symbol,
                name: h.name,
                market: h.market,
                reason: h.reason,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    for h in &halts {
        let s = symbols
            .iter_mut()
            .find(|s| s.symbol == h.symbol)
            .ok_or_else(|| format!("halt of {}: no such symbol", h.symbol))?;
        let end = h.resumed_at.unwrap_or(close);
        s.halted.push((h.halted_at.timestamp(), end.timestamp()));
    }
    let mut constituents = Vec::new();
    for c in raw.constituent {
        let known = symbols.iter().any(|s| s.symbol == c.symbol);
        if known == c.change_pct.is_some() {
            return Err(format!(
                "constituent {}: a change_pct exactly when it has no [[symbol]]",
                c.symbol
            ));
        }
        constituents.push(DemoConstituent {
            symbol: c.symbol,
            cap_b: c.cap_b,
            change_pct: c.change_pct,
        });
    }
    Ok(Day {
        offset,
        replay_start: at(&raw.replay_start)?,
        open,
        close,
        replay_end: at(&raw.replay_end)?,
        symbols,
        halts,
        constituents,
    })
}

impl SymbolDay {
    /// When its first pre-market trade happens, if the replay has any.
    pub fn first_premarket_trade(&self) -> Option<i64> {
        self.premarket.first().map(|(t, _)| *t)
    }

    /// The price at unix time `t`: the previous close, the pre-market path, the
    /// session's path (with a small deterministic wobble between its points,
    /// kept inside the day's range), then the close.
    pub fn price_at(&self, t: i64) -> f64 {
        // Halted: the last trade before the halt stands.
        let t = self
            .halted
            .iter()
            .find(|(from, to)| (*from..*to).contains(&t))
            .map_or(t, |(from, _)| *from);
        let (open, close) = (self.knots[0].0, self.knots[self.knots.len() - 1].0);
        if t >= close {
            return self.close;
        }
        if t < open {
            return match self.premarket.iter().rposition(|(kt, _)| *kt <= t) {
                None => self.previous_close,
                Some(i) if i + 1 < self.premarket.len() => lerp(self.premarket[i], self.premarket[i + 1], t),
                Some(i) => self.premarket[i].1,
            };
        }
        let i = self.knots.iter().rposition(|(kt, _)| *kt <= t).unwrap_or(0);
        let (a, b) = (self.knots[i], self.knots[(i + 1).min(self.knots.len() - 1)]);
        let base = lerp(a, b, t);
        let span = (b.0 - a.0).max(1) as f64;
        let envelope = (std::f64::consts::PI * (t - a.0) as f64 / span).sin();
        let wobble = 0.0025 * base * envelope * ((t as f64) / 700.0).sin();
        (base + wobble).clamp(self.low, self.high)
    }
}

fn lerp(a: (i64, f64), b: (i64, f64), t: i64) -> f64 {
    if b.0 <= a.0 {
        return a.1;
    }
    a.1 + (b.1 - a.1) * (t - a.0) as f64 / (b.0 - a.0) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_day_parses_and_passes_through_the_verified_figures() {
        let day = parse(DAY).unwrap();
        let nvda = day.symbol("NVDA").unwrap();
        let (o, c) = (day.open.timestamp(), day.close.timestamp());
        assert_eq!(day.open.to_rfc3339(), "2025-01-27T14:30:00+00:00");
        assert_eq!(nvda.price_at(o), 124.80);
        assert_eq!(nvda.price_at(c), 118.42);
        assert_eq!(nvda.price_at(o + 30 * 60), 128.40, "the high");
        assert_eq!(nvda.price_at(o + 330 * 60), 116.70, "the low");
        let path: Vec<f64> = (o..=c).step_by(60).map(|t| nvda.price_at(t)).collect();
        assert!(path.iter().all(|p| (116.70..=128.40).contains(p)));
        assert_eq!(nvda.price_at(day.replay_start.timestamp() - 60), 142.62);
        let aapl = day.symbol("AAPL").unwrap();
        assert!(((aapl.price_at(c) / aapl.previous_close - 1.0) * 100.0 - 3.178).abs() < 0.001);
        let ixic = day.symbol("^IXIC").unwrap();
        assert!(((ixic.close / ixic.previous_close - 1.0) * 100.0 - -3.069).abs() < 0.001);
        let avgo = day.symbol("AVGO").unwrap();
        assert_eq!(avgo.previous_close, 100.0);
        assert!((avgo.close - 82.6).abs() < 1e-9);
        let dji = day.symbol("^DJI").unwrap();
        assert!(((dji.close / dji.previous_close - 1.0) * 100.0 - 0.65).abs() < 1e-9);
    }

    #[test]
    fn nvda_crosses_5_then_10_percent_in_the_premarket() {
        let day = parse(DAY).unwrap();
        let nvda = day.symbol("NVDA").unwrap();
        let pct = |t: i64| (nvda.price_at(t) / nvda.previous_close - 1.0) * 100.0;
        let start = day.replay_start.timestamp();
        assert!(pct(start) > -5.0);
        let warn = (start..day.open.timestamp())
            .step_by(10)
            .find(|t| pct(*t) <= -5.0)
            .unwrap();
        let alert = (start..day.open.timestamp())
            .step_by(10)
            .find(|t| pct(*t) <= -10.0)
            .unwrap();
        assert!(start < warn && warn < alert);
    }

    #[test]
    fn a_halted_symbol_does_not_trade_and_its_halt_is_served_from_its_time() {
        let day = parse(DAY).unwrap();
        let h = &day.halts[0];
        assert_eq!(h.symbol, "ARM");
        assert!(h.name.contains("synthetic"), "the replay's halt says what it is");
        let arm = day.symbol("ARM").unwrap();
        let (from, to) = (h.halted_at.timestamp(), h.resumed_at.unwrap().timestamp());
        assert!(
            (from..to)
                .step_by(30)
                .all(|t| arm.price_at(t) == arm.price_at(from))
        );
        assert_ne!(arm.price_at(to + 120), arm.price_at(from), "trading resumes");
        let before = super::super::serve::halts_rss(&day, h.halted_at - chrono::Duration::seconds(1));
        assert!(!before.contains("<item>"));
        let during = super::super::serve::halts_rss(&day, h.halted_at);
        let read = crate::halts::read(
            during.as_bytes(),
            crate::news::feed::Meta::default(),
            &reqwest::Url::parse("http://127.0.0.1/").unwrap(),
        )
        .unwrap();
        assert_eq!(read.halts.len(), 1);
        assert_eq!(
            (read.halts[0].halted_at, read.halts[0].resumed_at),
            (h.halted_at, h.resumed_at)
        );
        assert_eq!(read.halts[0].reason(), "volatility pause");
    }
}
