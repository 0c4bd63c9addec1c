//! The status of each commune of a roll-up, computed from rows read for all communes at
//! once ([`Workspace::rollup_rows`]) and from the unit tree read once, with each edition
//! parsed once and borrowed, never copied per commune. The same engine input as
//! [`crate::app::assessment::load_with_edition`] builds for one assessment; the test
//! `rollup_batched_equals_one_assessment_status` keeps the two equal.

use crate::app::assessment::measured;
use crate::domain::catalog::Edition;
use crate::domain::engine::{
    AssessmentInput, AssessmentStatus, ConditionsInput, IndicatorInput, ManualVerdict, Posting,
    assess,
};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{UnitKind, UnitProfile};
use crate::domain::vn_text::CivilDate;
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

/// The engine's status of one assessment from the roll-up's rows.
pub(super) fn status(
    tree: &Tree<'_>,
    rows: &RollupRows,
    unit: &UnitRecord,
    record: &AssessmentRecord,
    edition: &Edition,
    today: CivilDate,
) -> AssessmentStatus {
    let id = record.id;
    let values: HashMap<&str, &ValueRecord> = rows
        .values
        .get(&id)
        .into_iter()
        .flatten()
        .map(|v| (v.indicator.as_str(), v))
        .collect();
    let counts = rows.evidence_counts.get(&id);
    let mut inputs = HashMap::new();
    for (_, ind) in edition.indicators() {
        let v = values.get(ind.code.as_str()).copied();
        inputs.insert(
            ind.code.to_string(),
            IndicatorInput {
                measured: v.and_then(|v| measured(ind, v)),
                manual: v.and_then(manual),
                evidence_count: counts
                    .and_then(|c| c.get(ind.code.as_str()))
                    .copied()
                    .unwrap_or(0),
                deadline: v.and_then(|v| v.deadline),
            },
        );
    }
    let ratings: HashMap<u32, ManualVerdict> = rows
        .ratings
        .get(&id)
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r.number,
                ManualVerdict {
                    verdict: r.verdict,
                    reason: r.reason.clone(),
                },
            )
        })
        .collect();
    let conditions = conditions(rows, id);
    let villages = tree.villages.get(&unit.id).cloned().unwrap_or_default();
    assess(&AssessmentInput {
        edition,
        profile: &tree.profile(unit),
        year: record.year,
        indicators: &inputs,
        criterion_ratings: &ratings,
        conditions: &conditions,
        village_names: &villages,
        today,
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
