//! The rules of `app::commands`, the use cases the window and the command line share:
//! each rule accepted and refused, with its Vietnamese message, and nothing written when
//! refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::commands::{evidence, values};
use ntm_dossier::app::keys::Trust;
use ntm_dossier::app::{bundle, enrolment};
use ntm_dossier::domain::ids::{AssessmentId, EvidenceId};
use ntm_dossier::domain::units::Verdict;
use ntm_dossier::store::Workspace;
use std::path::Path;

/// A commune's workspace with an assessment of the fixture edition and one evidence file
/// proving 1.1.
fn commune(dir: &Path) -> (Workspace, AssessmentId, EvidenceId) {
    let mut ws = open(&dir.join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let pdf = dir.join("biên bản.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 bien ban").unwrap();
    ntm_dossier::app::evidence::add_files(&mut ws, a, &["1.1".into()], &[pdf.as_path()]).unwrap();
    let e = ws.evidence(a).unwrap()[0].id;
    (ws, a, e)
}

/// The office's workspace holding the commune's assessment as a received round.
fn received(dir: &Path, ws: &mut Workspace, a: AssessmentId) -> (Workspace, AssessmentId) {
    let file = dir.join("lan-1.ntm");
    bundle::export(ws, a, &file).unwrap();
    let mut office = open(&dir.join("tinh.sqlite"));
    ntm_dossier::app::catalog::import(&mut office, &fixture_path()).unwrap();
    let trust = Trust::fingerprint(enrolment::signer_fingerprint(&file).unwrap());
    let got = bundle::import(&mut office, &file, &trust).unwrap();
    (office, got.assessment)
}

fn message(e: ntm_dossier::app::AppError) -> String {
    e.to_string()
}

#[test]
fn rating_a_criterion_with_a_reason_is_stored() {
    let dir = tempdir();
    let (mut ws, a, _) = commune(dir.path());
    values::rate_criterion(&mut ws, a, 2, Some((Verdict::NotMet, "  Theo biên bản  "))).unwrap();
    let r = ws.criterion_ratings(a).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].number, r[0].verdict), (2, Verdict::NotMet));
    assert_eq!(r[0].reason, "Theo biên bản");
    values::rate_criterion(&mut ws, a, 2, None).unwrap();
    assert!(ws.criterion_ratings(a).unwrap().is_empty(), "cleared");
}

#[test]
fn rating_a_criterion_without_a_reason_is_refused() {
    let dir = tempdir();
    let (mut ws, a, _) = commune(dir.path());
    let e =
        message(values::rate_criterion(&mut ws, a, 2, Some((Verdict::Met, " \t"))).unwrap_err());
    assert!(e.contains("Đánh giá cả tiêu chí cần có lý do."), "{e}");
    assert!(ws.criterion_ratings(a).unwrap().is_empty());
}

#[test]
fn r_rating_a_criterion_not_in_the_edition_was_stored() {
    let dir = tempdir();
    let (mut ws, a, _) = commune(dir.path());
    let e = message(
        values::rate_criterion(&mut ws, a, 99, Some((Verdict::Met, "Theo biên bản"))).unwrap_err(),
    );
    assert!(
        e.contains("Không có tiêu chí số 99 trong bộ tiêu chí thu-nghiem-xa"),
        "{e}"
    );
    assert!(ws.criterion_ratings(a).unwrap().is_empty());
}

#[test]
fn rating_a_criterion_not_assessed_is_refused() {
    let dir = tempdir();
    let (mut ws, a, _) = commune(dir.path());
    let e = message(
        values::rate_criterion(&mut ws, a, 1, Some((Verdict::NotAssessed, "Theo biên bản")))
            .unwrap_err(),
    );
    assert!(e.contains("phải là Đạt, Cơ bản đạt hoặc Chưa đạt"), "{e}");
    assert!(ws.criterion_ratings(a).unwrap().is_empty());
}

#[test]
fn criterion_verdicts_are_read_as_typed() {
    assert_eq!(
        values::parse_criterion_verdict("Đạt").unwrap(),
        Verdict::Met
    );
    assert_eq!(
        values::parse_criterion_verdict(" co_ban_dat ").unwrap(),
        Verdict::MostlyMet
    );
    assert_eq!(
        values::parse_criterion_verdict("Chưa đạt").unwrap(),
        Verdict::NotMet
    );
    let e = message(values::parse_criterion_verdict("gần đạt").unwrap_err());
    assert!(
        e.contains("Kết quả «gần đạt» không hợp lệ: dùng dat, co_ban_dat hoặc chua_dat."),
        "{e}"
    );
}

