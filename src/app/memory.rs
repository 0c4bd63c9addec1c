//! What the desktop app remembers between sessions: the last workspace, the commune and
//! assessment selected in it, and the last folder of each kind of save dialog. Kept in
//! a small JSON file in the user's configuration folder, written atomically (a temporary
//! file renamed over the old one). A damaged file is ignored with a note; it never
//! blocks the start.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The remembered settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Memory {
    /// The workspace open last.
    pub workspace: Option<PathBuf>,
    /// The unit selected in it.
    pub unit: Option<i64>,
    /// The assessment selected in it.
    pub assessment: Option<i64>,
    /// The last folder chosen, by purpose of the dialog («ho-so-pdf», «goi-ho-so», …).
    pub folders: BTreeMap<String, PathBuf>,
}

/// The settings file in the user's configuration folder.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "NTM", "ho-so-ntm")
        .map(|d| d.config_dir().join("ghi-nho.json"))
}

/// Reads the settings at `path`. A missing file gives the defaults; a damaged one gives
/// the defaults and a note for the user (never an error).
pub fn load(path: &Path) -> (Memory, Option<String>) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Memory::default(), None),
        Err(e) => {
            return (
                Memory::default(),
                Some(format!(
                    "Không đọc được tệp ghi nhớ ({}): chương trình bắt đầu như lần đầu.",
                    super::io_words(&e)
                )),
            );
        }
    };
    match serde_json::from_slice::<Memory>(&bytes) {
        Ok(mut m) => {
            m.workspace = m.workspace.map(super::shell::plain_path);
            (m, None)
        }
        Err(_) => (
            Memory::default(),
            Some(
                "Tệp ghi nhớ lần làm việc trước bị hỏng nên được bỏ qua: chương trình bắt đầu như lần đầu."
                    .into(),
            ),
        ),
    }
}

/// Writes the settings to `path` atomically; failing to remember is not worth
/// interrupting the user for, so the error is only returned for tests.
pub fn save(path: &Path, memory: &Memory) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(memory).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("dang-ghi");
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Changes the settings file at the default place (nothing when there is none).
pub fn update(change: impl FnOnce(&mut Memory)) {
    if let Some(path) = default_path() {
        update_at(&path, change);
    }
}

/// Changes the settings file at `path`.
fn update_at(path: &Path, change: impl FnOnce(&mut Memory)) {
    let (mut memory, _) = load(path);
    let before = memory.clone();
    change(&mut memory);
    if memory != before {
        let _ = save(path, &memory);
    }
}

/// The workspace the window starts on: the one named on the command line, else the one
/// of the last session while its file still exists, else none (the caller takes the
/// default path).
pub fn workspace_to_open(named: Option<PathBuf>, memory: &Memory) -> Option<PathBuf> {
    named.or_else(|| memory.workspace.clone().filter(|p| p.is_file()))
}

/// The last folder of a save dialog's purpose, if it still exists.
pub fn folder(purpose: &str) -> Option<PathBuf> {
    folder_at(&default_path()?, purpose)
}

/// [`folder`] from the settings file at `path`.
pub fn folder_at(path: &Path, purpose: &str) -> Option<PathBuf> {
    let (memory, _) = load(path);
    memory.folders.get(purpose).filter(|d| d.is_dir()).cloned()
}

/// Remembers the folder of a file just chosen in a save dialog.
pub fn remember_folder(purpose: &str, chosen: &Path) {
    if let Some(path) = default_path() {
        remember_folder_at(&path, purpose, chosen);
    }
}

/// [`remember_folder`] in the settings file at `path`.
pub fn remember_folder_at(path: &Path, purpose: &str, chosen: &Path) {
    if let Some(dir) = chosen.parent().filter(|d| !d.as_os_str().is_empty()) {
        let dir = dir.to_path_buf();
        update_at(path, |m| {
            m.folders.insert(purpose.to_string(), dir);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_damaged_settings_file_blocks_start() {
        let dir = std::env::temp_dir().join(format!("ntm-ghi-nho-{}", std::process::id()));
        let path = dir.join("ghi-nho.json");
        let _ = std::fs::remove_dir_all(&dir);
        // Missing: defaults, no note.
        assert_eq!(load(&path), (Memory::default(), None));
        let memory = Memory {
            workspace: Some(PathBuf::from("/du-lieu/ho-so.sqlite")),
            unit: Some(3),
            assessment: Some(7),
            folders: [("ho-so-pdf".to_string(), PathBuf::from("/tai-lieu"))].into(),
        };
        save(&path, &memory).unwrap();
        assert_eq!(load(&path), (memory, None));
        assert!(!path.with_extension("dang-ghi").exists());
        // Damaged (cut short): ignored with a note in the clerk's words.
        std::fs::write(&path, b"{\"workspace\": \"/du-lieu/ho-so.sq").unwrap();
        let (m, note) = load(&path);
        assert_eq!(m, Memory::default());
        let note = note.unwrap();
        assert!(note.contains("bị hỏng nên được bỏ qua"), "{note}");
        assert!(!note.contains("JSON") && !note.contains("EOF"), "{note}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Issue 14 «the app forgets the last workspace»: without `--db` the window starts on the
    /// workspace of the last session, while its file exists; `--db` wins.
    #[test]
    fn the_window_starts_on_the_last_workspace_while_it_exists() {
        let dir = std::env::temp_dir().join(format!("ntm-lan-truoc-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let last = dir.join("xa-dong-hoa.sqlite");
        std::fs::write(&last, b"").unwrap();
        let settings = dir.join("ghi-nho.json");
        save(
            &settings,
            &Memory {
                workspace: Some(last.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        let (memory, _) = load(&settings);
        assert_eq!(workspace_to_open(None, &memory), Some(last.clone()));
        let named = dir.join("khac.sqlite");
        assert_eq!(workspace_to_open(Some(named.clone()), &memory), Some(named));
        std::fs::remove_file(&last).unwrap();
        assert_eq!(workspace_to_open(None, &memory), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Save dialogs forgot the last folder: the folder of the file chosen is kept per
    /// purpose and offered next time, while it exists.
    #[test]
    fn r_save_dialogs_forget_the_last_folder() {
        let dir = std::env::temp_dir().join(format!("ntm-thu-muc-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let settings = dir.join("cau-hinh").join("ghi-nho.json");
        let reports = dir.join("bao-cao");
        std::fs::create_dir_all(&reports).unwrap();
        assert_eq!(folder_at(&settings, "tong-hop"), None);
        remember_folder_at(&settings, "tong-hop", &reports.join("tong-hop-tinh.xlsx"));
        assert_eq!(folder_at(&settings, "tong-hop"), Some(reports.clone()));
        // Each purpose keeps its own folder; the others are untouched.
        assert_eq!(folder_at(&settings, "ho-so-pdf"), None);
        remember_folder_at(&settings, "ho-so-pdf", &dir.join("ho-so.pdf"));
        assert_eq!(folder_at(&settings, "ho-so-pdf"), Some(dir.clone()));
        assert_eq!(folder_at(&settings, "tong-hop"), Some(reports.clone()));
        // A folder since removed is not offered.
        std::fs::remove_dir_all(&reports).unwrap();
        assert_eq!(folder_at(&settings, "tong-hop"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
