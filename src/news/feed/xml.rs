//! RSS (0.90 to 2.0, RDF) and Atom (0.3, 1.0) in one streaming pass over
//! quick-xml's events. Only what a headline needs is kept, and ill-formed input
//! keeps what was readable: names need not match, an error skips ahead, and a
//! document that ends early still gives the items it began.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::QName;
use reqwest::Url;

use super::charset::windows_1252_for_c1;
use super::item::{Field, ItemBuilder, Role};
use super::lex::{self, Lexer};
use super::ns::{Ns, Scope};
use super::{Document, Format, ReadError};

/// Errors tolerated before a document is given up as unreadable from there on.
const MAX_ERRORS: usize = 64;

pub fn read(text: &str, base: &Url) -> Result<Document, ReadError> {
    let mut lexer = Lexer::new(text);
    let document = lexer.document();
    let mut walk = Walk::new(base.clone());
    let mut errors = 0;
    for event in &mut lexer {
        match event {
            Ok(event) => walk.event(event)?,
            Err(broken) => {
                walk.repaired = true;
                errors += 1;
                let rest = document.get(broken.at..).unwrap_or("");
                if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                    // Unclosed at the end: the text is still the text.
                    walk.text(cdata);
                    break;
                }
                tracing::trace!(at = broken.at, "ill-formed feed");
                if errors > MAX_ERRORS || broken.fatal {
                    break;
                }
            }
        }
    }
    walk.finish()
}

/// Where the walk is: one entry per open element.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    /// Outside any item.
    Outside,
    Item,
    /// An element inside an item whose children may still be fields (media:group).
    Container,
    /// Collecting text for a field.
    Field(Field),
    /// Markup inside a field: its text belongs to the field.
    Inner,
    /// Inside an item but of no interest (an image's title is not the item's).
    Skip,
}

struct Walk {
    format: Option<Format>,
    /// The open elements: what each is for, and a hash of its local name to
    /// match end tags by.
    stack: Vec<(Ctx, u64)>,
    /// xml:base in effect, with the depth it was set at.
    bases: Vec<(usize, Url)>,
    item: Option<ItemBuilder>,
    text: String,
    /// Names of the open elements inside a field, to close them in the text.
    inner: Vec<String>,
    scope: Scope,
    doc: Document,
    repaired: bool,
}

impl Walk {
    fn new(base: Url) -> Self {
        Self {
            format: None,
            stack: Vec::with_capacity(16),
            bases: vec![(0, base)],
            item: None,
            text: String::new(),
            inner: Vec::new(),
            scope: Scope::default(),
            doc: Document::default(),
            repaired: false,
        }
    }

    fn top(&self) -> Ctx {
        self.stack.last().map_or(Ctx::Outside, |s| s.0)
    }

    fn event(&mut self, event: Event) -> Result<(), ReadError> {
        match event {
            Event::Start(e) => {
                self.start(&e)?;
            }
            Event::Empty(e) => {
                if self.start(&e)? {
                    self.end_one();
                }
            }
            Event::End(e) => self.end(e.name().0),
            Event::Text(t) => self.text(&t),
            Event::CData(t) => self.text(&t),
            Event::GeneralRef(r) => {
                // XML knows five entities; HTML's (&eacute;) and broken references
                // make the document ill-formed even where they can be read.
                let mut sink = String::new();
                let out = if self.collecting() {
                    &mut self.text
                } else {
                    &mut sink
                };
                self.repaired |= !push_reference(out, &r);
            }
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Comment(_) | Event::Eof => {}
        }
        Ok(())
    }

    fn collecting(&self) -> bool {
        matches!(self.top(), Ctx::Field(_) | Ctx::Inner)
    }

    fn text(&mut self, t: &str) {
        if self.collecting() {
            self.text.push_str(t);
        }
    }

