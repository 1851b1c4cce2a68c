//! `tickwire once`: one round of every source, printed as JSON (SPEC §5) or as an
//! aligned table, then exit. Same fetch code as the TUI.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use tokio::time::Instant;

use crate::cache::{self, Cache};
use crate::config::{Basis, Config, NewsSource, SourceKind};
use crate::format;
use crate::model::Headline;
use crate::model::Level;
use crate::model::{
    ExtendedSession, FeedId, FeedOutcome, FeedUpdate, QuoteOutcome, ReadNotes, TickerMap, Validators,
};
use crate::news::alias::Aliases;
use crate::news::own;
use crate::news::store::Store;
use crate::position::{self, Holding, Total};
use crate::source::feeds::FeedFetcher;
use crate::source::{Http, QuoteFetcher, sec};
use futures_util::future::join_all;

mod halts;
mod json;
mod market;
pub use halts::HaltRow;

/// Feeds parsed and waiting for the cache's writer at most, in `once`.
const WAITING_FEEDS: usize = 24;

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub generated_at: String,
    pub watchlist: String,
    pub quotes: Vec<QuoteRow>,
    pub headlines: Vec<HeadlineRow>,
    pub sources: Vec<SourceRow>,
    /// The watchlist's positions added up per currency (money in the major
    /// unit), then in `[portfolio] currency` when one is set.
    pub portfolio: Vec<PortfolioEntry>,
    /// The halt feed's items that concern the watchlist, or the whole market.
    pub halts: Vec<HaltRow>,
    /// The index's breadth (`[market] index`), when its list came.
    pub market: Option<crate::market::breadth::Breadth>,
}

/// A headline as SPEC §5 shows it. It wraps the store's own value, so that turning
/// thousands of headlines into rows reuses their memory instead of copying it.
#[derive(Debug)]
pub struct HeadlineRow(pub Headline);

impl Serialize for HeadlineRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let h = &self.0;
        let mut row = s.serialize_struct("HeadlineRow", 8)?;
        row.serialize_field("id", &h.id)?;
        row.serialize_field("title", &h.title)?;
        row.serialize_field("url", &h.url)?;
        row.serialize_field("feed", &*h.feed)?;
        row.serialize_field(
            "published",
            &h.published.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        )?;
        row.serialize_field("summary", &h.summary)?;
        row.serialize_field("symbols", &h.symbols)?;
        row.serialize_field("filing", &h.filing)?;
        row.end()
    }
}

#[derive(Debug, Serialize)]
pub struct QuoteRow {
    pub symbol: String,
    pub name: String,
    pub price: Option<f64>,
    pub previous_close: Option<f64>,
    /// What `previous_close` is: "close" (the previous session's), or "24h"
    /// (a market that never closes: the price 24 hours earlier); null on errors.
    pub base: Option<&'static str>,
    pub change: Option<f64>,
    pub change_pct: Option<f64>,
    pub day_high: Option<f64>,
    pub day_low: Option<f64>,
    pub volume: Option<u64>,
    pub currency: Option<String>,
    pub market_time: Option<String>,
    /// The pre-market or after-hours trade, against the last regular price.
    pub extended: Option<ExtendedRow>,
    pub flag: Level,
    /// In the major unit of the quote's currency, which `market_value_currency` names;
    /// null, like every other unknown, without `shares_outstanding`.
    pub market_value_change: Option<f64>,
    pub market_value_currency: Option<String>,
    pub provider: Option<String>,
    pub stale: bool,
    pub error: Option<String>,
    /// The symbol's lots valued at this quote; null without lots or a price.
    pub position: Option<Holding>,
    /// `[symbol.X] basis = "rebased"`: `price` is an index of 100 at the previous
    /// close, not money.
    pub rebased: bool,
    /// Unusual moves: the 52-week extremes, a gap, a move apart from the benchmark.
    pub signals: Vec<crate::signals::Signal>,
}

/// One entry of `portfolio`: a currency's own total, or all of them converted.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum PortfolioEntry {
    Own(Total),
    Converted(crate::fx::Converted),
}

#[derive(Debug, Serialize)]
pub struct ExtendedRow {
    pub session: ExtendedSession,
    pub price: f64,
    pub change: f64,
    pub change_pct: f64,
    pub time: String,
}

