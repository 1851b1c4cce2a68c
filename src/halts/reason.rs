//! Nasdaq's published trading-halt codes in plain words. A code not listed
//! shows as itself: the feed adds codes more often than this list changes.

/// The reason a halt code names, if it is one of Nasdaq's published codes.
pub fn words(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "T1" => "news pending",
        "T2" => "news released",
        "T3" => "news and resumption times",
        "T5" => "single-stock trading pause",
        "T6" => "extraordinary market activity",
        "T7" => "single-stock pause, quotation only",
        "T8" => "exchange-traded fund",
        "T12" => "information requested by Nasdaq",
        "H4" => "non-compliance",
        "H9" => "not current in filings",
        "H10" => "SEC trading suspension",
        "H11" => "regulatory concern",
        "O1" => "operations halt",
        "IPO1" => "IPO not yet trading",
        "IPOQ" => "IPO released for quotation",
        "IPOE" => "IPO positioning window extended",
        "M" | "LUDP" => "volatility pause",
        "LUDS" => "volatility pause, straddle",
        "MWC0" => "market-wide circuit breaker carried over",
        "MWC1" => "market-wide circuit breaker, level 1",
        "MWC2" => "market-wide circuit breaker, level 2",
        "MWC3" => "market-wide circuit breaker, level 3",
        "MWCQ" => "market-wide circuit breaker resumption",
        "M1" => "corporate action",
        "M2" => "quotation not available",
        "D" => "security deleted",
        "R1" => "new issue available",
        "R2" => "issue available",
        "R4" => "qualifications reviewed, trading to resume",
        "R9" => "filing requirements met, trading to resume",
        "C3" => "issuer news not forthcoming, trading to resume",
        "C4" => "qualifications halt ended, trading to resume",
        "C9" => "qualifications halt ended, filings met",
        "C11" => "halt by another regulator concluded",
        _ => return None,
    })
}

/// A market-wide circuit breaker (levels 1 to 3, or carried over): it halts everything.
pub fn is_market_wide(code: &str) -> bool {
    matches!(
        code.trim().to_ascii_uppercase().as_str(),
        "MWC0" | "MWC1" | "MWC2" | "MWC3"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_any_case_and_unknown_ones_are_none() {
        assert_eq!(words("T1"), Some("news pending"));
        assert_eq!(words(" ludp "), Some("volatility pause"));
        assert_eq!(words("MWC2"), Some("market-wide circuit breaker, level 2"));
        assert_eq!(words("Z9"), None);
        assert!(is_market_wide("mwc1"));
        assert!(!is_market_wide("MWCQ"), "a resumption halts nothing");
        assert!(!is_market_wide("LUDP"));
    }
}
