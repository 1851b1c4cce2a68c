//! Where headlines come from: the configured feeds, and each symbol's own news
//! (Yahoo Finance's per-symbol RSS) and filings (SEC EDGAR), which need no setup.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::Url;

use super::{Config, Feed};

/// `[news]`: the per-symbol sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct News {
    /// Every watched symbol brings its own news (a symbol's `news = false` opts out).
    pub per_symbol: bool,
    /// `once` fetches them too (else only with `once --per-symbol`): a cron job
    /// asking for quotes does not send a request per symbol to a rate-limited host.
    pub once_per_symbol: bool,
    /// The filing forms shown, upper-case ("8-K"); amendments ("8-K/A") come with them.
    /// Empty: no filings.
    pub filings: Vec<String>,
    /// SEC wants a declared User-Agent with a contact; without one, no filings.
    pub sec_user_agent: Option<String>,
    /// `[providers.yahoo_news] base_url`.
    pub yahoo_news: Url,
    /// `[providers.sec] base_url`: the ticker map and the filings feeds.
    pub sec: Url,
}

/// What kind of source a headline source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A `[[feed]]` of the config.
    Feed,
    /// A symbol's Yahoo Finance headlines.
    SymbolNews,
    /// A symbol's SEC filings.
    Filings,
}

impl SourceKind {
    /// The `kind` of a `once --json` source row.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Feed => "feed",
            Self::SymbolNews => "symbol_news",
            Self::Filings => "filings",
        }
    }
}

/// One source of headlines. A symbol's own are feeds like any other, with an
/// owner: their headlines belong to that symbol even when they never name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsSource {
    pub feed: Feed,
    pub kind: SourceKind,
    /// The symbol a per-symbol source belongs to.
    pub symbol: Option<String>,
}

/// `--no-per-symbol`: a flag of the process, not of one parse, so the config
/// file reloaded after an edit keeps honouring it.
static NO_PER_SYMBOL: AtomicBool = AtomicBool::new(false);

/// Turns every symbol's own sources off for the rest of the process.
pub fn no_per_symbol() {
    NO_PER_SYMBOL.store(true, Ordering::Relaxed);
}

/// Whether the command line turned them off.
pub fn per_symbol_forbidden() -> bool {
    NO_PER_SYMBOL.load(Ordering::Relaxed)
}

impl News {
    /// Yahoo Finance's headlines about `symbol`.
    pub fn yahoo_url(&self, symbol: &str) -> Url {
        let mut u = self.yahoo_news.clone();
        u.set_path(&format!("{}/rss/2.0/headline", u.path().trim_end_matches('/')));
        u.query_pairs_mut()
            .clear()
            .append_pair("s", symbol)
            .append_pair("region", "US")
            .append_pair("lang", "en-US");
        u
    }

    /// EDGAR's Atom feed of a company's filings. `company` is its CIK (the feed
    /// that is fetched) or its ticker (the same feed as EDGAR also names it:
    /// the source's stable id, known before the CIK is).
    pub fn filings_url(&self, company: &str) -> Url {
        let mut u = self.sec.clone();
        u.set_path(&format!(
            "{}/cgi-bin/browse-edgar",
            u.path().trim_end_matches('/')
        ));
        u.query_pairs_mut()
            .clear()
            .append_pair("action", "getcompany")
            .append_pair("CIK", company)
            .append_pair("type", "")
            .append_pair("dateb", "")
            .append_pair("owner", "include")
            .append_pair("count", "100")
            .append_pair("output", "atom");
        u
    }

    /// SEC's map of every listed ticker to its company's CIK.
    pub fn tickers_url(&self) -> Url {
        let mut u = self.sec.clone();
        u.set_path(&format!(
            "{}/files/company_tickers.json",
            u.path().trim_end_matches('/')
        ));
        u.set_query(None);
        u
    }

    /// Whether filings can be fetched at all: forms asked for and a contact declared.
    pub fn filings_on(&self) -> bool {
        !self.filings.is_empty() && self.sec_user_agent.is_some()
    }

    /// Whether a filing of `form` is one the user asked for; an amendment
    /// ("10-K/A") counts as its form.
    pub fn wants(&self, form: &str) -> bool {
        let base = form.split('/').next().unwrap_or(form).trim();
        self.filings
            .iter()
            .any(|f| f.eq_ignore_ascii_case(base) || f.eq_ignore_ascii_case(form))
    }
}

impl Config {
    /// Symbols that bring their own news: every watched one unless `[news]
    /// per_symbol` is off or the symbol opted out.
    pub fn news_symbols(&self) -> Vec<String> {
        if !self.news.per_symbol {
            return Vec::new();
        }
        self.all_symbols()
            .into_iter()
            .filter(|s| !self.symbols.get(s).is_some_and(|c| c.news_off))
            .collect()
    }

