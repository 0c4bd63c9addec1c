//! The roll-up of a compiling office whose communes are assessed on two editions: QĐ 318
//! (19 criteria, 2021–2025) and QĐ 51/2025 (10 criteria, 2026–2030). Every figure is
//! computed by hand below, per edition; a commune on the other edition is listed apart
//! and never counted.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::report::{self, RollupFilter, RollupJson};
use ntm_dossier::app::{self, assessment, units::UnitForm};
use ntm_dossier::domain::ids::{AssessmentId, UnitId};
use ntm_dossier::domain::units::Target;
use ntm_dossier::store::Workspace;

const QD318: &str = "qd318-2022-xa";
const QD51: &str = "qd51-2025-xa";

/// The office and its communes.
///
/// | commune | assessments (in creation order) | criteria rated |
/// |---|---|---|
/// | Xã An | QĐ 318 nâng cao 2025, then QĐ 318 2025 | (nâng cao: none); 318: 1–19 đạt |
/// | Xã Bình | QĐ 318 2025 | 1–10 đạt, 11–19 chưa đạt |
/// | Xã Cát | QĐ 318 2025, then QĐ 51 2026 | 318: 1–15 đạt; 51: 1–10 đạt |
/// | Xã Dương | QĐ 51 2026 | 1–5 đạt, 6–10 chưa đạt |
/// | Xã Đông | QĐ 51 2026 | 1–3 đạt |
/// | Xã Giang | none | |
struct Office {
    _dir: tempfile::TempDir,
    ws: Workspace,
    province: UnitId,
    an: UnitId,
    binh: UnitId,
    cat: UnitId,
    duong: UnitId,
    dong: UnitId,
    giang: UnitId,
}

fn rate(ws: &mut Workspace, a: AssessmentId, numbers: std::ops::RangeInclusive<u32>, v: &str) {
    for n in numbers {
        let v = ntm_dossier::domain::units::Verdict::from_code(v).unwrap();
        ws.set_criterion_rating(a, n, Some((v, "Theo biên bản thẩm tra của huyện")))
            .unwrap();
    }
}

fn office() -> Office {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("van-phong.sqlite"));
    let province = app::units::add(
        &mut ws,
        &UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let commune = |ws: &mut Workspace, name: &str| {
        app::units::add(
            ws,
            &UnitForm {
                group: "2".into(),
                ..form(name, "xa", Some(province))
            },
        )
        .unwrap()
    };
    let an = commune(&mut ws, "Xã An");
    let binh = commune(&mut ws, "Xã Bình");
    let cat = commune(&mut ws, "Xã Cát");
    let duong = commune(&mut ws, "Xã Dương");
    let dong = commune(&mut ws, "Xã Đông");
    let giang = commune(&mut ws, "Xã Giang");
    assessment::create(&mut ws, an, "qd318-2022-xa-nang-cao", "nang-cao", 2025).unwrap();
    let a = assessment::create(&mut ws, an, QD318, "ntm", 2025).unwrap();
    rate(&mut ws, a, 1..=19, "dat");
    let a = assessment::create(&mut ws, binh, QD318, "ntm", 2025).unwrap();
    rate(&mut ws, a, 1..=10, "dat");
    rate(&mut ws, a, 11..=19, "chua_dat");
    let a = assessment::create(&mut ws, cat, QD318, "ntm", 2025).unwrap();
    rate(&mut ws, a, 1..=15, "dat");
    let a = assessment::create(&mut ws, cat, QD51, "ntm", 2026).unwrap();
    rate(&mut ws, a, 1..=10, "dat");
    let a = assessment::create(&mut ws, duong, QD51, "ntm", 2026).unwrap();
    rate(&mut ws, a, 1..=5, "dat");
    rate(&mut ws, a, 6..=10, "chua_dat");
    let a = assessment::create(&mut ws, dong, QD51, "ntm", 2026).unwrap();
    rate(&mut ws, a, 1..=3, "dat");
    Office {
        _dir: dir,
        ws,
        province,
        an,
        binh,
        cat,
        duong,
        dong,
        giang,
    }
}

fn rollup(
    o: &Office,
    edition: Option<&str>,
    year: Option<i32>,
    target: Option<Target>,
) -> RollupJson {
    let filter = RollupFilter {
        edition: edition.map(String::from),
        year,
        target,
    };
    report::rollup_with(&o.ws, o.province, &filter, app::today()).unwrap()
}

