//! Turning feed text into something safe and readable in a terminal.
//!
//! Nothing from a feed may drive the terminal: escape sequences are removed whole
//! (so "\x1b[31mRED" reads "RED", not "[31mRED"), then every remaining control
//! character (C0, DEL, C1) and every bidi override or isolate goes.

/// The longest title kept, in characters.
pub const TITLE_MAX: usize = 300;
/// The longest summary kept, in characters.
pub const SUMMARY_MAX: usize = 4000;

use std::borrow::Cow;

/// A headline title: entities decoded, markup stripped, controls removed,
/// whitespace collapsed, capped at [`TITLE_MAX`] characters.
///
/// `html` says whether the feed declared the title as HTML. Plain titles keep
/// text such as "<antirez>" (newsboat #403), but are still entity-decoded, since
/// RSS titles are routinely double-escaped ("&amp;amp;").
pub fn title(raw: &str, html: bool) -> String {
    title_owned(raw.to_owned(), html)
}

/// [`title`] of text the caller owns: text that needs no cleaning (most of it)
/// is returned as it came, without a copy.
pub fn title_owned(raw: String, html: bool) -> String {
    settle(raw, |s| {
        if has(s, b'<') && (html || has_markup(s)) {
            Cow::Owned(reuse(strip_tags(s), |t| plain(t, TITLE_MAX)))
        } else {
            plain(s, TITLE_MAX)
        }
    })
}

/// Entities decoded, controls removed, whitespace collapsed, capped; borrowed
/// while nothing needed doing, which is most feed text.
fn plain(text: &str, max: usize) -> Cow<'_, str> {
    let c = html_escape::decode_html_entities(text);
    let c = step(c, safe_cow);
    let c = step(c, collapse_cow);
    step(c, |s| cap_cow(s, max))
}

/// Applies a cleaning step to text that may still be borrowed.
fn step<'a>(cur: Cow<'a, str>, f: impl for<'x> FnOnce(&'x str) -> Cow<'x, str>) -> Cow<'a, str> {
    match cur {
        Cow::Borrowed(b) => f(b),
        Cow::Owned(o) => Cow::Owned(reuse(o, f)),
    }
}

/// `f` of `owned`, as a String: `owned` itself when `f` changed nothing, so
/// clean text costs no copy.
fn reuse(mut owned: String, f: impl for<'x> FnOnce(&'x str) -> Cow<'x, str>) -> String {
    let out = f(&owned);
    // A slice of `owned` (trimmed, cut) is cut out of it in place, not copied.
    let within = match &out {
        Cow::Borrowed(b) => {
            let start = (b.as_ptr() as usize).wrapping_sub(owned.as_ptr() as usize);
            (start <= owned.len() && b.len() <= owned.len() - start).then_some((start, b.len()))
        }
        Cow::Owned(_) => None,
    };
    match within {
        Some((start, len)) => {
            drop(out);
            owned.truncate(start + len);
            owned.drain(..start);
            owned
        }
        None => out.into_owned(),
    }
}

/// A summary as plain text: markup stripped, paragraphs as single spaces.
pub fn summary(raw: &str) -> String {
    summary_owned(raw.to_owned())
}

/// [`summary`] of text the caller owns, returned as it came when clean.
pub fn summary_owned(raw: String) -> String {
    settle(raw, |s| {
        if has(s, b'<') {
            Cow::Owned(reuse(strip_tags(s), |t| plain(t, SUMMARY_MAX)))
        } else {
            plain(s, SUMMARY_MAX)
        }
    })
}

/// An id from a feed: trimmed and safe, the caller's String when it already is.
pub fn id_owned(raw: String) -> String {
    reuse(raw, |s| safe_cow(s.trim()))
}

/// Applies one cleaning pass until it changes nothing, so that cleaning clean
/// text is a no-op: "&amp;lt;b&amp;gt;" needs three passes, and removing a
/// control character can join an entity ("&am\u{1}p;"). Every pass only removes
/// or replaces characters, so this settles; the bound is a guard that real feeds
/// do not reach.
fn settle(raw: String, pass: impl for<'x> Fn(&'x str) -> Cow<'x, str>) -> String {
    let mut cur = reuse(raw, &pass);
    for _ in 0..32 {
        // Nothing left that could be a tag or an entity: the pass's own output is
        // already safe, collapsed and capped, so another pass would change nothing.
        // Most text ends here after one pass, "&lt;p&gt;..." after two.
        if !may_decode(&cur) {
            return fit(cur);
        }
        let next = pass(&cur);
        if *next == *cur {
            break;
        }
        cur = next.into_owned();
    }
    fit(cur)
}

