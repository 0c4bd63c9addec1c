//! What `status` and `rollup` report, as serialisable view structs (the JSON contract
//! of the command line) and as readable Vietnamese text.
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::assessment::{Loaded, load_with_edition};
use super::{AppResult, catalog, units};
use crate::domain::catalog::Edition;
use crate::domain::engine::{AssessmentStatus, IndicatorStatus};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{Target, UnitKind};
use crate::domain::vn_text::{CivilDate, format_number};
use crate::store::{AssessmentRecord, UnitRecord, Workspace};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A threshold in the JSON output.
#[derive(Debug, Serialize)]
pub struct ThresholdJson {
    /// E.g. `≥ 80 %`.
    pub text: String,
    /// Verified against the legal text.
    pub verified: bool,
    /// Source.
    pub source: String,
    /// Segment code.
    pub segment: String,
    /// The general value stood in for the segment.
    pub general_fallback: bool,
}

/// An indicator in the JSON output.
#[derive(Debug, Serialize)]
pub struct IndicatorJson {
    /// Code.
    pub code: String,
    /// Wording.
    pub text: String,
    /// Verdict in force.
    pub verdict: &'static str,
    /// Verdict computed from the value.
    pub computed_verdict: &'static str,
    /// Number (percent for ratios), `dat`/`khong`, a level, or null.
    pub value: serde_json::Value,
    /// The value as displayed.
    pub value_display: Option<String>,
    /// Numerator (ratios).
    pub numerator: Option<f64>,
    /// Denominator (ratios).
    pub denominator: Option<f64>,
    /// Applicable threshold.
    pub threshold: Option<ThresholdJson>,
    /// Needs a person's judgement.
    pub needs_judgement: bool,
    /// Reason of a manual verdict.
    pub manual_reason: Option<String>,
    /// Proof files.
    pub evidence_count: usize,
    /// Deadline passed.
    pub overdue: bool,
}

/// A criterion in the JSON output.
#[derive(Debug, Serialize)]
pub struct CriterionJson {
    /// Number.
    pub number: u32,
    /// Name.
    pub name: String,
    /// Verdict.
    pub verdict: &'static str,
    /// Reason of a manual rating.
    pub manual_reason: Option<String>,
    /// Indicators.
    pub indicators: Vec<IndicatorJson>,
}

/// A condition in the JSON output.
#[derive(Debug, Serialize)]
pub struct ConditionJson {
    /// Key.
    pub key: &'static str,
    /// Name.
    pub name: &'static str,
    /// Verdict.
    pub verdict: &'static str,
    /// Explanation.
    pub detail: String,
}

/// The revocation risk in the JSON output.
#[derive(Debug, Serialize)]
pub struct RiskJson {
    /// `khong`, `co_nguy_co`, `cao`.
    pub level: &'static str,
    /// Criteria not met.
    pub failing: usize,
    /// Criteria in total.
    pub total: usize,
    /// Share not met.
    pub failing_percent: f64,
    /// Key criteria not met.
    pub key_failing: Vec<u32>,
    /// Explanation.
    pub explanation: String,
}

/// A missing item in the JSON output.
#[derive(Debug, Serialize)]
pub struct MissingJson {
    /// Kind code.
    pub kind: &'static str,
    /// Criterion.
    pub criterion: Option<u32>,
    /// Indicator.
    pub indicator: Option<String>,
    /// Message.
    pub message: String,
}

/// `status --json`.
#[derive(Debug, Serialize)]
pub struct StatusJson {
    /// Assessment id.
    pub assessment: i64,
    /// Unit id.
    pub unit: i64,
    /// Unit name.
    pub unit_name: String,
    /// Edition code.
    pub edition: String,
    /// Target code.
    pub target: &'static str,
    /// Year.
    pub year: i32,
    /// The catalogue lacks criteria or indicators.
    pub catalogue_incomplete: bool,
    /// Criteria met.
    pub criteria_met: usize,
    /// Criteria total.
    pub criteria_total: usize,
    /// Indicators met.
    pub indicators_met: usize,
    /// Indicators total.
    pub indicators_total: usize,
    /// Indicators with proof.
    pub indicators_with_evidence: usize,
    /// Eligible for recognition.
    pub eligible: bool,
    /// Criteria.
    pub criteria: Vec<CriterionJson>,
    /// Conditions.
    pub conditions: Vec<ConditionJson>,
    /// Revocation risk.
    pub revocation_risk: RiskJson,
    /// Missing items.
    pub missing: Vec<MissingJson>,
}

