//! The names headlines call a company by, learned from the provider's long name:
//! "NVIDIA Corporation" is "Nvidia" in a headline, "Alphabet Inc. Class A" is
//! "Alphabet". A headline naming the company, not the ticker, links to it.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

/// Words from which on a long name only says what kind of security it is.
const SECURITY: [&str; 9] = [
    "class",
    "common",
    "ordinary",
    "american",
    "sponsored",
    "depositary",
    "adr",
    "ads",
    "units",
];

/// Legal forms and generic words a headline leaves out, when they end a name.
const LEGAL: [&str; 34] = [
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "plc",
    "nv",
    "sa",
    "ag",
    "se",
    "asa",
    "ab",
    "oyj",
    "spa",
    "llc",
    "lp",
    "holding",
    "holdings",
    "group",
    "manufacturing",
    "technology",
    "technologies",
    "systems",
    "platforms",
    "industries",
    "international",
    "&",
    "and",
    "the",
    "de",
    // Yahoo's "Inc. New" for a company registered again.
    "new",
];

/// A word without its dots and commas, lower-cased: "N.V." is "nv".
fn norm(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '.' && *c != ',')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The name a headline would use for the company `long` names, if it is one a
/// headline can be matched on (three letters or more).
pub fn of(long: &str) -> Option<String> {
    let mut words: Vec<&str> = long
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(i) = words.iter().position(|w| SECURITY.contains(&norm(w).as_str())) {
        words.truncate(i);
    }
    if words.len() > 1 && norm(words[0]) == "the" {
        words.remove(0);
    }
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL.contains(&norm(w).as_str())) {
        words.pop();
    }
    let name: Vec<String> = words
        .iter()
        .map(|w| fold(w.trim_end_matches([',', '.'])))
        .collect();
    let name = name.join(" ");
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    (letters >= 3).then_some(name)
}

/// A brand written in capitals is a name, not an acronym, past four letters:
/// "NVIDIA" reads "Nvidia", "ASML" and "AMD" stay.
fn fold(word: &str) -> String {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters <= 4 || word.chars().any(char::is_lowercase) {
        return word.to_string();
    }
    let mut chars = word.chars();
    let first = chars.next().map(|c| c.to_string()).unwrap_or_default();
    first + &chars.as_str().to_lowercase()
}

/// A symbol's place in `order` (unknown ones last).
pub fn rank_in(order: &[String]) -> impl Fn(&str) -> usize + '_ {
    move |s: &str| order.iter().position(|o| o == s).unwrap_or(usize::MAX)
}

/// Learned names and the symbols they stand for, matched in one pass.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    names: Vec<(String, String)>,
    matcher: Option<AhoCorasick>,
}

