//! Reading a frame drawn on ratatui's TestBackend.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tickwire::state::State;
use tickwire::ui::{self, Theme};

pub const COLOR: Theme = Theme { color: true };

pub fn draw(state: &State, width: u16, height: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(width, height)).unwrap();
    t.draw(|f| ui::render(f, state, theme)).unwrap();
    t
}

/// Every row of the screen `state` draws without colour.
pub fn lines(state: &State, width: u16, height: u16) -> Vec<String> {
    let t = draw(state, width, height, Theme { color: false });
    (0..height).map(|y| line(t.backend().buffer(), y)).collect()
}

pub fn line(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

/// The cell position of `text` on row `y` (columns, not bytes).
pub fn col(buf: &Buffer, y: u16, text: &str) -> Option<u16> {
    let l = line(buf, y);
    l.find(text).map(|b| l[..b].chars().count() as u16)
}

/// The first row that starts (inside the border) with `prefix`.
pub fn row(buf: &Buffer, prefix: &str) -> u16 {
    (0..buf.area.height)
        .find(|y| line(buf, *y).trim_start_matches('│').starts_with(prefix))
        .unwrap_or_else(|| panic!("no row starts with {prefix:?}"))
}