fn indicator_json(loaded: &Loaded, s: &IndicatorStatus) -> IndicatorJson {
    let stored = loaded.values.get(&s.code);
    let value = match (s.value_number, stored.and_then(|v| v.value_text.clone())) {
        (Some(n), _) => serde_json::json!(n),
        (None, Some(t)) => serde_json::json!(t),
        _ => serde_json::Value::Null,
    };
    IndicatorJson {
        code: s.code.clone(),
        text: s.text.clone(),
        verdict: s.verdict.code(),
        computed_verdict: s.computed.code(),
        value,
        value_display: s.value_display.clone(),
        numerator: stored.and_then(|v| v.numerator),
        denominator: stored.and_then(|v| v.denominator),
        threshold: s.threshold.as_ref().map(|t| ThresholdJson {
            text: t.display.clone(),
            verified: t.verified,
            source: t.source.clone(),
            segment: t.segment.clone(),
            general_fallback: t.general_fallback,
        }),
        needs_judgement: s.needs_judgement,
        manual_reason: s.manual_reason.clone(),
        evidence_count: s.evidence_count,
        overdue: s.overdue,
    }
}

/// Builds the `status` view.
pub fn status_json(loaded: &Loaded) -> StatusJson {
    let st: &AssessmentStatus = &loaded.status;
    StatusJson {
        assessment: loaded.record.id.0,
        unit: loaded.unit.id.0,
        unit_name: loaded.unit.name.clone(),
        edition: loaded.record.edition_code.clone(),
        target: loaded.record.target.code(),
        year: loaded.record.year,
        catalogue_incomplete: loaded.edition.is_incomplete(),
        criteria_met: st.criteria_met,
        criteria_total: st.criteria_total,
        indicators_met: st.indicators_met,
        indicators_total: st.indicators_total,
        indicators_with_evidence: st.indicators_with_evidence,
        eligible: st.eligible,
        criteria: st
            .criteria
            .iter()
            .map(|c| CriterionJson {
                number: c.number,
                name: c.name.clone(),
                verdict: c.verdict.code(),
                manual_reason: c.manual.as_ref().map(|m| m.reason.clone()),
                indicators: c
                    .indicators
                    .iter()
                    .map(|s| indicator_json(loaded, s))
                    .collect(),
            })
            .collect(),
        conditions: st
            .conditions
            .iter()
            .map(|c| ConditionJson {
                key: c.key,
                name: c.name,
                verdict: c.verdict.code(),
                detail: c.detail.clone(),
            })
            .collect(),
        revocation_risk: RiskJson {
            level: st.revocation.level.code(),
            failing: st.revocation.failing,
            total: st.revocation.total,
            failing_percent: st.revocation.failing_percent,
            key_failing: st.revocation.key_failing.clone(),
            explanation: st.revocation.explanation.clone(),
        },
        missing: st
            .missing
            .iter()
            .map(|m| MissingJson {
                kind: m.kind.code(),
                criterion: m.criterion,
                indicator: m.indicator.clone(),
                message: m.message.clone(),
            })
            .collect(),
    }
}

/// The `status` view as readable Vietnamese text.
pub fn status_text(loaded: &Loaded) -> String {
    let st = &loaded.status;
    let mut out = String::new();
    let line = |out: &mut String, s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(
        &mut out,
        format!(
            "Đánh giá số {}: {} — {} ({}), năm {}",
            loaded.record.id,
            loaded.unit.name,
            loaded.edition.title,
            loaded.record.target.label(),
            loaded.record.year
        ),
    );
    line(
        &mut out,
        format!(
            "Kết quả: {}/{} tiêu chí, {}/{} chỉ tiêu đạt; {}/{} chỉ tiêu có minh chứng",
            st.criteria_met,
            st.criteria_total,
            st.indicators_met,
            st.indicators_total,
            st.indicators_with_evidence,
            st.indicators_total
        ),
    );
    line(
        &mut out,
        format!(
            "Đủ điều kiện đề nghị công nhận: {}",
            if st.eligible { "có" } else { "chưa" }
        ),
    );
    for c in &st.criteria {
        line(
            &mut out,
            format!(
                "  Tiêu chí {} — {}: {}",
                c.number,
                c.name,
                c.verdict.label()
            ),
        );
        for i in &c.indicators {
            let threshold = i
                .threshold
                .as_ref()
                .map_or("chưa có ngưỡng".to_string(), |t| {
                    format!(
                        "yêu cầu {}{}",
                        t.display,
                        if t.verified { "" } else { " (chưa xác minh)" }
                    )
                });
            line(
                &mut out,
                format!(
                    "    {} {}: {} — {} — {}; {} minh chứng",
                    i.code,
                    i.text,
                    i.value_display
                        .clone()
                        .unwrap_or_else(|| "chưa nhập".into()),
                    threshold,
                    i.verdict.label(),
                    i.evidence_count
                ),
            );
        }
    }
    line(&mut out, "Điều kiện công nhận:".to_string());
    for c in &st.conditions {
        line(
            &mut out,
            format!("  {}: {} — {}", c.name, c.verdict.label(), c.detail),
        );
    }
    line(
        &mut out,
        format!("Nguy cơ thu hồi: {}", st.revocation.explanation),
    );
    if !st.missing.is_empty() {
        line(&mut out, format!("Còn thiếu ({} mục):", st.missing.len()));
        for m in &st.missing {
            line(&mut out, format!("  - {}", m.message));
        }
    }
    out
}

