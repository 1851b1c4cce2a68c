//! Which watchlist symbols a headline is about (SPEC §4): the symbol as an
//! upper-case word ("NVDA", "^NDX" as "NDX"), or any of its keywords, matched
//! case-insensitively; always whole words.
//!
//! Every symbol and keyword is searched in one pass over the text (Aho-Corasick):
//! with 500 symbols, one search per symbol made linking 70% of `once`'s time.

use aho_corasick::{AhoCorasick, Anchored, Input, StartKind, automaton::OverlappingState};

use crate::config::Config;

#[derive(Debug, Clone, Default)]
pub struct Linker {
    symbols: Vec<String>,
    /// Upper-case tokens, matched as written.
    tokens: Option<Words>,
    /// Lower-cased keywords, matched ignoring ASCII case (in lower-cased text otherwise).
    keywords: Option<Words>,
}

/// Patterns searched only where a word starts with one of their first bytes: a
/// scan of every byte for 50 symbols was a tenth of a cold `once` (200 feeds).
#[derive(Debug, Clone)]
struct Words {
    matcher: AhoCorasick,
    /// Pattern i belongs to symbol `owner[i]`.
    owner: Vec<usize>,
    /// The bytes a pattern can begin with (both cases when case is ignored).
    first: [bool; 256],
    /// The first two bytes of the patterns longer than one byte, as bits
    /// (`b0 << 8 | b1`): most words that start like a pattern ("Nasdaq" for NVDA)
    /// are told apart by their second byte without a search. The search at each
    /// candidate was a fifth of linking's samples in a cold `once`.
    pairs: Box<[u64; 1024]>,
    /// The patterns of one byte ("T"), which no second byte can rule out.
    single: [bool; 256],
    /// The lowest and highest first byte, when all are ASCII and none is a
    /// lower-case letter (the upper-case tokens): the search for a candidate then
    /// passes over eight bytes at a time that hold none in that range.
    span: Option<(u8, u8)>,
}

fn pair_bit(b0: u8, b1: u8) -> (usize, u64) {
    let i = usize::from(b0) << 8 | usize::from(b1);
    (i / 64, 1 << (i % 64))
}

impl Linker {
    pub fn new(config: &Config) -> Self {
        let symbols = config.all_symbols();
        let mut tokens = Vec::new();
        let mut keywords = Vec::new();
        for (i, symbol) in symbols.iter().enumerate() {
            let token = symbol.trim_start_matches('^');
            if !token.is_empty() {
                tokens.push((token.to_string(), i));
            }
            for k in config
                .symbols
                .get(symbol)
                .map(|s| s.keywords.as_slice())
                .unwrap_or_default()
            {
                if !k.is_empty() {
                    keywords.push((k.to_lowercase(), i));
                }
            }
        }
        Self {
            symbols,
            tokens: Words::new(tokens, false),
            keywords: Words::new(keywords, true),
        }
    }

    /// The symbols, in watchlist order, that the title or summary mention.
    pub fn symbols(&self, title: &str, summary: &str) -> Vec<String> {
        if self.symbols.is_empty() {
            return Vec::new();
        }
        // On the stack for a watchlist of up to 64 symbols: this runs for every item.
        let mut few = [false; 64];
        let mut many = Vec::new();
        let hit: &mut [bool] = if self.symbols.len() <= few.len() {
            &mut few[..self.symbols.len()]
        } else {
            many.resize(self.symbols.len(), false);
            &mut many
        };
        let mut found = false;
        if let Some(tokens) = &self.tokens {
            for text in [title, summary] {
                found |= tokens.mark(text, hit);
            }
        }
        if let Some(keywords) = &self.keywords {
            for text in [title, summary] {
                // The matcher ignores ASCII case: ASCII text needs no lower-cased
                // copy, and where another script's letters could differ in case
                // only, the copy is made as before.
                found |= if text.is_ascii() {
                    keywords.mark(text, hit)
                } else {
                    keywords.mark(&text.to_lowercase(), hit)
                };
            }
        }
        // Most headlines name none: no walk over the whole watchlist for them.
        if !found {
            return Vec::new();
        }
        self.symbols
            .iter()
            .zip(hit.iter())
            .filter(|(_, hit)| **hit)
            .map(|(s, _)| s.clone())
            .collect()
    }
}

