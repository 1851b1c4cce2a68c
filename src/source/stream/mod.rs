//! Yahoo's price stream: frames decoded and merged per symbol.

pub mod decode;
