//! JSON Feed 1.0 and 1.1 (jsonfeed.org).

use reqwest::Url;
use serde::Deserialize;

use super::WebLink;
use super::{Document, Format, Item, ReadError, date};

#[derive(Deserialize)]
struct Feed {
    version: Option<String>,
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

pub fn read(text: &str, base: &Url) -> Result<Document, ReadError> {
    let feed: Feed = serde_json::from_str(text).map_err(|e| ReadError::Json(e.to_string()))?;
    let format = match feed.version.as_deref() {
        Some(v) if v.starts_with("https://jsonfeed.org/version/1.1") => Format::Json11,
        Some(v) if v.contains("jsonfeed.org/version/") => Format::Json10,
        _ => {
            return Err(ReadError::Json(
                "a JSON document without a JSON Feed version".into(),
            ));
        }
    };
    let mut doc = Document {
        format: Some(format),
        ..Document::default()
    };
    for value in feed.items {
        match item(&value, base) {
            Some(i) => doc.items.push(i),
            None => doc.skipped += 1,
        }
    }
    Ok(doc)
}

fn string(v: &serde_json::Value, key: &str) -> Option<String> {
    match v.get(key)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        // Ids are strings by the spec and numbers in the wild.
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn item(v: &serde_json::Value, base: &Url) -> Option<Item> {
    let link = string(v, "url")
        .and_then(|u| WebLink::resolve(&u, base))
        .or_else(|| string(v, "external_url").and_then(|u| WebLink::resolve(&u, base)));
    let summary = string(v, "summary")
        .or_else(|| string(v, "content_html"))
        .or_else(|| string(v, "content_text"));
    let title = string(v, "title");
    if title.is_none() && summary.is_none() && link.is_none() {
        return None;
    }
    let published = string(v, "date_published")
        .and_then(|d| date::parse(&d))
        .or_else(|| string(v, "date_modified").and_then(|d| date::parse(&d)));
    Some(Item {
        id: string(v, "id"),
        title,
        title_html: false,
        link,
        summary,
        published,
        ndaq: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.org/feed.json").unwrap()
    }

    #[test]
    fn json_feed_items_in_both_versions() {
        let d = read(
            r#"{"version":"https://jsonfeed.org/version/1.1","items":[
                {"id":1,"url":"/a","title":"A","date_published":"2025-01-27T10:11:00-05:00"},
                {"id":"2","content_text":"Only text","external_url":"https://elsewhere.example/b"},
                {"id":"3"}]}"#,
            &base(),
        )
        .unwrap();
        assert_eq!(d.format, Some(Format::Json11));
        assert_eq!((d.items.len(), d.skipped), (2, 1));
        assert_eq!(d.items[0].id.as_deref(), Some("1"));
        assert_eq!(
            d.items[0].link.as_ref().map(crate::news::feed::WebLink::as_str),
            Some("https://example.org/a")
        );
        assert_eq!(
            d.items[0].published.unwrap().to_rfc3339(),
            "2025-01-27T15:11:00+00:00"
        );
        assert_eq!(d.items[1].summary.as_deref(), Some("Only text"));
        let old = read(
            r#"{"version":"https://jsonfeed.org/version/1","items":[]}"#,
            &base(),
        )
        .unwrap();
        assert_eq!(old.format, Some(Format::Json10));
    }

    #[test]
    fn json_that_is_not_a_feed_says_so() {
        assert!(matches!(
            read(r#"{"quotes":[]}"#, &base()),
            Err(ReadError::Json(_))
        ));
        assert!(matches!(read("{", &base()), Err(ReadError::Json(_))));
    }
}
