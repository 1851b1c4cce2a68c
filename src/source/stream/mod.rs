//! Yahoo's price stream: frames decoded and merged per symbol, the websocket
//! client that reads them, and which symbols it covers so polling can slow down.

pub mod client;
pub mod cover;
pub mod decode;
