//! Watchlist and position edits from the UI, applied to the config text with
//! toml_edit so the user's comments, order and formatting stay as they were.

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::position::Lot;

/// One change to a watchlist's symbols, or to a symbol's position.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Add {
        symbol: String,
    },
    Remove {
        symbol: String,
    },
    /// Moves a symbol one place down (`by` = 1) or up (`by` = -1).
    Move {
        symbol: String,
        by: isize,
    },
    /// Replaces the symbol's lots (`[symbol."X"] position`); none removes the position.
    Position {
        symbol: String,
        lots: Vec<Lot>,
    },
}

/// Applies `edit` to the watchlist named `watchlist` in `text`; the new text.
pub fn apply(text: &str, watchlist: &str, edit: &Edit) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the config no longer parses: {e}"))?;
    if let Edit::Position { symbol, lots } = edit {
        set_position(&mut doc, symbol, lots)?;
        return Ok(doc.to_string());
    }
    let lists = doc
        .get_mut("watchlist")
        .and_then(|w| w.as_array_of_tables_mut())
        .ok_or("the config has no [[watchlist]] tables")?;
    let table = lists
        .iter_mut()
        .find(|t| {
            t.get("name")
                .and_then(|n| n.as_str())
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(watchlist))
        })
        .ok_or_else(|| format!("no watchlist \"{watchlist}\" in the file"))?;
    let symbols: &mut Array = table
        .get_mut("symbols")
        .and_then(|s| s.as_array_mut())
        .ok_or_else(|| format!("watchlist \"{watchlist}\" has no symbols array"))?;
    let position = |arr: &Array, sym: &str| {
        arr.iter()
            .position(|v| v.as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case(sym)))
    };
    let mut list = Lines::of(symbols, text);
    match edit {
        Edit::Add { symbol } => {
            if position(symbols, symbol).is_some() {
                return Err(format!("{symbol} is already in \"{watchlist}\""));
            }
            list.push(Value::from(symbol.as_str()));
        }
        Edit::Remove { symbol } => {
            let i = position(symbols, symbol).ok_or_else(|| format!("{symbol} is not in \"{watchlist}\""))?;
            if symbols.len() == 1 {
                return Err(format!(
                    "\"{watchlist}\" would be empty; a watchlist needs a symbol"
                ));
            }
            list.remove(i);
        }
        Edit::Move { symbol, by } => {
            let i = position(symbols, symbol).ok_or_else(|| format!("{symbol} is not in \"{watchlist}\""))?;
            let j = i as isize + by;
            if j < 0 || j as usize >= symbols.len() {
                return Ok(doc.to_string());
            }
            list.entries.swap(i, j as usize);
        }
        // Written above, before any watchlist is looked up.
        Edit::Position { .. } => {}
    }
    list.write(symbols);
    Ok(doc.to_string())
}

/// Writes `lots` as `position = [{ shares = .., cost = .. }, ..]` in the symbol's
/// table (made when missing, found whatever case the user wrote it in).
fn set_position(doc: &mut DocumentMut, symbol: &str, lots: &[Lot]) -> Result<(), String> {
    let symbols = doc
        .entry("symbol")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_like_mut()
        .ok_or("`symbol` in the config is not a table")?;
    let key = symbols
        .iter()
        .map(|(k, _)| k.to_string())
        .find(|k| k.trim().eq_ignore_ascii_case(symbol))
        .unwrap_or_else(|| symbol.to_string());
    if lots.is_empty() {
        if let Some(t) = symbols.get_mut(&key).and_then(|t| t.as_table_like_mut()) {
            t.remove("position");
        }
        return Ok(());
    }
    let table = symbols
        .entry(&key)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
        .ok_or_else(|| format!("`symbol.\"{key}\"` in the config is not a table"))?;
    let mut array = Array::new();
    for lot in lots {
        let mut t = InlineTable::new();
        t.insert("shares", number(lot.shares));
        t.insert("cost", number(lot.cost));
        array.push(t);
    }
    table.insert("position", Item::Value(Value::Array(array)));
    Ok(())
}

/// Whole numbers as integers: `shares = 120`, not `120.0`.
fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

/// A symbols array as lines: each symbol with its own comments (the lines
/// above it and the comment after it on its line, which toml_edit keeps in the
/// next item's prefix or the array's trailing text), and each slot's spacing.
/// Comments travel with their symbol; spacing stays with the slot.
struct Lines {
    /// Whatever follows `[` on its line: the array's own, not a symbol's.
    head: String,
    entries: Vec<Entry>,
    slots: Vec<Slot>,
    /// After the last line ending, before `]`.
    tail: String,
}

