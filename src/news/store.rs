//! The merged headline list: de-duplicated across feeds, newest first, capped.
//!
//! Two copies are one headline when they share an id or a canonical URL (but
//! entries of one feed's answer with ids of their own stay apart even when they
//! link to one page: feeds do that for live blogs and digests). The copy
//! kept is the earliest published (undated loses), ties going to the feed listed
//! first, so the result does not depend on which feed answered first and ids and
//! read marks are stable from run to run.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::Headline;

/// foldhash, seeded per process: SipHash made a third of a 10,000-headline merge
/// (the keys are ids and URLs, hashed on every insert, lookup and re-sort).
type Fast = foldhash::fast::RandomState;

#[derive(Debug, Clone, Default)]
pub struct Store {
    items: Vec<Headline>,
    /// Every id and canonical URL ever merged into an item, to its index.
    keys: HashMap<String, usize, Fast>,
    /// Other ids an item absorbed, so a read mark on any copy sticks.
    aliases: HashMap<String, Vec<String>>,
    /// The time each story dated too far ahead was first given, kept after the
    /// cap cuts the story: back in the next poll, it is not new again.
    dated_ahead: HashMap<String, DateTime<Utc>>,
}

/// What a finished store kept to find its items by id. Freeing it is 20,000
/// strings at 10,000 headlines (1.1 ms); freed on another thread, it slowed the
/// sort beside it as much: a process about to end may forget it instead.
pub struct Lookups {
    _rest: Store,
}

/// Stories dated ahead remembered at most; past it the oldest half is forgotten.
const DATED_AHEAD_MAX: usize = 10_000;

impl Store {
    pub fn items(&self) -> &[Headline] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Headline> {
        self.keys.get(id).and_then(|i| self.items.get(*i))
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.keys.get(id).copied()
    }

    /// Merges a batch; returns whether anything visible changed.
    pub fn merge(&mut self, incoming: Vec<Headline>, max: usize) -> bool {
        self.merge_all(vec![incoming], max)
    }

    /// Merges several batches (one per feed, say) and sorts once at the end; each
    /// batch's memory is freed as soon as it is taken in.
    pub fn merge_all(&mut self, batches: Vec<Vec<Headline>>, max: usize) -> bool {
        let total: usize = batches.iter().map(Vec::len).sum();
        let room = total.min(max.saturating_sub(self.items.len()));
        self.items.reserve(room);
        // An id and a URL each: growing the map step by step re-hashes every key each time.
        self.keys.reserve(2 * room);
        let mut changed = false;
        // At the cap, a story that would sort below the last one kept is gone as
        // soon as it comes: taking it in would only churn and redraw (a full poll
        // of a long feed, every time).
        let floor = (max > 0 && self.items.len() >= max).then(|| max - 1);
        for batch in batches {
            changed |= self.take_in(batch, floor);
        }
        if changed {
            self.sort_and_cap(max);
        }
        changed
    }

    /// Takes a batch in without sorting; [`Store::finish`] sorts and caps. What
    /// `merge_all` does, a batch at a time: `once` takes each feed in as it lands
    /// (while others are still on the wire) and frees it there, instead of holding
    /// every batch until the last one came.
    pub fn take(&mut self, batch: Vec<Headline>) {
        self.items.reserve(batch.len());
        self.keys.reserve(2 * batch.len());
        self.take_in(batch, None);
    }

    /// Sorts and caps what [`Store::take`] took in, and gives the headlines up,
    /// newest first. The lookups are not brought up to date, as nobody asks them
    /// any more: re-pointing 20,000 keys was a quarter of finishing `once`'s 10,000.
    pub fn finish(mut self, max: usize) -> (Vec<Headline>, Lookups) {
        let order = newest_first_order(&self.items);
        let mut items = std::mem::take(&mut self.items);
        permute(&mut items, &order);
        items.truncate(max);
        (items, Lookups { _rest: self })
    }

