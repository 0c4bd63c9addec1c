//! Plans: a commune's target («phấn đấu đạt chuẩn NTM năm 2026») and a district's or
//! province's dossier deadline; what the roll-up says about them (communes behind their
//! plan, days left before the deadline, counted from a `today` the caller gives).

use crate::app::{AppError, AppResult, Workspace, units};
use crate::domain::ids::UnitId;
use crate::domain::units::{RecognitionTarget, Target, UnitKind};
use crate::domain::vn_text::CivilDate;
use serde::Serialize;

pub use crate::store::UnitPlan;

/// What the user asked to change in a plan, as typed; parts left `None` are kept.
#[derive(Debug, Clone, Default)]
pub struct PlanRequest {
    /// Target code (ntm, nang-cao, kieu-mau, hien-dai); needs `year`.
    pub target: Option<String>,
    /// The year the target is to be reached; needs `target`.
    pub year: Option<i32>,
    /// The dossier deadline, `31/05/2026`.
    pub deadline: Option<String>,
    /// Remove the whole plan first.
    pub clear: bool,
}

/// The short name reports use: «NTM», «NTM nâng cao»…
pub fn target_short(t: Target) -> &'static str {
    match t {
        Target::Ntm => "NTM",
        Target::Advanced => "NTM nâng cao",
        Target::Model => "NTM kiểu mẫu",
        Target::Modern => "NTM hiện đại",
    }
}

/// «phấn đấu đạt chuẩn NTM năm 2026; hạn hoàn thành hồ sơ 31/05/2026», or «chưa có kế
/// hoạch».
pub fn describe(plan: &UnitPlan) -> String {
    let mut parts = Vec::new();
    if let Some((t, y)) = plan.target {
        parts.push(format!("phấn đấu đạt chuẩn {} năm {y}", target_short(t)));
    }
    if let Some(d) = plan.dossier_deadline {
        parts.push(format!("hạn hoàn thành hồ sơ {d}"));
    }
    if parts.is_empty() {
        "chưa có kế hoạch".to_string()
    } else {
        parts.join("; ")
    }
}

/// Sets a unit's plan: a target and year for a commune or a town, a dossier deadline for
/// a district or a province. Returns the plan now stored.
pub fn set_plan(ws: &mut Workspace, unit: UnitId, req: &PlanRequest) -> AppResult<UnitPlan> {
    let record = units::require(ws, unit)?;
    let name = units::display_name(&record);
    let mut plan = if req.clear {
        UnitPlan::default()
    } else {
        ws.unit_plan(unit)?
    };
    match (&req.target, req.year) {
        (None, None) => {}
        (Some(code), Some(year)) => {
            if !matches!(record.kind, UnitKind::Commune) {
                return Err(AppError::invalid(format!(
                    "«{name}» là {}: mục tiêu phấn đấu (--target, --year) chỉ đặt cho xã.",
                    record.kind.label().to_lowercase()
                )));
            }
            let target = Target::from_code(code.trim()).ok_or_else(|| {
                AppError::invalid(format!(
                    "Mục tiêu «{code}» không hợp lệ: dùng ntm, nang-cao, kieu-mau hoặc hien-dai."
                ))
            })?;
            if !(2000..=2100).contains(&year) {
                return Err(AppError::invalid(format!(
                    "Năm phấn đấu {year} không hợp lệ: ghi năm từ 2000 đến 2100, ví dụ --year 2026."
                )));
            }
            plan.target = Some((target, year));
        }
        (Some(_), None) => {
            return Err(AppError::invalid(
                "Thiếu năm phấn đấu: ghi --year cùng --target, ví dụ --target ntm --year 2026.",
            ));
        }
        (None, Some(_)) => {
            return Err(AppError::invalid(
                "Thiếu mục tiêu: ghi --target cùng --year, ví dụ --target ntm --year 2026.",
            ));
        }
    }
    if let Some(text) = &req.deadline {
        if !matches!(record.kind, UnitKind::District | UnitKind::Province) {
            return Err(AppError::invalid(format!(
                "«{name}» là {}: hạn hoàn thành hồ sơ (--deadline) chỉ đặt cho huyện hoặc tỉnh.",
                record.kind.label().to_lowercase()
            )));
        }
        let date = CivilDate::parse(text).ok_or_else(|| {
            AppError::invalid(format!(
                "Hạn hoàn thành hồ sơ «{text}» không phải một ngày: ghi dạng ngày/tháng/năm, ví dụ 31/05/2026."
            ))
        })?;
        plan.dossier_deadline = Some(date);
    }
    if !req.clear && req.target.is_none() && req.year.is_none() && req.deadline.is_none() {
        return Err(AppError::invalid(
            "Chưa có gì để ghi: dùng --target và --year (xã), --deadline (huyện, tỉnh) hoặc --clear.",
        ));
    }
    ws.set_unit_plan(unit, &plan)?;
    Ok(plan)
}

/// The plan of a unit, for showing.
pub fn plan_of(ws: &Workspace, unit: UnitId) -> AppResult<UnitPlan> {
    units::require(ws, unit)?;
    Ok(ws.unit_plan(unit)?)
}

/// A commune of a roll-up as the plans look at it.
#[derive(Debug, Clone)]
pub struct PlannedCommune {
    /// The unit.
    pub unit: UnitId,
    /// Its name.
    pub name: String,
    /// Its latest assessment shows it eligible for recognition.
    pub eligible: bool,
}

/// A commune whose target year has come while it is neither recognised at its target (by
/// a decision in force) nor eligible in its latest assessment.
#[derive(Debug, Clone, Serialize)]
pub struct BehindPlan {
    /// Unit id.
    pub unit: i64,
    /// Name.
    pub name: String,
    /// Target code.
    pub target: &'static str,
    /// Target year.
    pub year: i32,
    /// «phấn đấu đạt chuẩn NTM năm 2026».
    pub plan: String,
}

