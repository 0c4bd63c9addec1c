//! No command can destroy a workspace: every writer (bundle, packet, roll-up, catalogue,
//! review) refuses a destination that is the open workspace, its `-wal`/`-shm`, or one of
//! its backups, however it is spelled, and leaves no partial `*.dang-ghi` behind. Run
//! through the real binary, as a script would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// Runs a command that must be refused, and returns its Vietnamese message.
fn refused(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{args:?} should be refused: {err}");
    assert!(err.starts_with("Lỗi: Không ghi ra "), "{err}");
    assert!(err.contains("Không có gì bị ghi"), "{err}");
    err
}

struct Setup {
    dir: tempfile::TempDir,
    db: PathBuf,
    province: String,
    assessment: String,
}

fn setup() -> Setup {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let province = ok(
        &db,
        &[
            "unit",
            "add",
            "--name",
            "Tỉnh Thử",
            "--kind",
            "tinh",
            "--region",
            "dbsh",
        ],
    )
    .trim()
    .to_string();
    let commune = ok(
        &db,
        &[
            "unit",
            "add",
            "--name",
            "Xã Đông Hòa",
            "--kind",
            "xa",
            "--parent",
            &province,
            "--group",
            "2",
        ],
    )
    .trim()
    .to_string();
    ok(
        &db,
        &["catalog", "import", fixture_path().to_str().unwrap()],
    );
    let assessment = ok(
        &db,
        &[
            "assessment",
            "new",
            "--unit",
            &commune,
            "--edition",
            "thu-nghiem-xa",
            "--year",
            "2025",
        ],
    )
    .trim()
    .to_string();
    let proof = dir.path().join("bien-ban.txt");
    std::fs::write(&proof, "biên bản").unwrap();
    ok(
        &db,
        &[
            "evidence",
            "add",
            &assessment,
            "--indicator",
            "1.1",
            proof.to_str().unwrap(),
        ],
    );
    Setup {
        dir,
        db,
        province,
        assessment,
    }
}

/// What must not change: the workspace's bytes, its status and its integrity.
struct Before {
    hash: String,
    status: String,
}

fn before(s: &Setup) -> Before {
    Before {
        status: ok(&s.db, &["status", &s.assessment, "--json"]),
        hash: file_hash(&s.db),
    }
}

fn partials(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(partials(&path));
        } else if path.to_string_lossy().ends_with(".dang-ghi") {
            found.push(path);
        }
    }
    found
}

fn assert_unchanged(s: &Setup, b: &Before) {
    assert_eq!(file_hash(&s.db), b.hash, "the workspace file changed");
    assert_same_data(s, b);
}

