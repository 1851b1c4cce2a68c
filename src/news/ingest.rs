//! From a feed's raw bytes to normalised headlines (SPEC §4). The bytes go to
//! feed-rs untouched so the declared encoding is honoured.

use feed_rs::model::{Entry, Text};
use reqwest::Url;

use super::link::Linker;
use super::{Headline, canonical_url, clean, stable_hash};
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

/// Parses a feed. Items are kept in feed order; ones with neither title nor
/// summary are dropped as there is nothing to show.
pub fn parse(bytes: &[u8], feed: &FeedRef, linker: &Linker) -> Result<Vec<Headline>, IngestError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed.url.as_str()))
        // An empty id marks "the feed gave none": ours is computed below, never random.
        .id_generator(|_, _, _| String::new())
        .build();
    let parsed = crate::contain::contained(|| parser.parse(bytes))
        .map_err(|panic| {
            tracing::warn!(feed = feed.name, %panic, "the feed parser panicked");
            IngestError::Invalid("the feed parser failed on this input".into())
        })?
        .map_err(|e| {
            if crate::sniff::looks_like_html(bytes) {
                IngestError::Html
            } else {
                IngestError::Invalid(clean::cap(&clean::collapse(&clean::safe(&e.to_string())), 200))
            }
        })?;
    let id = FeedId::of(feed.url);
    Ok(parsed
        .entries
        .into_iter()
        .filter_map(|e| headline(e, feed, &id, linker))
        .collect())
}

fn is_html(t: &Text) -> bool {
    t.content_type.to_string().contains("html")
}

fn headline(e: Entry, feed: &FeedRef, feed_id: &FeedId, linker: &Linker) -> Option<Headline> {
    let summary_raw = e
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .or_else(|| e.content.as_ref().and_then(|c| c.body.clone()))
        .unwrap_or_default();
    let summary = clean::summary(&summary_raw);
    let title = match &e.title {
        Some(t) if !t.content.trim().is_empty() => clean::title(&t.content, is_html(t)),
        _ => clean::cap(&summary, 120),
    };
    let title = if title.is_empty() {
        clean::cap(&summary, 120)
    } else {
        title
    };
    if title.is_empty() {
        return None;
    }
    let url = link(&e, feed.url);
    let canonical = url.as_ref().map(canonical_url);
    let id = clean::safe(e.id.trim());
    let id = if !id.is_empty() {
        id
    } else if let Some(c) = &canonical {
        c.clone()
    } else {
        stable_hash(&[feed.url.as_str(), &title])
    };
    let symbols = linker.symbols(&title, &summary);
    Some(Headline {
        id,
        title,
        url: url.map(String::from),
        canonical,
        feed: feed.name.to_string(),
        feed_id: feed_id.clone(),
        feed_index: feed.index,
        published: e.published.or(e.updated),
        summary,
        symbols,
        read: false,
    })
}

/// The item's page: the alternate link, else the first; resolved against the
/// feed URL; http and https only.
fn link(e: &Entry, base: &Url) -> Option<Url> {
    let chosen = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| e.links.first())?;
    let base = e
        .base
        .as_deref()
        .and_then(|b| base.join(b).ok())
        .unwrap_or_else(|| base.clone());
    resolve_link(chosen.href.trim(), &base)
}

/// `href` resolved against `base`, if the result is an http or https URL.
pub fn resolve_link(href: &str, base: &Url) -> Option<Url> {
    let url = base.join(href).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}