struct Entry {
    value: Value,
    suffix: String,
    /// Comment lines above the symbol, with its indentation.
    above: Option<String>,
    /// The comment after it on its line, with the line ending.
    after: Option<String>,
}

/// The spacing of one place in the array, without comments.
#[derive(Clone)]
struct Slot {
    before: String,
    line_end: String,
}

/// Splits text after a comma at its first line ending: the end of the previous
/// line (with any comment on it), then what leads up to the next item.
fn split_line(s: &str) -> (String, String) {
    match s.find('\n') {
        Some(i) => (s[..=i].to_string(), s[i + 1..].to_string()),
        None => (String::new(), s.to_string()),
    }
}

/// Text with its comments taken out: the spacing alone.
fn spacing(s: &str) -> String {
    if !s.contains('#') {
        return s.to_string();
    }
    let ends_line = s.ends_with('\n');
    let indent = s.rsplit('\n').next().unwrap_or_default();
    if ends_line {
        "\n".into()
    } else {
        indent.to_string()
    }
}

fn raw(r: Option<&toml_edit::RawString>, text: &str) -> String {
    r.and_then(|r| {
        r.as_str()
            .map(String::from)
            .or_else(|| text.get(r.span()?).map(String::from))
    })
    .unwrap_or_default()
}

impl Lines {
    fn of(array: &Array, text: &str) -> Self {
        let mut prefixes: Vec<String> = array.iter().map(|v| raw(v.decor().prefix(), text)).collect();
        prefixes.push(raw(Some(array.trailing()), text));
        let (head, first) = split_line(&prefixes[0]);
        let mut entries = Vec::new();
        let mut slots = Vec::new();
        let mut before = first;
        for (i, v) in array.iter().enumerate() {
            let (line_end, next) = split_line(&prefixes[i + 1]);
            let comment = |s: &str| s.contains('#').then(|| s.to_string());
            entries.push(Entry {
                value: v.clone(),
                suffix: raw(v.decor().suffix(), text),
                above: comment(&before),
                after: comment(&line_end),
            });
            slots.push(Slot {
                before: spacing(&before),
                line_end: spacing(&line_end),
            });
            before = next;
        }
        Self {
            head,
            entries,
            slots,
            tail: before,
        }
    }

    /// A new last symbol, spaced as the last one is, without its comments.
    fn push(&mut self, value: Value) {
        let Some(last) = self.slots.last().cloned() else {
            return;
        };
        // The old last line now ends as the lines between items do.
        if let Some(between) = self.slots.iter().rev().nth(1).map(|s| s.line_end.clone())
            && let Some(l) = self.slots.last_mut()
        {
            l.line_end = between;
        }
        self.slots.push(last);
        self.entries.push(Entry {
            value,
            suffix: String::new(),
            above: None,
            after: None,
        });
    }

    /// Removes a symbol with its comments; the first and last places keep their spacing.
    fn remove(&mut self, i: usize) {
        self.entries.remove(i);
        if let Some(gone) = self.slots.pop()
            && let Some(l) = self.slots.last_mut()
        {
            l.line_end = gone.line_end;
        }
    }

    fn write(self, array: &mut Array) {
        let comma = array.trailing_comma();
        array.clear();
        let mut line_end = String::new();
        for (k, (e, slot)) in self.entries.into_iter().zip(&self.slots).enumerate() {
            let above = e.above.unwrap_or_else(|| slot.before.clone());
            let prefix = if k == 0 {
                format!("{}{above}", self.head)
            } else {
                format!("{line_end}{above}")
            };
            line_end = e.after.unwrap_or_else(|| slot.line_end.clone());
            let mut v = e.value;
            *v.decor_mut() = toml_edit::Decor::new(prefix, e.suffix);
            array.push_formatted(v);
        }
        array.set_trailing(format!("{line_end}{}", self.tail));
        array.set_trailing_comma(comma);
    }
}

