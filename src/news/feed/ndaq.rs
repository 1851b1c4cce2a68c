//! Nasdaq Trader's item fields (namespace http://www.nasdaqtrader.com/, prefix
//! `ndaq`), as its trade-halt feed writes them: kept as text for the halt
//! reader, which knows what they mean.

/// One of the `ndaq:` elements an item may carry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NdaqField {
    HaltDate,
    HaltTime,
    IssueSymbol,
    IssueName,
    /// `Market`, or `Mkt` in older answers.
    Market,
    ReasonCode,
    PauseThresholdPrice,
    ResumptionDate,
    ResumptionQuoteTime,
    ResumptionTradeTime,
}

const COUNT: usize = 10;

impl NdaqField {
    pub fn of(local: &str) -> Option<Self> {
        use NdaqField::*;
        Some(match local {
            "HaltDate" => HaltDate,
            "HaltTime" => HaltTime,
            "IssueSymbol" => IssueSymbol,
            "IssueName" => IssueName,
            "Market" | "Mkt" => Market,
            "ReasonCode" => ReasonCode,
            "PauseThresholdPrice" => PauseThresholdPrice,
            "ResumptionDate" => ResumptionDate,
            "ResumptionQuoteTime" => ResumptionQuoteTime,
            "ResumptionTradeTime" => ResumptionTradeTime,
            _ => return None,
        })
    }
}

/// The `ndaq:` fields of one item; an empty element is no value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ndaq {
    fields: [Option<String>; COUNT],
}

impl Ndaq {
    pub fn get(&self, field: NdaqField) -> Option<&str> {
        self.fields[field as usize].as_deref()
    }

    /// The first non-empty value of a field is kept.
    pub fn set(&mut self, field: NdaqField, text: &str) {
        let text = text.trim();
        let slot = &mut self.fields[field as usize];
        if slot.is_none() && !text.is_empty() {
            *slot = Some(text.to_string());
        }
    }
}
