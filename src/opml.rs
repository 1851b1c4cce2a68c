//! Feeds in and out: OPML 2.0 export, and import from OPML or a newsboat `urls`
//! file into the config file, keeping its comments and layout (toml_edit).

use std::path::{Path, PathBuf};

use quick_xml::events::Event as Xml;
use reqwest::Url;

use crate::config::{self, Config, ConfigOrigin};
use crate::news::clean;

/// A feed found in an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub name: Option<String>,
    pub url: String,
}

/// Reads OPML, or a newsboat urls file when the text is not XML.
pub fn parse_import(text: &str) -> Result<Vec<Found>, String> {
    if text.trim_start().starts_with('<') {
        parse_opml(text)
    } else {
        Ok(parse_urls(text))
    }
}

fn parse_opml(text: &str) -> Result<Vec<Found>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Xml::Start(e) | Xml::Empty(e)) if e.local_name().as_ref().eq_ignore_ascii_case("outline") => {
                let mut url = None;
                let mut name = None;
                for a in e.attributes().flatten() {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match a.key.local_name().as_ref() {
                        "xmlUrl" | "xmlurl" => url = Some(value),
                        "title" => name = Some(value),
                        "text" if name.is_none() => name = Some(value),
                        _ => {}
                    }
                }
                if let Some(url) = url {
                    out.push(Found { name, url });
                }
            }
            Ok(Xml::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "not valid OPML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        }
    }
    Ok(out)
}

/// newsboat's urls format: `URL [tag ...] ["~Title"]`, `#` comments.
fn parse_urls(text: &str) -> Vec<Found> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (url, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let name = rest
                .find("\"~")
                .and_then(|i| rest[i + 2..].split('"').next())
                .map(String::from);
            Found {
                name,
                url: url.trim_matches('"').to_string(),
            }
        })
        .collect()
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: Vec<String>,
    pub duplicates: usize,
    /// URLs that are not http(s) (newsboat's query:, exec:, filter: feeds, typos).
    pub refused: Vec<String>,
    pub path: PathBuf,
}

/// Adds the found feeds to the config file at `path` (created from the built-in
/// default when the default is what runs), skipping feeds already there.
pub fn import(found: Vec<Found>, config: &Config, path: &Path) -> Result<Imported, String> {
    let text = match &config.origin {
        ConfigOrigin::File(p) => std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?,
        ConfigOrigin::Embedded => config::DEFAULT_CONFIG.to_string(),
        ConfigOrigin::Demo => return Err("the demo's configuration cannot be edited".into()),
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{}: {e}", path.display()))?;
    let mut known: Vec<String> = config
        .feeds
        .iter()
        .map(|f| crate::news::canonical_url(&f.url))
        .collect();
    let mut names: Vec<String> = config.feeds.iter().map(|f| f.name.to_lowercase()).collect();
    let mut result = Imported {
        path: path.to_path_buf(),
        ..Imported::default()
    };
    let feeds = doc
        .entry("feed")
        .or_insert(toml_edit::Item::ArrayOfTables(Default::default()))
        .as_array_of_tables_mut()
        .ok_or("the config's `feed` key is not an array of [[feed]] tables")?;
    for f in found {
        let url = match Url::parse(f.url.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
            _ => {
                result.refused.push(clean::safe(&f.url));
                continue;
            }
        };
        let canonical = crate::news::canonical_url(&url);
        if known.contains(&canonical) {
            result.duplicates += 1;
            continue;
        }
        known.push(canonical);
        let base = f
            .name
            .map(|n| clean::collapse(&clean::safe(&n)))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| url.host_str().unwrap_or("feed").to_string());
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name.to_lowercase()) {
            name = format!("{base} ({n})");
            n += 1;
        }
        names.push(name.to_lowercase());
        let mut table = toml_edit::Table::new();
        table.insert("name", toml_edit::value(name.clone()));
        table.insert("url", toml_edit::value(url.as_str()));
        feeds.push(table);
        result.added.push(name);
    }
    let new_text = doc.to_string();
    // Never write a file tickwire would then refuse.
    config::parse(&new_text, ConfigOrigin::File(path.to_path_buf())).map_err(|e| e.to_string())?;
    if !result.added.is_empty() {
        // Only over what was read: a file another instance wrote meanwhile stays.
        let expect = match &config.origin {
            ConfigOrigin::File(_) => config::Expect::Text(text.clone()),
            _ => config::Expect::Absent,
        };
        config::write_checked(path, &new_text, &expect).map_err(|e| e.to_string())?;
    }
    Ok(result)
}

/// OPML 2.0 of the configured feeds.
pub fn export(config: &Config, now: chrono::DateTime<chrono::Utc>) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n");
    out.push_str("    <title>tickwire feeds</title>\n");
    out.push_str(&format!("    <dateCreated>{}</dateCreated>\n", now.to_rfc2822()));
    out.push_str("  </head>\n  <body>\n");
    for f in &config.feeds {
        let name = html_escape::encode_double_quoted_attribute(&f.name);
        let url = html_escape::encode_double_quoted_attribute(f.url.as_str());
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{url}\"/>\n"
        ));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_nested_outlines_and_entities() {
        let text = r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
            <outline text="Markets"><outline type="rss" text="CNBC &amp; Co" xmlUrl="https://cnbc.example.com/rss?a=1&amp;b=2"/></outline>
            <outline title="Only title" xmlUrl="https://t.example.com/"/>
            <outline text="A folder"/></body></opml>"#;
        assert_eq!(
            parse_import(text).unwrap(),
            [
                Found {
                    name: Some("CNBC & Co".into()),
                    url: "https://cnbc.example.com/rss?a=1&b=2".into()
                },
                Found {
                    name: Some("Only title".into()),
                    url: "https://t.example.com/".into()
                },
            ]
        );
        assert!(parse_import("<opml><body><outline xmlUrl='https://x.example.com/'></body>").is_err());
    }

    #[test]
    fn newsboat_urls() {
        let text = "# mine\nhttps://a.example.com/rss markets \"~Market A\"\n\nhttps://b.example.com/feed\n\"query:Unread:unread = \\\"yes\\\"\"\n";
        let found = parse_import(text).unwrap();
        assert_eq!(
            found[0],
            Found {
                name: Some("Market A".into()),
                url: "https://a.example.com/rss".into()
            }
        );
        assert_eq!(
            found[1],
            Found {
                name: None,
                url: "https://b.example.com/feed".into()
            }
        );
        assert_eq!(found.len(), 3);
    }
}
