//! Everything the screen shows, in one value. Changed only by `update` (and the
//! loop's layout feedback: page sizes and panel areas for the mouse).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};

use crate::chart::{self, ChartData};
use crate::config::{Config, NewsSource, Socket, SourceKind};
use crate::model::{AlertEvent, FeedId, Level, Move, Quote, ReadNotes, Session};
use crate::news::Headline;
use crate::news::alias::{Aliases, rank_in};
use crate::news::store::Store;
use crate::sort::Sort;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Normal,
    Help,
    /// Typing a headline search after `/`.
    Search,
    /// The selected ticker full-screen.
    Detail,
    /// Typing a symbol to add to the watchlist after `a`.
    AddSymbol,
    /// `d` asked: remove the selected symbol? y / n.
    ConfirmRemove,
    /// The day's alerts, after `A`.
    AlertLog,
    /// Typing the selected symbol's lots after `p`.
    EditPosition,
    /// The index's map, movers and contributors, after `M`.
    Market,
}

/// Which panel the movement keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Tickers,
    Chart,
    Headlines,
}

/// What is known about one symbol.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteEntry {
    /// The last good quote, kept when later polls fail.
    pub quote: Option<Quote>,
    /// Why the latest poll failed, and when; `None` after a success.
    pub error: Option<(String, DateTime<Utc>)>,
    pub level: Level,
    /// Shown from the cache, not yet refreshed since the start.
    pub from_cache: bool,
}

impl QuoteEntry {
    /// A quote is stale while it comes from the cache, and when the latest poll
    /// failed and an older quote is shown, except on a closed market, where the
    /// last trade is as fresh as it gets.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        let closed = self.quote.as_ref().and_then(|q| q.session(now)) == Some(Session::Closed);
        self.quote.is_some() && (self.from_cache || (self.error.is_some() && !closed))
    }

    /// Age of the shown quote in whole seconds.
    pub fn age_secs(&self, now: DateTime<Utc>) -> Option<i64> {
        self.quote
            .as_ref()
            .map(|q| (now - q.fetched_at).num_seconds().max(0))
    }
}

/// Health of one feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedStatus {
    pub id: FeedId,
    pub name: String,
    pub last_ok: Option<DateTime<Utc>>,
    pub error: Option<(String, DateTime<Utc>)>,
    /// Items in the feed's last good answer.
    pub items: usize,
    /// What reading that answer took (repairs, items left out).
    pub read: ReadNotes,
    pub kind: SourceKind,
    /// The symbol a per-symbol source belongs to.
    pub symbol: Option<String>,
    /// Why a symbol's source does not exist (EDGAR does not know the ticker).
    pub absent: Option<String>,
}

impl FeedStatus {
    /// One of the config's `[[feed]]`s, not a symbol's own.
    pub fn is_configured(&self) -> bool {
        self.kind == SourceKind::Feed
    }
}

/// Every symbol polled (the watchlists' and their benchmarks), for a quick
/// membership check.
fn watched(config: &Config) -> HashSet<String> {
    config.priced_symbols().into_iter().collect()
}

/// The price stream's health, for the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamHealth {
    /// Not configured.
    Off,
    Connecting,
    Live,
    /// Down since, and why: polling covers every symbol meanwhile.
    Down(String, DateTime<Utc>),
    /// The stream in use dropped (why) and the next one is connecting.
    Handover(Socket, Socket, String),
}

/// The stream's health and how many ticks it brought.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamStatus {
    /// The stock streams'.
    pub health: StreamHealth,
    /// Which stock stream serves; the first configured until a handover.
    pub via: Option<Socket>,
    /// Coinbase's, for the symbols routed to it.
    pub crypto: StreamHealth,
    pub ticks: u64,
    /// Ticks in the last whole second of the clock.
    pub rate: u64,
    ticks_at_second: u64,
}

fn replace(slot: &mut StreamHealth, health: StreamHealth) -> bool {
    let changed = *slot != health;
    *slot = health;
    changed
}

impl StreamStatus {
    fn of(config: &Config) -> Self {
        let on = |yes: bool| {
            if yes {
                StreamHealth::Connecting
            } else {
                StreamHealth::Off
            }
        };
        Self {
            health: on(!config.stream.order.is_empty()),
            via: config.stream.order.first().map(|e| e.socket),
            crypto: on(config.stream.crypto.is_some()),
            ticks: 0,
            rate: 0,
            ticks_at_second: 0,
        }
    }

