//! The roll-up: the communes under a unit on one edition, computed, and as readable text.

use super::inputs::{CountedInputs, Tree, subtree, verdicts};
use super::json::*;
use crate::app::{AppResult, catalog, units};
use crate::domain::catalog::Edition;
use crate::domain::ids::AssessmentId;
use crate::domain::ids::UnitId;
use crate::domain::units::{Target, UnitKind};
use crate::domain::vn_text::CivilDate;
use crate::store::RollupRows;
use crate::store::{AssessmentRecord, UnitRecord, Workspace};
use std::collections::{HashMap, HashSet};

/// Rolls up the communes under a unit on the edition most of them use (see
/// [`rollup_with`]), whatever the year and target.
pub fn rollup(ws: &Workspace, root: UnitId, today: CivilDate) -> AppResult<RollupJson> {
    rollup_with(ws, root, &RollupFilter::default(), today)
}

/// The editions of one roll-up, parsed once per pinned content (by SHA-256), with the
/// pinned contents of the communes' assessments read once each.
struct EditionCache {
    parsed: HashMap<String, Edition>,
    tomls: HashMap<String, String>,
}

impl EditionCache {
    fn get(&mut self, code: &str, toml: &str, sha256: &str) -> AppResult<Edition> {
        self.get_ref(code, toml, sha256).cloned()
    }

    /// The edition of that content, parsed the first time it is asked for; an empty
    /// `toml` (an assessment read without its content) is the content kept by its hash.
    fn get_ref(&mut self, code: &str, toml: &str, sha256: &str) -> AppResult<&Edition> {
        if !self.parsed.contains_key(sha256) {
            let toml = match self.tomls.get(sha256) {
                Some(kept) if toml.is_empty() => kept.as_str(),
                _ => toml,
            };
            let e = catalog::parse_stored(code, toml)?;
            self.parsed.insert(sha256.to_string(), e);
        }
        self.parsed.get(sha256).ok_or_else(|| {
            crate::app::AppError::invalid(format!("Không đọc được bộ tiêu chí «{code}»."))
        })
    }
}

