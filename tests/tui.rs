//! The real binary in a pseudo-terminal against the local fixture server.

mod common;

use common::pty::Pty;
use common::{Server, config_text, market_day, market_today, write_config};

fn start(server: &Server, dir: &std::path::Path, env: &[(&str, &str)]) -> Pty {
    let cfg = write_config(dir, &config_text(&server.base, &["NVDA", "AAPL", "NOPE"], ""));
    Pty::spawn(dir, &["-c", cfg.to_str().unwrap()], env, 120, 30)
}

/// The selected row is drawn in reverse video.
fn selected(pty: &Pty, prefix: &str) -> bool {
    let row = pty
        .find_row(prefix)
        .unwrap_or_else(|| panic!("no {prefix} row:\n{}", pty.text()));
    pty.screen().cell(row, 2).is_some_and(vt100::Cell::inverse)
}

#[test]
fn watch_the_drop_move_switch_and_quit() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let mut pty = start(&server, tmp.path(), &[]);

    pty.wait_for("NVDA at alert", 20, |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("NVDA") && l.contains("-16.97%") && l.contains("ALERT"))
    });
    // The status line gives the newest error's cause (in full where it fits).
    pty.wait_for("the unknown symbol's error", 20, |s| {
        s.contents().contains("NOPE: HTTP 404")
    });
    let text = pty.text();
    assert!(text.contains("▼ ALERT  NVDA (NVIDIA) -16.97%"), "banner:\n{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("AAPL") && l.contains("+3.18%") && !l.contains("ALERT"))
    );
    assert!(selected(&pty, "NVDA"));

    pty.send("j");
    pty.wait_for("AAPL selected", 5, |_| selected(&pty, "AAPL"));
    assert!(!selected(&pty, "NVDA"));

    pty.send("]");
    pty.wait_for("the Indices watchlist", 5, |s| s.contents().contains("┌ Indices"));
    pty.wait_for("^NDX priced", 20, |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("^NDX") && l.contains("-2.90%"))
    });

    pty.send("?");
    pty.wait_for("help", 5, |s| s.contents().contains("switch watchlist"));
    pty.send("\x1b");
    pty.wait_for("help closed", 5, |s| !s.contents().contains("switch watchlist"));

    let running = pty.restored().unwrap_err();
    assert!(
        running.contains("alternate screen"),
        "while running the check must fail: {running}"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    pty.restored().unwrap();
}

#[test]
fn sigterm_and_ctrl_c_restore_the_terminal() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let mut pty = start(&server, tmp.path(), &[]);
    pty.wait_for("the table", 20, |s| s.contents().contains("NVDA"));
    pty.send("\x03");
    assert_eq!(pty.wait_exit(10), 0);
    pty.restored().unwrap();

    let mut pty = start(&server, tmp.path(), &[]);
    pty.wait_for("the table", 20, |s| s.contents().contains("NVDA"));
    let pid = pty.child.process_id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    pty.wait_exit(10);
    pty.restored().unwrap();
}

