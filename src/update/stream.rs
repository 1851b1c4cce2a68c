//! What the price stream says, applied to the state: a tick moves its symbol's
//! quote (the regular price, or the extended part when it trades outside the
//! session) and may raise its flag; the socket's health is shown.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Outcome, take_quote};
use crate::alert;
use crate::market::{self, calendar};
use crate::model::{Extended, ExtendedSession, Quote, Socket, StreamEvent, Ticker};
use crate::state::{State, StreamHealth};

/// A chart keeps at most a point a minute from the stream: 100 ticks a second
/// must not grow a day's series by millions of points.
const POINT_EVERY_SECS: i64 = 60;

pub fn streamed(state: &mut State, event: StreamEvent) -> Outcome {
    match event {
        StreamEvent::Live(Socket::Coinbase) => Outcome::from(state.stream.set_crypto(StreamHealth::Live)),
        StreamEvent::Live(socket) => {
            let moved = state.stream.via.replace(socket) != Some(socket);
            Outcome::from(state.stream.set(StreamHealth::Live) || moved)
        }
        StreamEvent::Down(socket, why) => {
            let health = StreamHealth::Down(crate::clean::line(&why, 120), state.now);
            if socket == Socket::Coinbase {
                Outcome::from(state.stream.set_crypto(health))
            } else {
                Outcome::from(state.stream.set(health))
            }
        }
        StreamEvent::Handover { from, to, why } => {
            let health = StreamHealth::Handover(from, to, crate::clean::line(&why, 120));
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
    // A stream that does not say the session (Finnhub's): the exchange's, at the trade.
    let t = &with_session(&q, t, time);
    if q.market_time.is_some_and(|m| time < m) {
        return Outcome::default(); // older than what polling already showed
    }
    let Some(base) = base_for(&q, t, price, time) else {
        return Outcome::default(); // a new day's trade without that day's previous close: wait for a poll
    };
    state.last_refresh = Some(state.now);
    match t.session() {
        // Frames can arrive out of order: an older extended trade changes nothing.
        Some(_) if q.extended.is_some_and(|e| e.time > time) => return Outcome::default(),
        Some(session) => q.extended = Some(Extended { session, price, time }),
        None => {
            if q.price == price && q.market_time == Some(time) && base == Base::Same {
                return Outcome::default();
            }
            let day = alert::exchange_date(&q, time);
            if let Base::NewDay(previous_close) = base {
                // The first trade of a new day: yesterday's range and points are not today's.
                q.previous_close = Some(previous_close);
                q.day_high = None;
                q.day_low = None;
                q.volume = None;
                q.series.clear();
                // The polled periods were the old day's.
                q.periods = market::is_us(&q).then(|| calendar::periods(day)).flatten();
            } else if let Base::Given(previous_close) = base {
                q.previous_close = Some(previous_close);
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

/// `t` with its session read from the quote's trading periods (or the US
/// calendar) when the stream did not say it.
fn with_session<'a>(q: &Quote, t: &'a Ticker, time: DateTime<Utc>) -> Cow<'a, Ticker> {
    if t.market_hours.is_some() {
        return Cow::Borrowed(t);
    }
    let mut t = t.clone();
    let day = alert::exchange_date(q, time);
    let periods = q
        .periods
        .filter(|p| DateTime::from_timestamp(p.regular.0, 0).map(|s| alert::exchange_date(q, s)) == Some(day))
        .or_else(|| market::is_us(q).then(|| calendar::periods(day)).flatten());
    t.market_hours = periods.map(|p| {
        let at = time.timestamp();
        if at < p.regular.0 {
            0
        } else if at >= p.regular.1 {
            2
        } else {
            1
        }
    });
    Cow::Owned(t)
}

/// What a streamed trade is measured against.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Base {
    /// The quote's own previous close, of the same trading day.
    Same,
    /// The previous close the stream sent with the trade.
    Given(f64),
    /// A trade of a newer trading day than the quote, against that day's previous close.
    NewDay(f64),
}

/// The previous close a trade at `time` is measured against, or `None` when it
/// is not known: a trade of a new trading day is never measured against an
/// older day's previous close (92.50 against a days-old 100 would read -7.5%
/// where the move against the true 99 is -6.6%).
fn base_for(q: &Quote, t: &Ticker, price: f64, time: DateTime<Utc>) -> Option<Base> {
    let day = alert::exchange_date(q, time);
    let quote_day = q.market_time.map(|m| alert::exchange_date(q, m));
    match t.session() {
        // A pre-market trade moves against the last regular price: the close of the
        // trading day before its own. An after-hours one against its own day's close.
        Some(ExtendedSession::Pre) => {
            let before = quote_day.is_some_and(|d| d < day);
            let adjacent = !market::is_us(q) || quote_day == Some(calendar::previous_trading_day(day));
            (before && adjacent && closed(q)).then_some(Base::Same)
        }
        Some(ExtendedSession::Post) => (quote_day == Some(day) && closed(q)).then_some(Base::Same),
        None => {
            let given = t
                .previous_close
                .or_else(|| t.change.map(|c| price - c))
                .or_else(|| t.change_percent.map(|p| price / (1.0 + p / 100.0)))
                .filter(|p| p.is_finite() && *p > 0.0);
            match (given, quote_day) {
                (Some(p), Some(d)) if d < day => Some(Base::NewDay(p)),
                (Some(p), _) => Some(Base::Given(p)),
                (None, Some(d)) if d == day => Some(Base::Same),
                // The quote's price is the close of the trading day before: it is the base.
                (None, Some(d)) if closed(q) && is_day_before(q, d, day) => Some(Base::NewDay(q.price)),
                _ => None,
            }
        }
    }
}

/// Whether the quote's regular price is its day's close (its market time at or
/// after the day's regular end, by the provider's periods or the US calendar).
fn closed(q: &Quote) -> bool {
    let Some(m) = q.market_time else { return false };
    let t = m.timestamp();
    let day = alert::exchange_date(q, m);
    match q.periods {
        // A market time before the periods' day is an earlier day's last regular price.
        Some(p) if t < p.regular.0 => true,
        Some(p)
            if DateTime::from_timestamp(p.regular.0, 0).map(|s| alert::exchange_date(q, s)) == Some(day) =>
        {
            t >= p.regular.1
        }
        // Periods of an older day than the price (the stream moved it since): the calendar's.
        _ if market::is_us(q) => calendar::periods(day).is_some_and(|p| t >= p.regular.1),
        _ => false,
    }
}

/// Whether `before` is the trading day just before `day` for the quote's market.
fn is_day_before(q: &Quote, before: NaiveDate, day: NaiveDate) -> bool {
    if market::is_us(q) {
        calendar::previous_trading_day(day) == before
    } else {
        before < day && (day - before).num_days() <= 3
    }
}