    /// Filings are wanted (forms listed, symbols with news of their own) but SEC
    /// cannot be asked: no contact declared.
    pub fn filings_need_contact(&self) -> bool {
        !self.news.filings.is_empty() && self.news.sec_user_agent.is_none() && !self.news_symbols().is_empty()
    }

    /// The `check` line about each symbol's own news and filings; it is where a
    /// missing SEC contact is asked for.
    pub fn news_summary(&self) -> String {
        let symbols = self.news_symbols();
        if symbols.is_empty() {
            return "per-symbol news: off".into();
        }
        let filings = match (&self.news.sec_user_agent, self.news.filings.is_empty()) {
            (_, true) => "filings: off (no forms in [news] filings)".to_string(),
            (Some(ua), false) => format!("filings: {} as \"{ua}\"", self.news.filings.join(", ")),
            (None, false) => "filings: off until you declare a contact, as SEC asks: set [news] \
                 sec_user_agent = \"Your Name you@example.com\""
                .to_string(),
        };
        let once = if self.news.once_per_symbol {
            "once: fetches them too ([news] once_per_symbol = true)"
        } else {
            "once: quotes and [[feed]]s only; per-symbol news and filings with `once --per-symbol`"
        };
        format!(
            "per-symbol news: {} symbols (Yahoo Finance)\n  {filings}\n  {once}",
            symbols.len()
        )
    }

    /// Every source of headlines: the configured feeds first (they win a tie
    /// between copies of one story), then each symbol's news, then its filings.
    pub fn news_sources(&self) -> Vec<NewsSource> {
        let mut out: Vec<NewsSource> = self
            .feeds
            .iter()
            .map(|f| NewsSource {
                feed: f.clone(),
                kind: SourceKind::Feed,
                symbol: None,
            })
            .collect();
        let symbols = self.news_symbols();
        let own = |kind, name: &str, url: Url, symbol: &String, interval: Duration| NewsSource {
            feed: Feed {
                name: name.to_string(),
                url,
                interval,
            },
            kind,
            symbol: Some(symbol.clone()),
        };
        for s in &symbols {
            let url = self.news.yahoo_url(s);
            out.push(own(
                SourceKind::SymbolNews,
                "Yahoo",
                url,
                s,
                self.general.news_interval,
            ));
        }
        if self.news.filings_on() {
            // Filings come a few a quarter: twice the news interval is plenty.
            let every = self.general.news_interval * 2;
            for s in symbols.iter().filter(|s| may_file(s)) {
                let url = self.news.filings_url(s);
                out.push(own(SourceKind::Filings, "SEC", url, s, every));
            }
        }
        out
    }
}

/// Indices, currencies, futures and crypto pairs never file with the SEC; a
/// listing abroad (SAP.DE) is not on EDGAR under that name. Whatever else is
/// asked of SEC's ticker map, which has the last word.
fn may_file(symbol: &str) -> bool {
    !symbol.starts_with('^') && !symbol.contains(['=', '.'])
}

/// The fixture of the library's unit tests: the default forms, a contact,
/// Yahoo's real address and SEC's on loopback under a path.
#[cfg(test)]
impl News {
    pub(crate) fn sample() -> Self {
        Self {
            per_symbol: true,
            once_per_symbol: false,
            filings: vec!["8-K".into(), "10-Q".into(), "10-K".into()],
            sec_user_agent: Some("Jane Doe jane@example.com".into()),
            yahoo_news: Url::parse("https://feeds.finance.yahoo.com").unwrap(),
            sec: Url::parse("http://127.0.0.1:9/edgar/").unwrap(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn news() -> News {
        News::sample()
    }

    #[test]
    fn urls_are_the_providers_own() {
        let n = news();
        assert_eq!(
            n.yahoo_url("^IXIC").as_str(),
            "https://feeds.finance.yahoo.com/rss/2.0/headline?s=%5EIXIC&region=US&lang=en-US"
        );
        assert_eq!(
            n.filings_url("0001045810").as_str(),
            "http://127.0.0.1:9/edgar/cgi-bin/browse-edgar?action=getcompany&CIK=0001045810&type=&dateb=&owner=include&count=100&output=atom"
        );
        assert_eq!(
            n.tickers_url().as_str(),
            "http://127.0.0.1:9/edgar/files/company_tickers.json"
        );
    }

    #[test]
    fn amendments_count_as_their_form() {
        let n = news();
        assert!(n.wants("8-K"));
        assert!(n.wants("8-K/A"));
        assert!(n.wants("10-k"));
        assert!(!n.wants("4"));
        assert!(!n.wants("10-K405"));
        assert!(!n.wants("SC 13G"));
    }

    #[test]
    fn only_listings_that_may_file_ask_sec() {
        assert!(may_file("NVDA"));
        assert!(may_file("BRK-B"));
        assert!(!may_file("^IXIC"));
        assert!(!may_file("EURUSD=X"));
        assert!(!may_file("SAP.DE"));
    }
}
