//! Dates as feeds really write them: RFC 822 with named zones, month-first and
//! 12-hour variants ("Sat, Dec 16 2023 02:02:33 PM"), two-digit years, and ISO
//! 8601 with or without a zone (none means UTC). A date that cannot be read is
//! `None`: the headline stays, undated.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

pub fn parse(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    if let Some(d) = canonical_rfc3339(b) {
        return Some(d);
    }
    if b.len() >= 4
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b.len() == 4 || b[4] == b'-' || b.len() >= 8)
        && let Some(d) = iso8601(s)
    {
        return Some(d);
    }
    canonical_rfc822(s).or_else(|| rfc822(s))
}

/// "Mon, 27 Jan 2025 05:11:00 GMT" exactly as RFC 822 writes it (most RSS dates):
/// read without splitting into words.
fn canonical_rfc822(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 29 || b[3] != b',' || b[4] != b' ' || b[7] != b' ' || b[11] != b' ' || b[16] != b' ' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b[19] != b':' || b[22] != b':' || b[25] != b' ' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(num(12..16)?).ok()?,
        month_of(&s[8..11])?,
        num(5..7)?,
    )?;
    let time = NaiveTime::from_hms_opt(num(17..19)?, num(20..22)?, num(23..25)?.min(59))?;
    local_to_utc(date, time, zone_offset(&s[26..])?)
}

/// "2025-01-27T05:11:00Z" or "...+01:00" exactly as RFC 3339 writes it (most
/// Atom dates): read by position. Anything else (fractions, other layouts) is
/// left to [`iso8601`].
fn canonical_rfc3339(b: &[u8]) -> Option<DateTime<Utc>> {
    if !matches!(b.len(), 20 | 25)
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let offset = match (b.len(), b[19]) {
        (20, b'Z' | b'z') => 0,
        (25, sign @ (b'+' | b'-')) if b[22] == b':' => {
            let secs = i32::try_from(num(20..22)? * 3600 + num(23..25)? * 60).ok()?;
            if sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
    // A leap second (60) reads as 59, as in `clock_time`.
    let time = NaiveTime::from_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?.min(59))?;
    local_to_utc(date, time, offset)
}

/// `YYYY-MM-DD`, then optionally `T`/space, `hh:mm[:ss[.frac]]`, zone.
fn iso8601(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let (date, rest) = if b.len() == 4 {
        // A year alone (W3C-DTF allows it): its first day.
        (NaiveDate::from_ymd_opt(s.parse().ok()?, 1, 1)?, "")
    } else if b.get(4) == Some(&b'-') {
        let y: i32 = s.get(0..4)?.parse().ok()?;
        let m: u32 = s.get(5..7)?.parse().ok()?;
        let (d, rest): (u32, &str) = match s.get(7..8) {
            Some("-") => (s.get(8..10)?.parse().ok()?, s.get(10..)?),
            _ => (1, s.get(7..)?),
        };
        (NaiveDate::from_ymd_opt(y, m, d)?, rest)
    } else {
        // Basic format: YYYYMMDD.
        let y: i32 = s.get(0..4)?.parse().ok()?;
        let m: u32 = s.get(4..6)?.parse().ok()?;
        let d: u32 = s.get(6..8)?.parse().ok()?;
        (NaiveDate::from_ymd_opt(y, m, d)?, s.get(8..)?)
    };
    let rest = rest.trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?));
    }
    let zone_at = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, 'Z' | 'z' | '+' | '-') || c.is_ascii_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    let (clock, zone) = rest.split_at(zone_at);
    let time = clock_time(clock.trim())?;
    let offset = if zone.trim().is_empty() {
        0
    } else {
        zone_offset(zone.trim())?
    };
    local_to_utc(date, time, offset)
}

