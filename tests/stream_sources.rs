//! The stream beside the pollers, through the supervisor and the reducer: ticks
//! move a polled quote and raise its flag from the extended session, a symbol the
//! stream prices is polled at most once a minute while one it does not is polled
//! at its interval, and when the socket drops polling takes over at once.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::ws::{Script, frame, serve};
use common::{Server, config_text, market_day};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::model::{ExtendedSession, Level, StreamEvent};
use tickwire::source::stream::decode::PricingData;
use tickwire::source::{Output, Sources};
use tickwire::state::{State, StreamHealth};
use tickwire::update::on_event;

/// Polls every 200 ms, and a stream at `stream_url`.
fn config(server: &Server, stream_url: &str) -> tickwire::config::Config {
    let yahoo = format!("base_url = \"{}/yahoo\"", server.base);
    let text = config_text(&server.base, &["NVDA", "AAPL"], "")
        .replace("stream = false", "")
        .replace("quote_interval = \"1s\"", "quote_interval = \"200ms\"")
        .replace(&yahoo, &format!("{yahoo}\nstream_url = \"{stream_url}\""));
    let mut c = parse(&text, ConfigOrigin::Embedded).unwrap();
    c.watchlists.truncate(1);
    c
}

#[tokio::test]
async fn ticks_move_quotes_and_slow_their_polling_until_the_socket_drops() {
    let server = Server::start();
    market_day(&server);
    // NVDA ticks after hours every 50 ms for 2 s, then the socket closes;
    // the next connection never answers, so the stream stays down.
    // An after-hours trade an hour after the close the polls report.
    let after_hours = frame(PricingData {
        id: "NVDA".into(),
        price: Some(117.9),
        time: Some(1_738_018_800_000),
        market_hours: Some(2),
        ..Default::default()
    });
    let ws = serve(vec![
        Script::Repeat {
            frame: after_hours,
            every: Duration::from_millis(50),
            for_: Duration::from_secs(2),
        },
        Script::Silent,
    ])
    .await;
    let config = Arc::new(config(&server, &ws.url));
    assert!(
        config
            .stream
            .order
            .first()
            .is_some_and(|e| e.url.as_str().starts_with("ws://127.0.0.1"))
    );
    assert!(
        config
            .stream
            .order
            .first()
            .map(|e| &e.url)
            .is_some_and(|u| u.as_str().starts_with("ws://127.0.0.1"))
    );
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2025-01-27T21:05:00Z").unwrap();
    let mut state = State::new(Arc::clone(&config), 0, now);
    let mut saw_down = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(4);
    while let Ok(Some(d)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        let Some(output) = sources.accept(d) else { continue };
        if let Output::Stream(e) = &output
            && matches!(**e, StreamEvent::Down(..))
            && saw_down.is_none()
        {
            saw_down = Some(server.count("/yahoo/v8/finance/chart/NVDA"));
        }
        if let Some(event) = Event::of(output) {
            on_event(&mut state, event);
        }
    }
    let nvda_polls = server.count("/yahoo/v8/finance/chart/NVDA");
    let aapl_polls = server.count("/yahoo/v8/finance/chart/AAPL");
    let before_down = saw_down.expect("the socket closed after 2 s");
    // Polled at start and maybe once more before its first tick; then once a minute.
    assert!(
        before_down <= 3,
        "{before_down} NVDA polls while the stream priced it"
    );
    assert!(
        aapl_polls >= 8,
        "{aapl_polls} AAPL polls: the stream never priced it"
    );
    assert!(
        nvda_polls > before_down,
        "polling took over when the socket dropped"
    );
    assert!(matches!(state.stream.health, StreamHealth::Down(..)));
    // The tick moved NVDA's quote, and the polls since kept it: they know nothing newer.
    let q = state.quotes["NVDA"].quote.as_ref().unwrap();
    let e = q.extended.expect("the streamed after-hours trade");
    assert_eq!(e.session, ExtendedSession::Post);
    assert!((e.price - 117.9).abs() < 1e-4);
    assert_eq!(q.price, 118.42, "the regular close, from the polls");
    assert!(state.stream.ticks >= 10);
    sources.shutdown();
}

