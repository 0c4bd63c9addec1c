//! The pure core: criteria editions, administrative units, the assessment engine and the
//! Vietnamese text rules. Nothing here touches a clock, a file, a database or a screen,
//! so every rule can be tested with plain values.

pub mod catalog;
pub mod engine;
pub mod evidence;
pub mod file_name;
pub mod fingerprint;
pub mod ids;
pub mod natural_order;
pub mod number;
pub mod recognition;
pub mod review;
pub mod units;
pub mod vn_text;
