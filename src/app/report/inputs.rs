//! The verdicts and counts of each commune of a roll-up, computed from rows read for all
//! communes at once ([`Workspace::rollup_rows`]) and from the unit tree read once, each
//! edition parsed and prepared once (`PreparedEdition`), never copied per commune. The
//! same inputs as [`crate::app::assessment::load_with_edition`] builds for one assessment;
//! the test `rollup_batched_equals_one_assessment_status` keeps the two equal.

use crate::app::assessment::measured;
use crate::domain::engine::{
    ConditionsInput, ManualVerdict, Posting, PreparedEdition, QuickAssessment, QuickInput,
    VerdictCounts,
};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{UnitKind, UnitProfile, Verdict};
use crate::store::{AssessmentRecord, RollupRows, UnitRecord, ValueRecord};
use std::collections::HashMap;

/// The unit tree of the workspace, by id.
pub(super) struct Tree<'a> {
    by_id: HashMap<UnitId, &'a UnitRecord>,
    villages: HashMap<UnitId, Vec<String>>,
}

impl<'a> Tree<'a> {
    /// Indexes `all` (every unit of the workspace).
    pub(super) fn new(all: &'a [UnitRecord]) -> Self {
        let mut villages: HashMap<UnitId, Vec<String>> = HashMap::new();
        // In id order, as the one-assessment path lists them.
        let mut sorted: Vec<&UnitRecord> = all.iter().collect();
        sorted.sort_by_key(|u| u.id);
        for u in sorted {
            if let (UnitKind::Village, Some(parent)) = (u.kind, u.parent) {
                villages.entry(parent).or_default().push(u.name.clone());
            }
        }
        Self {
            by_id: all.iter().map(|u| (u.id, u)).collect(),
            villages,
        }
    }

    /// The unit's own region or its nearest ancestor's (at most 9 levels up, never
    /// around a cycle), its group and flags.
    fn profile(&self, unit: &UnitRecord) -> UnitProfile {
        let mut region = unit.region;
        let mut seen: Vec<UnitId> = Vec::new();
        let mut next = unit.parent;
        while region.is_none() {
            let Some(pid) = next else { break };
            if seen.contains(&pid) || seen.len() > 8 {
                break;
            }
            seen.push(pid);
            let Some(p) = self.by_id.get(&pid) else { break };
            region = p.region;
            next = p.parent;
        }
        UnitProfile {
            region,
            group: unit.group,
            flags: unit.flags.clone(),
        }
    }
}

/// The verdicts and counts of one assessment from the roll-up's rows, by the engine's
/// quick path on its edition prepared once; `inputs` is a buffer kept between communes.
pub(super) fn verdicts(
    tree: &Tree<'_>,
    rows: &RollupRows,
    unit: &UnitRecord,
    record: &AssessmentRecord,
    prepared: &mut PreparedEdition<'_>,
    inputs: &mut Vec<QuickInput>,
) -> VerdictCounts {
    let id = record.id;
    inputs.clear();
    inputs.resize(prepared.indicators().len(), QuickInput::default());
    for v in rows.values.get(&id).into_iter().flatten() {
        for &k in prepared.positions(v.indicator.as_str()) {
            let Some(ind) = prepared.indicators().get(k).copied() else {
                continue;
            };
            if let Some(slot) = inputs.get_mut(k) {
                *slot = QuickInput {
                    measured: measured(ind, v),
                    manual: manual(v).map(|m| m.verdict),
                };
            }
        }
    }
    let ratings: Vec<(u32, Verdict)> = rows
        .ratings
        .get(&id)
        .into_iter()
        .flatten()
        .map(|r| (r.number, r.verdict))
        .collect();
    prepared.verdicts(QuickAssessment {
        profile: &tree.profile(unit),
        year: record.year,
        inputs,
        criterion_ratings: &ratings,
        conditions: || {
            let villages = tree.villages.get(&unit.id).cloned().unwrap_or_default();
            (conditions(rows, id), villages)
        },
    })
}

/// A manual verdict stored with a value.
fn manual(v: &ValueRecord) -> Option<ManualVerdict> {
    let verdict = v.manual_verdict?;
    Some(ManualVerdict {
        verdict,
        reason: v.manual_reason.clone().unwrap_or_default(),
    })
}

/// The recognition conditions and posting log of one assessment.
fn conditions(rows: &RollupRows, id: AssessmentId) -> ConditionsInput {
    let c = rows.conditions.get(&id).cloned().unwrap_or_default();
    let postings = rows
        .postings
        .get(&id)
        .into_iter()
        .flatten()
        .map(|p| Posting {
            place: p.place.clone(),
            date: p.posted_on,
            medium: p.medium,
        })
        .collect();
    ConditionsInput {
        households_surveyed: c.households_surveyed,
        households_satisfied: c.households_satisfied,
        satisfaction_threshold: c.satisfaction_threshold,
        // The roll-up shows verdicts; the reason is read with the assessment itself.
        satisfaction_threshold_reason: None,
        debt_million_vnd: c.debt_million_vnd,
        debt_status: c.debt_status,
        security: c.security_status,
        postings,
    }
}
