//! The verdicts and counts of each commune of a roll-up, computed from rows read for all
//! communes at once ([`Workspace::rollup_rows`], the values by
//! [`Workspace::verdict_values`] straight into each commune's inputs) and from the unit
//! tree read once, each edition parsed and prepared once (`PreparedEdition`), never
//! copied per commune. The
//! same inputs as [`crate::app::assessment::load_with_edition`] builds for one assessment;
//! the test `rollup_batched_equals_one_assessment_status` keeps the two equal.

use crate::app::assessment::measured_of;
use crate::app::{AppError, AppResult};
use crate::domain::catalog::Edition;
use crate::domain::engine::{
    ConditionsInput, Posting, PreparedEdition, QuickAssessment, QuickInput, VerdictCounts,
};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{UnitKind, UnitProfile, Verdict};
use crate::store::{AssessmentRecord, RollupRows, UnitRecord, VerdictValue, Workspace};
use std::collections::{HashMap, HashSet};

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

/// The unit `root` and every unit below it at any depth, by id, from `all` (every unit
/// of the workspace) as [`Workspace::subtree`] reads them, without reading them again:
/// each unit once, whatever loop the parents make.
pub(super) fn subtree(all: &[UnitRecord], root: UnitId) -> Vec<&UnitRecord> {
    let mut children: HashMap<UnitId, Vec<&UnitRecord>> = HashMap::new();
    for u in all {
        if let Some(parent) = u.parent {
            children.entry(parent).or_default().push(u);
        }
    }
    let mut seen: HashSet<UnitId> = HashSet::from([root]);
    let mut out: Vec<&UnitRecord> = all.iter().filter(|u| u.id == root).collect();
    let mut next = vec![root];
    while let Some(id) = next.pop() {
        for &child in children.get(&id).into_iter().flatten() {
            if seen.insert(child.id) {
                out.push(child);
                next.push(child.id);
            }
        }
    }
    out.sort_by_key(|u| u.id);
    out
}

/// The indicator inputs of every assessment a roll-up counts, each in its own run of one
/// flat list, filled in one pass over the stored values (no row kept, no code copied:
/// each stored code is found among its edition's codes as it is read).
pub(super) struct CountedInputs<'e> {
    /// The editions of the assessments counted, each prepared once.
    prepared: Vec<PreparedEdition<'e>>,
    /// By assessment: its edition in `prepared` and where its inputs start in `inputs`.
    slots: HashMap<AssessmentId, (usize, usize)>,
    /// One input per indicator of each assessment's edition, in the edition's order.
    inputs: Vec<QuickInput>,
}

/// The assessment whose values are being read, and its slot (none: not counted).
type Current = Option<(AssessmentId, Option<(usize, usize)>)>;

impl<'e> CountedInputs<'e> {
    /// Prepares the edition of each of `counted` once (`parsed`: the editions by the
    /// SHA-256 of their content) and reads all their values.
    pub(super) fn read(
        ws: &Workspace,
        counted: &[&AssessmentRecord],
        parsed: &'e HashMap<String, Edition>,
    ) -> AppResult<Self> {
        let mut out = Self {
            prepared: Vec::new(),
            slots: HashMap::with_capacity(counted.len()),
            inputs: Vec::new(),
        };
        let mut by_sha: HashMap<&str, usize> = HashMap::new();
        for a in counted {
            let Some((sha, edition)) = parsed.get_key_value(&a.edition_sha256) else {
                return Err(AppError::invalid(format!(
                    "Không đọc được bộ tiêu chí «{}».",
                    a.edition_code
                )));
            };
            let k = *by_sha.entry(sha.as_str()).or_insert_with(|| {
                out.prepared.push(PreparedEdition::new(edition));
                out.prepared.len() - 1
            });
            let n = out.prepared.get(k).map_or(0, |p| p.indicators().len());
            out.slots.insert(a.id, (k, out.inputs.len()));
            out.inputs
                .resize(out.inputs.len() + n, QuickInput::default());
        }
        let ids: Vec<AssessmentId> = counted.iter().map(|a| a.id).collect();
        let mut current: Current = None;
        ws.verdict_values(&ids, |v| out.put(&mut current, v))?;
        Ok(out)
    }

