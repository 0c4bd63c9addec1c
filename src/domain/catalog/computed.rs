//! Conditions of a higher level's recognition that are computed from data rather than
//! rated: shares of communes (or towns) recognised at a target, the unit's own and each
//! commune's satisfaction rates, and the unit's own criteria. They are catalogue data
//! (`[[conditions.computed]]`, see `templates/criteria/README.md`), each with the legal
//! text it comes from.

use crate::domain::units::{RecognitionTarget, UnitKind};

/// What a computed condition measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComputedKind {
    /// The share of the units of kind `units` (communes or towns) under the unit that
    /// hold a recognition in force at `target`.
    RecognisedShare {
        /// Communes or towns.
        units: UnitKind,
        /// The recognition counted.
        target: RecognitionTarget,
    },
    /// The unit's own residents' satisfaction rate (its assessment's survey).
    OwnSatisfaction,
    /// Each commune's satisfaction rate on every survey content.
    SatisfactionPerContent,
    /// Every criterion of the unit's own assessment met.
    OwnCriteriaMet,
}

impl ComputedKind {
    /// The code written in catalogue files.
    pub fn code(self) -> &'static str {
        match self {
            Self::RecognisedShare { .. } => "ty_le_cong_nhan",
            Self::OwnSatisfaction => "hai_long",
            Self::SatisfactionPerContent => "hai_long_tung_noi_dung",
            Self::OwnCriteriaMet => "dat_tieu_chi",
        }
    }

    /// Whether the kind compares a percentage with a minimum.
    pub fn needs_percent(self) -> bool {
        !matches!(self, Self::OwnCriteriaMet)
    }
}

/// One computed condition of an edition.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedCondition {
    /// What is measured.
    pub kind: ComputedKind,
    /// The minimum share in percent (absent for «all criteria met»).
    pub min_percent: Option<f64>,
    /// The condition in the decision's words, shown and printed.
    pub text: String,
    /// Whether the text and number were checked against the legal text.
    pub verified: bool,
    /// Where it comes from.
    pub source: String,
}
