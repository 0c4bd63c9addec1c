//! The window's commands about the roll-up: each delegates to its use case in `app`.

use super::{AppState, Command, Then};
use crate::app::{AppError, AppResult, today};
use crate::domain::ids::UnitId;

impl AppState {
    /// Performs a command about the roll-up.
    pub(super) fn on_rollup(&mut self, command: Command) -> AppResult<Then> {
        match command {
            Command::SetRollupFilter(filter) => {
                let unit = self.rollup.as_ref().map(|r| UnitId(r.unit));
                if let Some(unit) = unit.filter(|_| self.background_reload) {
                    self.show_filter(unit, filter);
                    return Ok(Then::Done);
                }
                if let Some(unit) = unit {
                    // Checked before it is kept: a refused edition leaves the roll-up shown.
                    crate::app::report::rollup_with(self.ws()?, unit, &filter, today())?;
                }
                self.rollup_filter = filter;
            }
            Command::ExportRollupXlsx(path) => {
                let r = self.rollup.clone().ok_or_else(|| {
                    AppError::invalid("Hãy chọn một tỉnh hoặc huyện để tổng hợp.")
                })?;
                crate::app::report::rollup_xlsx(self.ws()?, &r, &path)?;
                self.notice = Some(format!("Đã ghi bảng tổng hợp ra {}.", path.display()));
                self.rollup_written = Some(path);
                return Ok(Then::Done);
            }
            Command::ExportRollupPdf(path) => {
                let r = self.rollup.clone().ok_or_else(|| {
                    AppError::invalid("Hãy chọn một tỉnh hoặc huyện để tổng hợp.")
                })?;
                crate::app::report::rollup_pdf(self.ws()?, &r, &path)?;
                self.notice = Some(format!("Đã ghi báo cáo ra {}.", path.display()));
                self.rollup_written = Some(path);
                return Ok(Then::Done);
            }
            _ => return Ok(Then::Done),
        }
        Ok(Then::Refresh)
    }
}
