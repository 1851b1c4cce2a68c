//! Entering and leaving the terminal UI. Restoring is idempotent and runs on every
//! exit path: normal return, error (the guard's Drop) and panic (the hook).

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

type Backend = Terminal<CrosstermBackend<Stdout>>;

/// The ratatui terminal, dropped without a word when the terminal is gone:
/// ratatui's own drop prints to stderr when it cannot show the cursor, and
/// printing to a closed terminal panics ("failed printing to stderr").
pub struct Tui(Option<Backend>);

impl std::ops::Deref for Tui {
    type Target = Backend;
    fn deref(&self) -> &Backend {
        self.0.as_ref().expect("the terminal is there until dropped")
    }
}

impl std::ops::DerefMut for Tui {
    fn deref_mut(&mut self) -> &mut Backend {
        self.0.as_mut().expect("the terminal is there until dropped")
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Some(mut t) = self.0.take()
            && t.show_cursor().is_err()
        {
            // Nothing left to restore on a terminal that is gone; its buffers go with the process.
            std::mem::forget(t);
        }
    }
}

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Whether the terminal is in the UI's state, so a restore runs exactly once
/// (the panic hook's, then the guard's during unwinding, would otherwise both).
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub fn init() -> io::Result<(Tui, Guard)> {
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, Hide)?;
    let terminal = Tui(Some(Terminal::new(CrosstermBackend::new(io::stdout()))?));
    Ok((terminal, guard))
}

pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = io::stdout().flush();
}

/// Restores first, then lets the previous hook (color-eyre's report) print to a
/// normal screen, then ends the process: a panic in a task would otherwise
/// leave the loop drawing over the report on a terminal no longer in raw mode.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if crate::contain::is_contained() {
            tracing::warn!("contained panic: {info}");
            return;
        }
        restore();
        tracing::error!("panic: {info}");
        previous(info);
        std::process::exit(101);
    }));
}

/// Rings the terminal bell between frames.
pub fn bell() {
    write_raw(b"\x07");
}

/// Bytes for the terminal itself (the bell, a notification sequence), outside
/// ratatui's frame; a failed write only loses the signal.
pub fn write_raw(bytes: &[u8]) {
    let mut out = io::stdout();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}
