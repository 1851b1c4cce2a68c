//! A symbol's own sources: what their answers mean beyond a feed. Yahoo's
//! per-symbol headlines belong to the symbol even when they never name it;
//! EDGAR's filings feed becomes filing headlines of the forms asked for; SEC's
//! ticker map says which company (CIK) files under a ticker.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::config::{News, SourceKind};
use crate::model::{Company, Headline, TickerMap};

/// Makes a symbol's own headlines its own: each is linked to `symbol`, and a
/// filings feed keeps only the forms `news` asks for, marked with their form.
pub fn claim(headlines: &mut Vec<Headline>, symbol: &str, kind: SourceKind, news: &News) {
    if kind == SourceKind::Filings {
        headlines.retain_mut(|h| match form_of(&h.title) {
            Some(form) if news.wants(form) => {
                h.filing = Some(form.to_string());
                true
            }
            _ => false,
        });
    }
    for h in headlines {
        if !h.symbols.iter().any(|s| s == symbol) {
            // First: the source it came from says most surely what it is about.
            h.symbols.insert(0, symbol.to_string());
        }
    }
}

/// The form type EDGAR puts first in a filing's title ("8-K - Current report",
/// "SC 13G/A - [Amend] Statement of ...").
pub fn form_of(title: &str) -> Option<&str> {
    let (form, _) = title.split_once(" - ")?;
    let form = form.trim();
    let plausible = !form.is_empty()
        && form.len() <= 12
        && form
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '/' | ' '));
    plausible.then_some(form)
}

#[derive(Deserialize)]
struct Entry {
    cik_str: serde_json::Value,
    ticker: String,
    title: String,
}

/// Reads `company_tickers.json`: an object of numbered entries
/// `{"cik_str": 1045810, "ticker": "NVDA", "title": "NVIDIA CORP"}`. Entries
/// that cannot be read are left out; a document with none is an error.
pub fn parse_tickers(bytes: &[u8], fetched: DateTime<Utc>) -> Result<TickerMap, String> {
    let raw: HashMap<String, serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| format!("not SEC's ticker map: {e}"))?;
    let mut companies = HashMap::with_capacity(raw.len());
    for v in raw.into_values() {
        let Ok(e) = serde_json::from_value::<Entry>(v) else {
            continue;
        };
        // A number in the real file; a string is read too.
        let cik = match &e.cik_str {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        let ticker = e.ticker.trim().to_ascii_uppercase();
        if let Some(cik) = cik.filter(|_| !ticker.is_empty()) {
            companies.entry(ticker).or_insert(Company {
                cik,
                title: e.title.trim().to_string(),
            });
        }
    }
    if companies.is_empty() {
        return Err("SEC's ticker map has no companies".into());
    }
    Ok(TickerMap { fetched, companies })
}

/// A CIK as EDGAR's URLs write it: ten digits.
pub fn cik10(cik: u64) -> String {
    format!("{cik:010}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FeedId;

    fn news() -> News {
        News::sample()
    }

    fn h(title: &str, symbols: &[&str]) -> Headline {
        Headline {
            id: title.into(),
            title: title.into(),
            url: None,
            canonical: None,
            feed: "SEC".into(),
            feed_id: FeedId::default(),
            feed_index: 0,
            published: None,
            summary: String::new(),
            symbols: symbols.iter().map(|s| (*s).to_string()).collect(),
            read: false,
            filing: None,
        }
    }

    #[test]
    fn forms_come_from_the_title() {
        assert_eq!(form_of("8-K - Current report"), Some("8-K"));
        assert_eq!(form_of("10-K/A - [Amend] Annual report"), Some("10-K/A"));
        assert_eq!(
            form_of("SC 13G/A - [Amend] Statement of acquisition"),
            Some("SC 13G/A")
        );
        assert_eq!(form_of("Nvidia falls - a record loss"), None);
        assert_eq!(form_of("no dash at all"), None);
    }

    #[test]
    fn filings_keep_the_forms_asked_for_and_belong_to_their_symbol() {
        let mut hs = vec![
            h("8-K - Current report", &[]),
            h(
                "4 - Statement of changes in beneficial ownership of securities",
                &[],
            ),
            h("10-Q/A - [Amend] Quarterly report", &["AMD"]),
        ];
        claim(&mut hs, "NVDA", SourceKind::Filings, &news());
        let got: Vec<(&str, Option<&str>, Vec<&str>)> = hs
            .iter()
            .map(|h| {
                let syms = h.symbols.iter().map(String::as_str).collect();
                (h.title.as_str(), h.filing.as_deref(), syms)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("8-K - Current report", Some("8-K"), vec!["NVDA"]),
                (
                    "10-Q/A - [Amend] Quarterly report",
                    Some("10-Q/A"),
                    vec!["NVDA", "AMD"]
                ),
            ]
        );
    }

    #[test]
    fn news_of_a_symbol_is_linked_to_it_once() {
        let mut hs = vec![h("Chip stocks slide", &[]), h("NVDA falls", &["NVDA"])];
        claim(&mut hs, "NVDA", SourceKind::SymbolNews, &news());
        assert!(hs.iter().all(|h| h.symbols == ["NVDA"] && h.filing.is_none()));
    }

    #[test]
    fn the_ticker_map_reads_secs_shape() {
        // The shape of https://www.sec.gov/files/company_tickers.json: numbered
        // entries, the CIK a number, tickers with a dash for a share class.
        let doc = br#"{"0":{"cik_str":1045810,"ticker":"NVDA","title":"NVIDIA CORP"},
            "1":{"cik_str":1067983,"ticker":"BRK-B","title":"BERKSHIRE HATHAWAY INC"},
            "2":{"cik_str":"320193","ticker":"aapl","title":"Apple Inc."},
            "3":{"ticker":"BROKEN"}}"#;
        let m = parse_tickers(doc, Utc::now()).unwrap();
        assert_eq!(m.companies.len(), 3);
        assert_eq!(m.companies["NVDA"].cik, 1_045_810);
        assert_eq!(m.companies["BRK-B"].title, "BERKSHIRE HATHAWAY INC");
        assert_eq!(m.companies["AAPL"].cik, 320_193);
        assert_eq!(cik10(1_045_810), "0001045810");
        assert!(parse_tickers(b"<html>", Utc::now()).is_err());
        assert!(parse_tickers(b"{}", Utc::now()).is_err());
    }
}