    /// Whether the stock streams' health changed.
    pub fn set(&mut self, health: StreamHealth) -> bool {
        replace(&mut self.health, health)
    }

    /// Whether Coinbase's stream's health changed.
    pub fn set_crypto(&mut self, health: StreamHealth) -> bool {
        replace(&mut self.crypto, health)
    }

    /// Called once a second by the clock.
    pub fn count_second(&mut self) {
        self.rate = self.ticks - self.ticks_at_second;
        self.ticks_at_second = self.ticks;
    }
}

/// Which headlines are listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Case-insensitive text in the title or summary.
    pub text: String,
    /// Only headlines linked to this symbol.
    pub ticker: Option<String>,
    pub unread_only: bool,
}

impl Filter {
    pub fn is_active(&self) -> bool {
        !self.text.is_empty() || self.ticker.is_some() || self.unread_only
    }
}

/// A panel's place on screen, for mouse clicks and wheel scrolls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn contains(&self, x: u16, y: u16) -> bool {
        x >= self.x && x < self.x + self.width && y >= self.y && y < self.y + self.height
    }
}

/// Where the last frame put the panels: the first content row and the row count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub tickers: Area,
    /// The table's first data row (below its header).
    pub tickers_first_row: u16,
    pub headlines: Area,
    pub headlines_first_row: u16,
    /// The terminal is too small for the chart: Tab passes it by.
    pub chart_hidden: bool,
}

#[derive(Debug, Clone)]
pub struct State {
    pub config: Arc<Config>,
    pub watchlist: usize,
    /// Row index in the current watchlist.
    pub selected: usize,
    pub quotes: BTreeMap<String, QuoteEntry>,
    pub alert_log: Vec<AlertEvent>,
    /// Which alerts were raised: the one rule of [`crate::alert`].
    pub ledger: crate::alert::Ledger,
    /// The FX rates `[portfolio] currency` needs, and the pair symbols priced for them.
    pub rates: crate::fx::Rates,
    pub rate_symbols: Vec<String>,
    pub mode: Mode,
    pub focus: Focus,
    /// Where the focus was when `/` started a search: Esc returns it there.
    pub search_from: Focus,
    pub now: DateTime<Utc>,
    /// The user's zone for clock times on screen.
    pub local: FixedOffset,
    pub last_refresh: Option<DateTime<Utc>>,
    pub news: Store,
    pub feeds: Vec<FeedStatus>,
    pub filter: Filter,
    /// Indices into `news.items()` that pass the filter: derived, kept in step
    /// by `refresh_visible` so rendering 10,000 headlines does not refilter.
    pub visible: Vec<usize>,
    /// Indices into `news.items()` of each symbol's linked headlines, newest first: derived
    /// with `visible`, so drawing a chart does not scan every headline each frame.
    linked: HashMap<String, Vec<usize>>,
    /// The selected headline by id, so it stays put when new ones arrive above it.
    pub headline: Option<String>,
    /// The user moved the headline selection off the newest: new headlines then
    /// arrive above it (counted in the title) instead of taking it along.
    pub headline_pinned: bool,
    /// The chart marker stepped to with h/l, by headline id.
    pub marker: Option<String>,
    /// A one-line notice for the status line (e.g. a link that was refused).
    pub notice: Option<String>,
    /// The notice on screen and the ticks it has been there: it gives the status
    /// line back after a few seconds.
    pub notice_shown: Option<(String, u32)>,
    /// What is typed at the add-symbol prompt.
    pub prompt: String,
    /// Rows the table and the list showed in the last frame, for PgUp/PgDn.
    pub page_rows: usize,
    pub headline_rows: usize,
    pub areas: Areas,
    /// Running the replay of 27 Jan 2025: the screen says so.
    pub demo: bool,
    /// When the replay's clock stops: from then on the screen says it is over.
    pub replay_end: Option<DateTime<Utc>>,
    /// The recorded day replayed (`tickwire replay DATE`); `None` for the demo's.
    pub replay_day: Option<chrono::NaiveDate>,
    /// The cache's writer is behind: what is shown may not all be saved yet.
    pub cache_behind: bool,
    /// Every symbol of every watchlist: derived from the config, for the check
    /// each quote result goes through.
    watched: HashSet<String>,
    pub stream: StreamStatus,
    /// Each watchlist's sort by its name; absent is the watchlist's own order.
    pub sorts: HashMap<String, Sort>,
    /// The current watchlist's symbols in the order shown: derived by `resort`.
    rows: Vec<String>,
    /// Company names learned from the providers' long names, for linking.
    aliases: Aliases,
    /// The halt feed's last answer.
    pub halts: crate::halts::Board,
    /// The index's constituents, from the last good list.
    pub market: MarketBoard,
    /// The constituent selected in the market view (by weight, heaviest first).
    pub market_selected: usize,
    /// Each listed symbol's average daily volume of its last 20 sessions.
    pub usual_volume: HashMap<String, f64>,
    /// A constituent the watchlist does not have, opened from the market view:
    /// the detail view shows it from the index's list until it closes.
    pub peek: Option<(String, QuoteEntry)>,
    /// The chart's range, line or candles, and the ranges fetched.
    pub chart_view: crate::chart::ChartView,
}