/// Applies an edit to the config file in use and returns the new configuration.
/// The running default is first copied to the user's config path; the demo's
/// configuration is not a file and is not edited. The new text is validated
/// before it is written, and written atomically, through a symlink, keeping the
/// file's mode. `read` is the text the running configuration came from: a file
/// that no longer holds it (or, running the default, a file that now exists)
/// is not written; the error says so and the caller reloads.
pub fn save(
    origin: &super::ConfigOrigin,
    read: Option<&str>,
    watchlist: &str,
    edit: &Edit,
) -> Result<super::Config, SaveError> {
    use super::ConfigOrigin;
    use super::write::{Expect, WriteError, write_checked};
    let (path, text, expect) = match origin {
        ConfigOrigin::File(p) => {
            let now =
                std::fs::read_to_string(p).map_err(|e| SaveError::Other(format!("{}: {e}", p.display())))?;
            if read.is_some_and(|r| r != now) {
                return Err(SaveError::Conflict(WriteError::Changed(p.clone()).to_string()));
            }
            (p.clone(), now.clone(), Expect::Text(now))
        }
        ConfigOrigin::Embedded => {
            let p = super::user_config_path(&|k| std::env::var(k).ok()).ok_or_else(|| {
                SaveError::Other("no place for a config file: set $HOME or run with -c PATH".into())
            })?;
            (p, super::DEFAULT_CONFIG.to_string(), Expect::Absent)
        }
        ConfigOrigin::Demo => return Err(SaveError::Other("the demo's watchlists are not saved".into())),
    };
    let new = apply(&text, watchlist, edit).map_err(SaveError::Other)?;
    let config =
        super::parse(&new, ConfigOrigin::File(path.clone())).map_err(|e| SaveError::Other(e.to_string()))?;
    write_checked(&path, &new, &expect).map_err(|e| match e {
        WriteError::Io(p, e) => SaveError::Other(format!("{}: not saved: {e}", p.display())),
        conflict => SaveError::Conflict(conflict.to_string()),
    })?;
    Ok(config)
}

