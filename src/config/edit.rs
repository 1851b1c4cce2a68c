//! Watchlist edits from the UI, applied to the config text with toml_edit so the
//! user's comments, order and formatting stay as they were.

use toml_edit::{Array, DocumentMut, Value};

/// One change to a watchlist's symbols.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// Applies `edit` to the watchlist named `watchlist` in `text`; the new text.
pub fn apply(text: &str, watchlist: &str, edit: &Edit) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the config no longer parses: {e}"))?;
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
    }
    Ok(doc.to_string())
}

fn with_decor(mut v: Value, d: toml_edit::Decor) -> Value {
    *v.decor_mut() = d;
    v
}

/// Applies an edit to the config file in use and returns the new configuration.
/// The running default is first copied to the user's config path; the demo's
/// configuration is not a file and is not edited. The new text is validated
/// before it is written, and written atomically.
pub fn save(origin: &super::ConfigOrigin, watchlist: &str, edit: &Edit) -> Result<super::Config, String> {
    use super::ConfigOrigin;
    let (path, text) = match origin {
        ConfigOrigin::File(p) => (
            p.clone(),
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?,
        ),
        ConfigOrigin::Embedded => {
            let p = super::user_config_path(&|k| std::env::var(k).ok())
                .ok_or("no place for a config file: set $HOME or run with -c PATH")?;
            (p, super::DEFAULT_CONFIG.to_string())
        }
        ConfigOrigin::Demo => return Err("the demo's watchlists are not saved".into()),
    };
    let new = apply(&text, watchlist, edit)?;
    let config = super::parse(&new, ConfigOrigin::File(path.clone())).map_err(|e| e.to_string())?;
    super::write_atomically(&path, &new).map_err(|e| format!("{}: not saved: {e}", path.display()))?;
    Ok(config)
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
