//! Layers point one way: domain (pure) <- store, pdf <- app <- ui <- main. This test
//! reads the sources and fails when a layer reaches for something above it.

use std::path::Path;

fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    out
}

fn forbid(layer: &str, words: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let files = sources(&root);
    assert!(!files.is_empty(), "{layer} has sources");
    for (file, text) in files {
        for word in words {
            assert!(
                !text.contains(word),
                "{file} uses «{word}», which its layer must not"
            );
        }
    }
}

#[test]
fn domain_is_pure() {
    forbid(
        "domain",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "printpdf",
            "std::fs",
            "SystemTime",
            "calamine",
            "rust_xlsxwriter",
            "crate::store",
            "crate::app",
            "crate::ui",
        ],
    );
}

#[test]
fn store_knows_no_screens_or_use_cases() {
    forbid(
        "store",
        &["egui", "eframe", "crate::app", "crate::ui", "crate::cli"],
    );
}

#[test]
fn the_pdf_layer_knows_only_its_packet() {
    forbid(
        "pdf",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "crate::store",
            "crate::app",
            "crate::ui",
            "crate::cli",
        ],
    );
}

#[test]
fn app_knows_no_screens() {
    forbid("app", &["egui", "eframe", "crate::ui", "crate::cli"]);
}

#[test]
fn screens_do_not_touch_sql() {
    forbid("ui", &["rusqlite", "crate::store::Workspace::open"]);
}

#[test]
fn main_is_thin() {
    let main =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs")).unwrap();
    assert!(main.lines().count() < 40);
}