#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub ok: bool,
    pub error: Option<String>,
    pub items: usize,
    /// Feeds only: items with nothing to show, left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<usize>,
    /// Feeds only: the document was ill-formed or mis-encoded and read as well as it could be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repaired: Option<bool>,
}

/// Polls the watchlist's symbols and every feed once, concurrently, all within
/// one request timeout.
///
/// With a cache (only when one is named: `once` is otherwise a pure snapshot),
/// feeds are fetched conditionally, a 304 answers with the cached headlines, and
/// what came fresh is stored.
/// `at` is the replay's time; without one, the wall clock's when all came in.
pub async fn snapshot(
    config: &Config,
    watchlist: usize,
    cache: Option<(&Cache, cache::Snapshot)>,
    http: Http,
    at: Option<DateTime<Utc>>,
    summaries: bool,
) -> Result<Snapshot, crate::source::FetchError> {
    let quote_fetcher = QuoteFetcher::new(http.clone(), config);
    let feed_fetcher = FeedFetcher::new(http.clone(), config);
    let list = &config.watchlists[watchlist.min(config.watchlists.len() - 1)];
    let deadline = Instant::now() + config.general.timeout;
    // What the cache holds, by feed id: the headlines and the validators that go
    // with them. Validators without the headlines they validate are worth nothing
    // (a 304 would answer with nothing to show), so those feeds are fetched whole.
    let (cache, mut held, tickers, mut usual) = match cache {
        Some((c, mut snap)) => {
            let tickers = snap.tickers.take();
            let usual = fresh_usual(std::mem::take(&mut snap.usual));
            (Some(c), Held::from(snap), tickers, usual)
        }
        None => (None, Held::default(), None, HashMap::new()),
    };
    // The configured feeds, and the own sources of this watchlist's symbols.
    let wanted: Vec<usize> = (0..feed_fetcher.len())
        .filter(|i| {
            let s = feed_fetcher.source(*i);
            s.symbol.as_ref().is_none_or(|sym| list.symbols.contains(sym))
        })
        .collect();
    // The benchmarks the watchlist's moves are measured against, priced too.
    let mut benchmarks: Vec<&str> = Vec::new();
    for b in list.symbols.iter().filter_map(|s| config.benchmark(s)) {
        if !list.symbols.iter().any(|s| s == b) && !benchmarks.contains(&b) {
            benchmarks.push(b);
        }
    }
    let priced = list
        .symbols
        .iter()
        .map(String::as_str)
        .chain(benchmarks.iter().copied());
    // The quotes' company names link headlines as each feed comes in (after the
    // quotes, which are quicker): a feed's summaries are then needed no longer,
    // and the text output drops them there instead of holding 50,000 to the end.
    let (names_tx, names) = tokio::sync::watch::channel::<Option<Arc<Aliases>>>(None);
    let quotes = async {
        let quotes = join_all(priced.map(|s| quote_fetcher.fetch(s, deadline))).await;
        names_tx.send_replace(Some(Arc::new(aliases_of(config, &quotes))));
        quotes
    };
    let order = config.all_symbols();
    // Each feed's headlines go into the store as they land, linked to the quotes'
    // names (and without summaries for the text output), and are freed there: the
    // merge is done by the time the last feed comes, and `build` only sorts.
    let store = RefCell::new(Store::default());
    // Feeds between the start of their fetch and the cache's writer taking their
    // headlines: as many as are fetched at once, and WAITING_FEEDS more that may
    // wait for a writer that is behind (see Cache::write_waiting).
    let slots = Arc::new(tokio::sync::Semaphore::new(
        config.general.max_concurrent_requests + WAITING_FEEDS,
    ));
    let land = |mut headlines: Vec<Headline>, aliases: Option<&Aliases>| -> usize {
        if let Some(aliases) = aliases.filter(|a| !a.is_empty()) {
            aliases.link_batch(&mut headlines, &order);
        }
        if !summaries {
            headlines.iter_mut().for_each(|h| h.summary = String::new());
        }
        let items = headlines.len();
        let mut store = store.borrow_mut();
        store.settle_future_dates(&mut headlines, at.unwrap_or_else(Utc::now));
        store.take(headlines);
        items
    };
    let fetch = |plan: Vec<(usize, Result<Option<reqwest::Url>, String>)>| {
        let held = &held;
        let slots = &slots;
        let feed_fetcher = &feed_fetcher;
        let (names, land) = (&names, &land);
        join_all(plan.into_iter().map(move |(i, at)| async move {
            match at {
                Ok(at) => {
                    let v = held.validators(feed_fetcher.id(i));
                    // Fetched only with a place in the cache's queue: a writer that is
                    // behind holds up the fetches, not the memory of feeds piled up for it.
                    let slot = match cache {
                        Some(_) => Arc::clone(slots).acquire_owned().await.ok(),
                        None => None,
                    };
                    let mut o = feed_fetcher.fetch(i, at.as_ref(), &v, deadline).await;
                    // Stored as it arrives: the writer thread commits while other feeds
                    // are still fetched and parsed, and while the output is written.
                    if let (
                        Some(c),
                        Ok(FeedUpdate::Fresh {
                            headlines,
                            validators,
                            ..
                        }),
                    ) = (cache, &o.result)
                    {
                        c.write_waiting(
                            cache::Write::Feed {
                                id: o.feed.clone(),
                                validators: validators.clone(),
                                headlines: headlines.as_slice().into(),
                            },
                            slot,
                        );
                    }
                    let mut items = 0;
                    if let Ok(FeedUpdate::Fresh { headlines, .. }) = &mut o.result {
                        let mut names = names.clone();
                        let aliases = names.wait_for(Option::is_some).await.ok().and_then(|n| n.clone());
                        items = land(std::mem::take(headlines), aliases.as_deref());
                    }
                    (i, o, v, items)
                }
                Err(e) => {
                    let o = FeedOutcome {
                        feed: feed_fetcher.id(i).clone(),
                        result: Err(e),
                        retry_after: None,
                    };
                    (i, o, Validators::default(), 0)
                }
            }
        }))
    };
    // Feeds go at once; filings wait for SEC's map, and a slow SEC delays only them.
    let (filings, others): (Vec<usize>, Vec<usize>) = wanted
        .iter()
        .partition(|i| feed_fetcher.source(**i).kind == SourceKind::Filings);
    let feeds = fetch(others.into_iter().map(|i| (i, Ok(None))).collect());
    let filings = async {
        let plan = plan_filings(&feed_fetcher, &filings, &http, config, tickers, cache, deadline).await;
        fetch(plan).await
    };
    // Daily bars for the volume signal: a second request per symbol, so only
    // with the per-symbol requests (`--per-symbol`), for what the cache lacks.
    let bars = daily_bars(config, &list.symbols, &usual, &http, deadline);
    let halts = halts::fetch(config, &list.symbols, &http, deadline);
    let index = market::fetch(config, &http, deadline);
    let ((quotes, halts, index), (mut feeds, filings, bars)) = futures_util::future::join(
        futures_util::future::join3(quotes, halts, index),
        futures_util::future::join3(feeds, filings, bars),
    )
    .await;
    for (symbol, average) in bars {
        if let Some(c) = cache {
            c.write(cache::Write::Usual {
                symbol: symbol.clone(),
                average,
                fetched: Utc::now(),
            });
        }
        usual.insert(symbol, average);
    }
    // Nothing more is written: what the writer gathered is committed while the
    // output is made, not after it.
    if let Some(c) = cache {
        c.commit_soon();
    }
    feeds.extend(filings);
    if cache.is_some() {
        for (_, o, sent, items) in &mut feeds {
            // Unchanged on the server: what the cache holds for it is current.
            if let Ok(FeedUpdate::NotModified) = &o.result {
                let aliases = names.borrow().clone();
                *items = land(held.take(&o.feed), aliases.as_deref());
                o.result = Ok(FeedUpdate::Fresh {
                    headlines: Vec::new(),
                    validators: std::mem::take(sent),
                    read: Default::default(),
                });
            }
        }
    }
    let feeds = feeds
        .into_iter()
        .map(|(i, o, _, items)| (o, feed_fetcher.source(i), items))
        .collect();
    let now = at.unwrap_or_else(Utc::now);
    let (quotes, benchmarks): (Vec<QuoteOutcome>, Vec<QuoteOutcome>) =
        quotes.into_iter().partition(|o| list.symbols.contains(&o.symbol));
    let benchmarks = benchmarks.into_iter().filter_map(|o| o.result.ok()).collect();
    let store = store.into_inner();
    let mut snap = build(
        config,
        &list.name,
        quotes,
        benchmarks,
        &usual,
        (feeds, store),
        now,
    );
    if let Some(target) = &config.portfolio.currency {
        let converted = convert(&quote_fetcher, target, &list.name, &snap.quotes, config, now).await;
        snap.portfolio.extend(converted.map(PortfolioEntry::Converted));
    }
    if let Some(result) = index {
        let (row, breadth) = market::read(config, result, now);
        snap.sources.push(row);
        snap.market = breadth;
    }
    if let Some(result) = halts {
        snap.sources.push(halts::source_row(config, &result));
        if let Ok(read) = &result {
            snap.halts = halts::rows(read, &list.symbols, now);
        }
    }
    Ok(snap)
}

