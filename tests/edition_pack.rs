//! One file to every commune: a province's edition as a signed pack, exported by the
//! office and imported by a commune on another workspace (same edition); unconfirmed,
//! forged, tampered and older packs are refused with nothing changed.
//! The edition's indicators are test data (tests/fixtures/paste).
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
use ntm_dossier::app::{catalog, edition_pack, keys};
use ntm_dossier::domain::vn_text::CivilDate;
use ntm_dossier::store::Workspace;
use std::path::{Path, PathBuf};

fn today() -> CivilDate {
    CivilDate::new(2026, 3, 2).unwrap()
}

/// The office: a province copy from the word fixture, issued once, exported.
fn office(dir: &Path) -> (Workspace, PathBuf, String) {
    let mut ws = open(&dir.join("so.sqlite"));
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/paste/word-nhom.txt"),
    )
    .unwrap();
    catalog::paste_save(
        &mut ws,
        "qd51-2025-xa",
        "qd51-2025-xa-thu",
        "Bộ tiêu chí tỉnh Thử",
        &text,
    )
    .unwrap();
    let e = catalog::revise(
        &mut ws,
        "qd51-2025-xa-thu",
        "Sở Nông nghiệp và Môi trường tỉnh Thử",
        None,
        today(),
    )
    .unwrap();
    let r = e.revision.unwrap();
    assert_eq!((r.number, r.date.as_str()), (1, "2026-03-02"));
    let pack = dir.join("bo-tieu-chi.ntm");
    edition_pack::export(&mut ws, "qd51-2025-xa-thu", &pack).unwrap();
    let fp = keys::own_fingerprint(&mut ws).unwrap();
    (ws, pack, fp)
}

