//! New York time as Nasdaq writes it ("DATA AS OF Nov 19, 2019 9:27 AM ET",
//! "CLOSED AT 4:00 PM ET ON Nov 18, 2019"), to UTC. US daylight saving time runs
//! from the second Sunday of March to the first Sunday of November.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Utc, Weekday};

/// The Sundays daylight saving time starts and ends in `year`.
fn dst_sundays(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_weekday_of_month_opt(year, 3, Weekday::Sun, 2)?,
        NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Sun, 1)?,
    ))
}

/// New York's offset from UTC on `date` (the switch hour, 2 AM, is ignored: no
/// quote is stamped between midnight and 2 AM on those two Sundays).
pub fn offset_on(date: NaiveDate) -> FixedOffset {
    let dst = dst_sundays(date.year()).is_some_and(|(start, end)| date >= start && date < end);
    hours_east(if dst { -4 } else { -5 })
}

/// New York's offset from UTC at the moment `t`, switching at 2 AM local: 07:00
/// UTC on March's second Sunday, 06:00 UTC on November's first. For a moment
/// (a trade, a quote), not a date: the UTC date of a Saturday-evening trade is
/// already the Sunday of a switch.
pub fn offset_at(t: DateTime<Utc>) -> FixedOffset {
    let at = |d: NaiveDate, utc_hour| d.and_hms_opt(utc_hour, 0, 0).map(|n| n.and_utc());
    let dst = dst_sundays(t.year())
        .and_then(|(start, end)| Some((at(start, 7)?, at(end, 6)?)))
        .is_some_and(|(start, end)| t >= start && t < end);
    hours_east(if dst { -4 } else { -5 })
}

fn hours_east(hours: i32) -> FixedOffset {
    FixedOffset::east_opt(hours * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero is a valid offset"))
}

/// The moment a Nasdaq timestamp names, when it names a time of day.
pub fn parse(stamp: &str) -> Option<DateTime<Utc>> {
    let upper = stamp.to_ascii_uppercase();
    let local = if let Some(rest) = upper.strip_prefix("DATA AS OF ") {
        // "Nov 19, 2019 9:27 AM ET - PRE-MARKET"
        let text = rest.split(" ET").next()?;
        NaiveDateTime::parse_from_str(text.trim(), "%b %d, %Y %I:%M %p").ok()?
    } else if let Some(rest) = upper.strip_prefix("CLOSED AT ") {
        // "4:00 PM ET ON Nov 18, 2019"
        let (time, date) = rest.split_once(" ET ON ")?;
        let text = format!("{} {}", date.trim(), time.trim());
        NaiveDateTime::parse_from_str(&text, "%b %d, %Y %I:%M %p").ok()?
    } else {
        return None;
    };
    let offset = offset_on(local.date());
    local.and_local_timezone(offset).single().map(|t| t.to_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn both_forms_in_winter_and_summer() {
        assert_eq!(
            parse("DATA AS OF Nov 19, 2019 9:27 AM ET - PRE-MARKET"),
            Utc.with_ymd_and_hms(2019, 11, 19, 14, 27, 0).single()
        );
        assert_eq!(
            parse("CLOSED AT 4:00 PM ET ON Nov 18, 2019"),
            Utc.with_ymd_and_hms(2019, 11, 18, 21, 0, 0).single()
        );
        assert_eq!(
            parse("DATA AS OF Jul 1, 2024 4:31 PM ET - AFTER HOURS"),
            Utc.with_ymd_and_hms(2024, 7, 1, 20, 31, 0).single()
        );
        assert_eq!(parse("DATA AS OF Nov 19, 2019"), None, "a date without a time");
        assert_eq!(parse("whenever"), None);
    }

    #[test]
    fn daylight_saving_switches_on_the_right_sundays() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        assert_eq!(offset_on(d(3, 8)).local_minus_utc(), -5 * 3600);
        assert_eq!(offset_on(d(3, 9)).local_minus_utc(), -4 * 3600);
        assert_eq!(offset_on(d(11, 1)).local_minus_utc(), -4 * 3600);
        assert_eq!(offset_on(d(11, 2)).local_minus_utc(), -5 * 3600);
        assert_eq!(offset_on(d(1, 27)).local_minus_utc(), -5 * 3600);
    }

    #[test]
    fn a_moment_switches_at_two_in_the_morning_new_york_time() {
        let at = |m, day, h, min| {
            offset_at(Utc.with_ymd_and_hms(2025, m, day, h, min, 0).unwrap()).local_minus_utc()
        };
        // 9 March: 01:59 EST is 06:59 UTC, then 03:00 EDT.
        assert_eq!(
            at(3, 9, 6, 59),
            -5 * 3600,
            "Sunday 01:59 EST, though the UTC date is the switch day"
        );
        assert_eq!(at(3, 9, 7, 0), -4 * 3600);
        // 2 November: 01:59 EDT is 05:59 UTC, then 01:00 EST again.
        assert_eq!(at(11, 2, 2, 0), -4 * 3600, "Saturday 22:00 EDT");
        assert_eq!(at(11, 2, 5, 59), -4 * 3600);
        assert_eq!(at(11, 2, 6, 0), -5 * 3600);
        assert_eq!(at(1, 27, 10, 11), -5 * 3600);
        assert_eq!(at(7, 1, 20, 31), -4 * 3600);
    }
}
