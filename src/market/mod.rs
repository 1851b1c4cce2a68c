//! Exchange time: New York's offset and the US exchanges' calendar.

pub mod calendar;
pub mod eastern;