fn counted(r: &RollupJson) -> Vec<(i64, usize)> {
    let mut v: Vec<(i64, usize)> = r
        .communes
        .iter()
        .map(|c| (c.unit, c.criteria_met))
        .collect();
    v.sort_unstable();
    v
}

fn apart(r: &RollupJson) -> Vec<(i64, String, i32)> {
    let mut v: Vec<(i64, String, i32)> = r
        .other_editions
        .iter()
        .map(|c| (c.unit, c.edition.clone(), c.year))
        .collect();
    v.sort();
    v
}

fn failed(r: &RollupJson) -> Vec<(u32, usize)> {
    r.most_failed
        .iter()
        .map(|f| (f.number, f.communes_not_met))
        .collect()
}

/// Before the fix the office saw one 19-column matrix holding both editions, QĐ 51
/// results under QĐ 318 headings, most-failed counts over both and an average mixing /10
/// and /19. The default roll-up is now on QĐ 51 (three communes use it in 2026, the
/// latest year, against none on QĐ 318) and counts only its communes.
#[test]
fn r_rollup_mixes_editions() {
    let o = office();
    let r = report::rollup(&o.ws, o.province, app::today()).unwrap();
    // Counted: Cát 10, Dương 5, Đông 3, Giang (no assessment) 0.
    assert_eq!(r.communes_total, 4);
    assert!(
        r.communes
            .iter()
            .all(|c| c.edition.is_none() || c.edition.as_deref() == Some(QD51))
    );
    assert!(
        r.communes
            .iter()
            .all(|c| c.criteria.iter().all(|x| x.number <= 10))
    );
    // (10 + 5 + 3 + 0) / 4
    assert_eq!(r.average_criteria_met, 4.5);
    // 6–10: Dương and Đông; 4–5: Đông; 1–3 met everywhere. No QĐ 318 criterion 11–19.
    assert_eq!(
        failed(&r),
        [(6, 2), (7, 2), (8, 2), (9, 2), (10, 2), (4, 1), (5, 1)]
    );
    // Dương fails 5/10 = 50 %: high risk. Bình (9/19 on QĐ 318, key criteria) is not counted.
    assert_eq!(r.communes_at_risk, 1);
}

#[test]
fn default_edition_is_the_most_used_in_the_latest_year_and_others_are_listed_apart() {
    let o = office();
    let r = rollup(&o, None, None, None);
    assert_eq!(r.edition, QD51);
    assert_eq!(r.edition_decision, "51/2025/QĐ-TTg");
    assert_eq!(r.edition_criteria.len(), 10);
    assert_eq!(
        counted(&r),
        [(o.cat.0, 10), (o.duong.0, 5), (o.dong.0, 3), (o.giang.0, 0)]
    );
    assert_eq!(
        apart(&r),
        [
            (o.an.0, QD318.to_string(), 2025),
            (o.binh.0, QD318.to_string(), 2025)
        ]
    );
    assert_eq!(r.communes_eligible, 0);
    assert_eq!(r.share_eligible_percent, 0.0);
    let choices: Vec<(&str, usize)> = r
        .editions_available
        .iter()
        .map(|c| (c.code.as_str(), c.communes))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(choices, [(QD318, 2), (QD51, 3)]);
}

#[test]
fn rollup_on_qd318_counts_only_its_communes() {
    let o = office();
    let r = rollup(&o, Some(QD318), None, None);
    assert_eq!(r.edition, QD318);
    let numbers: Vec<u32> = r.edition_criteria.iter().map(|c| c.number).collect();
    assert_eq!(numbers, (1..=19).collect::<Vec<_>>());
    assert_eq!(counted(&r), [(o.an.0, 19), (o.binh.0, 10), (o.giang.0, 0)]);
    assert_eq!(
        apart(&r),
        [
            (o.cat.0, QD51.to_string(), 2026),
            (o.duong.0, QD51.to_string(), 2026),
            (o.dong.0, QD51.to_string(), 2026)
        ]
    );
    // (19 + 10 + 0) / 3 = 9,666… → 9,67
    assert_eq!(r.average_criteria_met, 9.67);
    // Only Bình fails, criteria 11–19.
    assert_eq!(failed(&r), (11..=19).map(|n| (n, 1)).collect::<Vec<_>>());
    // Bình: 9/19 = 47,37 % with key criteria among them: at risk.
    assert_eq!(r.communes_at_risk, 1);
}