/// Why an edit was not saved.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveError {
    /// The file is not what the running configuration was read from: reload it.
    Conflict(String),
    Other(String),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Conflict(why) => write!(f, "{why}; reloading it"),
            Self::Other(why) => f.write_str(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# mine\n[[watchlist]]\nname = \"Main\"   # the one\nsymbols = [\"NVDA\", \"AAPL\", \"^NDX\"]  # keep\n\n[[watchlist]]\nname = \"Other\"\nsymbols = [\n  \"TSM\",\n  \"AVGO\",\n]\n# end\n";

    fn add(s: &str) -> Edit {
        Edit::Add { symbol: s.into() }
    }

    const COMMENTED: &str = "[[watchlist]]\nname = \"Main\"\nsymbols = [  # the AI trade\n  # chips\n  \"NVDA\",  # core holding, do not remove\n  \"AAPL\",\n  \"TSM\",  # foundry\n]\n";

    #[test]
    fn each_comment_stays_with_its_own_symbol() {
        let t = apply(COMMENTED, "Main", &add("MSFT")).unwrap();
        assert_eq!(t, COMMENTED.replace("# foundry\n]", "# foundry\n  \"MSFT\",\n]"));
        let gone = |s: &str| Edit::Remove { symbol: s.into() };
        let t = apply(COMMENTED, "Main", &gone("AAPL")).unwrap();
        assert_eq!(t, COMMENTED.replace("  \"AAPL\",\n", ""));
        // A removed symbol's comments go with it; the others keep theirs.
        let t = apply(COMMENTED, "Main", &gone("NVDA")).unwrap();
        assert_eq!(
            t,
            "[[watchlist]]\nname = \"Main\"\nsymbols = [  # the AI trade\n  \"AAPL\",\n  \"TSM\",  # foundry\n]\n"
        );
        let t = apply(COMMENTED, "Main", &gone("TSM")).unwrap();
        assert_eq!(t, COMMENTED.replace("  \"TSM\",  # foundry\n", ""));
        // Moved, a symbol takes its comments along.
        let down = Edit::Move {
            symbol: "NVDA".into(),
            by: 1,
        };
        let t = apply(COMMENTED, "Main", &down).unwrap();
        assert_eq!(
            t,
            "[[watchlist]]\nname = \"Main\"\nsymbols = [  # the AI trade\n  \"AAPL\",\n  # chips\n  \"NVDA\",  # core holding, do not remove\n  \"TSM\",  # foundry\n]\n"
        );
        // The array closing on the last symbol's line.
        let tight = "[[watchlist]]\nname = \"Main\"\nsymbols = [\n  \"NVDA\",  # core\n  \"AAPL\"]\n";
        let t = apply(tight, "Main", &add("MSFT")).unwrap();
        assert_eq!(t, tight.replace("\"AAPL\"]", "\"AAPL\",\n  \"MSFT\"]"));
        let t = apply(tight, "Main", &gone("AAPL")).unwrap();
        assert_eq!(
            t,
            "[[watchlist]]\nname = \"Main\"\nsymbols = [\n  \"NVDA\"  # core\n]\n"
        );
        assert!(crate::config::parse(&t, crate::config::ConfigOrigin::Embedded).is_ok());
    }

    #[test]
    fn add_remove_move_keep_everything_else() {
        let t = apply(TEXT, "Main", &add("MSFT")).unwrap();
        assert_eq!(t, TEXT.replace("\"^NDX\"]", "\"^NDX\", \"MSFT\"]"));
        let t = apply(
            TEXT,
            "main",
            &Edit::Remove {
                symbol: "NVDA".into(),
            },
        )
        .unwrap();
        assert_eq!(t, TEXT.replace("[\"NVDA\", \"AAPL\"", "[\"AAPL\""));
        let t = apply(
            TEXT,
            "Main",
            &Edit::Move {
                symbol: "NVDA".into(),
                by: 1,
            },
        )
        .unwrap();
        assert_eq!(t, TEXT.replace("[\"NVDA\", \"AAPL\"", "[\"AAPL\", \"NVDA\""));
        let t = apply(
            TEXT,
            "Main",
            &Edit::Move {
                symbol: "NVDA".into(),
                by: -1,
            },
        )
        .unwrap();
        assert_eq!(t, TEXT, "moving the first one up changes nothing");
        let t = apply(
            TEXT,
            "Other",
            &Edit::Move {
                symbol: "AVGO".into(),
                by: -1,
            },
        )
        .unwrap();
        assert_eq!(t, TEXT.replace("\"TSM\",\n  \"AVGO\"", "\"AVGO\",\n  \"TSM\""));
    }

    fn lots(l: &[(f64, f64)]) -> Edit {
        Edit::Position {
            symbol: "NVDA".into(),
            lots: l.iter().map(|&(shares, cost)| Lot { shares, cost }).collect(),
        }
    }

    #[test]
    fn positions_are_written_into_the_symbol_table_and_read_back() {
        let t = apply(TEXT, "Main", &lots(&[(120.0, 95.1), (30.0, 131.0)])).unwrap();
        // Everything stays; toml_edit keeps the file's trailing comment last.
        let before = TEXT.trim_end_matches("# end\n");
        assert!(t.starts_with(before) && t.ends_with("# end\n"), "{t}");
        assert!(
            t.contains(
                "[symbol.NVDA]\nposition = [{ shares = 120, cost = 95.1 }, { shares = 30, cost = 131 }]"
            ),
            "{t}"
        );
        let c = crate::config::parse(&t, crate::config::ConfigOrigin::Embedded).unwrap();
        assert_eq!(c.lots("NVDA").len(), 2);
        // An existing table, written in another case, keeps its other keys and comments.
        let mine = format!(
            "{TEXT}[symbol.\"nvda\"]  # the big one\nname = \"NVIDIA\"\nposition = {{ shares = 1, cost = 2 }}\n"
        );
        let t = apply(&mine, "Main", &lots(&[(5.0, 100.25)])).unwrap();
        assert!(t.contains("[symbol.\"nvda\"]  # the big one\nname = \"NVIDIA\"\nposition = [{ shares = 5, cost = 100.25 }]"), "{t}");
        // No lots: the key goes, the table stays.
        let t = apply(&mine, "Main", &lots(&[])).unwrap();
        assert!(
            t.ends_with("[symbol.\"nvda\"]  # the big one\nname = \"NVIDIA\"\n"),
            "{t}"
        );
    }

    #[test]
    fn refusals() {
        assert!(apply(TEXT, "Main", &add("NVDA")).unwrap_err().contains("already"));
        assert!(
            apply(TEXT, "Nope", &add("X"))
                .unwrap_err()
                .contains("no watchlist")
        );
        let one = "[[watchlist]]\nname = \"W\"\nsymbols = [\"A\"]\n";
        assert!(
            apply(one, "W", &Edit::Remove { symbol: "A".into() })
                .unwrap_err()
                .contains("empty")
        );
    }
}
