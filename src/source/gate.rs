//! When a source that matters only while the US market trades polls: every
//! round in a session, the round asked for (the first, or a refresh) at any
//! hour, and every round for the replay, whose clock is not the wall's.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;

use crate::market::calendar;
use crate::model::Session;

pub struct SessionGate {
    asked: AtomicBool,
    always: bool,
}

impl SessionGate {
    pub fn new(always: bool) -> Self {
        Self {
            asked: AtomicBool::new(true),
            always,
        }
    }

    /// Whether this round runs; it uses up an ask.
    pub fn open(&self) -> bool {
        let asked = self.asked.swap(false, Ordering::Relaxed);
        asked || self.always || calendar::session_at(Utc::now()) != Session::Closed
    }

    /// The next round runs whatever the hour (a refresh asked for it).
    pub fn ask(&self) {
        self.asked.store(true, Ordering::Relaxed);
    }
}
