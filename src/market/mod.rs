//! Exchange time: New York's offset and the US exchanges' calendar.

pub mod breadth;
pub mod calendar;
pub mod eastern;

use crate::model::Quote;

/// Whether the US exchanges' calendar applies: Nasdaq's quotes, and quotes in
/// dollars from an exchange at New York's offset (either side of daylight
/// saving time: a quote polled in winter keeps its offset while the stream
/// moves it into summer). Others follow the provider's trading periods.
pub fn is_us(q: &Quote) -> bool {
    const NY: [i32; 2] = [-5 * 3600, -4 * 3600];
    q.provider == "nasdaq"
        || (q.currency.as_deref() == Some("USD")
            && q.utc_offset.is_some_and(|o| NY.contains(&o.local_minus_utc())))
}
