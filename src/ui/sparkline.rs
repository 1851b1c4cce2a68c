//! A day's prices as a line of block characters, for the table.

pub const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Resamples the series into `width` buckets (last price in each) and scales
/// them between the day's low and high. Empty buckets repeat the previous one.
pub fn sparkline(series: &[(i64, f64)], width: usize) -> String {
    if series.is_empty() || width == 0 {
        return String::new();
    }
    // In f64: timestamps come from a provider, and subtracting two untrusted i64s
    // can overflow.
    let (first, last) = (series[0].0 as f64, series[series.len() - 1].0 as f64);
    let span = (last - first).max(1.0);
    let mut buckets: Vec<Option<f64>> = vec![None; width];
    for &(t, p) in series {
        let i = (((t as f64 - first) / span) * (width - 1) as f64).round() as usize;
        buckets[i.min(width - 1)] = Some(p);
    }
    let lo = series.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = series.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let mut prev = series[0].1;
    buckets
        .into_iter()
        .map(|b| {
            let p = b.unwrap_or(prev);
            prev = p;
            if (hi - lo).abs() < f64::EPSILON {
                BLOCKS[3]
            } else {
                BLOCKS[((((p - lo) / (hi - lo)) * 7.0).round() as usize).min(7)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_between_low_and_high() {
        let s = sparkline(&[(0, 10.0), (1, 20.0), (2, 15.0)], 3);
        assert_eq!(s, "▁█▅");
    }

    #[test]
    fn flat_single_and_empty() {
        assert_eq!(sparkline(&[(0, 5.0), (60, 5.0)], 4), "▄▄▄▄");
        assert_eq!(sparkline(&[(0, 5.0)], 3), "▄▄▄");
        assert_eq!(sparkline(&[], 3), "");
    }

    #[test]
    fn untrusted_times_and_prices_do_not_panic() {
        let s = sparkline(&[(i64::MIN, 1.0), (0, 2.0), (i64::MAX, 3.0)], 5);
        assert_eq!(s.chars().count(), 5);
        let s = sparkline(&[(5, 1.0), (-5, f64::INFINITY), (i64::MIN, f64::NAN)], 4);
        assert_eq!(s.chars().count(), 4);
    }

    #[test]
    fn gaps_repeat_the_previous_price() {
        assert_eq!(sparkline(&[(0, 1.0), (100, 2.0)], 5), "▁▁▁▁█");
    }
}
