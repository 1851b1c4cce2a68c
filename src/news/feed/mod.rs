//! Reading a feed document as the web writes it: any encoding, RSS 0.90 to 2.0,
//! RDF, Atom 0.3 and 1.0, JSON Feed; ill-formed documents keep what was
//! readable. The rules follow feedparser, the most lenient reader in wide use;
//! `tests/corpus.rs` checks them against its reading of real feeds.

mod charset;
mod date;
mod item;
mod json;
mod lex;
mod ndaq;
mod ns;
mod weblink;
mod xml;

use chrono::{DateTime, Utc};
use reqwest::Url;

pub use ndaq::{Ndaq, NdaqField};
pub use weblink::WebLink;

/// What the HTTP answer said about the document.
#[derive(Debug, Default, Clone, Copy)]
pub struct Meta<'a> {
    pub content_type: Option<&'a str>,
    /// Relative links resolve against this, when the server gave it.
    pub content_location: Option<&'a str>,
}

/// One item or entry: the raw text of what a headline is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: Option<String>,
    pub title: Option<String>,
    /// The title was declared HTML (Atom `type="html"` or `"xhtml"`).
    pub title_html: bool,
    /// The first http(s) page of the item, resolved.
    pub link: Option<WebLink>,
    /// Text or HTML.
    pub summary: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// Nasdaq Trader's fields, when the item has any (its halt feed).
    pub ndaq: Option<Box<Ndaq>>,
}

/// The kind of document, named as feedparser names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Rss090,
    Rss091,
    Rss092,
    Rss093,
    Rss094,
    Rss10,
    Rss20,
    Atom03,
    Atom10,
    Json10,
    Json11,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Self::Rss => "rss",
            Self::Rss090 => "rss090",
            Self::Rss091 => "rss091",
            Self::Rss092 => "rss092",
            Self::Rss093 => "rss093",
            Self::Rss094 => "rss094",
            Self::Rss10 => "rss10",
            Self::Rss20 => "rss20",
            Self::Atom03 => "atom03",
            Self::Atom10 => "atom10",
            Self::Json10 => "json10",
            Self::Json11 => "json11",
        }
    }
}

#[derive(Debug, Default)]
pub struct Document {
    pub format: Option<Format>,
    pub items: Vec<Item>,
    /// Items with nothing to show (no title, text or link).
    pub skipped: usize,
    /// The document was ill-formed or mis-encoded and was read as well as it could be.
    pub repaired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("expected a feed, got an HTML page")]
    Html,
    #[error("the document's root element is <{0}>, not rss, RDF or feed")]
    NotAFeed(String),
    #[error("the document has no elements")]
    Empty,
    #[error("not a JSON Feed: {0}")]
    Json(String),
}

/// Reads a document fetched from `url`.
pub fn read(bytes: &[u8], meta: Meta, url: &Url) -> Result<Document, ReadError> {
    let decoded = charset::decode(bytes, meta.content_type);
    let base = meta
        .content_location
        .and_then(|l| url.join(l.trim()).ok())
        .unwrap_or_else(|| url.clone());
    let text = decoded
        .text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let result = if text.starts_with('{') {
        json::read(text, &base)
    } else {
        xml::read(text, &base)
    };
    let mut doc = result.map_err(|e| match e {
        ReadError::NotAFeed(root) if root.eq_ignore_ascii_case("html") => ReadError::Html,
        ReadError::NotAFeed(_) | ReadError::Empty if crate::sniff::looks_like_html(bytes) => ReadError::Html,
        e => e,
    })?;
    doc.repaired |= decoded.repaired;
    Ok(doc)
}
