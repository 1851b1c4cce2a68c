//! Providers against a real HTTP server on 127.0.0.1 serving fixtures in the real shapes.

mod common;

use std::time::Duration;

use common::{Behaviour, Reply, Server, config_text};
use tickwire::config::{Config, ConfigOrigin, parse};
use tickwire::model::QuoteOutcome;
use tickwire::source::{Http, QuoteFetcher};
use tokio::time::Instant;

fn config(server: &Server, providers: &str, extra: &str) -> Config {
    let text = config_text(&server.base, &["NVDA"], extra).replace(
        r#"providers = ["yahoo", "nasdaq"]"#,
        &format!("providers = [{providers}]"),
    );
    parse(&text, ConfigOrigin::Embedded).unwrap()
}

async fn fetch_with(config: &Config, symbol: &str) -> QuoteOutcome {
    let fetcher = QuoteFetcher::new(Http::new(&config.general).unwrap(), config);
    fetcher
        .fetch(symbol, Instant::now() + Duration::from_secs(10))
        .await
}

async fn yahoo_only(reply: Reply) -> (QuoteOutcome, Server) {
    let server = Server::start();
    server.route("/yahoo/v8/finance/chart/NVDA", reply);
    let c = config(&server, r#""yahoo""#, "");
    (fetch_with(&c, "NVDA").await, server)
}

fn error_of(o: &QuoteOutcome) -> String {
    o.result
        .as_ref()
        .err()
        .cloned()
        .unwrap_or_else(|| panic!("expected an error, got {:?}", o.result))
}

#[tokio::test]
async fn a_normal_quote_has_every_field() {
    let (o, server) = yahoo_only(Reply::fixture(200, "yahoo/nvda.json")).await;
    let q = o.result.unwrap();
    assert_eq!(q.price, 118.42);
    assert_eq!(q.previous_close, Some(142.62));
    assert!((q.change_pct().unwrap() - -16.968).abs() < 0.001);
    assert_eq!((q.day_low, q.day_high), (Some(116.7), Some(128.4)));
    assert_eq!(q.volume, Some(818_830_938));
    assert_eq!(q.currency.as_deref(), Some("USD"));
    assert_eq!(q.series.len(), 78);
    assert_eq!(
        q.market_time.map(|t| t.to_rfc3339()),
        Some("2025-01-27T21:00:00+00:00".into())
    );
    let day = tickwire::alert::move_day(&q, None).map(|d| d.to_string());
    assert_eq!(
        day.as_deref(),
        Some("2025-01-27"),
        "the regular move's trading day"
    );
    let req = &server.requests()[0];
    assert_eq!(
        req.target,
        "/yahoo/v8/finance/chart/NVDA?range=1d&interval=5m&includePrePost=true"
    );
    assert!(req.headers["user-agent"].starts_with("Mozilla/5.0"));
    assert!(req.headers["accept"].contains("application/json"));
}

#[tokio::test]
async fn an_index_without_volume_and_the_caret_encoded() {
    let server = Server::start();
    server.route(
        "/yahoo/v8/finance/chart/%5ENDX",
        Reply::fixture(200, "yahoo/ndx_index.json"),
    );
    let c = config(&server, r#""yahoo""#, "");
    let q = fetch_with(&c, "^NDX").await.result.unwrap();
    assert_eq!(q.volume, None);
    assert_eq!(q.price, 20825.23);
    assert!(
        server.requests()[0]
            .target
            .starts_with("/yahoo/v8/finance/chart/%5ENDX?")
    );
}

#[tokio::test]
async fn null_currency_and_nulls_in_the_series() {
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/null_currency.json")).await;
    let q = o.result.unwrap();
    assert_eq!(q.currency, None);
    assert_eq!(q.price, 0.045);

    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/nulls_in_series.json")).await;
    let q = o.result.unwrap();
    assert_eq!(q.series.len(), 78 - 6, "the six nulls are skipped");
    assert!(q.series.windows(2).all(|w| w[0].0 < w[1].0));
}

#[tokio::test]
async fn previous_close_falls_back_and_may_be_absent() {
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/previous_close_only.json")).await;
    assert_eq!(o.result.unwrap().previous_close, Some(236.2));
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/no_previous_close.json")).await;
    let q = o.result.unwrap();
    assert_eq!(q.previous_close, None);
    assert_eq!(q.change_pct(), None);
}

#[tokio::test]
async fn empty_quote_arrays_without_timestamps() {
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/empty_quote.json")).await;
    let q = o.result.unwrap();
    assert_eq!(q.price, 0.0421);
    assert!(q.series.is_empty());
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/no_price.json")).await;
    assert_eq!(error_of(&o), "yahoo: no price in response");
}

#[tokio::test]
async fn the_404_body_is_reported() {
    let (o, _s) = yahoo_only(Reply::fixture(404, "yahoo/not_found.json")).await;
    assert_eq!(
        error_of(&o),
        "yahoo: HTTP 404 Not Found: No data found, symbol may be delisted"
    );
}

#[tokio::test]
async fn an_html_page_is_not_json() {
    let (o, _s) = yahoo_only(Reply::fixture(200, "html_login.html")).await;
    assert_eq!(error_of(&o), "yahoo: expected JSON, got an HTML page (HTTP 200)");
}

#[tokio::test]
async fn rate_limited_with_retry_after() {
    let (o, _s) =
        yahoo_only(Reply::new(429, "text/plain", "Too Many Requests").header("Retry-After", "42")).await;
    assert_eq!(
        error_of(&o),
        "yahoo: HTTP 429 Too Many Requests (retry after 42s)"
    );
    assert_eq!(o.retry_after, Some(Duration::from_secs(42)));
}

#[tokio::test]
async fn server_error() {
    let (o, _s) = yahoo_only(Reply::new(500, "text/plain", "oops")).await;
    assert_eq!(error_of(&o), "yahoo: HTTP 500 Internal Server Error");
}

#[tokio::test]
async fn a_hang_is_cut_at_the_timeout() {
    let server = Server::start();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::fixture(200, "yahoo/nvda.json").behave(Behaviour::Hang(Duration::from_secs(30))),
    );
    let c = config(&server, r#""yahoo""#, "").replace_timeout("1s");
    let started = std::time::Instant::now();
    let o = fetch_with(&c, "NVDA").await;
    assert_eq!(error_of(&o), "yahoo: timed out after 1s");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn truncated_json_and_a_lying_content_length() {
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/truncated.json")).await;
    assert!(
        error_of(&o).starts_with("yahoo: malformed response: JSON ends early"),
        "{}",
        error_of(&o)
    );
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/nvda.json").behave(Behaviour::Truncate(500))).await;
    assert!(
        error_of(&o).starts_with("yahoo: connection dropped mid-response"),
        "{}",
        error_of(&o)
    );
}

#[tokio::test]
async fn json_of_the_wrong_shape() {
    let (o, _s) = yahoo_only(Reply::fixture(200, "yahoo/wrong_shape.json")).await;
    assert!(error_of(&o).contains("unexpected JSON shape"), "{}", error_of(&o));
}

#[tokio::test]
async fn nasdaq_shapes() {
    let server = Server::start();
    server
        .route(
            "/nasdaq/api/quote/NVDA/info",
            Reply::fixture(200, "nasdaq/nvda.json"),
        )
        .route(
            "/nasdaq/api/quote/NDX/info",
            Reply::fixture(200, "nasdaq/ndx.json"),
        )
        .route(
            "/nasdaq/api/quote/ZZZZ/info",
            Reply::fixture(200, "nasdaq/unknown.json"),
        );
    let c = config(&server, r#""nasdaq""#, "");
    let q = fetch_with(&c, "NVDA").await.result.unwrap();
    assert_eq!((q.price, q.previous_close), (118.42, Some(142.62)));
    assert_eq!((q.day_low, q.day_high), (Some(116.7), Some(128.4)));
    assert_eq!(q.volume, Some(818_830_938));
    let q = fetch_with(&c, "^NDX").await.result.unwrap();
    assert_eq!(q.price, 20825.23);
    assert!(
        (q.previous_close.unwrap() - 21447.42).abs() < 1e-6,
        "price - netChange"
    );
    let o = fetch_with(&c, "ZZZZ").await;
    assert_eq!(error_of(&o), "nasdaq: Symbol not exists.");
    let reqs = server.requests();
    assert_eq!(reqs[0].target, "/nasdaq/api/quote/NVDA/info?assetclass=stocks");
    assert_eq!(reqs[1].target, "/nasdaq/api/quote/NDX/info?assetclass=index");
    assert_eq!(reqs[0].headers["referer"], "https://www.nasdaq.com/");
}

#[tokio::test]
async fn failover_from_yahoo_to_nasdaq() {
    let server = Server::start();
    server
        .route(
            "/yahoo/v8/finance/chart/NVDA",
            Reply::new(503, "text/html", "<html>down</html>"),
        )
        .route(
            "/nasdaq/api/quote/NVDA/info",
            Reply::fixture(200, "nasdaq/nvda.json"),
        );
    let c = config(&server, r#""yahoo", "nasdaq""#, "");
    let o = fetch_with(&c, "NVDA").await;
    let q = o.result.unwrap();
    assert_eq!(q.provider, "nasdaq");
    assert_eq!(o.attempts.len(), 2);
    assert_eq!(
        o.attempts[0].error.as_deref(),
        Some("HTTP 503 Service Unavailable")
    );
    assert_eq!(o.attempts[1].error, None);
}

#[tokio::test]
async fn no_provider_prices_it() {
    let server = Server::start();
    common::market_day(&server);
    let c = config(&server, r#""yahoo", "nasdaq""#, "");
    let o = fetch_with(&c, "NOPE").await;
    assert_eq!(
        error_of(&o),
        "yahoo: HTTP 404 Not Found: No data found, symbol may be delisted; nasdaq: Symbol not exists."
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = Server::start();
    server.route(
        "/yahoo/v8/finance/chart/NVDA",
        Reply::new(200, "application/json", vec![b' '; 10_000]),
    );
    let c = config(&server, r#""yahoo""#, "").replace_body_cap(2048);
    let o = fetch_with(&c, "NVDA").await;
    assert_eq!(error_of(&o), "yahoo: response body larger than 2048 bytes");
}

trait Tweak {
    fn replace_timeout(self, t: &str) -> Config;
    fn replace_body_cap(self, n: u64) -> Config;
}

impl Tweak for Config {
    fn replace_timeout(mut self, t: &str) -> Config {
        self.general.timeout = humantime::parse_duration(t).unwrap();
        self
    }
    fn replace_body_cap(mut self, n: u64) -> Config {
        self.general.max_body_bytes = n;
        self
    }
}
