//! From the raw TOML to a validated [`Config`], one check per rule.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use toml::Spanned;

mod sources;

use super::providers as provider;
use super::raw::{
    RawAlerts, RawConfig, RawGeneral, RawHalts, RawMarket, RawNews, RawProviders, RawRecord, RawSignals,
    RawSymbol,
};
use super::{
    Alerts, Column, Config, ConfigError, ConfigOrigin, DEFAULT_USER_AGENT, Feed, General, Halts, IndexList,
    Market, News, Record, Signals, SymbolConfig, Watchlist,
};
use crate::model::Thresholds;
use crate::position::Lot;

/// The symbols' settings, and which symbols name a provider (where they do).
type Pinned = (BTreeMap<String, SymbolConfig>, Vec<(String, Spanned<String>)>);

/// Parses and validates a configuration text. `origin` names it in every error.
pub fn parse(text: &str, origin: ConfigOrigin) -> Result<Config, ConfigError> {
    let file = origin.to_string();
    let de = toml::Deserializer::parse(text)
        .map_err(|e| ConfigError::at(&file, text, e.span(), None, e.message()))?;
    let raw: RawConfig = serde_path_to_error::deserialize(de).map_err(|e| {
        // toml::Spanned shows up in serde's path as a private field; users never wrote it.
        let key = e
            .path()
            .to_string()
            .split(".$__serde_spanned_private")
            .next()
            .unwrap_or_default()
            .to_string();
        let inner = e.into_inner();
        let key = name_the_symbol(key, text, inner.span());
        ConfigError::at(&file, text, inner.span(), Some(key), inner.message())
    })?;
    let v = Validator { file: &file, text };
    v.config(raw, origin)
}

/// serde cannot name a `[symbol."X"]` table in an error's path (its keys keep
/// their position, so they are not plain strings) and writes `symbol.?`: the
/// table header above the error says which symbol it is.
fn name_the_symbol(key: String, text: &str, span: Option<Range<usize>>) -> String {
    let Some(rest) = key.strip_prefix("symbol.?") else {
        return key;
    };
    let before = text.get(..span.map_or(0, |s| s.start)).unwrap_or(text);
    let header = before.lines().rev().find_map(|l| {
        let l = l.trim();
        let inner = l.strip_prefix("[symbol.")?.strip_suffix(']')?;
        Some(inner.trim().to_string())
    });
    match header {
        Some(h) => format!("symbol.{h}{rest}"),
        None => key,
    }
}

