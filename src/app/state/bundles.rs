//! The window's commands about bundles and review: each delegates to its use case in `app`.

use super::{AppState, Command, Then};
use crate::app::{AppError, AppResult, tasks};
use std::path::PathBuf;

impl AppState {
    /// Performs a command about bundles and review.
    pub(super) fn on_bundles(&mut self, command: Command) -> AppResult<Then> {
        match command {
            Command::ExportBundle(path) => {
                let id = self.current_id()?;
                let ws = self.ws()?;
                crate::app::output::refuse_protected(ws, &path)?;
                let task =
                    tasks::export_bundle(ws.path().to_path_buf(), ws.user().to_string(), id, path);
                self.tasks.push(task);
                return Ok(Then::Done);
            }
            Command::ImportBundles(files) => {
                let ws = self
                    .workspace
                    .as_ref()
                    .ok_or_else(|| AppError::invalid("Chưa mở tệp dữ liệu nào."))?;
                // A sender (commune, or office of an edition pack) not enrolled waits for
                // the user to confirm its fingerprint.
                let files = self.senders.sort_out(ws, files);
                return self
                    .try_apply(Command::ImportBundlesTrusted(
                        files,
                        crate::app::keys::Trust::none(),
                    ))
                    .map(|()| Then::Done);
            }
            Command::ConfirmSender(typed) => {
                let (files, trust) = self.senders.confirm(&typed)?;
                return self
                    .try_apply(Command::ImportBundlesTrusted(files, trust))
                    .map(|()| Then::Done);
            }
            Command::RejectSender => {
                if let Some(s) = self.senders.reject() {
                    self.notice = Some(format!("Đã không nhận gói {}.", s.file.display()));
                }
                return Ok(Then::Done);
            }
            Command::ImportBundlesTrusted(files, trust) => {
                // Edition packs share the `.ntm` ending: they are imported as editions.
                let (packs, files): (Vec<PathBuf>, Vec<PathBuf>) = files
                    .into_iter()
                    .partition(|p| crate::app::edition_pack::is_edition_pack_file(p));
                if let Some(notice) =
                    crate::app::edition_pack::import_dropped(self.ws()?, &packs, &trust)?
                {
                    self.notice = Some(notice);
                    self.reread()?;
                }
                if files.is_empty() {
                    return Ok(Then::Done);
                }
                let ws = self.ws()?;
                let task = tasks::import_bundles(
                    ws.path().to_path_buf(),
                    ws.user().to_string(),
                    files,
                    trust,
                );
                self.tasks.push(task);
                return Ok(Then::Done);
            }
            Command::ReviewCriterion(number, verdict) => {
                let id = self.current_id()?;
                let v = verdict.as_ref().map(|(v, c)| (v.as_str(), c.as_str()));
                crate::app::review::rate_criterion(self.ws()?, id, number, v)?;
            }
            Command::AddRequest(code, text) => {
                let id = self.current_id()?;
                crate::app::review::add_request(self.ws()?, id, &code, &text)?;
            }
            Command::RemoveRequest(index) => {
                let id = self.current_id()?;
                crate::app::review::remove_request(self.ws()?, id, index)?;
            }
            Command::Decide(vote, decision, reviewer) => {
                let id = self.current_id()?;
                crate::app::review::decide(self.ws()?, id, &vote, &decision, &reviewer)?;
            }
            Command::ExportReview(path) => {
                let id = self.current_id()?;
                let fingerprint = crate::app::review::export(self.ws()?, id, &path)?;
                self.notice = Some(format!(
                    "Đã ghi gói nhận xét vào {} (dấu vân tay khóa ký {fingerprint}).",
                    path.display()
                ));
                return Ok(Then::Done);
            }
            _ => return Ok(Then::Done),
        }
        Ok(Then::Refresh)
    }
}
