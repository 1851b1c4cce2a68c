//! From a feed's raw bytes to normalised headlines (SPEC §4): [`feed`] reads
//! the document, this turns its items into cleaned, linked headlines.

use std::sync::Arc;

use reqwest::Url;

use super::feed::WebLink;
use super::feed::{self, Item, Meta, ReadError};
use super::link::Linker;
use super::{Headline, clean, stable_hash};
use crate::model::FeedId;

/// What a feed is, for ingest.
pub struct FeedRef<'a> {
    pub name: &'a str,
    pub url: &'a Url,
    pub index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("expected a feed, got an HTML page")]
    Html,
    #[error("not a feed: {0}")]
    Invalid(String),
}

/// A feed's headlines and what reading it took.
#[derive(Debug, Default)]
pub struct Ingested {
    pub headlines: Vec<Headline>,
    /// Items with nothing to show, left out.
    pub skipped: usize,
    /// The document was ill-formed or mis-encoded; what could be read was kept.
    pub repaired: bool,
}

/// The longest title made from an item's text when it has none, in characters.
const TITLE_FROM_TEXT: usize = 100;

/// Parses a feed with nothing known about how it was served.
pub fn parse(bytes: &[u8], feed: &FeedRef, linker: &Linker) -> Result<Vec<Headline>, IngestError> {
    read(bytes, Meta::default(), feed, linker).map(|i| i.headlines)
}

/// Parses a feed as served: the HTTP Content-Type's charset and Content-Location
/// count. Items are kept in feed order.
pub fn read(bytes: &[u8], meta: Meta, feed: &FeedRef, linker: &Linker) -> Result<Ingested, IngestError> {
    let doc = crate::contain::contained(|| feed::read(bytes, meta, feed.url))
        .map_err(|panic| {
            tracing::warn!(feed = feed.name, %panic, "the feed reader panicked");
            IngestError::Invalid("the feed reader failed on this input".into())
        })?
        .map_err(|e| match e {
            ReadError::Html => IngestError::Html,
            e => IngestError::Invalid(clean::line(&e.to_string(), 200)),
        })?;
    let id = FeedId::of(feed.url);
    // One name shared by the feed's headlines, not a copy each.
    let name: Arc<str> = feed.name.into();
    let mut skipped = doc.skipped;
    // Sized once: grown by doubling, 5,000 headlines were copied twice over.
    let mut headlines = Vec::with_capacity(doc.items.len());
    for item in doc.items {
        match headline(item, feed, &name, &id, linker) {
            Some(h) => headlines.push(h),
            None => skipped += 1,
        }
    }
    distinguish_reused_ids(&mut headlines);
    Ok(Ingested {
        headlines,
        skipped,
        repaired: doc.repaired,
    })
}

fn headline(
    item: Item,
    feed: &FeedRef,
    name: &Arc<str>,
    feed_id: &FeedId,
    linker: &Linker,
) -> Option<Headline> {
    let summary = item.summary.map(clean::summary_owned).unwrap_or_default();
    let title = item
        .title
        .map(|t| clean::title_owned(t, item.title_html))
        .filter(|t| !t.is_empty())
        .or_else(|| (!summary.is_empty()).then(|| first_words(&summary, TITLE_FROM_TEXT)))
        .or_else(|| {
            item.link
                .as_ref()
                .map(|l| clean::line(l.as_str(), clean::TITLE_MAX))
        })?;
    let canonical = item.link.as_ref().map(WebLink::canonical);
    let id = item.id.map(clean::id_owned).unwrap_or_default();
    let id = if !id.is_empty() {
        id
    } else if let Some(c) = &canonical {
        c.clone()
    } else {
        stable_hash(&[feed.url.as_str(), &title])
    };
    let symbols = linker.symbols(&title, &summary);
    Some(Headline {
        filing: None,
        id,
        title,
        url: item.link.map(String::from),
        canonical,
        feed: Arc::clone(name),
        feed_id: feed_id.clone(),
        feed_index: feed.index,
        published: item.published,
        summary,
        symbols,
        read: false,
    })
}

/// Within one document an id (or the URL standing in for one) shared by items
/// that differ in title or link is not an identity: the feed reused it (newsboat's
/// test feeds give five entries one id, or none and one link). Each later item
/// gets an id of its own, stable across polls (the shared id with a hash of its
/// title and link), so the store keeps both; only an exact repeat is one story.
/// Across polls and feeds the merging rules stay as they are.
fn distinguish_reused_ids(headlines: &mut [Headline]) {
    // foldhash: SipHash over every item's id was 1.3% of ingest.
    let mut first: std::collections::HashMap<&str, usize, foldhash::fast::RandomState> =
        std::collections::HashMap::with_capacity_and_hasher(headlines.len(), Default::default());
    let mut renamed: Vec<(usize, String)> = Vec::new();
    for (i, h) in headlines.iter().enumerate() {
        match first.get(h.id.as_str()) {
            None => {
                first.insert(&h.id, i);
            }
            Some(&j) => {
                let earlier = &headlines[j];
                if earlier.title != h.title || earlier.url != h.url {
                    let tag = stable_hash(&[&h.title, h.url.as_deref().unwrap_or("")]);
                    renamed.push((i, format!("{}#{tag}", h.id)));
                }
            }
        }
    }
    for (i, id) in renamed {
        headlines[i].id = id;
    }
}

/// The first words of `text`, at most `max` characters, cut between words.
fn first_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let cut = text[..end]
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0)
        .unwrap_or(end);
    format!("{}…", text[..cut].trim_end())
}
