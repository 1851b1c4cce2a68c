//! Yahoo's streaming frames: a JSON envelope `{"type":"pricing","message":"<base64>"}`
//! whose message is a protobuf `PricingData`. Each frame carries only what
//! changed; [`Ticker`] merges them into one symbol's state.

use base64::Engine;
use chrono::DateTime;
use prost::Message;

use crate::model::Ticker;

/// The fields of Yahoo's `PricingData` that tickwire reads; protobuf skips the others.
#[derive(Clone, PartialEq, Message)]
pub struct PricingData {
    #[prost(string, tag = "1")]
    pub id: String,
    #[prost(float, optional, tag = "2")]
    pub price: Option<f32>,
    /// Milliseconds, zigzag-encoded (sint64): read as a plain varint it lands in 2083.
    #[prost(sint64, optional, tag = "3")]
    pub time: Option<i64>,
    #[prost(string, optional, tag = "4")]
    pub currency: Option<String>,
    #[prost(string, optional, tag = "5")]
    pub exchange: Option<String>,
    #[prost(int32, optional, tag = "6")]
    pub quote_type: Option<i32>,
    /// 0 pre-market, 1 regular, 2 post-market, 3 extended.
    #[prost(int32, optional, tag = "7")]
    pub market_hours: Option<i32>,
    #[prost(float, optional, tag = "8")]
    pub change_percent: Option<f32>,
    #[prost(sint64, optional, tag = "9")]
    pub day_volume: Option<i64>,
    #[prost(float, optional, tag = "10")]
    pub day_high: Option<f32>,
    #[prost(float, optional, tag = "11")]
    pub day_low: Option<f32>,
    #[prost(float, optional, tag = "12")]
    pub change: Option<f32>,
    #[prost(string, optional, tag = "13")]
    pub short_name: Option<String>,
    #[prost(float, optional, tag = "15")]
    pub open_price: Option<f32>,
    #[prost(float, optional, tag = "16")]
    pub previous_close: Option<f32>,
    #[prost(sint64, optional, tag = "22")]
    pub last_size: Option<i64>,
    #[prost(float, optional, tag = "23")]
    pub bid: Option<f32>,
    #[prost(float, optional, tag = "25")]
    pub ask: Option<f32>,
    #[prost(sint64, optional, tag = "27")]
    pub price_hint: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("not a JSON envelope: {0}")]
    Envelope(String),
    #[error("not base64: {0}")]
    Base64(String),
    #[error("not a PricingData message: {0}")]
    Protobuf(String),
    #[error("a frame without a symbol")]
    NoSymbol,
}

#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
}

/// One text frame: `Ok(None)` for an envelope that is not pricing data (a
/// heartbeat, say), an error for anything malformed. Never panics.
pub fn frame(text: &str) -> Result<Option<PricingData>, FrameError> {
    let env: Envelope = serde_json::from_str(text).map_err(|e| FrameError::Envelope(e.to_string()))?;
    if env.kind.as_deref().is_some_and(|k| k != "pricing") {
        return Ok(None);
    }
    let Some(message) = env.message else {
        return Ok(None);
    };
    pricing(&message).map(Some)
}

/// The base64 of one `PricingData`.
pub fn pricing(base64: &str) -> Result<PricingData, FrameError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64.trim())
        .map_err(|e| FrameError::Base64(e.to_string()))?;
    let data = PricingData::decode(bytes.as_slice()).map_err(|e| FrameError::Protobuf(e.to_string()))?;
    if data.id.trim().is_empty() {
        return Err(FrameError::NoSymbol);
    }
    Ok(data)
}

