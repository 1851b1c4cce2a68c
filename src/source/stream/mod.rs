//! Yahoo's price stream: frames decoded and merged per symbol, and the
//! websocket client that reads them.

pub mod client;
pub mod decode;