#[test]
fn resizing_to_tiny_and_back_redraws() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let mut pty = start(&server, tmp.path(), &[]);
    pty.wait_for("NVDA at alert", 20, |s| s.contents().contains("ALERT"));
    for (cols, rows) in [(20, 5), (1, 1), (60, 20)] {
        pty.resize(cols, rows);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    pty.wait_for("the narrow layout", 10, |s| {
        s.contents().contains("NVDA") && s.contents().contains("? help")
    });
    pty.resize(120, 30);
    // Wait for the redraw itself: crossterm drops a key that arrives in the same
    // wakeup as SIGWINCH until the next key (its edge-triggered poll handles the
    // signal first), so a key sent mid-resize would wait for another.
    pty.wait_for("the wide layout", 10, |s| {
        s.contents().lines().any(|l| l.contains("NVDA     NVIDIA"))
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    pty.restored().unwrap();
}

#[test]
fn a_new_alert_rings_once_and_runs_the_command_once() {
    let server = Server::start();
    market_today(&server);
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("alerts.txt");
    let extra = format!(
        "[alerts]\nbell = true\ncommand = [\"/bin/sh\", \"-c\", \"echo \\\"$1\\\" >> '{}'\", \"sh\", \"{{symbol}} {{level}} {{change_pct}} {{name}}\"]\n",
        log.display()
    );
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], &extra));
    let mut pty = Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 120, 30);
    pty.wait_for("NVDA at alert", 20, |s| s.contents().contains("ALERT"));
    // quote_interval is 1s: let several polls land at the same level.
    let polls_before = server.count("/yahoo/v8/finance/chart/NVDA");
    while server.count("/yahoo/v8/finance/chart/NVDA") < polls_before + 3 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let bells = pty.output.lock().unwrap().iter().filter(|b| **b == 0x07).count();
    assert_eq!(bells, 1, "one bell for one new alert");
    // The command runs detached; give it a moment to write.
    for _ in 0..50 {
        if log.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "NVDA alert -16.97 NVIDIA\n"
    );
}