/// Gives back what a cleaned string no longer uses: entity decoding allocates the
/// length of its input and stripping markup leaves a fraction of it, so at 50,000
/// headlines the summaries held 23 MB, most of it spare capacity (massif).
fn fit(mut s: String) -> String {
    if s.capacity() > s.len() + s.len() / 8 + 16 {
        s.shrink_to_fit();
    }
    s
}

/// Whether a pass could still change clean text: a '<' (perhaps a tag) or an '&'
/// that could begin an entity ("&amp", "&#38"); a lone "R&D" or " & " cannot.
fn may_decode(s: &str) -> bool {
    let b = s.as_bytes();
    has(s, b'<')
        || memchr::memchr_iter(b'&', b).any(|i| {
            b.get(i + 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'#')
        })
}

/// Whether `s` has the ASCII byte `b`: memchr, where `str::contains(char)`
/// compares every candidate with memcmp.
fn has(s: &str, b: u8) -> bool {
    memchr::memchr(b, s.as_bytes()).is_some()
}

/// Text from outside (a provider's name for a stock, an error it sent) made fit for
/// one line of a terminal: no escape sequences or control characters, whitespace
/// collapsed, at most `max` characters.
pub fn line(s: &str, max: usize) -> String {
    cap(&collapse(&safe(s)), max)
}

/// Removes escape sequences, control characters and bidi controls.
pub fn safe(s: &str) -> String {
    safe_cow(s).into_owned()
}

