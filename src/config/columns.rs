//! The tickers table's columns, as `[general] columns` names them.

/// One column of the tickers table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Symbol,
    Name,
    Price,
    Change,
    ChangePct,
    Extended,
    Day,
    Shares,
    Value,
    DayPnl,
    TotalPnl,
    TotalPnlPct,
    Flag,
    /// Unusual moves: "GAP REL 52L".
    Signals,
    Status,
}

impl Column {
    pub const ALL: [Column; 15] = [
        Self::Symbol,
        Self::Name,
        Self::Price,
        Self::Change,
        Self::ChangePct,
        Self::Extended,
        Self::Day,
        Self::Shares,
        Self::Value,
        Self::DayPnl,
        Self::TotalPnl,
        Self::TotalPnlPct,
        Self::Flag,
        Self::Signals,
        Self::Status,
    ];

    /// The name in the config file.
    pub fn key(self) -> &'static str {
        match self {
            Self::Symbol => "symbol",
            Self::Name => "name",
            Self::Price => "price",
            Self::Change => "change",
            Self::ChangePct => "change_pct",
            Self::Extended => "extended",
            Self::Day => "day",
            Self::Shares => "shares",
            Self::Value => "value",
            Self::DayPnl => "day_pnl",
            Self::TotalPnl => "total_pnl",
            Self::TotalPnlPct => "total_pnl_pct",
            Self::Flag => "flag",
            Self::Signals => "signals",
            Self::Status => "status",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Whether the column shows a position's money.
    pub fn is_position(self) -> bool {
        matches!(
            self,
            Self::Shares | Self::Value | Self::DayPnl | Self::TotalPnl | Self::TotalPnlPct
        )
    }
}