/// One commune in the roll-up.
#[derive(Debug, Clone, Serialize)]
pub struct RollupCommune {
    /// Unit id.
    pub unit: i64,
    /// Name.
    pub name: String,
    /// The assessment used (latest), if any.
    pub assessment: Option<i64>,
    /// Its edition.
    pub edition: Option<String>,
    /// Its year.
    pub year: Option<i32>,
    /// Criteria met.
    pub criteria_met: usize,
    /// Criteria total.
    pub criteria_total: usize,
    /// Indicators met.
    pub indicators_met: usize,
    /// Indicators total.
    pub indicators_total: usize,
    /// Eligible for recognition.
    pub eligible: bool,
    /// Revocation risk level.
    pub revocation_risk: &'static str,
    /// Each criterion's verdict.
    pub criteria: Vec<RollupCriterion>,
    /// Criteria met at the start of the year, when known.
    pub criteria_met_year_start: Option<u32>,
}

/// One cell of the communes × criteria matrix.
#[derive(Debug, Clone, Serialize)]
pub struct RollupCriterion {
    /// Criterion number.
    pub number: u32,
    /// Verdict code.
    pub verdict: &'static str,
}

/// How many communes fail a criterion.
#[derive(Debug, Clone, Serialize)]
pub struct RollupFailure {
    /// Criterion number.
    pub number: u32,
    /// Its name.
    pub name: String,
    /// Communes where it is not met.
    pub communes_not_met: usize,
}

/// A column of the matrix: a criterion of the roll-up's edition.
#[derive(Debug, Clone, Serialize)]
pub struct RollupColumn {
    /// Criterion number.
    pub number: u32,
    /// Its name.
    pub name: String,
}

/// A commune whose latest assessment is on another edition: listed, never counted.
#[derive(Debug, Clone, Serialize)]
pub struct RollupElsewhere {
    /// Unit id.
    pub unit: i64,
    /// Name.
    pub name: String,
    /// The assessment (latest within the year and target asked for).
    pub assessment: i64,
    /// Its edition code.
    pub edition: String,
    /// That edition's title.
    pub edition_title: String,
    /// Its year.
    pub year: i32,
    /// Its target code.
    pub target: &'static str,
}

/// An edition the office can roll up on.
#[derive(Debug, Clone, Serialize)]
pub struct RollupEditionChoice {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// The decision, e.g. `51/2025/QĐ-TTg` (empty when unknown).
    pub decision: String,
    /// Communes under the unit whose latest assessment is on it.
    pub communes: usize,
}

impl RollupEditionChoice {
    /// What a person reads: the decision, then the title.
    pub fn label(&self) -> String {
        edition_label(&self.decision, &self.title, &self.code)
    }
}

/// «QĐ 51/2025/QĐ-TTg — Bộ tiêu chí …»: the decision first, the code when there is none.
pub fn edition_label(decision: &str, title: &str, code: &str) -> String {
    if decision.trim().is_empty() {
        format!("{title} ({code})")
    } else {
        format!("QĐ {decision} — {title}")
    }
}

/// What a roll-up covers: one edition, and optionally one year and one target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollupFilter {
    /// The edition's code; `None` takes the edition most communes use (see [`rollup_with`]).
    pub edition: Option<String>,
    /// Only assessments of this year.
    pub year: Option<i32>,
    /// Only assessments for this target.
    pub target: Option<Target>,
}

