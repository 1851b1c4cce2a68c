//! The chart's ranges, stepped through with `<` and `>`: each with the
//! chart API's range and interval, and how long a fetched answer stays good.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChartRange {
    /// The quote's own day: the polled 5-minute bars with pre/post, no fetch.
    #[default]
    Day,
    FiveDays,
    Month,
    SixMonths,
    Ytd,
    Year,
    FiveYears,
    Max,
}

impl ChartRange {
    pub const ALL: [Self; 8] = [
        Self::Day,
        Self::FiveDays,
        Self::Month,
        Self::SixMonths,
        Self::Ytd,
        Self::Year,
        Self::FiveYears,
        Self::Max,
    ];

    /// How the screen names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Day => "1D",
            Self::FiveDays => "5D",
            Self::Month => "1M",
            Self::SixMonths => "6M",
            Self::Ytd => "YTD",
            Self::Year => "1Y",
            Self::FiveYears => "5Y",
            Self::Max => "MAX",
        }
    }

    /// The chart API's `range` and `interval`.
    pub fn api(self) -> (&'static str, &'static str) {
        match self {
            Self::Day => ("1d", "5m"),
            Self::FiveDays => ("5d", "15m"),
            // Daily bars: 21 candles are readable at 80 columns, 150 hourly ones are not.
            Self::Month => ("1mo", "1d"),
            Self::SixMonths => ("6mo", "1d"),
            Self::Ytd => ("ytd", "1d"),
            Self::Year => ("1y", "1d"),
            Self::FiveYears => ("5y", "1wk"),
            Self::Max => ("max", "1mo"),
        }
    }

    /// Bars shorter than a day: the axis shows times, not dates.
    pub fn intraday(self) -> bool {
        matches!(self, Self::Day | Self::FiveDays)
    }

    /// How long a fetched answer is shown before it is asked for again: about a
    /// bar's length, so the newest bar is never far behind.
    pub fn max_age(self) -> Duration {
        let minutes = match self {
            Self::Day => 1,
            Self::FiveDays => 15,
            Self::Month | Self::SixMonths | Self::Ytd | Self::Year => 60,
            Self::FiveYears | Self::Max => 24 * 60,
        };
        Duration::from_secs(minutes * 60)
    }

    /// The next range (`>`), stopping at the ends.
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|r| *r == self).unwrap_or(0);
        Self::ALL[(i + 1).min(Self::ALL.len() - 1)]
    }

    /// The previous range (`<`), stopping at the ends.
    pub fn prev(self) -> Self {
        let i = Self::ALL.iter().position(|r| *r == self).unwrap_or(0);
        Self::ALL[i.saturating_sub(1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_step_and_stop_at_the_ends() {
        assert_eq!(ChartRange::Day.prev(), ChartRange::Day);
        assert_eq!(ChartRange::Day.next(), ChartRange::FiveDays);
        assert_eq!(ChartRange::Max.next(), ChartRange::Max);
        let mut r = ChartRange::Max;
        let mut seen = vec![r.label()];
        while r != ChartRange::Day {
            r = r.prev();
            seen.push(r.label());
        }
        assert_eq!(seen, ["MAX", "5Y", "1Y", "YTD", "6M", "1M", "5D", "1D"]);
    }

    #[test]
    fn every_range_is_one_the_api_takes_with_a_fitting_interval() {
        for r in ChartRange::ALL {
            let (range, interval) = r.api();
            assert!(super::super::RANGES.iter().any(|(x, _)| *x == range), "{range}");
            assert!(super::super::INTERVALS.contains(&interval), "{interval}");
        }
        assert!(ChartRange::Day.max_age() < ChartRange::Max.max_age());
    }
}