/// The positions in `target`, at rates fetched now (a second round, only for
/// the currencies held); `None` without positions.
async fn convert(
    fetcher: &QuoteFetcher,
    target: &str,
    watchlist: &str,
    quotes: &[QuoteRow],
    config: &Config,
    now: DateTime<Utc>,
) -> Option<crate::fx::Converted> {
    let holdings: Vec<&Holding> = quotes.iter().filter_map(|q| q.position.as_ref()).collect();
    if holdings.is_empty() {
        return None;
    }
    let pairs = crate::fx::needed(target, holdings.iter().copied());
    let deadline = Instant::now() + config.general.timeout;
    let mut rates = crate::fx::Rates::default();
    for o in join_all(pairs.iter().map(|p| fetcher.fetch(p, deadline))).await {
        if let Ok(q) = o.result {
            rates.take(&q);
        }
    }
    let c = crate::fx::convert(watchlist, target, holdings, &rates, now);
    let cents = |v: Option<f64>| v.map(|v| format::round(v, 2));
    Some(crate::fx::Converted {
        value: cents(c.value),
        day_pnl: cents(c.day_pnl),
        total_pnl: cents(c.total_pnl),
        rates: c
            .rates
            .into_iter()
            .map(|(k, r)| (k, format::round(r, 6)))
            .collect(),
        ..c
    })
}

