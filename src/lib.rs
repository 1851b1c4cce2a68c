//! tickwire: a terminal monitor for market shocks.
//!
//! The core (config, model, sources, state, reducer, `once`) does not depend on
//! ratatui; `ui` and `app` are the terminal frontend over it.

// Library code states its invariants with `expect`; tests may unwrap freely.
#![deny(clippy::unwrap_used)]

pub mod action;
pub mod alert;
pub mod app;
pub mod cache;
pub mod chart;
pub mod clean;
pub mod cli;
pub mod config;
pub mod contain;
pub mod demo;
pub mod event;
pub mod format;
pub mod fx;
pub mod halts;
pub mod history;
pub mod keymap;
pub mod logging;
pub mod market;
pub mod model;
pub mod news;
pub mod notify;
pub mod once;
pub mod opener;
pub mod opml;
pub mod position;
pub mod record;
pub mod signals;
pub mod sniff;
pub mod sort;
pub mod source;
pub mod state;
pub mod terminal;
pub mod ui;
pub mod update;