/// The index's list as last read, and why the latest poll failed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarketBoard {
    pub rows: Vec<crate::market::breadth::Constituent>,
    pub as_of: Option<DateTime<Utc>>,
    pub error: Option<(String, DateTime<Utc>)>,
}

impl FeedStatus {
    fn new(source: &NewsSource) -> Self {
        Self {
            id: FeedId::of(&source.feed.url),
            name: source.feed.name.clone(),
            last_ok: None,
            error: None,
            items: 0,
            read: ReadNotes::default(),
            kind: source.kind,
            symbol: source.symbol.clone(),
            absent: None,
        }
    }
}

impl State {
    pub fn new(config: Arc<Config>, watchlist: usize, now: DateTime<FixedOffset>) -> Self {
        let watchlist = watchlist.min(config.watchlists.len().saturating_sub(1));
        let feeds = config.news_sources().iter().map(FeedStatus::new).collect();
        let stream = StreamStatus::of(&config);
        Self {
            stream,
            config,
            watchlist,
            selected: 0,
            quotes: BTreeMap::new(),
            alert_log: Vec::new(),
            ledger: crate::alert::Ledger::default(),
            rates: crate::fx::Rates::default(),
            rate_symbols: Vec::new(),
            mode: Mode::Normal,
            focus: Focus::Tickers,
            search_from: Focus::Tickers,
            now: now.to_utc(),
            local: *now.offset(),
            last_refresh: None,
            news: Store::default(),
            feeds,
            filter: Filter::default(),
            visible: Vec::new(),
            linked: HashMap::new(),
            headline: None,
            headline_pinned: false,
            marker: None,
            notice: None,
            notice_shown: None,
            prompt: String::new(),
            page_rows: 10,
            headline_rows: 10,
            areas: Areas::default(),
            demo: false,
            replay_end: None,
            replay_day: None,
            cache_behind: false,
            watched: HashSet::new(),
            sorts: HashMap::new(),
            rows: Vec::new(),
            aliases: Aliases::default(),
            halts: crate::halts::Board::default(),
            market: MarketBoard::default(),
            market_selected: 0,
            usual_volume: HashMap::new(),
            peek: None,
            chart_view: Default::default(),
        }
        .watching()
    }

    fn watching(mut self) -> Self {
        self.watched = watched(&self.config);
        self.resort();
        self
    }

    /// The current watchlist's sort.
    pub fn sort(&self) -> Sort {
        self.config
            .watchlists
            .get(self.watchlist)
            .and_then(|w| self.sorts.get(&w.name))
            .copied()
            .unwrap_or_default()
    }