struct Validator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Validator<'_> {
    fn err(&self, span: Range<usize>, key: impl Into<String>, msg: impl Into<String>) -> ConfigError {
        ConfigError::at(self.file, self.text, Some(span), Some(key.into()), msg)
    }

    fn config(&self, raw: RawConfig, origin: ConfigOrigin) -> Result<Config, ConfigError> {
        let general = self.general(raw.general)?;
        let alerts = self.alerts(raw.alerts)?;
        self.provider_tables(&raw.providers)?;
        let (symbols, pinned) = self.symbols(raw.symbol, alerts.thresholds)?;
        let watchlists = self.watchlists(raw.watchlist)?;
        let mut feeds = Vec::new();
        let mut feed_names = HashSet::new();
        for (i, f) in raw.feed.into_iter().enumerate() {
            let f = f.into_inner();
            let name = f.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(self.err(f.name.span(), format!("feed[{i}].name"), "feed name is empty"));
            }
            if !feed_names.insert(name.to_lowercase()) {
                return Err(self.err(
                    f.name.span(),
                    format!("feed[{i}].name"),
                    format!("duplicate feed name \"{name}\""),
                ));
            }
            let url = self.http_url(&f.url, &format!("feed[{i}].url"))?;
            let interval = f.interval.map_or(general.news_interval, Spanned::into_inner);
            feeds.push(Feed { name, url, interval });
        }
        let news = self.news(raw.news, &raw.providers)?;
        let halts = self.halts(raw.halts, &raw.providers)?;
        let record = self.record(raw.record)?;
        let signals = self.signals(raw.signals)?;
        let market = self.market(raw.market, &raw.providers)?;
        let (providers, routed) = self.providers(raw.quotes.providers, &raw.providers, &pinned)?;
        let stream = self.streams(raw.quotes.stream.as_ref(), &raw.providers, &providers, &routed)?;
        let portfolio = self.portfolio(raw.portfolio)?;
        Ok(Config {
            origin,
            general,
            alerts,
            watchlists,
            symbols,
            feeds,
            providers,
            routed,
            stream,
            portfolio,
            news,
            halts,
            record,
            signals,
            market,
        })
    }

    /// `[market] index`, read from `[providers.nasdaq] base_url`'s host.
    fn market(&self, m: RawMarket, raw: &RawProviders) -> Result<Market, ConfigError> {
        let index = match &m.index {
            None => Some(IndexList::Nasdaq100),
            Some(i) => match i.get_ref().trim().to_ascii_lowercase().as_str() {
                "nasdaq100" => Some(IndexList::Nasdaq100),
                "none" => None,
                other => {
                    return Err(self.err(
                        i.span(),
                        "market.index",
                        format!(
                            "unknown index {other:?} (one of: {})",
                            IndexList::NAMES.join(", ")
                        ),
                    ));
                }
            },
        };
        let custom = raw.iter().find(|(k, _)| k.get_ref() == "nasdaq");
        let base_url = match custom.and_then(|(_, p)| p.base_url.as_ref()) {
            Some(u) => self.http_url(u, "providers.nasdaq.base_url")?,
            None => provider::default_base_url("nasdaq"),
        };
        Ok(Market { index, base_url })
    }

    /// `[signals]`: thresholds above zero, alert kinds by name.
    fn signals(&self, s: RawSignals) -> Result<Signals, ConfigError> {
        let positive = |v: &Option<Spanned<f64>>, key: &str, default: f64| -> Result<f64, ConfigError> {
            match v {
                Some(x) if !(*x.get_ref() > 0.0 && x.get_ref().is_finite()) => Err(self.err(
                    x.span(),
                    format!("signals.{key}"),
                    format!("must be a number above 0, got {}", x.get_ref()),
                )),
                Some(x) => Ok(*x.get_ref()),
                None => Ok(default),
            }
        };
        let mut alert = Vec::new();
        match &s.alert {
            None => alert.push(crate::model::AlertKind::Halt),
            Some(list) => {
                for (i, k) in list.get_ref().iter().enumerate() {
                    let name = k.get_ref().trim().to_ascii_lowercase();
                    let kind = crate::model::AlertKind::parse(&name)
                        .filter(|k| k.is_signal_or_halt())
                        .ok_or_else(|| {
                            self.err(
                                k.span(),
                                format!("signals.alert[{i}]"),
                                format!(
                                    "unknown signal {:?} (one of: halt, low52, high52, gap, relative, volume)",
                                    k.get_ref()
                                ),
                            )
                        })?;
                    if !alert.contains(&kind) {
                        alert.push(kind);
                    }
                }
            }
        }
        Ok(Signals {
            gap_pct: positive(&s.gap_pct, "gap_pct", 3.0)?,
            relative_pct: positive(&s.relative_pct, "relative_pct", 5.0)?,
            volume_x: positive(&s.volume_x, "volume_x", 3.0)?,
            volume: s.volume.unwrap_or(true),
            alert,
        })
    }

    /// A news or halt source's `[providers.*] base_url`, else its public one.
    fn source_base(&self, raw: &RawProviders, name: &str) -> Result<reqwest::Url, ConfigError> {
        let custom = raw.iter().find(|(k, _)| k.get_ref() == name);
        match custom.and_then(|(_, p)| p.base_url.as_ref()) {
            Some(u) => self.http_url(u, &format!("providers.{name}.base_url")),
            None => Ok(provider::default_news_url(name)),
        }
    }

    /// `[record]`: on by default, 60 days kept, 1 to 3650.
    fn record(&self, r: RawRecord) -> Result<Record, ConfigError> {
        let days = match r.days {
            None => 60,
            Some(d) => {
                let n = *d.get_ref();
                if !(1..=3650).contains(&n) {
                    return Err(self.err(d.span(), "record.days", format!("{n} days: keep 1 to 3650")));
                }
                n
            }
        };
        Ok(Record {
            enabled: r.enabled.unwrap_or(true),
            days,
        })
    }

    /// `[halts]` and `[providers.nasdaqtrader]`.
    fn halts(&self, h: RawHalts, raw: &RawProviders) -> Result<Halts, ConfigError> {
        Ok(Halts {
            enabled: h.enabled.unwrap_or(true),
            interval: h
                .interval
                .map_or(std::time::Duration::from_secs(60), Spanned::into_inner),
            base_url: self.source_base(raw, "nasdaqtrader")?,
        })
    }

    /// `[news]` and the news sources' `[providers.*]` tables.
    fn news(&self, n: RawNews, raw: &RawProviders) -> Result<News, ConfigError> {
        let mut filings = Vec::new();
        match n.filings {
            Some(list) => {
                for (i, f) in list.get_ref().iter().enumerate() {
                    let form = f.get_ref().trim().to_ascii_uppercase();
                    if form.is_empty() || form.chars().any(char::is_control) {
                        return Err(self.err(
                            f.span(),
                            format!("news.filings[{i}]"),
                            "a form type is a name like \"8-K\", \"10-Q\" or \"S-1\"",
                        ));
                    }
                    if !filings.contains(&form) {
                        filings.push(form);
                    }
                }
            }
            None => filings.extend(["8-K", "10-Q", "10-K"].map(String::from)),
        }
        let sec_user_agent = match n.sec_user_agent {
            Some(ua) => {
                let t = ua.get_ref().trim();
                let contact = t.split_whitespace().any(|w| {
                    w.split_once('@')
                        .is_some_and(|(a, d)| !a.is_empty() && d.contains('.'))
                });
                if !contact || t.chars().any(char::is_control) {
                    return Err(self.err(
                        ua.span(),
                        "news.sec_user_agent",
                        "SEC asks for a name and a contact email, e.g. \"Jane Doe jane@example.com\"",
                    ));
                }
                Some(t.to_string())
            }
            None => None,
        };
        let base = |name: &str| self.source_base(raw, name);
        Ok(News {
            per_symbol: n.per_symbol.unwrap_or(true) && !super::news::per_symbol_forbidden(),
            once_per_symbol: n.once_per_symbol.unwrap_or(false),
            filings,
            sec_user_agent,
            yahoo_news: base("yahoo_news")?,
            sec: base("sec")?,
        })
    }

    fn general(&self, g: RawGeneral) -> Result<General, ConfigError> {
        let positive = |v: &Option<Spanned<u32>>, key: &str| -> Result<(), ConfigError> {
            match v {
                Some(s) if *s.get_ref() == 0 => {
                    Err(self.err(s.span(), format!("general.{key}"), "must be at least 1"))
                }
                _ => Ok(()),
            }
        };
        positive(&g.max_concurrent_requests, "max_concurrent_requests")?;
        positive(&g.max_headlines, "max_headlines")?;
        if let Some(b) = g.max_body_bytes.as_ref().filter(|b| *b.get_ref() < 1024) {
            return Err(self.err(b.span(), "general.max_body_bytes", "must be at least 1024"));
        }
        let user_agent = match g.user_agent {
            Some(ua) if ua.get_ref().trim().is_empty() || ua.get_ref().chars().any(char::is_control) => {
                return Err(self.err(
                    ua.span(),
                    "general.user_agent",
                    "must be a non-empty string without control characters",
                ));
            }
            Some(ua) => ua.into_inner(),
            None => DEFAULT_USER_AGENT.to_string(),
        };
        let columns = g.columns.map(|c| self.columns(c)).transpose()?;
        let secs = |v: Option<Spanned<std::time::Duration>>, d: u64| {
            v.map_or(std::time::Duration::from_secs(d), Spanned::into_inner)
        };
        Ok(General {
            quote_interval: secs(g.quote_interval, 30),
            news_interval: secs(g.news_interval, 300),
            timeout: secs(g.timeout, 10),
            max_concurrent_requests: g.max_concurrent_requests.map_or(8, |v| *v.get_ref() as usize),
            max_body_bytes: g.max_body_bytes.map_or(5_000_000, Spanned::into_inner),
            max_headlines: g.max_headlines.map_or(2000, |v| *v.get_ref() as usize),
            headline_max_age: secs(g.headline_max_age, 30 * 86_400),
            user_agent,
            columns,
        })
    }

    /// `general.columns`: known names, each once, at least one.
    fn columns(&self, c: Spanned<Vec<Spanned<String>>>) -> Result<Vec<Column>, ConfigError> {
        if c.get_ref().is_empty() {
            return Err(self.err(c.span(), "general.columns", "choose at least one column"));
        }
        let mut out = Vec::new();
        for (i, name) in c.get_ref().iter().enumerate() {
            let key = format!("general.columns[{i}]");
            let Some(col) = Column::from_key(name.get_ref().trim()) else {
                let known: Vec<&str> = Column::ALL.iter().map(|c| c.key()).collect();
                return Err(self.err(
                    name.span(),
                    key,
                    format!(
                        "unknown column \"{}\" (known: {})",
                        name.get_ref(),
                        known.join(", ")
                    ),
                ));
            };
            if out.contains(&col) {
                return Err(self.err(
                    name.span(),
                    key,
                    format!("column \"{}\" is listed twice", col.key()),
                ));
            }
            out.push(col);
        }
        Ok(out)
    }

    fn pct(&self, v: &Spanned<f64>, key: &str) -> Result<f64, ConfigError> {
        let x = *v.get_ref();
        if !(x > 0.0 && x < 100.0) {
            return Err(self.err(
                v.span(),
                key,
                format!("must be a positive percentage below 100 (a fall of at least this much), got {x}"),
            ));
        }
        Ok(x)
    }

    fn order(&self, warn: f64, alert: f64, span: Range<usize>, key: &str) -> Result<(), ConfigError> {
        if warn >= alert {
            return Err(self.err(
                span,
                key,
                format!("warn_drop_pct ({warn}) must be smaller than alert_drop_pct ({alert})"),
            ));
        }
        Ok(())
    }

    fn alerts(&self, a: RawAlerts) -> Result<Alerts, ConfigError> {
        let warn = match &a.warn_drop_pct {
            Some(v) => self.pct(v, "alerts.warn_drop_pct")?,
            None => 3.0,
        };
        let alert = match &a.alert_drop_pct {
            Some(v) => self.pct(v, "alerts.alert_drop_pct")?,
            None => 7.0,
        };
        let span = a
            .warn_drop_pct
            .as_ref()
            .or(a.alert_drop_pct.as_ref())
            .map_or(0..0, Spanned::span);
        self.order(warn, alert, span, "alerts.warn_drop_pct")?;
        let command = match a.command {
            Some(c) => {
                if c.get_ref().first().is_some_and(|p| p.trim().is_empty()) {
                    return Err(self.err(c.span(), "alerts.command", "the program (first element) is empty"));
                }
                c.into_inner()
            }
            None => Vec::new(),
        };
        let position_loss = match &a.position_loss {
            Some(v) if !(*v.get_ref() > 0.0 && v.get_ref().is_finite()) => {
                return Err(self.err(
                    v.span(),
                    "alerts.position_loss",
                    format!(
                        "must be a positive amount of money (a day's loss on a position), got {}",
                        v.get_ref()
                    ),
                ));
            }
            Some(v) => Some(*v.get_ref()),
            None => None,
        };
        Ok(Alerts {
            thresholds: Thresholds {
                warn_drop_pct: warn,
                alert_drop_pct: alert,
            },
            bell: a.bell.unwrap_or(true),
            command,
            extended_hours: a.extended_hours.unwrap_or(true),
            notify: a.notify.unwrap_or(true),
            osc_notify: a.osc_notify,
            position_loss,
        })
    }

    fn symbol_name(&self, s: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
        let upper = s.get_ref().trim().to_ascii_uppercase();
        if !is_valid_symbol(&upper) {
            return Err(self.err(
                s.span(),
                key,
                format!(
                    "\"{}\" is not a symbol: write it as Yahoo does (NVDA, ^NDX, SAP.DE, BTC-USD, EURUSD=X)",
                    s.get_ref()
                ),
            ));
        }
        Ok(upper)
    }

    fn symbols(
        &self,
        raw: BTreeMap<Spanned<String>, Spanned<RawSymbol>>,
        global: Thresholds,
    ) -> Result<Pinned, ConfigError> {
        let mut out = BTreeMap::new();
        let mut pinned = Vec::new();
        for (sym, body) in raw {
            let key = format!("symbol.\"{}\"", sym.get_ref());
            let name = self.symbol_name(&sym, &key)?;
            let body_span = body.span();
            let body = body.into_inner();
            let warn = match &body.warn_drop_pct {
                Some(v) => Some(self.pct(v, &format!("{key}.warn_drop_pct"))?),
                None => None,
            };
            let alert = match &body.alert_drop_pct {
                Some(v) => Some(self.pct(v, &format!("{key}.alert_drop_pct"))?),
                None => None,
            };
            let span = body
                .warn_drop_pct
                .as_ref()
                .or(body.alert_drop_pct.as_ref())
                .map_or(body_span, Spanned::span);
            self.order(
                warn.unwrap_or(global.warn_drop_pct),
                alert.unwrap_or(global.alert_drop_pct),
                span,
                &format!("{key}.warn_drop_pct"),
            )?;
            let bad_shares = |s: &&Spanned<f64>| !(*s.get_ref() > 0.0 && s.get_ref().is_finite());
            if let Some(s) = body.shares_outstanding.as_ref().filter(bad_shares) {
                return Err(self.err(
                    s.span(),
                    format!("{key}.shares_outstanding"),
                    "must be a positive number",
                ));
            }
            let mut keywords = Vec::new();
            for (i, k) in body.keywords.iter().enumerate() {
                let t = k.get_ref().trim();
                if t.is_empty() {
                    return Err(self.err(k.span(), format!("{key}.keywords[{i}]"), "keyword is empty"));
                }
                keywords.push(t.to_string());
            }
            let position = match &body.position {
                Some(p) => self.lots(p, &format!("{key}.position"))?,
                None => Vec::new(),
            };
            let basis = match &body.basis {
                None => super::Basis::Price,
                Some(b) => super::Basis::parse(b.get_ref()).ok_or_else(|| {
                    self.err(
                        b.span(),
                        format!("{key}.basis"),
                        format!(
                            "unknown basis {:?} (one of: {})",
                            b.get_ref(),
                            super::Basis::NAMES.join(", ")
                        ),
                    )
                })?,
            };
            let benchmark = match &body.benchmark {
                Some(b) => Some(self.symbol_name(b, &format!("{key}.benchmark"))?),
                None => None,
            };
            let provider = match &body.provider {
                Some(p) => {
                    let provider = self.symbol_provider(&name, p, &format!("{key}.provider"))?;
                    pinned.push((name.clone(), Spanned::new(p.span(), provider.clone())));
                    Some(provider)
                }
                None => None,
            };
            let cfg = SymbolConfig {
                provider,
                benchmark,
                basis,
                position,
                name: body.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
                keywords,
                warn_drop_pct: warn,
                alert_drop_pct: alert,
                shares_outstanding: body.shares_outstanding.map(Spanned::into_inner),
                news_off: body.news == Some(false),
            };
            if out.insert(name.clone(), cfg).is_some() {
                return Err(self.err(sym.span(), key, format!("{name} is configured twice")));
            }
        }
        Ok((out, pinned))
    }

    /// `position = { shares = 120, cost = 95.10 }` or an array of such lots.
    fn lots(&self, p: &Spanned<toml::Value>, key: &str) -> Result<Vec<Lot>, ConfigError> {
        let err = |msg: String| self.err(p.span(), key, msg);
        let tables: Vec<&toml::Table> = match p.get_ref() {
            toml::Value::Table(t) => vec![t],
            toml::Value::Array(a) if a.is_empty() => {
                return Err(err(
                    "no lots: give { shares = ..., cost = ... } or remove the key".into(),
                ));
            }
            toml::Value::Array(a) => a
                .iter()
                .map(|v| v.as_table())
                .collect::<Option<_>>()
                .ok_or_else(|| err("each lot is a table: { shares = 120, cost = 95.10 }".into()))?,
            other => {
                return Err(err(format!(
                    "expected a lot {{ shares = 120, cost = 95.10 }} or an array of lots, found {}",
                    other.type_str()
                )));
            }
        };
        let mut lots = Vec::new();
        for (i, t) in tables.into_iter().enumerate() {
            let which = if matches!(p.get_ref(), toml::Value::Table(_)) {
                "the lot".to_string()
            } else {
                format!("lot {}", i + 1)
            };
            if let Some(k) = t.keys().find(|k| *k != "shares" && *k != "cost") {
                return Err(err(format!(
                    "{which}: unknown key \"{k}\" (a lot has shares and cost)"
                )));
            }
            let number = |name: &str| -> Result<f64, ConfigError> {
                match t.get(name) {
                    Some(toml::Value::Integer(n)) => Ok(*n as f64),
                    Some(toml::Value::Float(x)) if x.is_finite() => Ok(*x),
                    Some(v) => Err(err(format!("{which}: {name} must be a number, found {v}"))),
                    None => Err(err(format!("{which}: {name} is missing"))),
                }
            };
            let shares = number("shares")?;
            let cost = number("cost")?;
            if shares == 0.0 {
                return Err(err(format!(
                    "{which}: shares must not be 0 (negative for a short)"
                )));
            }
            if cost < 0.0 {
                return Err(err(format!("{which}: cost must not be negative, got {cost}")));
            }
            lots.push(Lot { shares, cost });
        }
        Ok(lots)
    }

    fn watchlists(&self, raw: Vec<Spanned<super::raw::RawWatchlist>>) -> Result<Vec<Watchlist>, ConfigError> {
        if raw.is_empty() {
            return Err(ConfigError::at(
                self.file,
                self.text,
                None,
                Some("watchlist".into()),
                "no [[watchlist]]: add at least one, e.g. [[watchlist]] name = \"Main\" symbols = [\"NVDA\"]",
            ));
        }
        let mut names = HashSet::new();
        let mut out = Vec::new();
        for (i, w) in raw.into_iter().enumerate() {
            let w = w.into_inner();
            let name = w.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(self.err(
                    w.name.span(),
                    format!("watchlist[{i}].name"),
                    "watchlist name is empty",
                ));
            }
            if !names.insert(name.to_lowercase()) {
                return Err(self.err(
                    w.name.span(),
                    format!("watchlist[{i}].name"),
                    format!("duplicate watchlist \"{name}\""),
                ));
            }
            if w.symbols.get_ref().is_empty() {
                return Err(self.err(
                    w.symbols.span(),
                    format!("watchlist[{i}].symbols"),
                    format!("watchlist \"{name}\" has no symbols"),
                ));
            }
            let mut symbols: Vec<String> = Vec::new();
            for (j, s) in w.symbols.get_ref().iter().enumerate() {
                let key = format!("watchlist[{i}].symbols[{j}]");
                let sym = self.symbol_name(s, &key)?;
                if symbols.contains(&sym) {
                    return Err(self.err(s.span(), key, format!("{sym} is listed twice in \"{name}\"")));
                }
                symbols.push(sym);
            }
            let benchmark = match &w.benchmark {
                Some(b) => Some(self.symbol_name(b, &format!("watchlist[{i}].benchmark"))?),
                None => None,
            };
            out.push(Watchlist {
                name,
                symbols,
                benchmark,
            });
        }
        Ok(out)
    }

    fn http_url(&self, s: &Spanned<String>, key: &str) -> Result<reqwest::Url, ConfigError> {
        self.url(s, key, ["http", "https"], "an http or https URL")
    }

    /// A URL with a host and one of `schemes`; `what` names them in the error.
    fn url(
        &self,
        s: &Spanned<String>,
        key: &str,
        schemes: [&str; 2],
        what: &str,
    ) -> Result<reqwest::Url, ConfigError> {
        let url = reqwest::Url::parse(s.get_ref().trim())
            .map_err(|e| self.err(s.span(), key, format!("invalid URL \"{}\": {e}", s.get_ref())))?;
        if !schemes.contains(&url.scheme()) || url.host_str().is_none() {
            return Err(self.err(s.span(), key, format!("\"{}\" is not {what}", s.get_ref())));
        }
        Ok(url)
    }
}

/// Yahoo's way of writing symbols: an optional `^` (index), then letters, digits and
/// `.` `-` `=` (exchange suffix, pair, currency), starting with a letter or digit.
pub fn is_valid_symbol(s: &str) -> bool {
    let body = s.strip_prefix('^').unwrap_or(s);
    !body.is_empty()
        && body.len() <= 20
        && body.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && body
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '='))
}