/// The edition most communes use in their latest assessment of the latest year; ties go
/// to the program's default edition, then to the smallest code, so the choice never
/// depends on the order of the database.
fn default_edition(latest: &[(UnitRecord, Option<AssessmentRecord>)]) -> Option<String> {
    let year = latest
        .iter()
        .filter_map(|(_, a)| a.as_ref())
        .map(|a| a.year)
        .max()?;
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in latest
        .iter()
        .filter_map(|(_, a)| a.as_ref())
        .filter(|a| a.year == year)
    {
        *counts.entry(a.edition_code.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|(a, n), (b, m)| {
            n.cmp(m)
                .then((*a == catalog::DEFAULT_EDITION).cmp(&(*b == catalog::DEFAULT_EDITION)))
                .then(b.cmp(a))
        })
        .map(|(code, _)| code.to_string())
}

/// Rolls up the communes under a unit on ONE edition, each commune by its latest
/// assessment (within the year and target asked for). Communes whose latest assessment is
/// on another edition are listed apart in `other_editions` and counted nowhere: not in
/// the matrix, the most-failed criteria, the averages or the share eligible, since a
/// criterion number means a different thing in another decision. Without an edition
/// given, the one most communes use in the latest year is taken. Communes that were
/// merged into another (they appear as a former unit) are history and are left out;
/// communes without an assessment count as not eligible with 0 criteria met.
pub fn rollup_with(
    ws: &Workspace,
    root: UnitId,
    filter: &RollupFilter,
    today: CivilDate,
) -> AppResult<RollupJson> {
    let root_unit = units::require(ws, root)?;
    let all = ws.units()?;
    let (latest, tomls) = latest_communes(ws, &all, root, filter)?;
    let mut cache = EditionCache {
        parsed: HashMap::new(),
        tomls,
    };
    let choices = edition_choices(ws, &mut cache, &latest)?;
    let chosen = choose_edition(filter, &latest, &choices)?;
    let Some((choice, chosen_edition)) = choices.iter().find(|(c, _)| c.code == chosen) else {
        return Err(crate::app::AppError::new(
            format!("Không có bộ tiêu chí «{chosen}» để tổng hợp."),
            "Hãy ghi một trong các mã bộ tiêu chí cấp xã dưới đây sau --edition.",
        )
        .with_details(
            choices
                .iter()
                .map(|(c, _)| format!("{}: {}", c.code, c.label())),
        ));
    };
    // Every table read once for all the communes counted, the unit tree once.
    let counted: Vec<AssessmentId> = latest
        .iter()
        .filter_map(|(_, a)| a.as_ref())
        .filter(|a| a.edition_code == chosen)
        .map(|a| a.id)
        .collect();
    let rows = ws.rollup_rows(&counted, today.year)?;
    let tree = Tree::new(&all);
    // Every content of the chosen edition parsed before counting, then each prepared
    // once (issue 12): a commune only compares its numbers.
    let counted_records: Vec<&AssessmentRecord> = latest
        .iter()
        .filter_map(|(_, a)| a.as_ref())
        .filter(|a| a.edition_code == chosen)
        .collect();
    for a in &counted_records {
        cache.get_ref(&a.edition_code, &a.edition_toml, &a.edition_sha256)?;
    }
    let inputs = CountedInputs::read(ws, &counted_records, &cache.parsed)?;
    drop(counted_records);
    let mut tally = Tally {
        rows: &rows,
        tree: &tree,
        inputs,
        chosen: &chosen,
        columns: chosen_edition
            .iter()
            .flat_map(|e| &e.criteria)
            .map(|c| RollupColumn {
                number: c.number,
                name: c.name.clone(),
            })
            .collect(),
        communes: Vec::new(),
        other_editions: Vec::new(),
        failures: Default::default(),
    };
    for (unit, record) in latest {
        tally.add(&choices, unit, record)?;
    }
    let mut r = tally.finish(root, root_unit.name, filter);
    r.edition = choice.code.clone();
    r.edition_title = choice.title.clone();
    r.edition_decision = choice.decision.clone();
    r.editions_available = choices.into_iter().map(|(c, _)| c).collect();
    let planned: Vec<_> = r
        .communes
        .iter()
        .map(|c| crate::app::central::plans::PlannedCommune {
            unit: UnitId(c.unit),
            name: c.name.clone(),
            eligible: c.eligible,
        })
        .collect();
    r.plans = crate::app::central::plans::summary(ws, root, &planned, today)?;
    Ok(r)
}

/// The communes under `root` that were not merged into another, each with its latest
/// assessment within the year and target asked for (read without its edition content),
/// and those contents by SHA-256.
type LatestCommunes = (
    Vec<(UnitRecord, Option<AssessmentRecord>)>,
    HashMap<String, String>,
);

/// See [`LatestCommunes`].
fn latest_communes(
    ws: &Workspace,
    all: &[UnitRecord],
    root: UnitId,
    filter: &RollupFilter,
) -> AppResult<LatestCommunes> {
    let former: HashSet<UnitId> = all
        .iter()
        .flat_map(|u| u.merged_from.iter().copied())
        .collect();
    let communes: Vec<UnitRecord> = subtree(all, root)
        .into_iter()
        .filter(|u| u.kind == UnitKind::Commune && !former.contains(&u.id))
        .cloned()
        .collect();
    let ids: Vec<UnitId> = communes.iter().map(|u| u.id).collect();
    let mut found = ws.latest_assessments(&ids, filter.year, filter.target)?;
    let latest = communes
        .into_iter()
        .map(|u| {
            let record = found.by_unit.remove(&u.id);
            (u, record)
        })
        .collect();
    Ok((latest, found.tomls))
}

/// The catalogue's commune editions, then any other edition a commune was assessed on
/// (received in a bundle, say), with how many communes use each, sorted by code.
fn edition_choices(
    ws: &Workspace,
    cache: &mut EditionCache,
    latest: &[(UnitRecord, Option<AssessmentRecord>)],
) -> AppResult<Vec<(RollupEditionChoice, Option<Edition>)>> {
    let mut choices: Vec<(RollupEditionChoice, Option<Edition>)> = Vec::new();
    for record in ws.editions()? {
        let Ok(e) = cache.get(&record.code, &record.content_toml, &record.content_sha256) else {
            continue;
        };
        if e.level == UnitKind::Commune {
            choices.push((
                RollupEditionChoice {
                    code: record.code.to_string(),
                    title: e.title.clone(),
                    decision: e.legal.decision.clone(),
                    communes: 0,
                },
                Some(e),
            ));
        }
    }
    for record in latest.iter().filter_map(|(_, a)| a.as_ref()) {
        match choices
            .iter_mut()
            .find(|(c, _)| c.code == record.edition_code)
        {
            Some((c, _)) => c.communes += 1,
            None => {
                let e = cache.get(
                    &record.edition_code,
                    &record.edition_toml,
                    &record.edition_sha256,
                )?;
                choices.push((
                    RollupEditionChoice {
                        code: record.edition_code.to_string(),
                        title: e.title.clone(),
                        decision: e.legal.decision.clone(),
                        communes: 1,
                    },
                    Some(e),
                ));
            }
        }
    }
    choices.sort_by(|(a, _), (b, _)| a.code.cmp(&b.code));
    Ok(choices)
}

/// The edition asked for, else the one most communes use, else the program's default,
/// else the first there is.
fn choose_edition(
    filter: &RollupFilter,
    latest: &[(UnitRecord, Option<AssessmentRecord>)],
    choices: &[(RollupEditionChoice, Option<Edition>)],
) -> AppResult<String> {
    match &filter.edition {
        Some(code) => Ok(code.clone()),
        None => default_edition(latest)
            .or_else(|| {
                choices
                    .iter()
                    .find(|(c, _)| c.code == catalog::DEFAULT_EDITION)
                    .or(choices.first())
                    .map(|(c, _)| c.code.clone())
            })
            .ok_or_else(|| {
                crate::app::AppError::new(
                    "Chưa có bộ tiêu chí cấp xã nào để tổng hợp.",
                    "Hãy nhập một bộ tiêu chí cấp xã (lệnh «catalog import»).",
                )
            }),
    }
}

/// The roll-up being gathered, commune by commune.
struct Tally<'a> {
    /// The rows of every commune counted.
    rows: &'a RollupRows,
    /// The workspace's units.
    tree: &'a Tree<'a>,
    /// The editions the communes counted use, prepared once each, and their inputs.
    inputs: CountedInputs<'a>,
    /// The code of the edition rolled up on.
    chosen: &'a str,
    columns: Vec<RollupColumn>,
    communes: Vec<RollupCommune>,
    other_editions: Vec<RollupElsewhere>,
    /// Criterion number → (name, communes not meeting it).
    failures: std::collections::BTreeMap<u32, (String, usize)>,
}

