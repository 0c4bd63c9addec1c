//! The office's province copy rides in its review bundle: a commune whose assessment is
//! on that edition receives the review and the signed edition together, checked as a
//! pack signed by the office it already trusts. Only a newer revision is installed; an
//! older or equal one is said so; a forged pack refuses the whole bundle and changes
//! nothing.
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
use ntm_dossier::app::{bundle, catalog, edition_pack, enrolment, review};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::domain::vn_text::CivilDate;
use ntm_dossier::store::Workspace;
use std::path::Path;

const EDITION: &str = "thu-nghiem-xa";
const OFFICE: &str = "Sở Nông nghiệp và Môi trường tỉnh Thử";

fn today() -> CivilDate {
    CivilDate::new(2026, 3, 2).unwrap()
}

/// Everything a refused bundle must leave alone at the commune.
fn state(ws: &Workspace, a: AssessmentId) -> String {
    format!(
        "{:?}|{:?}|{:?}|{}",
        ws.editions().unwrap(),
        ws.review(a).unwrap(),
        ntm_dossier::app::keys::enrolled(ws).unwrap(),
        ws.audit_log(100_000).unwrap().len()
    )
}

/// Rewrites a review bundle's manifest and signs it again with `ws`'s key (the office's
/// own key: only the pack inside is forged).
fn forge(ws: &Workspace, src: &Path, dst: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    forge_bundle(src, dst, Some(&signing_key_of(ws)), edit);
}

fn revision_at(ws: &Workspace) -> Option<u32> {
    let (_, e) = catalog::load(ws, EDITION).unwrap();
    e.revision.map(|r| r.number)
}