impl RollupFilter {
    /// Validates what a user typed (command line): the target code.
    pub fn parse(
        edition: Option<&str>,
        year: Option<i32>,
        target: Option<&str>,
    ) -> AppResult<Self> {
        let target = match target {
            Some(t) => Some(Target::from_code(t).ok_or_else(|| {
                super::AppError::invalid(format!(
                    "Mục tiêu «{t}» không hợp lệ: dùng ntm, nang-cao, kieu-mau hoặc hien-dai."
                ))
            })?),
            None => None,
        };
        if let Some(y) = year
            && !(1990..=2100).contains(&y)
        {
            return Err(super::AppError::invalid(format!(
                "Năm tổng hợp {y} không hợp lệ: hãy ghi năm bốn chữ số, ví dụ 2026."
            )));
        }
        Ok(Self {
            edition: edition
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty()),
            year,
            target,
        })
    }
}

/// `rollup --json`.
#[derive(Debug, Clone, Serialize)]
pub struct RollupJson {
    /// The unit rolled up.
    pub unit: i64,
    /// Its name.
    pub unit_name: String,
    /// The edition every figure is computed within.
    pub edition: String,
    /// Its title.
    pub edition_title: String,
    /// Its decision, e.g. `51/2025/QĐ-TTg`.
    pub edition_decision: String,
    /// The year asked for, if any.
    pub year: Option<i32>,
    /// The target asked for, if any.
    pub target: Option<&'static str>,
    /// The matrix columns: the edition's criteria.
    pub edition_criteria: Vec<RollupColumn>,
    /// Communes (current ones; former communes merged into others are left out) whose
    /// latest assessment is on the edition, or who have none.
    pub communes: Vec<RollupCommune>,
    /// Number of communes.
    pub communes_total: usize,
    /// Number eligible.
    pub communes_eligible: usize,
    /// Share eligible, percent, two decimals.
    pub share_eligible_percent: f64,
    /// Average criteria met per commune, two decimals.
    pub average_criteria_met: f64,
    /// Criteria by how many communes fail them, most first.
    pub most_failed: Vec<RollupFailure>,
    /// Communes at risk of revocation (QĐ 18/2022).
    pub communes_at_risk: usize,
    /// Communes whose latest assessment is on another edition: not counted anywhere above.
    pub other_editions: Vec<RollupElsewhere>,
    /// The editions the roll-up can be made on, with how many communes use each.
    pub editions_available: Vec<RollupEditionChoice>,
}

/// Rolls up the communes under a unit on the edition most of them use (see
/// [`rollup_with`]), whatever the year and target.
pub fn rollup(ws: &Workspace, root: UnitId, today: CivilDate) -> AppResult<RollupJson> {
    rollup_with(ws, root, &RollupFilter::default(), today)
}

/// The editions of one roll-up, parsed once per pinned content.
struct EditionCache(HashMap<String, Edition>);

