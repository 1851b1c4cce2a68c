//! Keys, mouse and resizes, read on a thread of their own.
//!
//! crossterm reads the terminal with blocking reads and loops while a read
//! returns nothing, so once the terminal is hung up (the window closed) a read
//! never comes back. On the run loop's thread that was a hang: SIGHUP could not
//! be heard (seen 1 run in 20 to 80 of `tests/hangup.rs`). Here only this thread
//! is stuck, and the loop still hears the signal, or notices the terminal is
//! gone on its next tick, and ends the process.

use std::io::IsTerminal;

use crossterm::event::Event;
use tokio::sync::mpsc;

/// Starts reading; events (or the error that ended reading) arrive on the receiver.
pub fn spawn() -> std::io::Result<mpsc::Receiver<std::io::Result<Event>>> {
    let (tx, rx) = mpsc::channel(64);
    std::thread::Builder::new()
        .name("terminal input".into())
        .spawn(move || {
            loop {
                let event = crossterm::event::read();
                let failed = event.is_err();
                if tx.blocking_send(event).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(rx)
}

/// Whether the screen is still a terminal: a hung-up terminal answers every
/// query with EIO, so this is false as soon as it is closed.
pub fn terminal_alive() -> bool {
    std::io::stdout().is_terminal()
}
