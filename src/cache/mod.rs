//! The SQLite cache (SPEC §7): headlines with read state, feed validators, the
//! last good quote per symbol, the alert log. Writes go to one thread that owns
//! the connection and commits what is queued in one transaction, so the UI never
//! waits on the disk.

pub mod db;
pub mod history;
pub mod quote_json;
pub mod rows;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

pub use db::{Snapshot, Write};
pub use rows::Rows;

enum Msg {
    Write(Write),
    /// A write with a permit of the sender's, given back as the writer takes it.
    Slotted(Write, tokio::sync::OwnedSemaphorePermit),
    /// Answered once everything sent before it is committed.
    Flush(mpsc::Sender<()>),
}

/// Writes waiting for the writer thread at most. SQLite may wait seconds for
/// another tickwire holding the file; the queue must not grow meanwhile.
const QUEUE: usize = 256;

/// Rows a brief run's writer gathers before it commits (a flush or the end
/// commits sooner). Each commit writes the pages it touched to the log again:
/// committing each feed as it came wrote 16.9 MB of log for 7.8 MB of cache
/// (200 feeds x 50 items), gathering 500 rows 10.6 MB, and the run's system
/// time fell from 36 to 28 ms. Larger gatherings saved little more and left
/// more to commit after the output.
const BRIEF_ROWS: usize = 500;

/// A handle to the writer thread. Dropping it commits what is queued and stops.
pub struct Cache {
    tx: Option<mpsc::SyncSender<Msg>>,
    thread: Option<JoinHandle<()>>,
    pub path: PathBuf,
    /// Read marks and alerts that found the queue full: sent when there is room.
    /// Quotes and feeds are dropped instead, as the next poll brings them again.
    held: Mutex<VecDeque<Write>>,
    /// Writes sent and not yet taken by the writer.
    queued: Arc<AtomicUsize>,
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
    open_as(path, false)
}

/// [`open`] for a run that ends within a second (`once`): at exit, what it
/// committed stays in the write-ahead log for the next run's checkpoint instead
/// of being copied into the file then (12-15 ms of a 145 ms cold run of 200
/// feeds). Committed is committed either way; the file stays consistent.
pub fn open_brief(path: &Path) -> Opened {
    open_as(path, true)
}

