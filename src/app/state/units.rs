//! The window's commands about units, assessments and values: each delegates to its use case in `app`.

use super::{AppState, Command, Then};
use crate::app::{AppResult, assessment, today, units};

impl AppState {
    /// Performs a command about units, assessments and values.
    pub(super) fn on_units(&mut self, command: Command) -> AppResult<Then> {
        match command {
            Command::AddUnit(form) => {
                let id = units::add(self.ws()?, &form)?;
                self.notice = Some(format!(
                    "Đã thêm «{}».",
                    crate::domain::vn_text::nfc(&form.name)
                ));
                if self.background_reload {
                    self.show_unit(id);
                    return Ok(Then::Done);
                }
                self.selected_unit = Some(id);
                self.current = None;
            }
            Command::UpdateUnit(id, form) => {
                units::update(self.ws()?, id, &form)?;
                self.notice = Some("Đã lưu thông tin đơn vị.".into());
            }
            Command::RecordRecognition(form) => {
                let rec = crate::app::recognitions::record(self.ws()?, &form)?;
                self.notice = Some(format!("Đã ghi: {}.", rec.describe()));
            }
            Command::NewAssessment {
                unit,
                edition,
                target,
                year,
            } => {
                let id = assessment::create(self.ws()?, unit, &edition, &target, year)?;
                self.notice = Some(format!("Đã tạo đợt đánh giá số {id}."));
                if self.background_reload {
                    self.show_assessment(id);
                    return Ok(Then::Done);
                }
                self.current = Some(assessment::load(self.ws()?, id, today())?);
            }
            Command::SaveValue(code, form) => {
                let id = self.current_id()?;
                assessment::save_value(self.ws()?, id, &code, &form)?;
            }
            Command::RestoreValue(audit_id) => {
                let (_, code) = crate::app::history::restore(self.ws()?, audit_id)?;
                self.notice = Some(format!(
                    "Đã khôi phục giá trị trước đây của chỉ tiêu {code}."
                ));
            }
            Command::RateCriterion(number, rating) => {
                let id = self.current_id()?;
                let rating = rating.as_ref().map(|(v, r)| (*v, r.as_str()));
                crate::app::commands::values::rate_criterion(self.ws()?, id, number, rating)?;
            }
            _ => return Ok(Then::Done),
        }
        Ok(Then::Refresh)
    }
}
