//! Central appraisal: what a district or a province sends up (issue 13, part 2) — the
//! figures its reports quote and the plans (targets, dossier deadline) it follows.

pub mod dossier;
pub mod figures;
pub mod plans;
pub mod quoted;
