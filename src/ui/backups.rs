//! Restoring from a backup: the entry «Khôi phục từ bản sao lưu…» (start screen and the
//! «Tệp dữ liệu» menu) and the list of backups it shows under the top bar, newest first;
//! each is restored into a new file chosen in a save dialog, which is then opened.

use crate::app::state::{AppState, Command};
use std::path::{Path, PathBuf};

/// The entry that lists backups: of the open workspace, or else of a backup folder
/// (`<tệp>.sao-luu`) the user picks, since the workspace itself may be gone.
pub fn restore_entry(ui: &mut egui::Ui, open: Option<&Path>, commands: &mut Vec<Command>) {
    let clicked = ui
        .button("Khôi phục từ bản sao lưu…")
        .on_hover_text("Tạo một tệp dữ liệu mới từ một bản sao lưu; bản sao lưu không bị thay đổi.")
        .clicked();
    if !clicked {
        return;
    }
    if let Some(path) = open {
        commands.push(Command::ShowBackups(path.to_path_buf()));
        return;
    }
    if let Some(folder) = rfd::FileDialog::new()
        .set_title("Chọn thư mục sao lưu (tên kết thúc bằng .sao-luu)")
        .pick_folder()
    {
        commands.push(workspace_of_backup_folder(&folder));
    }
}

/// `…/ho-so.sqlite.sao-luu` → list the backups of `…/ho-so.sqlite`.
fn workspace_of_backup_folder(folder: &Path) -> Command {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    match name.strip_suffix(".sao-luu").filter(|n| !n.is_empty()) {
        Some(workspace) => Command::ShowBackups(folder.with_file_name(workspace)),
        None => Command::ShowError(format!(
            "Thư mục {} không phải thư mục sao lưu: hãy chọn thư mục có tên kết thúc bằng «.sao-luu» bên cạnh tệp dữ liệu.",
            folder.display()
        )),
    }
}

/// The backups listed, if any: one line each with a button that restores it.
pub fn backups_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some((workspace, backups)) = &state.backups else {
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.strong(format!("Bản sao lưu của {}", workspace.display()));
            if ui.button("Đóng danh sách").clicked() {
                commands.push(Command::CloseBackups);
            }
        });
        if backups.is_empty() {
            ui.label("Chưa có bản sao lưu nào.");
            return;
        }
        ui.label(
            egui::RichText::new(
                "Mới nhất ở trên. Bản khôi phục là một tệp mới; tệp hiện có và bản sao lưu không bị thay đổi.",
            )
            .small(),
        );
        for (i, b) in backups.iter().enumerate() {
            let number = i + 1;
            ui.horizontal(|ui| {
                ui.label(crate::app::backup::describe(number, b));
                if ui
                    .button(format!("Khôi phục bản số {number}…"))
                    .clicked()
                    && let Some(to) = super::dialogs::save(
                        "khoi-phuc",
                        rfd::FileDialog::new()
                            .add_filter("Tệp dữ liệu Hồ sơ NTM", &["sqlite"])
                            .set_file_name(suggested_name(workspace, b.change_seq))
                            .set_title("Khôi phục vào tệp dữ liệu mới"),
                    )
                {
                    commands.push(Command::RestoreBackup {
                        workspace: workspace.clone(),
                        number,
                        to,
                    });
                }
            });
        }
    });
}

/// `ho-so-khoi-phuc-42.sqlite` for backup at change 42 of `ho-so.sqlite`.
fn suggested_name(workspace: &Path, change_seq: i64) -> String {
    let stem = workspace
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "ho-so-ntm".into());
    let name: PathBuf = format!("{stem}-khoi-phuc-{change_seq}.sqlite").into();
    name.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_folder_names_its_workspace() {
        match workspace_of_backup_folder(Path::new("/du-lieu/ho-so.sqlite.sao-luu")) {
            Command::ShowBackups(p) => assert_eq!(p, Path::new("/du-lieu/ho-so.sqlite")),
            _ => panic!("expected the workspace"),
        }
        assert!(matches!(
            workspace_of_backup_folder(Path::new("/du-lieu/khac")),
            Command::ShowError(_)
        ));
        assert_eq!(
            suggested_name(Path::new("/a/ho-so.sqlite"), 42),
            "ho-so-khoi-phuc-42.sqlite"
        );
    }
}
