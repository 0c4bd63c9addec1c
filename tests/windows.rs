//! What the Windows release relies on, checked on every platform: a double-clicked bundle
//! (`ntm-dossier.exe "%1"`) opens the window and offers the import; a received file that is
//! not a document or a picture is never handed to the system. The Windows build itself is exercised under
//! Wine by scripts/windows-smoke.sh.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use egui_kittest::kittest::Queryable;
use ntm_dossier::app::keys::Trust;
use ntm_dossier::app::state::{AppState, Command};
use ntm_dossier::app::{bundle, enrolment, evidence};
use ntm_dossier::store::Workspace;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

/// Counts that must not move when nothing is imported.
fn fingerprint(ws: &Workspace) -> (usize, usize, usize) {
    (
        ws.units().unwrap().len(),
        ws.assessments().unwrap().len(),
        ws.audit_log(100_000).unwrap().len(),
    )
}

/// A commune's bundle with a Vietnamese file name, evidence named `evidence_name`.
fn commune_bundle(dir: &Path, evidence_name: &str) -> PathBuf {
    let mut ws = open(&dir.join("Xã Đông Hòa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let file = dir.join(evidence_name);
    std::fs::write(&file, b"%PDF-1.4 bien ban hop thon").unwrap();
    evidence::add_files(&mut ws, a, &["1.1".into()], &[file.as_path()]).unwrap();
    let out = dir.join("Gói xã Đông Hòa.ntm");
    bundle::export(&mut ws, a, &out).unwrap();
    out
}

#[test]
fn r_double_clicked_bundle_was_an_unknown_command() {
    // What Explorer runs for a double-click on a bundle: the program and the file, nothing else.
    let double_click = args(&[
        "ntm-dossier.exe",
        r"C:\Users\Thư\Tải về\Gói xã Đông Hòa.NTM",
    ]);
    assert_eq!(
        ntm_dossier::cli::bundle_argument(&double_click),
        Some(PathBuf::from(r"C:\Users\Thư\Tải về\Gói xã Đông Hòa.NTM"))
    );
    // The command parser alone refused it as an unknown command.
    assert!(ntm_dossier::cli::parse(double_click).is_err());
    for other in [
        &["ntm-dossier.exe"][..],
        &["ntm-dossier.exe", "status", "1"],
        &["ntm-dossier.exe", "Gói 1.ntm", "Gói 2.ntm"],
        &["ntm-dossier.exe", "Biên bản họp thôn Đông.pdf"],
        &["ntm-dossier.exe", "--db=a.ntm"],
        &["ntm-dossier.exe", "bundle", "import", "Gói.ntm"],
    ] {
        assert_eq!(
            ntm_dossier::cli::bundle_argument(&args(other)),
            None,
            "{other:?}"
        );
    }
}

#[test]
fn r_double_clicked_bundle_opened_the_window_without_offering_the_import() {
    let dir = tempdir();
    let file = commune_bundle(dir.path(), "Biên bản họp thôn Đông.pdf");
    let path = dir.path().join("Phòng Nông nghiệp huyện.sqlite");
    let mut h = ui_harness(&path);
    h.state_mut().offer_bundle(file.clone());
    h.run();
    h.get_by_label("Nhập gói hồ sơ?");
    h.get_by_label_contains("«Gói xã Đông Hòa.ntm»");
    h.get_by_label("Nhập gói").click();
    h.run();
    // A first bundle from this commune: its key is confirmed by the fingerprint on the
    // stamped tờ trình before anything is imported.
    assert!(h.query_by_label("Nhập gói hồ sơ?").is_none());
    h.get_by_label("Xác nhận khóa ký của bên gửi");
    let printed = enrolment::signer_fingerprint(&file).unwrap();
    type_into(&mut h, "Dấu vân tay trên tờ trình", &printed);
    h.get_by_label("Xác nhận và nhận gói").click();
    h.run();
    h.state_mut().state.wait_for_tasks();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    assert!(h.query_by_label("Nhập gói hồ sơ?").is_none());
    h.get_by_label_contains("Đã nhận 1 gói mới");
    drop(h);
    let ws = open(&path);
    let imported = ws.assessments().unwrap();
    assert_eq!(imported.len(), 1);
    let names: Vec<String> = ws
        .evidence(imported[0].id)
        .unwrap()
        .into_iter()
        .map(|e| e.file_name)
        .collect();
    assert_eq!(names, ["Biên bản họp thôn Đông.pdf"]);
}

#[test]
fn r_double_clicked_bundle_declined_leaves_the_workspace_unchanged() {
    let dir = tempdir();
    let file = commune_bundle(dir.path(), "Biên bản họp thôn Đông.pdf");
    let path = dir.path().join("Phòng Nông nghiệp huyện.sqlite");
    let before = fingerprint(&open(&path));
    let mut h = ui_harness(&path);
    h.state_mut().offer_bundle(file);
    h.run();
    h.get_by_label("Bỏ qua").click();
    h.run();
    h.state_mut().state.wait_for_tasks();
    h.run();
    assert!(h.query_by_label("Nhập gói hồ sơ?").is_none());
    assert!(h.state().state.tasks.is_empty());
    drop(h);
    assert_eq!(fingerprint(&open(&path)), before);
}

#[test]
fn r_evidence_from_a_bundle_named_exe_was_opened_by_the_shell() {
    // A hostile bundle carries «Biên bản.pdf.exe»: the office opening it must get a refusal,
    // never a program started, and the workspace stays as it was.
    let dir = tempdir();
    let file = commune_bundle(dir.path(), "Biên bản.pdf.exe");
    let path = dir.path().join("Phòng Nông nghiệp huyện.sqlite");
    let mut ws = open(&path);
    let printed = Trust::fingerprint(enrolment::signer_fingerprint(&file).unwrap());
    bundle::import(&mut ws, &file, &printed).unwrap();
    let a = ws.assessments().unwrap()[0].id;
    let evidence = ws.evidence(a).unwrap()[0].id;
    let before = fingerprint(&ws);
    drop(ws);
    let mut state = AppState::open(&path, false);
    state.apply(Command::SelectAssessment(a));
    state.apply(Command::OpenEvidence(evidence));
    let error = state.error.take().expect("refused");
    assert!(
        error.to_string().contains("không phải văn bản hay ảnh"),
        "{error}"
    );
    drop(state);
    assert_eq!(fingerprint(&open(&path)), before);
}
