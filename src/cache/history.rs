//! Reading a chart answer back from the cache: its own read-only connection,
//! so a range shown again does not wait on (or hold up) the writer.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

/// The stored answer of `symbol` over `range` in bars of `interval`, and when it
/// was fetched; `None` when there is none or the file cannot be read.
pub fn read(path: &Path, symbol: &str, range: &str, interval: &str) -> Option<(DateTime<Utc>, Vec<u8>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    conn.busy_timeout(std::time::Duration::from_secs(1)).ok()?;
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT fetched, body FROM chart_history WHERE symbol = ?1 AND range = ?2 AND interval = ?3",
            params![symbol, range, interval],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .inspect_err(|e| tracing::debug!(error = %e, "no chart history from the cache"))
        .ok()?;
    let (fetched, body) = row?;
    Some((DateTime::from_timestamp(fetched, 0)?, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::db::{self, Write};

    #[test]
    fn an_answer_written_is_read_back_by_its_key_and_forgotten_with_its_symbol() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut conn = db::open(&path).unwrap();
        let at = DateTime::from_timestamp(1_737_990_000, 0).unwrap();
        let write = |symbol: &str, body: &[u8]| Write::History {
            symbol: symbol.into(),
            range: "1y".into(),
            interval: "1d".into(),
            fetched: at,
            body: body.to_vec(),
        };
        db::apply(
            &mut conn,
            &[write("NVDA", b"old"), write("NVDA", b"new"), write("AAPL", b"a")],
            at,
        )
        .unwrap();
        assert_eq!(read(&path, "NVDA", "1y", "1d"), Some((at, b"new".to_vec())));
        assert_eq!(read(&path, "NVDA", "5y", "1wk"), None);
        let gone = Write::ForgetQuotes {
            gone: vec!["NVDA".into()],
        };
        db::apply(&mut conn, &[gone], at).unwrap();
        assert_eq!(read(&path, "NVDA", "1y", "1d"), None);
        assert!(read(&path, "AAPL", "1y", "1d").is_some());
        // A week on, pruning drops it: the newest bar has moved on.
        let prune = Write::Prune {
            max: 10,
            max_age_days: 30,
            feeds: vec![],
            symbols: vec![],
            record_days: 60,
        };
        db::apply(&mut conn, &[prune], at + chrono::Duration::days(8)).unwrap();
        assert_eq!(read(&path, "AAPL", "1y", "1d"), None);
        assert_eq!(read(&dir.path().join("none.db"), "AAPL", "1y", "1d"), None);
    }
}