    /// Opens an element; false when it was no element at all.
    fn start(&mut self, e: &BytesStart) -> Result<bool, ReadError> {
        let qname = e.name().0;
        if !qname.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            // "a < b", "x <1> y": text its generator forgot to escape, not markup.
            self.repaired = true;
            if self.collecting() {
                self.text.push('<');
                self.text.push_str(e);
                self.text.push('>');
            }
            return Ok(false);
        }
        let (ns, local) = self.scope.resolve(qname);
        if is_item(ns, local) && !self.collecting() && self.stack.iter().any(|s| s.0 == Ctx::Item) {
            // An item that never closed ends where the next one begins.
            self.repaired = true;
            while self.stack.iter().any(|s| s.0 == Ctx::Item) {
                self.end_one();
            }
        }
        let depth = self.stack.len() + 1;
        let attrs = Attrs::of(e, &mut self.scope, depth);
        // Its own declarations can change what the element's name means.
        let (ns, local) = if attrs.declares {
            self.scope.resolve(qname)
        } else {
            (ns, local)
        };
        if self.format.is_none() {
            self.format = Some(root_format(ns, local, e)?);
        }
        if let Some(b) = &attrs.base {
            // A base that cannot be read is ignored, as feedparser does.
            if let Ok(url) = base_of(&self.bases).join(b.trim()) {
                self.bases.push((depth, url));
            }
        }
        let ctx = match self.top() {
            Ctx::Outside if is_item(ns, local) => {
                self.item = Some(ItemBuilder::default());
                if let (Some(item), Some(about)) = (&mut self.item, &attrs.about) {
                    item.about(about.trim(), base_of(&self.bases));
                }
                Ctx::Item
            }
            Ctx::Outside => Ctx::Outside,
            Ctx::Item | Ctx::Container => match Field::of(ns, local, self.top() == Ctx::Container) {
                Role::Field(Field::Link) if attrs.href.is_some() => {
                    let href = attrs.href.as_deref().unwrap_or_default();
                    let rel = attrs.rel.as_deref().unwrap_or("alternate");
                    let base = base_of(&self.bases);
                    if let Some(item) = &mut self.item {
                        item.atom_link(rel.trim(), href.trim(), base);
                    }
                    Ctx::Skip
                }
                Role::Field(f) => {
                    self.text.clear();
                    self.inner.clear();
                    if let Some(item) = &mut self.item {
                        item.attributes(f, attrs.kind.as_deref(), attrs.permalink.as_deref());
                    }
                    Ctx::Field(f)
                }
                Role::Container => Ctx::Container,
                Role::Ignore => Ctx::Skip,
            },
            Ctx::Field(_) | Ctx::Inner => {
                // Markup inside a field (XHTML content, or HTML left unescaped):
                // kept as tags for the cleaner, which knows which ones break words.
                self.text.push('<');
                self.text.push_str(local);
                self.text.push('>');
                self.inner.push(local.to_string());
                Ctx::Inner
            }
            Ctx::Skip => Ctx::Skip,
        };
        self.stack.push((ctx, name_hash(local)));
        Ok(true)
    }

    /// Closes the element an end tag names, and any left open inside it; an end
    /// tag that closes nothing open is ignored.
    fn end(&mut self, qname: &str) {
        // The local name: names are short, a byte scan beats a char searcher.
        let local = qname
            .bytes()
            .rposition(|b| b == b':')
            .map_or(qname, |i| &qname[i + 1..]);
        let hash = name_hash(local);
        match self.stack.iter().rposition(|s| s.1 == hash) {
            Some(at) => {
                self.repaired |= at + 1 != self.stack.len();
                while self.stack.len() > at {
                    self.end_one();
                }
            }
            None => self.repaired = true,
        }
    }

    fn end_one(&mut self) {
        let depth = self.stack.len();
        let Some((ctx, _)) = self.stack.pop() else {
            return;
        };
        match ctx {
            Ctx::Field(f) => {
                let base = base_of(&self.bases);
                if let Some(item) = &mut self.item {
                    item.field(f, &self.text, base);
                }
                self.text.clear();
            }
            Ctx::Inner => {
                // The closing tag, so block elements still separate words.
                if let Some(name) = self.inner.pop() {
                    self.text.push_str("</");
                    self.text.push_str(&name);
                    self.text.push('>');
                }
            }
            Ctx::Item => self.finish_item(),
            _ => {}
        }
        while self.bases.len() > 1 && self.bases.last().is_some_and(|b| b.0 >= depth) {
            self.bases.pop();
        }
        self.scope.leave(depth);
    }

    fn finish_item(&mut self) {
        if let Some(item) = self.item.take() {
            match item.build() {
                Some(i) => self.doc.items.push(i),
                None => self.doc.skipped += 1,
            }
        }
    }

    fn finish(mut self) -> Result<Document, ReadError> {
        let Some(format) = self.format else {
            return Err(ReadError::Empty);
        };
        if !self.stack.is_empty() {
            // Ended inside an element: keep what was begun.
            self.repaired = true;
            while self.top() != Ctx::Outside && !self.stack.is_empty() {
                self.end_one();
            }
        }
        self.doc.format = Some(format);
        self.doc.repaired |= self.repaired;
        Ok(self.doc)
    }
}

