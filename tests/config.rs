//! Every invalid config exits 2 with a message naming file, line, column and key,
//! before the terminal is touched. One file per case in tests/invalid_configs, whose
//! first line says `# expect: <fragment of the message>`.

mod common;

use std::path::PathBuf;

#[test]
fn every_invalid_config_is_refused_with_a_precise_message() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/invalid_configs");
    let tmp = tempfile::tempdir().unwrap();
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} lacks an expect line", path.display()));
        for args in [vec!["check"], vec!["once", "--json"], vec![]] {
            let mut all = vec!["-c", path.to_str().unwrap()];
            all.extend(args.iter().copied());
            let out = common::run(tmp.path(), &all);
            let err = common::stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{}: {args:?}: {err}", path.display());
            assert!(
                out.stdout.is_empty(),
                "nothing on stdout, no terminal setup: {:?}",
                common::stdout(&out)
            );
            let want = format!("tickwire: {}", path.display());
            assert!(err.starts_with(&want), "{}: {err}", path.display());
            assert!(
                err.contains(expect),
                "{}:\nwant {expect:?}\ngot  {err}",
                path.display()
            );
        }
        cases += 1;
    }
    assert!(cases >= 15, "only {cases} invalid configs found");
}

#[test]
fn a_missing_named_file_is_a_config_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run(tmp.path(), &["-c", "/nonexistent/tickwire.toml", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("/nonexistent/tickwire.toml: no such config file (named by --config)")
    );
    let out = common::tickwire(tmp.path())
        .env("TICKWIRE_CONFIG", "/nonexistent/env.toml")
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("named by $TICKWIRE_CONFIG"));
}

#[test]
fn check_summarises_the_embedded_default_and_the_xdg_file_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run(tmp.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    let s = common::stdout(&out);
    assert!(s.contains("configuration OK: <embedded default config>"), "{s}");
    assert!(s.contains("AI shock (5), Indices (4)"), "{s}");
    assert!(
        s.contains("halts: every 1m while the US market is in a session (https://www.nasdaqtrader.com/rss.aspx?feed=tradehalts)"),
        "{s}"
    );
    assert!(
        s.contains("stream: on (wss://streamer.finance.yahoo.com/?version=2)"),
        "{s}"
    );

    let xdg = tmp.path().join("xdg-config/tickwire");
    std::fs::create_dir_all(&xdg).unwrap();
    std::fs::write(
        xdg.join("config.toml"),
        "[[watchlist]]\nname = \"Mine\"\nsymbols = [\"SAP.DE\", \"btc-usd\"]\n",
    )
    .unwrap();
    let s = common::stdout(&common::run(tmp.path(), &["check"]));
    assert!(s.contains("xdg-config/tickwire/config.toml"), "{s}");
    assert!(s.contains("Mine (2)"), "{s}");
    std::fs::write(
        xdg.join("config.toml"),
        "[[watchlist]]\nname = \"Mine\"\nsymbols = [\"SAP.DE\"]\n[quotes]\nstream = false\n",
    )
    .unwrap();
    let s = common::stdout(&common::run(tmp.path(), &["check"]));
    assert!(s.contains("stream: off"), "{s}");
}

#[test]
fn an_unknown_watchlist_name_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run(tmp.path(), &["-w", "Crypto", "once"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("no watchlist named \"Crypto\" (configured: AI shock, Indices)"));
}

#[test]
fn bad_usage_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(common::run(tmp.path(), &["--bogus"]).status.code(), Some(2));
    assert_eq!(common::run(tmp.path(), &["once", "--jsn"]).status.code(), Some(2));
}

#[test]
fn the_documented_example_is_a_valid_config() {
    let dir = tempfile::tempdir().unwrap();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/example.toml");
    let out = common::run(dir.path(), &["-c", example.to_str().unwrap(), "check"]);
    let text = common::stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(text.contains("positions: NVDA"), "{text}");
    // Every commented key is valid once uncommented too.
    let all = std::fs::read_to_string(&example)
        .unwrap()
        .replace("# columns = ", "columns = ")
        .replace("# osc_notify = ", "osc_notify = ")
        .replace("# position_loss = ", "position_loss = ")
        .replace("# user_agent = ", "user_agent = ");
    let path = dir.path().join("all.toml");
    std::fs::write(&path, all).unwrap();
    let out = common::run(dir.path(), &["-c", path.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("alert at a day's loss of 5000"));
}

/// `tickwire init` writes the commented starter where tickwire looks for it,
/// never over a file that is there, and `check` passes on what it wrote.
#[test]
fn init_writes_a_starter_config_once_and_check_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let path = tmp.path().join("xdg-config/tickwire/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Written by `tickwire init`"), "{text}");
    assert!(text.contains("[[watchlist]]") && text.contains("config/example.toml"));
    let check = common::run(tmp.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", common::stderr(&check));
    assert!(
        common::stdout(&check).contains(path.to_str().unwrap()),
        "check reads the new file"
    );

    std::fs::write(&path, "# mine\n").unwrap();
    let again = common::run(tmp.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        common::stderr(&again).contains("exists already"),
        "{}",
        common::stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
}

/// The man page in docs/ is what the CLI definition generates today.
#[test]
fn the_man_page_is_in_sync_with_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run(tmp.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tickwire.1")).unwrap();
    assert!(
        common::stdout(&out) == committed,
        "docs/tickwire.1 is out of date: run `cargo run -- man > docs/tickwire.1`"
    );
}
