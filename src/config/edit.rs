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
    match edit {
        Edit::Add { symbol } => {
            if position(symbols, symbol).is_some() {
                return Err(format!("{symbol} is already in \"{watchlist}\""));
            }
            // Match the spacing of the existing items: a new last item copies the
            // decor of the current last one, so `["A", "B"]` becomes `["A", "B", "C"]`.
            let decor = symbols.iter().last().map(|v| v.decor().clone());
            symbols.push(symbol.as_str());
            if let (Some(d), Some(last)) = (decor, symbols.iter_mut().last()) {
                *last.decor_mut() = d;
            }
        }
        Edit::Remove { symbol } => {
            let i = position(symbols, symbol).ok_or_else(|| format!("{symbol} is not in \"{watchlist}\""))?;
            if symbols.len() == 1 {
                return Err(format!(
                    "\"{watchlist}\" would be empty; a watchlist needs a symbol"
                ));
            }
            let first_decor = symbols.get(0).map(|v| v.decor().clone());
            symbols.remove(i);
            // Removing the first item must not leave the new first one with ", " spacing.
            if let (0, Some(d), Some(first)) = (i, first_decor, symbols.get_mut(0)) {
                *first.decor_mut() = d;
            }
        }
        Edit::Move { symbol, by } => {
            let i = position(symbols, symbol).ok_or_else(|| format!("{symbol} is not in \"{watchlist}\""))?;
            let j = i as isize + by;
            if j < 0 || j as usize >= symbols.len() {
                return Ok(doc.to_string());
            }
            let j = j as usize;
            let (a, b) = (symbols.get(i).cloned(), symbols.get(j).cloned());
            if let (Some(a), Some(b)) = (a, b) {
                // Swap the values, keep each slot's spacing.
                let (da, db) = (a.decor().clone(), b.decor().clone());
                symbols.replace(i, with_decor(b, da));
                symbols.replace(j, with_decor(a, db));
            }
        }
        // Written above, before any watchlist is looked up.
        Edit::Position { .. } => {}
    }
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

fn with_decor(mut v: Value, d: toml_edit::Decor) -> Value {
    *v.decor_mut() = d;
    v
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
