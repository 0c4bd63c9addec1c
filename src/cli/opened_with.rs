//! What a double-click on a bundle passes to the program (`ntm-dossier.exe "%1"`): a lone
//! `.ntm` path, recognised before the command parser sees it.

use std::path::PathBuf;

/// The bundle the program was started with, when its only argument is the path of a `.ntm`
/// file — what Windows passes on a double-click on a bundle (`ntm-dossier.exe "%1"`). The
/// window then opens and offers to import it. Anything else is left to the command parser.
pub fn bundle_argument(args: &[std::ffi::OsString]) -> Option<PathBuf> {
    let [_program, path] = args else {
        return None;
    };
    let path = PathBuf::from(path);
    let is_bundle = path
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("ntm"));
    (is_bundle && !path.as_os_str().to_string_lossy().starts_with('-')).then_some(path)
}
