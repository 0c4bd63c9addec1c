//! Hostile and damaged input (issue 15): files given with `--db`, arguments, crafted
//! spreadsheets and PDFs, evidence too large or added in part. Each refusal leaves the
//! workspace as it was and says so in Vietnamese.

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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names and bytes of every file in a folder, recursively: what "unchanged" means.
fn folder_state(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
                out.push((p, Vec::new()));
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// No English library text, no panic.
fn assert_vietnamese_refusal(err: &str) {
    assert!(err.starts_with("Lỗi: "), "{err}");
    for english in [
        "panicked",
        "os error",
        "error:",
        "unrecognized",
        "invalid",
        "constraint",
        "Usage:",
    ] {
        let plain = err
            .lines()
            .filter(|l| !l.contains(ntm_dossier::app::TECHNICAL_DETAIL))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!plain.contains(english), "«{english}» in: {err}");
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn r_zero_byte_db_silently_became_an_empty_workspace() {
    let dir = tempdir();
    let db = dir.path().join("ho-so.sqlite");
    std::fs::write(&db, b"").unwrap();
    let before = folder_state(dir.path());
    let o = run(&db, &["unit", "list"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(err.contains("hỏng") && err.contains("0 byte"), "{err}");
    assert_eq!(folder_state(dir.path()), before);
}

#[test]
fn r_db_in_missing_folder_was_created() {
    let dir = tempdir();
    let db = dir.path().join("thu-muc-go-nham").join("ho-so.sqlite");
    let o = run(&db, &["unit", "list"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(err.contains("không tồn tại"), "{err}");
    assert!(!db.parent().unwrap().exists());
    assert!(folder_state(dir.path()).is_empty());
}

#[test]
fn r_new_workspace_created_without_a_word() {
    let dir = tempdir();
    let db = dir.path().join("ho-so-moi.sqlite");
    let o = run(&db, &["unit", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = stderr(&o).lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first,
        format!("Đã tạo tệp dữ liệu mới: {}", db.display())
    );
    // Opening it again says nothing of the kind.
    let o = run(&db, &["unit", "list"]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("Đã tạo"), "{}", stderr(&o));
}

#[test]
fn r_read_only_workspace_file_reported_as_damaged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let db = dir.path().join("ho-so.sqlite");
    drop(open(&db));
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = folder_state(dir.path());
    let o = run(&db, &["unit", "list"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(
        err.contains("chỉ cho phép đọc") && !err.contains("hỏng"),
        "{err}"
    );
    assert_eq!(folder_state(dir.path()), before);
}

#[test]
fn r_read_only_folder_reported_as_damaged() {
    use std::os::unix::fs::PermissionsExt;
    if is_root() {
        eprintln!("bỏ qua: chạy với quyền root, quyền chỉ đọc của thư mục không có tác dụng");
        return;
    }
    let dir = tempdir();
    let ro = dir.path().join("chi-doc");
    std::fs::create_dir(&ro).unwrap();
    let db = ro.join("ho-so.sqlite");
    drop(open(&db));
    let before = folder_state(&ro);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = run(&db, &["unit", "list"]);
    let new = run(&ro.join("moi.sqlite"), &["unit", "list"]);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    for o in [o, new] {
        assert!(!o.status.success());
        let err = stderr(&o);
        assert_vietnamese_refusal(&err);
        assert!(
            err.contains("chỉ cho phép đọc") && !err.contains("hỏng"),
            "{err}"
        );
    }
    assert_eq!(folder_state(&ro), before);
}

#[test]
fn r_former_of_999_imports_then_refuses() {
    let cdir = tempdir();
    let mut commune = open(&cdir.path().join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut commune);
    let bundle = cdir.path().join("xa.ntm");
    ntm_dossier::app::bundle::export(&mut commune, a, &bundle).unwrap();
    let odir = tempdir();
    let office = odir.path().join("tinh.sqlite");
    let seq_before = {
        let ws = open(&office);
        (ws.change_seq().unwrap(), ws.audit_log(1000).unwrap().len())
    };
    let o = run(
        &office,
        &["bundle", "import", "--former-of", "999", bundle.to_str().unwrap()],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(
        err.contains("999") && err.contains("Không có gói nào được nhập"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "{}", String::from_utf8_lossy(&o.stdout));
    let ws = open(&office);
    assert!(ws.assessments().unwrap().is_empty());
    assert!(ws.units().unwrap().is_empty());
    assert_eq!(
        (ws.change_seq().unwrap(), ws.audit_log(1000).unwrap().len()),
        seq_before
    );
}

#[test]
fn r_help_and_usage_errors_in_english() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    for args in [
        &["bundle", "import", "--help"][..],
        &["evidence", "add", "--help"],
        &["evidence", "--help"],
        &["--help"],
    ] {
        let o = run(&db, args);
        assert!(o.status.success());
        let help = String::from_utf8_lossy(&o.stdout);
        for english in ["Arguments:", "Options:", "[OPTIONS]", "Usage:", "Commands:", "<COMMAND>"] {
            assert!(!help.contains(english), "{args:?}: «{english}» in\n{help}");
        }
        assert!(help.contains("Cách dùng"), "{help}");
    }
    for args in [
        &["stats"][..],
        &["status", "abc"],
        &["status", "--jsn", "1"],
        &["evidence", "add", "1", "x"],
    ] {
        let o = run(&db, args);
        assert_eq!(o.status.code(), Some(2));
        assert_vietnamese_refusal(&stderr(&o));
    }
    assert!(!db.exists(), "a command line not understood creates nothing");
}