#[test]
fn read_the_day_from_the_keyboard_search_and_open() {
    let server = Server::start();
    market_day(&server);
    server
        .route("/rss2", common::Reply::fixture(200, "feeds/rss2.xml"))
        .route("/atom", common::Reply::fixture(200, "feeds/atom.xml"));
    let tmp = tempfile::tempdir().unwrap();
    let opened = tmp.path().join("opened.txt");
    let browser = tmp.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", opened.display()),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&browser)
        .status()
        .unwrap();
    let feeds = format!(
        "[[feed]]\nname = \"Market Desk\"\nurl = \"{0}/rss2\"\n[[feed]]\nname = \"Atom Markets\"\nurl = \"{0}/atom\"\n",
        server.base
    );
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], &feeds));
    let mut pty = Pty::spawn(
        tmp.path(),
        &["-c", cfg.to_str().unwrap()],
        &[("BROWSER", browser.to_str().unwrap())],
        120,
        30,
    );
    pty.wait_for("the headlines", 20, |s| s.contents().contains("Headlines 6/6"));
    // The newest first: the evening statement, then Nvidia's statement... the preview follows the selection.
    pty.send("\t\t");
    pty.send("j");
    pty.wait_for("the second headline previewed", 5, |s| {
        s.contents().contains("Nvidia sheds almost $600 billion") && s.contents().contains("Market Desk · ")
    });

    pty.send("/");
    pty.wait_for("the search prompt", 5, |s| {
        s.contents().contains("Enter keeps the filter")
    });
    pty.send("apple");
    pty.wait_for("the filtered list", 5, |s| s.contents().contains("Headlines 1/6"));
    pty.send("\r");
    pty.wait_for("the filter kept", 5, |s| {
        s.contents().contains("filter \"apple\"")
    });
    pty.send("o");
    for _ in 0..50 {
        if opened.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap(),
        "https://news.example.com/2025/01/27/apple-rises.html\n",
        "the browser got the link as one argument"
    );
    pty.send("\x1b");
    pty.wait_for("the filter cleared", 5, |s| {
        s.contents().contains("Headlines 6/6")
    });

    // f on a ticker shows only its headlines.
    pty.send("\t");
    pty.send("f");
    pty.wait_for("NVDA's headlines", 5, |s| {
        s.contents().contains("Headlines 1/6") && s.contents().contains("filter NVDA")
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    pty.restored().unwrap();
}

#[test]
fn step_through_chart_markers_and_open_the_detail_view() {
    let server = Server::start();
    market_day(&server);
    server
        .route("/rss2", common::Reply::fixture(200, "feeds/rss2.xml"))
        .route("/rdf", common::Reply::fixture(200, "feeds/rdf.xml"));
    let tmp = tempfile::tempdir().unwrap();
    let feeds = format!(
        "[[feed]]\nname = \"Market Desk\"\nurl = \"{0}/rss2\"\n[[feed]]\nname = \"RDF Ticker\"\nurl = \"{0}/rdf\"\n",
        server.base
    );
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], &feeds));
    let mut pty = Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 120, 40);
    pty.wait_for("the chart with its markers", 20, |s| {
        (s.contents().contains("• 2 headlines") || s.contents().contains("•2"))
            && s.contents().contains("prev 142.62")
    });
    assert!(
        pty.text().contains("NVDA NVIDIA · 118.42 USD -16.97% · closed"),
        "{}",
        pty.text()
    );
    pty.send("\t");
    pty.send("l");
    pty.wait_for("the premarket headline under the chart", 5, |s| {
        s.contents()
            .contains("◆ 05:11 NVDA down nearly 10% in premarket trading")
    });
    pty.send("l");
    pty.wait_for("the evening headline", 5, |s| {
        s.contents().contains("◆ 16:05 Nvidia sheds almost $600 billion")
    });
    // The headlines list follows: the preview shows the same story.
    assert!(
        pty.text().contains("Market Desk · Mon 27 Jan 2025"),
        "{}",
        pty.text()
    );
    pty.send("\x1b[Z");
    pty.send("\r");
    pty.wait_for("the detail view", 5, |s| {
        s.contents().contains("NVIDIA (NVDA)") && s.contents().contains("52 weeks")
    });
    assert!(pty.text().contains("-$593B today"), "{}", pty.text());
    pty.send("\x1b");
    pty.wait_for("back to the split view", 5, |s| {
        s.contents().contains("Headlines 5/5")
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    pty.restored().unwrap();
}

#[test]
fn a_restart_shows_what_it_knew_before_any_answer_and_keeps_read_marks() {
    let server = Server::start();
    market_day(&server);
    server.route("/rss2", common::Reply::fixture(200, "feeds/rss2.xml"));
    let tmp = tempfile::tempdir().unwrap();
    let feeds = format!(
        "[[feed]]\nname = \"Market Desk\"\nurl = \"{}/rss2\"\n",
        server.base
    );
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA"], &feeds));
    let args = ["-c", cfg.to_str().unwrap()];
    let mut pty = Pty::spawn(tmp.path(), &args, &[], 120, 30);
    pty.wait_for("the headlines", 20, |s| s.contents().contains("Headlines 4/4"));
    pty.wait_for("NVDA priced", 20, |s| s.contents().contains("-16.97%"));
    pty.send("\t\t\r");
    pty.wait_for("the first headline read", 5, |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("Nvidia sheds") && !l.contains('●'))
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);

    // Now every server hangs: whatever shows came from the cache.
    let hang = common::Behaviour::Hang(std::time::Duration::from_secs(60));
    for path in [
        "/yahoo/v8/finance/chart/NVDA",
        "/yahoo/v8/finance/chart/%5ENDX",
        "/rss2",
    ] {
        server.route(
            path,
            common::Reply::new(200, "text/plain", "").behave(hang.clone()),
        );
    }
    let mut again = Pty::spawn(tmp.path(), &args, &[], 120, 30);
    again.wait_for("the cached state", 5, |s| {
        s.contents().contains("Headlines 4/4") && s.contents().contains("-16.97%")
    });
    let text = again.text();
    assert!(
        text.lines()
            .any(|l| l.starts_with("│NVDA") && l.contains("stale")),
        "marked stale:\n{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("Nvidia sheds") && !l.contains('●')),
        "the read mark survived:\n{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("Chip stocks slide") && l.contains('●'))
    );
    again.send("q");
    assert_eq!(again.wait_exit(10), 0);
}