#[test]
fn the_offices_edition_rides_in_its_review_bundle_and_only_a_newer_revision_installs() {
    let dir = tempdir();
    let mut commune = open(&dir.path().join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut commune);
    assert_eq!(revision_at(&commune), None);
    let sent = dir.path().join("xa.ntm");
    bundle::export(&mut commune, a, &sent).unwrap();

    // The office receives the round, issues its copy of the edition, reviews.
    let mut office = open(&dir.path().join("tinh.sqlite"));
    catalog::import(&mut office, &fixture_path()).unwrap();
    let trust = Trust::fingerprint(enrolment::signer_fingerprint(&sent).unwrap());
    let got = bundle::import(&mut office, &sent, &trust)
        .unwrap()
        .assessment;
    catalog::revise(&mut office, EDITION, OFFICE, None, today()).unwrap();
    review::add_request(&mut office, got, "1.2", "Bổ sung ảnh nhà văn hóa").unwrap();
    let first = dir.path().join("nhan-xet-1.ntm");
    review::export(&mut office, got, &first).unwrap();
    assert_eq!(
        bundle_manifest(&first)["edition_pack"]["kind"],
        edition_pack::KIND,
        "the review bundle carries the signed pack"
    );

    // The commune trusts the office's key for the review, and so for the pack.
    let office_trust = Trust::fingerprint(enrolment::signer_fingerprint(&first).unwrap());
    match bundle::receive(&mut commune, &first, &office_trust).unwrap() {
        bundle::Received::Review(r) => {
            assert!(r.is_new && r.requests == 1);
            assert_eq!(
                r.edition.as_deref(),
                Some("đã cập nhật bộ tiêu chí thu-nghiem-xa lên lần ban hành 1")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(revision_at(&commune), Some(1));
    let (_, ours) = catalog::load(&commune, EDITION).unwrap();
    let (_, theirs) = catalog::load(&office, EDITION).unwrap();
    assert_eq!(ours, theirs, "the commune holds the office's edition");
    let audit = commune.audit_log(100_000).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| format!("{e:?}").contains("nhan_tu_co_quan")),
        "installing the edition is audited"
    );

    // The same bundle again: nothing newer, said so.
    match bundle::receive(&mut commune, &first, &Trust::none()).unwrap() {
        bundle::Received::Review(r) => {
            assert!(!r.is_new);
            assert_eq!(
                r.edition.as_deref(),
                Some("bộ tiêu chí thu-nghiem-xa lần ban hành 1 đã có, không thay đổi")
            );
        }
        other => panic!("{other:?}"),
    }

    // Revision 2 arrives, then the older bundle: revision 2 is kept, and said so.
    catalog::revise(&mut office, EDITION, OFFICE, Some("01/04/2026"), today()).unwrap();
    review::add_request(&mut office, got, "1.1", "Bổ sung biên bản").unwrap();
    let second = dir.path().join("nhan-xet-2.ntm");
    review::export(&mut office, got, &second).unwrap();
    // This one through the command line, which says what became of the edition.
    let db = dir.path().join("xa.sqlite");
    drop(commune);
    let out = ok(&db, &["bundle", "import", second.to_str().unwrap()]);
    assert!(
        out.contains(
            "Bộ tiêu chí kèm theo: đã cập nhật bộ tiêu chí thu-nghiem-xa lên lần ban hành 2."
        ),
        "{out}"
    );
    let mut commune = open(&db);
    assert_eq!(revision_at(&commune), Some(2));
    match bundle::receive(&mut commune, &first, &Trust::none()).unwrap() {
        bundle::Received::Review(r) => assert_eq!(
            r.edition.as_deref(),
            Some(
                "bộ tiêu chí thu-nghiem-xa kèm theo là lần ban hành 1, cũ hơn lần 2 đã có; giữ lần 2"
            )
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(revision_at(&commune), Some(2));
}

#[test]
fn the_window_says_what_became_of_the_edition_carried_with_a_review() {
    use ntm_dossier::app::state::{AppState, Command};
    let dir = tempdir();
    let db = dir.path().join("xa.sqlite");
    let mut commune = open(&db);
    let (_, _, a) = commune_with_assessment(&mut commune);
    let sent = dir.path().join("xa.ntm");
    bundle::export(&mut commune, a, &sent).unwrap();
    let mut office = open(&dir.path().join("tinh.sqlite"));
    catalog::import(&mut office, &fixture_path()).unwrap();
    let trust = Trust::fingerprint(enrolment::signer_fingerprint(&sent).unwrap());
    let got = bundle::import(&mut office, &sent, &trust)
        .unwrap()
        .assessment;
    catalog::revise(&mut office, EDITION, OFFICE, None, today()).unwrap();
    let back = dir.path().join("nhan-xet.ntm");
    review::export(&mut office, got, &back).unwrap();
    let office_trust = Trust::fingerprint(enrolment::signer_fingerprint(&back).unwrap());
    drop(commune);
    let mut state = AppState::open(&db, false);
    state.apply(Command::ImportBundlesTrusted(vec![back], office_trust));
    state.wait_for_tasks();
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(
        state.notice.as_deref(),
        Some(
            "Đã nhận 1 gói mới. Gói nhận xét kèm bộ tiêu chí: đã cập nhật bộ tiêu chí thu-nghiem-xa lên lần ban hành 1."
        )
    );
}

#[test]
fn a_review_on_an_edition_the_office_has_not_issued_carries_no_pack() {
    let dir = tempdir();
    let mut commune = open(&dir.path().join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut commune);
    let sent = dir.path().join("xa.ntm");
    bundle::export(&mut commune, a, &sent).unwrap();
    let mut office = open(&dir.path().join("tinh.sqlite"));
    catalog::import(&mut office, &fixture_path()).unwrap();
    let trust = Trust::fingerprint(enrolment::signer_fingerprint(&sent).unwrap());
    let got = bundle::import(&mut office, &sent, &trust)
        .unwrap()
        .assessment;
    // Not issued by the office (no revision): nothing to send.
    let back = dir.path().join("nhan-xet.ntm");
    review::export(&mut office, got, &back).unwrap();
    assert!(bundle_manifest(&back).get("edition_pack").is_none());
    let office_trust = Trust::fingerprint(enrolment::signer_fingerprint(&back).unwrap());
    match bundle::receive(&mut commune, &back, &office_trust).unwrap() {
        bundle::Received::Review(r) => assert_eq!(r.edition, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_forged_pack_inside_a_review_bundle_refuses_the_bundle_and_changes_nothing() {
    let dir = tempdir();
    let mut commune = open(&dir.path().join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut commune);
    let sent = dir.path().join("xa.ntm");
    bundle::export(&mut commune, a, &sent).unwrap();
    let mut office = open(&dir.path().join("tinh.sqlite"));
    catalog::import(&mut office, &fixture_path()).unwrap();
    let trust = Trust::fingerprint(enrolment::signer_fingerprint(&sent).unwrap());
    let got = bundle::import(&mut office, &sent, &trust)
        .unwrap()
        .assessment;
    catalog::revise(&mut office, EDITION, OFFICE, None, today()).unwrap();
    review::add_request(&mut office, got, "1.2", "Bổ sung ảnh nhà văn hóa").unwrap();
    let good = dir.path().join("nhan-xet.ntm");
    review::export(&mut office, got, &good).unwrap();
    let office_trust = Trust::fingerprint(enrolment::signer_fingerprint(&good).unwrap());
    let before = state(&commune, a);

    // The edition inside changed after the pack was signed; the bundle itself is signed
    // again with the office's key, so only the pack's own signature can tell.
    let tampered = dir.path().join("sua.ntm");
    forge(&office, &good, &tampered, |m| {
        let toml = m["edition_pack"]["edition_toml"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(toml.contains("title = \""), "{toml}");
        m["edition_pack"]["edition_toml"] = toml.replacen("title = \"", "title = \"Giả ", 1).into();
    });
    let err = bundle::receive(&mut commune, &tampered, &office_trust)
        .unwrap_err()
        .to_string();
    assert!(err.contains("gói bộ tiêu chí kèm theo"), "{err}");
    assert!(err.contains("chữ ký không khớp"), "{err}");
    assert_eq!(state(&commune, a), before);

    // A pack signed by another office, slipped into this office's bundle.
    let other_dir = tempdir();
    let mut other = open(&other_dir.path().join("khac.sqlite"));
    catalog::import(&mut other, &fixture_path()).unwrap();
    catalog::revise(&mut other, EDITION, "Sở khác", None, today()).unwrap();
    let other_pack = other_dir.path().join("khac.ntm");
    edition_pack::export(&mut other, EDITION, &other_pack).unwrap();
    let other_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&other_pack).unwrap()).unwrap();
    let swapped = dir.path().join("tron.ntm");
    forge(&office, &good, &swapped, |m| m["edition_pack"] = other_json);
    let err = bundle::receive(&mut commune, &swapped, &office_trust)
        .unwrap_err()
        .to_string();
    assert!(err.contains("không do cùng cơ quan"), "{err}");
    assert_eq!(state(&commune, a), before);

    // The genuine bundle still goes in.
    bundle::receive(&mut commune, &good, &office_trust).unwrap();
    assert_eq!(revision_at(&commune), Some(1));
}
