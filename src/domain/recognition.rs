//! Recognition decisions as records: a unit is recognised at a target only by a decision
//! (number, date, issuing body), and loses it only by a revocation decision. Nothing is
//! guessed from an assessment's verdict.
//!
//! The decision in force for a target is the latest one by date; on the same date a
//! revocation counts as later (a decision can only be revoked after it was made).

use super::ids::UnitId;
use super::units::RecognitionTarget;
use super::vn_text::CivilDate;

/// One recognition decision of one unit, or its revocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    /// The unit recognised.
    pub unit: UnitId,
    /// What it is recognised as.
    pub target: RecognitionTarget,
    /// The decision's number, e.g. `123/QĐ-UBND`.
    pub decision: String,
    /// The decision's date.
    pub decided_on: CivilDate,
    /// The body that issued it («UBND tỉnh …»); empty when not entered.
    pub issued_by: String,
    /// True for a decision that revokes the recognition.
    pub revoked: bool,
}

impl Recognition {
    /// «Nông thôn mới: QĐ 123/QĐ-UBND ngày 15/12/2024 (UBND tỉnh X)», with «thu hồi» for a
    /// revocation.
    pub fn describe(&self) -> String {
        let by = if self.issued_by.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.issued_by)
        };
        let what = if self.revoked {
            "thu hồi công nhận"
        } else {
            "công nhận"
        };
        format!(
            "{}: {what} theo quyết định số {} ngày {}{by}",
            self.target.label(),
            self.decision,
            self.decided_on
        )
    }
}

/// The residents' survey of one unit on one content: households asked and satisfied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyResult {
    /// The unit surveyed.
    pub unit: UnitId,
    /// The content asked about, in the survey's words.
    pub content: String,
    /// Households asked (more than 0).
    pub households_surveyed: u32,
    /// Households satisfied (at most those asked).
    pub households_satisfied: u32,
}

/// The decisions of one unit in date order (a revocation after a decision of the same
/// date).
pub fn in_date_order(recognitions: &mut [Recognition]) {
    recognitions.sort_by(|a, b| {
        (a.decided_on, a.revoked, &a.decision).cmp(&(b.decided_on, b.revoked, &b.decision))
    });
}

/// The decision that recognises `unit` at `target` today: the latest decision of that
/// unit and target, unless it is a revocation. `None` when never recognised or revoked.
pub fn in_force(
    recognitions: &[Recognition],
    unit: UnitId,
    target: RecognitionTarget,
) -> Option<&Recognition> {
    recognitions
        .iter()
        .filter(|r| r.unit == unit && r.target == target)
        .max_by_key(|r| (r.decided_on, r.revoked))
        .filter(|r| !r.revoked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(unit: i64, target: RecognitionTarget, date: &str, revoked: bool) -> Recognition {
        Recognition {
            unit: UnitId(unit),
            target,
            decision: format!("{date}/QĐ-UBND"),
            decided_on: CivilDate::parse(date).unwrap(),
            issued_by: String::new(),
            revoked,
        }
    }

    #[test]
    fn the_latest_decision_is_in_force_and_a_revocation_ends_it() {
        use RecognitionTarget::*;
        let all = vec![
            rec(1, Ntm, "15/12/2020", false),
            rec(1, Ntm, "01/06/2023", true),
            rec(2, Ntm, "15/12/2020", false),
            rec(2, Advanced, "10/10/2024", false),
            rec(3, Ntm, "01/01/2021", true),
            rec(3, Ntm, "01/01/2024", false),
        ];
        assert!(in_force(&all, UnitId(1), Ntm).is_none());
        assert_eq!(
            in_force(&all, UnitId(2), Ntm).map(|r| r.decided_on.iso()),
            Some("2020-12-15".to_string())
        );
        assert!(in_force(&all, UnitId(2), Model).is_none());
        assert!(in_force(&all, UnitId(3), Ntm).is_some());
    }

    #[test]
    fn a_revocation_of_the_same_day_counts_after_the_decision() {
        let all = vec![
            rec(1, RecognitionTarget::Ntm, "15/12/2020", true),
            rec(1, RecognitionTarget::Ntm, "15/12/2020", false),
        ];
        assert!(in_force(&all, UnitId(1), RecognitionTarget::Ntm).is_none());
    }
}
