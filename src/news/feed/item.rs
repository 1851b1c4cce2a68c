//! One item or entry as it is read: every element that may carry its title,
//! link, id, text or date, and the rules that choose among them.

use chrono::{DateTime, Utc};
use reqwest::Url;

use super::Item;
use super::date;
use super::ndaq::{Ndaq, NdaqField};
use super::ns::Ns;
use super::weblink::WebLink;

/// An element of an item that holds something a headline uses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Field {
    Title,
    DcTitle,
    MediaTitle,
    Link,
    Guid,
    Id,
    Summary,
    Content,
    /// media:description, dc:description: text when there is no other.
    OtherText,
    Published,
    Updated,
    Created,
    Ndaq(NdaqField),
}

/// What an element inside an item is for.
pub enum Role {
    Field(Field),
    /// Its children may be fields (media:group, media:content).
    Container,
    Ignore,
}

impl Field {
    pub fn of(ns: Ns, local: &str, in_container: bool) -> Role {
        use Field::*;
        let field = match (ns, local) {
            (Ns::Media, "group" | "content") => return Role::Container,
            (Ns::Media, "title") => MediaTitle,
            (Ns::Media, "description") => OtherText,
            _ if in_container => return Role::Ignore,
            (Ns::Core | Ns::Atom03, name) => match name {
                "title" => Title,
                "link" => Link,
                "guid" => Guid,
                "id" => Id,
                "description" | "summary" => Summary,
                "content" => Content,
                "pubDate" | "published" | "issued" => Published,
                "updated" | "modified" => Updated,
                "created" => Created,
                _ => return Role::Ignore,
            },
            (Ns::Dc, "title") => DcTitle,
            (Ns::Dc, "date") => Published,
            (Ns::Dc, "description") => OtherText,
            (Ns::Dcterms, "created" | "issued" | "date" | "available") => Published,
            (Ns::Dcterms, "modified") => Updated,
            (Ns::Content, "encoded") => Content,
            (Ns::Ndaq, name) => match NdaqField::of(name) {
                Some(f) => Ndaq(f),
                None => return Role::Ignore,
            },
            _ => return Role::Ignore,
        };
        Role::Field(field)
    }
}

#[derive(Default, Debug)]
pub struct ItemBuilder {
    title: Option<(String, bool)>,
    dc_title: Option<String>,
    media_title: Option<String>,
    title_html: bool,
    link: Option<WebLink>,
    alternate: Option<WebLink>,
    guid: Option<String>,
    guid_link: Option<WebLink>,
    guid_permalink: bool,
    id: Option<String>,
    about: Option<String>,
    about_link: Option<WebLink>,
    summary: Option<String>,
    content: Option<String>,
    other_text: Option<String>,
    published: Option<DateTime<Utc>>,
    updated: Option<DateTime<Utc>>,
    created: Option<DateTime<Utc>>,
    ndaq: Option<Box<Ndaq>>,
}

fn first(slot: &mut Option<String>, text: &str) {
    if slot.is_none() && !text.trim().is_empty() {
        *slot = Some(text.to_owned());
    }
}

fn first_date(slot: &mut Option<DateTime<Utc>>, text: &str) {
    if slot.is_none() {
        *slot = date::parse(text);
    }
}

/// Whether `s` holds "://" somewhere: found by its ':'s, which are few, where
/// `str::contains` builds a substring searcher for every id (1.3% of ingest).
fn has_authority(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b':', b).any(|i| b[i + 1..].starts_with(b"//"))
}

impl ItemBuilder {
    /// The attributes a field's element carries that matter.
    pub fn attributes(&mut self, field: Field, kind: Option<&str>, permalink: Option<&str>) {
        match field {
            Field::Title => self.title_html = kind.is_some_and(|t| t.contains("html")),
            Field::Guid => {
                self.guid_permalink = permalink.is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"));
            }
            _ => {}
        }
    }

    /// RSS 1.0's `rdf:about`: the item's id, and its link if it has no other.
    pub fn about(&mut self, about: &str, base: &Url) {
        if !about.is_empty() {
            self.about = Some(about.to_string());
            self.about_link = WebLink::resolve(about, base);
        }
    }

    /// An Atom-style `<link rel href>`.
    pub fn atom_link(&mut self, rel: &str, href: &str, base: &Url) {
        if self.alternate.is_none() && rel.eq_ignore_ascii_case("alternate") {
            self.alternate = WebLink::resolve(href, base);
        }
    }

    pub fn field(&mut self, field: Field, text: &str, base: &Url) {
        match field {
            Field::Title => {
                if self.title.is_none() && !text.trim().is_empty() {
                    self.title = Some((text.to_owned(), self.title_html));
                }
            }
            Field::DcTitle => first(&mut self.dc_title, text),
            Field::MediaTitle => first(&mut self.media_title, text),
            Field::Link => {
                if self.link.is_none() {
                    self.link = WebLink::resolve(text, base);
                }
            }
            Field::Guid => {
                if self.guid.is_none() && !text.trim().is_empty() {
                    let guid = text.trim();
                    // Only an absolute URL is a permalink: "abc" is an id, not a page.
                    if self.guid_permalink && has_authority(guid) {
                        self.guid_link = WebLink::resolve(guid, base);
                    }
                    self.guid = Some(guid.to_string());
                }
            }
            Field::Id => {
                if self.id.is_none() && !text.trim().is_empty() {
                    let id = text.trim();
                    // An Atom id that is a web address is the entry's page when it has no link.
                    if has_authority(id) {
                        self.guid_link = self.guid_link.take().or_else(|| WebLink::resolve(id, base));
                    }
                    self.id = Some(id.to_string());
                }
            }
            Field::Summary => first(&mut self.summary, text),
            Field::Content => first(&mut self.content, text),
            Field::OtherText => first(&mut self.other_text, text),
            Field::Published => first_date(&mut self.published, text),
            Field::Updated => first_date(&mut self.updated, text),
            Field::Created => first_date(&mut self.created, text),
            Field::Ndaq(f) => self.ndaq.get_or_insert_default().set(f, text),
        }
    }

    /// The item, or `None` when it has nothing to show: no title, text or link.
    pub fn build(self) -> Option<Item> {
        let title = self
            .title
            .or_else(|| self.dc_title.map(|t| (t, false)))
            .or_else(|| self.media_title.map(|t| (t, false)));
        let summary = self.summary.or(self.content).or(self.other_text);
        let link = self
            .link
            .or(self.alternate)
            .or(self.guid_link)
            .or(self.about_link);
        if title.is_none() && summary.is_none() && link.is_none() && self.ndaq.is_none() {
            return None;
        }
        let (title, title_html) = title.map_or((None, false), |(t, h)| (Some(t), h));
        Some(Item {
            id: self.id.or(self.guid).or(self.about),
            title,
            title_html,
            link,
            summary,
            published: self.published.or(self.updated).or(self.created),
            ndaq: self.ndaq,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::has_authority;

    #[test]
    fn an_authority_is_found_after_any_colon() {
        assert!(has_authority("http://example.com/a"));
        assert!(has_authority("tag:example.com,2025:https://x"));
        for no in ["urn:uuid:1", "", ":", "a:/b", "x:", "//host"] {
            assert!(!has_authority(no), "{no}");
        }
    }
}
