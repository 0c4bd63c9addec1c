//! The window's commands about conditions and the dossier: each delegates to its use case in `app`.

use super::{AppState, Command, Then};
use crate::app::{AppError, AppResult, tasks};

impl AppState {
    /// Performs a command about conditions and the dossier.
    pub(super) fn on_dossier(&mut self, command: Command) -> AppResult<Then> {
        match command {
            Command::SaveConditions(form) => {
                let id = self.current_id()?;
                crate::app::conditions::save(self.ws()?, id, &form)?;
            }
            Command::AddPosting(form) => {
                let posting = form.validate()?;
                let id = self.current_id()?;
                self.ws()?.add_posting(id, &posting)?;
            }
            Command::RemovePosting(posting) => {
                let id = self.current_id()?;
                self.ws()?.remove_posting(id, posting)?;
            }
            Command::SaveDossierSettings(form) => {
                let id = self.current_id()?;
                crate::app::dossier::save_settings(self.ws()?, id, &form)?;
            }
            Command::AttachSigned(key, path) => {
                let id = self.current_id()?;
                let template = self.template()?;
                crate::app::dossier::attach_signed(self.ws()?, id, &template, &key, &path)?;
                self.notice = Some(
                    "Đã gắn bản đã ký; tập hồ sơ sẽ dùng bản này thay cho bản dự thảo.".into(),
                );
            }
            Command::RemoveSigned(key) => {
                let id = self.current_id()?;
                crate::app::dossier::remove_signed(self.ws()?, id, &key)?;
            }
            Command::BuildDossier { path, final_packet } => {
                let id = self.current_id()?;
                if final_packet && !self.dossier_missing.is_empty() {
                    return Err(AppError::new(
                        format!(
                            "Chưa tạo được hồ sơ chính thức: còn {} mục thiếu.",
                            self.dossier_missing.len()
                        ),
                        "Hãy bổ sung các mục trong danh sách, hoặc in bản dự thảo.",
                    ));
                }
                let template = self.template()?;
                let ws = self.ws()?;
                // Refused at once, before a task starts (the task checks again).
                crate::app::output::refuse_protected(ws, &path)?;
                let mut task = tasks::build_dossier(
                    ws.path().to_path_buf(),
                    ws.user().to_string(),
                    id,
                    template,
                    path.clone(),
                    final_packet,
                );
                task.output = Some(path);
                self.built = None;
                self.tasks.push(task);
                return Ok(Then::Done);
            }
            _ => return Ok(Then::Done),
        }
        Ok(Then::Refresh)
    }
}
