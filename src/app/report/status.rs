//! The `status` report: one assessment as its JSON view and as readable Vietnamese text.

use super::json::*;
use crate::app::AppResult;
use crate::app::assessment::Loaded;
use crate::domain::engine::{AssessmentStatus, IndicatorStatus};
use crate::domain::ids::AssessmentId;
use crate::domain::vn_text::CivilDate;
use crate::store::Workspace;

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
        edition: loaded.record.edition_code.to_string(),
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

/// Loads and reports one assessment.
pub fn status(ws: &Workspace, id: AssessmentId, today: CivilDate) -> AppResult<Loaded> {
    crate::app::assessment::load(ws, id, today)
}