#[test]
fn watchlists_edited_from_the_ui_are_saved_with_comments_kept_and_file_edits_reload() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "# my config: comments stay\n[general]\nquote_interval = \"1s\"  # fast\ntimeout = \"2s\"\n\n\
         [[watchlist]]\nname = \"Mine\"\nsymbols = [\"NVDA\", \"AAPL\"]  # two to start\n\n\
         [quotes]\nstream = false\n[providers.yahoo]\nbase_url = \"{0}/yahoo\"\n[providers.nasdaq]\nbase_url = \"{0}/nasdaq\"\n\
         [news]\nper_symbol = false\n[halts]\nenabled = false\n[market]\nindex = \"none\"\n[signals]\nvolume = false\n",
        server.base
    );
    let cfg = write_config(tmp.path(), &text);
    let mut pty = Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 120, 30);
    pty.wait_for("the table", 20, |s| s.contents().contains("-16.97%"));

    pty.send("a");
    pty.wait_for("the prompt", 5, |s| s.contents().contains("add to Mine:"));
    pty.send("msft\r");
    pty.wait_for("MSFT in the table", 10, |s| {
        s.contents().lines().any(|l| l.starts_with("│MSFT"))
    });
    let saved = std::fs::read_to_string(&cfg).unwrap();
    assert_eq!(
        saved,
        text.replace("\"AAPL\"]", "\"AAPL\", \"MSFT\"]"),
        "only the list changed"
    );

    pty.send("j");
    pty.send("d");
    pty.wait_for("the confirmation", 5, |s| {
        s.contents().contains("remove AAPL from Mine?")
    });
    pty.send("y");
    pty.wait_for("AAPL gone", 10, |s| {
        !s.contents().lines().any(|l| l.starts_with("│AAPL"))
    });
    pty.send("K");
    pty.wait_for("MSFT moved up", 10, |s| {
        let text = s.contents();
        let first = text
            .lines()
            .find(|l| l.starts_with("│MSFT") || l.starts_with("│NVDA"));
        first.is_some_and(|r| r.starts_with("│MSFT"))
    });
    let saved = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        saved.contains("symbols = [\"MSFT\", \"NVDA\"]  # two to start"),
        "{saved}"
    );
    assert!(saved.starts_with("# my config: comments stay\n[general]\nquote_interval = \"1s\"  # fast\n"));

    // Edited outside tickwire: reloaded; an invalid edit keeps the running config.
    std::fs::write(&cfg, saved.replace("name = \"Mine\"", "name = \"Renamed\"")).unwrap();
    pty.wait_for("the reloaded config", 10, |s| s.contents().contains("1 Renamed"));
    std::fs::write(&cfg, "this is = not [valid").unwrap();
    pty.wait_for("the complaint", 10, |s| {
        s.contents().contains("changed but is invalid")
    });
    assert!(
        pty.text().contains("1 Renamed"),
        "still running the previous config"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

/// The built-in default (no -c) running in `dir`, with its live providers. Tests
/// never touch the internet, so it runs only where a network namespace cuts it
/// off; `None` (said) where there is none.
fn offline_default(dir: &std::path::Path) -> Option<Pty> {
    if !std::process::Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: unshare -n is not available to keep the default config offline");
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_tickwire");
    let pty = Pty::spawn_program("unshare", dir, &["-n", bin], &[], 120, 30);
    pty.wait_for("the default watchlist", 10, |s| {
        s.contents().contains("1 AI shock")
    });
    Some(pty)
}

#[test]
fn editing_the_built_in_default_first_copies_it_to_the_users_config() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mut pty) = offline_default(tmp.path()) else {
        return;
    };
    pty.send("a");
    pty.send("msft\r");
    let created = tmp.path().join("xdg-config/tickwire/config.toml");
    for _ in 0..50 {
        if created.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let text = std::fs::read_to_string(&created).unwrap();
    assert!(
        text.starts_with("# tickwire's built-in configuration."),
        "the default, comments and all"
    );
    assert!(
        text.contains("symbols = [\"NVDA\", \"^NDX\", \"AVGO\", \"TSM\", \"AAPL\", \"MSFT\"]"),
        "{text}"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn an_edit_of_the_default_never_overwrites_a_config_created_meanwhile() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mut pty) = offline_default(tmp.path()) else {
        return;
    };
    // Meanwhile `opml import` (or the user, or another instance) writes the config.
    let created = tmp.path().join("xdg-config/tickwire/config.toml");
    std::fs::create_dir_all(created.parent().unwrap()).unwrap();
    let theirs = "[[watchlist]]\nname = \"Theirs\"\nsymbols = [\"IBM\"]\n[[feed]]\nname = \"Mine\"\nurl = \"http://127.0.0.1:9/rss\"\n";
    std::fs::write(&created, theirs).unwrap();
    pty.send("a");
    pty.send("msft\r");
    pty.wait_for("their config, reloaded", 10, |s| {
        s.contents().contains("1 Theirs")
    });
    assert_eq!(
        std::fs::read_to_string(&created).unwrap(),
        theirs,
        "the user's feeds stay"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn sigint_a_panic_and_an_error_all_restore_the_terminal() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let mut pty = start(&server, tmp.path(), &[]);
    pty.wait_for("the table", 20, |s| s.contents().contains("NVDA"));
    let pid = pty.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    pty.wait_exit(10);
    pty.restored().unwrap();

    for (crash, code, says) in [("panic", 101, "test-only panic"), ("error", 1, "test-only error")] {
        let mut pty = start(&server, tmp.path(), &[("TICKWIRE_TEST_CRASH", crash)]);
        assert_eq!(pty.wait_exit(10), code, "{crash}");
        pty.restored().unwrap_or_else(|e| panic!("{crash}: {e}"));
        let out = String::from_utf8_lossy(&pty.output.lock().unwrap()).into_owned();
        let left = out.find("\u{1b}[?1049l").expect("the alternate screen was left");
        assert_eq!(out.matches("\u{1b}[?1049l").count(), 1, "restored once");
        assert!(
            out[left..].contains(says),
            "{crash}: the message is printed after the restore"
        );
    }
}

#[test]
fn a_failing_source_shows_its_error_backs_off_and_recovers_by_itself() {
    let server = Server::start();
    market_day(&server);
    let down = || common::Reply::new(500, "text/plain", "down");
    server.route("/yahoo/v8/finance/chart/NVDA", down());
    server.route("/nasdaq/api/quote/NVDA/info", down());
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], ""));
    let mut pty = Pty::spawn(
        tmp.path(),
        &["-c", cfg.to_str().unwrap(), "--no-cache"],
        &[],
        120,
        30,
    );
    pty.wait_for("the error", 10, |s| s.contents().contains("NVDA: HTTP 500"));
    assert!(
        pty.text()
            .lines()
            .any(|l| l.starts_with("│NVDA") && l.contains("HTTP")),
        "{}",
        pty.text()
    );
    // quote_interval is 1s: polling at it would be ~6 requests in 6 s; backoff
    // doubles the wait after each failure (1, 2, 4 s, with jitter).
    let before = server.count("/yahoo/v8/finance/chart/NVDA");
    std::thread::sleep(std::time::Duration::from_secs(6));
    let during = server.count("/yahoo/v8/finance/chart/NVDA") - before;
    assert!(during <= 4, "{during} requests in 6 s while failing");
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        common::Reply::fixture(200, "yahoo/nvda.json"),
    );
    pty.wait_for("the recovery", 20, |s| {
        s.contents()
            .lines()
            .any(|l| l.starts_with("│NVDA") && l.contains("-16.97%"))
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn p_saves_lots_into_the_config_and_s_sorts_until_the_next_start() {
    let server = Server::start();
    market_day(&server);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["AAPL", "NVDA"], ""));
    let args = ["-c", cfg.to_str().unwrap()];
    let mut pty = Pty::spawn(tmp.path(), &args, &[], 160, 30);
    pty.wait_for("both priced", 20, |s| {
        s.contents().contains("-16.97%") && s.contents().contains("+3.18%")
    });
    pty.send("j");
    pty.send("p");
    pty.wait_for("the lots form", 5, |s| {
        s.contents().contains("NVDA lots (shares@cost")
    });
    pty.send("120@95.10, 30@131\r");
    pty.wait_for("the position in the table", 10, |s| {
        s.contents()
            .lines()
            .any(|l| l.starts_with("│NVDA") && l.contains("-3,630.00"))
    });
    let saved = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        saved.contains("position = [{ shares = 120, cost = 95.1 }, { shares = 30, cost = 131 }]"),
        "{saved}"
    );
    assert!(pty.text().contains("positions 17,763.00 USD"), "{}", pty.text());

    pty.send("s");
    pty.wait_for("sorted worst first", 5, |s| {
        s.contents().contains("AI shock · chg% worst first")
    });
    let order = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("│AAPL") || l.starts_with("│NVDA"))
            .map(|l| l[3..7].to_string())
            .collect()
    };
    assert_eq!(order(&pty.text()), ["NVDA", "AAPL"]);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);

    let mut again = Pty::spawn(tmp.path(), &args, &[], 160, 30);
    again.wait_for("the remembered sort", 10, |s| {
        s.contents().contains("AI shock · chg% worst first") && s.contents().contains("-16.97%")
    });
    assert_eq!(order(&again.text()), ["NVDA", "AAPL"]);
    again.send("q");
    assert_eq!(again.wait_exit(10), 0);
}