#[test]
fn a_tick_raises_the_flag_and_the_status_line_says_so() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tickwire::model::Ticker;
    let text = "[[watchlist]]\nname = \"W\"\nsymbols = [\"NVDA\"]\n[symbol.\"NVDA\"]\nname = \"NVIDIA\"\n";
    let config = Arc::new(parse(text, ConfigOrigin::Embedded).unwrap());
    let close = chrono::DateTime::parse_from_rfc3339("2025-01-24T16:00:00-05:00").unwrap();
    let mut s = State::new(config, 0, close);
    let mut q = common::sample_quote("NVDA");
    q.price = 142.62;
    q.previous_close = Some(145.0);
    q.market_time = Some(close.to_utc());
    q.utc_offset = Some(*close.offset());
    on_event(&mut s, common::fetched(q));
    assert_eq!(s.quotes["NVDA"].level, Level::None);
    on_event(
        &mut s,
        Event::Streamed(Box::new(StreamEvent::Live(tickwire::model::Socket::Yahoo))),
    );
    let tick = |price: f64, minute: i64| {
        Event::Streamed(Box::new(StreamEvent::Tick {
            symbol: "NVDA".into(),
            ticker: Ticker {
                price: Some(price),
                time: Some(close.to_utc() + chrono::Duration::hours(61) + chrono::Duration::minutes(minute)),
                market_hours: Some(0),
                ..Default::default()
            },
        }))
    };
    let out = on_event(&mut s, tick(128.59, 11));
    assert_eq!(
        s.quotes["NVDA"].level,
        Level::Alert,
        "-9.84% against Friday's close"
    );
    let announced = out.commands.iter().any(
        |c| matches!(c, tickwire::action::Command::Announce(e) if e.session == Some(ExtendedSession::Pre)),
    );
    assert!(announced, "the alert is rung by the tick that crossed the line");
    for i in 0..5 {
        on_event(&mut s, tick(128.0 - f64::from(i), 12 + i64::from(i)));
    }
    on_event(&mut s, Event::Tick(close + chrono::Duration::hours(61)));
    let mut t = Terminal::new(TestBackend::new(120, 20)).unwrap();
    t.draw(|f| tickwire::ui::render(f, &s, tickwire::ui::Theme { color: false }))
        .unwrap();
    let buf = t.backend().buffer();
    let last: String = (0..120).map(|x| buf[(x, 19)].symbol()).collect();
    assert!(last.contains("stream live · 6 ticks/s"), "{last}");
    on_event(
        &mut s,
        Event::Streamed(Box::new(StreamEvent::Down(
            tickwire::model::Socket::Yahoo,
            "connection reset".into(),
        ))),
    );
    t.draw(|f| tickwire::ui::render(f, &s, tickwire::ui::Theme { color: false }))
        .unwrap();
    let buf = t.backend().buffer();
    let last: String = (0..120).map(|x| buf[(x, 19)].symbol()).collect();
    assert!(
        last.contains("stream down 0s: connection reset · polling covers"),
        "{last}"
    );
}

#[tokio::test]
async fn a_stream_that_keeps_dropping_does_not_storm_the_price_server() {
    let server = Server::start();
    market_day(&server);
    // Accepted, then closed at once, again and again.
    let ws = serve(vec![Script::SendAndClose(vec![])]).await;
    let mut config = config(&server, &ws.url);
    config.general.quote_interval = Duration::from_secs(30);
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    let (mut downs, deadline) = (0, tokio::time::Instant::now() + Duration::from_secs(4));
    while let Ok(Some(d)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        if let Some(Output::Stream(e)) = sources.accept(d)
            && matches!(*e, StreamEvent::Down(..))
        {
            downs += 1;
        }
    }
    sources.shutdown();
    assert!(downs >= 2, "{downs} drops");
    for symbol in ["NVDA", "AAPL"] {
        let polls = server.count(&format!("/yahoo/v8/finance/chart/{symbol}"));
        assert_eq!(
            polls, 1,
            "{symbol}: polled at start, then at its interval, not at every drop"
        );
    }
}