impl Words {
    fn new(patterns: Vec<(String, usize)>, ascii_case_insensitive: bool) -> Option<Self> {
        if patterns.is_empty() {
            return None;
        }
        let mut first = [false; 256];
        let mut single = [false; 256];
        let mut pairs = Box::new([0u64; 1024]);
        let cases = |b: u8| {
            if ascii_case_insensitive {
                [b.to_ascii_uppercase(), b.to_ascii_lowercase()]
            } else {
                [b, b]
            }
        };
        for (p, _) in &patterns {
            match *p.as_bytes() {
                [] => {}
                [b0] => {
                    for b in cases(b0) {
                        first[usize::from(b)] = true;
                        single[usize::from(b)] = true;
                    }
                }
                [b0, b1, ..] => {
                    for c0 in cases(b0) {
                        first[usize::from(c0)] = true;
                        for c1 in cases(b1) {
                            let (word, bit) = pair_bit(c0, c1);
                            pairs[word] |= bit;
                        }
                    }
                }
            }
        }
        // Plain strings of bounded size: building cannot fail; if it ever did, linking by
        // these patterns is skipped rather than the feed lost.
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(ascii_case_insensitive)
            .start_kind(StartKind::Anchored)
            .build(patterns.iter().map(|(p, _)| p))
            .inspect_err(|e| tracing::warn!("symbol matcher not built: {e}"))
            .ok()?;
        let byte = |i: Option<usize>| i.and_then(|i| u8::try_from(i).ok());
        let span = byte(first.iter().position(|&f| f))
            .zip(byte(first.iter().rposition(|&f| f)))
            .filter(|&(_, hi)| hi < b'a');
        Some(Self {
            matcher,
            owner: patterns.into_iter().map(|(_, i)| i).collect(),
            first,
            pairs,
            single,
            span,
        })
    }

    /// The first index from `from` on that holds a byte a pattern can begin with.
    fn next_first(&self, bytes: &[u8], mut from: usize) -> Option<usize> {
        if let Some((lo, hi)) = self.span {
            while let Some(chunk) = bytes.get(from..from + 8) {
                let mut hits = within(u64::from_le_bytes(chunk.try_into().expect("eight bytes")), lo, hi);
                while hits != 0 {
                    let at = from + (hits.trailing_zeros() / 8) as usize;
                    if self.first[usize::from(bytes[at])] {
                        return Some(at);
                    }
                    hits &= hits - 1;
                }
                from += 8;
            }
        }
        bytes[from..]
            .iter()
            .position(|&b| self.first[usize::from(b)])
            .map(|skip| from + skip)
    }

    /// Whether a pattern can start at `start`, by its first two bytes.
    fn may_start(&self, bytes: &[u8], start: usize) -> bool {
        let b0 = bytes[start];
        self.single[usize::from(b0)]
            || bytes.get(start + 1).is_some_and(|&b1| {
                let (word, bit) = pair_bit(b0, b1);
                self.pairs[word] & bit != 0
            })
    }