impl<'a> Tally<'a> {
    /// Counts one commune: without an assessment, on another edition (listed apart), or
    /// on the chosen one.
    fn add(
        &mut self,
        choices: &[(RollupEditionChoice, Option<Edition>)],
        unit: UnitRecord,
        record: Option<AssessmentRecord>,
    ) -> AppResult<()> {
        let Some(record) = record else {
            self.communes.push(RollupCommune {
                unit: unit.id.0,
                name: unit.name,
                assessment: None,
                edition: None,
                year: None,
                criteria_met: 0,
                criteria_total: 0,
                indicators_met: 0,
                indicators_total: 0,
                eligible: false,
                revocation_risk: "khong",
                criteria: Vec::new(),
                criteria_met_year_start: None,
            });
            return Ok(());
        };
        if record.edition_code != self.chosen {
            let title = choices
                .iter()
                .find(|(c, _)| c.code == record.edition_code)
                .map_or_else(|| record.edition_code.to_string(), |(c, _)| c.title.clone());
            self.other_editions.push(RollupElsewhere {
                unit: unit.id.0,
                name: unit.name,
                assessment: record.id.0,
                edition: record.edition_code.to_string(),
                edition_title: title,
                year: record.year,
                target: record.target.code(),
            });
            return Ok(());
        }
        let Some((prepared, inputs)) = self.inputs.of(record.id) else {
            return Err(crate::app::AppError::invalid(format!(
                "Không đọc được bộ tiêu chí «{}».",
                record.edition_code
            )));
        };
        let st = verdicts(self.tree, self.rows, &unit, &record, prepared, inputs);
        let edition = prepared.edition();
        for (c, (number, verdict)) in edition.criteria.iter().zip(&st.criteria) {
            let entry = self
                .failures
                .entry(*number)
                .or_insert_with(|| (c.name.clone(), 0usize));
            if *verdict != crate::domain::units::Verdict::Met {
                entry.1 += 1;
            }
            // A commune pinned to an older content of the edition may hold a criterion
            // the catalogue no longer has: it still gets a column.
            if !self.columns.iter().any(|x| x.number == *number) {
                self.columns.push(RollupColumn {
                    number: *number,
                    name: c.name.clone(),
                });
            }
        }
        let year_start = self.rows.year_start.get(&record.id).map(|s| s.criteria_met);
        self.communes.push(RollupCommune {
            unit: unit.id.0,
            name: unit.name,
            assessment: Some(record.id.0),
            edition: Some(record.edition_code.to_string()),
            year: Some(record.year),
            criteria_met: st.criteria_met,
            criteria_total: st.criteria_total,
            indicators_met: st.indicators_met,
            indicators_total: st.indicators_total,
            eligible: st.eligible,
            revocation_risk: st.revocation.code(),
            criteria: st
                .criteria
                .iter()
                .map(|(number, verdict)| RollupCriterion {
                    number: *number,
                    verdict: verdict.code(),
                })
                .collect(),
            criteria_met_year_start: year_start,
        });
        Ok(())
    }