/// The cache's usual volumes under a day old.
fn fresh_usual(stored: Vec<(String, f64, DateTime<Utc>)>) -> HashMap<String, f64> {
    let day = chrono::Duration::from_std(crate::source::usual::EVERY).unwrap_or_default();
    stored
        .into_iter()
        .filter(|(_, _, at)| Utc::now() - *at < day)
        .map(|(s, avg, _)| (s, avg))
        .collect()
}

/// Each symbol's usual volume the cache lacks, from Yahoo's daily bars, when
/// the volume signal is on and the per-symbol requests were asked for.
async fn daily_bars(
    config: &Config,
    symbols: &[String],
    held: &HashMap<String, f64>,
    http: &Http,
    deadline: Instant,
) -> Vec<(String, f64)> {
    let yahoo = config.providers.iter().find(|p| p.name == "yahoo");
    let Some(yahoo) = yahoo.filter(|_| config.signals.volume && config.news.per_symbol) else {
        return Vec::new();
    };
    let wanted = symbols.iter().filter(|s| !held.contains_key(*s));
    let fetched = join_all(wanted.map(|s| async move {
        let avg = crate::source::usual::fetch(http, &yahoo.base_url, s, deadline).await;
        (s.clone(), avg.ok())
    }))
    .await;
    fetched
        .into_iter()
        .filter_map(|(s, avg)| Some((s, avg?)))
        .collect()
}

