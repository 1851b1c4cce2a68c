//! Styles. With NO_COLOR only modifiers (bold, reverse) remain, so the alert stays loud.

use ratatui::style::{Color, Modifier, Style};

use crate::model::Level;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Green for a rise, red for a fall, plain when unchanged or unknown.
    pub fn change(self, v: Option<f64>) -> Style {
        match v {
            Some(v) if v > 0.0 => self.fg(Color::Green),
            Some(v) if v < 0.0 => self.fg(Color::Red),
            _ => Style::new(),
        }
    }

    pub fn flag(self, level: Level) -> Style {
        match level {
            Level::Alert if self.color => Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            Level::Alert => Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            Level::Warn => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Level::None => Style::new(),
        }
    }

    pub fn banner(self) -> Style {
        self.flag(Level::Alert)
    }

    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn tab_active(self) -> Style {
        self.fg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}

impl Theme {
    pub fn focused(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn unfocused(self) -> Style {
        Style::new()
    }

    pub fn unread(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn feed(self) -> Style {
        self.fg(Color::Blue)
    }

    pub fn link(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
    }

    /// The FILING chip and a filing's chart marker: apart from news at a glance.
    pub fn filing(self) -> Style {
        self.fg(Color::LightGreen).add_modifier(Modifier::BOLD)
    }

    /// A symbol chip takes the colour of the symbol's flag.
    pub fn chip(self, level: Level) -> Style {
        match level {
            Level::None => self.fg(Color::Magenta),
            l => self.flag(l),
        }
    }
}

impl Theme {
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }
}

impl Theme {
    /// Threshold lines are faint: there to read against, not to look at.
    pub fn threshold(self, alert: bool) -> Style {
        let c = if alert { Color::Red } else { Color::Yellow };
        self.fg(c).add_modifier(Modifier::DIM)
    }

    /// Pre-market and after-hours bars: apart from the regular session, even
    /// without colour.
    pub fn extended(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::DIM)
    }

    /// The lines where the regular session opens and closes.
    pub fn session_wall(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn marker(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn marker_selected(self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
}