/// The plans part of a roll-up.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PlanSummary {
    /// The rolled-up unit's dossier deadline, `31/05/2026`.
    pub dossier_deadline: Option<String>,
    /// Days from today to the deadline: 0 on the day, negative once past.
    pub days_left: Option<i64>,
    /// Communes with a target.
    pub communes_planned: usize,
    /// Communes whose target year is this year or earlier, not recognised at their target
    /// and not eligible.
    pub behind_plan: Vec<BehindPlan>,
}

/// What the roll-up of `root` says about plans on `today`.
pub fn summary(
    ws: &Workspace,
    root: UnitId,
    communes: &[PlannedCommune],
    today: CivilDate,
) -> AppResult<PlanSummary> {
    let plans: std::collections::HashMap<UnitId, UnitPlan> = ws.unit_plans()?.into_iter().collect();
    let recognitions = ws.recognitions()?;
    let deadline = plans.get(&root).and_then(|p| p.dossier_deadline);
    let mut out = PlanSummary {
        dossier_deadline: deadline.map(|d| d.to_string()),
        days_left: deadline.map(|d| d.days_since_epoch() - today.days_since_epoch()),
        ..PlanSummary::default()
    };
    for c in communes {
        let Some((target, year)) = plans.get(&c.unit).and_then(|p| p.target) else {
            continue;
        };
        out.communes_planned += 1;
        let recognised = RecognitionTarget::from_code(target.code())
            .and_then(|t| crate::domain::recognition::in_force(&recognitions, c.unit, t))
            .is_some();
        if year <= today.year && !c.eligible && !recognised {
            out.behind_plan.push(BehindPlan {
                unit: c.unit.0,
                name: c.name.clone(),
                target: target.code(),
                year,
                plan: format!("phấn đấu đạt chuẩn {} năm {year}", target_short(target)),
            });
        }
    }
    Ok(out)
}

/// The screen and text lines: «Hạn hoàn thành hồ sơ: 31/05/2026 (còn 186 ngày).» and
/// «Xã chậm so với kế hoạch (2/5 xã có kế hoạch): A (phấn đấu …), B (…).»; none without
/// plans.
pub fn summary_lines(p: &PlanSummary) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(d), Some(days)) = (&p.dossier_deadline, p.days_left) {
        let when = match days {
            0 => "hết hạn hôm nay".to_string(),
            n if n > 0 => format!("còn {n} ngày"),
            n => format!("đã quá hạn {} ngày", n.unsigned_abs()),
        };
        out.push(format!("Hạn hoàn thành hồ sơ: {d} ({when})."));
    }
    if p.communes_planned > 0 {
        if p.behind_plan.is_empty() {
            out.push(format!(
                "Không xã nào chậm so với kế hoạch ({} xã có kế hoạch).",
                p.communes_planned
            ));
        } else {
            let names: Vec<String> = p
                .behind_plan
                .iter()
                .map(|b| format!("{} ({})", b.name, b.plan))
                .collect();
            out.push(format!(
                "Xã chậm so với kế hoạch ({}/{} xã có kế hoạch): {}.",
                p.behind_plan.len(),
                p.communes_planned,
                names.join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary_of(days_left: Option<i64>, planned: usize, behind: usize) -> PlanSummary {
        PlanSummary {
            dossier_deadline: days_left.map(|_| "31/05/2026".to_string()),
            days_left,
            communes_planned: planned,
            behind_plan: (0..behind)
                .map(|i| BehindPlan {
                    unit: i as i64,
                    name: format!("Xã {i}"),
                    target: "ntm",
                    year: 2026,
                    plan: "phấn đấu đạt chuẩn NTM năm 2026".to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn deadline_line_counts_days_both_ways() {
        assert_eq!(
            summary_lines(&summary_of(Some(186), 0, 0)),
            vec!["Hạn hoàn thành hồ sơ: 31/05/2026 (còn 186 ngày).".to_string()]
        );
        assert_eq!(
            summary_lines(&summary_of(Some(0), 0, 0)),
            vec!["Hạn hoàn thành hồ sơ: 31/05/2026 (hết hạn hôm nay).".to_string()]
        );
        assert_eq!(
            summary_lines(&summary_of(Some(-3), 0, 0)),
            vec!["Hạn hoàn thành hồ sơ: 31/05/2026 (đã quá hạn 3 ngày).".to_string()]
        );
    }

    #[test]
    fn behind_line_names_each_commune_with_its_plan() {
        assert_eq!(
            summary_lines(&summary_of(None, 5, 1)),
            vec![
                "Xã chậm so với kế hoạch (1/5 xã có kế hoạch): Xã 0 (phấn đấu đạt chuẩn NTM năm 2026)."
                    .to_string()
            ]
        );
        assert_eq!(
            summary_lines(&summary_of(None, 2, 0)),
            vec!["Không xã nào chậm so với kế hoạch (2 xã có kế hoạch).".to_string()]
        );
        assert!(summary_lines(&summary_of(None, 0, 0)).is_empty());
    }

    #[test]
    fn plan_described_in_report_words() {
        let plan = UnitPlan {
            target: Some((Target::Ntm, 2026)),
            dossier_deadline: CivilDate::new(2026, 5, 31),
        };
        assert_eq!(
            describe(&plan),
            "phấn đấu đạt chuẩn NTM năm 2026; hạn hoàn thành hồ sơ 31/05/2026"
        );
        assert_eq!(describe(&UnitPlan::default()), "chưa có kế hoạch");
    }
}