impl EditionCache {
    fn get(&mut self, code: &str, toml: &str, sha256: &str) -> AppResult<Edition> {
        if let Some(e) = self.0.get(sha256) {
            return Ok(e.clone());
        }
        let e = catalog::parse_stored(code, toml)?;
        self.0.insert(sha256.to_string(), e.clone());
        Ok(e)
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
    let former: HashSet<UnitId> = all
        .iter()
        .flat_map(|u| u.merged_from.iter().copied())
        .collect();
    let mut latest = Vec::new();
    for unit in ws
        .subtree(root)?
        .into_iter()
        .filter(|u| u.kind == UnitKind::Commune && !former.contains(&u.id))
    {
        let record = ws.latest_assessment_in(unit.id, filter.year, filter.target)?;
        latest.push((unit, record));
    }
    let mut cache = EditionCache(HashMap::new());
    // The catalogue's commune editions, then any other edition a commune was assessed on
    // (received in a bundle, say).
    let mut choices: Vec<(RollupEditionChoice, Option<Edition>)> = Vec::new();
    for record in ws.editions()? {
        let Ok(e) = cache.get(&record.code, &record.content_toml, &record.content_sha256) else {
            continue;
        };
        if e.level == UnitKind::Commune {
            choices.push((
                RollupEditionChoice {
                    code: record.code.clone(),
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
                        code: record.edition_code.clone(),
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
    let chosen = match &filter.edition {
        Some(code) => code.clone(),
        None => default_edition(&latest)
            .or_else(|| {
                choices
                    .iter()
                    .find(|(c, _)| c.code == catalog::DEFAULT_EDITION)
                    .or(choices.first())
                    .map(|(c, _)| c.code.clone())
            })
            .ok_or_else(|| {
                super::AppError::new(
                    "Chưa có bộ tiêu chí cấp xã nào để tổng hợp.",
                    "Hãy nhập một bộ tiêu chí cấp xã (lệnh «catalog import»).",
                )
            })?,
    };
    let Some((choice, chosen_edition)) = choices.iter().find(|(c, _)| c.code == chosen) else {
        return Err(super::AppError::new(
            format!("Không có bộ tiêu chí «{chosen}» để tổng hợp."),
            "Hãy ghi một trong các mã bộ tiêu chí cấp xã dưới đây sau --edition.",
        )
        .with_details(
            choices
                .iter()
                .map(|(c, _)| format!("{}: {}", c.code, c.label())),
        ));
    };
    let mut columns: Vec<RollupColumn> = chosen_edition
        .iter()
        .flat_map(|e| &e.criteria)
        .map(|c| RollupColumn {
            number: c.number,
            name: c.name.clone(),
        })
        .collect();
    let mut communes = Vec::new();
    let mut other_editions = Vec::new();
    let mut failures: std::collections::BTreeMap<u32, (String, usize)> = Default::default();
    for (unit, record) in latest {
        let Some(record) = record else {
            communes.push(RollupCommune {
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
            continue;
        };
        if record.edition_code != chosen {
            let title = choices
                .iter()
                .find(|(c, _)| c.code == record.edition_code)
                .map_or_else(|| record.edition_code.clone(), |(c, _)| c.title.clone());
            other_editions.push(RollupElsewhere {
                unit: unit.id.0,
                name: unit.name,
                assessment: record.id.0,
                edition: record.edition_code.clone(),
                edition_title: title,
                year: record.year,
                target: record.target.code(),
            });
            continue;
        }
        let edition = cache.get(
            &record.edition_code,
            &record.edition_toml,
            &record.edition_sha256,
        )?;
        let loaded = load_with_edition(ws, record, edition, today)?;
        let st = &loaded.status;
        for c in &st.criteria {
            let entry = failures
                .entry(c.number)
                .or_insert_with(|| (c.name.clone(), 0usize));
            if c.verdict != crate::domain::units::Verdict::Met {
                entry.1 += 1;
            }
            // A commune pinned to an older content of the edition may hold a criterion
            // the catalogue no longer has: it still gets a column.
            if !columns.iter().any(|x| x.number == c.number) {
                columns.push(RollupColumn {
                    number: c.number,
                    name: c.name.clone(),
                });
            }
        }
        let year_start = ws
            .snapshot_at_year_start(loaded.record.id, today.year)?
            .map(|s| s.criteria_met);
        communes.push(RollupCommune {
            unit: unit.id.0,
            name: unit.name,
            assessment: Some(loaded.record.id.0),
            edition: Some(loaded.record.edition_code.clone()),
            year: Some(loaded.record.year),
            criteria_met: st.criteria_met,
            criteria_total: st.criteria_total,
            indicators_met: st.indicators_met,
            indicators_total: st.indicators_total,
            eligible: st.eligible,
            revocation_risk: st.revocation.level.code(),
            criteria: st
                .criteria
                .iter()
                .map(|c| RollupCriterion {
                    number: c.number,
                    verdict: c.verdict.code(),
                })
                .collect(),
            criteria_met_year_start: year_start,
        });
    }
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
    Ok(RollupJson {
        unit: root.0,
        unit_name: root_unit.name,
        edition: choice.code.clone(),
        edition_title: choice.title.clone(),
        edition_decision: choice.decision.clone(),
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
        editions_available: choices.into_iter().map(|(c, _)| c).collect(),
    })
}

/// The roll-up as readable Vietnamese text.
pub fn rollup_text(r: &RollupJson) -> String {
    let mut out = format!(
        "Tổng hợp {} theo {}{}: {} xã, {} xã đủ điều kiện ({} %), bình quân {}/{} tiêu chí đạt/xã\n",
        r.unit_name,
        edition_label(&r.edition_decision, &r.edition_title, &r.edition),
        rollup_scope(r),
        r.communes_total,
        r.communes_eligible,
        format_number(r.share_eligible_percent, 2),
        format_number(r.average_criteria_met, 2),
        r.edition_criteria.len()
    );
    for c in &r.communes {
        match c.assessment {
            Some(a) => out.push_str(&format!(
                "  [{}] {}: {}/{} tiêu chí, {}/{} chỉ tiêu (đánh giá số {a}, năm {}){}\n",
                c.unit,
                c.name,
                c.criteria_met,
                c.criteria_total,
                c.indicators_met,
                c.indicators_total,
                c.year.unwrap_or_default(),
                if c.eligible {
                    " — đủ điều kiện"
                } else {
                    ""
                }
            )),
            None => out.push_str(&format!("  [{}] {}: chưa có đánh giá\n", c.unit, c.name)),
        }
    }
    if !r.other_editions.is_empty() {
        out.push_str(&format!(
            "Xã đánh giá theo bộ tiêu chí khác, không tính vào số liệu trên ({} xã):\n",
            r.other_editions.len()
        ));
        for c in &r.other_editions {
            out.push_str(&format!(
                "  [{}] {}: {} ({}), năm {} (đánh giá số {})\n",
                c.unit, c.name, c.edition_title, c.edition, c.year, c.assessment
            ));
        }
    }
    out
}

/// «, năm 2026, mục tiêu Nông thôn mới» for the filters asked for; empty without any.
pub fn rollup_scope(r: &RollupJson) -> String {
    let mut out = String::new();
    if let Some(y) = r.year {
        out.push_str(&format!(", năm {y}"));
    }
    if let Some(t) = r.target.and_then(Target::from_code) {
        out.push_str(&format!(", mục tiêu {}", t.label().to_lowercase()));
    }
    out
}

/// Loads and reports one assessment.
pub fn status(ws: &Workspace, id: AssessmentId, today: CivilDate) -> AppResult<Loaded> {
    super::assessment::load(ws, id, today)
}

/// Writes the communes × criteria matrix to Excel in the shape compiling offices use: one
/// row per commune (STT, commune, year, each criterion's verdict, counts, eligibility,
/// revocation risk), cells coloured by verdict, and the summary figures below.
/// A `path` that is the workspace or one of its backups is refused; nothing is written.
pub fn rollup_xlsx(ws: &Workspace, r: &RollupJson, path: &std::path::Path) -> AppResult<()> {
    use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};
    let output = super::output::Output::begin(ws, path)?;
    let err = |e: rust_xlsxwriter::XlsxError| {
        super::AppError::new(
            format!("Không ghi được tệp Excel {}.", path.display()),
            "Hãy kiểm tra quyền ghi và tệp không đang mở trong Excel.",
        )
        .with_details([e.to_string()])
    };
    let numbers: Vec<u32> = r.edition_criteria.iter().map(|c| c.number).collect();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Tong hop").map_err(err)?;
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color(Color::RGB(0xE7E6E6));
    let cell = Format::new().set_border(FormatBorder::Thin);
    let colour = |code: &str| {
        let c = match code {
            "dat" => 0xC6EFCE,
            "co_ban_dat" => 0xFFEB9C,
            "chua_dat" => 0xFFC7CE,
            _ => 0xF2F2F2,
        };
        Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(c))
    };
    let title = Format::new().set_bold().set_font_size(14);
    sheet
        .write_string_with_format(
            0,
            0,
            format!(
                "BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN TIÊU CHÍ NÔNG THÔN MỚI — {}",
                r.unit_name.to_uppercase()
            ),
            &title,
        )
        .map_err(err)?;
    sheet
        .write_string(
            1,
            0,
            format!(
                "Bộ tiêu chí: {}{}",
                edition_label(&r.edition_decision, &r.edition_title, &r.edition),
                rollup_scope(r)
            ),
        )
        .map_err(err)?;
    let mut headers: Vec<String> = vec!["STT".into(), "Xã".into(), "Năm".into()];
    headers.extend(numbers.iter().map(|n| format!("TC {n}")));
    headers.extend(
        [
            "Số tiêu chí đạt",
            "Số chỉ tiêu đạt",
            "Đủ điều kiện công nhận",
            "Nguy cơ thu hồi",
        ]
        .map(String::from),
    );
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, h, &head)
            .map_err(err)?;
    }
    for (i, commune) in r.communes.iter().enumerate() {
        let row = 3 + i as u32;
        sheet
            .write_number_with_format(row, 0, (i + 1) as f64, &cell)
            .map_err(err)?;
        sheet
            .write_string_with_format(row, 1, &commune.name, &cell)
            .map_err(err)?;
        match commune.year {
            Some(y) => sheet.write_number_with_format(row, 2, f64::from(y), &cell),
            None => sheet.write_string_with_format(row, 2, "chưa đánh giá", &cell),
        }
        .map_err(err)?;
        for (k, n) in numbers.iter().enumerate() {
            let code = commune
                .criteria
                .iter()
                .find(|x| x.number == *n)
                .map_or("", |x| x.verdict);
            let text = crate::domain::units::Verdict::from_code(code).map_or("", |v| v.label());
            sheet
                .write_string_with_format(row, 3 + k as u16, text, &colour(code))
                .map_err(err)?;
        }
        let base = 3 + numbers.len() as u16;
        sheet
            .write_string_with_format(
                row,
                base,
                format!("{}/{}", commune.criteria_met, commune.criteria_total),
                &cell,
            )
            .map_err(err)?;
        sheet
            .write_string_with_format(
                row,
                base + 1,
                format!("{}/{}", commune.indicators_met, commune.indicators_total),
                &cell,
            )
            .map_err(err)?;
        sheet
            .write_string_with_format(
                row,
                base + 2,
                if commune.eligible { "Đủ" } else { "Chưa" },
                &cell,
            )
            .map_err(err)?;
        let risk = crate::domain::engine::RiskLevel::from_code(commune.revocation_risk)
            .map_or(commune.revocation_risk, |l| l.label());
        sheet
            .write_string_with_format(row, base + 3, risk, &cell)
            .map_err(err)?;
    }
    let first_row = 4 + r.communes.len() as u32;
    let bold = Format::new().set_bold();
    for (row, (label, value)) in (first_row..).zip([
        ("Tổng số xã", r.communes_total.to_string()),
        (
            "Số xã đủ điều kiện công nhận",
            r.communes_eligible.to_string(),
        ),
        (
            "Tỷ lệ xã đủ điều kiện (%)",
            format_number(r.share_eligible_percent, 2),
        ),
        (
            "Bình quân tiêu chí đạt/xã",
            format_number(r.average_criteria_met, 2),
        ),
        ("Số xã có nguy cơ thu hồi", r.communes_at_risk.to_string()),
    ]) {
        sheet
            .write_string_with_format(row, 1, label, &bold)
            .map_err(err)?;
        sheet.write_string(row, 3, value).map_err(err)?;
    }
    if !r.other_editions.is_empty() {
        let mut row = first_row + 6;
        sheet
            .write_string_with_format(
                row,
                1,
                "Xã đánh giá theo bộ tiêu chí khác (không tính vào bảng và số liệu trên)",
                &bold,
            )
            .map_err(err)?;
        for c in &r.other_editions {
            row += 1;
            sheet.write_string(row, 1, &c.name).map_err(err)?;
            sheet
                .write_string(
                    row,
                    3,
                    format!("{} ({}), năm {}", c.edition_title, c.edition, c.year),
                )
                .map_err(err)?;
        }
    }
    sheet.set_column_width(1, 28).map_err(err)?;
    sheet.set_freeze_panes(3, 2).map_err(err)?;
    let bytes = book.save_to_buffer().map_err(err)?;
    output.write_all(&bytes)
}

/// The compiling office's report in the official layout (Nghị định 30): the figures of
/// the roll-up and a summary table of every commune, with the communes proposed for
/// recognition. `kind` is "thẩm tra" (district) or "thẩm định" (province).
/// A `path` that is the workspace or one of its backups is refused; nothing is written.
pub fn rollup_pdf(ws: &Workspace, r: &RollupJson, path: &std::path::Path) -> AppResult<()> {
    use crate::pdf::{AdminDocument, Block, Signature, Table};
    let output = super::output::Output::begin(ws, path)?;
    let root = units::require(ws, UnitId(r.unit))?;
    let body_kind = match root.kind {
        UnitKind::District => "thẩm tra",
        _ => "thẩm định",
    };
    let name = crate::app::units::display_name(&root);
    let year = r
        .year
        .or_else(|| r.communes.iter().filter_map(|c| c.year).max())
        .unwrap_or(0);
    let mut rows = Vec::new();
    for (i, c) in r.communes.iter().enumerate() {
        let failing: Vec<String> = c
            .criteria
            .iter()
            .filter(|x| x.verdict != "dat")
            .map(|x| x.number.to_string())
            .collect();
        rows.push(vec![
            (i + 1).to_string(),
            c.name.clone(),
            format!("{}/{}", c.criteria_met, c.criteria_total),
            format!("{}/{}", c.indicators_met, c.indicators_total),
            if c.assessment.is_none() {
                "chưa đánh giá".into()
            } else if failing.is_empty() {
                "—".into()
            } else {
                failing.join(", ")
            },
            if c.eligible {
                "Đề nghị công nhận"
            } else {
                "Chưa đủ điều kiện"
            }
            .into(),
        ]);
    }
    let proposed: Vec<&str> = r
        .communes
        .iter()
        .filter(|c| c.eligible)
        .map(|c| c.name.as_str())
        .collect();
    let mut body = vec![
        Block::Heading("I. KẾT QUẢ CHUNG".into()),
        Block::Paragraph(format!(
            "Bộ tiêu chí áp dụng: {}{}; các số liệu dưới đây chỉ tính các xã đánh giá theo bộ tiêu chí này ({} tiêu chí).",
            edition_label(&r.edition_decision, &r.edition_title, &r.edition),
            rollup_scope(r),
            r.edition_criteria.len()
        )),
        Block::Paragraph(format!(
            "Tổng số xã: {}; số xã đủ điều kiện công nhận đạt chuẩn nông thôn mới: {} xã, chiếm {} %; bình quân đạt {} tiêu chí/xã; số xã có nguy cơ bị thu hồi quyết định công nhận: {} xã.",
            r.communes_total,
            r.communes_eligible,
            format_number(r.share_eligible_percent, 2),
            format_number(r.average_criteria_met, 2),
            r.communes_at_risk
        )),
    ];
    if !r.most_failed.is_empty() {
        body.push(Block::Paragraph(format!(
            "Các tiêu chí chưa đạt nhiều nhất: {}.",
            r.most_failed
                .iter()
                .take(5)
                .map(|f| format!(
                    "tiêu chí {} ({}): {} xã",
                    f.number, f.name, f.communes_not_met
                ))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    body.push(Block::Heading("II. BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ".into()));
    body.push(Block::Table(Table {
        shares: vec![0.07, 0.27, 0.13, 0.13, 0.18, 0.22],
        header: [
            "STT",
            "Xã",
            "Tiêu chí đạt",
            "Chỉ tiêu đạt",
            "Tiêu chí chưa đạt",
            "Kết quả",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        bold_rows: Vec::new(),
    }));
    if !r.other_editions.is_empty() {
        body.push(Block::Paragraph(format!(
            "Các xã đánh giá theo bộ tiêu chí khác, không tính vào số liệu trên: {}.",
            r.other_editions
                .iter()
                .map(|c| format!("{} ({}, năm {})", c.name, c.edition_title, c.year))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    body.push(Block::Heading("III. ĐỀ NGHỊ".into()));
    body.push(Block::Paragraph(if proposed.is_empty() {
        "Chưa có xã nào đủ điều kiện đề nghị xét, công nhận đạt chuẩn nông thôn mới.".into()
    } else {
        format!(
            "Đề nghị xét, công nhận {} xã đạt chuẩn nông thôn mới năm {year}: {}./.",
            proposed.len(),
            proposed.join(", ")
        )
    }));
    let doc = AdminDocument {
        parent_body: String::new(),
        issuer: format!("ỦY BAN NHÂN DÂN {}", name.to_uppercase()),
        number_line: "Số:          /BC-UBND".into(),
        place_date: format!(
            "{}, ngày      tháng      năm {year}",
            super::units::strip_kind(&root.name, root.kind)
        ),
        kind: "BÁO CÁO".into(),
        subject: format!(
            "Kết quả {body_kind} hồ sơ đề nghị xét, công nhận xã đạt chuẩn nông thôn mới năm {year}"
        ),
        addressees: vec![match root.kind {
            UnitKind::District => "Ủy ban nhân dân tỉnh".to_string(),
            _ => "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh".to_string(),
        }],
        body,
        recipients: vec![
            "Như trên".into(),
            "Văn phòng Điều phối nông thôn mới".into(),
            "Lưu: VT".into(),
        ],
        signature: Signature {
            lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
            name: String::new(),
        },
        second_signature: None,
    };
    let seed = serde_json::to_string(r).unwrap_or_default();
    let bytes = crate::pdf::single_document(&doc, &doc.subject, &format!("{year:04}0101"), &seed);
    if bytes.is_empty() {
        return Err(super::AppError::invalid("Không tạo được tệp PDF."));
    }
    output.write_all(&bytes)
}