    /// A date more than a day ahead of `now` (the fetch) becomes `now`: a feed
    /// that dates its items in the future would otherwise stay on top, and once
    /// it filled `max_headlines` every other feed's new headlines would be
    /// dropped on arrival (and age pruning would never reach them). A story keeps
    /// the time it was first given: re-dated to every poll (or new again each
    /// time the cap had cut it), a future-dated feed would stay on top.
    pub fn settle_future_dates(&mut self, batch: &mut [Headline], now: DateTime<Utc>) {
        let limit = now + chrono::Duration::hours(super::FUTURE_SLACK_HOURS);
        for h in batch
            .iter_mut()
            .filter(|h| h.published.is_some_and(|p| p > limit))
        {
            let held = || {
                self.keys
                    .get(h.id.as_str())
                    .and_then(|&i| self.items[i].published)
            };
            let first = self
                .dated_ahead
                .get(&h.id)
                .copied()
                .or_else(held)
                .filter(|p| *p <= limit)
                .unwrap_or(now);
            h.published = Some(first);
            self.dated_ahead.insert(h.id.clone(), first);
        }
        if self.dated_ahead.len() > DATED_AHEAD_MAX {
            let mut times: Vec<DateTime<Utc>> = self.dated_ahead.values().copied().collect();
            times.sort_unstable();
            let median = times[times.len() / 2];
            self.dated_ahead.retain(|_, t| *t > median);
        }
    }

    /// Adds or folds in each copy; positions stay valid because nothing is sorted here.
    fn take_in(&mut self, incoming: Vec<Headline>, floor: Option<usize>) -> bool {
        let mut changed = false;
        // Items each feed of this batch already made or matched: one feed's entries
        // with ids of their own are distinct stories even when they link to one page.
        let mut this_answer: HashSet<(usize, usize), Fast> =
            HashSet::with_capacity_and_hasher(incoming.len(), Fast::default());
        for h in incoming {
            let by_id = self.keys.get(h.id.as_str()).copied();
            let by_url = || {
                let i = self.keys.get(h.canonical.as_deref()?).copied()?;
                (!this_answer.contains(&(i, h.feed_index))).then_some(i)
            };
            match by_id.or_else(by_url) {
                None if floor.is_some_and(|f| newest_first(&h, &self.items[f]) == Ordering::Greater) => {}
                None => {
                    let i = self.items.len();
                    self.index(&h, i);
                    this_answer.insert((i, h.feed_index));
                    self.items.push(h);
                    changed = true;
                }
                Some(i) => {
                    this_answer.insert((i, h.feed_index));
                    changed |= self.absorb(i, h);
                }
            }
        }
        changed
    }

    /// Folds a copy into item `i`, replacing it when the copy should win.
    fn absorb(&mut self, i: usize, mut h: Headline) -> bool {
        let existing = &self.items[i];
        // One story from two sources is about every symbol either linked it to:
        // Yahoo's NVDA and AMD feeds carry the same article. A copy never takes
        // symbols away, or NVDA's next answer would drop the AMD chip until
        // AMD's feed came round again. The chips keep their order.
        if existing.symbols.iter().any(|s| !h.symbols.contains(s)) {
            let mut symbols = existing.symbols.clone();
            symbols.extend(h.symbols.drain(..).filter(|s| !existing.symbols.contains(s)));
            h.symbols = symbols;
        }
        // A read mark on any copy (one restored from the cache, say) marks the story.
        let read = existing.read || h.read;
        if same_but_read(existing, &h) {
            return self.mark_if(i, read);
        }
        let wins = precedence(&h, existing) == Ordering::Less;
        let same_copy = h.id == existing.id && h.feed_index == existing.feed_index;
        let old_id = existing.id.clone();
        let old_canonical = existing.canonical.clone();
        if wins || same_copy {
            self.index(&h, i);
            if old_id != h.id {
                let mut absorbed = self.aliases.remove(&old_id).unwrap_or_default();
                absorbed.push(old_id);
                self.aliases.entry(h.id.clone()).or_default().extend(absorbed);
            }
            // The replaced copy's URL no longer names this story unless the new copy shares it.
            if let Some(c) = old_canonical
                && !self.owns(&h, &c)
            {
                self.keys.remove(&c);
            }
            self.items[i] = Headline { read, ..h };
            true
        } else {
            let linked = self.items[i].symbols.len() != h.symbols.len();
            if linked {
                self.items[i].symbols = std::mem::take(&mut h.symbols);
            }
            let aliases = self.aliases.entry(old_id.clone()).or_default();
            if h.id != old_id && !aliases.contains(&h.id) {
                self.keys.insert(h.id.clone(), i);
                aliases.push(h.id);
            }
            self.mark_if(i, read) || linked
        }
    }

