//! What `status` and `rollup` report, as serialisable view structs (the JSON contract
//! of the command line) and as readable Vietnamese text.

use super::assessment::{Loaded, load_with_edition};
use super::{AppResult, catalog, units};
use crate::domain::catalog::Edition;
use crate::domain::engine::{AssessmentStatus, IndicatorStatus};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::UnitKind;
use crate::domain::vn_text::{CivilDate, format_number};
use crate::store::Workspace;
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
#[derive(Debug, Serialize)]
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
}

/// `rollup --json`.
#[derive(Debug, Serialize)]
pub struct RollupJson {
    /// The unit rolled up.
    pub unit: i64,
    /// Its name.
    pub unit_name: String,
    /// Communes (current ones; former communes merged into others are left out).
    pub communes: Vec<RollupCommune>,
    /// Number of communes.
    pub communes_total: usize,
    /// Number eligible.
    pub communes_eligible: usize,
    /// Share eligible, percent, two decimals.
    pub share_eligible_percent: f64,
    /// Average criteria met per commune, two decimals.
    pub average_criteria_met: f64,
}

/// Rolls up the communes under a unit, each by its latest assessment. Communes that were
/// merged into another (they appear as a former unit) are history and are left out;
/// communes without an assessment count as not eligible with 0 criteria met.
pub fn rollup(ws: &Workspace, root: UnitId, today: CivilDate) -> AppResult<RollupJson> {
    let root_unit = units::require(ws, root)?;
    let all = ws.units()?;
    let former: HashSet<UnitId> = all
        .iter()
        .flat_map(|u| u.merged_from.iter().copied())
        .collect();
    let mut editions: HashMap<String, Edition> = HashMap::new();
    let mut communes = Vec::new();
    for unit in ws
        .subtree(root)?
        .into_iter()
        .filter(|u| u.kind == UnitKind::Commune && !former.contains(&u.id))
    {
        let Some(record) = ws.latest_assessment(unit.id)? else {
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
            });
            continue;
        };
        let edition = match editions.get(&record.edition_sha256) {
            Some(e) => e.clone(),
            None => {
                let e = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
                editions.insert(record.edition_sha256.clone(), e.clone());
                e
            }
        };
        let loaded = load_with_edition(ws, record, edition, today)?;
        let st = &loaded.status;
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
        });
    }
    let total = communes.len();
    let eligible = communes.iter().filter(|c| c.eligible).count();
    let round2 = crate::domain::engine::round2;
    Ok(RollupJson {
        unit: root.0,
        unit_name: root_unit.name,
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
        communes,
    })
}

/// The roll-up as readable Vietnamese text.
pub fn rollup_text(r: &RollupJson) -> String {
    let mut out = format!(
        "Tổng hợp {}: {} xã, {} xã đủ điều kiện ({} %), bình quân {} tiêu chí đạt/xã\n",
        r.unit_name,
        r.communes_total,
        r.communes_eligible,
        format_number(r.share_eligible_percent, 2),
        format_number(r.average_criteria_met, 2)
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
    out
}

/// Loads and reports one assessment.
pub fn status(ws: &Workspace, id: AssessmentId, today: CivilDate) -> AppResult<Loaded> {
    super::assessment::load(ws, id, today)
}
