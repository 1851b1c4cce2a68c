//! `[portfolio] currency`: positions in dollars and in pence added up in euros
//! at rates priced unseen (pence made pounds first), the total naming a missing
//! rate instead of guessing, and an old rate used but said to be old.

mod common;

use common::screen::lines;
use common::{QUIET, Reply, Server, run, state_at, stderr, stdout, write_config};
use tickwire::config::{ConfigOrigin, parse};
use tickwire::event::Event;
use tickwire::state::State;
use tickwire::update::on_event;

fn config(server: &Server) -> String {
    format!(
        r#"{QUIET}[general]
timeout = "2s"
[[watchlist]]
name = "Held"
symbols = ["NVDA", "SHEL.L"]
[symbol."NVDA"]
position = {{ shares = 10, cost = 100 }}
[symbol."SHEL.L"]
position = {{ shares = 100, cost = 2000 }}
[quotes]
providers = ["yahoo"]
stream = false
[providers.yahoo]
base_url = "{base}/yahoo"
[portfolio]
currency = "EUR"
"#,
        base = server.base
    )
}

fn serve(gbp_rate: bool) -> Server {
    let server = Server::start();
    let chart = |s: &str| format!("/yahoo/v8/finance/chart/{s}");
    server.route(&chart("NVDA"), Reply::fixture(200, "yahoo/nvda.json"));
    server.route(&chart("SHEL.L"), Reply::fixture(200, "yahoo/shel_pence.json"));
    server.route(&chart("USDEUR%3DX"), Reply::fixture(200, "yahoo/fx_usdeur.json"));
    let gbp = if gbp_rate {
        Reply::fixture(200, "yahoo/fx_gbpeur.json")
    } else {
        Reply::fixture(404, "yahoo/not_found.json")
    };
    server.route(&chart("GBPEUR%3DX"), gbp);
    server
}

#[test]
fn once_adds_dollars_and_pence_up_in_euros() {
    let server = serve(true);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config(&server));
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let portfolio = json["portfolio"].as_array().unwrap();
    assert_eq!(portfolio.len(), 3, "USD, GBP and the one in EUR: {portfolio:?}");
    let gbp = portfolio.iter().find(|t| t["currency"] == "GBP").unwrap();
    assert_eq!(gbp["value"], 2600.0, "100 shares at 2,600p are £2,600");
    let eur = &portfolio[2];
    assert_eq!(eur["converted"], true);
    assert_eq!(eur["currency"], "EUR");
    assert_eq!(eur["rates"]["USD"], 0.9612);
    assert_eq!(eur["rates"]["GBP"], 1.1875);
    // 10 × 118.42 USD × 0.9612 + 2,600 GBP × 1.1875
    assert_eq!(eur["value"], 4225.75);
    // Day: 10 × (118.42 − 142.62) × 0.9612 + 100 × (26.00 − 26.50) × 1.1875
    assert_eq!(eur["day_pnl"], -291.99);
    assert!(eur.get("missing").is_none(), "{eur}");
    assert!(
        json["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["symbol"] != "USDEUR=X"),
        "rates are priced, not listed"
    );
    let text = stdout(&run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]));
    assert!(
        text.contains(
            "positions in EUR: 4,225.75 · day -291.99 · P&L +889.55 (1 GBP = 1.1875 EUR, 1 USD = 0.9612 EUR)"
        ),
        "{text}"
    );
}

#[test]
fn without_a_rate_the_total_says_which_is_missing() {
    let server = serve(false);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config(&server));
    let out = run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let eur = &json["portfolio"][2];
    assert_eq!(eur["missing"], serde_json::json!(["GBP"]));
    assert!(
        eur["value"].is_null() && eur["day_pnl"].is_null(),
        "no guess: {eur}"
    );
    let text = stdout(&run(tmp.path(), &["-c", cfg.to_str().unwrap(), "once"]));
    assert!(
        text.contains("positions in EUR: unknown · no GBP→EUR rate"),
        "{text}"
    );
}

