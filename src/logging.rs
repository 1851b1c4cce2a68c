//! Logs go to a file, never to the screen: the TUI owns stdout. The file is
//! rotated by size, so a monitor left running for months keeps a few megabytes.

mod rotate;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Mutex;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// A log file is at most this big; then it becomes tickwire.log.1 and so on.
const MAX_BYTES: u64 = 5_000_000;
/// Rotated files kept besides the current one.
const KEEP: usize = 3;

/// `$XDG_STATE_HOME/tickwire/tickwire.log`, falling back to ~/.local/state.
pub fn default_path() -> Option<PathBuf> {
    crate::config::xdg_file("XDG_STATE_HOME", ".local/state", "tickwire.log")
}

/// Starts logging to `path` (or the default). The filter comes from TICKWIRE_LOG,
/// else RUST_LOG, else `info` for tickwire (`-v` debug, `-vv` trace) and `warn`
/// for libraries. Returns the path in use; a log that cannot be opened is not an
/// error worth stopping a monitor for.
pub fn init(path: Option<PathBuf>, verbose: u8) -> Option<PathBuf> {
    // Once a process: `once` starts logging before its config is read (see
    // cli::EarlyCache), and the setup after it asks again.
    static DONE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    DONE.get_or_init(|| start(path, verbose)).clone()
}

fn start(path: Option<PathBuf>, verbose: u8) -> Option<PathBuf> {
    let path = path.or_else(default_path)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = rotate::Rotating::open(&path, MAX_BYTES, KEEP).ok()?;
    let level = match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    let default = format!("warn,tickwire={level}");
    let spec = std::env::var("TICKWIRE_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or(default.clone());
    let filter = Targets::from_str(&spec)
        .or_else(|_| Targets::from_str(&default))
        .ok()?;
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(Mutex::new(file))
                .with_ansi(false),
        )
        .with(filter)
        .try_init()
        .ok()?;
    Some(path)
}