/// Where each filings source is fetched: at its company's CIK (from SEC's map:
/// the cache's while under a week old, else fetched now); a symbol EDGAR does
/// not know has no source; when the map cannot be had, each says why.
async fn plan_filings(
    fetcher: &FeedFetcher,
    filings: &[usize],
    http: &Http,
    config: &Config,
    cached: Option<TickerMap>,
    cache: Option<&Cache>,
    deadline: Instant,
) -> Vec<(usize, Result<Option<reqwest::Url>, String>)> {
    if filings.is_empty() {
        return Vec::new();
    }
    let fresh = cached.filter(sec::is_fresh);
    let map = match fresh {
        Some(m) => m,
        None => match sec::fetch_tickers(http, &config.news, deadline).await {
            Ok(m) => {
                if let Some(c) = cache {
                    c.write(cache::Write::Tickers(std::sync::Arc::new(m.clone())));
                }
                m
            }
            Err(e) => {
                let why = format!("SEC's ticker map: {e}");
                return filings.iter().map(|i| (*i, Err(why.clone()))).collect();
            }
        },
    };
    filings
        .iter()
        .filter_map(|i| {
            let symbol = fetcher.source(*i).symbol.as_deref().unwrap_or_default();
            let company = map.companies.get(symbol)?;
            Some((*i, Ok(Some(config.news.filings_url(&own::cik10(company.cik))))))
        })
        .collect()
}

/// What a cache held for `once`, by feed id.
#[derive(Default)]
struct Held {
    headlines: HashMap<FeedId, Vec<Headline>>,
    validators: HashMap<FeedId, Validators>,
}

impl From<cache::Snapshot> for Held {
    fn from(snap: cache::Snapshot) -> Self {
        let mut headlines: HashMap<FeedId, Vec<Headline>> = HashMap::new();
        // Moved, not copied: a feed that answers 304 takes what the cache held for it.
        for h in snap.headlines {
            headlines.entry(h.feed_id.clone()).or_default().push(h);
        }
        Self {
            headlines,
            validators: snap.validators.into_iter().collect(),
        }
    }
}

impl Held {
    fn validators(&self, id: &FeedId) -> Validators {
        match self.headlines.get(id) {
            Some(h) if !h.is_empty() => self.validators.get(id).cloned().unwrap_or_default(),
            _ => Validators::default(),
        }
    }

    fn take(&mut self, id: &FeedId) -> Vec<Headline> {
        self.headlines.remove(id).unwrap_or_default()
    }
}

/// Company names from the providers: they link the headlines that use them.
fn aliases_of(config: &Config, quotes: &[QuoteOutcome]) -> Aliases {
    let mut aliases = Aliases::default();
    for o in quotes {
        if let Ok(q) = &o.result
            && let Some(name) = &q.name
        {
            aliases.learn(&o.symbol, name, Aliases::taken_in(config));
        }
    }
    aliases
}

/// `benchmarks`: quotes of benchmarks the watchlist does not list, for signals.
/// `feeds`: each feed's outcome with how many items it gave, and the store that
/// took them in (linked to company names already), to be sorted and capped.
fn build(
    config: &Config,
    watchlist: &str,
    quote_outcomes: Vec<QuoteOutcome>,
    benchmarks: Vec<crate::model::Quote>,
    usual: &HashMap<String, f64>,
    feeds: (Vec<(FeedOutcome, &NewsSource, usize)>, Store),
    now: DateTime<Utc>,
) -> Snapshot {
    let (feed_outcomes, store) = feeds;
    let mut quotes = Vec::new();
    let mut sources = Vec::new();
    // Every quote priced, by symbol: what a row's benchmark is looked up in.
    let priced: HashMap<String, crate::model::Quote> = quote_outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok())
        .cloned()
        .chain(benchmarks)
        .map(|q| (q.symbol.clone(), q))
        .collect();
    for o in quote_outcomes {
        for a in &o.attempts {
            sources.push(SourceRow {
                kind: "quote",
                name: format!("{} {}", a.provider, o.symbol),
                url: None,
                ok: a.error.is_none(),
                error: a.error.clone(),
                items: usize::from(a.error.is_none()),
                skipped: None,
                repaired: None,
            });
        }
        let by_now = priced
            .get(&o.symbol)
            .zip(usual.get(&o.symbol))
            .and_then(|(q, avg)| crate::signals::usual_by_now(*avg, q, now));
        quotes.push(row(config, o, &priced, by_now));
    }
    for (o, source, items) in feed_outcomes {
        let (ok, error, read) = match o.result {
            Ok(FeedUpdate::Fresh { read, .. }) => (true, None, read),
            Ok(FeedUpdate::NotModified) => (true, None, ReadNotes::default()),
            Err(e) => (false, Some(e), ReadNotes::default()),
        };
        let name = match &source.symbol {
            Some(symbol) => format!("{} {symbol}", source.feed.name),
            None => source.feed.name.clone(),
        };
        sources.push(SourceRow {
            kind: source.kind.as_str(),
            name,
            url: Some(source.feed.url.to_string()),
            ok,
            error,
            items,
            skipped: Some(read.skipped),
            repaired: Some(read.repaired),
        });
    }
    let (headlines, lookups) = store.finish(config.general.max_headlines);
    // `once` ends after printing: freeing the lookups' 20,000 keys one by one is
    // a millisecond of nothing (the snapshot itself is forgotten the same way).
    std::mem::forget(lookups);
    let headlines = headlines.into_iter().map(HeadlineRow).collect();
    Snapshot {
        generated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        watchlist: watchlist.to_string(),
        portfolio: portfolio(watchlist, &quotes),
        quotes,
        headlines,
        sources,
        halts: Vec::new(),
        market: None,
    }
}

