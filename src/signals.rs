//! Unusual moves beside the drop flag: the 52-week extremes, a gap at the
//! open, a move apart from the benchmark's, volume far above the usual. Pure
//! functions of quotes and settings; `[signals] alert` turns any into an alert.

use serde::Serialize;

use crate::config::Signals;
use crate::format;
use crate::model::{AlertKind, Quote};

/// One signal of one symbol, as `once --json` writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub kind: AlertKind,
    /// The figure behind it: the price at an extreme, the gap or the
    /// relative move in percent (points), the volume's multiple.
    pub value: f64,
    pub text: String,
}

impl Signal {
    /// The chip in the Signals column.
    pub fn chip(&self) -> &'static str {
        chip(self.kind)
    }

    /// The detail view's row: a label and a value that fit 13 + 21 columns.
    pub fn row(&self) -> (&'static str, String) {
        match self.kind {
            AlertKind::Low52 => ("52w low", format!("at {}", format::price(self.value))),
            AlertKind::High52 => ("52w high", format!("at {}", format::price(self.value))),
            AlertKind::Gap => ("Gap", format!("{} at the open", format::pct(self.value))),
            AlertKind::Relative => ("Relative", self.text.clone()),
            AlertKind::Volume => ("Volume x", format!("{:.1}x the usual", self.value)),
            AlertKind::Drop | AlertKind::Money | AlertKind::Halt => ("", self.text.clone()),
        }
    }
}

/// A signal kind's chip: "52L", "52H", "GAP", "REL", "VOL".
pub fn chip(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Low52 => "52L",
        AlertKind::High52 => "52H",
        AlertKind::Gap => "GAP",
        AlertKind::Relative => "REL",
        AlertKind::Volume => "VOL",
        AlertKind::Halt => "HALT",
        AlertKind::Drop | AlertKind::Money => "",
    }
}

/// What one symbol needs besides its quote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The benchmark's symbol and quote, when it has one and it is priced.
    pub benchmark: Option<(&'a str, &'a Quote)>,
    /// The volume usual by now: the 20-session average scaled to the share of
    /// the session elapsed (see [`usual_volume`]).
    pub usual_volume: Option<f64>,
}

/// The signals `q` shows, in a fixed order.
pub fn of(q: &Quote, ctx: Context, cfg: &Signals) -> Vec<Signal> {
    let mut out = Vec::new();
    if let Some((low, high)) = q.week52.filter(|(l, h)| *l > 0.0 && h >= l) {
        if q.price <= low {
            out.push(Signal {
                kind: AlertKind::Low52,
                value: format::round(q.price, 4),
                text: format!("at the 52-week low ({})", format::price(low)),
            });
        } else if q.price >= high {
            out.push(Signal {
                kind: AlertKind::High52,
                value: format::round(q.price, 4),
                text: format!("at the 52-week high ({})", format::price(high)),
            });
        }
    }
    if let (Some(open), Some(prev)) = (q.open, q.previous_close.filter(|p| *p > 0.0)) {
        let gap = (open / prev - 1.0) * 100.0;
        if gap.abs() >= cfg.gap_pct {
            out.push(Signal {
                kind: AlertKind::Gap,
                value: format::round(gap, 2),
                text: format!("opened {} from the close", format::pct(gap)),
            });
        }
    }
    if let (Some((name, b)), Some(own)) = (ctx.benchmark, q.change_pct())
        && let Some(theirs) = b.change_pct()
    {
        let apart = own - theirs;
        if apart.abs() >= cfg.relative_pct {
            out.push(Signal {
                kind: AlertKind::Relative,
                value: format::round(apart, 2),
                text: format!("{:+.1} pts vs {name}", format::round(apart, 1)),
            });
        }
    }
    if let (Some(volume), Some(usual)) = (q.volume, ctx.usual_volume.filter(|u| *u > 0.0)) {
        let times = volume as f64 / usual;
        if times >= cfg.volume_x {
            out.push(Signal {
                kind: AlertKind::Volume,
                value: format::round(times, 2),
                text: format!("volume {times:.1}x the usual by now"),
            });
        }
    }
    out
}

/// The volume usual for `q` at `now`, from its average daily volume: `None`
/// before its regular session opens (today's volume is then the pre-market's).
pub fn usual_by_now(average_daily: f64, q: &Quote, now: chrono::DateTime<chrono::Utc>) -> Option<f64> {
    let (start, end) = q.periods?.regular;
    let now = now.timestamp();
    (now >= start && end > start)
        .then(|| usual_volume(average_daily, (now - start) as f64 / (end - start) as f64))
}

/// The volume usual by `elapsed` of a session: the average daily volume
/// scaled to the share of the session gone, never below a tenth of it (the
/// first minutes' volume is no day's tenth, and a 3x of nothing says nothing).
pub fn usual_volume(average_daily: f64, elapsed_share: f64) -> f64 {
    average_daily * elapsed_share.clamp(0.1, 1.0)
}

#[cfg(test)]
mod tests;
