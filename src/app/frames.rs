//! When to draw: at once after input, at once for a change that comes alone, and
//! at most every [`DATA_FRAME`] while the sources' changes keep coming.

use std::time::Duration;

use tokio::time::Instant;

/// While changes keep coming, one frame per this much: fifty symbols polled every
/// second, or a stream of 100 ticks a second, would otherwise cost a frame each.
/// A change that comes alone (none in the [`DATA_FRAME`] before it) is drawn at
/// once: coalescing every change to a 200 ms pace kept a streamed trade off the
/// glass for 93 ms at the 90th percentile when idle and 186 ms under 100 ticks a
/// second (benches/glass.rs, the binary in tmux); now 34 and 104 ms. Frames from
/// the sources stay at least [`DATA_FRAME`] apart either way.
const DATA_FRAME: Duration = Duration::from_millis(100);

pub struct Frames {
    dirty: bool,
    urgent: bool,
    /// A change waiting came within [`DATA_FRAME`] of the one before it.
    busy: bool,
    last: Instant,
    last_change: Option<Instant>,
}

impl Default for Frames {
    fn default() -> Self {
        Self::new()
    }
}

impl Frames {
    pub fn new() -> Self {
        Self {
            dirty: true,
            urgent: true,
            busy: false,
            last: Instant::now(),
            last_change: None,
        }
    }

    pub fn due(&self) -> bool {
        self.dirty && (self.urgent || !self.busy || self.last.elapsed() >= DATA_FRAME)
    }

    pub fn drawn(&mut self) {
        self.last = Instant::now();
        self.urgent = false;
        self.dirty = false;
        self.busy = false;
    }

    /// What the user did shows at once.
    pub fn urgent(&mut self) {
        self.urgent = true;
    }

    pub fn mark(&mut self, changed: bool) {
        if changed {
            let now = Instant::now();
            self.busy |= self.last_change.is_some_and(|t| now - t < DATA_FRAME);
            self.last_change = Some(now);
            self.dirty = true;
        }
    }

    /// A change is waiting for its frame.
    pub fn waiting(&self) -> bool {
        self.dirty
    }

    pub async fn next(&self) {
        tokio::time::sleep_until(self.last + DATA_FRAME).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_lone_change_is_drawn_at_once_a_stream_of_them_at_a_pace() {
        let mut f = Frames::new();
        f.drawn();
        tokio::time::advance(Duration::from_millis(10)).await;
        f.mark(true);
        assert!(
            f.due(),
            "a change alone is drawn at once, even 10 ms after a frame"
        );
        f.drawn();
        let mut frames = 0;
        // A change every 10 ms for 0.95 s.
        for _ in 0..95 {
            tokio::time::advance(Duration::from_millis(10)).await;
            f.mark(true);
            if f.due() {
                f.drawn();
                frames += 1;
            }
        }
        assert!(
            (9..=11).contains(&frames),
            "{frames} frames in a second of changes"
        );
        // Quiet again: the next change alone goes at once.
        tokio::time::advance(Duration::from_millis(5)).await;
        assert!(!f.due(), "the last change waits for its frame");
        tokio::time::advance(DATA_FRAME).await;
        assert!(f.due());
        f.drawn();
        tokio::time::advance(Duration::from_millis(150)).await;
        f.mark(true);
        assert!(f.due(), "after a quiet spell a change is drawn at once");
        f.mark(false);
        assert!(f.due());
    }
}