    /// Puts one stored value into the inputs of its assessment, at each place its code
    /// has in the edition; a later value of the same place replaces an earlier one.
    fn put(&mut self, current: &mut Current, v: VerdictValue<'_>) -> AppResult<()> {
        let slot = match *current {
            Some((id, slot)) if id == v.assessment => slot,
            _ => {
                let slot = self.slots.get(&v.assessment).copied();
                *current = Some((v.assessment, slot));
                slot
            }
        };
        let Some((Some(prepared), start)) = slot.map(|(k, s)| (self.prepared.get(k), s)) else {
            return Ok(());
        };
        let parsed;
        let mut positions = prepared.positions(v.code);
        if positions.is_empty() {
            // Not one of the edition's codes as stored: read as a code (spaces around it
            // do not count; one that is no code stops the roll-up, naming its row).
            parsed = v.indicator()?;
            positions = prepared.positions(parsed.as_str());
        }
        for &k in positions {
            let (Some(ind), Some(slot)) =
                (prepared.indicators().get(k), self.inputs.get_mut(start + k))
            else {
                continue;
            };
            *slot = QuickInput {
                measured: measured_of(
                    ind,
                    (v.numerator, v.denominator),
                    v.value_number,
                    v.value_text,
                ),
                manual: v.manual_verdict,
            };
        }
        Ok(())
    }

    /// The prepared edition of an assessment counted and its inputs.
    pub(super) fn of(
        &mut self,
        id: AssessmentId,
    ) -> Option<(&mut PreparedEdition<'e>, &[QuickInput])> {
        let (k, start) = *self.slots.get(&id)?;
        let prepared = self.prepared.get_mut(k)?;
        let inputs = self
            .inputs
            .get(start..start + prepared.indicators().len())?;
        Some((prepared, inputs))
    }
}

/// The verdicts and counts of one assessment from the roll-up's rows and its inputs
/// (see [`CountedInputs`]), by the engine's quick path on its edition prepared once.
pub(super) fn verdicts(
    tree: &Tree<'_>,
    rows: &RollupRows,
    unit: &UnitRecord,
    record: &AssessmentRecord,
    prepared: &mut PreparedEdition<'_>,
    inputs: &[QuickInput],
) -> VerdictCounts {
    let id = record.id;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent: Option<i64>) -> UnitRecord {
        UnitRecord {
            id: UnitId(id),
            name: format!("Đơn vị {id}"),
            kind: UnitKind::Commune,
            parent: parent.map(UnitId),
            official_code: None,
            region: None,
            group: None,
            flags: Vec::new(),
            merged_from: Vec::new(),
        }
    }

    #[test]
    fn the_subtree_is_every_unit_below_once_by_id_even_around_a_loop() {
        // 1 ← 5 ← 3 ← 9, 1 ← 2; 7 ↔ 8 a loop of their own; 4 alone.
        let all = [
            unit(8, Some(7)),
            unit(1, None),
            unit(3, Some(5)),
            unit(2, Some(1)),
            unit(5, Some(1)),
            unit(7, Some(8)),
            unit(4, None),
            unit(9, Some(3)),
        ];
        let ids =
            |root| -> Vec<i64> { subtree(&all, UnitId(root)).iter().map(|u| u.id.0).collect() };
        assert_eq!(ids(1), [1, 2, 3, 5, 9]);
        assert_eq!(ids(5), [3, 5, 9]);
        assert_eq!(ids(7), [7, 8]);
        assert_eq!(ids(4), [4]);
        assert!(ids(6).is_empty());
    }
}