    /// Orders the rows again (a figure, the sort or the watchlist changed); the
    /// selection stays on its symbol when it is still listed.
    pub fn resort(&mut self) {
        let selected = self.selected_symbol().map(String::from);
        let symbols = self
            .config
            .watchlists
            .get(self.watchlist)
            .map_or(&[][..], |w| w.symbols.as_slice());
        let sort = self.sort();
        let rows = sort.apply(symbols, &self.config, |s| self.quotes.get(s));
        self.rows = rows;
        if let Some(i) = selected.and_then(|s| self.rows.iter().position(|r| *r == s)) {
            self.selected = i;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Whether any watchlist has `symbol`.
    pub fn watches(&self, symbol: &str) -> bool {
        self.watched.contains(symbol)
    }

    /// Every position held in the watchlists, valued at its quote.
    pub fn holdings(&self) -> Vec<crate::position::Holding> {
        self.config
            .all_symbols()
            .iter()
            .filter_map(|s| self.entry(s)?.quote.as_ref())
            .filter_map(|q| self.config.holding(q))
            .collect()
    }

    /// The rate a position in `currency` (major unit) is converted at, when
    /// `[portfolio] currency` is set and differs.
    pub fn rate_for(&self, currency: &str) -> Option<&crate::fx::Rate> {
        let target = self.config.portfolio.currency.as_deref()?;
        (currency != target)
            .then(|| self.rates.get(currency, target))
            .flatten()
    }

    /// Takes a new configuration (edited from the UI or on disk), keeping what
    /// is known about symbols and feeds that stay and forgetting the rest: a
    /// symbol removed from every watchlist leaves the banner and the counts too.
    pub fn reconfigure(&mut self, config: Arc<Config>) {
        let mut old: HashMap<FeedId, FeedStatus> = self.feeds.drain(..).map(|f| (f.id.clone(), f)).collect();
        self.feeds = config
            .news_sources()
            .iter()
            .map(|s| {
                let mut status = old
                    .remove(&FeedId::of(&s.feed.url))
                    .unwrap_or_else(|| FeedStatus::new(s));
                status.name.clone_from(&s.feed.name);
                status
            })
            .collect();
        if config.stream != self.config.stream {
            self.stream = StreamStatus::of(&config);
        }
        self.watched = watched(&config);
        let watched = &self.watched;
        self.quotes.retain(|s, _| watched.contains(s));
        self.aliases.retain(|s| watched.contains(s));
        self.config = config;
        self.watchlist = self.watchlist.min(self.config.watchlists.len().saturating_sub(1));
        self.resort();
        self.refresh_visible();
    }

    /// The current watchlist's symbols in the order shown (sorted or not).
    pub fn symbols(&self) -> &[String] {
        &self.rows
    }

    /// The newest headline linked to `symbol` published at or after `since`.
    pub fn newest_linked(&self, symbol: &str, since: DateTime<Utc>) -> Option<&Headline> {
        let items = self.news.items();
        self.linked
            .get(symbol)?
            .iter()
            .filter_map(|i| items.get(*i))
            .find(|h| h.published.is_some_and(|p| p >= since))
    }

    /// The replay has reached the end of its day.
    /// What the running replay is called in a notice: "the demo" or "the replay of 2025-01-27".
    pub fn replay_name(&self) -> String {
        match self.replay_day {
            Some(d) => format!("the replay of {d}"),
            None => "the demo".into(),
        }
    }

    pub fn replay_over(&self) -> bool {
        self.replay_end.is_some_and(|end| self.now >= end)
    }

    pub fn selected_symbol(&self) -> Option<&str> {
        self.symbols().get(self.selected).map(String::as_str)
    }

    pub fn entry(&self, symbol: &str) -> Option<&QuoteEntry> {
        self.quotes
            .get(symbol)
            .or_else(|| self.peek.as_ref().filter(|p| p.0 == symbol).map(|p| &p.1))
    }

    /// The symbol the detail view and the chart show: a constituent opened
    /// from the market view, else the selected row's.
    pub fn shown_symbol(&self) -> Option<&str> {
        match &self.peek {
            Some((symbol, _)) if self.mode == Mode::Detail => Some(symbol),
            _ => self.selected_symbol(),
        }
    }

    pub fn feed_mut(&mut self, id: &FeedId) -> Option<&mut FeedStatus> {
        self.feeds.iter_mut().find(|f| &f.id == id)
    }

    /// The configured feeds' statuses, without the symbols' own sources.
    pub fn configured_feeds(&self) -> impl Iterator<Item = &FeedStatus> {
        self.feeds.iter().filter(|f| f.is_configured())
    }

    /// A symbol's own sources (its news, its filings).
    pub fn own_sources<'a>(&'a self, symbol: &'a str) -> impl Iterator<Item = &'a FeedStatus> {
        self.feeds
            .iter()
            .filter(move |f| f.symbol.as_deref() == Some(symbol))
    }

    pub fn level_of(&self, symbol: &str) -> Level {
        self.quotes.get(symbol).map_or(Level::None, |e| e.level)
    }

    /// Symbols at `alert` now, across every watchlist, worst first, with the
    /// move that put them there (its session says whether it was extended).
    pub fn alerts(&self) -> Vec<(&str, Move)> {
        let extended = self.config.alerts.extended_hours;
        let mut v: Vec<(&str, Move)> = self
            .quotes
            .iter()
            // A benchmark no watchlist lists is priced, not watched.
            .filter(|(s, e)| e.level == Level::Alert && self.config.has_symbol(s))
            .filter_map(|(s, e)| Some((s.as_str(), e.quote.as_ref()?.flag_move(extended)?)))
            .collect();
        v.sort_by(|a, b| a.1.change_pct.total_cmp(&b.1.change_pct).then(a.0.cmp(b.0)));
        v
    }

    /// The signals `symbol` shows now (none without a quote).
    pub fn signals(&self, symbol: &str) -> Vec<crate::signals::Signal> {
        let Some(q) = self.entry(symbol).and_then(|e| e.quote.as_ref()) else {
            return Vec::new();
        };
        crate::signals::of(q, self.signal_context(symbol), &self.config.signals)
    }

    /// What `symbol`'s signals are measured against.
    pub fn signal_context(&self, symbol: &str) -> crate::signals::Context<'_> {
        let benchmark = self.config.benchmark(symbol).and_then(|b| {
            let (name, entry) = self.quotes.get_key_value(b)?;
            Some((name.as_str(), entry.quote.as_ref()?))
        });
        let usual_volume = self.usual_volume.get(symbol).and_then(|avg| {
            let q = self.entry(symbol)?.quote.as_ref()?;
            crate::signals::usual_by_now(*avg, q, self.now)
        });
        crate::signals::Context {
            benchmark,
            usual_volume,
        }
    }

    /// The day's breadth from the last good list, when there is one.
    pub fn breadth(&self) -> Option<crate::market::breadth::Breadth> {
        let index = self.config.market.index?;
        let as_of = self.market.as_of?;
        Some(crate::market::breadth::compute(
            index.name(),
            &self.market.rows,
            self.config.alerts.thresholds,
            as_of,
        ))
    }

    /// The halts the banner shows: the market's, and each watched symbol's
    /// that is on or resumed a moment ago.
    pub fn halts_shown(&self) -> Vec<crate::halts::board::Shown<'_>> {
        self.halts.shown(&self.config.all_symbols(), self.now)
    }

