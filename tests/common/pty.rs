//! Runs the real binary in a pseudo-terminal and reads its screen through a
//! terminal emulator (vt100), as a user would see it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap()
}

pub struct Pty {
    pub master: Box<dyn MasterPty + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    /// Every byte the program wrote.
    pub output: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Pty {
    pub fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Self {
        Self::spawn_program(env!("CARGO_BIN_EXE_tickwire"), dir, args, env, cols, rows)
    }

    /// Runs `program` (e.g. `unshare` wrapping tickwire) instead of tickwire itself.
    pub fn spawn_program(
        program: &str,
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", dir);
        cmd.env("XDG_CONFIG_HOME", dir.join("xdg-config"));
        cmd.env("XDG_STATE_HOME", dir.join("xdg-state"));
        cmd.env("XDG_DATA_HOME", dir.join("xdg-data"));
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output: Arc<Mutex<Vec<u8>>> = Arc::default();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let (o, p) = (Arc::clone(&output), Arc::clone(&parser));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                o.lock().unwrap().extend_from_slice(&buf[..n]);
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Self {
            master: pair.master,
            child,
            writer,
            output,
            parser,
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn screen(&self) -> vt100::Screen {
        self.parser.lock().unwrap().screen().clone()
    }

    pub fn text(&self) -> String {
        self.screen().contents()
    }

    /// Waits until `pred` holds for the screen; panics with the screen after `secs`.
    pub fn wait_for(&self, what: &str, secs: u64, pred: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if pred(&self.screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.text());
    }

    /// Waits for the program to exit and returns its exit code.
    pub fn wait_exit(&mut self, secs: u64) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the program did not exit; screen:\n{}", self.text());
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
    }

    /// True when the terminal is back in cooked mode with echo, the alternate
    /// screen left and the cursor shown.
    pub fn restored(&self) -> Result<(), String> {
        let screen = self.screen();
        if screen.alternate_screen() {
            return Err("still on the alternate screen".into());
        }
        if screen.hide_cursor() {
            return Err("cursor still hidden".into());
        }
        let termios = self.master.get_termios().ok_or("no termios")?;
        let flags = format!("{:?}", termios.local_flags);
        if !flags.contains("ICANON") || !flags.contains("ECHO") {
            return Err(format!("terminal left in raw mode: {flags}"));
        }
        Ok(())
    }

    /// Row `y` of the screen as text.
    pub fn row(&self, y: u16) -> String {
        let s = self.screen();
        let (_, cols) = s.size();
        s.contents_between(y, 0, y, cols.get())
    }

    /// The row whose text starts (after the border) with `prefix`.
    pub fn find_row(&self, prefix: &str) -> Option<u16> {
        let (rows, _) = self.screen().size();
        (0..rows.get()).find(|y| self.row(*y).trim_start_matches('│').starts_with(prefix))
    }
}