/// The same data, whole and sound (the screens record a daily snapshot, so the bytes
/// of the file may differ).
fn assert_same_data(s: &Setup, b: &Before) {
    assert_eq!(ok(&s.db, &["status", &s.assessment, "--json"]), b.status);
    assert!(ok(&s.db, &["check"]).contains("nguyên vẹn"));
    assert_eq!(partials(s.dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn r_bundle_export_out_overwrites_workspace() {
    let s = setup();
    let b = before(&s);
    let err = refused(
        &s.db,
        &[
            "bundle",
            "export",
            &s.assessment,
            "--out",
            s.db.to_str().unwrap(),
        ],
    );
    assert!(err.contains("tệp dữ liệu đang mở"), "{err}");
    assert_unchanged(&s, &b);
    // Not even a round was recorded: the next export is still round 1.
    let out = s.dir.path().join("xa.ntm");
    let text = ok(
        &s.db,
        &[
            "bundle",
            "export",
            &s.assessment,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(text.contains("lần gửi 1 "), "{text}");
}

#[test]
fn r_dossier_build_out_overwrites_workspace() {
    let s = setup();
    let b = before(&s);
    refused(
        &s.db,
        &["dossier", "build", &s.assessment, s.db.to_str().unwrap()],
    );
    assert_unchanged(&s, &b);
}

#[test]
fn r_rollup_xlsx_out_overwrites_workspace() {
    let s = setup();
    let b = before(&s);
    refused(
        &s.db,
        &["rollup", &s.province, "--xlsx", s.db.to_str().unwrap()],
    );
    assert_unchanged(&s, &b);
}

#[test]
fn r_rollup_pdf_out_overwrites_workspace_through_a_hard_link() {
    let s = setup();
    let b = before(&s);
    let link = s.dir.path().join("bao-cao.pdf");
    std::fs::hard_link(&s.db, &link).unwrap();
    let err = refused(
        &s.db,
        &["rollup", &s.province, "--pdf", link.to_str().unwrap()],
    );
    assert!(err.contains("tệp dữ liệu đang mở"), "{err}");
    assert_unchanged(&s, &b);
}

#[test]
fn r_rollup_checks_both_outputs_before_writing_either() {
    let s = setup();
    let b = before(&s);
    let xlsx = s.dir.path().join("tong-hop.xlsx");
    refused(
        &s.db,
        &[
            "rollup",
            &s.province,
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--pdf",
            s.db.to_str().unwrap(),
        ],
    );
    assert!(
        !xlsx.exists(),
        "nothing is written when one output is refused"
    );
    assert_unchanged(&s, &b);
}

#[cfg(unix)]
#[test]
fn r_catalog_export_out_overwrites_workspace_through_a_symlink() {
    let s = setup();
    let b = before(&s);
    let link = s.dir.path().join("bo-tieu-chi.toml");
    std::os::unix::fs::symlink(&s.db, &link).unwrap();
    refused(
        &s.db,
        &["catalog", "export", "thu-nghiem-xa", link.to_str().unwrap()],
    );
    assert_unchanged(&s, &b);
}

#[test]
fn r_review_export_out_overwrites_workspace() {
    let s = setup();
    let bundle = s.dir.path().join("xa.ntm");
    let exported = ok(
        &s.db,
        &[
            "bundle",
            "export",
            &s.assessment,
            "--out",
            bundle.to_str().unwrap(),
        ],
    );
    let office = s.dir.path().join("van-phong.sqlite");
    let trust = printed_fingerprint(&exported);
    ok(
        &office,
        &[
            "bundle",
            "import",
            bundle.to_str().unwrap(),
            "--trust",
            &trust,
        ],
    );
    let office_status = ok(&office, &["status", "1", "--json"]);
    let office_hash = file_hash(&office);
    refused(
        &office,
        &["review", "export", "1", "--out", office.to_str().unwrap()],
    );
    assert_eq!(file_hash(&office), office_hash);
    assert_eq!(ok(&office, &["status", "1", "--json"]), office_status);
    assert_eq!(partials(s.dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_dotted_spelling_of_the_workspace_is_refused() {
    let s = setup();
    let b = before(&s);
    std::fs::create_dir(s.dir.path().join("x")).unwrap();
    let spelled = s
        .dir
        .path()
        .join("x")
        .join("..")
        .join(".")
        .join("ws.sqlite");
    refused(
        &s.db,
        &[
            "bundle",
            "export",
            &s.assessment,
            "--out",
            spelled.to_str().unwrap(),
        ],
    );
    assert_unchanged(&s, &b);
}

#[test]
fn the_wal_and_shm_names_are_refused_even_when_absent() {
    let s = setup();
    let b = before(&s);
    for suffix in ["-wal", "-shm"] {
        let name = s.dir.path().join(format!("ws.sqlite{suffix}"));
        let err = refused(
            &s.db,
            &["dossier", "build", &s.assessment, name.to_str().unwrap()],
        );
        assert!(err.contains("tệp nhật ký"), "{err}");
        assert!(!name.exists(), "{} was written", name.display());
    }
    assert_unchanged(&s, &b);
}

#[test]
fn a_backup_of_the_workspace_is_refused() {
    let s = setup();
    let backups: Vec<PathBuf> = std::fs::read_dir(s.dir.path().join("ws.sqlite.sao-luu"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "sqlite"))
        .collect();
    let backup = backups.first().expect("opening took a backup").clone();
    let backup_hash = file_hash(&backup);
    let b = before(&s);
    let err = refused(
        &s.db,
        &[
            "bundle",
            "export",
            &s.assessment,
            "--out",
            backup.to_str().unwrap(),
        ],
    );
    assert!(err.contains("bản sao lưu"), "{err}");
    assert_eq!(file_hash(&backup), backup_hash);
    assert_unchanged(&s, &b);
}

#[test]
fn a_new_file_inside_the_backup_folder_is_refused() {
    let s = setup();
    let folder = s.dir.path().join("ws.sqlite.sao-luu");
    let b = before(&s);
    for out in [
        folder.join("goi-moi.ntm"),
        folder.join("minh-chung").join("x.ntm"),
    ] {
        let err = refused(
            &s.db,
            &[
                "bundle",
                "export",
                &s.assessment,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(err.contains("bản sao lưu"), "{err}");
        assert!(!out.exists());
    }
    assert_unchanged(&s, &b);
}

#[test]
fn a_partial_file_left_by_a_stopped_run_is_replaced_and_removed() {
    let s = setup();
    let out = s.dir.path().join("ho-so.pdf");
    let stale = s.dir.path().join("ho-so.pdf.dang-ghi");
    std::fs::write(&stale, "nửa tệp của lần trước").unwrap();
    ok(
        &s.db,
        &["dossier", "build", &s.assessment, out.to_str().unwrap()],
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert!(!stale.exists());
}

#[test]
fn a_failed_write_leaves_no_partial_file() {
    let s = setup();
    // A folder where the file should go: the rename fails after the bytes were written.
    let out = s.dir.path().join("tong-hop.xlsx");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("giu-lai.txt"), "x").unwrap();
    let res = run(
        &s.db,
        &["rollup", &s.province, "--xlsx", out.to_str().unwrap()],
    );
    assert!(!res.status.success());
    assert!(String::from_utf8_lossy(&res.stderr).starts_with("Lỗi: "));
    assert!(out.join("giu-lai.txt").exists());
    assert_eq!(partials(s.dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn r_screen_save_dialogs_overwrite_workspace() {
    use ntm_dossier::app::state::{AppState, Command};
    use ntm_dossier::domain::ids::{AssessmentId, UnitId};
    let s = setup();
    // The first opening makes the previews (a write); wait for it before taking stock.
    let mut state = AppState::open(&s.db, false);
    state.wait_for_tasks();
    drop(state);
    let b = before(&s);
    let mut state = AppState::open(&s.db, false);
    assert!(state.error.is_none(), "{:?}", state.error);
    assert!(state.tasks.is_empty());
    let wal = s.dir.path().join("ws.sqlite-wal");
    let province = UnitId(s.province.parse().unwrap());
    state.apply(Command::SelectUnit(province));
    assert!(state.rollup.is_some());
    for command in [
        Command::ExportRollupXlsx(s.db.clone()),
        Command::ExportRollupPdf(wal.clone()),
        Command::ExportEdition("thu-nghiem-xa".into(), wal.clone()),
    ] {
        state.apply(command);
        let err = state.error.take().expect("refused");
        assert!(err.summary.starts_with("Không ghi ra "), "{err}");
    }
    state.apply(Command::SelectAssessment(AssessmentId(
        s.assessment.parse().unwrap(),
    )));
    for command in [
        Command::ExportBundle(s.db.clone()),
        Command::BuildDossier {
            path: wal.clone(),
            final_packet: false,
        },
    ] {
        state.apply(command);
        let err = state.error.take().expect("refused before a task starts");
        assert!(err.summary.starts_with("Không ghi ra "), "{err}");
        assert!(state.tasks.is_empty());
    }
    drop(state);
    assert_same_data(&s, &b);
    assert!(ok(&s.db, &["evidence", "list", &s.assessment]).contains("bien-ban.txt"));
}

#[test]
fn a_stopped_packet_build_leaves_no_file_behind() {
    use ntm_dossier::app::{dossier, tasks};
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);
    drop(ws);
    let out = dir.path().join("ho-so.pdf");
    let mut task = tasks::build_dossier(
        db,
        "thu".into(),
        a,
        dossier::template("xa").unwrap(),
        out.clone(),
        false,
    );
    task.cancel();
    let outcome = loop {
        if let Some(o) = task.try_finish() {
            break o;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(
        outcome.summary.starts_with("Đã dừng tạo hồ sơ"),
        "{outcome:?}"
    );
    assert!(!out.exists());
    assert_eq!(partials(dir.path()), Vec::<PathBuf>::new());
}