/// The xml:base in effect: the innermost one set, else the document's.
fn base_of(bases: &[(usize, Url)]) -> &Url {
    &bases.last().expect("the document's base is never popped").1
}

/// FNV-1a of a name: end tags are matched by it without keeping the names.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn is_item(ns: Ns, local: &str) -> bool {
    matches!(ns, Ns::Core | Ns::Atom03) && (local == "item" || local == "entry")
}

fn root_format(ns: Ns, local: &str, e: &BytesStart) -> Result<Format, ReadError> {
    let version = e.try_get_attribute("version").ok().flatten().and_then(|a| {
        a.normalized_value(XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.trim().to_string())
    });
    Ok(match local {
        "rss" => match version.as_deref() {
            Some("2.0") | Some("2.0.1") | Some("2") => Format::Rss20,
            Some("0.91") => Format::Rss091,
            Some("0.92") => Format::Rss092,
            Some("0.93") => Format::Rss093,
            Some("0.94") => Format::Rss094,
            _ => Format::Rss,
        },
        // RSS 0.90 and 1.0 differ by the namespace their elements are in.
        "RDF"
            if e.attributes()
                .flatten()
                .any(|a| a.value.ends_with("rdf/simple/0.9/")) =>
        {
            Format::Rss090
        }
        "RDF" => Format::Rss10,
        "channel" => Format::Rss,
        // A lone Atom entry is a feed of one.
        "feed" | "entry" if ns == Ns::Atom03 || version.as_deref() == Some("0.3") => Format::Atom03,
        "feed" | "entry" => Format::Atom10,
        other => return Err(ReadError::NotAFeed(clean_name(other))),
    })
}

/// The attributes a feed reader looks at, read in one pass over the element's
/// (most elements have none); namespace declarations go to `scope` on the way.
#[derive(Default)]
struct Attrs<'a> {
    base: Option<Cow<'a, str>>,
    about: Option<Cow<'a, str>>,
    href: Option<Cow<'a, str>>,
    rel: Option<Cow<'a, str>>,
    kind: Option<Cow<'a, str>>,
    permalink: Option<Cow<'a, str>>,
    /// The element declares a namespace.
    declares: bool,
}

impl<'a> Attrs<'a> {
    fn of(e: &'a BytesStart, scope: &mut Scope, depth: usize) -> Self {
        let mut attrs = Self::default();
        let content: &'a str = e;
        for (key, value) in lex::attributes(content, e.name().0.len()) {
            let slot = match key {
                "xml:base" => &mut attrs.base,
                "rdf:about" => &mut attrs.about,
                "href" => &mut attrs.href,
                "rel" => &mut attrs.rel,
                "type" => &mut attrs.kind,
                "isPermaLink" => &mut attrs.permalink,
                "xmlns" => {
                    scope.declare("", value, depth);
                    attrs.declares = true;
                    continue;
                }
                _ => {
                    if let Some(prefix) = key.strip_prefix("xmlns:") {
                        scope.declare(prefix, value, depth);
                        attrs.declares = true;
                    }
                    continue;
                }
            };
            if slot.is_none() {
                *slot = Some(normalized(key, value));
            }
        }
        attrs
    }
}

/// An attribute's value with XML's entities resolved and its line breaks and
/// tabs as spaces (quick-xml's rules); as written when a reference cannot be read.
fn normalized<'a>(key: &'a str, value: &'a str) -> Cow<'a, str> {
    if !value.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\r' | b'\n')) {
        return Cow::Borrowed(value);
    }
    let a = Attribute {
        key: QName(key),
        value: Cow::Borrowed(value),
    };
    a.normalized_value(XmlVersion::Implicit1_0)
        .unwrap_or(Cow::Borrowed(value))
}

/// An element's name fit for a message.
fn clean_name(name: &str) -> String {
    crate::clean::line(name, 40)
}

