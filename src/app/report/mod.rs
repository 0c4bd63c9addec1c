//! What `status` and `rollup` report, as serialisable view structs (the JSON contract
//! of the command line) and as readable Vietnamese text.
//!
//! The JSON contract is in `json`, the `status` report in `status`, the roll-up's computing
//! and text in `rollup`, its Excel and PDF exports in `export`.

mod export;
mod inputs;
mod json;
mod rollup;
mod rollup_text;
mod status;

pub use export::{rollup_pdf, rollup_xlsx};
pub use json::*;
pub use rollup::{rollup, rollup_with};
pub use rollup_text::{rollup_scope, rollup_text};
pub use status::{status, status_json, status_text};
