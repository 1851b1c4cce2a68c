//! Yahoo's chart answer, typed once for every reader: the quote provider (a
//! day of 5-minute bars), the history command and chart ranges (any range),
//! and the usual volume (daily bars). Every field is optional: the answers
//! leave out what a symbol or a range has not got.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::Periods;

#[derive(Deserialize)]
pub struct Envelope {
    pub chart: Chart,
}

#[derive(Deserialize)]
pub struct Chart {
    pub result: Option<Vec<ChartResult>>,
    pub error: Option<ChartError>,
}

#[derive(Deserialize)]
pub struct ChartError {
    pub code: Option<String>,
    pub description: Option<String>,
}

impl ChartError {
    /// Yahoo's own words for the error.
    pub fn describe(&self) -> Option<String> {
        self.description.clone().or_else(|| self.code.clone())
    }
}

#[derive(Deserialize)]
pub struct ChartResult {
    #[serde(default)]
    pub meta: Meta,
    #[serde(default)]
    pub timestamp: Option<Vec<Option<i64>>>,
    #[serde(default)]
    pub indicators: Option<Indicators>,
    #[serde(default)]
    pub events: Option<Events>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub currency: Option<String>,
    pub regular_market_price: Option<f64>,
    pub chart_previous_close: Option<f64>,
    pub previous_close: Option<f64>,
    pub regular_market_change: Option<f64>,
    pub regular_market_change_percent: Option<f64>,
    pub regular_market_day_high: Option<f64>,
    pub regular_market_day_low: Option<f64>,
    pub regular_market_volume: Option<f64>,
    pub regular_market_time: Option<i64>,
    pub gmtoffset: Option<i32>,
    pub fifty_two_week_high: Option<f64>,
    pub fifty_two_week_low: Option<f64>,
    pub current_trading_period: Option<TradingPeriods>,
    /// The chart day's periods: `{"pre": [[{..}]], "regular": [[..]], "post": [[..]]}`
    /// with pre/post data, a bare `[[{..}]]` of regular periods without.
    pub trading_periods: Option<serde_json::Value>,
    pub long_name: Option<String>,
    pub short_name: Option<String>,
    pub data_granularity: Option<String>,
}

#[derive(Deserialize)]
pub struct TradingPeriods {
    pub pre: Option<Period>,
    pub regular: Option<Period>,
    pub post: Option<Period>,
}

/// Either end may be missing: a period without both is no period.
#[derive(Deserialize, Clone, Copy)]
pub struct Period {
    pub start: Option<i64>,
    pub end: Option<i64>,
}

impl TradingPeriods {
    pub fn periods(&self) -> Option<Periods> {
        let span = |p: Option<Period>| p.and_then(|p| p.start.zip(p.end)).filter(|(s, e)| s < e);
        Some(Periods {
            pre: span(self.pre),
            regular: span(self.regular)?,
            post: span(self.post),
        })
    }
}

#[derive(Deserialize)]
pub struct Indicators {
    #[serde(default)]
    pub quote: Vec<Bars>,
    #[serde(default)]
    pub adjclose: Vec<AdjClose>,
}

#[derive(Deserialize, Default)]
pub struct Bars {
    #[serde(default)]
    pub open: Vec<Option<f64>>,
    #[serde(default)]
    pub high: Vec<Option<f64>>,
    #[serde(default)]
    pub low: Vec<Option<f64>>,
    #[serde(default)]
    pub close: Vec<Option<f64>>,
    #[serde(default)]
    pub volume: Vec<Option<f64>>,
}

#[derive(Deserialize, Default)]
pub struct AdjClose {
    #[serde(default)]
    pub adjclose: Vec<Option<f64>>,
}

/// Keyed by the event's time as a string; `date` is the same time as a number.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Events {
    #[serde(default)]
    pub dividends: BTreeMap<String, Cash>,
    #[serde(default)]
    pub splits: BTreeMap<String, SplitEvent>,
    #[serde(default)]
    pub capital_gains: BTreeMap<String, Cash>,
}

#[derive(Deserialize)]
pub struct Cash {
    pub amount: Option<f64>,
    pub date: Option<i64>,
}

#[derive(Deserialize)]
pub struct SplitEvent {
    pub date: Option<i64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

impl Envelope {
    /// The first result, or Yahoo's words for why there is none.
    pub fn read(body: &[u8]) -> Result<ChartResult, AnswerError> {
        let env: Envelope =
            serde_json::from_slice(body).map_err(|e| AnswerError::Malformed(json_problem(&e)))?;
        if let Some(d) = env.chart.error.as_ref().and_then(ChartError::describe) {
            return Err(AnswerError::NoData(crate::clean::line(&d, 200)));
        }
        env.chart
            .result
            .and_then(|r| r.into_iter().next())
            .ok_or_else(|| AnswerError::NoData("empty chart result".into()))
    }
}

/// A JSON parse error in a form worth showing.
pub fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!("JSON ends early ({e})"),
        Category::Data => format!("unexpected JSON shape ({e})"),
        Category::Syntax | Category::Io => format!("invalid JSON ({e})"),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnswerError {
    /// Not a chart answer at all.
    Malformed(String),
    /// A chart answer without data: Yahoo's reason.
    NoData(String),
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(e) => f.write_str(e),
            Self::NoData(d) => f.write_str(d),
        }
    }
}

/// A finite value of a column at `i`.
fn at(column: &[Option<f64>], i: usize) -> Option<f64> {
    column.get(i).copied().flatten().filter(|v| v.is_finite())
}

/// One bar as the answer gives it, with its time in unix seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawBar {
    pub time: i64,
    pub open: Option<f64>,
    pub high: Option<f64>,
    pub low: Option<f64>,
    pub close: Option<f64>,
    pub adj_close: Option<f64>,
    pub volume: Option<f64>,
}

impl ChartResult {
    /// Every bar with a time, in the answer's order; missing values are `None`.
    pub fn bars(&self) -> Vec<RawBar> {
        let Some(stamps) = &self.timestamp else {
            return Vec::new();
        };
        let empty = Bars::default();
        let q = self
            .indicators
            .as_ref()
            .and_then(|i| i.quote.first())
            .unwrap_or(&empty);
        let adj: &[Option<f64>] = self
            .indicators
            .as_ref()
            .and_then(|i| i.adjclose.first())
            .map_or(&[], |a| a.adjclose.as_slice());
        stamps
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                Some(RawBar {
                    time: (*t)?,
                    open: at(&q.open, i),
                    high: at(&q.high, i),
                    low: at(&q.low, i),
                    close: at(&q.close, i),
                    adj_close: at(adj, i),
                    volume: at(&q.volume, i),
                })
            })
            .collect()
    }
}
