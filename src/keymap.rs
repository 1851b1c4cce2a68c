//! Keys and mouse events to actions: pure functions of the mode and the input.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

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
    match mode {
        // An overlay closes with q as with Esc: a user who reads "Esc closes"
        // and presses q does not mean to quit the monitor.
        Mode::Help => match key.code {
            KeyCode::Esc | KeyCode::Char('?' | 'q') => Some(Action::CloseOverlay),
            _ => None,
        },
        Mode::Search => match key.code {
            KeyCode::Enter => Some(Action::SearchAccept),
            KeyCode::Esc => Some(Action::SearchCancel),
            KeyCode::Backspace => Some(Action::SearchBackspace),
            KeyCode::Char(c) => Some(Action::SearchInput(c)),
            _ => None,
        },
        Mode::Detail => match key.code {
            KeyCode::Esc => Some(Action::CloseOverlay),
            KeyCode::Char('q') => Some(Action::Quit),
            KeyCode::Char('?') => Some(Action::ToggleHelp),
            KeyCode::Char('h') | KeyCode::Left => Some(Action::MarkerPrev),
            KeyCode::Char('l') | KeyCode::Right => Some(Action::MarkerNext),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::SelectNext),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::SelectPrev),
            KeyCode::Enter => Some(Action::Activate),
            KeyCode::Char('o') => Some(Action::OpenSelected),
            KeyCode::Char('<') => Some(Action::RangePrev),
            KeyCode::Char('>') => Some(Action::RangeNext),
            KeyCode::Char('c') => Some(Action::ToggleCandles),
            _ => None,
        },
        Mode::AddSymbol | Mode::EditPosition => match key.code {
            KeyCode::Enter => Some(Action::PromptSubmit),
            KeyCode::Esc => Some(Action::CloseOverlay),
            KeyCode::Backspace => Some(Action::PromptBackspace),
            KeyCode::Char(c) => Some(Action::PromptInput(c)),
            _ => None,
        },
        Mode::ConfirmRemove => Some(Action::Confirm(matches!(key.code, KeyCode::Char('y' | 'Y')))),
        Mode::Market => match key.code {
            KeyCode::Esc | KeyCode::Char('M' | 'q') => Some(Action::CloseOverlay),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::SelectNext),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::SelectPrev),
            KeyCode::Enter => Some(Action::Activate),
            KeyCode::Char('a') => Some(Action::StartAdd),
            KeyCode::Char('?') => Some(Action::ToggleHelp),
            _ => None,
        },
        Mode::AlertLog => match key.code {
            KeyCode::Esc | KeyCode::Char('A' | 'q') => Some(Action::CloseOverlay),
            _ => None,
        },
        Mode::Normal => normal(key.code),
    }
}

fn normal(code: KeyCode) -> Option<Action> {
    Some(match code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
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
        KeyCode::Enter => Action::Activate,
        KeyCode::Char('f') => Action::FilterTicker,
        KeyCode::Char('o') => Action::OpenSelected,
        KeyCode::Char('m') => Action::ToggleRead,
        KeyCode::Char('u') => Action::ToggleUnreadOnly,
        KeyCode::Char('/') => Action::StartSearch,
        KeyCode::Esc => Action::ClearFilters,
        KeyCode::Char('h') | KeyCode::Left => Action::MarkerPrev,
        KeyCode::Char('l') | KeyCode::Right => Action::MarkerNext,
        KeyCode::Char('a') => Action::StartAdd,
        KeyCode::Char('d') => Action::RemoveSelected,
        KeyCode::Char('J') => Action::MoveSelected(1),
        KeyCode::Char('K') => Action::MoveSelected(-1),
        KeyCode::Char('A') => Action::ToggleAlertLog,
        KeyCode::Char('M') => Action::ToggleMarket,
        KeyCode::Char('s') => Action::CycleSort,
        KeyCode::Char('S') => Action::ReverseSort,
        KeyCode::Char('p') => Action::StartPosition,
        KeyCode::Char('<') => Action::RangePrev,
        KeyCode::Char('>') => Action::RangeNext,
        KeyCode::Char('c') => Action::ToggleCandles,
        _ => return None,
    })
}

