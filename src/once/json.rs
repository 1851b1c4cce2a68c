//! `once --json` written out: serde_json's pretty layout, byte for byte, with the
//! headlines (nearly all of the document) written here. serde_json escapes a
//! string a byte at a time; 10,000 headlines hold some 6.5 MB of text, and that
//! loop was the largest part of the single-threaded tail of a cold `once`. What
//! is left of it is mostly the first read of that text since it was parsed: the
//! word-at-a-time escape waits on memory two thirds of its time.

use std::io::{self, Write};

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use serde::Serialize;

use super::{HeadlineRow, Snapshot};

/// The snapshot as `serde_json::to_writer_pretty` writes it (a test holds the two equal).
pub fn write(snap: &Snapshot, out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\n  \"generated_at\": ")?;
    pretty(out, &snap.generated_at)?;
    field(out, "watchlist", &snap.watchlist)?;
    field(out, "quotes", &snap.quotes)?;
    out.write_all(b",\n  \"headlines\": ")?;
    headlines(out, &snap.headlines)?;
    field(out, "sources", &snap.sources)?;
    field(out, "portfolio", &snap.portfolio)?;
    field(out, "halts", &snap.halts)?;
    field(out, "market", &snap.market)?;
    out.write_all(b"\n}")
}

/// A top-level field after the first (its name needs no escaping).
fn field(out: &mut impl Write, name: &str, value: &impl Serialize) -> io::Result<()> {
    write!(out, ",\n  \"{name}\": ")?;
    pretty(out, value)
}

/// A value pretty-printed by serde_json one level down.
fn pretty(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(Indented(out), value).map_err(io::Error::from)
}

/// Indents every line after the first by one level. A JSON string never holds a
/// raw line break, so each one here is the layout's.
struct Indented<'a, W>(&'a mut W);

impl<W: Write> Write for Indented<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = memchr::memchr(b'\n', rest) {
            self.0.write_all(&rest[..=at])?;
            self.0.write_all(b"  ")?;
            rest = &rest[at + 1..];
        }
        self.0.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

fn headlines(out: &mut impl Write, rows: &[HeadlineRow]) -> io::Result<()> {
    if rows.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    for (n, HeadlineRow(h)) in rows.iter().enumerate() {
        out.write_all(if n == 0 { b"\n    {" } else { b",\n    {" })?;
        out.write_all(b"\n      \"id\": ")?;
        string(out, &h.id)?;
        out.write_all(b",\n      \"title\": ")?;
        string(out, &h.title)?;
        out.write_all(b",\n      \"url\": ")?;
        optional(out, h.url.as_deref())?;
        out.write_all(b",\n      \"feed\": ")?;
        string(out, &h.feed)?;
        out.write_all(b",\n      \"published\": ")?;
        match h.published {
            Some(t) => moment(out, t)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b",\n      \"summary\": ")?;
        string(out, &h.summary)?;
        out.write_all(b",\n      \"symbols\": ")?;
        if h.symbols.is_empty() {
            out.write_all(b"[]")?;
        } else {
            for (i, s) in h.symbols.iter().enumerate() {
                out.write_all(if i == 0 { b"[\n        " } else { b",\n        " })?;
                string(out, s)?;
            }
            out.write_all(b"\n      ]")?;
        }
        out.write_all(b",\n      \"filing\": ")?;
        optional(out, h.filing.as_deref())?;
        out.write_all(b"\n    }")?;
    }
    out.write_all(b"\n  ]")
}

fn optional(out: &mut impl Write, s: Option<&str>) -> io::Result<()> {
    match s {
        Some(s) => string(out, s),
        None => out.write_all(b"null"),
    }
}

