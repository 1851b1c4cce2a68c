//! Alerts outside the terminal's text: a desktop notification (D-Bus on Linux,
//! the notification centre on macOS) and, for terminals that show them, an
//! OSC 9 or OSC 777 notification.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::format;
use crate::model::{AlertEvent, AlertKind, Level};

/// What a notification says.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// "NVDA ALERT".
    pub summary: String,
    /// "-16.97% · 118.42 USD", then the newest linked headline on a line of its own.
    pub body: String,
    pub critical: bool,
}

impl Note {
    /// The note of `e`; a replayed alert says so, or a desktop would announce
    /// a crash of 27 January 2025 as news.
    pub fn of(e: &AlertEvent, replay: bool) -> Self {
        let replayed = if replay { " (replay)" } else { "" };
        if e.kind == AlertKind::Halt {
            return Self::halt(e, replayed);
        }
        if e.kind.is_signal_or_halt() {
            return Self::signal(e, replayed);
        }
        let level = match e.level {
            Level::Alert => "ALERT",
            Level::Warn => "WARN",
            Level::None => "",
        };
        let mut body = format::pct(format::round(e.change_pct, 2));
        if let Some(s) = e.session {
            body.push(' ');
            body.push_str(s.label());
        }
        body.push_str(" · ");
        body.push_str(&format::price(e.price));
        if let Some(c) = &e.currency {
            body.push(' ');
            body.push_str(c);
        }
        if let Some(pnl) = e.day_pnl {
            body.push_str(" · day P&L ");
            body.push_str(&format::money(pnl));
        }
        Self {
            summary: format!("{} {level}{replayed}", e.symbol),
            body: with_headline(body, e),
            critical: e.level == Level::Alert,
        }
    }

    /// "NVDA GAP": "opened -12.49% from the close · -16.97% · 118.42 USD".
    fn signal(e: &AlertEvent, replayed: &str) -> Self {
        let mut body = e.detail.clone().unwrap_or_default();
        body.push_str(" · ");
        body.push_str(&format::pct(format::round(e.change_pct, 2)));
        body.push_str(" · ");
        body.push_str(&format::price(e.price));
        if let Some(c) = &e.currency {
            body.push(' ');
            body.push_str(c);
        }
        Self {
            summary: format!("{} {}{replayed}", e.symbol, crate::signals::chip(e.kind)),
            body: with_headline(body, e),
            critical: false,
        }
    }

    /// "ABIL HALTED": "11:02 ET · volatility pause (LUDP) · threshold 3.21 · last -4.10%".
    fn halt(e: &AlertEvent, replayed: &str) -> Self {
        let mut body = e
            .since
            .map(|t| {
                crate::market::calendar::local(t)
                    .format("%H:%M ET · ")
                    .to_string()
            })
            .unwrap_or_default();
        body.push_str(e.detail.as_deref().unwrap_or("trading halted"));
        if let Some((_, pct)) = e.priced() {
            body.push_str(" · last ");
            body.push_str(&format::pct(format::round(pct, 2)));
        }
        Self {
            summary: format!("{} HALTED{replayed}", e.symbol),
            body: with_headline(body, e),
            critical: true,
        }
    }
}

/// The newest linked headline on a line of its own: why it moved.
fn with_headline(mut body: String, e: &AlertEvent) -> String {
    if let Some(h) = &e.headline {
        body.push('\n');
        body.push_str(h);
    }
    body
}

/// The terminal's own notification sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Osc {
    /// iTerm2, WezTerm, kitty, Ghostty, Windows Terminal's ConEmu mode.
    Nine,
    /// urxvt's notify extension, foot, Ghostty, WezTerm.
    SevenSevenSeven,
}