/// No network at the start (every connection refused): one clear line where the
/// rows are, not a cut error in each, and a pointer to the offline demo.
#[test]
fn without_a_network_the_first_screen_says_so_in_one_line() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&base, &["NVDA", "AAPL"], ""));
    let mut pty = Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 80, 24);
    pty.wait_for("the no-network line", 15, |s| {
        let text = s.contents().replace(['\n', '│'], " ");
        let words: Vec<&str> = text.split_whitespace().collect();
        words.join(" ").contains("No network: tickwire cannot reach 127.0.0.1 (connection refused). Offline? Try `tickwire --demo`.")
    });
    assert!(
        !pty.text().contains("connection fa"),
        "no cut error in a row:\n{}",
        pty.text()
    );
    // The network comes back; `r` tries at once (the host was marked unreachable
    // for a while): the rows return by themselves and the line goes.
    let addr = base.trim_start_matches("http://").to_string();
    let Ok(listener) = std::net::TcpListener::bind(&addr) else {
        eprintln!("port {addr} taken meanwhile: the network's return is not checked");
        pty.send("q");
        return;
    };
    let server = common::Server::on(listener);
    common::market_day(&server);
    pty.send("r");
    pty.wait_for("the rows back", 15, |s| {
        s.contents().contains("118.42") && !s.contents().contains("No network")
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn a_longer_range_is_asked_for_once_and_drawn_as_candles() {
    let server = Server::start();
    market_today(&server);
    let (_, _, _, month) = common::shapes::month();
    let target = "/yahoo/v8/finance/chart/NVDA?range=1mo&interval=1d&events=div%2Csplits%2CcapitalGains&includePrePost=false";
    server.route(target, common::Reply::new(200, "application/json", month));
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config_text(&server.base, &["NVDA", "AAPL"], ""));
    let mut pty = Pty::spawn(tmp.path(), &["-c", cfg.to_str().unwrap()], &[], 120, 40);
    pty.wait_for("NVDA priced", 20, |s| s.contents().contains("ALERT"));
    pty.send(">");
    pty.send(">");
    pty.wait_for("the month drawn", 10, |s| {
        let t = s.contents();
        t.contains("‹ 1M ›") && t.contains("from 130.00") && t.contains("D 1")
    });
    pty.send("c");
    pty.wait_for("candles with volume", 10, |s| s.contents().contains("vol"));
    let asked = server
        .requests()
        .iter()
        .filter(|r| r.target.contains("range=1mo"))
        .count();
    assert_eq!(asked, 1, "one ask for the month:\n{}", pty.text());
    // 5D was passed through while the month was not asked yet: at most one ask
    // per symbol in flight, so 5D went out first and 1M after it.
    let five = server
        .requests()
        .iter()
        .filter(|r| r.target.contains("range=5d"))
        .count();
    assert!(five <= 1, "{five} asks for 5D");
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    pty.restored().unwrap();
}