    /// The figures of the roll-up; the edition fields are left for the caller to fill.
    fn finish(self, root: UnitId, unit_name: String, filter: &RollupFilter) -> RollupJson {
        let Tally {
            mut columns,
            mut communes,
            other_editions,
            failures,
            ..
        } = self;
        columns.sort_by_key(|c| c.number);
        communes.sort_by(|a, b| crate::domain::vn_text::vn_cmp(&a.name, &b.name));
        let mut most_failed: Vec<RollupFailure> = failures
            .into_iter()
            .map(|(number, (name, n))| RollupFailure {
                number,
                name,
                communes_not_met: n,
            })
            .filter(|f| f.communes_not_met > 0)
            .collect();
        most_failed.sort_by(|a, b| {
            b.communes_not_met
                .cmp(&a.communes_not_met)
                .then(a.number.cmp(&b.number))
        });
        let communes_at_risk = communes
            .iter()
            .filter(|c| c.revocation_risk != "khong")
            .count();
        let total = communes.len();
        let eligible = communes.iter().filter(|c| c.eligible).count();
        let round2 = crate::domain::engine::round2;
        RollupJson {
            unit: root.0,
            unit_name,
            edition: String::new(),
            edition_title: String::new(),
            edition_decision: String::new(),
            year: filter.year,
            target: filter.target.map(Target::code),
            edition_criteria: columns,
            communes_total: total,
            communes_eligible: eligible,
            share_eligible_percent: if total == 0 {
                0.0
            } else {
                round2(eligible as f64 * 100.0 / total as f64)
            },
            average_criteria_met: if total == 0 {
                0.0
            } else {
                round2(communes.iter().map(|c| c.criteria_met as f64).sum::<f64>() / total as f64)
            },
            most_failed,
            communes_at_risk,
            communes,
            other_editions,
            editions_available: Vec::new(),
            plans: Default::default(),
        }
    }
}