pub fn map_mouse(mode: Mode, m: MouseEvent) -> Option<Action> {
    if mode != Mode::Normal {
        return None;
    }
    let (x, y) = (m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollDown => Some(Action::ScrollDown { x, y }),
        MouseEventKind::ScrollUp => Some(Action::ScrollUp { x, y }),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { x, y }),
        _ => None,
    }
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
            (KeyCode::Tab, Some(Action::FocusNext)),
            (KeyCode::BackTab, Some(Action::FocusPrev)),
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
            (KeyCode::Enter, Some(Action::Activate)),
            (KeyCode::Char('f'), Some(Action::FilterTicker)),
            (KeyCode::Char('o'), Some(Action::OpenSelected)),
            (KeyCode::Char('m'), Some(Action::ToggleRead)),
            (KeyCode::Char('u'), Some(Action::ToggleUnreadOnly)),
            (KeyCode::Char('/'), Some(Action::StartSearch)),
            (KeyCode::Esc, Some(Action::ClearFilters)),
            (KeyCode::Char('h'), Some(Action::MarkerPrev)),
            (KeyCode::Left, Some(Action::MarkerPrev)),
            (KeyCode::Char('l'), Some(Action::MarkerNext)),
            (KeyCode::Right, Some(Action::MarkerNext)),
            (KeyCode::Char('a'), Some(Action::StartAdd)),
            (KeyCode::Char('d'), Some(Action::RemoveSelected)),
            (KeyCode::Char('J'), Some(Action::MoveSelected(1))),
            (KeyCode::Char('K'), Some(Action::MoveSelected(-1))),
            (KeyCode::Char('A'), Some(Action::ToggleAlertLog)),
            (KeyCode::Char('0'), None),
            (KeyCode::Char('x'), None),
        ];
        for (code, want) in table {
            assert_eq!(map_key(Mode::Normal, press(code)), want, "{code:?}");
        }
    }

    #[test]
    fn search_mode_types_text() {
        let table = [
            (KeyCode::Char('q'), Some(Action::SearchInput('q'))),
            (KeyCode::Char('/'), Some(Action::SearchInput('/'))),
            (KeyCode::Backspace, Some(Action::SearchBackspace)),
            (KeyCode::Enter, Some(Action::SearchAccept)),
            (KeyCode::Esc, Some(Action::SearchCancel)),
            (KeyCode::Down, None),
        ];
        for (code, want) in table {
            assert_eq!(map_key(Mode::Search, press(code)), want, "{code:?}");
        }
    }

    #[test]
    fn detail_mode_steps_markers_and_esc_returns() {
        let table = [
            (KeyCode::Esc, Some(Action::CloseOverlay)),
            (KeyCode::Char('l'), Some(Action::MarkerNext)),
            (KeyCode::Right, Some(Action::MarkerNext)),
            (KeyCode::Char('h'), Some(Action::MarkerPrev)),
            (KeyCode::Left, Some(Action::MarkerPrev)),
            (KeyCode::Char('j'), Some(Action::SelectNext)),
            (KeyCode::Enter, Some(Action::Activate)),
            (KeyCode::Char('o'), Some(Action::OpenSelected)),
            (KeyCode::Char('q'), Some(Action::Quit)),
            (KeyCode::Char('/'), None),
        ];
        for (code, want) in table {
            assert_eq!(map_key(Mode::Detail, press(code)), want, "{code:?}");
        }
    }

    #[test]
    fn prompt_confirm_and_alert_log_modes() {
        assert_eq!(
            map_key(Mode::AddSymbol, press(KeyCode::Char('n'))),
            Some(Action::PromptInput('n'))
        );
        assert_eq!(
            map_key(Mode::AddSymbol, press(KeyCode::Enter)),
            Some(Action::PromptSubmit)
        );
        assert_eq!(
            map_key(Mode::AddSymbol, press(KeyCode::Esc)),
            Some(Action::CloseOverlay)
        );
        assert_eq!(
            map_key(Mode::AddSymbol, press(KeyCode::Backspace)),
            Some(Action::PromptBackspace)
        );
        assert_eq!(
            map_key(Mode::ConfirmRemove, press(KeyCode::Char('y'))),
            Some(Action::Confirm(true))
        );
        assert_eq!(
            map_key(Mode::ConfirmRemove, press(KeyCode::Char('n'))),
            Some(Action::Confirm(false))
        );
        assert_eq!(
            map_key(Mode::ConfirmRemove, press(KeyCode::Esc)),
            Some(Action::Confirm(false))
        );
        assert_eq!(
            map_key(Mode::AlertLog, press(KeyCode::Esc)),
            Some(Action::CloseOverlay)
        );
        assert_eq!(
            map_key(Mode::AlertLog, press(KeyCode::Char('A'))),
            Some(Action::CloseOverlay)
        );
    }

    #[test]
    fn help_mode_closes_on_esc_question_mark_or_q() {
        assert_eq!(
            map_key(Mode::Help, press(KeyCode::Esc)),
            Some(Action::CloseOverlay)
        );
        assert_eq!(
            map_key(Mode::Help, press(KeyCode::Char('?'))),
            Some(Action::CloseOverlay)
        );
        assert_eq!(map_key(Mode::Help, press(KeyCode::Char('j'))), None);
        assert_eq!(
            map_key(Mode::Help, press(KeyCode::Char('q'))),
            Some(Action::CloseOverlay),
            "q closes the overlay, it does not quit the monitor"
        );
        assert_eq!(
            map_key(Mode::AlertLog, press(KeyCode::Char('q'))),
            Some(Action::CloseOverlay)
        );
    }

    #[test]
    fn ctrl_c_quits_in_every_mode_and_releases_are_ignored() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Normal, Mode::Help, Mode::Search] {
            assert_eq!(map_key(mode, ctrl_c), Some(Action::Quit));
        }
        let release = KeyEvent {
            code: KeyCode::Char('q'),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        };
        assert_eq!(map_key(Mode::Normal, release), None);
    }

    #[test]
    fn mouse_wheel_and_click() {
        let ev = |kind| MouseEvent {
            kind,
            column: 3,
            row: 4,
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(
            map_mouse(Mode::Normal, ev(MouseEventKind::ScrollDown)),
            Some(Action::ScrollDown { x: 3, y: 4 })
        );
        assert_eq!(
            map_mouse(Mode::Normal, ev(MouseEventKind::ScrollUp)),
            Some(Action::ScrollUp { x: 3, y: 4 })
        );
        assert_eq!(
            map_mouse(Mode::Normal, ev(MouseEventKind::Down(MouseButton::Left))),
            Some(Action::Click { x: 3, y: 4 })
        );
        assert_eq!(
            map_mouse(Mode::Normal, ev(MouseEventKind::Up(MouseButton::Left))),
            None
        );
        assert_eq!(map_mouse(Mode::Help, ev(MouseEventKind::ScrollDown)), None);
    }
}
