//! Hồ sơ NTM: the dossier of a commune seeking recognition under the Nông thôn mới
//! (New Rural Development) programme.
//!
//! Layers point one way (see `ARCHITECTURE.md`): [`domain`] is pure (catalogue, units,
//! assessment engine, Vietnamese text rules); [`store`] owns all SQL; [`app`] holds the
//! use cases shared by the command line ([`cli`]) and the desktop screens ([`ui`]).
//! `tests/layering.rs` enforces the direction by scanning `src/`.

pub mod app;
pub mod cli;
pub mod domain;
pub mod pdf;
pub mod store;
pub mod ui;