#[test]
fn r_criterion_of_a_received_round_rated_outside_the_window() {
    let dir = tempdir();
    let (mut ws, a, _) = commune(dir.path());
    let (mut office, got) = received(dir.path(), &mut ws, a);
    let e = message(
        values::rate_criterion(&mut office, got, 1, Some((Verdict::Met, "Theo biên bản")))
            .unwrap_err(),
    );
    assert!(e.contains("Không sửa được đánh giá cả tiêu chí"), "{e}");
    assert!(office.criterion_ratings(got).unwrap().is_empty());
}

#[test]
fn attaching_to_indicators_of_the_edition_only() {
    let dir = tempdir();
    let (ws, a, _) = commune(dir.path());
    evidence::check_indicators(&ws, a, &["1.1".into(), "3.2".into()]).unwrap();
    let e = message(evidence::check_indicators(&ws, a, &["1.1".into(), "9.9".into()]).unwrap_err());
    assert!(
        e.contains("Chỉ tiêu «9.9» không có trong bộ tiêu chí của đợt đánh giá."),
        "{e}"
    );
}

#[test]
fn linking_and_unlinking_a_file_of_the_assessment() {
    let dir = tempdir();
    let (mut ws, a, e) = commune(dir.path());
    evidence::link(&mut ws, a, e, "2.1").unwrap();
    assert_eq!(ws.evidence(a).unwrap()[0].indicators, ["1.1", "2.1"]);
    evidence::unlink(&mut ws, a, e, "1.1").unwrap();
    assert_eq!(ws.evidence(a).unwrap()[0].indicators, ["2.1"]);
}

#[test]
fn linking_to_an_indicator_not_in_the_edition_is_refused() {
    let dir = tempdir();
    let (mut ws, a, e) = commune(dir.path());
    let m = message(evidence::link(&mut ws, a, e, "9.9").unwrap_err());
    assert!(
        m.contains("Không gắn được tệp vào chỉ tiêu «9.9» của đợt đánh giá số"),
        "{m}"
    );
    assert_eq!(ws.evidence(a).unwrap()[0].indicators, ["1.1"]);
}

#[test]
fn linking_a_file_of_another_assessment_is_refused() {
    let dir = tempdir();
    let (mut ws, a, e) = commune(dir.path());
    let unit = ws.require_assessment(a).unwrap().unit;
    let other =
        ntm_dossier::app::assessment::create(&mut ws, unit, "thu-nghiem-xa", "ntm", 2026).unwrap();
    let m = message(evidence::link(&mut ws, other, e, "2.1").unwrap_err());
    assert!(m.contains("Không gắn được tệp vào chỉ tiêu «2.1»"), "{m}");
    let m = message(evidence::unlink(&mut ws, other, e, "1.1").unwrap_err());
    assert!(m.contains("tệp không thuộc đợt đánh giá số"), "{m}");
    assert_eq!(ws.evidence(a).unwrap()[0].indicators, ["1.1"]);
}

#[test]
fn r_evidence_of_a_received_round_linked_outside_the_window() {
    let dir = tempdir();
    let (mut ws, a, _) = commune(dir.path());
    let (mut office, got) = received(dir.path(), &mut ws, a);
    let e = office.evidence(got).unwrap()[0].id;
    for m in [
        evidence::link(&mut office, got, e, "2.1").unwrap_err(),
        evidence::unlink(&mut office, got, e, "1.1").unwrap_err(),
    ] {
        let m = message(m);
        assert!(m.contains("Không sửa được minh chứng"), "{m}");
    }
    assert_eq!(office.evidence(got).unwrap()[0].indicators, ["1.1"]);
}

#[test]
fn evidence_is_found_by_the_code_evidence_list_prints() {
    let dir = tempdir();
    let (ws, a, e) = commune(dir.path());
    let code = ws.evidence(a).unwrap()[0].code.clone();
    assert_eq!(
        evidence::by_code(&ws, a, &code.to_lowercase()).unwrap().id,
        e
    );
    let m = message(evidence::by_code(&ws, a, "TC09-99").unwrap_err());
    assert!(
        m.contains("Không có minh chứng «TC09-99» trong đợt đánh giá số"),
        "{m}"
    );
}
