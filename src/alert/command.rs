//! Running the user's alert command: argv, never a shell, each placeholder
//! substituted inside one argument so nothing from a quote can split or inject.

use crate::format;
use crate::model::AlertEvent;

/// The argv with {kind} {symbol} {name} {price} {change_pct} {level} {session}
/// {currency} {day_pnl} {headline} {detail} filled in; {kind} is "drop",
/// "money" or "halt"; {session} is "regular", "pre" or "post"; {currency},
/// {day_pnl}, {headline} and {detail} are empty when there is no currency,
/// position, linked headline or halt. A halt's {price} and {change_pct} are the
/// last known, empty when none was.
///
/// An argument that starts with "-" only because of what was substituted (a
/// headline "-rf ...", a change "-16.97") gets a leading space: no command reads
/// it as an option. An argument the user wrote with a "-" keeps it.
pub fn command_argv(template: &[String], e: &AlertEvent) -> Vec<String> {
    let (price, pct) = e.priced().map_or_else(Default::default, |(p, c)| {
        (format!("{p:.2}"), format!("{:.2}", format::round(c, 2)))
    });
    let day_pnl = e.day_pnl.map(|v| format!("{v:.2}")).unwrap_or_default();
    template
        .iter()
        .map(|arg| {
            arg.replace("{kind}", e.kind.as_str())
                .replace("{symbol}", &e.symbol)
                .replace("{name}", &e.name)
                .replace("{price}", &price)
                .replace("{change_pct}", &pct)
                .replace("{level}", e.level.as_str())
                .replace("{session}", e.session.map_or("regular", |s| s.as_str()))
                .replace("{currency}", e.currency.as_deref().unwrap_or(""))
                .replace("{day_pnl}", &day_pnl)
                .replace("{headline}", e.headline.as_deref().unwrap_or(""))
                .replace("{detail}", e.detail.as_deref().unwrap_or(""))
        })
        .zip(template)
        .map(|(arg, written)| {
            if arg.starts_with('-') && !written.starts_with('-') {
                format!(" {arg}")
            } else {
                arg
            }
        })
        .collect()
}

/// Starts the command detached from the terminal (no stdin, output discarded)
/// and reaps it in the background.
pub fn spawn(template: &[String], e: &AlertEvent) {
    let argv = command_argv(template, e);
    let Some((program, args)) = argv.split_first() else {
        return;
    };
    let child = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            let program = program.clone();
            tokio::spawn(async move {
                match child.wait().await {
                    Ok(status) if status.success() => {}
                    Ok(status) => tracing::warn!(%program, %status, "alert command failed"),
                    Err(err) => tracing::warn!(%program, %err, "alert command could not be awaited"),
                }
            });
        }
        Err(err) => tracing::warn!(%program, %err, "alert command could not start"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;

    #[test]
    fn placeholders_stay_inside_one_argument() {
        let e = AlertEvent {
            name: "NVIDIA; rm -rf ~".into(),
            ..AlertEvent::sample()
        };
        let t: Vec<String> = [
            "notify-send",
            "{symbol} {level}",
            "{name}",
            "{price} ({change_pct}%)",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            command_argv(&t, &e),
            [
                "notify-send",
                "NVDA alert",
                "NVIDIA; rm -rf ~",
                "118.42 (-16.97%)"
            ]
        );
    }

    #[test]
    fn a_value_starting_with_a_dash_is_never_an_option() {
        let e = AlertEvent {
            headline: Some("-rf --help: Nvidia falls".into()),
            ..AlertEvent::sample()
        };
        let t = [
            "notify-send",
            "-u",
            "critical",
            "{headline}",
            "{change_pct}",
            "--",
            "-{symbol}",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            command_argv(&t, &e),
            [
                "notify-send",
                "-u",
                "critical",
                " -rf --help: Nvidia falls",
                " -16.97",
                "--",
                "-NVDA"
            ]
        );
    }

    #[test]
    fn the_session_says_which_move_crossed_the_line() {
        let e = AlertEvent {
            price: 128.59,
            change_pct: -9.84,
            level: Level::Warn,
            session: Some(crate::model::ExtendedSession::Pre),
            day_pnl: Some(-1234.5),
            headline: Some("Nvidia falls".into()),
            ..AlertEvent::sample()
        };
        let t = vec![
            "{symbol} {change_pct}% {session}".to_string(),
            "{day_pnl} {currency}: {headline}".to_string(),
        ];
        assert_eq!(
            command_argv(&t, &e),
            ["NVDA -9.84% pre", " -1234.50 USD: Nvidia falls"]
        );
    }

    #[test]
    fn a_halt_says_its_kind_and_reason_and_no_price_it_never_had() {
        let e = AlertEvent {
            kind: crate::model::AlertKind::Halt,
            price: 0.0,
            change_pct: 0.0,
            since: Some(chrono::Utc::now()),
            detail: Some("volatility pause (LUDP) · threshold 3.21".into()),
            ..AlertEvent::sample()
        };
        let t = vec![
            "{kind} {symbol}".to_string(),
            "{detail}".into(),
            "[{price}]".into(),
        ];
        assert_eq!(
            command_argv(&t, &e),
            ["halt NVDA", "volatility pause (LUDP) · threshold 3.21", "[]"]
        );
        let drop = command_argv(&["{kind} {detail}".to_string()], &AlertEvent::sample());
        assert_eq!(drop, ["drop "]);
    }
}