    /// Shows what the cache held before the first network answer: headlines
    /// with their read marks, quotes marked stale, and today's alerts (so they
    /// are not announced again).
    pub fn restore(&mut self, mut snapshot: crate::cache::Snapshot) {
        for (symbol, average, _) in std::mem::take(&mut snapshot.usual) {
            self.usual_volume.insert(symbol, average);
        }
        // Stored before future dates were settled, they would still crowd out the rest.
        self.news.settle_future_dates(&mut snapshot.headlines, self.now);
        self.news
            .merge(snapshot.headlines, self.config.general.max_headlines);
        self.refresh_visible();
        for q in snapshot.quotes {
            if !self.watches(&q.symbol) {
                continue;
            }
            let q = q.sanitized();
            let level = self.config.level_of(&q);
            self.quotes.insert(
                q.symbol.clone(),
                QuoteEntry {
                    level,
                    from_cache: true,
                    quote: Some(q),
                    ..QuoteEntry::default()
                },
            );
        }
        self.ledger = crate::alert::Ledger::from_log(&snapshot.alerts);
        let names: Vec<(String, String)> = self
            .quotes
            .iter()
            .filter_map(|(s, e)| Some((s.clone(), e.quote.as_ref()?.name.clone()?)))
            .collect();
        self.learn_names(names);
        self.alert_log = snapshot.alerts;
        self.sorts = snapshot
            .sorts
            .iter()
            .map(|(w, s)| (w.clone(), Sort::from_stored(s)))
            .collect();
        self.resort();
    }

