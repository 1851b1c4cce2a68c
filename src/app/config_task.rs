//! The config file, watched and edited off the runtime thread: reading, parsing
//! and writing it (and the per-second check for outside edits) never holds up
//! keys or drawing. One task does both, so its own edits never look like
//! outside ones.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio::task::{JoinHandle, spawn_blocking};
use tokio::time::MissedTickBehavior;

use crate::config::{self, Config, ConfigOrigin, Edit};

/// What the task found or did.
#[derive(Debug)]
pub enum ConfigNews {
    /// The file changed on disk and the new text is valid.
    Reloaded(Config),
    /// The file changed on disk and is invalid: the old configuration stays.
    Invalid(String),
    /// A watchlist edit from the UI was saved (the new configuration) or not (why).
    Edited(Result<Config, String>),
}

/// A watchlist edit asked for from the UI.
#[derive(Debug)]
pub struct EditRequest {
    pub watchlist: String,
    pub edit: Edit,
}

/// Starts the task; edits go in through the returned sender.
pub fn spawn(config: &Config, news: mpsc::Sender<ConfigNews>) -> (mpsc::Sender<EditRequest>, JoinHandle<()>) {
    let (edits_tx, edits) = mpsc::channel(16);
    let origin = config.origin.clone();
    (edits_tx, tokio::spawn(run(origin, edits, news)))
}

async fn run(
    mut origin: ConfigOrigin,
    mut edits: mpsc::Receiver<EditRequest>,
    news: mpsc::Sender<ConfigNews>,
) {
    let mut watched = Watched::now(&origin).await;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        let found = tokio::select! {
            _ = tick.tick() => {
                let w = watched.clone();
                let Some((w, found)) = off_thread(move || w.look()).await else { continue };
                watched = w;
                match found {
                    None => continue,
                    Some(Ok(c)) => ConfigNews::Reloaded(c),
                    Some(Err(why)) => ConfigNews::Invalid(why),
                }
            }
            request = edits.recv() => {
                let Some(EditRequest { watchlist, edit }) = request else { return };
                let from = origin.clone();
                let read = watched.text.clone();
                let saved = off_thread(move || config::save_edit(&from, read.as_deref(), &watchlist, &edit))
                    .await
                    .unwrap_or_else(|| Err(config::SaveError::Other("saving the edit failed".into())));
                match &saved {
                    // What we just wrote is not an outside change.
                    Ok(c) => {
                        origin = c.origin.clone();
                        watched = Watched::now(&origin).await;
                    }
                    // Someone else wrote the file: load theirs on the next look.
                    Err(config::SaveError::Conflict(_)) => {
                        if let Some(p) = config::user_config_path(&|k| std::env::var(k).ok())
                            .filter(|_| origin == ConfigOrigin::Embedded)
                        {
                            origin = ConfigOrigin::File(p);
                        }
                        watched = Watched::now(&origin).await.stale();
                    }
                    Err(_) => {}
                }
                ConfigNews::Edited(saved.map_err(|e| e.to_string()))
            }
        };
        if let ConfigNews::Reloaded(c) = &found {
            origin = c.origin.clone();
        }
        if news.send(found).await.is_err() {
            return;
        }
    }
}

/// Runs file work on the blocking pool; `None` if it panicked.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    spawn_blocking(work).await.ok()
}

fn modified(path: Option<&PathBuf>) -> Option<SystemTime> {
    std::fs::metadata(path?).and_then(|m| m.modified()).ok()
}

/// The config file in use, when it was last changed, and the text the running
/// configuration was read from (an edit is written only over that text).
#[derive(Debug, Clone)]
struct Watched {
    path: Option<PathBuf>,
    modified: Option<SystemTime>,
    text: Option<String>,
}

impl Watched {
    /// The file of `origin` as it is now.
    async fn now(origin: &ConfigOrigin) -> Self {
        let path = match origin {
            ConfigOrigin::File(p) => Some(p.clone()),
            _ => None,
        };
        let p = path.clone();
        let (modified, text) = off_thread(move || {
            (
                modified(p.as_ref()),
                p.and_then(|p| std::fs::read_to_string(p).ok()),
            )
        })
        .await
        .unwrap_or_default();
        Self { path, modified, text }
    }

    /// Itself, made to reload at the next look.
    fn stale(mut self) -> Self {
        self.modified = None;
        self.text = None;
        self
    }

    /// Itself with the new time, and the reloaded configuration when the file
    /// changed since the last look.
    fn look(mut self) -> (Self, Option<Result<Config, String>>) {
        let Some(path) = self.path.clone() else {
            return (self, None);
        };
        let now = modified(Some(&path));
        if now == self.modified {
            return (self, None);
        }
        self.modified = now;
        self.text = std::fs::read_to_string(&path).ok();
        let loaded = config::load(ConfigOrigin::File(path)).map_err(|e| e.to_string());
        (self, Some(loaded))
    }
}