/// Merges a frame into its symbol's state: what it carries replaces, what it
/// leaves out stays as it was. Values that cannot be prices (NaN, negative,
/// infinite) are ignored.
pub fn merge_into(t: &mut Ticker, d: &PricingData) {
    let price = |v: Option<f32>| v.map(f64::from).filter(|p| p.is_finite() && *p > 0.0);
    let finite = |v: Option<f32>| v.map(f64::from).filter(|p| p.is_finite());
    merge(&mut t.price, price(d.price));
    merge(&mut t.time, d.time.and_then(DateTime::from_timestamp_millis));
    merge(&mut t.market_hours, d.market_hours);
    merge(&mut t.change_percent, finite(d.change_percent));
    merge(&mut t.change, finite(d.change));
    merge(&mut t.previous_close, price(d.previous_close));
    merge(&mut t.day_high, price(d.day_high));
    merge(&mut t.day_low, price(d.day_low));
    merge(
        &mut t.day_volume,
        d.day_volume.and_then(|v| u64::try_from(v).ok()),
    );
    merge(&mut t.currency, d.currency.clone().filter(|c| !c.is_empty()));
    merge(&mut t.short_name, d.short_name.clone().filter(|c| !c.is_empty()));
}

fn merge<T>(slot: &mut Option<T>, new: Option<T>) {
    if new.is_some() {
        *slot = new;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExtendedSession;

    fn encode(d: &PricingData) -> String {
        base64::engine::general_purpose::STANDARD.encode(d.encode_to_vec())
    }

    #[test]
    fn partial_frames_merge_into_one_symbol() {
        let mut t = Ticker::default();
        let first = PricingData {
            id: "NVDA".into(),
            price: Some(128.59),
            time: Some(1_737_972_660_000),
            market_hours: Some(0),
            previous_close: Some(142.62),
            currency: Some("USD".into()),
            ..Default::default()
        };
        merge_into(&mut t, &pricing(&encode(&first)).unwrap());
        let second = PricingData {
            id: "NVDA".into(),
            price: Some(127.9),
            ..Default::default()
        };
        merge_into(&mut t, &pricing(&encode(&second)).unwrap());
        assert!((t.price.unwrap() - 127.9).abs() < 1e-4);
        assert!(
            (t.previous_close.unwrap() - 142.62).abs() < 1e-4,
            "kept from the first frame"
        );
        assert_eq!(t.session(), Some(ExtendedSession::Pre));
        assert_eq!(t.time.unwrap().to_rfc3339(), "2025-01-27T10:11:00+00:00");
        assert_eq!(t.currency.as_deref(), Some("USD"));
    }

    #[test]
    fn garbage_is_an_error_never_a_panic() {
        assert!(matches!(frame("not json"), Err(FrameError::Envelope(_))));
        assert!(matches!(
            frame(r#"{"type":"pricing","message":"@@@"}"#),
            Err(FrameError::Base64(_))
        ));
        // Valid base64 of a truncated message: a string field that claims 10 bytes.
        assert!(matches!(
            frame(r#"{"type":"pricing","message":"CgpOVg=="}"#),
            Err(FrameError::Protobuf(_))
        ));
        assert_eq!(frame(r#"{"type":"heartbeat"}"#), Ok(None));
        let no_id = encode(&PricingData {
            price: Some(1.0),
            ..Default::default()
        });
        assert_eq!(pricing(&no_id), Err(FrameError::NoSymbol));
        let nonsense = PricingData {
            id: "X".into(),
            price: Some(f32::NAN),
            ..Default::default()
        };
        let mut t = Ticker::default();
        merge_into(&mut t, &nonsense);
        assert_eq!(t.price, None);
    }

    #[test]
    fn a_hand_encoded_nvda_frame() {
        // The seed fuzz/run.sh gives the stream_frame target.
        let d = frame(r#"{"type":"pricing","message":"CgROVkRBFQqXAEMYwNzx85RlOAA="}"#)
            .unwrap()
            .unwrap();
        assert_eq!(d.id, "NVDA");
        assert!((f64::from(d.price.unwrap()) - 128.59).abs() < 1e-4);
        assert_eq!(d.time, Some(1_737_972_660_000));
        assert_eq!(d.market_hours, Some(0));
    }
}