fn row(
    config: &Config,
    o: QuoteOutcome,
    priced: &HashMap<String, crate::model::Quote>,
    usual_volume: Option<f64>,
) -> QuoteRow {
    let configured = config.symbols.get(&o.symbol).and_then(|s| s.name.clone());
    match o.result {
        Ok(q) => {
            let ctx = crate::signals::Context {
                benchmark: config
                    .benchmark(&q.symbol)
                    .and_then(|b| priced.get_key_value(b))
                    .map(|(s, q)| (s.as_str(), q)),
                usual_volume,
            };
            let signals = crate::signals::of(&q, ctx, &config.signals);
            let change = q.change();
            let pct = q.change_pct();
            let flag = config.level_of(&q);
            let position = config.holding(&q).map(rounded);
            let market_value = q.market_value_change(config.shares_outstanding(&q.symbol));
            let extended = q
                .extended
                .zip(q.extended_change())
                .map(|(e, (c, p))| ExtendedRow {
                    session: e.session,
                    price: format::round(e.price, 4),
                    change: format::round(c, 4),
                    change_pct: format::round(p, 3),
                    time: e.time.to_rfc3339_opts(SecondsFormat::Secs, true),
                });
            QuoteRow {
                name: configured.or(q.name.clone()).unwrap_or_else(|| q.symbol.clone()),
                price: Some(format::round(q.price, 4)),
                previous_close: q.previous_close.map(|p| format::round(p, 4)),
                base: Some(if q.rolling() { "24h" } else { "close" }),
                change: change.map(|c| format::round(c, 4)),
                change_pct: pct.map(|p| format::round(p, 3)),
                // At the price's precision: 82.26960000000001 is float noise, not a price.
                day_high: q.day_high.map(|p| format::round(p, 4)),
                day_low: q.day_low.map(|p| format::round(p, 4)),
                volume: q.volume,
                currency: q.currency.clone(),
                market_time: q
                    .market_time
                    .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
                extended,
                flag,
                market_value_currency: market_value.and(q.money_currency()).map(String::from),
                market_value_change: market_value.map(f64::round),
                provider: Some(q.provider),
                stale: false,
                error: None,
                position,
                rebased: config.basis(&q.symbol) == Basis::Rebased,
                signals,
                symbol: q.symbol,
            }
        }
        Err(e) => QuoteRow {
            rebased: config.basis(&o.symbol) == Basis::Rebased,
            name: configured.unwrap_or_else(|| o.symbol.clone()),
            symbol: o.symbol,
            price: None,
            previous_close: None,
            base: None,
            change: None,
            change_pct: None,
            day_high: None,
            day_low: None,
            volume: None,
            currency: None,
            market_time: None,
            extended: None,
            flag: Level::None,
            market_value_change: None,
            market_value_currency: None,
            provider: None,
            stale: false,
            error: Some(e),
            position: None,
            signals: Vec::new(),
        },
    }
}

