//! An item's web page as the URL standard writes it, read without the `url`
//! crate when the feed already wrote it that way.
//!
//! Most feeds give every item an absolute link in the form the standard would
//! write it anyway ("https://news.example.com/2025/01/27/story?id=7"). Parsing
//! each with `Url::join` (IDNA for the host, the path's segments, a new string)
//! was 10.6% of the parse threads' CPU in a cold `once` of 200 feeds x 50
//! items: about 450 ns a link. A link the conservative grammar below accepts is
//! kept as it was written; anything else (relative, upper case host, port,
//! user, dot segments, bytes the standard would escape, non-ASCII) still goes
//! through the crate. Tests hold the shortcut to the crate's own writing.

use reqwest::Url;

/// A resolved http(s) link, written as [`Url`] writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebLink(String);

impl WebLink {
    /// `href` against `base`, if that is a web page: a `gemini:` or
    /// `javascript:` link is no link to a terminal user.
    pub fn resolve(href: &str, base: &Url) -> Option<Self> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        if is_written_as_standard(href.as_bytes()) {
            return Some(Self(href.to_owned()));
        }
        let url = base.join(href).ok()?;
        matches!(url.scheme(), "http" | "https").then(|| Self(url.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The link without its fragment or tracking (utm_*) parameters: the same
    /// page from two feeds is one story. See [`crate::model::canonical_url`].
    pub fn canonical(&self) -> String {
        let text = self.0.as_str();
        // Written by the standard, an http(s) URL has no '?' before its query
        // and no '#' before its fragment: both are escaped where they are data.
        let fragment = text.find('#').unwrap_or(text.len());
        let query = text[..fragment].find('?');
        let after_path = query.unwrap_or(fragment);
        if after_path == text.len() {
            return text.to_owned();
        }
        let only_tracking = query.is_none_or(|q| crate::model::only_tracking(&text[q + 1..fragment]));
        if only_tracking {
            return text[..after_path].to_owned();
        }
        match Url::parse(text) {
            Ok(url) => crate::model::canonical_url(&url),
            Err(_) => text.to_owned(),
        }
    }
}

impl From<WebLink> for String {
    fn from(l: WebLink) -> Self {
        l.0
    }
}

/// Bytes kept as they are in each part: ASCII letters and digits, and these.
const PATH: &[bool; 256] = &kept_as_is(b"-._~!$&'()*+,;=:@/");
const QUERY: &[bool; 256] = &kept_as_is(b"-._~!$&()*+,;=:@/?");
const FRAGMENT: &[bool; 256] = &kept_as_is(b"-._~!$&'()*+,;=:@/?");

/// A table of the bytes a part keeps: looked up once a byte, where a search of
/// the list for each byte made the test two fifths of the shortcut's cost.
const fn kept_as_is(also: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < also.len() {
        table[also[i] as usize] = true;
        i += 1;
    }
    table
}

/// Whether the `url` crate would write `href` exactly as it is: "http://" or
/// "https://", a host of lower-case ASCII labels whose last starts with a
/// letter (so not an address) and none is punycode, no port or user, a path of
/// no dot segments, then an optional query and fragment, every byte one the
/// standard leaves alone in its part and every '%' an escape.
fn is_written_as_standard(href: &[u8]) -> bool {
    let rest = match href {
        [b'h', b't', b't', b'p', b's', b':', b'/', b'/', rest @ ..] => rest,
        [b'h', b't', b't', b'p', b':', b'/', b'/', rest @ ..] => rest,
        _ => return false,
    };
    let host_end = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
    let (host, rest) = rest.split_at(host_end);
    if !is_plain_host(host) || rest.is_empty() {
        return false;
    }
    let fragment = rest.iter().position(|&b| b == b'#').unwrap_or(rest.len());
    let (rest, fragment) = rest.split_at(fragment);
    let query = rest.iter().position(|&b| b == b'?').unwrap_or(rest.len());
    let (path, query) = rest.split_at(query);
    path.split(|&b| b == b'/').all(|s| !is_dot_segment(s))
        && kept(path, PATH)
        && query.get(1..).is_none_or(|q| kept(q, QUERY))
        && fragment.get(1..).is_none_or(|f| kept(f, FRAGMENT))
}

fn is_plain_host(host: &[u8]) -> bool {
    let mut labels = host.split(|&b| b == b'.');
    let all_plain = labels.all(|l| {
        !l.is_empty()
            && !l.starts_with(b"xn--")
            && l.iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let last_is_a_name = host
        .rsplit(|&b| b == b'.')
        .next()
        .and_then(|l| l.first())
        .is_some_and(u8::is_ascii_lowercase);
    all_plain && last_is_a_name
}

/// "." or ".." in any spelling the standard reads as one ("%2e", ".%2E").
fn is_dot_segment(s: &[u8]) -> bool {
    let dot = |p: &[u8]| p == b"." || p.eq_ignore_ascii_case(b"%2e");
    match s.len() {
        1 | 3 => dot(s),
        2 => s == b"..",
        4 => (dot(&s[..1]) && dot(&s[1..])) || (dot(&s[..3]) && dot(&s[3..])),
        6 => dot(&s[..3]) && dot(&s[3..]),
        _ => false,
    }
}

fn kept(part: &[u8], table: &[bool; 256]) -> bool {
    let mut i = 0;
    while let Some(&b) = part.get(i) {
        if b == b'%' {
            if !part
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !table[usize::from(b)] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://feed.example.org/news/rss.xml").unwrap()
    }

    /// What the crate makes of `href` against the base, the long way.
    fn by_crate(href: &str) -> Option<String> {
        let url = base().join(href.trim()).ok()?;
        matches!(url.scheme(), "http" | "https").then(|| url.into())
    }

    #[test]
    fn plain_links_are_kept_and_the_rest_resolved() {
        for (href, fast) in [
            ("https://news.example.com/2025/01/27/story?id=7#top", true),
            ("http://a.b/c;d=e/f:g@h~i_j.k-l!m$n&o'p(q)r*s+t,u", true),
            ("https://example.com/a%20b?q=%E2%82%AC&x=y/z?w", true),
            ("https://example.com/.well-known/x/..y/z..", true),
            ("https://1st.example/x", true),
            ("HTTPS://Example.COM/a", false),
            ("https://example.com", false),
            ("https://example.com?q", false),
            ("https://example.com:443/a", false),
            ("https://example.com:8080/a", false),
            ("https://user@example.com/a", false),
            ("https://127.0.0.1/a", false),
            ("https://0x7f.1/a", false),
            ("https://example.123/a", false),
            ("https://xn--nxasmq6b.example/a", false),
            ("https://a..b/c", false),
            ("https://example.com./a", false),
            ("https://example.com/a/../b", false),
            ("https://example.com/a/%2E%2e/b", false),
            ("https://example.com/a/.%2E", false),
            ("https://example.com/a/./b", false),
            ("https://example.com/a b", false),
            ("https://example.com/a\\b", false),
            ("https://example.com/a|b", false),
            ("https://example.com/a%zz", false),
            ("https://example.com/a%2", false),
            ("https://example.com/a?it's", false),
            ("https://example.com/a#x#y", false),
            ("https://example.com/é", false),
            ("/relative/path", false),
            ("story.html", false),
            ("http:/one-slash.example/a", false),
            ("https:///three.example/a", false),
        ] {
            assert_eq!(is_written_as_standard(href.as_bytes()), fast, "{href}");
            assert_eq!(
                WebLink::resolve(href, &base()).map(String::from),
                by_crate(href),
                "{href}"
            );
        }
        assert_eq!(WebLink::resolve("gemini://x.example/a", &base()), None);
        assert_eq!(WebLink::resolve("  ", &base()), None);
        assert_eq!(
            WebLink::resolve(" /a/../b ", &base())
                .map(String::from)
                .as_deref(),
            Some("https://feed.example.org/b")
        );
    }

    #[test]
    fn the_canonical_form_is_the_url_rule() {
        for href in [
            "https://example.com/a",
            "https://example.com/a?utm_source=rss",
            "https://example.com/a?utm_source=rss&UTM_medium=x#frag",
            "https://example.com/a?id=7&utm_source=rss",
            "https://example.com/a?x#f?g",
            "https://example.com/a#only",
            "https://example.com/a?",
            "https://example.com/a?&&",
            "HTTPS://Example.COM:443/a/./b?utm_x=1&k=%41#top",
        ] {
            let link = WebLink::resolve(href, &base()).unwrap();
            let url = Url::parse(href).unwrap();
            assert_eq!(link.canonical(), crate::model::canonical_url(&url), "{href}");
        }
    }

    use proptest::prelude::*;

    /// Mostly bytes a part may hold as they are, now and then one it may not.
    fn part(kept: &'static str, pieces: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            12 => proptest::string::string_regex(kept).unwrap(),
            2 => "%[0-9a-fA-F]{2}",
            1 => "%[0-9a-fA-FgG]{0,2}",
            1 => "%2[eE]|\\.\\.?",
            1 => "[|^`{}\\[\\]\" <>\\\\#?'\t]|é",
        ];
        proptest::collection::vec(piece, pieces).prop_map(|p| p.concat())
    }

    fn link() -> impl Strategy<Value = String> {
        let scheme = prop_oneof![8 => "https?://", 1 => "HTTP://|http:/|https:///|ftp://"];
        let label = prop_oneof![
            8 => "[a-z][a-z0-9-]{0,5}",
            1 => "[0-9]{1,3}|0x[0-9a-f]{1,2}|xn--[a-z]{1,3}|[A-Z]{1,2}|é|%41|",
        ];
        let host = proptest::collection::vec(label, 1..4).prop_map(|l| l.join("."));
        let port = prop_oneof![8 => Just(String::new()), 1 => ":[0-9]{0,4}|@"];
        let segment = part("[a-zA-Z0-9._~'!$&()*+,;=:@-]", 0..5);
        let path = proptest::collection::vec(segment, 0..4)
            .prop_map(|s| s.iter().map(|s| format!("/{s}")).collect::<String>());
        let query = proptest::option::of(prop_oneof![
            3 => part("[a-zA-Z0-9._~!$&()*+,;=:@/?-]", 0..6),
            1 => "utm_[a-z]{1,3}=[a-z]{0,2}(&[a-z]{1,2}=[a-z0-9]{0,2})?",
        ]);
        let fragment = proptest::option::of(part("[a-zA-Z0-9._~'!$&()*+,;=:@/?-]", 0..4));
        (scheme, host, port, path, query, fragment).prop_map(|(s, h, p, path, q, f)| {
            let q = q.map(|q| format!("?{q}")).unwrap_or_default();
            let f = f.map(|f| format!("#{f}")).unwrap_or_default();
            format!("{s}{h}{p}{path}{q}{f}")
        })
    }

    proptest! {
        /// Whatever the shortcut keeps, the crate writes the same way, and the
        /// canonical form is the crate's; whatever it leaves, the crate resolves.
        #[test]
        fn the_shortcut_writes_what_the_crate_writes(href in link()) {
            if is_written_as_standard(href.as_bytes()) {
                let url = Url::parse(&href);
                prop_assert!(url.is_ok(), "{} fails: {:?}", href, url);
                let url = url.unwrap();
                prop_assert_eq!(url.as_str(), href.as_str());
                let link = WebLink::resolve(&href, &base()).unwrap();
                prop_assert_eq!(link.canonical(), crate::model::canonical_url(&url));
            }
            prop_assert_eq!(WebLink::resolve(&href, &base()).map(String::from), by_crate(&href));
        }
    }
}