/// RFC 822 and its relatives: tokens in any reasonable order.
fn rfc822(s: &str) -> Option<DateTime<Utc>> {
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let mut time = None;
    let mut pm = None;
    let mut offset = None;
    let tokens = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty());
    for t in tokens {
        if t.contains(':') && time.is_none() && t.starts_with(|c: char| c.is_ascii_digit()) {
            // "02:02:33PM", "10:00+0100"
            let end = t
                .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
                .unwrap_or(t.len());
            time = Some(clock_time(&t[..end])?);
            let tail = &t[end..];
            if !tail.is_empty() {
                match ampm(tail) {
                    Some(p) => pm = Some(p),
                    None => offset = Some(zone_offset(tail)?),
                }
            }
        } else if let Some(p) = ampm(t) {
            pm = Some(p);
        } else if let Some(m) = month_of(t) {
            month = Some(m);
        } else if t.bytes().all(|c| c.is_ascii_digit()) {
            let n: i32 = t.parse().ok()?;
            if t.len() >= 3 || (day.is_some() && year.is_none()) {
                year = Some(if t.len() <= 2 { two_digit_year(n) } else { n });
            } else if day.is_none() {
                day = Some(u32::try_from(n).ok()?);
            } else {
                return None;
            }
        } else if let Some(o) = zone_offset(t) {
            offset = Some(o);
        } else if weekday(t) {
            continue;
        } else {
            // A word we do not know is not a date we can trust.
            return None;
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let mut time = time.unwrap_or(NaiveTime::MIN);
    if let Some(pm) = pm {
        use chrono::Timelike;
        let h = time.hour() % 12 + if pm { 12 } else { 0 };
        time = time.with_hour(h)?;
    }
    local_to_utc(date, time, offset.unwrap_or(0))
}

fn local_to_utc(date: NaiveDate, time: NaiveTime, offset_secs: i32) -> Option<DateTime<Utc>> {
    let zone = FixedOffset::east_opt(offset_secs)?;
    Some(
        zone.from_local_datetime(&date.and_time(time))
            .single()?
            .with_timezone(&Utc),
    )
}

/// `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fff`; a leap second (60) is read as 59.
fn clock_time(s: &str) -> Option<NaiveTime> {
    if !s.contains(':') && matches!(s.len(), 4 | 6) && s.bytes().all(|c| c.is_ascii_digit()) {
        // ISO 8601's basic format: hhmm or hhmmss.
        let (h, m) = (s[..2].parse().ok()?, s[2..4].parse().ok()?);
        let sec = s.get(4..6).map_or(Some(0), |x| x.parse().ok())?;
        return NaiveTime::from_hms_opt(h, m, sec);
    }
    let mut parts = s.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let sec = parts.next().map_or(Some(0.0), |p| p.parse::<f64>().ok())?;
    if parts.next().is_some() || !(0.0..61.0).contains(&sec) {
        return None;
    }
    let whole = (sec.trunc() as u32).min(59);
    let nanos = ((sec.fract() * 1e9) as u32).min(999_999_999);
    NaiveTime::from_hms_nano_opt(h, m, whole, nanos)
}

fn ampm(t: &str) -> Option<bool> {
    let t = t.trim_end_matches('.');
    if t.eq_ignore_ascii_case("am") || t.eq_ignore_ascii_case("a.m") {
        Some(false)
    } else if t.eq_ignore_ascii_case("pm") || t.eq_ignore_ascii_case("p.m") {
        Some(true)
    } else {
        None
    }
}

/// Whether `word` is `name` or an abbreviation of it at least `min` letters long.
fn abbreviates(word: &str, name: &str, min: usize) -> bool {
    word.len() >= min && word.len() <= name.len() && name[..word.len()].eq_ignore_ascii_case(word)
}

fn two_digit_year(n: i32) -> i32 {
    if n < 50 { 2000 + n } else { 1900 + n }
}

fn month_of(t: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let t = t.trim_end_matches('.');
    // "Jan", "Sept", "June", "January": a month name or its abbreviation, not any word starting so.
    let i = MONTHS.iter().position(|m| abbreviates(t, m, 3))?;
    Some(i as u32 + 1)
}

fn weekday(t: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let t = t.trim_end_matches('.');
    DAYS.iter().any(|d| abbreviates(t, d, 2))
}

/// A zone as seconds east of UTC: `Z`, `GMT`, `EST`…, military letters, `±hhmm`,
/// `±hh:mm`, `±hh`, and `GMT+1`-style.
fn zone_offset(t: &str) -> Option<i32> {
    let t = t.trim();
    if t.len() > 8 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..t.len()].copy_from_slice(t.as_bytes());
    buf.make_ascii_uppercase();
    let upper = std::str::from_utf8(&buf[..t.len()]).ok()?;
    let named = match upper {
        "Z" | "UT" | "UTC" | "GMT" | "Z." => Some(0),
        "EST" => Some(-5),
        "EDT" => Some(-4),
        "CST" => Some(-6),
        "CDT" => Some(-5),
        "MST" => Some(-7),
        "MDT" => Some(-6),
        "PST" => Some(-8),
        "PDT" => Some(-7),
        "BST" => Some(1),
        "CET" | "MEZ" => Some(1),
        "CEST" | "MESZ" => Some(2),
        "EET" => Some(2),
        "EEST" => Some(3),
        "JST" => Some(9),
        "IST" => return Some(5 * 3600 + 1800),
        "AEST" => Some(10),
        "AEDT" => Some(11),
        _ => None,
    };
    if let Some(h) = named {
        return Some(h * 3600);
    }
    if upper.len() == 1 {
        // Military zones are too often written backwards to trust; RFC 5322 says read them as UTC.
        return upper.chars().next().filter(char::is_ascii_alphabetic).map(|_| 0);
    }
    let numeric = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .unwrap_or(upper);
    let (sign, digits) = match numeric.as_bytes().first()? {
        b'+' => (1, &numeric[1..]),
        b'-' => (-1, &numeric[1..]),
        _ => return None,
    };
    let mut n = [0i32; 4];
    let mut len = 0;
    for b in digits.bytes().filter(|b| *b != b':') {
        if !b.is_ascii_digit() || len == 4 {
            return None;
        }
        n[len] = i32::from(b - b'0');
        len += 1;
    }
    let (h, m) = match len {
        1 => (n[0], 0),
        2 => (n[0] * 10 + n[1], 0),
        3 => (n[0], n[1] * 10 + n[2]),
        4 => (n[0] * 10 + n[1], n[2] * 10 + n[3]),
        _ => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse(s).map(|d| d.to_rfc3339()).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn rfc822_as_written() {
        assert_eq!(iso("Mon, 27 Jan 2025 05:11:00 EST"), "2025-01-27T10:11:00+00:00");
        assert_eq!(
            iso("Mon, 27 Jan 2025 05:11:00 -0500"),
            "2025-01-27T10:11:00+00:00"
        );
        assert_eq!(iso("27 Jan 25 05:11 GMT"), "2025-01-27T05:11:00+00:00");
        assert_eq!(iso("Thu, 01 Jan 04 19:48:21 GMT"), "2004-01-01T19:48:21+00:00");
        assert_eq!(iso("Sat, Dec 16 2023 02:02:33 PM"), "2023-12-16T14:02:33+00:00");
        assert_eq!(iso("Sat, Dec 16 2023 12:02:33 AM"), "2023-12-16T00:02:33+00:00");
        assert_eq!(
            iso("Tuesday, 28 January 2025 09:30:00 +01:00"),
            "2025-01-28T08:30:00+00:00"
        );
        assert_eq!(iso("Mon, 27 Jan 2025"), "2025-01-27T00:00:00+00:00");
    }

    #[test]
    fn canonical_rfc3339_reads_as_the_general_rule_does() {
        for s in [
            "2025-01-27T05:11:00Z",
            "2025-01-27t05:11:00z",
            "2025-01-27T05:11:00+01:00",
            "2025-01-27T05:11:00-05:30",
            "2016-12-31T23:59:60Z",
            "2025-02-30T05:11:00Z",
            "2025-01-27T25:11:00Z",
            "2025-01-27T05:11:00+99:00",
        ] {
            let fast = canonical_rfc3339(s.as_bytes());
            assert_eq!(fast, iso8601(s), "{s}");
        }
        assert_eq!(
            canonical_rfc3339(b"2025-01-27T05:11:00.5Z"),
            None,
            "fractions go the long way"
        );
        assert_eq!(canonical_rfc3339(b"2025-01-27 05:11:00Z"), None);
    }

    #[test]
    fn iso8601_as_written() {
        assert_eq!(iso("2025-01-27T05:11:00Z"), "2025-01-27T05:11:00+00:00");
        assert_eq!(
            iso("2025-01-27T05:11:00.123-05:00"),
            "2025-01-27T10:11:00.123+00:00"
        );
        assert_eq!(iso("2025-01-27 05:11:00"), "2025-01-27T05:11:00+00:00");
        assert_eq!(iso("2025-01-27T05:11+0100"), "2025-01-27T04:11:00+00:00");
        assert_eq!(iso("2025-01-27"), "2025-01-27T00:00:00+00:00");
        assert_eq!(iso("20250127T051100Z"), "2025-01-27T05:11:00+00:00");
        assert_eq!(iso("2003-12"), "2003-12-01T00:00:00+00:00");
        assert_eq!(iso("2003"), "2003-01-01T00:00:00+00:00");
        assert_eq!(iso("2003-12-31T10:14Z"), "2003-12-31T10:14:00+00:00");
        // asctime, as some servers write it.
        assert_eq!(iso("Sun Jan  4 16:29:06 PST 2004"), "2004-01-05T00:29:06+00:00");
    }

    #[test]
    fn what_cannot_be_read_is_none() {
        for s in [
            "",
            "yesterday",
            "Mon, 32 Jan 2025",
            "2025-13-01",
            "Mon, 27 Foo 2025 10:00",
            "12:00",
            // Non-ASCII where the fast path slices: read by the general path, no panic.
            "Mon, 27 Jän 2025 05:11:00 GMT",
            "Mon, 27 Jan 2025 05:11:00 GMTé",
            "Mo, 27 Jan 2025 05:11:00 GMT\u{e9}",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
