//! What the user asked for, after key mapping.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    CloseOverlay,
    FocusNext,
    FocusPrev,
    /// The movement keys act on the focused panel.
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
    /// Enter: on a ticker, its detail view; on a headline or a chart marker, mark it read.
    Activate,
    /// h / l on the chart: the previous / next headline marker.
    MarkerPrev,
    MarkerNext,
    /// `f`: show only the selected ticker's headlines (again to clear).
    FilterTicker,
    OpenSelected,
    ToggleRead,
    ToggleUnreadOnly,
    StartSearch,
    SearchInput(char),
    SearchBackspace,
    /// Enter while typing: stop typing, keep the filter.
    SearchAccept,
    /// Esc while typing: clear the search.
    SearchCancel,
    /// Esc in the normal mode: clear every filter.
    ClearFilters,
    /// `a`: type a symbol to add to the current watchlist.
    StartAdd,
    PromptInput(char),
    PromptBackspace,
    PromptSubmit,
    /// `d`: remove the selected symbol, once confirmed.
    RemoveSelected,
    Confirm(bool),
    /// `J` / `K`: move the selected symbol down / up.
    MoveSelected(isize),
    /// `s`: the next sort of the tickers table; `S`: the other direction.
    CycleSort,
    ReverseSort,
    /// `p`: edit the selected symbol's lots.
    StartPosition,
    /// `A`: the alert log.
    ToggleAlertLog,
    /// The market view: the index's map, movers and contributors.
    ToggleMarket,
    /// `<` / `>`: the chart's shorter / longer range.
    RangePrev,
    RangeNext,
    /// `c`: candlesticks or a line.
    ToggleCandles,
    ScrollUp {
        x: u16,
        y: u16,
    },
    ScrollDown {
        x: u16,
        y: u16,
    },
    Click {
        x: u16,
        y: u16,
    },
}

/// Side effects the reducer asks the loop to perform.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    RefreshAll,
    /// A symbol reached a higher level than before today: bell and alert command.
    Announce(crate::model::AlertEvent),
    /// Open an http(s) link in the browser.
    OpenUrl(String),
    /// A headline's read mark changed: persist it.
    SaveRead {
        id: String,
        read: bool,
    },
    /// Remember a watchlist's sort in the cache.
    SaveSort {
        watchlist: String,
        sort: String,
    },
    /// Ask for a symbol's bars over a chart range.
    FetchHistory {
        symbol: String,
        range: crate::history::ChartRange,
    },
    /// Price these symbols too, unseen: the FX rates of the portfolio's total.
    PriceHidden(Vec<String>),
    /// Change a watchlist or a position in the config file.
    EditWatchlist {
        watchlist: String,
        edit: crate::config::Edit,
    },
}