/// RFC 3339 in whole seconds with a Z, as chrono writes it; chrono itself for the
/// years it writes with a sign and for a leap second.
fn moment(out: &mut impl Write, t: DateTime<Utc>) -> io::Result<()> {
    let year = t.year();
    if !(0..=9999).contains(&year) || t.nanosecond() >= 1_000_000_000 {
        return string(out, &t.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let (y, mo, d, h, mi, s) = (
        year as u32,
        two(t.month()),
        two(t.day()),
        two(t.hour()),
        two(t.minute()),
        two(t.second()),
    );
    let (hi, lo) = (two(y / 100), two(y % 100));
    out.write_all(&[
        b'"', hi[0], hi[1], lo[0], lo[1], b'-', mo[0], mo[1], b'-', d[0], d[1], b'T', h[0], h[1], b':',
        mi[0], mi[1], b':', s[0], s[1], b'Z', b'"',
    ])
}

/// A JSON string as serde_json writes one: `"` and `\` escaped, the control
/// characters as \b \t \n \f \r or \u00XX, everything else as it is. Runs of
/// eight bytes that need nothing are passed over a word at a time.
fn string(out: &mut impl Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    out.write_all(b"\"")?;
    let (mut start, mut i) = (0, 0);
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("eight bytes"));
    while i < bytes.len() {
        // Two words a turn while they need nothing: the test of one word at a time
        // was the loop's bottleneck (16 bytes a turn: 1.9 ms instead of 2.6 for the
        // 5.9 MB of strings a cold `once` of 200 feeds writes, in a micro bench).
        if let Some(pair) = bytes.get(i..i + 16) {
            let (a, b) = pair.split_at(8);
            if escapes(word(a)) | escapes(word(b)) == 0 {
                i += 16;
                continue;
            }
        }
        if let Some(w) = bytes.get(i..i + 8)
            && escapes(word(w)) == 0
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let short = match b {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            b'\t' => Some(b't'),
            b'\n' => Some(b'n'),
            0x0c => Some(b'f'),
            b'\r' => Some(b'r'),
            0..0x20 => None,
            _ => {
                i += 1;
                continue;
            }
        };
        out.write_all(&bytes[start..i])?;
        match short {
            Some(c) => out.write_all(&[b'\\', c])?,
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.write_all(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ])?;
            }
        }
        i += 1;
        start = i;
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

/// Not zero when any of the word's eight bytes is below 0x20, a `"` or a `\`.
/// Each test is the classic "has a zero byte" one: exact as a whole, though it
/// may not say which byte.
fn escapes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    below_space | zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attempt, Headline, Quote, QuoteOutcome};
    use proptest::prelude::*;

    fn serde_string(s: &str) -> Vec<u8> {
        serde_json::to_vec(s).unwrap()
    }

    fn ours(s: &str) -> Vec<u8> {
        let mut v = Vec::new();
        string(&mut v, s).unwrap();
        v
    }

    #[test]
    fn every_byte_is_escaped_as_serde_json_escapes_it() {
        let all: String = (0u32..0x250).filter_map(char::from_u32).collect();
        assert_eq!(ours(&all), serde_string(&all));
        for c in (0u32..0x80).filter_map(char::from_u32) {
            for at in 0..33 {
                let s = format!("{}{c}{}", "a".repeat(at), "é".repeat(at % 3));
                assert_eq!(ours(&s), serde_string(&s), "{c:?} at {at}");
            }
        }
    }

    #[test]
    fn the_word_test_finds_each_byte_that_needs_escaping_in_any_place() {
        for b in 0u8..=255 {
            let needs = b < 0x20 || b == b'"' || b == b'\\';
            for place in 0..8 {
                let mut word = [b'a'; 8];
                word[place] = b;
                assert_eq!(escapes(u64::from_le_bytes(word)) != 0, needs, "{b:#x} at {place}");
            }
        }
    }

    #[test]
    fn moments_are_written_as_chrono_writes_them() {
        for secs in [
            0,
            1_737_986_400,
            253_402_300_799,
            -62_167_219_200,
            -62_167_219_201,
            253_402_300_800,
        ] {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            let mut v = Vec::new();
            moment(&mut v, t).unwrap();
            assert_eq!(
                v,
                serde_string(&t.to_rfc3339_opts(SecondsFormat::Secs, true)),
                "{t}"
            );
        }
        let leap = DateTime::from_timestamp(1_483_228_799, 1_500_000_000).unwrap();
        let mut v = Vec::new();
        moment(&mut v, leap).unwrap();
        assert_eq!(v, serde_string(&leap.to_rfc3339_opts(SecondsFormat::Secs, true)));
        assert_eq!(v, b"\"2016-12-31T23:59:60Z\"");
    }

    /// A snapshot with quotes (one priced with a position's worth of fields, one
    /// failed), sources and a halt, given `headlines`.
    fn snapshot(headlines: Vec<Headline>) -> Snapshot {
        let config = crate::config::parse(
            "[[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\", \"ZZZZ\"]\n[[feed]]\nname = \"Desk\"\nurl = \"https://desk.example.com/rss\"\n",
            crate::config::ConfigOrigin::Embedded,
        )
        .unwrap();
        let now = DateTime::from_timestamp(1_737_986_400, 0).unwrap();
        let priced = QuoteOutcome {
            symbol: "NVDA".into(),
            result: Ok(Quote::sample("NVDA", 118.42, 142.62)),
            attempts: vec![Attempt {
                provider: "yahoo".into(),
                error: None,
            }],
            retry_after: None,
        };
        let failed = QuoteOutcome {
            symbol: "ZZZZ".into(),
            result: Err("yahoo: no such symbol \"ZZZZ\"".into()),
            attempts: vec![Attempt {
                provider: "yahoo".into(),
                error: Some("no such symbol".into()),
            }],
            retry_after: None,
        };
        let mut snap = super::super::build(
            &config,
            "W",
            vec![priced, failed],
            vec![],
            &Default::default(),
            Default::default(),
            now,
        );
        snap.headlines = headlines.into_iter().map(HeadlineRow).collect();
        snap
    }

    fn both(snap: &Snapshot) -> (String, String) {
        let mut v = Vec::new();
        write(snap, &mut v).unwrap();
        (
            String::from_utf8(v).unwrap(),
            serde_json::to_string_pretty(snap).unwrap(),
        )
    }

    #[test]
    fn a_whole_snapshot_is_written_as_serde_json_writes_it() {
        let mut dated = Headline::linked("h1", 1_737_986_400, &["NVDA", "AVGO"]);
        dated.url = Some("https://desk.example.com/a?b=\"c\"".into());
        dated.filing = Some("8-K".into());
        dated.summary = "Line one\nline two\t\u{1}, \\ and \u{e9}".into();
        let (ours, serde) = both(&snapshot(vec![dated, Headline::sample("h2", "Plain")]));
        assert_eq!(ours, serde);
        let (ours, serde) = both(&snapshot(vec![]));
        assert_eq!(ours, serde);
        assert!(ours.contains("\"headlines\": [],"), "{ours}");
    }

    fn text() -> impl Strategy<Value = String> {
        "(\\PC|[\\x00-\\x1f\"\\\\\u{7f}])*"
    }

    fn headline() -> impl Strategy<Value = Headline> {
        (
            (text(), text(), proptest::option::of(text()), text()),
            (proptest::option::of(-62_167_219_200i64..253_402_300_799), text()),
            (
                proptest::collection::vec(text(), 0..3),
                proptest::option::of(text()),
            ),
        )
            .prop_map(
                |((id, title, url, feed), (at, summary), (symbols, filing))| Headline {
                    url,
                    feed: feed.into(),
                    published: at.and_then(|t| DateTime::from_timestamp(t, 0)),
                    summary,
                    symbols,
                    filing,
                    ..Headline::sample(&id, &title)
                },
            )
    }

    proptest! {
        #[test]
        fn any_text_is_escaped_as_serde_json_escapes_it(s in text()) {
            prop_assert_eq!(ours(&s), serde_string(&s));
        }

        #[test]
        fn any_headlines_are_written_as_serde_json_writes_them(
            headlines in proptest::collection::vec(headline(), 0..4)
        ) {
            let (ours, serde) = both(&snapshot(headlines));
            prop_assert_eq!(ours, serde);
        }
    }
}
