//! `unit …`, `assessment …` and `values …`.

use super::emit;
use crate::app::{self, AppResult, Workspace, assessment, units, values_import};
use crate::cli::{AssessmentCommand, UnitCommand, ValuesCommand};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::vn_text::CivilDate;
use std::io::Write;

/// Runs `unit …`.
pub(super) fn unit(
    ws: &mut Workspace,
    command: UnitCommand,
    out: &mut dyn Write,
) -> AppResult<i32> {
    match command {
        UnitCommand::Add {
            name,
            kind,
            parent,
            code,
            region,
            group,
            flag,
            merged_from,
        } => {
            let form = units::UnitForm {
                name,
                kind,
                parent: parent.unwrap_or_default(),
                official_code: code.unwrap_or_default(),
                region: region.unwrap_or_default(),
                group: group.unwrap_or_default(),
                flags: flag,
                merged_from,
            };
            let id = units::add(ws, &form)?;
            emit(out, &format!("{id}\n"))?;
        }
        UnitCommand::Plan {
            unit,
            target,
            year,
            deadline,
            clear,
        } => emit(
            out,
            &super::plans::plan(ws, unit, target, year, deadline, clear)?,
        )?,
        UnitCommand::Recognize(a) => super::recognize::recognize(ws, a, out)?,
        UnitCommand::Show(a) => super::recognize::show(ws, &a, out)?,
        UnitCommand::Survey(a) => super::recognize::survey(ws, a, out)?,
        UnitCommand::List => {
            let recognitions = super::recognize::by_unit(app::recognitions::all(ws)?);
            let mut all = units::list(ws)?;
            // Siblings in Vietnamese dictionary order, as on the screen.
            all.sort_by(|a, b| crate::domain::vn_text::vn_cmp(&a.name, &b.name));
            let mut text = String::new();
            // Iterative, with a depth limit: a chain of 40.000 parents cannot overflow.
            for (depth, u) in crate::app::units::tree_order(&all) {
                let mut extra = Vec::new();
                if let Some(c) = &u.official_code {
                    extra.push(format!("mã {c}"));
                }
                if let Some(r) = u.region {
                    extra.push(r.label().to_string());
                }
                if let Some(g) = u.group {
                    extra.push(g.label().to_string());
                }
                extra.extend(u.flags.iter().map(|f| f.label().to_string()));
                extra.extend(super::recognize::list_marks(&recognitions, u.id));
                if !u.merged_from.is_empty() {
                    extra.push(format!(
                        "sáp nhập từ {}",
                        u.merged_from
                            .iter()
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                let extra = if extra.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", extra.join("; "))
                };
                text.push_str(&format!(
                    "{}[{}] {}{extra}\n",
                    "  ".repeat(depth),
                    u.id,
                    crate::app::units::display_name(u)
                ));
            }
            if text.is_empty() {
                text = "Chưa có đơn vị nào. Thêm bằng lệnh «unit add».\n".into();
            }
            emit(out, &text)?;
        }
    }
    Ok(0)
}

/// Runs `assessment …`.
pub(super) fn assessment(
    ws: &mut Workspace,
    command: AssessmentCommand,
    today: CivilDate,
    out: &mut dyn Write,
) -> AppResult<i32> {
    match command {
        AssessmentCommand::New {
            unit,
            edition,
            target,
            year,
        } => {
            let id = assessment::create(ws, UnitId(unit), &edition, &target, year)?;
            emit(out, &format!("{id}\n"))?;
        }
        AssessmentCommand::Move {
            assessment,
            edition,
            yes,
        } => {
            let id = AssessmentId(assessment);
            if yes {
                let plan = app::edition_move::apply(ws, id, &edition, today)?;
                emit(out, &app::edition_move::describe(&plan))?;
                emit(
                    out,
                    &format!(
                        "Đã chuyển đợt đánh giá {assessment} sang bộ tiêu chí {}.\n",
                        plan.to
                    ),
                )?;
            } else {
                let plan = app::edition_move::plan(ws, id, &edition, today)?;
                emit(out, &app::edition_move::describe(&plan))?;
                emit(out, "Chưa chuyển: chạy lại với --yes để chuyển.\n")?;
            }
        }
        AssessmentCommand::List => {
            let mut text = String::new();
            for (a, name) in assessment::list(ws)? {
                // The edition as a user reads it (its decision), with the code the other
                // commands take.
                let edition = app::catalog::parse_stored(&a.edition_code, &a.edition_toml)
                    .map_or_else(
                        |_| a.edition_code.to_string(),
                        |e| format!("{} (mã {})", e.decision_label(), a.edition_code),
                    );
                text.push_str(&format!(
                    "[{}] {} — {} — {} — năm {}\n",
                    a.id,
                    name,
                    edition,
                    a.target.label(),
                    a.year
                ));
            }
            if text.is_empty() {
                text = "Chưa có đợt đánh giá nào. Tạo bằng lệnh «assessment new».\n".into();
            }
            emit(out, &text)?;
        }
    }
    Ok(0)
}

/// Runs `values …`.
pub(super) fn values(
    ws: &mut Workspace,
    command: ValuesCommand,
    out: &mut dyn Write,
) -> AppResult<i32> {
    match command {
        ValuesCommand::Import { assessment, file } => {
            let n = values_import::import(ws, AssessmentId(assessment), &file)?;
            emit(
                out,
                &format!("Đã nhập giá trị của {n} chỉ tiêu từ {}\n", file.display()),
            )?;
        }
        ValuesCommand::Criterion {
            assessment,
            number,
            verdict,
            reason,
        } => {
            let line = super::links::rate_criterion(ws, assessment, number, verdict, reason)?;
            emit(out, &line)?;
        }
    }
    Ok(0)
}