fn safe_cow(s: &str) -> Cow<'_, str> {
    if !needs_safe(s.as_bytes()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            // OSC, DCS, SOS, PM, APC in their C1 form: skip to the terminator.
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `s` holds a control character (C0, DEL, C1) or a bidi control, read
/// from the UTF-8 bytes: the characters' own test made this a tenth of a feed's
/// parse, as any curly quote sent a whole summary down it.
fn needs_safe(s: &[u8]) -> bool {
    // Without a short cut, so that the compiler vectorises it.
    if s.iter().fold(false, |any, &b| any | (b < 0x20) | (b == 0x7f)) {
        return true;
    }
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    // Continuation bytes (0x80..=0xBF) never equal a lead byte, so a search for the
    // lead bytes finds every character that starts with one.
    memchr::memchr3_iter(0xc2, 0xd8, 0xe2, s).any(|i| match s[i] {
        // U+0080..=U+009F
        0xc2 => (0x80..=0x9f).contains(&at(i + 1)),
        // U+061C
        0xd8 => at(i + 1) == 0x9c,
        // U+200E, U+200F, U+202A..=U+202E; U+2066..=U+2069
        0xe2 => match at(i + 1) {
            0x80 => matches!(at(i + 2), 0x8e | 0x8f | 0xaa..=0xae),
            0x81 => matches!(at(i + 2), 0xa6..=0xa9),
            _ => false,
        },
        _ => false,
    })
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // A two-character sequence (ESC c, ESC 7, ...): drop the second one too.
        Some(c) if ('\u{20}'..='\u{7e}').contains(c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI parameters and intermediates, then one final byte in @..~.
fn skip_csi(chars: &mut Chars) {
    while let Some(&c) = chars.peek() {
        chars.next();
        if ('\u{40}'..='\u{7e}').contains(&c) || !('\u{20}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// Up to BEL, ST (ESC \) or the C1 ST; an unterminated string eats the rest,
/// which is what a terminal would do too.
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Whitespace runs become one space; the ends are trimmed.
pub fn collapse(s: &str) -> String {
    collapse_cow(s).into_owned()
}

/// Whether `b` holds \t \n \x0b \x0c or \r. Tested a block at a time, as
/// `Iterator::any` stops at each byte and so is not vectorised: that byte loop
/// was two thirds of `collapse_cow`'s samples (1.8% of a cold `once`).
fn has_control_space(b: &[u8]) -> bool {
    b.chunks(64).any(|block| {
        block
            .iter()
            .fold(false, |found, &x| found | (x.wrapping_sub(0x09) < 5))
    })
}

fn collapse_cow(s: &str) -> Cow<'_, str> {
    // Trimmed, the text may already be collapsed (markup stripped from "<p>Body</p>"
    // leaves only a space at each end): then it is a slice of what came in.
    let s = s.trim();
    // Already collapsed: only single ' ' between words, none at the ends.
    let mut prev_space = true;
    let collapsed = if s.is_ascii() {
        // \t \n \x0b \x0c \r, or two spaces; the ends are trimmed. Byte tests the
        // compiler vectorises: this runs on every title and summary.
        prev_space = false;
        !has_control_space(s.as_bytes()) && memchr::memmem::find(s.as_bytes(), b"  ").is_none()
    } else {
        s.chars().all(|c| {
            let space = c.is_whitespace();
            let fine = !space || (c == ' ' && !prev_space);
            prev_space = space;
            fine
        })
    } && !prev_space;
    if collapsed || s.is_empty() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// At most `max` characters, with an ellipsis when cut.
pub fn cap(s: &str, max: usize) -> String {
    cap_cow(s, max).into_owned()
}

fn cap_cow(s: &str, max: usize) -> Cow<'_, str> {
    // No more bytes than `max` means no more characters either: no need to count.
    if s.len() <= max || s.chars().count() <= max {
        return Cow::Borrowed(s);
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    Cow::Owned(out)
}

/// Elements that break a line: they become a space so words do not run together.
/// A `match`, not a list, since this runs for every tag of every feed.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "html"
            | "head"
            | "body"
            | "title"
            | "meta"
            | "link"
            | "main"
            | "aside"
    )
}

/// Elements that mark up text within a line.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "i"
            | "em"
            | "strong"
            | "span"
            | "img"
            | "font"
            | "u"
            | "s"
            | "sup"
            | "sub"
            | "small"
            | "big"
            | "code"
            | "abbr"
            | "cite"
            | "q"
            | "mark"
            | "del"
            | "ins"
            | "time"
            | "wbr"
            | "nav"
            | "source"
            | "video"
            | "audio"
            | "picture"
            | "iframe"
            | "script"
            | "style"
            | "tbody"
            | "thead"
            | "center"
            | "strike"
            | "tt"
            | "kbd"
            | "var"
            | "dl"
            | "dt"
            | "dd"
    )
}

/// True when the text holds a real HTML tag (a known element name), not just a
/// literal "<" as in "<antirez>" or "a < b".
pub fn has_markup(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if tag_name(rest).is_some_and(|n| is_known_tag(n.as_str())) {
            return true;
        }
    }
    false
}

/// A tag's name, lower-cased, held without allocating: every HTML element we
/// know has a name of at most 12 letters, so a longer one is no tag of ours.
/// Most are written in lower case already and are borrowed as written.
enum TagName<'a> {
    Written(&'a str),
    Lowered([u8; 12], usize),
}

impl TagName<'_> {
    fn as_str(&self) -> &str {
        match self {
            Self::Written(s) => s,
            // ASCII letters and digits only: always UTF-8.
            Self::Lowered(buf, len) => std::str::from_utf8(&buf[..*len]).unwrap_or_default(),
        }
    }
}

fn tag_name(after_lt: &str) -> Option<TagName<'_>> {
    let name = after_lt.strip_prefix('/').unwrap_or(after_lt);
    let s = name.as_bytes();
    let len = s.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if len == 0 || len > 12 || !matches!(s.get(len), Some(b'>' | b' ' | b'/' | b'\t' | b'\n' | b'\r')) {
        return None;
    }
    if !s[..len].iter().any(u8::is_ascii_uppercase) {
        return Some(TagName::Written(&name[..len]));
    }
    let mut buf = [0u8; 12];
    buf[..len].copy_from_slice(&s[..len]);
    buf.make_ascii_lowercase();
    Some(TagName::Lowered(buf, len))
}

fn is_known_tag(name: &str) -> bool {
    is_block(name) || is_inline(name)
}

