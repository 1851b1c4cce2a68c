//! Namespaces as feeds use them: a handful matter (Atom, RDF, Dublin Core,
//! content, Media RSS); declarations are tracked here rather than by quick-xml's
//! resolver, which cost a tenth of ingest for documents that declare one default
//! namespace and nothing else.

/// A namespace, as far as feeds care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ns {
    /// No namespace, or RSS's own (0.90, 1.0, the 2.0 variants), or Atom's.
    Core,
    Atom03,
    Rdf,
    Dc,
    Dcterms,
    Content,
    Media,
    /// Nasdaq Trader's (its trade-halt feed).
    Ndaq,
    Other,
}

impl Ns {
    /// An undeclared prefix, as hand-made feeds use them: go by the usual prefix.
    fn guess(prefix: &str) -> Self {
        match prefix {
            "dc" => Self::Dc,
            "dcterms" => Self::Dcterms,
            "content" => Self::Content,
            "media" => Self::Media,
            "atom" | "a10" => Self::Core,
            "rdf" => Self::Rdf,
            "ndaq" => Self::Ndaq,
            _ => Self::Other,
        }
    }

    fn of_uri(uri: &str) -> Self {
        let uri = uri.trim_end_matches(['/', '#']);
        match uri {
            "http://www.w3.org/2005/Atom"
            | "http://purl.org/rss/1.0"
            | "http://my.netscape.com/rdf/simple/0.9"
            | "http://backend.userland.com/rss2"
            | "http://blogs.law.harvard.edu/tech/rss" => Self::Core,
            "http://purl.org/atom/ns" => Self::Atom03,
            "http://www.w3.org/1999/02/22-rdf-syntax-ns" => Self::Rdf,
            "http://purl.org/dc/elements/1.1" => Self::Dc,
            "http://purl.org/dc/terms" => Self::Dcterms,
            "http://purl.org/rss/1.0/modules/content" => Self::Content,
            "http://search.yahoo.com/mrss" => Self::Media,
            "http://www.nasdaqtrader.com" | "https://www.nasdaqtrader.com" => Self::Ndaq,
            // XHTML inside content is markup, handled by nesting.
            _ => Self::Other,
        }
    }
}

/// The namespace declarations in force, each with the depth it was made at:
/// the default namespace apart, since nearly every name uses it.
#[derive(Default)]
pub struct Scope {
    default: Vec<(Ns, usize)>,
    prefixed: Vec<(String, Ns, usize)>,
}

impl Scope {
    pub fn declare(&mut self, prefix: &str, uri: &str, depth: usize) {
        let ns = Ns::of_uri(uri.trim());
        if prefix.is_empty() {
            // A default namespace nobody registered ("channel.netscape.com/rdf/
            // simple/0.9"): the document's own elements, read by name.
            let ns = if ns == Ns::Other { Ns::Core } else { ns };
            self.default.push((ns, depth));
        } else {
            self.prefixed.push((prefix.to_string(), ns, depth));
        }
    }

    /// Declarations made by the element at `depth` end with it.
    pub fn leave(&mut self, depth: usize) {
        while self.default.last().is_some_and(|d| d.1 >= depth) {
            self.default.pop();
        }
        while self.prefixed.last().is_some_and(|d| d.2 >= depth) {
            self.prefixed.pop();
        }
    }

    /// The namespace and local name of a qualified name.
    pub fn resolve<'n>(&self, qname: &'n str) -> (Ns, &'n str) {
        // Names are short: a byte loop beats memchr's call.
        let colon = qname.bytes().position(|b| b == b':');
        match colon.map(|i| (&qname[..i], &qname[i + 1..])) {
            None => (self.default.last().map_or(Ns::Core, |d| d.0), qname),
            Some((prefix, local)) => {
                let declared = self.prefixed.iter().rev().find(|d| d.0 == prefix).map(|d| d.1);
                (declared.unwrap_or_else(|| Ns::guess(prefix)), local)
            }
        }
    }
}