    /// Whether `key` is one of the keys an item answers to: its id, its URL, an absorbed id.
    fn owns(&self, h: &Headline, key: &str) -> bool {
        h.id == key
            || h.canonical.as_deref() == Some(key)
            || self
                .aliases
                .get(&h.id)
                .is_some_and(|a| a.iter().any(|k| k == key))
    }

    fn mark_if(&mut self, i: usize, read: bool) -> bool {
        let changed = read && !self.items[i].read;
        self.items[i].read |= read;
        changed
    }

    fn index(&mut self, h: &Headline, i: usize) {
        self.keys.insert(h.id.clone(), i);
        if let Some(c) = &h.canonical {
            self.keys.insert(c.clone(), i);
        }
    }

    fn sort_and_cap(&mut self, max: usize) {
        // Sorted by position, then each moved once into place: a headline is some 250
        // bytes, and sorting them in place moved each one log n times.
        let order = newest_first_order(&self.items);
        permute(&mut self.items, &order);
        if self.items.len() > max {
            for gone in self.items.drain(max..) {
                self.keys.remove(&gone.id);
                if let Some(c) = &gone.canonical {
                    self.keys.remove(c);
                }
                for alias in self.aliases.remove(&gone.id).unwrap_or_default() {
                    self.keys.remove(&alias);
                }
            }
        }
        // Every key is already in the map: only the positions moved, so no string is
        // cloned or re-inserted (this runs once per feed answer, on up to max items).
        let Self {
            items, keys, aliases, ..
        } = self;
        for (i, h) in items.iter().enumerate() {
            let owned = std::iter::once(&h.id)
                .chain(&h.canonical)
                .chain(aliases.get(&h.id).into_iter().flatten());
            for key in owned {
                if let Some(slot) = keys.get_mut(key) {
                    *slot = i;
                }
            }
        }
        debug_assert!(
            self.keys.iter().all(|(k, &i)| self.owns(&self.items[i], k)),
            "a key points at an item that does not answer to it"
        );
    }

    /// Lets `add` extend each headline's symbols (a company's name learned after
    /// its headlines arrived); whether any changed. Ids and order stay.
    pub fn link_more(&mut self, mut add: impl FnMut(&Headline, &mut Vec<String>) -> bool) -> bool {
        let mut changed = false;
        for h in &mut self.items {
            let mut symbols = std::mem::take(&mut h.symbols);
            changed |= add(h, &mut symbols);
            h.symbols = symbols;
        }
        changed
    }

    /// Sets the read mark of the item with this id (or alias); returns whether it changed.
    pub fn set_read(&mut self, id: &str, read: bool) -> bool {
        match self.keys.get(id).and_then(|i| self.items.get_mut(*i)) {
            Some(h) if h.read != read => {
                h.read = read;
                true
            }
            _ => false,
        }
    }
}