/// "in EUR: 21,345.12 · day -1,234.00 · P&L +2,000.00 (1 USD = 0.96 EUR, 1 GBP = 1.2 EUR)",
/// or what keeps the total from being known.
fn converted_line(c: &crate::fx::Converted) -> String {
    let rates: Vec<String> = c
        .rates
        .iter()
        .map(|(from, r)| format!("1 {from} = {} {}", crate::fx::figure(*r), c.currency))
        .collect();
    let mut caveats: Vec<String> = c
        .missing
        .iter()
        .map(|m| format!("no {m}→{} rate", c.currency))
        .collect();
    caveats.extend(c.stale.iter().map(|s| format!("{s} rate over 15 min old")));
    let at = if rates.is_empty() {
        String::new()
    } else {
        format!(" ({})", rates.join(", "))
    };
    let caveat = if caveats.is_empty() {
        String::new()
    } else {
        format!(" · {}", caveats.join(", "))
    };
    match (c.value, c.day_pnl, c.total_pnl) {
        (Some(v), Some(d), Some(t)) => format!(
            "positions in {}: {} · day {} · P&L {}{at}{caveat}",
            c.currency,
            format::money(v),
            format::signed_money(d),
            format::signed_money(t)
        ),
        _ => format!("positions in {}: unknown{caveat}", c.currency),
    }
}

/// Money to the cent and percentages to a thousandth, as the other figures.
fn rounded(h: Holding) -> Holding {
    Holding {
        cost: format::round(h.cost, 2),
        value: format::round(h.value, 2),
        day_pnl: h.day_pnl.map(|v| format::round(v, 2)),
        total_pnl: format::round(h.total_pnl, 2),
        total_pnl_pct: h.total_pnl_pct.map(|v| format::round(v, 3)),
        ..h
    }
}

/// The watchlist's totals from the rows' (rounded) positions.
fn portfolio(watchlist: &str, quotes: &[QuoteRow]) -> Vec<PortfolioEntry> {
    position::totals(watchlist, quotes.iter().filter_map(|q| q.position.as_ref()))
        .into_iter()
        .map(|t| {
            PortfolioEntry::Own(Total {
                value: format::round(t.value, 2),
                day_pnl: format::round(t.day_pnl, 2),
                total_pnl: format::round(t.total_pnl, 2),
                ..t
            })
        })
        .collect()
}

impl Snapshot {
    /// The snapshot as SPEC §5's JSON, laid out as `serde_json::to_writer_pretty` lays it out.
    pub fn write_json(&self, out: &mut impl Write) -> std::io::Result<()> {
        json::write(self, out)
    }

    /// A symbol at the alert line, or halted (a circuit breaker too).
    pub fn any_alert(&self) -> bool {
        self.quotes.iter().any(|q| q.flag == Level::Alert) || self.halts.iter().any(|h| h.active)
    }

