//! The US exchanges' calendar (NYSE and Nasdaq share it): which days trade,
//! which close early, and the pre-market, regular and after-hours periods of a
//! day. It decides "trading day" and "session" where a provider does not say.
//!
//! Holidays follow the exchanges' published rule (NYSE Rule 7.2): New Year's
//! Day, Martin Luther King Jr. Day, Washington's Birthday, Good Friday,
//! Memorial Day, Juneteenth (from 2022), Independence Day, Labor Day,
//! Thanksgiving and Christmas; one falling on a Saturday is observed the Friday
//! before (except New Year's Day, which is then not observed), on a Sunday the
//! Monday after. Closures the rule cannot know (national days of mourning) are
//! listed. Early closes (13:00) are the day before Independence Day and
//! Christmas when those fall Monday to Thursday, and the day after Thanksgiving.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};

use super::eastern;
use crate::model::{Periods, Session};

/// Days the exchanges closed by decision, not by rule.
const SPECIAL_CLOSURES: [(i32, u32, u32); 4] = [
    (2012, 10, 29), // Hurricane Sandy
    (2012, 10, 30),
    (2018, 12, 5), // President George H. W. Bush
    (2025, 1, 9),  // President Jimmy Carter
];

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Easter Sunday (the anonymous Gregorian computus).
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as u32, day as u32)
}

/// A fixed-date holiday moved off the weekend.
fn observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d - Duration::days(1),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

fn nth(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

fn last_monday_of_may(year: i32) -> Option<NaiveDate> {
    let d = date(year, 5, 31)?;
    let back = d.weekday().num_days_from_monday();
    Some(d - Duration::days(i64::from(back)))
}

/// The full-day holidays of `year`, by rule.
pub fn holidays(year: i32) -> Vec<NaiveDate> {
    let mut v: Vec<Option<NaiveDate>> = vec![
        nth(year, 1, Weekday::Mon, 3),
        nth(year, 2, Weekday::Mon, 3),
        easter(year).map(|e| e - Duration::days(2)),
        last_monday_of_may(year),
        date(year, 7, 4).map(observed),
        nth(year, 9, Weekday::Mon, 1),
        nth(year, 11, Weekday::Thu, 4),
        date(year, 12, 25).map(observed),
    ];
    // New Year's Day on a Saturday is not observed on the Friday before.
    v.push(date(year, 1, 1).map(observed).filter(|d| d.year() == year));
    if year >= 2022 {
        v.push(date(year, 6, 19).map(observed));
    }
    let mut days: Vec<NaiveDate> = v.into_iter().flatten().collect();
    days.extend(
        SPECIAL_CLOSURES
            .iter()
            .filter(|(y, ..)| *y == year)
            .filter_map(|&(y, m, d)| date(y, m, d)),
    );
    days.sort();
    days
}

pub fn is_trading_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays(d.year()).contains(&d)
}

/// The regular session ends at 13:00 New York time.
pub fn is_early_close(d: NaiveDate) -> bool {
    if !is_trading_day(d) {
        return false;
    }
    let weekday_before = |m, day| d.month() == m && d.day() == day && d.weekday().num_days_from_monday() < 4;
    let after_thanksgiving = nth(d.year(), 11, Weekday::Thu, 4).is_some_and(|t| d == t + Duration::days(1));
    weekday_before(7, 3) || weekday_before(12, 24) || after_thanksgiving
}

/// The trading day before `d`.
pub fn previous_trading_day(d: NaiveDate) -> NaiveDate {
    let mut p = d - Duration::days(1);
    // Never more than a few days back; the bound keeps a bad date from looping.
    for _ in 0..14 {
        if is_trading_day(p) {
            break;
        }
        p -= Duration::days(1);
    }
    p
}

/// `t` as New York's calendar date and time.
pub fn local(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    t.with_timezone(&eastern::offset_at(t)).naive_local()
}

/// New York's `hh:mm` on `d`, in UTC.
fn at(d: NaiveDate, h: u32, m: u32) -> i64 {
    let t = d.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
    (t - Duration::seconds(i64::from(eastern::offset_on(d).local_minus_utc())))
        .and_utc()
        .timestamp()
}

/// The day's periods: pre-market from 04:00, regular 09:30 to 16:00 (13:00 on
/// an early close), after hours to 20:00 (17:00); none on a holiday.
pub fn periods(d: NaiveDate) -> Option<Periods> {
    if !is_trading_day(d) {
        return None;
    }
    let (close, post_end) = if is_early_close(d) { (13, 17) } else { (16, 20) };
    Some(Periods {
        pre: Some((at(d, 4, 0), at(d, 9, 30))),
        regular: (at(d, 9, 30), at(d, close, 0)),
        post: Some((at(d, close, 0), at(d, post_end, 0))),
    })
}

/// The trading day whose sessions `now` is in or after: the newest trading day
/// whose pre-market has opened. On Saturday that is Friday; on Tuesday at 03:00
/// New York time it is still Monday, from 04:00 Tuesday.
pub fn current_day(now: DateTime<Utc>) -> NaiveDate {
    let here = local(now);
    let mut d = here.date();
    let opened = here.time() >= NaiveTime::from_hms_opt(4, 0, 0).unwrap_or_default();
    if !(is_trading_day(d) && opened) {
        d = previous_trading_day(d);
    }
    d
}

