//! What the price stream says, applied to the state: a tick moves its symbol's
//! quote (the regular price, or the extended part when it trades outside the
//! session) and may raise its flag; the socket's health is shown.

use super::{Outcome, take_quote};
use crate::model::{Extended, StreamEvent, Ticker};
use crate::state::{State, StreamHealth};

/// A chart keeps at most a point a minute from the stream: 100 ticks a second
/// must not grow a day's series by millions of points.
const POINT_EVERY_SECS: i64 = 60;

pub fn streamed(state: &mut State, event: StreamEvent) -> Outcome {
    match event {
        StreamEvent::Live => Outcome::from(state.stream.set(StreamHealth::Live)),
        StreamEvent::Down(why) => {
            let at = state.now;
            let health = StreamHealth::Down(crate::clean::line(&why, 120), at);
            Outcome::from(state.stream.set(health))
        }
        StreamEvent::Garbage(_) => Outcome::default(),
        StreamEvent::Tick { symbol, ticker } => tick(state, &symbol, &ticker),
    }
}

fn tick(state: &mut State, symbol: &str, t: &Ticker) -> Outcome {
    state.stream.ticks += 1;
    // The stream moves a quote that polling brought (with its previous close and
    // series); a symbol no watchlist has, or none polled yet, waits for that.
    if !state.watches(symbol) {
        return Outcome::default();
    }
    let Some(mut q) = state.quotes.get(symbol).and_then(|e| e.quote.clone()) else {
        return Outcome::default();
    };
    let (Some(price), Some(time)) = (t.price, t.time) else {
        return Outcome::default();
    };
    if q.market_time.is_some_and(|m| time < m) {
        return Outcome::default(); // older than what polling already showed
    }
    state.last_refresh = Some(state.now);
    match t.session() {
        // Frames can arrive out of order: an older extended trade changes nothing.
        Some(_) if q.extended.is_some_and(|e| e.time > time) => return Outcome::default(),
        Some(session) => q.extended = Some(Extended { session, price, time }),
        None => {
            if q.price == price && q.market_time == Some(time) {
                return Outcome::default();
            }
            q.price = price;
            q.market_time = Some(time);
            q.day_high = q.day_high.map(|h| h.max(price)).or(Some(price));
            q.day_low = q.day_low.map(|l| l.min(price)).or(Some(price));
            // A regular trade is newer than any extended one before it.
            q.extended = q.extended.filter(|e| e.time > time);
            let at = time.timestamp();
            match q.series.last_mut() {
                Some(last) if at - last.0 < POINT_EVERY_SECS => last.1 = price,
                _ => q.series.push((at, price)),
            }
        }
    }
    take_quote(state, q)
}
