//! The one HTTP client every source shares: rustls, gzip, a timeout per request,
//! a cap on the decompressed body, a global limit on requests in flight, and
//! each host's own budget (`hosts`).

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::error::{FetchError, parse_retry_after};
use super::hosts::{Budget, Hosts, published_budget};
use crate::config::General;

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    roots: super::tls::Warm,
    limit: Arc<Semaphore>,
    hosts: Arc<Hosts>,
    max_body_bytes: u64,
    timeout: Duration,
}

/// A response whose body has been read in full (within the cap).
#[derive(Debug)]
pub struct Fetched {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The server's bytes as hyper read them when they came in one piece (most
    /// bodies): copying each feed into a `Vec` was 1.4% of a cold `once`'s CPU.
    pub body: Bytes,
}

impl Http {
    pub fn new(general: &General) -> Result<Self, FetchError> {
        Self::with_budgets(general, published_budget)
    }

    /// With each host's budget from `budget` (tests give loopback one).
    pub fn with_budgets(
        general: &General,
        budget: impl Fn(&str) -> Budget + Send + Sync + 'static,
    ) -> Result<Self, FetchError> {
        // rustls needs a process-wide crypto provider (the websocket streams use it);
        // a second install is a no-op error.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let (tls, roots) = super::tls::client_config().map_err(|e| FetchError::Client(e.to_string()))?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .user_agent(general.user_agent.clone())
            .connect_timeout(general.timeout)
            .timeout(general.timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .gzip(true)
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(Self {
            client,
            roots,
            limit: Arc::new(Semaphore::new(general.max_concurrent_requests)),
            hosts: Arc::new(Hosts::new(budget)),
            max_body_bytes: general.max_body_bytes,
            timeout: general.timeout,
        })
    }

    /// See [`Hosts::forget_down`].
    pub fn forget_down(&self) {
        self.hosts.forget_down();
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// GETs `url` and reads the body, all before `deadline`. Waiting for a free
    /// request slot counts against the deadline too, so a caller's bound holds.
    pub async fn get(&self, url: Url, headers: HeaderMap, deadline: Instant) -> Result<Fetched, FetchError> {
        let budget = deadline.saturating_duration_since(Instant::now());
        if url.scheme() == "https" {
            self.roots.start();
        }
        let work = async {
            // The host's turn first: waiting for it must not hold a slot other hosts could use.
            let _pass = self.hosts.enter(&url, deadline).await?;
            let _permit = self
                .limit
                .acquire()
                .await
                .map_err(|_| FetchError::Client("request limiter closed".into()))?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let mut resp = self
                .client
                .get(url.clone())
                .headers(headers)
                .timeout(remaining.max(Duration::from_millis(1)))
                .send()
                .await
                .map_err(|e| {
                    let err = FetchError::from_reqwest(&e, budget);
                    if let (true, false, FetchError::Connect(why)) = (e.is_connect(), e.is_timeout(), &err) {
                        self.hosts.mark_down(&url, why);
                    }
                    err
                })?;
            let status = resp.status();
            let headers = resp.headers().clone();
            if status == StatusCode::TOO_MANY_REQUESTS
                && let Some(wait) = headers
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, chrono::Utc::now()))
            {
                self.hosts.pause(&url, wait);
            }
            if let Some(len) = resp.content_length() {
                // Content-Length is of the encoded body; only an identity body can be refused early.
                if len > self.max_body_bytes && !headers.contains_key(reqwest::header::CONTENT_ENCODING) {
                    return Err(FetchError::TooLarge(self.max_body_bytes));
                }
            }
            // A body of several chunks gets one buffer of its announced size (within the cap).
            let mut body = Body {
                expected: resp.content_length().unwrap_or(0).min(self.max_body_bytes) as usize,
                ..Body::default()
            };
            while let Some(chunk) = resp
                .chunk()
                .await
                .map_err(|e| FetchError::from_reqwest(&e, budget))?
            {
                if body.len() as u64 + chunk.len() as u64 > self.max_body_bytes {
                    return Err(FetchError::TooLarge(self.max_body_bytes));
                }
                body.push(chunk);
            }
            Ok(Fetched {
                status,
                headers,
                body: body.into(),
            })
        };
        match tokio::time::timeout_at(deadline, work).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout(budget)),
        }
    }
}

/// A body as its chunks come: the first kept as hyper read it, and from the
/// second on all copied into one buffer as they arrive. Copied at the end
/// instead, a 5 MB feed held the runtime thread for one 5 MB copy into fresh
/// memory: the key-latency bench's worst wait went from 4.3 to 7.2 ms.
#[derive(Default)]
struct Body {
    first: Bytes,
    rest: BytesMut,
    /// The size the server announced, reserved at the first copy.
    expected: usize,
}

impl Body {
    fn len(&self) -> usize {
        self.first.len() + self.rest.len()
    }

    fn push(&mut self, chunk: Bytes) {
        if self.first.is_empty() && self.rest.is_empty() {
            self.first = chunk;
            return;
        }
        if !self.first.is_empty() {
            let first = std::mem::take(&mut self.first);
            self.rest.reserve(self.expected.max(first.len() + chunk.len()));
            self.rest.extend_from_slice(&first);
        }
        self.rest.extend_from_slice(&chunk);
    }
}

impl From<Body> for Bytes {
    fn from(body: Body) -> Self {
        if body.rest.is_empty() {
            body.first
        } else {
            body.rest.freeze()
        }
    }
}

impl Fetched {
    pub fn header(&self, name: reqwest::header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A 429 or any other non-2xx status as an error (with the server's own
    /// explanation where the caller found one); `Ok` for a success.
    pub fn check_status(&self, detail: impl FnOnce(&[u8]) -> Option<String>) -> Result<(), FetchError> {
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            let wait = self
                .header(reqwest::header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
            return Err(FetchError::RateLimited(wait));
        }
        if !self.status.is_success() {
            return Err(FetchError::Status {
                status: self.status,
                detail: detail(&self.body),
            });
        }
        Ok(())
    }
}

/// Headers that make a JSON API answer as it would to a browser.
pub fn browser_json_headers(referer: Option<&str>) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json, text/plain, */*"),
    );
    h.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        HeaderValue::from_static("en-US,en;q=0.9"),
    );
    if let Some(r) = referer.and_then(|r| HeaderValue::from_str(r).ok()) {
        h.insert(reqwest::header::REFERER, r.clone());
        h.insert(reqwest::header::ORIGIN, r);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(parts: &[&'static str]) -> Bytes {
        let mut body = Body {
            expected: 9,
            ..Body::default()
        };
        for p in parts {
            body.push(Bytes::from_static(p.as_bytes()));
            assert!(body.len() <= parts.concat().len());
        }
        body.into()
    }

    #[test]
    fn chunks_join_in_order_and_one_is_kept_as_it_came() {
        let one = Bytes::from_static(b"<rss/>");
        let mut body = Body::default();
        body.push(one.clone());
        assert_eq!(Bytes::from(body).as_ptr(), one.as_ptr());
        assert_eq!(joined(&[]), Bytes::new());
        for parts in [
            &["<rss>", "", "<item/>", "</rss>"][..],
            &["", "<rss>", "</rss>"],
            &["<rss>", "</rss>", ""],
            &["", ""],
        ] {
            assert_eq!(joined(parts), parts.concat().as_bytes());
        }
    }
}
