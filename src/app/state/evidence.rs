//! The window's commands about evidence: each delegates to its use case in `app`.

use super::{AppState, Command, Then};
use crate::app::{AppError, AppResult, tasks};
use crate::domain::ids::EvidenceId;

impl AppState {
    /// Performs a command about evidence.
    pub(super) fn on_evidence(&mut self, command: Command) -> AppResult<Then> {
        match command {
            Command::AttachFiles(indicators, files) => {
                let id = self.current_id()?;
                crate::app::commands::evidence::check_indicators(self.ws()?, id, &indicators)?;
                let ws = self.ws()?;
                let task = tasks::attach_files(
                    ws.path().to_path_buf(),
                    ws.user().to_string(),
                    id,
                    indicators,
                    files,
                );
                self.tasks.push(task);
                return Ok(Then::Done);
            }
            Command::LinkEvidence(evidence, code) => {
                let id = self.current_id()?;
                crate::app::commands::evidence::link(self.ws()?, id, evidence, &code)?;
            }
            Command::UnlinkEvidence(evidence, code) => {
                let id = self.current_id()?;
                crate::app::commands::evidence::unlink(self.ws()?, id, evidence, &code)?;
            }
            Command::SaveEvidenceMeta(evidence, form) => {
                let meta = form.validate()?;
                self.ws()?.set_evidence_meta(evidence, &meta)?;
            }
            Command::DeleteEvidence(evidence) => {
                let id = self.current_id()?;
                let d = crate::app::evidence::delete_by_id(self.ws()?, id, evidence)?;
                self.notice = Some(format!(
                    "Đã xóa minh chứng {} — {}.",
                    d.record.code, d.record.file_name
                ));
            }
            Command::OpenEvidence(evidence) => {
                self.open_evidence(evidence)?;
                return Ok(Then::Done);
            }
            _ => return Ok(Then::Done),
        }
        Ok(Then::Refresh)
    }

    fn open_evidence(&mut self, evidence: EvidenceId) -> AppResult<()> {
        let id = self.current_id()?;
        let ws = self.ws()?;
        let record = ws
            .evidence(id)?
            .into_iter()
            .find(|e| e.id == evidence)
            .ok_or_else(|| AppError::invalid("Không tìm thấy tệp minh chứng."))?;
        // Opened from a copy named by hash and extension, never by the name it came
        // with (a received «C:evil.bat» is not run).
        let name = crate::domain::file_name::temp_name(&record.sha256, &record.file_name)
            .ok_or_else(|| {
                AppError::new(
                    format!(
                        "Không mở trực tiếp tệp «{}»: loại tệp này không phải văn bản hay ảnh.",
                        record.file_name
                    ),
                    "Chỉ mở được tệp PDF, ảnh, văn bản và bảng tính.",
                )
            })?;
        let bytes = ws.evidence_bytes(evidence)?;
        let dir = std::env::temp_dir().join("ho-so-ntm");
        std::fs::create_dir_all(&dir).map_err(|e| {
            AppError::new("Không tạo được tệp tạm để mở.", "")
                .with_details([crate::app::io_words(&e)])
        })?;
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| {
            AppError::new("Không ghi được tệp tạm để mở.", "")
                .with_details([crate::app::io_words(&e)])
        })?;
        open_with_system(
            &path,
            &format!("Tệp đã được lưu tạm tại {}.", path.display()),
        )
    }
}

/// Opens a file with the system's default viewer (evidence, the built dossier).
pub(super) fn open_with_system(path: &std::path::Path, hint: &str) -> AppResult<()> {
    // Through the shell API on Windows (ShellExecuteW): no command interpreter reads the name.
    crate::app::shell::open_with_system_viewer(path).map_err(|detail| {
        AppError::new("Không mở được tệp bằng chương trình xem mặc định.", hint)
            .with_details([detail])
    })
}
