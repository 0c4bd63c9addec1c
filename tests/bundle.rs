//! Bundles between a commune and its compiling office, as both would use them: real
//! workspace files on disk, the bundle written to a "USB stick" folder, imported at the
//! office, then every kind of damage refused with nothing changed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::keys::Trust;
use ntm_dossier::app::{AppResult, assessment, bundle, enrolment, evidence};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::Workspace;
use std::path::{Path, PathBuf};

struct Commune {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    ws: Workspace,
    a: AssessmentId,
}

fn commune() -> Commune {
    let dir = tempdir();
    let root = dir.path().to_path_buf();
    let mut ws = open(&root.join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    assessment::save_value(
        &mut ws,
        a,
        "1.1",
        &assessment::ValueForm {
            numerator: "90".into(),
            denominator: "100".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let photo = root.join("ảnh đường.jpg");
    std::fs::write(
        &photo,
        (0..5000u32)
            .map(|i| (i * 7 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let pdf = root.join("biên bản.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 bien ban nghiem thu").unwrap();
    evidence::add_files(
        &mut ws,
        a,
        &["1.1".into()],
        &[photo.as_path(), pdf.as_path()],
    )
    .unwrap();
    Commune {
        _dir: dir,
        dir: root,
        ws,
        a,
    }
}

fn office(dir: &Path) -> Workspace {
    open(&dir.join("tinh.sqlite"))
}

/// Counts that must not move when a bundle is refused.
fn fingerprint(ws: &Workspace) -> (usize, usize, usize, usize) {
    (
        ws.units().unwrap().len(),
        ws.assessments().unwrap().len(),
        ws.audit_log(100_000).unwrap().len(),
        ws.assessments()
            .unwrap()
            .iter()
            .map(|a| ws.evidence(a.id).unwrap().len())
            .sum(),
    )
}

/// The fingerprint of the key that signed a bundle, as the office reads it off the
/// commune's stamped tờ trình.
fn signer_of(f: &Path) -> Trust {
    Trust::fingerprint(enrolment::signer_fingerprint(f).unwrap())
}

/// Imports a bundle whose sender the user confirmed (first bundle of its commune).
fn import(o: &mut Workspace, f: &Path) -> AppResult<bundle::ImportedBundle> {
    bundle::import(o, f, &signer_of(f))
}

/// Receives a file of either kind whose sender the user confirmed.
fn receive(ws: &mut Workspace, f: &Path) -> AppResult<bundle::Received> {
    bundle::receive(ws, f, &signer_of(f))
}

/// Rewrites a bundle's manifest and recomputes the whole-file hash, as a forger would;
/// signed again with `ws`'s key when given (the commune itself forging), else the old
/// signature is kept.
fn forge(
    ws: Option<&Workspace>,
    src: &Path,
    dst: &Path,
    edit: impl FnOnce(&mut serde_json::Value),
) {
    forge_bundle(src, dst, ws.map(signing_key_of).as_ref(), edit);
}

#[test]
fn a_round_travels_byte_exact_and_a_second_import_changes_nothing() {
    let mut c = commune();
    let usb = c.dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let file = usb.join("xa-dong-hoa.ntm");
    let e = bundle::export(&mut c.ws, c.a, &file).unwrap();
    assert_eq!(e.round, 1);
    assert_eq!(e.files, 2);
    assert_eq!(std::fs::metadata(&file).unwrap().len(), e.size);

    let odir = tempdir();
    let mut o = office(odir.path());
    let i = import(&mut o, &file).unwrap();
    assert!(i.is_new);
    assert_eq!(i.unit_name, "Xã Đông Hòa");
    let theirs =
        ntm_dossier::app::assessment::load(&o, i.assessment, ntm_dossier::app::today()).unwrap();
    let ours = ntm_dossier::app::assessment::load(&c.ws, c.a, ntm_dossier::app::today()).unwrap();
    assert_eq!(theirs.status.indicators_met, ours.status.indicators_met);
    assert_eq!(theirs.values.get("1.1").unwrap().numerator, Some(90.0));
    let sent = c.ws.evidence(c.a).unwrap();
    let got = o.evidence(i.assessment).unwrap();
    assert_eq!(got.len(), sent.len());
    for (s, g) in sent.iter().zip(&got) {
        assert_eq!(
            (&s.code, &s.file_name, &s.indicators),
            (&g.code, &g.file_name, &g.indicators)
        );
        assert_eq!(
            c.ws.evidence_bytes(s.id).unwrap(),
            o.evidence_bytes(g.id).unwrap()
        );
    }
    // Province → commune tree recreated at the office.
    let units = o.units().unwrap();
    assert_eq!(units.len(), 2);

    let before = fingerprint(&o);
    let again = import(&mut o, &file).unwrap();
    assert!(!again.is_new);
    assert_eq!(again.assessment, i.assessment);
    assert_eq!(fingerprint(&o), before);
}

#[test]
fn a_newer_round_replaces_the_older_which_stays_as_history() {
    let mut c = commune();
    let r1 = c.dir.join("lan-1.ntm");
    bundle::export(&mut c.ws, c.a, &r1).unwrap();
    assessment::save_value(
        &mut c.ws,
        c.a,
        "1.1",
        &assessment::ValueForm {
            numerator: "70".into(),
            denominator: "100".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let extra = c.dir.join("quyết định.pdf");
    std::fs::write(&extra, b"%PDF-1.4 quyet dinh").unwrap();
    evidence::add_files(&mut c.ws, c.a, &["1.2".into()], &[extra.as_path()]).unwrap();
    let r2 = c.dir.join("lan-2.ntm");
    assert_eq!(bundle::export(&mut c.ws, c.a, &r2).unwrap().round, 2);

    let odir = tempdir();
    let mut o = office(odir.path());
    // Rounds may arrive out of order: the newer one is still the one in force.
    let second = import(&mut o, &r2).unwrap();
    let first = import(&mut o, &r1).unwrap();
    assert_eq!(second.round, 2);
    assert_ne!(first.assessment, second.assessment);
    let unit = o.require_assessment(second.assessment).unwrap().unit;
    assert_eq!(
        o.require_assessment(first.assessment).unwrap().unit,
        unit,
        "same commune"
    );
    assert_eq!(
        o.latest_assessment(unit).unwrap().unwrap().id,
        second.assessment
    );
    assert!(
        o.require_assessment(first.assessment).is_ok(),
        "round 1 kept"
    );
    let changes = bundle::changes_since_previous_round(&o, second.assessment).unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.contains("Chỉ tiêu 1.1") && c.contains("từ Đạt thành Chưa đạt")),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c.contains("Thêm minh chứng") && c.contains("quyết định.pdf")),
        "{changes:?}"
    );
}

#[test]
fn every_kind_of_damaged_bundle_is_refused_and_changes_nothing() {
    let mut c = commune();
    let good = c.dir.join("goc.ntm");
    bundle::export(&mut c.ws, c.a, &good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let odir = tempdir();
    let mut o = office(odir.path());
    let before = fingerprint(&o);
    let bad = odir.path().join("hong.ntm");
    let trust = signer_of(&good);
    let check = |label: &str, expect: &str, o: &mut Workspace| {
        let err = bundle::import(o, &bad, &trust).unwrap_err().to_string();
        assert!(
            err.contains("bị từ chối") && err.contains(expect),
            "{label}: {err}"
        );
        assert_eq!(
            fingerprint(o),
            before,
            "{label}: the office workspace changed"
        );
    };
    // A flipped byte in the middle (inside a file).
    let mut flipped = bytes.clone();
    let mid = bytes.len() - 100;
    flipped[mid] ^= 0x40;
    std::fs::write(&bad, &flipped).unwrap();
    check("flipped byte", "không khớp", &mut o);
    // Truncated, as a pulled USB stick leaves it.
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    check("truncated", "không khớp", &mut o);
    std::fs::write(&bad, &bytes[..10]).unwrap();
    check("stub", "quá ngắn", &mut o);
    // A manifest whose sizes do not add up.
    forge(Some(&c.ws), &good, &bad, |m| {
        m["entries"][0]["size"] = serde_json::json!(m["entries"][0]["size"].as_u64().unwrap() + 1);
    });
    check("wrong manifest", "không khớp bản kê", &mut o);
    // Path-like and absolute names inside.
    forge(Some(&c.ws), &good, &bad, |m| {
        m["entries"][0]["name"] = serde_json::json!("../../etc/passwd")
    });
    check("path-like name", "không chấp nhận đường dẫn", &mut o);
    forge(Some(&c.ws), &good, &bad, |m| {
        m["entries"][0]["name"] = serde_json::json!("/etc/passwd")
    });
    check("absolute name", "không chấp nhận đường dẫn", &mut o);
    forge(Some(&c.ws), &good, &bad, |m| {
        m["evidence"][0]["file_name"] = serde_json::json!("../../x.pdf")
    });
    check("path-like file name", "không hợp lệ", &mut o);
    // Per-link names: a path, or a name for an indicator the file does not prove.
    forge(Some(&c.ws), &good, &bad, |m| {
        m["evidence"][0]["link_names"] = serde_json::json!({ "1.1": "../../x.pdf" })
    });
    check("path-like link name", "không hợp lệ", &mut o);
    forge(Some(&c.ws), &good, &bad, |m| {
        m["evidence"][0]["link_names"] = serde_json::json!({ "2.1": "bao-cao.pdf" })
    });
    check("name for an unlinked indicator", "mà tệp không gắn", &mut o);
    // An id that points at another commune's assessment.
    forge(Some(&c.ws), &good, &bad, |m| {
        m["evidence"][0]["assessment"] = serde_json::json!(999)
    });
    check("foreign id", "đợt đánh giá khác", &mut o);
    forge(Some(&c.ws), &good, &bad, |m| {
        m["values"][0]["assessment"] = serde_json::json!(998)
    });
    check("foreign value id", "đợt đánh giá khác", &mut o);
    // An oversized entry.
    forge(Some(&c.ws), &good, &bad, |m| {
        m["entries"][0]["size"] = serde_json::json!(bundle::MAX_ENTRY + 1)
    });
    check("oversized", "quá lớn", &mut o);
    // Not a bundle at all.
    std::fs::write(&bad, vec![b'x'; 200]).unwrap();
    check("garbage", "không phải gói hồ sơ", &mut o);
    // And the good one still imports afterwards.
    assert!(import(&mut o, &good).unwrap().is_new);
}

#[test]
fn the_command_line_exports_and_imports_many() {
    let mut c = commune();
    let file = c.dir.join("xa.ntm");
    drop(std::mem::replace(
        &mut c.ws,
        open(&c.dir.join("khac.sqlite")),
    ));
    let bin = env!("CARGO_BIN_EXE_ntm-dossier");
    let ex = std::process::Command::new(bin)
        .arg("--db")
        .arg(c.dir.join("xa.sqlite"))
        .args(["bundle", "export", &c.a.to_string(), "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        ex.status.success(),
        "{}",
        String::from_utf8_lossy(&ex.stderr)
    );
    assert!(String::from_utf8_lossy(&ex.stdout).contains("lần gửi 1"));
    let junk = c.dir.join("hong.ntm");
    std::fs::write(
        &junk,
        b"not a bundle at all, just text that is long enough to be read",
    )
    .unwrap();
    let office = c.dir.join("tinh.sqlite");
    let im = std::process::Command::new(bin)
        .arg("--db")
        .arg(&office)
        .args(["bundle", "import", "--trust", &fingerprint_in(&ex.stdout)])
        .arg(&file)
        .arg(&junk)
        .output()
        .unwrap();
    assert_eq!(im.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&im.stdout).contains("đã nhập lần gửi 1 của Xã Đông Hòa"));
    assert!(String::from_utf8_lossy(&im.stderr).contains("1/2 gói bị từ chối"));
}

/// The fingerprint `bundle export` printed beside the file it wrote.
fn fingerprint_in(stdout: &[u8]) -> String {
    String::from_utf8_lossy(stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Dấu vân tay khóa ký: "))
        .expect("export prints the fingerprint")
        .trim()
        .to_string()
}

#[test]
fn bundles_dropped_on_the_office_window_are_imported_and_shown() {
    use egui_kittest::kittest::Queryable;
    let mut c = commune();
    let file = c.dir.join("xa.ntm");
    bundle::export(&mut c.ws, c.a, &file).unwrap();
    let odir = tempdir();
    let path = odir.path().join("tinh.sqlite");
    let mut h = ui_harness(&path);
    h.run();
    drop_file(&mut h, &file);
    h.run();
    // First bundle of this commune: the screen shows the commune and the fingerprint,
    // and imports nothing until the user types the one printed on the stamped paper.
    let seen = enrolment::signer_fingerprint(&file).unwrap();
    h.get_by_label("Xác nhận khóa ký của bên gửi");
    h.get_by_label_contains("Bên gửi: Xã Đông Hòa");
    h.get_by_label_contains(&seen);
    assert!(h.state().state.tasks.is_empty(), "nothing imported yet");
    h.get_by_label("Dấu vân tay trên tờ trình").focus();
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình")
        .type_text(&seen.to_lowercase().replace('-', " "));
    h.run();
    h.get_by_label("Xác nhận và nhận gói").click();
    h.run();
    h.state_mut().state.wait_for_tasks();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label_contains("Đã nhận 1 gói mới");
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label_contains("Hồ sơ nhận từ gói, lần gửi 1");
}

#[test]
fn a_review_goes_back_and_shows_its_requests_on_the_right_indicators() {
    use egui_kittest::kittest::Queryable;
    use ntm_dossier::app::review;
    let mut c = commune();
    let sent = c.dir.join("xa.ntm");
    bundle::export(&mut c.ws, c.a, &sent).unwrap();
    let odir = tempdir();
    let mut o = office(odir.path());
    let got = import(&mut o, &sent).unwrap().assessment;
    review::rate_criterion(
        &mut o,
        got,
        1,
        Some(("co_ban_dat", "Thiếu biên bản nghiệm thu")),
    )
    .unwrap();
    review::add_request(&mut o, got, "1.2", "Bổ sung ảnh nhà văn hóa").unwrap();
    assert!(review::add_request(&mut o, got, "9.9", "x").is_err());
    assert!(review::decide(&mut o, got, "21/20", "", "").is_err());
    review::decide(
        &mut o,
        got,
        "18/20",
        "Đề nghị bổ sung",
        "Văn phòng Điều phối NTM tỉnh",
    )
    .unwrap();
    // Reviewing something not received is refused.
    assert!(review::rate_criterion(&mut c.ws, c.a, 1, Some(("dat", ""))).is_err());
    let back = odir.path().join("nhan-xet.ntm");
    review::export(&mut o, got, &back).unwrap();

    // Another commune's workspace refuses it and stays unchanged.
    let other_dir = tempdir();
    let mut other = open(&other_dir.path().join("khac.sqlite"));
    commune_with_assessment(&mut other);
    let before = fingerprint(&other);
    let err = receive(&mut other, &back).unwrap_err().to_string();
    assert!(err.contains("xã khác"), "{err}");
    assert_eq!(fingerprint(&other), before);

    // The commune receives it once; a second time changes nothing.
    match receive(&mut c.ws, &back).unwrap() {
        bundle::Received::Review(r) => assert!(r.is_new && r.requests == 1 && r.assessment == c.a),
        other => panic!("{other:?}"),
    }
    match receive(&mut c.ws, &back).unwrap() {
        bundle::Received::Review(r) => assert!(!r.is_new),
        other => panic!("{other:?}"),
    }
    let path = c.dir.join("xa.sqlite");
    drop(std::mem::replace(
        &mut c.ws,
        open(&c.dir.join("tam.sqlite")),
    ));
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label_contains("Nhận xét của cấp trên (Văn phòng Điều phối NTM tỉnh): 1 yêu cầu");
    h.get_all_by_label("Rà soát tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("Cấp trên yêu cầu bổ sung: Bổ sung ảnh nhà văn hóa");
    h.get_by_label("Thiếu biên bản nghiệm thu");
}

#[test]
fn a_merged_commune_keeps_its_former_communes_rounds_as_history() {
    use egui_kittest::kittest::Queryable;
    let mut c = commune();
    let old = c.dir.join("xa-cu.ntm");
    bundle::export(&mut c.ws, c.a, &old).unwrap();
    // The merged commune's own workspace.
    let mdir = tempdir();
    let path = mdir.path().join("xa-moi.sqlite");
    let merged = {
        let mut m = open(&path);
        let p = ntm_dossier::app::units::add(&mut m, &form("Tỉnh Thử", "tinh", None)).unwrap();
        ntm_dossier::app::units::add(&mut m, &form("Xã Hòa Bình Mới", "xa", Some(p))).unwrap()
    };
    let bin = env!("CARGO_BIN_EXE_ntm-dossier");
    let run = std::process::Command::new(bin)
        .arg("--db")
        .arg(&path)
        .args(["bundle", "import", "--former-of", &merged.to_string()])
        .args(["--trust", &enrolment::signer_fingerprint(&old).unwrap()])
        .arg(&old)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let m = open(&path);
    let units = m.units().unwrap();
    let new_unit = units.iter().find(|u| u.id == merged).unwrap();
    let former = units.iter().find(|u| u.name == "Xã Đông Hòa").unwrap();
    assert_eq!(new_unit.merged_from, vec![former.id]);
    // The roll-up counts the merged commune only; the former one is history.
    let r = ntm_dossier::app::report::rollup(&m, units[0].id, ntm_dossier::app::today()).unwrap();
    assert_eq!(r.communes_total, 1);
    drop(m);
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Hòa Bình Mới").click();
    h.run();
    h.get_by_label_contains("Các xã trước sáp nhập (1)");
    h.get_by_label_contains("Xã Đông Hòa: năm 2025");
}

#[test]
fn the_office_reviews_on_its_screen() {
    use egui_kittest::kittest::Queryable;
    let mut c = commune();
    let file = c.dir.join("xa.ntm");
    bundle::export(&mut c.ws, c.a, &file).unwrap();
    let odir = tempdir();
    let path = odir.path().join("tinh.sqlite");
    let got = import(&mut office(odir.path()), &file).unwrap().assessment;
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label("Thẩm định").click();
    h.run();
    h.get_by_label("Thẩm định hồ sơ");
    h.get_by_label("Biểu quyết").focus();
    h.run();
    h.get_by_label("Biểu quyết").type_text("19/20");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    drop(h);
    assert_eq!(open(&path).review(got).unwrap().vote, "19/20");
}

/// A commune's workspace under «Tỉnh Thử» with one assessment, exported as a bundle.
fn sent_by(dir: &Path, file: &str, name: &str, code: Option<&str>) -> PathBuf {
    use ntm_dossier::app::{catalog, units};
    let mut ws = open(&dir.join(format!("{file}.sqlite")));
    let province = units::add(
        &mut ws,
        &units::UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let commune = units::add(
        &mut ws,
        &units::UnitForm {
            official_code: code.unwrap_or_default().into(),
            ..form(name, "xa", Some(province))
        },
    )
    .unwrap();
    catalog::import(&mut ws, &fixture_path()).unwrap();
    let a = assessment::create(&mut ws, commune, "thu-nghiem-xa", "ntm", 2025).unwrap();
    let out = dir.join(format!("{file}.ntm"));
    bundle::export(&mut ws, a, &out).unwrap();
    out
}

/// The office's unit (name, parent) of each imported bundle.
fn imported_units(
    office: &mut Workspace,
    bundles: &[PathBuf],
) -> Vec<(ntm_dossier::store::UnitRecord, String)> {
    bundles
        .iter()
        .map(|b| {
            // The same commune from another workspace is a re-keyed commune.
            let trust = Trust {
                re_enrol: true,
                ..signer_of(b)
            };
            let got = bundle::import(office, b, &trust).unwrap();
            let unit = office.require_assessment(got.assessment).unwrap().unit;
            let record = office.unit(unit).unwrap().unwrap();
            let parent = office.unit(record.parent.unwrap()).unwrap().unwrap().name;
            (record, parent)
        })
        .collect()
}

#[test]
fn r_bundle_import_merges_communes_differing_in_diacritics() {
    let dir = tempdir();
    let bundles = [
        sent_by(dir.path(), "an-hoa", "Xã An Hòa", None),
        sent_by(dir.path(), "an-hoa-mu", "Xã Ân Hòa", None),
    ];
    let mut office = office(dir.path());
    let got = imported_units(&mut office, &bundles);
    assert_ne!(got[0].0.id, got[1].0.id, "two communes, two units");
    assert_eq!(got[0].0.name, "Xã An Hòa");
    assert_eq!(got[1].0.name, "Xã Ân Hòa");
    // The province, spelled the same, is one unit.
    assert_eq!(got[0].0.parent, got[1].0.parent);
    assert_eq!(got[0].1, "Tỉnh Thử");
    assert_eq!(office.units().unwrap().len(), 3);
}

#[test]
fn a_commune_is_matched_by_official_code_then_by_its_exact_name() {
    let dir = tempdir();
    let decomposed: String =
        unicode_normalization::UnicodeNormalization::nfd("Xã Đông Hòa").collect();
    let bundles = [
        sent_by(dir.path(), "dong-hoa", "Xã Đông Hòa", Some("12345")),
        // Renamed since, same official code: the same commune.
        sent_by(dir.path(), "doi-ten", "Xã Đông Hoà Mới", Some("12345")),
        // The same name typed decomposed (NFD), no code: the same commune.
        sent_by(dir.path(), "nfd", &decomposed, None),
        // The same name under another official code: another commune.
        sent_by(dir.path(), "ma-khac", "Xã Đông Hòa", Some("99999")),
    ];
    let mut office = office(dir.path());
    let got = imported_units(&mut office, &bundles);
    assert_eq!(got[1].0.id, got[0].0.id);
    assert_eq!(got[2].0.id, got[0].0.id);
    assert_ne!(got[3].0.id, got[0].0.id);
    assert_eq!(got[3].0.official_code.as_deref(), Some("99999"));
}

/// Holds the write lock of `db` from another connection for `hold`, writing a row as a
/// concurrent program would; returns once the lock is taken.
fn hold_write_lock(db: &Path, hold: std::time::Duration) -> std::thread::JoinHandle<()> {
    let (tx, rx) = std::sync::mpsc::channel();
    let db = db.to_path_buf();
    let handle = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "BEGIN IMMEDIATE; INSERT OR REPLACE INTO workspace_meta(key, value) VALUES ('khac', 'x');",
        )
        .unwrap();
        tx.send(()).unwrap();
        std::thread::sleep(hold);
        conn.execute_batch("COMMIT").unwrap();
    });
    rx.recv().unwrap();
    handle
}

#[test]
fn r_bundle_import_locked_reports_bad_bundle() {
    let mut c = commune();
    let file = c.dir.join("xa.ntm");
    bundle::export(&mut c.ws, c.a, &file).unwrap();
    // Another program writes for 1,5 s: the import waits for it, then succeeds.
    let odir = tempdir();
    let mut o = office(odir.path());
    let holder = hold_write_lock(o.path(), std::time::Duration::from_millis(1500));
    let i = import(&mut o, &file).expect("waits for the other writer");
    assert!(i.is_new);
    holder.join().unwrap();
    // Held beyond the busy timeout: the message says the file is busy, not that the
    // bundle is bad, and nothing is written.
    let odir2 = tempdir();
    let mut o2 = office(odir2.path());
    let before = fingerprint(&o2);
    let holder = hold_write_lock(o2.path(), std::time::Duration::from_secs(7));
    let err = import(&mut o2, &file).unwrap_err();
    holder.join().unwrap();
    assert!(
        err.summary.contains("đang được chương trình khác ghi"),
        "{err}"
    );
    assert!(
        !err.to_string().contains("gửi lại") && !err.to_string().contains("bị từ chối"),
        "{err}"
    );
    assert_eq!(fingerprint(&o2), before);
    assert!(import(&mut o2, &file).unwrap().is_new);
}

#[test]
fn r_office_can_edit_a_received_submission() {
    use ntm_dossier::app::state::{AppState, Command};
    use ntm_dossier::app::{conditions, dossier};
    let mut c = commune();
    let file = c.dir.join("xa.ntm");
    bundle::export(&mut c.ws, c.a, &file).unwrap();
    let odir = tempdir();
    let path = odir.path().join("tinh.sqlite");
    let got = import(&mut office(odir.path()), &file).unwrap().assessment;
    let mut ws = office(odir.path());
    let before = fingerprint(&ws);
    let values_before = ws.values(got).unwrap();

    // Values, evidence and dossier settings through the use cases the command line shares.
    let e = assessment::save_value(
        &mut ws,
        got,
        "1.1",
        &assessment::ValueForm {
            numerator: "10".into(),
            denominator: "100".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.summary.contains("hồ sơ xã gửi lên"), "{e:?}");
    assert!(e.hint.contains("«Thẩm định»"), "{e:?}");
    let photo = odir.path().join("ảnh.jpg");
    std::fs::write(&photo, b"not really a photo").unwrap();
    assert!(evidence::add_files(&mut ws, got, &["1.1".into()], &[photo.as_path()]).is_err());
    let settings = dossier::SettingsForm {
        signer: "Nguyễn Văn A".into(),
        ..Default::default()
    };
    assert!(dossier::save_settings(&mut ws, got, &settings).is_err());
    drop(ws);

    // Conditions, criterion verdicts, links, postings through the screens' commands.
    let mut state = AppState::default();
    state.apply(Command::OpenWorkspace(path.clone()));
    state.apply(Command::SelectAssessment(got));
    assert!(state.error.is_none(), "{:?}", state.error);
    let evidence_id = state.evidence.first().map(|e| e.id).unwrap();
    let refused = [
        Command::SaveConditions(conditions::ConditionsForm {
            households_surveyed: "100".into(),
            households_satisfied: "99".into(),
            ..Default::default()
        }),
        Command::RateCriterion(
            1,
            Some((ntm_dossier::domain::units::Verdict::Met, "đã đủ".into())),
        ),
        Command::UnlinkEvidence(evidence_id, "1.1".into()),
        Command::DeleteEvidence(evidence_id),
        Command::SaveDossierSettings(settings),
    ];
    for command in refused {
        state.apply(command.clone());
        let e = state
            .error
            .take()
            .unwrap_or_else(|| panic!("{command:?} accepted"));
        assert!(e.summary.contains("giữ nguyên như khi nhận"), "{e:?}");
    }
    drop(state);
    let ws = office(odir.path());
    assert_eq!(fingerprint(&ws), before);
    assert_eq!(ws.values(got).unwrap(), values_before);
    assert_eq!(
        ws.evidence(got).unwrap()[0].indicators,
        vec!["1.1".to_string()]
    );
}

#[test]
fn r_office_can_edit_a_received_submission_on_screen() {
    use egui_kittest::kittest::Queryable;
    let mut c = commune();
    let file = c.dir.join("xa.ntm");
    bundle::export(&mut c.ws, c.a, &file).unwrap();
    let odir = tempdir();
    let path = odir.path().join("tinh.sqlite");
    let got = import(&mut office(odir.path()), &file).unwrap().assessment;
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    h.get_by_label_contains("chỉ để xem, không sửa được");
    let before = office(odir.path()).values(got).unwrap();
    let conditions_before = office(odir.path()).conditions(got).unwrap();
    // Typing into a locked field changes nothing and sends nothing to be refused.
    let try_typing = |h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>, label: &str| {
        h.get_all_by_label(label).next().unwrap().focus();
        h.run();
        h.get_all_by_label(label).next().unwrap().type_text("5");
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
        assert!(
            h.state().state.error.is_none(),
            "{label}: {:?}",
            h.state().state.error
        );
    };
    try_typing(&mut h, "Tử số");
    // Unlinking the commune's proof is not offered either.
    h.get_all_by_label("Bỏ gắn").next().unwrap().click();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label("Điều kiện công nhận").click();
    h.run();
    h.get_by_label_contains("chỉ để xem, không sửa được");
    try_typing(&mut h, "Số hộ hài lòng");
    drop(h);
    let ws = office(odir.path());
    assert_eq!(ws.values(got).unwrap(), before);
    assert_eq!(ws.conditions(got).unwrap(), conditions_before);
}

#[test]
fn r_sending_a_dossier_with_missing_items_does_not_ask() {
    use egui_kittest::kittest::Queryable;
    let mut c = commune();
    let missing = ntm_dossier::app::dossier::send_preflight(&c.ws, c.a).unwrap();
    drop(std::mem::replace(
        &mut c.ws,
        open(&c.dir.join("khac.sqlite")),
    ));
    assert!(missing.missing.len() > 3, "{missing:?}");
    let path = c.dir.join("xa.sqlite");
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label("Hồ sơ in").click();
    h.run();
    h.get_by_label("Gửi hồ sơ…").click();
    h.run();
    // The question comes first: the count and the first items, then a choice.
    let question = format!("Hồ sơ còn thiếu {} mục:", missing.missing.len());
    h.get_by_label_contains(&question);
    // The same preflight the command line prints: count and first items.
    h.get_by_label(&missing.question());
    assert!(
        missing
            .question()
            .contains(missing.missing[0].trim_end_matches('.'))
    );
    h.get_by_label("Vẫn gửi…");
    h.get_by_label("Để sau, bổ sung trước").click();
    h.run();
    assert!(h.query_by_label_contains(&question).is_none());
    assert!(h.state().state.submissions.is_empty());
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
}

#[test]
fn r_bundle_export_warns_of_missing_items_on_the_command_line() {
    let mut c = commune();
    let missing = ntm_dossier::app::dossier::send_preflight(&c.ws, c.a).unwrap();
    drop(std::mem::replace(
        &mut c.ws,
        open(&c.dir.join("khac.sqlite")),
    ));
    let file = c.dir.join("xa.ntm");
    let bin = env!("CARGO_BIN_EXE_ntm-dossier");
    let ex = std::process::Command::new(bin)
        .arg("--db")
        .arg(c.dir.join("xa.sqlite"))
        .args(["bundle", "export", &c.a.to_string(), "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        ex.status.success(),
        "{}",
        String::from_utf8_lossy(&ex.stderr)
    );
    let stdout = String::from_utf8_lossy(&ex.stdout);
    let warning = stdout.lines().next().unwrap_or_default();
    assert!(
        warning.starts_with(&format!(
            "Cảnh báo: Hồ sơ còn thiếu {} mục:",
            missing.missing.len()
        )),
        "{stdout}"
    );
    assert!(
        warning.contains(missing.missing[0].trim_end_matches('.')),
        "{stdout}"
    );
    assert!(stdout.contains("lần gửi 1"), "{stdout}");
    assert!(file.is_file());
}