/// The monitor asks for the rates once it knows the positions' currencies,
/// keeps them off the watchlist, shows the one total and, two hours on
/// without a new rate, says the rate is old.
#[test]
fn the_monitor_prices_rates_unseen_and_says_when_one_is_old() {
    use tickwire::action::Command;
    let server = Server::start();
    let mut s = state_at(&config(&server), "2025-01-27T16:00:00-05:00");
    let now = s.now;
    let mut nvda = common::sample_quote("NVDA");
    (nvda.price, nvda.previous_close) = (118.42, Some(142.62));
    let out = on_event(&mut s, common::fetched(nvda));
    let asked: Vec<&Command> = out
        .commands
        .iter()
        .filter(|c| matches!(c, Command::PriceHidden(_)))
        .collect();
    assert!(
        matches!(asked[..], [Command::PriceHidden(p)] if p == &["USDEUR=X".to_string()]),
        "{:?}",
        out.commands
    );
    let mut rate = tickwire::model::Quote::bare("USDEUR=X", 0.9612, "yahoo", now);
    rate.currency = Some("EUR".into());
    on_event(&mut s, common::fetched(rate));
    assert!(!s.quotes.contains_key("USDEUR=X"), "a rate is not a row");
    let draw = |s: &State| {
        lines(s, 160, 30).join(
            "
",
        )
    };
    let screen = draw(&s);
    assert!(screen.contains("in EUR 1,138.25"), "{screen}");
    assert!(!screen.contains("USDEUR"), "{screen}");
    on_event(
        &mut s,
        Event::Tick((now + chrono::Duration::hours(2)).fixed_offset()),
    );
    let screen = draw(&s);
    assert!(
        screen.contains("in EUR 1,138.25 · day -232.61 · P&L +177.05 (USD rate 2h old)"),
        "{screen}"
    );
}

/// The rates the reducer asks for are polled like quotes, and delivered.
#[tokio::test]
async fn hidden_symbols_are_polled_and_delivered() {
    use tickwire::source::{Output, Sources};
    let server = serve(true);
    let text = config(&server).replace("timeout = \"2s\"", "timeout = \"2s\"\nquote_interval = \"1s\"");
    let config = parse(&text, ConfigOrigin::Embedded).unwrap();
    let (mut sources, mut rx) = Sources::start(&config, Default::default(), None).unwrap();
    sources.set_hidden(&config, vec!["USDEUR=X".into()]).unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut rate = None;
    while let Ok(Some(d)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        if let Some(Output::Quote(o)) = sources.accept(d)
            && o.symbol == "USDEUR=X"
        {
            rate = o.result.ok().map(|q| q.price);
            break;
        }
    }
    assert_eq!(rate, Some(0.9612));
    sources.shutdown();
}

/// A pair the user watches is a row as well as the total's rate.
#[test]
fn a_watched_pair_is_both_a_row_and_a_rate() {
    let server = Server::start();
    let text = config(&server).replace(
        r#"symbols = ["NVDA", "SHEL.L"]"#,
        r#"symbols = ["NVDA", "USDEUR=X"]"#,
    );
    let mut s = state_at(&text, "2025-01-27T16:00:00-05:00");
    let now = s.now;
    on_event(&mut s, common::fetched(common::sample_quote("NVDA")));
    assert_eq!(s.rate_symbols, ["USDEUR=X"]);
    let mut rate = tickwire::model::Quote::bare("USDEUR=X", 0.9612, "yahoo", now);
    rate.currency = Some("EUR".into());
    on_event(&mut s, common::fetched(rate));
    let row = s
        .quotes
        .get("USDEUR=X")
        .and_then(|e| e.quote.as_ref())
        .map(|q| q.price);
    assert_eq!(row, Some(0.9612), "the row moved");
    assert_eq!(s.rate_for("USD").map(|r| r.rate), Some(0.9612), "and the rate");
}
