//! Why a fetch failed, in words a user can act on.

use std::error::Error as _;
use std::time::Duration;

use reqwest::StatusCode;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    #[error("timed out after {}", tenths(*.0))]
    Timeout(Duration),
    #[error("connection failed: {0}")]
    Connect(String),
    /// Not sent: connecting to the host failed a moment ago (DNS, refused), and
    /// asking again now would only fail the same way, once per source.
    #[error("connection failed: {0} (host unreachable: not asked again for {left})", left = tenths(*.1))]
    Unreachable(String, Duration),
    #[error("connection dropped mid-response: {0}")]
    Truncated(String),
    #[error("too many redirects")]
    Redirects,
    #[error("response body larger than {0} bytes")]
    TooLarge(u64),
    #[error("HTTP 429 Too Many Requests{}", retry_note(.0))]
    RateLimited(Option<Duration>),
    /// Not sent: the host answered another source 429 with a Retry-After.
    #[error("not asked: the host wants a pause ({} left)", tenths(*.0))]
    HostPaused(Duration),
    #[error("HTTP {}{}", status_text(*.status), detail_note(.detail))]
    Status {
        status: StatusCode,
        detail: Option<String>,
    },
    #[error("expected {expected}, got an HTML page (HTTP {status})")]
    Html { expected: &'static str, status: u16 },
    #[error("malformed response: {0}")]
    Malformed(String),
    #[error("{0}")]
    NoData(String),
    #[error("HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// How long the server asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited(d) => *d,
            Self::HostPaused(d) => Some(*d),
            _ => None,
        }
    }

    /// The request never reached a server: the host could not be resolved or
    /// connected to (or was found so a moment ago). Asking again costs nobody
    /// anything, so the wait before it need not grow as for a failing server.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Connect(_) | Self::Unreachable(..))
    }

    /// Classifies a reqwest error by walking its causes, so the user reads
    /// "connection refused" rather than "error sending request".
    pub fn from_reqwest(e: &reqwest::Error, budget: Duration) -> Self {
        let mut causes = Vec::new();
        let mut cur: Option<&dyn std::error::Error> = e.source();
        while let Some(c) = cur {
            causes.push(c.to_string());
            cur = c.source();
        }
        let deepest = causes.last().cloned().unwrap_or_else(|| e.to_string());
        if e.is_timeout() {
            Self::Timeout(budget)
        } else if e.is_redirect() {
            Self::Redirects
        } else if e.is_connect() {
            Self::Connect(deepest)
        } else if e.is_body() || e.is_decode() {
            Self::Truncated(deepest)
        } else {
            Self::Connect(deepest)
        }
    }
}

/// A budget measured just after the deadline was set reads 999.96ms; show 1s.
fn tenths(d: Duration) -> humantime::FormattedDuration {
    let ms = (d.as_millis() + 50) / 100 * 100;
    humantime::format_duration(Duration::from_millis(ms as u64))
}

fn status_text(s: StatusCode) -> String {
    match s.canonical_reason() {
        Some(r) => format!("{} {r}", s.as_u16()),
        None => s.as_u16().to_string(),
    }
}

fn detail_note(d: &Option<String>) -> String {
    d.as_ref().map(|d| format!(": {d}")).unwrap_or_default()
}

fn retry_note(d: &Option<Duration>) -> String {
    d.map(|d| format!(" (retry after {})", humantime::format_duration(d)))
        .unwrap_or_default()
}

/// The longest a server can make tickwire wait: a Retry-After of years, or one
/// past what an `Instant` can hold, is an hour.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(3600);

/// Parses Retry-After: delta-seconds or an HTTP date, capped at [`MAX_SERVER_WAIT`].
pub fn parse_retry_after(v: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = v.trim();
    let wait = if let Ok(secs) = v.parse::<u64>() {
        Duration::from_secs(secs)
    } else if v.bytes().all(|b| b.is_ascii_digit()) && !v.is_empty() {
        MAX_SERVER_WAIT // more digits than a u64 holds
    } else {
        let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
        let delta = when.with_timezone(&chrono::Utc).signed_duration_since(now);
        delta.to_std().unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_SERVER_WAIT))
}

/// The moment `wait` from now, for a wait that came from outside: never past
/// [`MAX_SERVER_WAIT`], never an overflow.
pub fn instant_after(wait: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(wait.min(MAX_SERVER_WAIT)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_specific() {
        let e = FetchError::Status {
            status: StatusCode::NOT_FOUND,
            detail: Some("No data found, symbol may be delisted".into()),
        };
        assert_eq!(
            e.to_string(),
            "HTTP 404 Not Found: No data found, symbol may be delisted"
        );
        assert_eq!(
            FetchError::RateLimited(Some(Duration::from_secs(30))).to_string(),
            "HTTP 429 Too Many Requests (retry after 30s)"
        );
        assert_eq!(
            FetchError::Timeout(Duration::from_secs(10)).to_string(),
            "timed out after 10s"
        );
    }

    #[test]
    fn retry_after_seconds_and_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2025-01-27T14:30:00Z")
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Mon, 27 Jan 2025 14:31:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn a_server_cannot_make_tickwire_wait_more_than_an_hour() {
        let now = chrono::DateTime::parse_from_rfc3339("2025-01-27T14:30:00Z")
            .unwrap()
            .to_utc();
        for v in [
            "18446744073709551615",
            "99999999999999999999999999",
            "31536000",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(parse_retry_after(v, now), Some(MAX_SERVER_WAIT), "{v}");
        }
        assert_eq!(
            parse_retry_after("Mon, 27 Jan 2025 14:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        // An Instant far in the future does not overflow.
        let later = instant_after(Duration::MAX);
        assert!(later <= tokio::time::Instant::now() + MAX_SERVER_WAIT);
    }
}