/// Whether two copies are the same in everything but the read mark.
fn same_but_read(a: &Headline, b: &Headline) -> bool {
    let Headline {
        id,
        title,
        url,
        canonical,
        feed,
        feed_id,
        feed_index,
        published,
        summary,
        symbols,
        read: _,
        filing,
    } = b;
    a.id == *id
        && a.title == *title
        && a.url == *url
        && a.canonical == *canonical
        && a.feed == *feed
        && a.feed_id == *feed_id
        && a.feed_index == *feed_index
        && a.published == *published
        && a.summary == *summary
        && a.symbols == *symbols
        && a.filing == *filing
}

/// Dated before undated; among dated, older first.
fn older_first(a: &Headline, b: &Headline) -> Ordering {
    match (a.published, b.published) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Which of two copies of a story is kept: earlier published, then earlier feed.
fn precedence(a: &Headline, b: &Headline) -> Ordering {
    older_first(a, b).then(a.feed_index.cmp(&b.feed_index))
}

/// Puts `items[order[i]]` at `i` for every `i`, in place (a second list of 50,000
/// headlines was 15 MB of `once`'s peak): each cycle of the permutation is followed
/// once, carrying its first item along by swaps.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !done[at] {
            done[at] = true;
            let next = order[at];
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// The positions of `items` in [`newest_first`] order. The date and feed of each
/// are copied into a compact key first, so that sorting reads the items' ids only
/// on a tie instead of reaching into headlines scattered over the heap: for the
/// 10,000 of `once` (200 feeds), building the keys and sorting them takes about
/// 1 ms, where sorting, moving and re-keying the headlines took 3.5-4.3 ms.
fn newest_first_order(items: &[Headline]) -> Vec<usize> {
    let mut keyed: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let date = h
                .published
                .map(|p| std::cmp::Reverse((p.timestamp(), p.timestamp_subsec_nanos())));
            ((date.is_none(), date, h.feed_index), i)
        })
        .collect();
    keyed.sort_unstable_by(|(a, i), (b, j)| a.cmp(b).then_with(|| items[*i].id.cmp(&items[*j].id)));
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Newest first, undated last; then feed order and id, so the order is total.
fn newest_first(a: &Headline, b: &Headline) -> Ordering {
    let date = match (a.published, b.published) {
        (Some(_), Some(_)) => older_first(b, a),
        _ => older_first(a, b),
    };
    date.then(a.feed_index.cmp(&b.feed_index))
        .then_with(|| a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn permute_puts_each_item_where_the_order_says(
            keys in proptest::collection::vec(0usize..20, 0..60)
        ) {
            let mut order: Vec<usize> = (0..keys.len()).collect();
            order.sort_by_key(|&i| keys[i]);
            let items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let mut moved = items.clone();
            permute(&mut moved, &order);
            let expected: Vec<usize> = order.iter().map(|&i| items[i]).collect();
            proptest::prop_assert_eq!(moved, expected);
        }

        #[test]
        fn the_keyed_order_is_the_headlines_order(
            items in proptest::collection::vec((0usize..3, proptest::option::of(0u32..4), 0u32..500), 0..80)
        ) {
            // Few dates and feeds, so that ties fall to the id; sub-second dates too.
            let headlines: Vec<Headline> = items
                .iter()
                .enumerate()
                .map(|(n, (feed, minute, millis))| {
                    let mut x = h(&format!("id{}", (n * 7919) % 1000), None, *feed, *minute);
                    x.published = x.published.map(|p| p + chrono::Duration::milliseconds(i64::from(*millis % 3) * 400));
                    x
                })
                .collect();
            let mut expected: Vec<usize> = (0..headlines.len()).collect();
            expected.sort_by(|&a, &b| newest_first(&headlines[a], &headlines[b]));
            proptest::prop_assert_eq!(newest_first_order(&headlines), expected);
        }
    }

    #[test]
    fn a_date_more_than_a_day_ahead_is_the_fetch_time() {
        let now = chrono::DateTime::parse_from_rfc3339("2025-01-27T14:30:00Z")
            .unwrap_or_default()
            .to_utc();
        let at = |h: i64| Some(now + chrono::Duration::hours(h));
        let mut v: Vec<Headline> = [at(23), at(25), at(24 * 365 * 10), at(-5), None]
            .into_iter()
            .map(|published| Headline {
                published,
                ..Headline::sample("x", "t")
            })
            .collect();
        Store::default().settle_future_dates(&mut v, now);
        let got: Vec<_> = v.iter().map(|h| h.published).collect();
        assert_eq!(got, [at(23), Some(now), Some(now), at(-5), None]);
    }
    use chrono::{TimeZone, Utc};

    fn h(id: &str, url: Option<&str>, feed: usize, minute: Option<u32>) -> Headline {
        Headline {
            filing: None,
            id: id.into(),
            title: format!("title {id}"),
            url: url.map(String::from),
            canonical: url.map(String::from),
            feed: format!("feed{feed}").into(),
            feed_id: Default::default(),
            feed_index: feed,
            published: minute.map(|m| Utc.with_ymd_and_hms(2025, 1, 27, 14, m, 0).unwrap()),
            summary: String::new(),
            symbols: vec![],
            read: false,
        }
    }

    fn ids(s: &Store) -> Vec<&str> {
        s.items().iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn taking_batches_as_they_land_then_finishing_is_one_merge_of_all() {
        let batches = || {
            vec![
                vec![
                    h("a", Some("https://e.com/1"), 1, Some(3)),
                    h("b", None, 1, Some(9)),
                ],
                vec![h("c", Some("https://e.com/1"), 0, Some(3)), h("d", None, 0, None)],
                vec![
                    h("b", None, 2, Some(9)),
                    h("e", Some("https://e.com/2"), 2, Some(5)),
                ],
            ]
        };
        let mut all = Store::default();
        all.merge_all(batches(), 3);
        let mut landed = Store::default();
        for batch in batches().into_iter().rev() {
            landed.take(batch);
        }
        let (landed, _) = landed.finish(3);
        assert_eq!(ids(&all), ["b", "e", "c"]);
        assert_eq!(landed, all.items());
    }

    #[test]
    fn one_feeds_entries_sharing_a_page_stay_apart_and_copies_elsewhere_merge() {
        let page = Some("https://live.example.com/blog");
        let answer = || {
            (1..=3)
                .map(|i| h(&format!("e{i}"), page, 0, Some(i)))
                .collect::<Vec<_>>()
        };
        let mut s = Store::default();
        s.merge(answer(), 10);
        assert_eq!(ids(&s), ["e3", "e2", "e1"]);
        // The next answer of the same feed: the same three, not six.
        s.merge(answer(), 10);
        assert_eq!(s.len(), 3);
        // Another feed's copy of that page is the same story, not a fourth.
        s.merge(vec![h("other", page, 1, Some(4))], 10);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn a_story_in_two_symbols_feeds_keeps_both_chips_whichever_answers_next() {
        let story = |feed: usize, symbol: &str| Headline {
            symbols: vec![symbol.into()],
            ..h(
                "record-loss",
                Some("https://finance.example.com/a"),
                feed,
                Some(9),
            )
        };
        let mut s = Store::default();
        s.merge(vec![story(1, "NVDA")], 10);
        assert!(s.merge(vec![story(2, "AMD")], 10), "AMD's copy adds its chip");
        assert_eq!(s.items()[0].symbols, ["NVDA", "AMD"]);
        // NVDA's feed answers again with its own copy: AMD's chip stays.
        s.merge(vec![story(1, "NVDA")], 10);
        assert_eq!(s.items()[0].symbols, ["NVDA", "AMD"]);
        assert!(!s.merge(vec![story(2, "AMD")], 10), "nothing new");
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn newest_first_undated_last() {
        let mut s = Store::default();
        s.merge(
            vec![
                h("a", None, 0, Some(1)),
                h("u", None, 0, None),
                h("b", None, 0, Some(5)),
            ],
            10,
        );
        assert_eq!(ids(&s), ["b", "a", "u"]);
    }

    #[test]
    fn same_url_in_two_feeds_is_one_headline_whichever_answers_first() {
        let x = h("guid-x", Some("https://e.com/story"), 1, Some(10));
        let y = h("https://e.com/story", Some("https://e.com/story"), 0, Some(10));
        let mut one = Store::default();
        one.merge(vec![x.clone()], 10);
        one.merge(vec![y.clone()], 10);
        let mut two = Store::default();
        two.merge(vec![y], 10);
        two.merge(vec![x], 10);
        assert_eq!(one.len(), 1);
        assert_eq!(one.items(), two.items(), "order of arrival does not matter");
        assert_eq!(one.items()[0].feed_index, 0, "tie goes to the first feed");
        assert!(one.get("guid-x").is_some(), "the other copy's id still finds it");
    }

    #[test]
    fn the_earliest_copy_wins_and_keeps_the_read_mark() {
        let mut s = Store::default();
        s.merge(vec![h("late", Some("https://e.com/s"), 0, Some(30))], 10);
        assert!(s.set_read("late", true));
        s.merge(vec![h("early", Some("https://e.com/s"), 1, Some(5))], 10);
        assert_eq!(ids(&s), ["early"]);
        assert!(s.items()[0].read, "read state survives the merge");
        assert!(
            !s.set_read("late", true),
            "the old id is an alias of the same item"
        );
    }

    #[test]
    fn a_read_copy_marks_the_story_whichever_comes_first() {
        let mut read_loser = h("late", Some("https://e.com/s"), 1, Some(30));
        read_loser.read = true;
        let winner = h("early", Some("https://e.com/s"), 0, Some(5));
        for batch in [vec![read_loser.clone(), winner.clone()], vec![winner, read_loser]] {
            let mut s = Store::default();
            s.merge(batch, 10);
            assert_eq!(ids(&s), ["early"]);
            assert!(s.items()[0].read);
        }
    }

    #[test]
    fn an_unchanged_repoll_changes_nothing() {
        let mut s = Store::default();
        let batch = vec![h("a", None, 0, Some(1)), h("b", None, 0, Some(2))];
        assert!(s.merge(batch.clone(), 10));
        s.set_read("a", true);
        assert!(!s.merge(batch, 10));
        assert!(s.get("a").unwrap().read);
    }

    #[test]
    fn capped_dropping_the_oldest() {
        let mut s = Store::default();
        s.merge(
            (0..20).map(|m| h(&format!("i{m}"), None, 0, Some(m))).collect(),
            5,
        );
        assert_eq!(ids(&s), ["i19", "i18", "i17", "i16", "i15"]);
        assert!(s.get("i3").is_none());
    }

    #[test]
    fn an_updated_title_replaces_the_same_copy() {
        let mut s = Store::default();
        s.merge(vec![h("a", None, 0, Some(1))], 10);
        let mut newer = h("a", None, 0, Some(1));
        newer.title = "corrected".into();
        assert!(s.merge(vec![newer], 10));
        assert_eq!(s.items()[0].title, "corrected");
    }

    #[test]
    fn at_the_cap_a_full_poll_of_older_stories_changes_nothing() {
        let mut s = Store::default();
        let feed: Vec<Headline> = (0..50).map(|m| h(&format!("s{m}"), None, 0, Some(m))).collect();
        assert!(s.merge(feed.clone(), 20));
        let kept: Vec<String> = s.items().iter().map(|h| h.id.clone()).collect();
        assert!(
            !s.merge(feed, 20),
            "the same 50 items again: the 30 evicted come back only to go"
        );
        let now: Vec<String> = s.items().iter().map(|h| h.id.clone()).collect();
        assert_eq!(kept, now);
        assert!(
            s.merge(vec![h("new", None, 1, Some(59))], 20),
            "a newer story still gets in"
        );
        assert_eq!(s.items()[0].id, "new");
        assert_eq!(s.len(), 20);
    }
}