fn open_as(path: &Path, brief: bool) -> Opened {
    let open = |path: &Path| {
        let conn = db::open(path)?;
        if brief {
            conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        }
        Ok::<_, rusqlite::Error>(conn)
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return none(format!(
            "running without a cache: cannot create {}: {e}",
            dir.display()
        ));
    }
    match open(path).and_then(|conn| Ok((db::load(&conn)?, conn))) {
        Ok((snapshot, conn)) => ready(path, conn, snapshot, None, brief),
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
            match open(path) {
                Ok(conn) => ready(path, conn, Snapshot::default(), Some(warning), brief),
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

fn ready(
    path: &Path,
    conn: rusqlite::Connection,
    snapshot: Snapshot,
    warning: Option<String>,
    brief: bool,
) -> Opened {
    let (tx, rx) = mpsc::sync_channel(QUEUE);
    let queued = Arc::new(AtomicUsize::new(0));
    let taken = Arc::clone(&queued);
    let thread = std::thread::Builder::new()
        .name("tickwire-cache".into())
        .spawn(move || writer(conn, &rx, &taken, if brief { BRIEF_ROWS } else { 0 }))
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
                held: Mutex::new(VecDeque::new()),
                queued,
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

/// Commits what is queued, in one transaction each time; with `gather`, not
/// before that many rows wait (or a flush, or the end, asks for it).
fn writer(mut conn: rusqlite::Connection, rx: &mpsc::Receiver<Msg>, queued: &AtomicUsize, gather: usize) {
    let mut batch = Vec::new();
    let mut rows = 0;
    loop {
        let first = rx.recv().ok();
        let end = first.is_none();
        if !end {
            queued.fetch_sub(1, Ordering::Relaxed);
        }
        let mut flushes = Vec::new();
        // Whatever else is already queued goes into the same transaction.
        let mut next = first;
        while let Some(m) = next {
            match m {
                Msg::Write(w) => {
                    rows += w.rows();
                    batch.push(w);
                }
                Msg::Slotted(w, permit) => {
                    // Given back as soon as taken: the batch is bounded by `gather` on its own.
                    drop(permit);
                    rows += w.rows();
                    batch.push(w);
                }
                Msg::Flush(done) => flushes.push(done),
            }
            next = if batch.len() < 1000 {
                rx.try_recv().ok().inspect(|_| {
                    queued.fetch_sub(1, Ordering::Relaxed);
                })
            } else {
                None
            };
        }
        if !batch.is_empty() && (end || !flushes.is_empty() || rows >= gather) {
            commit(&mut conn, &batch);
            // Freed before anyone waiting on a flush goes on: `once` bounds its memory that way.
            batch.clear();
            rows = 0;
        }
        for done in flushes {
            let _ = done.send(());
        }
        if end {
            return;
        }
    }
}

/// Commits a batch; while another process holds the file (SQLite busy after its
/// 5 s wait) it tries twice more before giving the batch up. Not longer: quitting
/// waits for the writer, and the screen is still the UI's until it is done.
fn commit(conn: &mut rusqlite::Connection, batch: &[Write]) {
    const ATTEMPTS: u32 = 3;
    for attempt in 1..=ATTEMPTS {
        match db::apply(conn, batch, chrono::Utc::now()) {
            Ok(()) => return,
            Err(e) if is_busy(&e) && attempt < ATTEMPTS => {
                tracing::warn!(error = %e, attempt, "the cache is busy, trying again");
            }
            Err(e) => {
                tracing::error!(error = %e, writes = batch.len(), "cache write failed");
                return;
            }
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
    matches!(e.sqlite_error_code(), Some(DatabaseBusy | DatabaseLocked))
}

impl Cache {
    /// Queues a write without waiting. When the writer is behind, read marks,
    /// alerts and the recording are held and sent later, in order; quotes and
    /// feeds are dropped.
    pub fn write(&self, w: Write) {
        let Some(tx) = &self.tx else { return };
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.send_held(tx, &mut held);
        // The recording is held too: a point left out would leave the next
        // ones' unchanged figures (written once, carried forward) without a source.
        let keep = matches!(w, Write::Read { .. } | Write::Alert(_) | Write::Record(_));
        if keep && !held.is_empty() {
            held.push_back(w);
            return;
        }
        self.queued.fetch_add(1, Ordering::Relaxed);
        match tx.try_send(Msg::Write(w)) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(Msg::Write(w))) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                if keep {
                    held.push_back(w);
                } else {
                    tracing::warn!("the cache is behind: a quote or feed update was not saved");
                }
            }
            Err(_) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
            }
        }
    }

    fn send_held(&self, tx: &mpsc::SyncSender<Msg>, held: &mut VecDeque<Write>) {
        while let Some(w) = held.pop_front() {
            self.queued.fetch_add(1, Ordering::Relaxed);
            if let Err(e) = tx.try_send(Msg::Write(w)) {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                if let mpsc::TrySendError::Full(Msg::Write(w)) = e {
                    held.push_front(w);
                }
                return;
            }
        }
    }

    /// Whether writes are waiting on a full queue (another instance holding the
    /// file, a slow disk). Also moves held writes on when there is room.
    pub fn behind(&self) -> bool {
        let Some(tx) = &self.tx else { return false };
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.send_held(tx, &mut held);
        !held.is_empty() || self.queued.load(Ordering::Relaxed) >= QUEUE
    }

    /// Queues a write that must not be dropped (`once`, which has no next poll to
    /// bring it again), after what is held. `permit` is given back once the
    /// writer takes the write: `once` takes one before each feed's fetch, so a
    /// writer that is behind holds up fetching, without holding up the runtime's
    /// thread. Waiting for a flush on that thread instead stopped every fetch of
    /// the run for the writer's next commits (2-8 ms in most cold runs of 200
    /// feeds); waiting only before the write let 1,000 feeds pile up parsed
    /// (peak memory 53 -> 63-66 MB).
    pub fn write_waiting(&self, w: Write, permit: Option<tokio::sync::OwnedSemaphorePermit>) {
        let Some(tx) = &self.tx else { return };
        self.send_all_held(tx);
        self.queued.fetch_add(1, Ordering::Relaxed);
        let m = match permit {
            Some(permit) => Msg::Slotted(w, permit),
            None => Msg::Write(w),
        };
        if tx.send(m).is_err() {
            self.queued.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Waits until everything written so far is committed.
    pub fn flush(&self) {
        if let Some(wait) = self.send_flush() {
            let _ = wait.recv();
        }
    }

    /// Asks the writer to commit what it has gathered, without waiting for it:
    /// a brief run's last rows (fewer than it gathers) would otherwise wait for
    /// the end, and their commit (1-1.5 ms for 100-450 rows) came after the output.
    pub fn commit_soon(&self) {
        // Nobody waits for the answer: the writer's send to a dropped receiver is ignored.
        let _ = self.send_flush();
    }

    /// Sends what is held, then a flush; the writer answers on the receiver once
    /// everything before it is committed.
    fn send_flush(&self) -> Option<mpsc::Receiver<()>> {
        let tx = self.tx.as_ref()?;
        self.send_all_held(tx);
        let (done, wait) = mpsc::channel();
        self.queued.fetch_add(1, Ordering::Relaxed);
        if tx.send(Msg::Flush(done)).is_ok() {
            Some(wait)
        } else {
            self.queued.fetch_sub(1, Ordering::Relaxed);
            None
        }
    }

    /// Sends held writes, waiting for room: only for flush and shutdown.
    fn send_all_held(&self, tx: &mpsc::SyncSender<Msg>) {
        let held: Vec<Write> = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .drain(..)
            .collect();
        for w in held {
            self.queued.fetch_add(1, Ordering::Relaxed);
            if tx.send(Msg::Write(w)).is_err() {
                return;
            }
        }
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take() {
            self.send_all_held(&tx);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
