//! Keys to actions: a pure function of the mode and the key.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::Action;
use crate::state::Mode;

pub fn map_key(mode: Mode, key: KeyEvent) -> Option<Action> {
    // Windows delivers releases too; acting on them would fire every key twice.
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Action::Quit);
    }
    if mode == Mode::Help {
        return match key.code {
            KeyCode::Esc | KeyCode::Char('?') => Some(Action::CloseOverlay),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('j') | KeyCode::Down => Action::SelectNext,
        KeyCode::Char('k') | KeyCode::Up => Action::SelectPrev,
        KeyCode::Char('g') | KeyCode::Home => Action::SelectFirst,
        KeyCode::Char('G') | KeyCode::End => Action::SelectLast,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char(']') => Action::NextWatchlist,
        KeyCode::Char('[') => Action::PrevWatchlist,
        KeyCode::Char(c @ '1'..='9') => Action::ShowWatchlist(c as usize - '1' as usize),
        KeyCode::Char('r') => Action::RefreshAll,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn normal_mode_bindings() {
        let table = [
            (KeyCode::Char('q'), Some(Action::Quit)),
            (KeyCode::Char('?'), Some(Action::ToggleHelp)),
            (KeyCode::Char('j'), Some(Action::SelectNext)),
            (KeyCode::Down, Some(Action::SelectNext)),
            (KeyCode::Char('k'), Some(Action::SelectPrev)),
            (KeyCode::Up, Some(Action::SelectPrev)),
            (KeyCode::Char('g'), Some(Action::SelectFirst)),
            (KeyCode::Home, Some(Action::SelectFirst)),
            (KeyCode::Char('G'), Some(Action::SelectLast)),
            (KeyCode::End, Some(Action::SelectLast)),
            (KeyCode::PageDown, Some(Action::PageDown)),
            (KeyCode::PageUp, Some(Action::PageUp)),
            (KeyCode::Char(']'), Some(Action::NextWatchlist)),
            (KeyCode::Char('['), Some(Action::PrevWatchlist)),
            (KeyCode::Char('1'), Some(Action::ShowWatchlist(0))),
            (KeyCode::Char('9'), Some(Action::ShowWatchlist(8))),
            (KeyCode::Char('r'), Some(Action::RefreshAll)),
            (KeyCode::Char('0'), None),
            (KeyCode::Char('x'), None),
            (KeyCode::Esc, None),
        ];
        for (code, want) in table {
            assert_eq!(map_key(Mode::Normal, press(code)), want, "{code:?}");
        }
    }

    #[test]
    fn help_mode_closes_on_esc_or_question_mark() {
        assert_eq!(
            map_key(Mode::Help, press(KeyCode::Esc)),
            Some(Action::CloseOverlay)
        );
        assert_eq!(
            map_key(Mode::Help, press(KeyCode::Char('?'))),
            Some(Action::CloseOverlay)
        );
        assert_eq!(map_key(Mode::Help, press(KeyCode::Char('j'))), None);
        assert_eq!(map_key(Mode::Help, press(KeyCode::Char('q'))), Some(Action::Quit));
    }

    #[test]
    fn ctrl_c_quits_and_releases_are_ignored() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map_key(Mode::Normal, ctrl_c), Some(Action::Quit));
        assert_eq!(map_key(Mode::Help, ctrl_c), Some(Action::Quit));
        let release = KeyEvent {
            code: KeyCode::Char('q'),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        };
        assert_eq!(map_key(Mode::Normal, release), None);
    }
}
