//! Containing panics in third-party parsers. A hostile feed once made quick-xml
//! assert (a second XML declaration naming another encoding, found by fuzzing):
//! such a panic must cost that feed one poll, not the program or the terminal.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic inside it into `Err` with the panic's message.
pub fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CONTAINED.with(|c| c.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

/// True inside [`contained`] on this thread: panic hooks use it to stay quiet
/// (no terminal restore, no report on the screen) for a panic that is handled.
pub fn is_contained() -> bool {
    CONTAINED.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_flag_clears() {
        let r: Result<(), String> = contained(|| panic!("boom"));
        assert_eq!(r, Err("boom".into()));
        assert!(!is_contained());
        assert_eq!(contained(|| 7), Ok(7));
    }
}
