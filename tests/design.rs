//! The screens draw with the design system's colours (issue 9): no file of `src/ui`
//! outside `src/ui/design/` builds or names a `Color32` itself (`Color32::from_rgb`,
//! `Color32::RED`, `Color32::from_gray`…). A screen that wants a colour names a token of
//! `ui::design::colors`, so one change there recolours every screen alike.
//!
//! The scan reads the text of each file (comments included: a literal shown in a doc
//! example would be copied). The checker's own test runs it on small samples, so a rule
//! that stopped biting would fail here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests and benchmarks fail loudly by design"
)]

use std::path::{Path, PathBuf};

/// The folder of the design system, the one place allowed to write colours.
const DESIGN_DIR: &str = "src/ui/design/";

/// The lines of `text` that build or name a colour (`Color32::…`), as `line: text`.
fn colour_literals(text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains("Color32::"))
        .map(|(i, line)| format!("{}: {}", i + 1, line.trim()))
        .collect()
}

/// Every `.rs` file under `dir`, as paths relative to `root` with `/` separators.
fn rust_files(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ui is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .expect("under the package")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}

/// The colour literals of the files given as (relative path, text), outside the design
/// folder, as `path:line: text`.
fn violations(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(path, _)| !path.starts_with(DESIGN_DIR))
        .flat_map(|(path, text)| {
            colour_literals(text)
                .into_iter()
                .map(move |hit| format!("{path}:{hit}"))
        })
        .collect()
}

#[test]
fn screens_take_their_colours_from_the_design_system() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    rust_files(&root.join("src/ui"), root, &mut found);
    let files: Vec<(String, String)> = found
        .into_iter()
        .map(|(rel, path)| (rel, std::fs::read_to_string(path).expect("source is text")))
        .collect();
    // The scan must have seen the screens and the design system itself.
    assert!(files.len() > 20, "only {} files under src/ui", files.len());
    assert!(
        files
            .iter()
            .any(|(p, t)| p.starts_with(DESIGN_DIR) && !colour_literals(t).is_empty()),
        "the design system holds the colours"
    );
    let bad = violations(&files);
    assert!(
        bad.is_empty(),
        "colours written outside src/ui/design (add a token to src/ui/design/colors.rs):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_colour_check_refuses_a_literal_outside_the_design_system() {
    let sample = |path: &str, text: &str| vec![(path.to_string(), text.to_string())];
    let rgb = "fn f() -> egui::Color32 { egui::Color32::from_rgb(1, 2, 3) }";
    assert_eq!(violations(&sample("src/ui/dashboard.rs", rgb)).len(), 1);
    let named =
        "use egui::Color32;\nfn f(ui: &mut egui::Ui) { ui.colored_label(Color32::RED, \"x\"); }";
    assert_eq!(
        violations(&sample("src/ui/walk/card.rs", named)),
        vec![
            "src/ui/walk/card.rs:2: fn f(ui: &mut egui::Ui) { ui.colored_label(Color32::RED, \"x\"); }"
        ]
    );
    assert!(violations(&sample("src/ui/design/colors.rs", rgb)).is_empty());
    let token = "fn f(ui: &mut egui::Ui) { ui.colored_label(design::ERROR_TEXT, \"x\"); }";
    assert!(violations(&sample("src/ui/review.rs", token)).is_empty());
}