#[test]
fn rollup_of_one_year_takes_each_communes_latest_assessment_of_that_year() {
    let o = office();
    let r = rollup(&o, None, Some(2025), None);
    // In 2025 everyone assessed was on QĐ 318 (Cát's QĐ 51 assessment is 2026).
    assert_eq!(r.edition, QD318);
    assert_eq!(r.year, Some(2025));
    assert!(r.other_editions.is_empty());
    assert_eq!(
        counted(&r),
        [
            (o.an.0, 19),
            (o.binh.0, 10),
            (o.cat.0, 15),
            (o.duong.0, 0),
            (o.dong.0, 0),
            (o.giang.0, 0)
        ]
    );
    // (19 + 10 + 15) / 6 = 7,333… → 7,33
    assert_eq!(r.average_criteria_met, 7.33);
    // 16–19: Bình and Cát (not rated); 11–15: Bình.
    let mut expected: Vec<(u32, usize)> = (16..=19).map(|n| (n, 2)).collect();
    expected.extend((11..=15).map(|n| (n, 1)));
    assert_eq!(failed(&r), expected);
    // 2025 on QĐ 51: nobody is counted with an assessment, the three on QĐ 318 are apart.
    let r = rollup(&o, Some(QD51), Some(2025), None);
    assert_eq!(apart(&r).len(), 3);
    assert!(r.communes.iter().all(|c| c.assessment.is_none()));
    assert_eq!(r.average_criteria_met, 0.0);
}

#[test]
fn rollup_of_one_target_uses_that_targets_assessments() {
    let o = office();
    let r = rollup(&o, None, None, Some(Target::Advanced));
    assert_eq!(r.edition, "qd318-2022-xa-nang-cao");
    assert_eq!(r.target, Some("nang-cao"));
    let an = r.communes.iter().find(|c| c.unit == o.an.0).unwrap();
    assert_eq!(an.edition.as_deref(), Some("qd318-2022-xa-nang-cao"));
    // Nobody else has an assessment for «nâng cao».
    assert_eq!(
        r.communes.iter().filter(|c| c.assessment.is_some()).count(),
        1
    );
    assert!(r.other_editions.is_empty());
}

#[test]
fn unknown_edition_is_refused_with_the_available_ones() {
    let o = office();
    for code in ["qd99-2030-xa", "qd320-2022-huyen"] {
        let filter = RollupFilter {
            edition: Some(code.into()),
            ..Default::default()
        };
        let e = report::rollup_with(&o.ws, o.province, &filter, app::today()).unwrap_err();
        assert!(e.summary.contains(code), "{e}");
        let details = e.details.join("\n");
        assert!(details.contains(QD51) && details.contains(QD318), "{e}");
        assert!(details.contains("QĐ 51/2025/QĐ-TTg"), "{e}");
        assert!(!details.contains("qd320-2022-huyen"), "{e}");
    }
}

#[test]
fn excel_and_pdf_state_the_edition_and_list_communes_apart() {
    let o = office();
    let r = rollup(&o, Some(QD318), None, None);
    let xlsx = o._dir.path().join("tong-hop.xlsx");
    report::rollup_xlsx(&o.ws, &r, &xlsx).unwrap();
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&xlsx).unwrap();
    let sheet = book.worksheet_range("Tong hop").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert!(cell(1, 0).contains("QĐ 318/QĐ-TTg"), "{}", cell(1, 0));
    // STT, Xã, Năm, then 19 criteria, then the counts.
    assert_eq!(cell(2, 3), "TC 1");
    assert_eq!(cell(2, 21), "TC 19");
    assert_eq!(cell(2, 22), "Số tiêu chí đạt");
    let all: Vec<String> = (0..40).map(|r| cell(r, 1)).collect();
    assert!(
        all.iter().any(|c| c.contains("bộ tiêu chí khác")),
        "{all:?}"
    );
    assert!(all.contains(&"Xã Cát".to_string()), "{all:?}");

    let pdf = o._dir.path().join("bao-cao.pdf");
    report::rollup_pdf(&o.ws, &r, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps.sh)");
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Bộ tiêu chí áp dụng: QĐ 318/QĐ-TTg"),
        "{text}"
    );
    assert!(text.contains("không tính vào số liệu trên"), "{text}");
    assert!(text.contains("Xã Dương"), "{text}");
}