    /// An aligned table; ANSI colour only when `color` (stdout is a terminal and
    /// NO_COLOR is unset).
    pub fn write_text(&self, out: &mut impl Write, color: bool) -> std::io::Result<()> {
        writeln!(out, "{} · {}", self.watchlist, self.generated_at)?;
        let head = [
            "SYMBOL", "NAME", "PRICE", "CHANGE", "CHG%", "EXTENDED", "FLAG", "SOURCE",
        ];
        let rows: Vec<[String; 8]> = self
            .quotes
            .iter()
            .map(|q| {
                [
                    q.symbol.clone(),
                    q.name.chars().take(24).collect(),
                    q.price
                        .map(|p| if q.rebased { Basis::Rebased } else { Basis::Price }.show(p))
                        .unwrap_or_else(|| "—".into()),
                    q.change.map(format::signed).unwrap_or_default(),
                    q.change_pct
                        .map(|p| match q.base {
                            Some("24h") => format!("{} 24h", format::pct(p)),
                            _ => format::pct(p),
                        })
                        .unwrap_or_default(),
                    q.extended
                        .as_ref()
                        .map(|e| {
                            format!(
                                "{} {} {}",
                                e.session.label(),
                                format::price(e.price),
                                format::pct(e.change_pct)
                            )
                        })
                        .unwrap_or_default(),
                    {
                        // The flag, then the signals' chips: "ALERT GAP REL".
                        let flag = match q.flag {
                            Level::Alert => "ALERT",
                            Level::Warn => "warn",
                            Level::None => "",
                        };
                        let chips = q.signals.iter().map(crate::signals::Signal::chip);
                        std::iter::once(flag)
                            .chain(chips)
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ")
                    },
                    match (&q.provider, &q.error) {
                        (_, Some(e)) => format!("error: {e}"),
                        (Some(p), None) => p.clone(),
                        (None, None) => String::new(),
                    },
                ]
            })
            .collect();
        let mut widths = head.map(str::len);
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let numeric = [false, false, true, true, true, false, false, false];
        let line = |cells: &[String]| -> String {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(c.chars().count());
                if i + 1 == cells.len() {
                    s.push_str(c);
                } else if numeric[i] {
                    s.push_str(&format!("{}{c}  ", " ".repeat(pad)));
                } else {
                    s.push_str(&format!("{c}{}  ", " ".repeat(pad)));
                }
            }
            s.trim_end().to_string()
        };
        writeln!(out, "{}", line(&head.map(String::from)))?;
        for (r, q) in rows.iter().zip(&self.quotes) {
            let text = line(r);
            let code = match (q.flag, q.change_pct) {
                (Level::Alert, _) => "\x1b[1;37;41m",
                (Level::Warn, _) => "\x1b[1;33m",
                (_, Some(p)) if p < 0.0 => "\x1b[31m",
                (_, Some(p)) if p > 0.0 => "\x1b[32m",
                _ => "",
            };
            if color && !code.is_empty() {
                writeln!(out, "{code}{text}\x1b[0m")?;
            } else {
                writeln!(out, "{text}")?;
            }
        }
        for entry in &self.portfolio {
            match entry {
                PortfolioEntry::Own(t) => writeln!(
                    out,
                    "positions: {} {} · day {} · P&L {}",
                    format::money(t.value),
                    t.currency.as_deref().unwrap_or(""),
                    format::signed_money(t.day_pnl),
                    format::signed_money(t.total_pnl)
                )?,
                PortfolioEntry::Converted(c) => writeln!(out, "{}", converted_line(c))?,
            }
        }
        if let (Some(b), Some(index)) = (&self.market, self.sources.iter().find(|s| s.kind == "market")) {
            writeln!(out, "\n{}", market::line(b, &index.name))?;
        }
        halts::write_text(&self.halts, out)?;
        self.write_headlines(out)?;
        for s in self.sources.iter().filter(|s| s.kind != "quote") {
            let kind = s.kind.replace('_', " ");
            if !s.ok {
                writeln!(
                    out,
                    "{kind} {}: {}",
                    s.name,
                    s.error.as_deref().unwrap_or_default()
                )?;
            } else if let Some(note) = read_note(s.repaired == Some(true), s.skipped.unwrap_or(0)) {
                writeln!(out, "{kind} {}: {note}", s.name)?;
            }
        }
        Ok(())
    }

    /// The newest headlines under the quotes: time (UTC), feed, title, symbols.
    fn write_headlines(&self, out: &mut impl Write) -> std::io::Result<()> {
        const SHOWN: usize = 20;
        if self.headlines.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "\nHEADLINES ({} of {}, times in UTC)",
            self.headlines.len().min(SHOWN),
            self.headlines.len()
        )?;
        let feed_w = self
            .headlines
            .iter()
            .take(SHOWN)
            .map(|h| h.0.feed.chars().count())
            .max()
            .unwrap_or(0);
        for HeadlineRow(h) in self.headlines.iter().take(SHOWN) {
            let when = h.published.map_or_else(
                || "undated".to_string(),
                |t| t.format("%Y-%m-%d %H:%M").to_string(),
            );
            let mut chips: String = h.symbols.iter().map(|s| format!(" [{s}]")).collect();
            if h.filing.is_some() {
                chips.push_str(" [FILING]");
            }
            let pad = feed_w - h.feed.chars().count();
            writeln!(
                out,
                "{when:<16}  {}{}  {}{chips}",
                h.feed,
                " ".repeat(pad),
                h.title
            )?;
        }
        Ok(())
    }
}

/// How a feed that was read needed help, in words: "repaired (ill-formed or
/// mis-encoded), 2 items with nothing to show left out".
pub fn read_note(repaired: bool, skipped: usize) -> Option<String> {
    let mut parts = Vec::new();
    if repaired {
        parts.push("repaired (ill-formed or mis-encoded)".to_string());
    }
    match skipped {
        0 => {}
        1 => parts.push("1 item with nothing to show left out".into()),
        n => parts.push(format!("{n} items with nothing to show left out")),
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}