impl Aliases {
    /// Forgets the names of symbols `keep` refuses (removed from every watchlist).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        let before = self.names.len();
        self.names.retain(|(s, _)| keep(s));
        if self.names.len() != before {
            self.rebuild();
        }
    }

    fn rebuild(&mut self) {
        let patterns: Vec<&str> = self.names.iter().map(|(_, n)| n.as_str()).collect();
        self.matcher = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(&patterns)
                .inspect_err(|e| tracing::warn!("name matcher not built: {e}"))
                .ok()
        };
    }

    /// Adds `symbol`'s name from its provider's long name; whether it is new.
    /// `taken` says whether a name is a configured keyword or ticker already:
    /// what the user configured wins.
    pub fn learn(&mut self, symbol: &str, long: &str, taken: impl Fn(&str) -> bool) -> Option<String> {
        let name = of(long)?;
        if taken(&name)
            || self
                .names
                .iter()
                .any(|(s, n)| s == symbol && n.eq_ignore_ascii_case(&name))
        {
            return None;
        }
        self.names.retain(|(s, _)| s != symbol);
        self.names.push((symbol.to_string(), name.clone()));
        self.rebuild();
        Some(name)
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Adds to `symbols` those whose name the title or summary mention, kept in
    /// the order `rank` gives (the watchlists'); whether any was added.
    pub fn extend(
        &self,
        title: &str,
        summary: &str,
        symbols: &mut Vec<String>,
        rank: impl Fn(&str) -> usize,
    ) -> bool {
        if self.is_empty() {
            return false;
        }
        let mut found = Vec::new();
        self.symbols_in(title, &mut found);
        self.symbols_in(summary, &mut found);
        let before = symbols.len();
        for s in found {
            if !symbols.iter().any(|x| x == s) {
                symbols.push(s.to_string());
            }
        }
        let added = symbols.len() != before;
        if added {
            symbols.sort_by_key(|s| rank(s));
        }
        added
    }

    /// Links every headline of `batch` by name; `order` is every watched
    /// symbol in the watchlists' order, which the chips keep.
    pub fn link_batch(&self, batch: &mut [crate::model::Headline], order: &[String]) {
        if self.is_empty() {
            return;
        }
        for h in batch {
            let mut symbols = std::mem::take(&mut h.symbols);
            self.extend(&h.title, &h.summary, &mut symbols, rank_in(order));
            h.symbols = symbols;
        }
    }

    /// A config's rule for [`Aliases::learn`]: a configured keyword (in any case)
    /// is the user's, never a learned name; a name written as a ticker ("ASML")
    /// is linked by the ticker already. "Arm" is not "ARM": tickers match as written.
    pub fn taken_in(config: &crate::config::Config) -> impl Fn(&str) -> bool + '_ {
        move |name: &str| {
            config
                .symbols
                .values()
                .any(|s| s.keywords.iter().any(|k| k.eq_ignore_ascii_case(name)))
                || config
                    .watchlists
                    .iter()
                    .any(|w| w.symbols.iter().any(|s| s.trim_start_matches('^') == name))
        }
    }

    /// The symbols whose name `text` mentions: as a whole word starting with a
    /// capital ("Nvidia", "NVIDIA"; an "arm" is not Arm).
    pub fn symbols_in<'a>(&'a self, text: &str, out: &mut Vec<&'a str>) {
        let Some(m) = &self.matcher else { return };
        for hit in m.find_overlapping_iter(text) {
            let symbol = self.names[hit.pattern().as_usize()].0.as_str();
            let capital = text[hit.start()..].chars().next().is_some_and(char::is_uppercase);
            if capital && super::link::is_word_at(text, hit.start(), hit.end()) && !out.contains(&symbol) {
                out.push(symbol);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_long_names_become_what_headlines_say() {
        let table = [
            ("NVIDIA Corporation", Some("Nvidia")),
            ("Apple Inc.", Some("Apple")),
            (
                "Taiwan Semiconductor Manufacturing Company Limited",
                Some("Taiwan Semiconductor"),
            ),
            ("ASML Holding N.V.", Some("ASML")),
            ("Alphabet Inc. Class A", Some("Alphabet")),
            ("Alphabet Inc. Class C Capital Stock", Some("Alphabet")),
            ("NVIDIA Corporation Common Stock", Some("Nvidia")),
            ("Broadcom Inc.", Some("Broadcom")),
            ("Meta Platforms, Inc.", Some("Meta")),
            ("Micron Technology, Inc.", Some("Micron")),
            ("Arm Holdings plc American Depositary Shares", Some("Arm")),
            ("Advanced Micro Devices, Inc.", Some("Advanced Micro Devices")),
            ("The Walt Disney Company", Some("Walt Disney")),
            ("SAP SE", Some("SAP")),
            ("Ocado Group plc", Some("Ocado")),
            ("Berkshire Hathaway Inc. New", Some("Berkshire Hathaway")),
            ("GE", None),
            ("X Corp.", None),
        ];
        for (long, want) in table {
            assert_eq!(of(long).as_deref(), want, "{long}");
        }
    }

    fn learned() -> Aliases {
        let mut a = Aliases::default();
        a.learn("NVDA", "NVIDIA Corporation", |_| false);
        a.learn("ARM", "Arm Holdings plc American Depositary Shares", |_| false);
        a.learn("GOOGL", "Alphabet Inc. Class A", |_| false);
        a.learn("GOOG", "Alphabet Inc. Class C Capital Stock", |_| false);
        a
    }

    fn found(a: &Aliases, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        a.symbols_in(text, &mut out);
        out.into_iter().map(String::from).collect()
    }

    #[test]
    fn names_match_as_capitalised_whole_words() {
        let a = learned();
        assert_eq!(found(&a, "Nvidia sheds $600 billion"), ["NVDA"]);
        assert_eq!(found(&a, "NVIDIA's worst day"), ["NVDA"]);
        assert_eq!(
            found(&a, "nvidia in lower case is not a headline's name"),
            Vec::<String>::new()
        );
        assert_eq!(found(&a, "Nvidias"), Vec::<String>::new());
        assert_eq!(found(&a, "Arm falls; an arm of the group"), ["ARM"]);
        assert_eq!(found(&a, "a strong arm"), Vec::<String>::new());
        assert_eq!(
            found(&a, "Alphabet slips"),
            ["GOOGL", "GOOG"],
            "both share classes"
        );
    }

    #[test]
    fn what_the_user_configured_wins() {
        let mut a = Aliases::default();
        assert_eq!(a.learn("NVDA", "NVIDIA Corporation", |n| n == "Nvidia"), None);
        assert!(a.is_empty());
        assert_eq!(
            a.learn("NVDA", "NVIDIA Corporation", |_| false).as_deref(),
            Some("Nvidia")
        );
        assert_eq!(
            a.learn("NVDA", "NVIDIA Corporation", |_| false),
            None,
            "known already"
        );
    }
}
