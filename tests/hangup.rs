//! Closing the terminal under a running tickwire (the window closed, the tmux
//! pane killed): it hears SIGHUP, its output goes nowhere, and it must leave
//! quietly instead of panicking while it says goodbye.

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::{Server, config_text, market_day, write_config};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

#[test]
fn a_closed_terminal_ends_tickwire_quietly() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cfg = write_config(dir, &config_text(&server.base, &["NVDA", "AAPL"], ""));
    let log = dir.join("tickwire.log");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tickwire"));
    cmd.args([
        "-c",
        cfg.to_str().unwrap(),
        "--no-cache",
        "--log",
        log.to_str().unwrap(),
    ]);
    cmd.cwd(dir);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", dir);
    cmd.env("RUST_BACKTRACE", "0");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    // Read until the table is up; then every handle on the terminal goes.
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let up = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("-16.97%") {
                return true;
            }
        }
        false
    });
    assert!(up.join().unwrap(), "the table was drawn");
    drop(writer);
    drop(pair.master);
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let logged = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("tickwire kept running without a terminal; its log:\n{logged}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!logged.contains("panicked"), "{logged}");
    assert_eq!(status.exit_code(), 0, "a quiet exit, not a panic (101): {logged}");
}
