//! Moving an assessment started on an incomplete edition, or an older revision, to a
//! province's newer copy: what changes (indicators added and removed, thresholds changed,
//! verdicts that change) is shown first; applying keeps the values, evidence links,
//! notes and deadlines of every surviving indicator unchanged, and puts what belonged to
//! removed indicators into the history (the audit log), listed, never silently dropped.
//! Rounds already submitted keep the edition in their own snapshot.

use super::{AppError, AppResult, assessment, catalog};
use crate::domain::catalog::Indicator;
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use crate::domain::vn_text::CivilDate;
use crate::store::Workspace;
use std::collections::HashMap;

/// A removed indicator and what the assessment held for it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemovedIndicator {
    /// Code.
    pub code: String,
    /// Wording.
    pub text: String,
    /// A value, verdict, note or deadline was entered.
    pub had_value: bool,
    /// Evidence links to it.
    pub evidence_links: usize,
}

/// What moving an assessment to another edition changes.
#[derive(Debug, Clone, PartialEq)]
pub struct MovePlan {
    /// The assessment.
    pub assessment: AssessmentId,
    /// The edition it is on.
    pub from: String,
    /// The edition it moves to.
    pub to: String,
    /// Indicators the new edition adds: (code, wording).
    pub added: Vec<(String, String)>,
    /// Indicators the new edition no longer has.
    pub removed: Vec<RemovedIndicator>,
    /// Surviving indicators whose kind, comparator or thresholds change: (code, wording).
    pub thresholds_changed: Vec<(String, String)>,
    /// Surviving indicators whose verdict changes: (code, before, after).
    pub verdict_changes: Vec<(String, Verdict, Verdict)>,
}

fn rule_of(i: &Indicator) -> (String, String, String, Vec<String>) {
    let thresholds = i
        .thresholds
        .iter()
        .map(|t| format!("{}|{:?}|{:?}", t.segment.code(), t.year, t.value))
        .collect::<Vec<_>>()
        .join(";");
    (
        i.kind.code().to_string(),
        i.comparator.code().to_string(),
        thresholds,
        i.levels.clone(),
    )
}

fn verdicts(loaded: &assessment::Loaded) -> HashMap<String, (Verdict, Verdict)> {
    loaded
        .status
        .criteria
        .iter()
        .flat_map(|c| c.indicators.iter())
        .map(|i| (i.code.clone(), (i.verdict, i.computed)))
        .collect()
}

/// A plan with what applying it needs: the new edition's record and the verdicts
/// recomputed for the surviving values.
type Prepared = (
    MovePlan,
    crate::store::EditionRecord,
    Vec<crate::store::Recomputed>,
);

