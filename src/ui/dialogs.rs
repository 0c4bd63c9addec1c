//! Save dialogs that open in the folder chosen last for the same purpose and remember
//! the folder of the file chosen (`app::memory`), so that a clerk who saves the packet,
//! the roll-up or a bundle in a folder finds that folder again next time. Every save
//! dialog of the window goes through [`save`].

use std::path::PathBuf;

/// Shows `dialog` as a save dialog for `purpose` («ho-so-pdf», «tong-hop»…): in the
/// folder chosen last for that purpose when it still exists; the folder of the file
/// chosen is remembered.
pub fn save(purpose: &str, dialog: rfd::FileDialog) -> Option<PathBuf> {
    let dialog = match crate::app::memory::folder(purpose) {
        Some(dir) => dialog.set_directory(dir),
        None => dialog,
    };
    dialog
        .save_file()
        .inspect(|p| crate::app::memory::remember_folder(purpose, p))
}
