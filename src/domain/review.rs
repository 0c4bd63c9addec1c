//! The compiling office's review of an assessment, as read back: a verdict and comment per
//! criterion, requests for more proof, the council's vote and the decision.

/// The review of one assessment (empty when none was made).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Per criterion: number, verdict code, comment.
    pub criteria: Vec<(u32, String, String)>,
    /// Requests: indicator code, text.
    pub requests: Vec<(String, String)>,
    /// Council vote, e.g. "20/20".
    pub vote: String,
    /// Decision (number, date, content).
    pub decision: String,
    /// Who reviewed (the office).
    pub reviewer: String,
    /// When the commune received it back (empty at the office).
    pub received_at: Option<String>,
}
