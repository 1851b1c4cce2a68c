//! The SQLite cache (SPEC §7): headlines with read state, feed validators, the
//! last good quote per symbol, the alert log. Writes go to one thread that owns
//! the connection and commits what is queued in one transaction, so the UI never
//! waits on the disk.

pub mod db;
pub mod quote_json;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

pub use db::{Snapshot, Write};

enum Msg {
    Write(Write),
    /// Answered once everything sent before it is committed.
    Flush(mpsc::Sender<()>),
}

/// A handle to the writer thread. Dropping it commits what is queued and stops.
pub struct Cache {
    tx: Option<mpsc::Sender<Msg>>,
    thread: Option<JoinHandle<()>>,
    pub path: PathBuf,
}

/// The result of opening: the cache and what it held, or why there is none;
/// and a warning to show when something was repaired or given up.
pub struct Opened {
    pub cache: Option<(Cache, Snapshot)>,
    pub warning: Option<String>,
}

/// `$XDG_DATA_HOME/tickwire/cache.db`, with the XDG fallback to ~/.local/share.
pub fn default_path() -> Option<PathBuf> {
    crate::config::xdg_file("XDG_DATA_HOME", ".local/share", "cache.db")
}

/// Opens the cache at `path`. A corrupt file is moved aside (kept) and a fresh
/// one made; a place that cannot be written means no cache. Either way the
/// program runs, and the warning says what happened.
pub fn open(path: &Path) -> Opened {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return none(format!(
            "running without a cache: cannot create {}: {e}",
            dir.display()
        ));
    }
    match db::open(path).and_then(|conn| Ok((db::load(&conn)?, conn))) {
        Ok((snapshot, conn)) => ready(path, conn, snapshot, None),
        Err(e) if is_corrupt(&e) => {
            let aside = moved_aside(path);
            tracing::warn!(path = %path.display(), aside = %aside.display(), error = %e, "corrupt cache moved aside");
            if let Err(mv) = move_aside(path, &aside) {
                return none(format!(
                    "running without a cache: {} is corrupt ({e}) and cannot be moved: {mv}",
                    path.display()
                ));
            }
            let warning = format!(
                "the cache was corrupt ({e}); kept as {} and rebuilt",
                aside.display()
            );
            match db::open(path) {
                Ok(conn) => ready(path, conn, Snapshot::default(), Some(warning)),
                Err(e) => none(format!("running without a cache: {}: {e}", path.display())),
            }
        }
        Err(e) => none(format!("running without a cache: {}: {e}", path.display())),
    }
}

fn none(warning: String) -> Opened {
    tracing::warn!("{warning}");
    Opened {
        cache: None,
        warning: Some(warning),
    }
}

fn ready(path: &Path, conn: rusqlite::Connection, snapshot: Snapshot, warning: Option<String>) -> Opened {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("tickwire-cache".into())
        .spawn(move || writer(conn, &rx))
        .ok();
    let Some(thread) = thread else {
        return none("running without a cache: cannot start its writer thread".into());
    };
    Opened {
        cache: Some((
            Cache {
                tx: Some(tx),
                thread: Some(thread),
                path: path.to_path_buf(),
            },
            snapshot,
        )),
        warning,
    }
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    matches!(e.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase))
}

fn moved_aside(path: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".corrupt-{stamp}"));
    path.with_file_name(name)
}

/// Moves the database and its WAL files aside together.
fn move_aside(path: &Path, aside: &Path) -> std::io::Result<()> {
    std::fs::rename(path, aside)?;
    for ext in ["-wal", "-shm"] {
        let mut from = path.as_os_str().to_os_string();
        from.push(ext);
        let mut to = aside.as_os_str().to_os_string();
        to.push(ext);
        if Path::new(&from).exists() {
            std::fs::rename(&from, &to)?;
        }
    }
    Ok(())
}

fn writer(mut conn: rusqlite::Connection, rx: &mpsc::Receiver<Msg>) {
    while let Ok(first) = rx.recv() {
        let mut batch = Vec::new();
        let mut flushes = Vec::new();
        // Whatever else is already queued goes into the same transaction.
        let mut next = Some(first);
        while let Some(m) = next {
            match m {
                Msg::Write(w) => batch.push(w),
                Msg::Flush(done) => flushes.push(done),
            }
            next = if batch.len() < 1000 {
                rx.try_recv().ok()
            } else {
                None
            };
        }
        if !batch.is_empty()
            && let Err(e) = db::apply(&mut conn, &batch, chrono::Utc::now())
        {
            tracing::error!(error = %e, writes = batch.len(), "cache write failed");
        }
        // Freed before anyone waiting on a flush goes on: `once` bounds its memory that way.
        drop(batch);
        for done in flushes {
            let _ = done.send(());
        }
    }
}

impl Cache {
    pub fn write(&self, w: Write) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Msg::Write(w));
        }
    }

    /// Waits until everything written so far is committed.
    pub fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if let Some(tx) = &self.tx
            && tx.send(Msg::Flush(done)).is_ok()
        {
            let _ = wait.recv();
        }
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
