//! The window speaks the clerk's words (issue 14): no technical or English words in the
//! messages of the app, the store, the screens, the domain or the printed documents,
//! and every save dialog of the window opens in the folder chosen last for its purpose.
//! Both read the sources, outside comments and `#[cfg(test)]` modules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// (file, line number, line) of the code lines (not comments) before any test module.
fn code_lines(folders: &[&str]) -> Vec<(PathBuf, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for f in folders {
        rust_files(&root.join(f), &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (i, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            out.push((file.clone(), i + 1, line.to_string()));
        }
    }
    out
}

#[test]
fn r_technical_words_in_messages() {
    let mut found = Vec::new();
    for (file, n, line) in code_lines(&[
        "src/app",
        "src/store",
        "src/ui",
        "src/domain",
        "src/pdf",
        "src/cli",
    ]) {
        if !line.contains('"') {
            continue;
        }
        for word in ["SHA-256", "mã băm", "os error", "TOML"] {
            if line.contains(word) {
                found.push(format!(
                    "{}:{n}: «{word}» in {}",
                    file.display(),
                    line.trim()
                ));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn r_save_dialogs_forget_the_last_folder_on_screen() {
    let direct: Vec<String> = code_lines(&["src/ui"])
        .into_iter()
        .filter(|(file, _, line)| line.contains(".save_file()") && !file.ends_with("dialogs.rs"))
        .map(|(file, n, line)| format!("{}:{n}: {}", file.display(), line.trim()))
        .collect();
    assert!(
        direct.is_empty(),
        "save dialogs not through ui::dialogs::save (they forget the folder): {direct:#?}"
    );
}