    /// Marks the owner of every pattern that occurs in `hay` as a whole word;
    /// whether it marked any.
    fn mark(&self, hay: &str, hit: &mut [bool]) -> bool {
        let mut marked = false;
        let bytes = hay.as_bytes();
        let mut next = 0;
        // A pattern's first byte is never a UTF-8 continuation byte: each
        // candidate is at a character boundary. The search for one is a loop of
        // its own: as a filter over every index, its counter went through the
        // stack at each byte, and that scan was 90% of this function's time.
        while let Some(start) = self.next_first(bytes, next) {
            next = start + 1;
            if !self.may_start(bytes, start) {
                continue;
            }
            if hay[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let input = Input::new(hay).span(start..hay.len()).anchored(Anchored::Yes);
            let mut state = OverlappingState::start();
            loop {
                if self
                    .matcher
                    .try_find_overlapping(input.clone(), &mut state)
                    .is_err()
                {
                    return marked;
                }
                let Some(m) = state.get_match() else { break };
                let symbol = self.owner[m.pattern().as_usize()];
                if !hit[symbol] && is_word_at(hay, m.start(), m.end()) {
                    hit[symbol] = true;
                    marked = true;
                }
            }
        }
        marked
    }
}

/// The high bit of each of the word's bytes that is ASCII and within `lo..=hi`
/// (`hi` below 0x80). A byte's low seven bits plus `0x80 - lo` reach the high bit
/// when it is at least `lo`, plus `0x7f - hi` when it is above `hi`; neither sum
/// carries into the next byte.
fn within(word: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = word & !HIGH;
    let from_lo = low + ONES * u64::from(0x80 - lo);
    let above_hi = low + ONES * u64::from(0x7f - hi);
    from_lo & !above_hi & !word & HIGH
}

/// No letter or digit right before `start` or right after `end`.
pub(crate) fn is_word_at(hay: &str, start: usize, end: usize) -> bool {
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    edge(hay[..start].chars().next_back()) && edge(hay[end..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigOrigin, parse};
    use proptest::prelude::*;

    /// The reference: one search per word, as the spec reads.
    /// `needle` occurs in `hay` with no letter or digit on either side.
    fn has_word(hay: &str, needle: &str) -> bool {
        if needle.is_empty() {
            return false;
        }
        let mut from = 0;
        while let Some(i) = hay[from..].find(needle) {
            let start = from + i;
            let end = start + needle.len();
            if is_word_at(hay, start, end) {
                return true;
            }
            from = start + needle.chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    fn linker() -> Linker {
        let c = parse(
            r#"
[[watchlist]]
name = "W"
symbols = ["NVDA", "^NDX", "AAPL", "T", "7203.T"]
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

    proptest! {
        /// The word-at-a-time range test marks exactly the bytes a byte-by-byte one would.
        #[test]
        fn within_marks_each_byte_in_range(word in any::<u64>(), a in 0u8..0x80, b in 0u8..0x80) {
            let (lo, hi) = (a.min(b), a.max(b));
            let expected = word
                .to_le_bytes()
                .iter()
                .enumerate()
                .filter(|(_, b)| (lo..=hi).contains(*b))
                .fold(0u64, |m, (i, _)| m | 0x80 << (8 * i));
            prop_assert_eq!(within(word, lo, hi), expected);
        }

        /// The one-pass matcher finds exactly what searching word by word finds.
        #[test]
        fn one_pass_agrees_with_word_by_word(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("NVDA"), Just("nvda"), Just("NDX"), Just("AAPL"), Just("AAPLX"), Just("T"),
                    Just("Nvidia"), Just("NVIDIA"), Just("jensen"), Just("Huang"), Just("Nasdaq"),
                    Just("100"), Just("-100"), Just("Ä"), Just("x"), Just("&"), Just("$"), Just("-"),
                    Just(" "), Just(","), Just("é"),
                    // Words that start like a pattern and part at the second byte, or end the text there.
                    Just("N"), Just("NV"), Just("Nas"), Just("J"), Just("t"), Just("AA"),
                    // The edges of the upper-case tokens' first bytes ('7' to 'T') and just outside.
                    Just("7203.T"), Just("7203"), Just("6"), Just("/"), Just("U"), Just("@"),
                    Just("stocks fell "), Just("\u{7f}"), Just("\u{80}"),
                ],
                0..24,
            ),
            split in 0..24usize,
        ) {
            let l = linker();
            let text = words.concat();
            let at = text.char_indices().nth(split).map_or(text.len(), |(i, _)| i);
            let (title, summary) = text.split_at(at);
            let rules: [(&str, &str, &[&str]); 5] = [
                ("NVDA", "NVDA", &["nvidia", "jensen huang"]),
                ("^NDX", "NDX", &["nasdaq-100", "nasdaq 100"]),
                ("AAPL", "AAPL", &[]),
                ("T", "T", &[]),
                ("7203.T", "7203.T", &[]),
            ];
            let (lt, ls) = (title.to_lowercase(), summary.to_lowercase());
            let expected: Vec<&str> = rules
                .iter()
                .filter(|(_, token, keywords)| {
                    has_word(title, token)
                        || has_word(summary, token)
                        || keywords.iter().any(|k| has_word(&lt, k) || has_word(&ls, k))
                })
                .map(|(symbol, _, _)| *symbol)
                .collect();
            prop_assert_eq!(l.symbols(title, summary), expected);
        }
    }
}