/// Which sequence to send: `setting` is `alerts.osc_notify` (unset: only where
/// the terminal is known to show it); `term` and `term_program` the environment's.
pub fn osc_kind(setting: Option<bool>, term: &str, term_program: &str) -> Option<Osc> {
    let seven = term.starts_with("foot") || term.contains("rxvt");
    let known = seven
        || matches!(term_program, "iTerm.app" | "WezTerm" | "ghostty")
        || matches!(term, "xterm-kitty" | "xterm-ghostty" | "wezterm");
    match setting {
        Some(false) => None,
        None if !known => None,
        _ if seven => Some(Osc::SevenSevenSeven),
        _ => Some(Osc::Nine),
    }
}

/// The escape sequence for `note`; inside tmux wrapped for passthrough (tmux 3.3
/// drops it unless `allow-passthrough` is on, which is harmless).
pub fn osc_sequence(note: &Note, kind: Osc, in_tmux: bool) -> String {
    // Nothing from a feed or a provider may end the sequence early or start another.
    let text = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
    };
    let body = text(&note.body.replace('\n', " — "));
    let seq = match kind {
        Osc::Nine => format!("\x1b]9;{}: {body}\x07", text(&note.summary)),
        // Fields are separated by ';': one in the title would cut it.
        Osc::SevenSevenSeven => format!(
            "\x1b]777;notify;{};{body}\x07",
            text(&note.summary).replace(';', ",")
        ),
    };
    if in_tmux {
        format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

/// Writes the OSC notification for `note` to the terminal, when one applies here.
pub fn terminal(setting: Option<bool>, note: &Note) {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if let Some(kind) = osc_kind(setting, &var("TERM"), &var("TERM_PROGRAM")) {
        let seq = osc_sequence(note, kind, std::env::var_os("TMUX").is_some());
        crate::terminal::write_raw(seq.as_bytes());
    }
}

/// Body markup (`<b>`, `&amp;`) is read by most notification services: a
/// headline's `&` or `<` must reach them escaped.
fn escape_markup(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// The first failure is a warning in the log; later ones would only repeat it.
static FAILED_BEFORE: AtomicBool = AtomicBool::new(false);

fn failed(err: &dyn std::fmt::Display) {
    if FAILED_BEFORE.swap(true, Ordering::Relaxed) {
        tracing::debug!(%err, "desktop notification not shown");
    } else {
        tracing::warn!(%err, "desktop notification not shown (no notification service?); alerts still ring and log");
    }
}

/// Sends a desktop notification in the background; a missing service is a line
/// in the log, never an error on screen. Needs a tokio runtime.
pub fn desktop(note: Note) {
    // A bus that tries to start a notification service can keep the call waiting.
    const WAIT: Duration = Duration::from_secs(10);
    let mut n = notify_rust::Notification::new();
    n.appname("tickwire")
        .summary(&note.summary)
        .body(&escape_markup(&note.body));
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        n.urgency(if note.critical {
            notify_rust::Urgency::Critical
        } else {
            notify_rust::Urgency::Normal
        });
        tokio::spawn(async move {
            match tokio::time::timeout(WAIT, n.show_async()).await {
                Ok(Ok(_)) => {}
                Ok(Err(err)) => failed(&err),
                Err(_) => failed(&"no answer from the notification service"),
            }
        });
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = WAIT;
        tokio::task::spawn_blocking(move || {
            if let Err(err) = n.show() {
                failed(&err);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExtendedSession;

    fn event() -> AlertEvent {
        AlertEvent::sample()
    }

    #[test]
    fn the_note_names_symbol_level_move_and_price() {
        let n = Note::of(&event(), false);
        assert_eq!(n.summary, "NVDA ALERT");
        assert_eq!(n.body, "-16.97% · 118.42 USD");
        assert!(n.critical);
        let mut e = event();
        e.level = Level::Warn;
        e.session = Some(ExtendedSession::Pre);
        e.price = 128.59;
        e.change_pct = -9.84;
        e.day_pnl = Some(-2104.5);
        e.headline = Some("DeepSeek's R1 rattles AI stocks".into());
        let n = Note::of(&e, false);
        assert_eq!(n.summary, "NVDA WARN");
        assert_eq!(
            n.body,
            "-9.84% pre-market · 128.59 USD · day P&L -2,104.50\nDeepSeek's R1 rattles AI stocks"
        );
        assert!(!n.critical);
        assert_eq!(Note::of(&e, true).summary, "NVDA WARN (replay)");
    }

    #[test]
    fn a_halt_says_when_why_and_the_last_move() {
        let mut e = event();
        e.kind = crate::model::AlertKind::Halt;
        e.symbol = "ABIL".into();
        e.since = chrono::DateTime::parse_from_rfc3339("2025-01-27T11:02:07-05:00")
            .ok()
            .map(|t| t.to_utc());
        e.detail = Some("volatility pause (LUDP) · threshold 3.21".into());
        e.change_pct = -4.1;
        let n = Note::of(&e, false);
        assert_eq!(n.summary, "ABIL HALTED");
        assert_eq!(
            n.body,
            "11:02 ET · volatility pause (LUDP) · threshold 3.21 · last -4.10%"
        );
        assert!(n.critical);
        e.price = 0.0;
        assert!(!Note::of(&e, true).body.contains("last"), "no quote yet: no move");
        assert_eq!(Note::of(&e, true).summary, "ABIL HALTED (replay)");
    }

    #[test]
    fn a_signal_says_which_and_the_move() {
        let mut e = event();
        e.kind = crate::model::AlertKind::Gap;
        e.level = Level::Warn;
        e.detail = Some("opened -12.49% from the close".into());
        let n = Note::of(&e, false);
        assert_eq!(n.summary, "NVDA GAP");
        assert_eq!(n.body, "opened -12.49% from the close · -16.97% · 118.42 USD");
        assert!(!n.critical);
    }

    #[test]
    fn osc_only_where_the_terminal_shows_it_unless_asked() {
        assert_eq!(osc_kind(None, "xterm-256color", ""), None);
        assert_eq!(osc_kind(None, "xterm-256color", "iTerm.app"), Some(Osc::Nine));
        assert_eq!(osc_kind(None, "xterm-kitty", ""), Some(Osc::Nine));
        assert_eq!(osc_kind(None, "foot", ""), Some(Osc::SevenSevenSeven));
        assert_eq!(
            osc_kind(None, "rxvt-unicode-256color", ""),
            Some(Osc::SevenSevenSeven)
        );
        assert_eq!(osc_kind(Some(true), "xterm-256color", ""), Some(Osc::Nine));
        assert_eq!(osc_kind(Some(false), "xterm-kitty", "iTerm.app"), None);
    }

    #[test]
    fn osc_text_cannot_end_the_sequence() {
        let mut e = event();
        e.headline = Some("evil\x07\x1b]52;c;AAAA\x07 title".into());
        e.symbol = "A;B".into();
        let n = Note::of(&e, false);
        let nine = osc_sequence(&n, Osc::Nine, false);
        assert!(nine.starts_with("\x1b]9;A;B ALERT: -16.97%"));
        assert_eq!(nine.matches('\x07').count(), 1);
        assert_eq!(nine.matches('\x1b').count(), 1);
        let seven = osc_sequence(&n, Osc::SevenSevenSeven, false);
        assert!(seven.starts_with("\x1b]777;notify;A,B ALERT;-16.97% · 118.42 USD — evil"));
        assert!(seven.ends_with(" title\x07"));
        let tmux = osc_sequence(&n, Osc::Nine, true);
        assert!(tmux.starts_with("\x1bPtmux;\x1b\x1b]9;"));
        assert!(tmux.ends_with("\x07\x1b\\"));
    }

    #[test]
    fn markup_in_a_headline_is_escaped() {
        assert_eq!(escape_markup("S&P <500> falls"), "S&amp;P &lt;500&gt; falls");
    }
}
