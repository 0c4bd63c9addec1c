//! The window's commands about the workspace, the selection, backups and messages: each delegates to its use case in `app`.

use super::evidence::open_with_system;
use super::{AppState, Command, Then};
use crate::app::session::{self, WindowLock};
use crate::app::{AppError, AppResult, assessment, open_workspace, today};

impl AppState {
    /// Performs a command about the workspace, the selection, backups and messages.
    pub(super) fn on_session(&mut self, command: Command) -> AppResult<Then> {
        match command {
            Command::OpenWorkspace(path) => return self.open_command(&path),
            Command::SelectUnit(id) if self.background_reload => {
                self.show_unit(id);
                return Ok(Then::Done);
            }
            Command::SelectAssessment(id) if self.background_reload => {
                self.show_assessment(id);
                return Ok(Then::Done);
            }
            Command::SelectUnit(id) => {
                self.selected_unit = Some(id);
                self.current = None;
                if let Some(a) = self.ws()?.latest_assessment(id)? {
                    self.current = Some(assessment::load(self.ws()?, a.id, today())?);
                }
                self.remember_selection();
            }
            Command::SelectAssessment(id) => {
                let loaded = assessment::load(self.ws()?, id, today())?;
                self.selected_unit = Some(loaded.unit.id);
                self.current = Some(loaded);
                self.remember_selection();
            }
            Command::OpenFile(path) => {
                open_with_system(&path, &format!("Tệp ở {}.", path.display()))?;
                return Ok(Then::Done);
            }
            Command::CancelTask(index) => {
                if let Some(t) = self.tasks.get(index) {
                    t.cancel();
                }
                return Ok(Then::Done);
            }
            Command::ShowBackups(workspace) => {
                let list = crate::app::backup::list(&workspace)?;
                self.backups = Some((workspace, list));
                return Ok(Then::Done);
            }
            Command::CloseBackups => {
                self.backups = None;
                return Ok(Then::Done);
            }
            Command::RestoreBackup {
                workspace,
                number,
                to,
            } => {
                let (info, restored) = crate::app::backup::restore(&workspace, number, &to)?;
                self.try_apply(Command::OpenWorkspace(restored.path.clone()))?;
                self.notice_after_opening(format!(
                    "Đã khôi phục bản sao lưu số {number} ({}, lần thay đổi {}) vào tệp mới {} và mở tệp đó; {} tệp minh chứng đã được kiểm tra còn nguyên vẹn.",
                    info.taken_at,
                    info.change_seq,
                    restored.path.display(),
                    restored.evidence_files
                ));
                return Ok(Then::Done);
            }
            Command::ShowError(message) => return Err(AppError::invalid(message)),
            Command::DismissMessage => {
                self.error = None;
                self.notice = None;
                return Ok(Then::Done);
            }
            _ => return Ok(Then::Done),
        }
        Ok(Then::Refresh)
    }

    /// Opens the workspace at `path`: behind the window when it reads there, else here.
    fn open_command(&mut self, path: &std::path::Path) -> AppResult<Then> {
        // The file this window already has open: nothing to do (its own lock
        // would otherwise read as «another window»).
        if self
            .workspace
            .as_ref()
            .is_some_and(|ws| same_file::is_same_file(ws.path(), path).unwrap_or(false))
        {
            self.notice = Some("Tệp dữ liệu này đang mở trong chính cửa sổ này.".into());
            return Ok(Then::Done);
        }
        if self.background_reload {
            // Being opened already: its own lock would read as «another window».
            if self
                .opening_path()
                .is_some_and(|p| same_file::is_same_file(p, path).unwrap_or(false))
            {
                return Ok(Then::Done);
            }
            self.start_opening(path, None)?;
            return Ok(Then::Done);
        }
        // Lock first: a file open in another window is refused before it is touched.
        let lock = WindowLock::acquire(path)?;
        let mut ws = open_workspace(path)?;
        let backup_failure = crate::app::backup::failure_notice(&mut ws);
        if self.remember_recent {
            session::remember(path);
        }
        let remember_recent = self.remember_recent;
        let background_reload = self.background_reload;
        *self = Self {
            workspace: Some(ws),
            _lock: Some(lock),
            remember_recent,
            background_reload,
            ..Self::default()
        };
        self.remember_selection();
        self.start_previews();
        self.notice = backup_failure;
        Ok(Then::Refresh)
    }
}
