//! New York time as Nasdaq writes it ("DATA AS OF Nov 19, 2019 9:27 AM ET",
//! "CLOSED AT 4:00 PM ET ON Nov 18, 2019"), to UTC. US daylight saving time runs
//! from the second Sunday of March to the first Sunday of November.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Utc, Weekday};

/// New York's offset from UTC on `date` (the switch hour, 2 AM, is ignored: no
/// quote is stamped between midnight and 2 AM on those two Sundays).
pub fn offset_on(date: NaiveDate) -> FixedOffset {
    let year = date.year();
    let dst = match (
        NaiveDate::from_weekday_of_month_opt(year, 3, Weekday::Sun, 2),
        NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Sun, 1),
    ) {
        (Some(start), Some(end)) => date >= start && date < end,
        _ => false,
    };
    let hours = if dst { -4 } else { -5 };
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
}