#[test]
fn an_edition_pack_exported_by_the_office_imports_on_a_commune_as_the_same_edition() {
    let dir = tempdir();
    let (office_ws, pack, fp) = office(dir.path());
    let mut commune = open(&dir.path().join("xa.sqlite"));
    let before = commune.editions().unwrap();

    // Unknown office key: refused until the fingerprint on the stamped paper is typed.
    let err = edition_pack::import(&mut commune, &pack, &Trust::none()).unwrap_err();
    assert!(err.to_string().contains("chưa được xác nhận"), "{err}");
    assert!(err.to_string().contains(&fp), "{err}");
    assert_eq!(commune.editions().unwrap(), before);
    let err = edition_pack::import(
        &mut commune,
        &pack,
        &Trust::fingerprint("AAAA-BBBB-CCCC-DDDD"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("không khớp"), "{err}");
    assert_eq!(commune.editions().unwrap(), before);

    let (received, changed) =
        edition_pack::import(&mut commune, &pack, &Trust::fingerprint(fp.to_lowercase())).unwrap();
    assert!(changed);
    let (_, sent) = catalog::load(&office_ws, "qd51-2025-xa-thu").unwrap();
    let (record, stored) = catalog::load(&commune, "qd51-2025-xa-thu").unwrap();
    assert_eq!(stored, sent);
    assert_eq!(received, sent);
    assert!(!record.builtin);
    assert_eq!(
        record.content_sha256,
        office_ws
            .edition("qd51-2025-xa-thu")
            .unwrap()
            .unwrap()
            .content_sha256
    );
    // The office is enrolled: the next pack needs no fingerprint.
    let (_, again) = edition_pack::import(&mut commune, &pack, &Trust::none()).unwrap();
    assert!(!again);
}

#[test]
fn a_tampered_an_older_or_a_builtin_pack_is_refused_and_nothing_changes() {
    let dir = tempdir();
    let (mut office_ws, pack, fp) = office(dir.path());
    let mut commune = open(&dir.path().join("xa.sqlite"));
    // Tampered: a threshold lowered after signing.
    let text = std::fs::read_to_string(&pack).unwrap();
    assert!(text.contains("value = 90"), "{text}");
    let forged = dir.path().join("sua.ntm");
    std::fs::write(&forged, text.replacen("value = 90", "value = 50", 1)).unwrap();
    let before = commune.editions().unwrap();
    let err =
        edition_pack::import(&mut commune, &forged, &Trust::fingerprint(fp.clone())).unwrap_err();
    assert!(err.to_string().contains("chữ ký không khớp"), "{err}");
    assert_eq!(commune.editions().unwrap(), before);
    assert!(
        keys::enrolled(&commune).unwrap().is_empty(),
        "a refused pack enrols nothing"
    );
    // Not a pack at all.
    let junk = dir.path().join("rac.ntm");
    std::fs::write(&junk, b"PK\x03\x04 not json").unwrap();
    let err =
        edition_pack::import(&mut commune, &junk, &Trust::fingerprint(fp.clone())).unwrap_err();
    assert!(
        err.to_string().contains("không phải gói bộ tiêu chí"),
        "{err}"
    );

    // Revision 2 arrives first; revision 1 afterwards cannot replace it.
    let old_pack = dir.path().join("lan-1.ntm");
    std::fs::copy(&pack, &old_pack).unwrap();
    catalog::revise(
        &mut office_ws,
        "qd51-2025-xa-thu",
        "Sở Nông nghiệp và Môi trường tỉnh Thử",
        Some("01/04/2026"),
        today(),
    )
    .unwrap();
    let new_pack = dir.path().join("lan-2.ntm");
    edition_pack::export(&mut office_ws, "qd51-2025-xa-thu", &new_pack).unwrap();
    edition_pack::import(&mut commune, &new_pack, &Trust::fingerprint(fp.clone())).unwrap();
    let held = commune.editions().unwrap();
    let err = edition_pack::import(&mut commune, &old_pack, &Trust::none()).unwrap_err();
    assert!(err.to_string().contains("mới hơn lần 1"), "{err}");
    assert_eq!(commune.editions().unwrap(), held);

    // Built-in editions and copies not issued yet are not sent.
    let err = edition_pack::export(&mut office_ws, "qd51-2025-xa", &dir.path().join("x.ntm"))
        .unwrap_err();
    assert!(err.summary.contains("bản có sẵn"), "{err}");
    catalog::copy_as(&mut office_ws, "qd318-2022-xa", "qd318-2022-xa-thu", "").unwrap();
    let err = edition_pack::export(
        &mut office_ws,
        "qd318-2022-xa-thu",
        &dir.path().join("y.ntm"),
    )
    .unwrap_err();
    assert!(err.summary.contains("chưa được ban hành"), "{err}");
}

#[test]
fn the_screens_export_button_writes_a_pack_for_a_ntm_file() {
    use ntm_dossier::app::state::{AppState, Command};
    let dir = tempdir();
    let (office_ws, _, fp) = office(dir.path());
    drop(office_ws);
    let mut state = AppState::open(&dir.path().join("so.sqlite"), false);
    let pack = dir.path().join("tu-man-hinh.ntm");
    state.apply(Command::ExportEdition(
        "qd51-2025-xa-thu".into(),
        pack.clone(),
    ));
    assert!(state.error.is_none(), "{:?}", state.error);
    drop(state);
    let mut commune = open(&dir.path().join("xa.sqlite"));
    let (e, changed) = edition_pack::import(&mut commune, &pack, &Trust::fingerprint(fp)).unwrap();
    assert!(changed);
    assert_eq!(
        e.revision.unwrap().office,
        "Sở Nông nghiệp và Môi trường tỉnh Thử"
    );
}

#[test]
fn the_screen_imports_a_newer_pack_from_an_enrolled_office() {
    use ntm_dossier::app::state::{AppState, Command};
    let dir = tempdir();
    let (mut office_ws, first, fp) = office(dir.path());
    let mut commune = open(&dir.path().join("xa.sqlite"));
    edition_pack::import(&mut commune, &first, &Trust::fingerprint(fp)).unwrap();
    drop(commune);
    catalog::revise(
        &mut office_ws,
        "qd51-2025-xa-thu",
        "Sở Nông nghiệp và Môi trường tỉnh Thử",
        None,
        today(),
    )
    .unwrap();
    let second = dir.path().join("lan-2.ntm");
    edition_pack::export(&mut office_ws, "qd51-2025-xa-thu", &second).unwrap();
    let mut state = AppState::open(&dir.path().join("xa.sqlite"), false);
    state.apply(Command::ImportEdition(second));
    assert!(state.error.is_none(), "{:?}", state.error);
    drop(state);
    let ws = open(&dir.path().join("xa.sqlite"));
    let (_, e) = catalog::load(&ws, "qd51-2025-xa-thu").unwrap();
    assert_eq!(e.revision.unwrap().number, 2);
}

#[test]
fn a_pack_dropped_on_the_window_is_imported_as_an_edition_not_as_a_bundle() {
    let dir = tempdir();
    let (mut office_ws, first, fp) = office(dir.path());
    let path = dir.path().join("xa.sqlite");
    let mut commune = open(&path);
    edition_pack::import(&mut commune, &first, &Trust::fingerprint(fp)).unwrap();
    drop(commune);
    catalog::revise(
        &mut office_ws,
        "qd51-2025-xa-thu",
        "Sở Nông nghiệp và Môi trường tỉnh Thử",
        None,
        today(),
    )
    .unwrap();
    let second = dir.path().join("lan-2.ntm");
    edition_pack::export(&mut office_ws, "qd51-2025-xa-thu", &second).unwrap();
    let mut h = ui_harness(&path);
    h.run();
    drop_file(&mut h, &second);
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    assert_eq!(
        h.state().state.notice.as_deref(),
        Some("Đã nhận bộ tiêu chí qd51-2025-xa-thu từ cơ quan (7 chỉ tiêu).")
    );
    drop(h);
    let ws = open(&path);
    let (_, e) = catalog::load(&ws, "qd51-2025-xa-thu").unwrap();
    assert_eq!(e.revision.unwrap().number, 2);
}

#[test]
fn a_pack_dropped_from_an_office_not_enrolled_asks_for_its_fingerprint_then_imports() {
    use egui_kittest::kittest::Queryable;
    let dir = tempdir();
    let (_office_ws, pack, fp) = office(dir.path());
    let path = dir.path().join("xa.sqlite");
    let before = open(&path).editions().unwrap();
    let mut h = ui_harness(&path);
    h.run();
    drop_file(&mut h, &pack);
    h.run();
    // The same modal as a bundle's: the office and its fingerprint; nothing imported.
    h.get_by_label("Xác nhận khóa ký của bên gửi");
    h.get_by_label_contains("Bên gửi: Sở Nông nghiệp và Môi trường tỉnh Thử");
    h.get_by_label_contains("bộ tiêu chí qd51-2025-xa-thu, lần ban hành 1");
    h.get_by_label_contains(&fp);
    assert!(
        !h.state()
            .state
            .editions
            .iter()
            .any(|e| e.code == "qd51-2025-xa-thu"),
        "nothing imported before the fingerprint is confirmed"
    );
    // A wrong fingerprint moves nothing.
    h.get_by_label("Dấu vân tay trên tờ trình").focus();
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình")
        .type_text("AAAA-BBBB-CCCC-DDDD");
    h.run();
    h.get_by_label("Xác nhận và nhận gói").click();
    h.run();
    assert!(
        h.state().state.error.is_some(),
        "a wrong fingerprint is refused"
    );
    assert_eq!(h.state().state.editions.len(), before.len());
    h.state_mut().state.error = None;
    h.get_by_label("Dấu vân tay trên tờ trình").focus();
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình")
        .type_text(&fp.to_lowercase().replace('-', " "));
    h.run();
    h.get_by_label("Xác nhận và nhận gói").click();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    assert_eq!(
        h.state().state.notice.as_deref(),
        Some("Đã nhận bộ tiêu chí qd51-2025-xa-thu từ cơ quan (7 chỉ tiêu).")
    );
    assert!(
        h.state().state.senders.first().is_none(),
        "the modal closed"
    );
    drop(h);
    let ws = open(&path);
    let (_, e) = catalog::load(&ws, "qd51-2025-xa-thu").unwrap();
    assert_eq!(e.revision.unwrap().number, 1);
    assert_eq!(
        keys::enrolled(&ws).unwrap().len(),
        1,
        "the office is enrolled"
    );
}

/// A workspace with the province `province` (official code `code`) and one commune.
fn with_commune(
    path: &Path,
    province: &str,
    code: &str,
) -> (Workspace, ntm_dossier::domain::ids::UnitId) {
    use ntm_dossier::app::units::{self, UnitForm};
    let mut ws = open(path);
    let p = units::add(
        &mut ws,
        &UnitForm {
            official_code: code.into(),
            ..form(province, "tinh", None)
        },
    )
    .unwrap();
    let c = units::add(&mut ws, &form("Xã Đông Hòa", "xa", Some(p))).unwrap();
    (ws, c)
}

#[test]
fn a_province_copy_is_offered_only_to_the_communes_of_the_province_that_issued_it() {
    use ntm_dossier::app::assessment;
    use ntm_dossier::app::state::AppState;
    let dir = tempdir();
    // The office's workspace holds its province: the pack names it, signed.
    let (mut office_ws, _, fp) = office(dir.path());
    ntm_dossier::app::units::add(
        &mut office_ws,
        &ntm_dossier::app::units::UnitForm {
            official_code: "42".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let pack = dir.path().join("co-tinh.ntm");
    edition_pack::export(&mut office_ws, "qd51-2025-xa-thu", &pack).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&pack).unwrap()).unwrap();
    assert_eq!(json["province_code"], "42");
    assert_eq!(json["province_name"], "Tỉnh Thử");

    // Naming another province after signing breaks the signature.
    let mut moved = json.clone();
    moved["province_code"] = "01".into();
    let forged = dir.path().join("doi-tinh.ntm");
    std::fs::write(&forged, serde_json::to_vec(&moved).unwrap()).unwrap();
    let (mut other, other_commune) =
        with_commune(&dir.path().join("khac.sqlite"), "Tỉnh Khác", "01");
    let before = other.editions().unwrap();
    let err =
        edition_pack::import(&mut other, &forged, &Trust::fingerprint(fp.clone())).unwrap_err();
    assert!(err.to_string().contains("chữ ký không khớp"), "{err}");
    assert_eq!(other.editions().unwrap(), before);

    // A commune of that province may start an assessment on it.
    let (mut own, own_commune) = with_commune(&dir.path().join("xa.sqlite"), "Tỉnh Thử", "42");
    edition_pack::import(&mut own, &pack, &Trust::fingerprint(fp.clone())).unwrap();
    assessment::create(&mut own, own_commune, "qd51-2025-xa-thu", "ntm", 2026).unwrap();

    // A commune of another province receives the pack but is not offered the edition.
    edition_pack::import(&mut other, &pack, &Trust::fingerprint(fp)).unwrap();
    let err = assessment::create(&mut other, other_commune, "qd51-2025-xa-thu", "ntm", 2026)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("là bản của Tỉnh Thử (mã 42), chỉ dùng cho các xã thuộc tỉnh đó"),
        "{err}"
    );
    assert!(err.contains("«Xã Đông Hòa» thuộc Tỉnh Khác"), "{err}");
    // National editions stay offered to every commune.
    assessment::create(&mut other, other_commune, "qd51-2025-xa", "ntm", 2026).unwrap();
    drop(other);
    drop(own);

    // The new-assessment form lists it for the province's commune only.
    for (file, listed) in [("xa.sqlite", true), ("khac.sqlite", false)] {
        let state = AppState::open(&dir.path().join(file), false);
        let commune = state
            .units
            .iter()
            .find(|u| u.name == "Xã Đông Hòa")
            .unwrap();
        let offered = state.editions_for_unit(commune);
        assert_eq!(
            offered.iter().any(|(c, _)| c == "qd51-2025-xa-thu"),
            listed,
            "{file}: {offered:?}"
        );
        assert!(offered.iter().any(|(c, _)| c == "qd51-2025-xa"), "{file}");
    }

    // The command line says why.
    let db = dir.path().join("khac.sqlite");
    let unit = other_commune.to_string();
    let out = fails(
        &db,
        &[
            "assessment",
            "new",
            "--unit",
            &unit,
            "--edition",
            "qd51-2025-xa-thu",
            "--year",
            "2027",
        ],
    );
    assert!(out.contains("chỉ dùng cho các xã thuộc tỉnh đó"), "{out}");
}