fn prepare(ws: &Workspace, id: AssessmentId, code: &str, today: CivilDate) -> AppResult<Prepared> {
    let before = assessment::load(ws, id, today)?;
    let (record, edition) = catalog::load(ws, code)?;
    if edition.level != before.unit.kind {
        return Err(AppError::invalid(format!(
            "Bộ tiêu chí {} dùng cho cấp {}, còn «{}» là {}.",
            edition.code,
            edition.level.label().to_lowercase(),
            before.unit.name,
            before.unit.kind.label().to_lowercase()
        )));
    }
    if !edition.targets.contains(&before.record.target) {
        return Err(AppError::invalid(format!(
            "Bộ tiêu chí {} không dùng cho mục tiêu «{}» của đợt đánh giá này.",
            edition.code,
            before.record.target.label()
        )));
    }
    if record.content_sha256 == before.record.edition_sha256 {
        return Err(AppError::new(
            format!("Đợt đánh giá {id} đã dùng đúng bộ tiêu chí {code} này."),
            "Không có gì để chuyển.",
        ));
    }
    let old = &before.edition;
    let added = edition
        .indicators()
        .filter(|(_, i)| old.indicator(i.code.as_str()).is_none())
        .map(|(_, i)| (i.code.to_string(), i.text.clone()))
        .collect();
    let counts = ws.evidence_counts(id)?;
    let removed: Vec<RemovedIndicator> = old
        .indicators()
        .filter(|(_, i)| edition.indicator(i.code.as_str()).is_none())
        .map(|(_, i)| RemovedIndicator {
            code: i.code.to_string(),
            text: i.text.clone(),
            had_value: before.values.contains_key(i.code.as_str()),
            evidence_links: counts.get(i.code.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let thresholds_changed = edition
        .indicators()
        .filter_map(|(_, i)| {
            let (_, o) = old.indicator(i.code.as_str())?;
            (rule_of(o) != rule_of(i)).then(|| (i.code.to_string(), i.text.clone()))
        })
        .collect();
    let after = assessment::load_with_edition(ws, before.record.clone(), edition.clone(), today)?;
    let (was, will) = (verdicts(&before), verdicts(&after));
    let mut verdict_changes = Vec::new();
    let mut recomputed = Vec::new();
    for (_, i) in edition.indicators() {
        let code = i.code.to_string();
        if let (Some((a, _)), Some((b, _))) = (was.get(&code), will.get(&code))
            && a != b
        {
            verdict_changes.push((code.clone(), *a, *b));
        }
        if let (Some(rec), Some(_)) = (before.values.get(&code), old.indicator(&code)) {
            let v =
                assessment::computed_verdict(&edition, &before.profile, before.record.year, i, rec);
            recomputed.push(crate::store::Recomputed {
                indicator: i.code.clone(),
                verdict: v,
            });
        }
    }
    let plan = MovePlan {
        assessment: id,
        from: before.record.edition_code.to_string(),
        to: record.code.to_string(),
        added,
        removed,
        thresholds_changed,
        verdict_changes,
    };
    Ok((plan, record, recomputed))
}

/// What moving assessment `id` to edition `code` would change; nothing is written.
pub fn plan(ws: &Workspace, id: AssessmentId, code: &str, today: CivilDate) -> AppResult<MovePlan> {
    Ok(prepare(ws, id, code, today)?.0)
}

/// Moves assessment `id` to edition `code` (see the module); audited. Returns the plan
/// that was applied.
pub fn apply(
    ws: &mut Workspace,
    id: AssessmentId,
    code: &str,
    today: CivilDate,
) -> AppResult<MovePlan> {
    let (plan, record, recomputed) = prepare(ws, id, code, today)?;
    let removed: Vec<String> = plan.removed.iter().map(|r| r.code.clone()).collect();
    ws.move_to_edition(id, &record, &removed, &recomputed)?;
    Ok(plan)
}

/// The plan in words, for the command line and the screen.
pub fn describe(plan: &MovePlan) -> String {
    let mut out = format!(
        "Chuyển đợt đánh giá {} từ bộ tiêu chí {} sang {}:\n",
        plan.assessment, plan.from, plan.to
    );
    let section = |out: &mut String, title: &str, lines: Vec<String>| {
        out.push_str(&format!("{title} ({}):\n", lines.len()));
        if lines.is_empty() {
            out.push_str("  (không có)\n");
        }
        for l in lines {
            out.push_str(&format!("  {l}\n"));
        }
    };
    section(
        &mut out,
        "Chỉ tiêu thêm mới",
        plan.added.iter().map(|(c, t)| format!("{c} {t}")).collect(),
    );
    section(
        &mut out,
        "Chỉ tiêu bị bỏ (số liệu và liên kết minh chứng được lưu vào lịch sử thay đổi)",
        plan.removed
            .iter()
            .map(|r| {
                let mut held = Vec::new();
                if r.had_value {
                    held.push("có số liệu".to_string());
                }
                if r.evidence_links > 0 {
                    held.push(format!("{} minh chứng", r.evidence_links));
                }
                let held = if held.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", held.join(", "))
                };
                format!("{} {}{held}", r.code, r.text)
            })
            .collect(),
    );
    section(
        &mut out,
        "Chỉ tiêu đổi ngưỡng",
        plan.thresholds_changed
            .iter()
            .map(|(c, t)| format!("{c} {t}"))
            .collect(),
    );
    section(
        &mut out,
        "Kết luận thay đổi",
        plan.verdict_changes
            .iter()
            .map(|(c, a, b)| format!("{c}: từ {} sang {}", a.label(), b.label()))
            .collect(),
    );
    out
}
