//! Evidence as a clerk handles it from the command line: listing in natural code order,
//! deleting a wrongly added file, and files added twice under two names.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run binary")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(err.starts_with("Lỗi: "), "Vietnamese error expected: {err}");
    err
}

struct Setup {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
    assessment: String,
}

fn setup() -> Setup {
    let dir = tempdir();
    let root = dir.path().to_path_buf();
    let db = root.join("ws.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);
    drop(ws);
    Setup {
        _dir: dir,
        dir: root,
        db,
        assessment: a.to_string(),
    }
}

/// Writes a small file with distinct bytes and returns its path.
fn file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("nội dung của {name}")).unwrap();
    path
}

fn codes(listing: &str) -> Vec<String> {
    listing
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn r_evidence_list_sorts_codes_as_text() {
    let s = setup();
    let files: Vec<PathBuf> = (1..=101)
        .map(|i| file(&s.dir, &format!("anh-{i}.txt")))
        .collect();
    let mut args = vec!["evidence", "add", &s.assessment, "--indicator", "3.1"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    ok(&s.db, &args);
    let listed = codes(&ok(&s.db, &["evidence", "list", &s.assessment]));
    let expected: Vec<String> = (1..=101).map(|i| format!("TC03-{i:02}")).collect();
    assert_eq!(listed, expected);
}
