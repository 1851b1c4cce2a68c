//! From a feed's bytes to text. The order is feedparser's, which is what the web
//! expects: a byte-order mark, then the charset of the HTTP Content-Type (RFC 3023:
//! it outranks the document's own declaration), then the XML declaration, then
//! UTF-8. Text that claims UTF-8 but carries a stray Latin-1 byte keeps every
//! valid character and reads the stray bytes as windows-1252, as browsers do.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The text of a document and what was needed to read it.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// Bytes the encoding could not read were replaced or reinterpreted.
    pub repaired: bool,
}

/// Decodes `bytes`, given the HTTP Content-Type if there was one.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    if let Some((kind, skip)) = bom(bytes) {
        return decode_as(kind, &bytes[skip..]);
    }
    if let Some(kind) = wide_without_bom(bytes) {
        return decode_as(kind, bytes);
    }
    let http = content_type.and_then(charset_param);
    let declared = declared_encoding(bytes);
    let label = http.or(declared);
    let kind = label.map_or(Kind::Encoding(UTF_8), |l| match l.to_ascii_lowercase().as_str() {
        // Nothing after the declaration is in these once the bytes are 8-bit text:
        // a document that says UTF-16 without being it is read as UTF-8.
        "utf-16" | "utf-16le" | "utf-16be" | "utf-32" | "ucs-4" => Kind::Encoding(UTF_8),
        other => Encoding::for_label(other.as_bytes()).map_or(Kind::Encoding(UTF_8), Kind::Encoding),
    });
    decode_as(kind, bytes)
}

#[derive(Clone, Copy)]
enum Kind {
    Encoding(&'static Encoding),
    Utf32 { big_endian: bool },
}

fn decode_as(kind: Kind, bytes: &[u8]) -> Decoded<'_> {
    match kind {
        Kind::Utf32 { big_endian } => {
            let (text, repaired) = utf32(bytes, big_endian);
            Decoded {
                text: Cow::Owned(text),
                repaired,
            }
        }
        Kind::Encoding(e) if e == UTF_8 => {
            let (text, repaired) = utf8_lenient(bytes);
            Decoded { text, repaired }
        }
        Kind::Encoding(e) => {
            let (text, repaired) = e.decode_without_bom_handling(bytes);
            Decoded {
                text: c1_as_windows_1252(text),
                repaired,
            }
        }
    }
}

fn bom(b: &[u8]) -> Option<(Kind, usize)> {
    // UTF-32 LE before UTF-16 LE: their marks share the first two bytes.
    match b {
        [0xFF, 0xFE, 0, 0, ..] => Some((Kind::Utf32 { big_endian: false }, 4)),
        [0, 0, 0xFE, 0xFF, ..] => Some((Kind::Utf32 { big_endian: true }, 4)),
        [0xEF, 0xBB, 0xBF, ..] => Some((Kind::Encoding(UTF_8), 3)),
        [0xFF, 0xFE, ..] => Some((Kind::Encoding(UTF_16LE), 2)),
        [0xFE, 0xFF, ..] => Some((Kind::Encoding(UTF_16BE), 2)),
        _ => None,
    }
}

/// A document that starts `<` in UTF-16 or UTF-32 without a mark (XML 1.0, appendix F).
fn wide_without_bom(b: &[u8]) -> Option<Kind> {
    match b {
        [0, 0, 0, b'<', ..] => Some(Kind::Utf32 { big_endian: true }),
        [b'<', 0, 0, 0, ..] => Some(Kind::Utf32 { big_endian: false }),
        [0, b'<', 0, c, ..] if *c != 0 => Some(Kind::Encoding(UTF_16BE)),
        [b'<', 0, c, 0, ..] if *c != 0 => Some(Kind::Encoding(UTF_16LE)),
        _ => None,
    }
}

/// `charset=` of a Content-Type, unquoted.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// `encoding="…"` of the XML declaration, if the document starts with one.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = head[start..].strip_prefix(b"<?xml")?;
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    value
        .find(quote)
        .map(|e| value[..e].trim())
        .filter(|v| !v.is_empty())
}

/// UTF-8 where it is valid; each byte of an invalid sequence as windows-1252.
/// A document that is mostly not UTF-8 (more invalid sequences than valid
/// non-ASCII characters) is
/// windows-1252 throughout, as feedparser reads it: its few "valid" sequences
/// are accidents of another 8-bit encoding.
fn utf8_lenient(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (c1_as_windows_1252(Cow::Borrowed(s)), false);
    }
    let (mut valid_wide, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_wide += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if valid_wide < invalid {
        let (text, _, _) = WINDOWS_1252.decode(bytes);
        return (Cow::Owned(text.into_owned()), true);
    }
    let mut out = String::with_capacity(bytes.len() + 16);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        let (stray, _, _) = WINDOWS_1252.decode(chunk.invalid());
        out.push_str(&stray);
    }
    (c1_as_windows_1252(Cow::Owned(out)), true)
}

