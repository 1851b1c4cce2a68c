//! Configuration errors that name the file, line, column and key.

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based line and column, when the parser knows where the problem is.
    pub position: Option<(usize, usize)>,
    /// Dotted key path, e.g. `alerts.warn_drop_pct` or `watchlist[1].symbols[0]`.
    pub key: Option<String>,
    pub message: String,
    /// The offending line, shown under the message with a caret.
    pub excerpt: Option<String>,
}

impl ConfigError {
    pub fn plain(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            position: None,
            key: None,
            message: message.into(),
            excerpt: None,
        }
    }

    pub fn at(
        file: &str,
        text: &str,
        span: Option<Range<usize>>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        let (position, excerpt) = match span {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                let content = text.lines().nth(line - 1).unwrap_or("").to_string();
                (Some((line, col)), Some(content))
            }
            None => (None, None),
        };
        Self {
            file: file.to_string(),
            position,
            key: key.filter(|k| !k.is_empty() && k != "."),
            message: message.into(),
            excerpt,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let (Some((line, col)), Some(excerpt)) = (self.position, &self.excerpt) {
            let gutter = line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{line} | {excerpt}\n{:gutter$} | {:>col$}",
                "", "", "^"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\nné = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let off = text.find('=').map(|_| text.rfind('=').unwrap_or(0)).unwrap_or(0);
        assert_eq!(line_col(text, off), (2, 4));
    }

    #[test]
    fn display_has_file_line_column_key_and_caret() {
        let text = "[alerts]\nwarn_drop_pct = \"x\"\n";
        let e = ConfigError::at(
            "c.toml",
            text,
            Some(25..28),
            Some("alerts.warn_drop_pct".into()),
            "invalid type",
        );
        let shown = e.to_string();
        assert!(shown.starts_with("c.toml:2:17: key `alerts.warn_drop_pct`: invalid type"));
        assert!(shown.contains("2 | warn_drop_pct = \"x\""));
        assert!(shown.ends_with("|                 ^"), "{shown}");
    }
}
