//! When to draw: at once after input, at most five times a second for what the
//! sources send, never when nothing changed.

use std::time::Duration;

use tokio::time::Instant;

/// Fifty symbols polled every second would otherwise cost fifty full frames a
/// second (13% of a core, measured; benches/compare.sh).
/// 200 ms keeps a streamed trade on screen within a quarter of a second, cap
/// included (at 250 ms the p99 was 251 ms: benches/stream.rs).
const DATA_FRAME: Duration = Duration::from_millis(200);

pub struct Frames {
    dirty: bool,
    urgent: bool,
    last: Instant,
}

impl Frames {
    pub fn new() -> Self {
        Self {
            dirty: true,
            urgent: true,
            last: Instant::now(),
        }
    }

    pub fn due(&self) -> bool {
        self.dirty && (self.urgent || self.last.elapsed() >= DATA_FRAME)
    }

    pub fn drawn(&mut self) {
        self.last = Instant::now();
        self.urgent = false;
        self.dirty = false;
    }

    /// What the user did shows at once.
    pub fn urgent(&mut self) {
        self.urgent = true;
    }

    pub fn mark(&mut self, changed: bool) {
        self.dirty |= changed;
    }

    /// A change is waiting for its frame.
    pub fn waiting(&self) -> bool {
        self.dirty
    }

    pub async fn next(&self) {
        tokio::time::sleep_until(self.last + DATA_FRAME).await;
    }
}