/// Removes tags (known elements only) and the contents of script and style;
/// block elements become spaces so words do not run together.
pub fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // Bytes, not chars: `str::find(char)` compares each hit with memcmp.
    let find = |hay: &str, b: u8| memchr::memchr(b, hay.as_bytes());
    while let Some(i) = find(rest, b'<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if after.starts_with("!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        if let Some(cdata) = after.strip_prefix("![CDATA[") {
            let end = cdata.find("]]>").unwrap_or(cdata.len());
            out.push_str(&cdata[..end]);
            rest = cdata.get(end + 3..).unwrap_or("");
            continue;
        }
        if after.get(..8).is_some_and(|d| d.eq_ignore_ascii_case("!doctype")) {
            rest = after.find('>').map_or("", |e| &after[e + 1..]);
            continue;
        }
        match tag_name(after) {
            Some(name) if is_known_tag(name.as_str()) => {
                let name = name.as_str();
                let close = find(after, b'>').map_or(after.len(), |e| e + 1);
                let closing = after.starts_with('/');
                rest = &after[close..];
                if !closing && (name == "script" || name == "style") {
                    let end_tag = format!("</{name}");
                    let lower = rest.to_ascii_lowercase();
                    rest = lower.find(&end_tag).map_or("", |e| {
                        let tail = &rest[e..];
                        tail.find('>').map_or("", |g| &tail[g + 1..])
                    });
                }
                if is_block(name) {
                    out.push(' ');
                }
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_spaces_are_found_at_any_place_of_a_block() {
        for len in 0..140 {
            assert!(!has_control_space(&vec![b' '; len]));
            for at in 0..len {
                // The range's edges, and its bytes with the high bit set.
                for b in (0..=0x20u8).chain([0x7f, 0x80, 0x89, 0x8d, 0xff]) {
                    let mut text = vec![b'a'; len];
                    text[at] = b;
                    assert_eq!(
                        has_control_space(&text),
                        (0x09..=0x0d).contains(&b),
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn escape_sequences_go_whole() {
        assert_eq!(
            title("A \u{1b}[31mRED\u{1b}[0m \u{7} title &amp; more", false),
            "A RED title & more"
        );
        assert_eq!(title("\u{9b}2Jclear", false), "clear");
        assert_eq!(title("set \u{1b}]0;pwned\u{7}title", false), "set title");
        assert_eq!(
            title("link \u{1b}]8;;http://evil\u{1b}\\here\u{1b}]8;;\u{1b}\\", false),
            "link here"
        );
        assert_eq!(title("clip \u{1b}]52;c;ZXZpbA==\u{7}board", false), "clip board");
        assert_eq!(
            title("bidi \u{202e}txt.exe\u{202c} \u{2067}x\u{2069}", false),
            "bidi txt.exe x"
        );
        assert_eq!(title("reset\u{1b}c now", false), "reset now");
    }

    #[test]
    fn markup_and_entities() {
        assert_eq!(
            title("Q&amp;A <b>bold</b> &eacute;t&eacute;&nbsp;x", true),
            "Q&A bold été x"
        );
        assert_eq!(title("<antirez> on Redis", false), "<antirez> on Redis");
        assert_eq!(title("Nvidia <em>plunges</em> 17%", false), "Nvidia plunges 17%");
        assert_eq!(title("a < b and c > d", false), "a < b and c > d");
    }

    #[test]
    fn summaries_are_plain_text() {
        let html = "<p>First&nbsp;para.</p><p>Second <a href='x'>link</a>.</p><script>alert(1)</script><style>p{}</style>end";
        assert_eq!(summary(html), "First para. Second link. end");
        assert_eq!(summary("<!-- c -->x<![CDATA[ y ]]>z"), "x y z");
    }

    #[test]
    fn capped_with_an_ellipsis() {
        let long = "word ".repeat(100);
        let t = title(&long, false);
        assert_eq!(t.chars().count(), TITLE_MAX);
        assert!(t.ends_with('…'));
        assert_eq!(cap("short", 10), "short");
    }

    proptest::proptest! {
        /// The byte scans say what the character tests say, on any text (controls,
        /// C1, bidi marks, curly quotes and Unicode spaces included).
        #[test]
        fn byte_scans_agree_with_the_characters(
            s in "[ a\\t\\n\\x0b\\x0c\\r\\x00\\x1b\\x7f\\u{80}\\u{85}\\u{9f}\\u{a0}\\u{61c}\\u{200b}-\\u{2010}\\u{2019}\\u{2028}\\u{202a}-\\u{202f}\\u{205f}\\u{2066}-\\u{2069}\\u{3000}é]{0,12}"
        ) {
            let by_chars = s.chars().any(|c| c.is_control() || is_bidi_control(c));
            proptest::prop_assert_eq!(needs_safe(s.as_bytes()), by_chars);
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse(&s), words.join(" "));
        }
    }
}
