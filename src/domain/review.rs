//! The compiling office's review of an assessment, as read back: a verdict and comment per
//! criterion, requests for more proof, the council's vote and the decision.

use crate::domain::catalog::IndicatorCode;
use crate::domain::units::Verdict;

/// The office's conclusion on one criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCriterion {
    /// The criterion's number.
    pub number: u32,
    /// The verdict.
    pub verdict: Verdict,
    /// The comment (may be empty).
    pub comment: String,
}

/// A request for more proof on one indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRequest {
    /// The indicator.
    pub indicator: IndicatorCode,
    /// What is asked.
    pub text: String,
}

/// The review of one assessment (empty when none was made).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Per criterion, by number.
    pub criteria: Vec<ReviewCriterion>,
    /// Requests, in the order made.
    pub requests: Vec<ReviewRequest>,
    /// Council vote, e.g. "20/20".
    pub vote: String,
    /// Decision (number, date, content).
    pub decision: String,
    /// Who reviewed (the office).
    pub reviewer: String,
    /// When the commune received it back (empty at the office).
    pub received_at: Option<String>,
}
