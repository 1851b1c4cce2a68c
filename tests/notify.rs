//! Alerts reach the desktop: tickwire runs in a pseudo-terminal on a private
//! D-Bus session bus (dbus-daemon) where this test owns the notification
//! service, and the terminal gets the OSC 9 notification as well. Without
//! dbus-daemon (a Debian package, installed by .ci/run) the bus tests say
//! SKIPPED and pass.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::pty::Pty;
use common::{Server, config_text, market_today, write_config};
use futures_util::StreamExt;
use zbus::OwnedVariant;

/// A dbus-daemon of our own, killed when dropped.
struct Bus {
    daemon: Child,
    address: String,
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

fn bus(dir: &Path) -> Option<Bus> {
    let socket = dir.join("bus");
    let spawned = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
        .arg(format!("--address=unix:path={}", socket.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut daemon) = spawned else {
        eprintln!("SKIPPED: no dbus-daemon here (apt-get install dbus-daemon)");
        return None;
    };
    let mut address = String::new();
    BufReader::new(daemon.stdout.take().unwrap())
        .read_line(&mut address)
        .unwrap();
    let bus = Bus {
        daemon,
        address: address.trim().to_string(),
    };
    if bus.address.is_empty() {
        eprintln!("SKIPPED: dbus-daemon would not start a session bus here (no session.conf?)");
        return None;
    }
    Some(bus)
}

/// What a `Notify` call carried.
#[derive(Debug)]
struct Received {
    app: String,
    summary: String,
    body: String,
    urgency: Option<u8>,
}

type NotifyArgs = (
    String,
    u32,
    String,
    String,
    String,
    Vec<String>,
    HashMap<String, OwnedVariant>,
    i32,
);

/// Owns org.freedesktop.Notifications on `address` and reports every Notify
/// call; returns once the name is owned, so nothing sent later is missed.
fn notification_service(address: &str) -> mpsc::Receiver<Received> {
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    let address = address.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let conn = zbus::connection::Builder::address(address.as_str())
                .name("org.freedesktop.Notifications")
                .build()
                .await
                .unwrap();
            ready_tx.send(()).unwrap();
            let mut stream = zbus::MessageStream::from(&conn);
            let mut id = 0u32;
            while let Some(Ok(msg)) = stream.next().await {
                let header = msg.header();
                if header.message_type() != zbus::message::Type::MethodCall
                    || header.member().map(|m| m.as_str()) != Some("Notify")
                {
                    continue;
                }
                let (app, _, _, summary, body, _, hints, _): NotifyArgs = msg.body().deserialize().unwrap();
                let urgency = hints.get("urgency").and_then(|v| u8::try_from(v).ok());
                id += 1;
                conn.reply(&header, &(id,)).await.unwrap();
                let got = Received {
                    app,
                    summary,
                    body,
                    urgency,
                };
                if tx.send(got).is_err() {
                    break;
                }
            }
        });
    });
    ready_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the test's notification service owns its name");
    rx
}

fn start(server: &Server, dir: &Path, alerts: &str, address: &str) -> Pty {
    let text = config_text(&server.base, &["NVDA", "AAPL"], &format!("\n[alerts]\n{alerts}"));
    let cfg = write_config(dir, &text);
    let log = dir.join("tickwire.log");
    let args = ["-c", cfg.to_str().unwrap(), "--log", log.to_str().unwrap()];
    Pty::spawn(dir, &args, &[("DBUS_SESSION_BUS_ADDRESS", address)], 120, 30)
}

#[test]
fn an_alert_arrives_on_the_desktop_and_in_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(bus) = bus(tmp.path()) else { return };
    let received = notification_service(&bus.address);
    let server = Server::start();
    market_today(&server);
    let mut pty = start(&server, tmp.path(), "osc_notify = true\n", &bus.address);

    let n = received
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("no notification arrived; screen:\n{}", pty.text()));
    assert_eq!(n.app, "tickwire");
    assert_eq!(n.summary, "NVDA ALERT");
    assert_eq!(n.body, "-16.97% · 118.42 USD");
    assert_eq!(n.urgency, Some(2), "critical for an alert");
    // One alert, one notification: Apple's rise is none.
    assert!(received.recv_timeout(Duration::from_millis(500)).is_err());

    let osc = "\x1b]9;NVDA ALERT: -16.97% · 118.42 USD\x07";
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !String::from_utf8_lossy(&pty.output.lock().unwrap()).contains(osc) {
        assert!(
            std::time::Instant::now() < deadline,
            "no OSC 9 notification in the output"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn without_a_notification_service_the_alert_still_rings_and_the_log_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    // Nobody listens on this address: every desktop notification fails.
    let nowhere = format!("unix:path={}", tmp.path().join("no-bus").display());
    let server = Server::start();
    market_today(&server);
    let mut pty = start(&server, tmp.path(), "", &nowhere);
    pty.wait_for("NVDA at alert", 20, |s| s.contents().contains("▼ ALERT  NVDA"));
    let log = tmp.path().join("tickwire.log");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let logged = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("desktop notification not shown") || std::time::Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        logged.matches("desktop notification not shown").count(),
        1,
        "{logged}"
    );
    let screen = pty.text();
    assert!(
        !screen.contains("notification"),
        "nothing about it on screen:\n{screen}"
    );
    // The terminal is not known to show OSC notifications and none was asked for.
    assert!(!String::from_utf8_lossy(&pty.output.lock().unwrap()).contains("\x1b]9;"));
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}
