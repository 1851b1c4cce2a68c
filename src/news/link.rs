//! Which watchlist symbols a headline is about (SPEC §4): the symbol as an
//! upper-case word ("NVDA", "^NDX" as "NDX"), or any of its keywords, matched
//! case-insensitively; always whole words.

use crate::config::Config;

#[derive(Debug, Clone, Default)]
pub struct Linker {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    symbol: String,
    token: String,
    keywords: Vec<String>,
}

impl Linker {
    pub fn new(config: &Config) -> Self {
        let rules = config
            .all_symbols()
            .into_iter()
            .map(|symbol| {
                let keywords = config
                    .symbols
                    .get(&symbol)
                    .map(|s| s.keywords.iter().map(|k| k.to_lowercase()).collect())
                    .unwrap_or_default();
                Rule {
                    token: symbol.trim_start_matches('^').to_string(),
                    symbol,
                    keywords,
                }
            })
            .collect();
        Self { rules }
    }

    /// The symbols, in watchlist order, that the title or summary mention.
    pub fn symbols(&self, title: &str, summary: &str) -> Vec<String> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let lower_title = title.to_lowercase();
        let lower_summary = summary.to_lowercase();
        self.rules
            .iter()
            .filter(|r| {
                has_word(title, &r.token)
                    || has_word(summary, &r.token)
                    || r.keywords
                        .iter()
                        .any(|k| has_word(&lower_title, k) || has_word(&lower_summary, k))
            })
            .map(|r| r.symbol.clone())
            .collect()
    }
}

/// `needle` occurs in `hay` with no letter or digit on either side.
pub fn has_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if edge(before) && edge(after) {
            return true;
        }
        from = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigOrigin, parse};

    fn linker() -> Linker {
        let c = parse(
            r#"
[[watchlist]]
name = "W"
symbols = ["NVDA", "^NDX", "AAPL", "T"]
[symbol."NVDA"]
keywords = ["Nvidia", "Jensen Huang"]
[symbol."^NDX"]
keywords = ["Nasdaq-100", "Nasdaq 100"]
"#,
            ConfigOrigin::Embedded,
        )
        .unwrap();
        Linker::new(&c)
    }

    #[test]
    fn symbols_and_keywords_as_whole_words() {
        let l = linker();
        assert_eq!(
            l.symbols("NVIDIA sheds $590bn as DeepSeek rattles AI trade", ""),
            ["NVDA"]
        );
        assert_eq!(l.symbols("Why $NVDA fell", ""), ["NVDA"]);
        assert_eq!(l.symbols("Nasdaq 100 futures slide; NDX down 3%", ""), ["^NDX"]);
        assert_eq!(l.symbols("Chips", "jensen huang says..."), ["NVDA"]);
        assert!(
            l.symbols("Nvidias and nvda lower-case are not the ticker", "")
                .is_empty()
        );
        assert!(l.symbols("Tariffs hit AAPLX", "").is_empty());
        assert_eq!(l.symbols("AT&T and T-Mobile", ""), ["T"]);
    }

    #[test]
    fn word_edges() {
        assert!(has_word("a NVDA b", "NVDA"));
        assert!(has_word("NVDA", "NVDA"));
        assert!(has_word("(NVDA)", "NVDA"));
        assert!(!has_word("NVDAX", "NVDA"));
        assert!(!has_word("ÄNVDA", "NVDA"));
        assert!(has_word("xNVDA NVDA", "NVDA"));
    }
}
