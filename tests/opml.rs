//! `tickwire opml import` / `opml export` against real files.

mod common;

const HAND_WRITTEN: &str = r#"# My tickwire config: written by hand, comments matter.
[general]
timeout = "5s"   # short, I am impatient

[[watchlist]]
name = "Mine"
symbols = ["NVDA"]  # the only one

# Feeds I read
[[feed]]
name = "CNBC Top News"
url = "https://www.cnbc.com/id/100003114/device/rss/rss.html"
"#;

const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>from newsboat</title></head><body>
  <outline text="Markets">
    <outline type="rss" text="CNBC again" xmlUrl="https://www.cnbc.com/id/100003114/device/rss/rss.html#x"/>
    <outline type="rss" text="WSJ Markets" xmlUrl="https://feeds.a.dj.com/rss/RSSMarketsMain.xml"/>
    <outline type="rss" title="Heise &amp; Co" xmlUrl="https://www.heise.de/rss/heise-atom.xml"/>
  </outline>
  <outline type="rss" text="Evil" xmlUrl="javascript:alert(1)"/>
</body></opml>"#;

#[test]
fn import_keeps_every_byte_of_a_hand_written_config() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = common::write_config(tmp.path(), HAND_WRITTEN);
    let file = tmp.path().join("feeds.opml");
    std::fs::write(&file, OPML).unwrap();
    let out = common::run(
        tmp.path(),
        &[
            "-c",
            cfg.to_str().unwrap(),
            "opml",
            "import",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let said = common::stdout(&out);
    assert!(
        said.contains("added 2 feed(s)") && said.contains("skipped 1 already configured"),
        "{said}"
    );
    assert!(
        said.contains("skipped (not an http or https URL): javascript:alert(1)"),
        "{said}"
    );
    let after = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        after.starts_with(HAND_WRITTEN),
        "the original text is untouched:\n{after}"
    );
    assert!(
        after.contains("name = \"WSJ Markets\"\nurl = \"https://feeds.a.dj.com/rss/RSSMarketsMain.xml\"")
    );
    assert!(after.contains("name = \"Heise & Co\""));
    // Importing again adds nothing and leaves the file as it is.
    let again = common::run(
        tmp.path(),
        &[
            "-c",
            cfg.to_str().unwrap(),
            "opml",
            "import",
            file.to_str().unwrap(),
        ],
    );
    assert!(common::stdout(&again).contains("added 0 feed(s)"));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), after);
    assert_eq!(
        common::run(tmp.path(), &["-c", cfg.to_str().unwrap(), "check"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn import_with_the_default_running_creates_the_users_config() {
    let tmp = tempfile::tempdir().unwrap();
    let urls = tmp.path().join("urls");
    std::fs::write(
        &urls,
        "# newsboat\nhttps://example.com/a.xml tech \"~Example A\"\nquery:Unread:unread = \"yes\"\n",
    )
    .unwrap();
    let out = common::run(tmp.path(), &["opml", "import", urls.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let created = tmp.path().join("xdg-config/tickwire/config.toml");
    let text = std::fs::read_to_string(&created).unwrap();
    assert!(
        text.starts_with("# tickwire's built-in configuration."),
        "the default is copied first"
    );
    assert!(text.contains("name = \"Example A\""));
    let check = common::stdout(&common::run(tmp.path(), &["check"]));
    assert!(check.contains("xdg-config/tickwire/config.toml"), "{check}");
}

#[test]
fn export_is_opml_2_and_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run(tmp.path(), &["opml", "export"]);
    assert_eq!(out.status.code(), Some(0));
    let opml = common::stdout(&out);
    assert!(opml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    assert!(opml.contains(
        "<outline type=\"rss\" text=\"CNBC Top News\" title=\"CNBC Top News\" xmlUrl=\"https://www.cnbc.com/id/100003114/device/rss/rss.html\"/>"
    ));
    assert!(opml.contains(
        "xmlUrl=\"https://feeds.finance.yahoo.com/rss/2.0/headline?s=NVDA&amp;region=US&amp;lang=en-US\""
    ));
    let file = tmp.path().join("out.opml");
    std::fs::write(&file, &opml).unwrap();
    let cfg = common::write_config(tmp.path(), "[[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\"]\n");
    let imported = common::run(
        tmp.path(),
        &[
            "-c",
            cfg.to_str().unwrap(),
            "opml",
            "import",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        common::stdout(&imported).contains("added 6 feed(s)"),
        "{}",
        common::stdout(&imported)
    );
    let re = common::stdout(&common::run(
        tmp.path(),
        &["-c", cfg.to_str().unwrap(), "opml", "export"],
    ));
    let body = |s: &str| {
        s.lines()
            .filter(|l| l.contains("<outline"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(body(&re), body(&opml));
}

#[test]
fn an_unreadable_import_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = common::write_config(tmp.path(), HAND_WRITTEN);
    let out = common::run(
        tmp.path(),
        &["-c", cfg.to_str().unwrap(), "opml", "import", "/nonexistent.opml"],
    );
    assert_eq!(out.status.code(), Some(2));
    let bad = tmp.path().join("bad.opml");
    std::fs::write(
        &bad,
        "<opml><body><outline xmlUrl=\"https://x.example.com/\"></body>",
    )
    .unwrap();
    let out = common::run(
        tmp.path(),
        &[
            "-c",
            cfg.to_str().unwrap(),
            "opml",
            "import",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", common::stdout(&out));
    assert!(
        common::stderr(&out).contains("not valid OPML"),
        "{}",
        common::stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), HAND_WRITTEN);
}