    /// The chart of a symbol, with markers for its linked headlines, if it has a quote.
    pub fn chart(&self, symbol: &str) -> Option<ChartData<'_>> {
        let quote = self.entry(symbol)?.quote.as_ref()?;
        let items = self.news.items();
        let linked: Vec<&Headline> = self
            .linked
            .get(symbol)
            .map(|ix| ix.iter().filter_map(|i| items.get(*i)).collect())
            .unwrap_or_default();
        let range = self.chart_view.range;
        if range != crate::history::ChartRange::Day {
            // No bars (a range the symbol did not trade in): the chart says so.
            let history = self
                .chart_view
                .slot(symbol, range)?
                .history
                .as_ref()
                .filter(|h| !h.bars.is_empty())?;
            return Some(chart::prepare_range(history, Some(quote), range, &linked));
        }
        Some(chart::prepare(quote, self.config.thresholds(symbol), &linked))
    }

    /// The selected headline's row in the visible list.
    pub fn selected_headline_row(&self) -> Option<usize> {
        let id = self.headline.as_deref()?;
        let pos = self.news.position(id)?;
        self.visible.iter().position(|i| *i == pos)
    }

    pub fn selected_headline(&self) -> Option<&Headline> {
        let row = self.selected_headline_row()?;
        self.news.items().get(self.visible[row])
    }

    /// Learns `symbol`'s company name from its provider's long name and links
    /// the headlines that name it; whether any headline changed.
    pub fn learn_name(&mut self, symbol: &str, long: &str) -> bool {
        self.learn_names([(symbol.to_string(), long.to_string())])
    }

    /// [`State::learn_name`] for many, the headlines relinked once.
    fn learn_names(&mut self, names: impl IntoIterator<Item = (String, String)>) -> bool {
        let mut learned = false;
        for (symbol, long) in names {
            let taken = Aliases::taken_in(&self.config);
            if let Some(name) = self.aliases.learn(&symbol, &long, taken) {
                tracing::debug!(%symbol, %name, "learned a company name for linking");
                learned = true;
            }
        }
        if !learned {
            return false;
        }
        let order = self.config.all_symbols();
        let aliases = &self.aliases;
        let changed = self
            .news
            .link_more(|h, symbols| aliases.extend(&h.title, &h.summary, symbols, rank_in(&order)));
        if changed {
            self.refresh_visible();
        }
        changed
    }

    /// Merges a feed's headlines; returns whether the list changed. A selected
    /// headline pushed out over the cap leaves the selection at its row.
    pub fn merge_news(&mut self, mut batch: Vec<Headline>) -> bool {
        if !self.aliases.is_empty() {
            self.aliases.link_batch(&mut batch, &self.config.all_symbols());
        }
        self.news.settle_future_dates(&mut batch, self.now);
        let row = self.selected_headline_row();
        let changed = self.news.merge(batch, self.config.general.max_headlines);
        if changed {
            self.refresh_visible_from(row);
            // Not moved by the user: the selection (and the view) follows the newest.
            if !self.headline_pinned {
                self.headline = self.visible.first().map(|i| self.news.items()[*i].id.clone());
            }
        }
        changed
    }

    /// Recomputes the visible list after the headlines or the filter changed,
    /// keeping the selection on the same headline, or at the same row when that
    /// headline left the list.
    pub fn refresh_visible(&mut self) {
        let row = self.selected_headline_row();
        self.refresh_visible_from(row);
    }

    fn refresh_visible_from(&mut self, old_row: Option<usize>) {
        self.linked.clear();
        for (i, h) in self.news.items().iter().enumerate() {
            for s in &h.symbols {
                self.linked.entry(s.clone()).or_default().push(i);
            }
        }
        let needle = self.filter.text.to_lowercase();
        let f = &self.filter;
        self.visible = self
            .news
            .items()
            .iter()
            .enumerate()
            .filter(|(_, h)| !f.unread_only || !h.read)
            .filter(|(_, h)| f.ticker.as_ref().is_none_or(|t| h.symbols.contains(t)))
            .filter(|(_, h)| {
                needle.is_empty()
                    || h.title.to_lowercase().contains(&needle)
                    || h.summary.to_lowercase().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        if self.selected_headline_row().is_none() {
            let row = old_row.unwrap_or(0).min(self.visible.len().saturating_sub(1));
            self.headline = self.visible.get(row).map(|i| self.news.items()[*i].id.clone());
        }
    }

    /// Everything on screen that depends on the clock, so a tick redraws only
    /// when one of these labels would change.
    pub fn clock_labels(&self) -> String {
        let mut out = String::new();
        for e in self.quotes.values() {
            if let Some(a) = e.age_secs(self.now).filter(|_| e.is_stale(self.now)) {
                out.push_str(&crate::format::age(a));
            }
            if let Some((_, at)) = &e.error {
                out.push_str(&crate::format::age((self.now - *at).num_seconds()));
            }
        }
        for f in &self.feeds {
            if let Some((_, at)) = &f.error {
                out.push_str(&crate::format::age((self.now - *at).num_seconds()));
            }
        }
        out.push_str(&self.stream.rate.to_string());
        if let StreamHealth::Down(_, at) = &self.stream.health {
            out.push_str(&crate::format::age((self.now - *at).num_seconds()));
        }
        // Headline times switch from "HH:MM" to a date at local midnight.
        out.push_str(&self.now.with_timezone(&self.local).date_naive().to_string());
        out
    }
}
