//! What the user asked for, after key mapping.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    CloseOverlay,
    SelectNext,
    SelectPrev,
    SelectFirst,
    SelectLast,
    PageDown,
    PageUp,
    NextWatchlist,
    PrevWatchlist,
    /// Zero-based watchlist index (key `1` is 0).
    ShowWatchlist(usize),
    RefreshAll,
}

/// Side effects the reducer asks the loop to perform.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    RefreshAll,
    /// A symbol reached a higher level than before today: bell and alert command.
    Announce(crate::model::AlertEvent),
}