/// An entity or character reference as the character it means; an unknown one
/// is kept as written. False when the reference is not well-formed XML.
fn push_reference(out: &mut String, r: &BytesRef) -> bool {
    let name: &str = r;
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) if c != '\0' => {
                out.push(windows_1252_for_c1(c));
                true
            }
            _ => {
                out.push('&');
                out.push_str(name);
                out.push(';');
                false
            }
        };
    }
    match name {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        _ => {
            // HTML's named entities are everywhere in feeds (&eacute;, &nbsp;).
            let written = format!("&{name};");
            let decoded = html_escape::decode_html_entities(&written);
            out.push_str(&decoded);
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::news::feed::Item;

    fn doc(text: &str) -> Document {
        read(text, &Url::parse("http://example.com/feeds/a.xml").unwrap()).unwrap()
    }

    fn items(text: &str) -> Vec<Item> {
        doc(text).items
    }

    fn link(i: &Item) -> Option<&str> {
        i.link.as_ref().map(crate::news::feed::WebLink::as_str)
    }

    #[test]
    fn every_rss_version_and_none() {
        for (v, f) in [
            ("0.91", Format::Rss091),
            ("0.92", Format::Rss092),
            ("0.93", Format::Rss093),
            ("0.94", Format::Rss094),
            ("2.0", Format::Rss20),
        ] {
            let d = doc(&format!(
                "<rss version='{v}'><channel><item><title>T</title></item></channel></rss>"
            ));
            assert_eq!((d.format, d.items.len()), (Some(f), 1), "{v}");
        }
        let d = doc("<rss><channel><item><title>T</title></item></channel></rss>");
        assert_eq!(d.format, Some(Format::Rss));
    }

    #[test]
    fn rdf_items_link_from_about_and_rss090_by_namespace() {
        let rdf = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
            <channel><title>C</title></channel>
            <item rdf:about="http://example.com/a"><title>A</title></item></rdf:RDF>"#;
        let d = doc(rdf);
        assert_eq!(d.format, Some(Format::Rss10));
        assert_eq!(link(&d.items[0]), Some("http://example.com/a"));
        assert_eq!(d.items[0].id.as_deref(), Some("http://example.com/a"));
        let old = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://channel.netscape.com/rdf/simple/0.9/">
            <item><title>Old</title><link>http://example.com/o</link></item></rdf:RDF>"#;
        let d = doc(old);
        assert_eq!(d.format, Some(Format::Rss090));
        assert_eq!(d.items[0].title.as_deref(), Some("Old"));
    }

    #[test]
    fn atom_03_and_a_lone_entry() {
        let d = doc(
            r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>A</title><issued>2004-01-01T00:00:00Z</issued></entry></feed>"#,
        );
        assert_eq!(d.format, Some(Format::Atom03));
        assert!(d.items[0].published.is_some());
        let d = doc(r#"<entry xmlns="http://www.w3.org/2005/Atom"><title>Alone</title></entry>"#);
        assert_eq!(d.items[0].title.as_deref(), Some("Alone"));
    }

    #[test]
    fn titles_and_dates_from_other_vocabularies() {
        let i = items(
            r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dcterms="http://purl.org/dc/terms/"><channel>
            <item><dc:title>From DC</dc:title><dc:date>2025-01-27T10:11:00Z</dc:date></item>
            <item><media:group><media:title>Video</media:title><media:description>Preview</media:description></media:group><dcterms:modified>2025-01-27</dcterms:modified></item>
            </channel></rss>"#,
        );
        assert_eq!(i[0].title.as_deref(), Some("From DC"));
        assert!(i[0].published.is_some());
        assert_eq!(i[1].title.as_deref(), Some("Video"));
        assert_eq!(i[1].summary.as_deref(), Some("Preview"));
        assert!(i[1].published.is_some());
    }

    #[test]
    fn an_image_title_is_not_the_item_title() {
        let i = items(
            "<feed xmlns='http://www.w3.org/2005/Atom'><entry><image><title>No</title></image><title>Yes</title></entry></feed>",
        );
        assert_eq!(i[0].title.as_deref(), Some("Yes"));
    }

    #[test]
    fn the_first_web_alternate_link_resolved_against_xml_base() {
        let i = items(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/"><entry>
            <link rel="alternate" href="gemini://example.org/post"/><link rel="self" href="/self"/>
            <link href="2025/post"/><title>T</title></entry></feed>"#,
        );
        assert_eq!(link(&i[0]), Some("http://example.org/blog/2025/post"));
        let i = items(
            "<rss version='2.0'><channel><item><title>T</title><link>/rel</link></item></channel></rss>",
        );
        assert_eq!(link(&i[0]), Some("http://example.com/rel"));
    }

    #[test]
    fn a_permalink_guid_or_url_id_is_the_link_when_there_is_none() {
        let i = items("<rss version='2.0'><channel><item><guid>http://example.com/g</guid><title>T</title></item>
            <item><guid isPermaLink='false'>http://example.com/h</guid><title>U</title></item></channel></rss>");
        assert_eq!(link(&i[0]), Some("http://example.com/g"));
        assert_eq!(link(&i[1]), None);
        assert_eq!(i[1].id.as_deref(), Some("http://example.com/h"));
    }

    #[test]
    fn items_with_nothing_to_show_are_counted_not_kept() {
        let d = doc(
            "<rss version='2.0'><channel><item><pubDate>Mon, 27 Jan 2025 05:11:00 EST</pubDate></item><item><description>Only text</description></item></channel></rss>",
        );
        assert_eq!((d.items.len(), d.skipped), (1, 1));
        assert_eq!(d.items[0].title, None);
        assert_eq!(d.items[0].summary.as_deref(), Some("Only text"));
    }

    #[test]
    fn entities_html_ones_and_windows_1252_references() {
        assert!(doc("<rss><channel><item><title>caf&eacute;</title></item></channel></rss>").repaired);
        assert!(!doc("<rss><channel><item><title>a &amp; &#8217;</title></item></channel></rss>").repaired);
        let i = items(
            "<rss version='2.0'><channel><item><title>caf&eacute; don&#146;t &#x2014; &bogus; &#xZZ; AT&T</title></item></channel></rss>",
        );
        assert_eq!(i[0].title.as_deref(), Some("café don’t — &bogus; &#xZZ; AT&T"));
    }

    #[test]
    fn xhtml_markup_stays_markup_for_the_cleaner() {
        let i = items(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">safe<script>x()</script> <b>bold</b></div></title></entry></feed>"#,
        );
        assert_eq!(
            i[0].title.as_deref(),
            Some("<div>safe<script>x()</script> <b>bold</b></div>")
        );
        assert!(i[0].title_html);
    }

    #[test]
    fn ill_formed_documents_keep_what_was_readable() {
        let d = doc("<rss version='2.0'><channel><item><title>One</title></item><item><title>Two</title>");
        assert_eq!(d.items.len(), 2);
        assert!(d.repaired);
        let d = doc("<rss version='2.0'><channel><item><title><![CDATA[Cut off");
        assert_eq!(d.items[0].title.as_deref(), Some("Cut off"));
        assert!(d.repaired);
        let d = doc(
            "<rss version='2.0'><channel><item><title>A</b></title></item><item><title>B</title></item></channel></rss>",
        );
        assert_eq!(d.items.len(), 2);
        // Unescaped "<", an item never closed, a tag never closed: the rest still reads.
        let d = doc("<rss version='2.0'><channel><item><title>a < b</title></item>\
            <item><title>x <1> y</title><item><title>Third <b>bold</title></item>\
            <item><title>Fourth</title></item></channel></rss>");
        let titles: Vec<_> = d.items.iter().map(|i| i.title.as_deref().unwrap_or("")).collect();
        assert_eq!(
            titles,
            ["a < b</title>", "x <1> y", "Third <b>bold</b>", "Fourth"]
        );
        assert!(d.repaired);
    }

    #[test]
    fn what_is_not_a_feed_says_what_it_is() {
        let e = read("<html><body>hi</body></html>", &Url::parse("http://x/").unwrap()).unwrap_err();
        assert_eq!(e, ReadError::NotAFeed("html".into()));
        let e = read("<opml version='2.0'/>", &Url::parse("http://x/").unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the document's root element is <opml>, not rss, RDF or feed"
        );
        assert_eq!(
            read("just text", &Url::parse("http://x/").unwrap()).unwrap_err(),
            ReadError::Empty
        );
    }
}