fn utf32(bytes: &[u8], big_endian: bool) -> (String, bool) {
    let mut repaired = !bytes.len().is_multiple_of(4);
    let text = bytes
        .chunks_exact(4)
        .map(|c| {
            let n = if big_endian {
                u32::from_be_bytes([c[0], c[1], c[2], c[3]])
            } else {
                u32::from_le_bytes([c[0], c[1], c[2], c[3]])
            };
            char::from_u32(n).unwrap_or_else(|| {
                repaired = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    (text, repaired)
}

/// C1 control characters in text are, in practice, windows-1252 punctuation
/// written by software that took it for Latin-1 ("don\u{92}t"): read them as meant.
pub fn c1_as_windows_1252(text: Cow<'_, str>) -> Cow<'_, str> {
    // U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8.
    let bytes = text.as_bytes();
    let has_c1 =
        memchr::memchr_iter(0xC2, bytes).any(|i| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)));
    if !has_c1 {
        return text;
    }
    Cow::Owned(text.chars().map(windows_1252_for_c1).collect())
}

/// The windows-1252 character for a C1 code point; others unchanged (the five
/// code points windows-1252 leaves undefined stay controls, removed later).
pub fn windows_1252_for_c1(c: char) -> char {
    let n = u32::from(c);
    if !(0x80..=0x9F).contains(&n) {
        return c;
    }
    let byte = [n as u8];
    let (s, _, _) = WINDOWS_1252.decode(&byte);
    s.chars().next().filter(|d| u32::from(*d) > 0x9F).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8], ct: Option<&str>) -> String {
        decode(bytes, ct).text.into_owned()
    }

    #[test]
    fn marks_and_wide_encodings() {
        assert_eq!(text(b"\xEF\xBB\xBF<a>\xC3\xA9</a>", None), "<a>é</a>");
        let le: Vec<u8> = "\u{feff}<a>é</a>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(text(&le, None), "<a>é</a>");
        let be: Vec<u8> = "<a>é</a>".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(text(&be, None), "<a>é</a>");
        let u32le: Vec<u8> = "\u{feff}<a>é</a>"
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect();
        assert_eq!(text(&u32le, None), "<a>é</a>");
        let u32be: Vec<u8> = "<a>é</a>"
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        assert_eq!(text(&u32be, None), "<a>é</a>");
    }

    #[test]
    fn http_charset_outranks_the_declaration() {
        let doc = b"<?xml version='1.0' encoding='iso-8859-1'?><a>\xE9</a>";
        assert_eq!(
            text(doc, None),
            "<?xml version='1.0' encoding='iso-8859-1'?><a>é</a>"
        );
        let koi = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\xF0</a>";
        assert!(text(koi, Some("text/xml; charset=\"koi8-r\"")).ends_with("<a>П</a>"));
        // Without a charset the declaration counts: \xF0 is not UTF-8, so it is repaired.
        let d = decode(koi, Some("application/xml"));
        assert!(d.repaired && d.text.ends_with("<a>ð</a>"), "{:?}", d.text);
    }

    #[test]
    fn a_stray_latin1_byte_keeps_the_rest() {
        let d = decode(b"<a>caf\xE9 \xE2\x80\x94 ok</a>", None);
        assert_eq!(d.text, "<a>café — ok</a>");
        assert!(d.repaired);
        // Mostly not UTF-8 at all: windows-1252 throughout, not a mix.
        let d = decode(b"<a>\xC7\xD1\xB1\xDB \xC7\xA5\xBD\xC3</a>", None);
        assert_eq!(d.text, "<a>ÇÑ±Û Ç¥½Ã</a>");
    }

    #[test]
    fn c1_punctuation_is_what_it_meant() {
        assert_eq!(text("don\u{92}t \u{93}x\u{94}".as_bytes(), None), "don’t “x”");
        // Undefined in windows-1252: left for the cleaner to remove.
        assert_eq!(windows_1252_for_c1('\u{81}'), '\u{81}');
    }

    #[test]
    fn a_declaration_of_utf16_on_8_bit_text_reads_it_as_utf8() {
        let doc = "<?xml version='1.0' encoding='utf-16'?><a>é</a>";
        assert_eq!(text(doc.as_bytes(), None), doc);
        assert_eq!(charset_param("text/xml; Charset='UTF-8'"), Some("UTF-8"));
        assert_eq!(charset_param("text/xml"), None);
    }
}
