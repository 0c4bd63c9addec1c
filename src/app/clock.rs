//! The date the program takes for «today»: the system clock, or a date fixed by a test
//! (the window's tour of every screen, documents with a known date). Every reader of
//! today in the window, the reports and the dossier goes through [`super::today`],
//! which asks this clock first. The program itself never fixes the date.

use crate::domain::vn_text::CivilDate;
use std::sync::RwLock;

/// Where «today» comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, in the system's time zone (the program's only use).
    #[default]
    System,
    /// A fixed date, for tests: every reader of today gets this date.
    Fixed(CivilDate),
}

static FIXED: RwLock<Option<CivilDate>> = RwLock::new(None);

/// Sets the clock for the whole process (tests: set it before opening the window).
pub fn set_clock(clock: Clock) {
    let fixed = match clock {
        Clock::System => None,
        Clock::Fixed(d) => Some(d),
    };
    match FIXED.write() {
        Ok(mut g) => *g = fixed,
        Err(poisoned) => *poisoned.into_inner() = fixed,
    }
}

/// The clock in force.
pub fn clock() -> Clock {
    let fixed = match FIXED.read() {
        Ok(g) => *g,
        Err(poisoned) => *poisoned.into_inner(),
    };
    fixed.map_or(Clock::System, Clock::Fixed)
}
