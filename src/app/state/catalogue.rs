//! The window's commands about editions: each delegates to its use case in `app`.

use super::{AppState, Command, Then};
use crate::app::{AppResult, catalog};

impl AppState {
    /// Performs a command about editions.
    pub(super) fn on_catalogue(&mut self, command: Command) -> AppResult<Then> {
        match command {
            Command::ImportEdition(path) => {
                // A pack from an office already enrolled; a new office is confirmed with
                // its fingerprint on the command line (`catalog import … --trust`).
                let (edition, changed) = if crate::app::edition_pack::is_pack(&path) {
                    crate::app::edition_pack::import(
                        self.ws()?,
                        &path,
                        &crate::app::keys::Trust::none(),
                    )?
                } else {
                    catalog::import(self.ws()?, &path)?
                };
                self.notice = Some(if changed {
                    format!(
                        "Đã nhập bộ tiêu chí {} ({} chỉ tiêu).",
                        edition.code,
                        edition.indicator_count()
                    )
                } else {
                    format!("Bộ tiêu chí {} không có gì thay đổi.", edition.code)
                });
            }
            Command::TemplateEdition(code, path) => {
                catalog::template(self.ws()?, &code, &path)?;
                self.notice = Some(format!(
                    "Đã ghi mẫu Excel của bộ tiêu chí {code} ra {}: điền trang tính «Chỉ tiêu» rồi nhập lại.",
                    path.display()
                ));
                return Ok(Then::Done);
            }
            Command::ExportEdition(code, path) => {
                if crate::app::edition_pack::is_pack(&path) {
                    crate::app::edition_pack::export(self.ws()?, &code, &path)?;
                } else {
                    catalog::export(self.ws()?, &code, &path)?;
                }
                self.notice = Some(format!("Đã xuất bộ tiêu chí {code} ra {}.", path.display()));
                return Ok(Then::Done);
            }
            Command::CopyEdition(code, new_code, title) => {
                let created = catalog::copy_as(self.ws()?, &code, &new_code, &title)?;
                self.notice = Some(format!(
                    "Đã tạo bộ tiêu chí {created}: có thể sửa nội dung và ngưỡng."
                ));
            }
            Command::PlanMove(code) => {
                let id = self.current_id()?;
                let ws = self.ws()?;
                let plan = crate::app::edition_move::plan(ws, id, &code, crate::app::today())?;
                self.move_plan = Some(plan);
                return Ok(Then::Done);
            }
            Command::ApplyMove(code) => {
                let id = self.current_id()?;
                let plan =
                    crate::app::edition_move::apply(self.ws()?, id, &code, crate::app::today())?;
                self.move_plan = None;
                self.notice = Some(format!(
                    "Đã chuyển đợt đánh giá sang bộ tiêu chí {}: {} chỉ tiêu thêm, {} chỉ tiêu bỏ (đã lưu vào lịch sử thay đổi), {} kết luận thay đổi.",
                    plan.to,
                    plan.added.len(),
                    plan.removed.len(),
                    plan.verdict_changes.len()
                ));
            }
            Command::CancelMove => {
                self.move_plan = None;
                return Ok(Then::Done);
            }
            Command::SaveEdition(edition) => {
                catalog::save_edited(self.ws()?, &edition)?;
                self.notice = Some(format!("Đã lưu bộ tiêu chí {}.", edition.code));
            }
            Command::PasteEdition(base, new_code, title, text) => {
                let edition = catalog::paste_save(self.ws()?, &base, &new_code, &title, &text)?;
                self.notice = Some(format!(
                    "Đã lưu bộ tiêu chí {} từ bảng dán ({} tiêu chí, {} chỉ tiêu).",
                    edition.code,
                    edition.criteria.len(),
                    edition.indicator_count()
                ));
            }
            _ => return Ok(Then::Done),
        }
        Ok(Then::Refresh)
    }
}