/// Where the US market is at `now`.
pub fn session_at(now: DateTime<Utc>) -> Session {
    let d = local(now).date();
    periods(d).map_or(Session::Closed, |p| p.session_at(now.timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The exchanges' published holiday schedules for 2024 to 2027.
    #[test]
    fn holidays_match_the_published_schedules() {
        let published: [(i32, [(u32, u32); 10]); 3] = [
            (
                2024,
                [
                    (1, 1),
                    (1, 15),
                    (2, 19),
                    (3, 29),
                    (5, 27),
                    (6, 19),
                    (7, 4),
                    (9, 2),
                    (11, 28),
                    (12, 25),
                ],
            ),
            (
                2026,
                [
                    (1, 1),
                    (1, 19),
                    (2, 16),
                    (4, 3),
                    (5, 25),
                    (6, 19),
                    (7, 3),
                    (9, 7),
                    (11, 26),
                    (12, 25),
                ],
            ),
            (
                2027,
                [
                    (1, 1),
                    (1, 18),
                    (2, 15),
                    (3, 26),
                    (5, 31),
                    (6, 18),
                    (7, 5),
                    (9, 6),
                    (11, 25),
                    (12, 24),
                ],
            ),
        ];
        for (year, days) in published {
            let want: Vec<NaiveDate> = days.iter().map(|&(m, day)| d(year, m, day)).collect();
            assert_eq!(holidays(year), want, "{year}");
        }
        // 2025 had one more: the national day of mourning for President Carter.
        let want: Vec<NaiveDate> = [
            (1, 1),
            (1, 9),
            (1, 20),
            (2, 17),
            (4, 18),
            (5, 26),
            (6, 19),
            (7, 4),
            (9, 1),
            (11, 27),
            (12, 25),
        ]
        .iter()
        .map(|&(m, day)| d(2025, m, day))
        .collect();
        assert_eq!(holidays(2025), want);
        // New Year's Day 2022 fell on a Saturday: not observed on 31 December 2021.
        assert!(is_trading_day(d(2021, 12, 31)));
    }

    #[test]
    fn early_closes_match_the_published_schedules() {
        let early: Vec<NaiveDate> = (2024..=2027)
            .flat_map(|y| {
                let mut day = d(y, 1, 1);
                let mut v = Vec::new();
                while day.year() == y {
                    if is_early_close(day) {
                        v.push(day);
                    }
                    day += Duration::days(1);
                }
                v
            })
            .collect();
        let want = [
            d(2024, 7, 3),
            d(2024, 11, 29),
            d(2024, 12, 24),
            d(2025, 7, 3),
            d(2025, 11, 28),
            d(2025, 12, 24),
            d(2026, 11, 27),
            d(2026, 12, 24),
            d(2027, 11, 26),
        ];
        assert_eq!(early, want);
        let p = periods(d(2025, 11, 28)).unwrap();
        assert_eq!(
            p.regular.1,
            Utc.with_ymd_and_hms(2025, 11, 28, 18, 0, 0).unwrap().timestamp()
        );
    }

    #[test]
    fn the_current_day_starts_with_the_pre_market() {
        let utc = |m, day, h, min| Utc.with_ymd_and_hms(2025, m, day, h, min, 0).unwrap();
        // Monday 27 January 2025, 03:59 and 04:00 New York (UTC-5).
        assert_eq!(current_day(utc(1, 27, 8, 59)), d(2025, 1, 24));
        assert_eq!(current_day(utc(1, 27, 9, 0)), d(2025, 1, 27));
        // Tuesday 01:00 New York is 06:00 UTC: still Monday's day.
        assert_eq!(current_day(utc(1, 28, 6, 0)), d(2025, 1, 27));
        // Saturday and Sunday belong to Friday.
        assert_eq!(current_day(utc(2, 1, 15, 0)), d(2025, 1, 31));
        // Martin Luther King Jr. Day: the Friday before.
        assert_eq!(current_day(utc(1, 20, 15, 0)), d(2025, 1, 17));
        // After the switch to daylight saving time (9 March 2025), 04:00 is 08:00 UTC.
        assert_eq!(current_day(utc(3, 10, 7, 59)), d(2025, 3, 7));
        assert_eq!(current_day(utc(3, 10, 8, 0)), d(2025, 3, 10));
        assert_eq!(previous_trading_day(d(2025, 1, 21)), d(2025, 1, 17));
    }

    #[test]
    fn new_york_time_on_the_nights_the_clocks_change() {
        let utc = |m, day, h, min| Utc.with_ymd_and_hms(2025, m, day, h, min, 0).unwrap();
        let hm = |t| local(t).format("%a %H:%M").to_string();
        assert_eq!(hm(utc(3, 9, 6, 30)), "Sun 01:30", "still EST");
        assert_eq!(hm(utc(3, 9, 7, 30)), "Sun 03:30", "EDT from 2 AM");
        assert_eq!(hm(utc(11, 2, 5, 30)), "Sun 01:30", "still EDT");
        assert_eq!(hm(utc(11, 2, 6, 30)), "Sun 01:30", "EST from 2 AM: 01:30 again");
    }

    #[test]
    fn sessions_by_the_clock() {
        let utc = |day, h, min| Utc.with_ymd_and_hms(2025, 1, day, h, min, 0).unwrap();
        assert_eq!(session_at(utc(27, 9, 5)), Session::Pre);
        assert_eq!(session_at(utc(27, 14, 30)), Session::Regular);
        assert_eq!(session_at(utc(27, 21, 0)), Session::Post);
        assert_eq!(session_at(utc(28, 1, 0)), Session::Closed);
        assert_eq!(session_at(utc(20, 15, 0)), Session::Closed, "a holiday");
    }

    #[test]
    fn easter_sundays() {
        assert_eq!(easter(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter(2027), Some(d(2027, 3, 28)));
        assert_eq!(easter(2000), Some(d(2000, 4, 23)));
    }
}
