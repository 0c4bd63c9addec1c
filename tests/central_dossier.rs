//! Issue 13, part 2: plans (a commune's target, a district's dossier deadline) and what
//! the roll-up says about them; the quoted figures in the status text; the district's
//! dossier for central appraisal, built and read back. The figures themselves are
//! unit-tested in `app::central::figures`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::central::plans::{self, PlanRequest};
use ntm_dossier::app::report::{self, RollupFilter};
use ntm_dossier::app::{self, units::UnitForm};
use ntm_dossier::domain::ids::UnitId;
use ntm_dossier::domain::vn_text::CivilDate;
use ntm_dossier::store::Workspace;

struct District {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    district: UnitId,
    an: UnitId,
    binh: UnitId,
    cat: UnitId,
}

/// Province → district → Xã An, Xã Bình, Xã Cát (no assessments: none is eligible).
fn district() -> District {
    let dir = tempdir();
    let db = dir.path().join("huyen.sqlite");
    let mut ws = open(&db);
    let province = app::units::add(
        &mut ws,
        &UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let district = app::units::add(&mut ws, &form("Huyện Mẫu", "huyen", Some(province))).unwrap();
    let an = app::units::add(&mut ws, &form("Xã An", "xa", Some(district))).unwrap();
    let binh = app::units::add(&mut ws, &form("Xã Bình", "xa", Some(district))).unwrap();
    let cat = app::units::add(&mut ws, &form("Xã Cát", "xa", Some(district))).unwrap();
    catalog_for_rollup(&mut ws);
    District {
        _dir: dir,
        db,
        district,
        an,
        binh,
        cat,
    }
}

/// The roll-up needs one commune edition in the catalogue: the fixture's.
fn catalog_for_rollup(ws: &mut Workspace) {
    app::catalog::import(ws, &fixture_path()).unwrap();
}

fn today() -> CivilDate {
    CivilDate::new(2026, 11, 26).unwrap()
}

#[test]
fn unit_plan_writes_and_shows_a_commune_target_and_a_district_deadline() {
    let d = district();
    let an = d.an.to_string();
    let district = d.district.to_string();
    assert_eq!(
        ok(
            &d.db,
            &["unit", "plan", &an, "--target", "ntm", "--year", "2026"]
        ),
        format!("Đã ghi kế hoạch của đơn vị {an}: phấn đấu đạt chuẩn NTM năm 2026.\n")
    );
    assert_eq!(
        ok(
            &d.db,
            &["unit", "plan", &district, "--deadline", "31/05/2027"]
        ),
        format!("Đã ghi kế hoạch của đơn vị {district}: hạn hoàn thành hồ sơ 31/05/2027.\n")
    );
    assert_eq!(
        ok(&d.db, &["unit", "plan", &an]),
        format!("Kế hoạch của đơn vị {an}: phấn đấu đạt chuẩn NTM năm 2026.\n")
    );
    // A new target replaces the old; --clear removes the plan.
    ok(
        &d.db,
        &[
            "unit", "plan", &an, "--target", "nang-cao", "--year", "2028",
        ],
    );
    assert!(ok(&d.db, &["unit", "plan", &an]).contains("NTM nâng cao năm 2028"));
    assert!(
        ok(&d.db, &["unit", "plan", &an, "--clear"]).contains("chưa có kế hoạch"),
        "cleared"
    );
    let help = ok(&d.db, &["unit", "plan", "--help"]);
    for word in ["--target", "--year", "--deadline", "31/05/2026", "--clear"] {
        assert!(help.contains(word), "{word} in help:\n{help}");
    }
}

#[test]
fn wrong_plans_are_refused_with_the_workspace_unchanged() {
    let d = district();
    let an = d.an.to_string();
    let district = d.district.to_string();
    ok(
        &d.db,
        &["unit", "plan", &an, "--target", "ntm", "--year", "2026"],
    );
    let before = file_hash(&d.db);
    let cases: &[(&[&str], &str)] = &[
        (&["--deadline", "31/05/2027"], "chỉ đặt cho huyện hoặc tỉnh"),
        (&["--target", "ntm"], "Thiếu năm phấn đấu"),
        (&["--year", "2027"], "Thiếu mục tiêu"),
        (
            &["--target", "xanh", "--year", "2027"],
            "Mục tiêu «xanh» không hợp lệ",
        ),
        (
            &["--target", "ntm", "--year", "1890"],
            "Năm phấn đấu 1890 không hợp lệ",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["unit", "plan", an.as_str()];
        all.extend_from_slice(args);
        let err = fails(&d.db, &all);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let err = fails(
        &d.db,
        &[
            "unit", "plan", &district, "--target", "ntm", "--year", "2026",
        ],
    );
    assert!(err.contains("chỉ đặt cho xã"), "{err}");
    let err = fails(
        &d.db,
        &["unit", "plan", &district, "--deadline", "31/02/2027"],
    );
    assert!(err.contains("«31/02/2027» không phải một ngày"), "{err}");
    let err = fails(&d.db, &["unit", "plan", "999"]);
    assert!(err.contains("999"), "{err}");
    assert_eq!(file_hash(&d.db), before, "nothing written");
    assert!(ok(&d.db, &["unit", "plan", &an]).contains("NTM năm 2026"));
}

#[test]
fn rollup_shows_days_left_and_communes_behind_their_plan() {
    let d = district();
    let mut ws = open(&d.db);
    let set = |ws: &mut Workspace,
               unit: UnitId,
               target: Option<&str>,
               year: Option<i32>,
               deadline: Option<&str>| {
        plans::set_plan(
            ws,
            unit,
            &PlanRequest {
                target: target.map(str::to_string),
                year,
                deadline: deadline.map(str::to_string),
                clear: false,
            },
        )
        .unwrap();
    };
    // An planned 2025 and not eligible: behind. Bình planned 2026 (this year): behind.
    // Cát planned 2027: not yet.
    set(&mut ws, d.an, Some("ntm"), Some(2025), None);
    set(&mut ws, d.binh, Some("ntm"), Some(2026), None);
    set(&mut ws, d.cat, Some("ntm"), Some(2027), None);
    set(&mut ws, d.district, None, None, Some("31/05/2027"));
    let r = report::rollup_with(&ws, d.district, &RollupFilter::default(), today()).unwrap();
    // 26/11/2026 → 31/05/2027: 4 + 31 + 31 + 28 + 31 + 30 + 31 = 186 days.
    assert_eq!(r.plans.days_left, Some(186));
    assert_eq!(r.plans.dossier_deadline.as_deref(), Some("31/05/2027"));
    assert_eq!(r.plans.communes_planned, 3);
    let behind: Vec<&str> = r
        .plans
        .behind_plan
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(behind, ["Xã An", "Xã Bình"]);
    let text = report::rollup_text(&r);
    assert!(
        text.contains("Hạn hoàn thành hồ sơ: 31/05/2027 (còn 186 ngày)."),
        "{text}"
    );
    assert!(
        text.contains(
            "Xã chậm so với kế hoạch (2/3 xã có kế hoạch): Xã An (phấn đấu đạt chuẩn NTM năm 2025), Xã Bình (phấn đấu đạt chuẩn NTM năm 2026)."
        ),
        "{text}"
    );
    // Xã An recognised NTM (a decision in force): no longer behind.
    ntm_dossier::app::recognitions::record(
        &mut ws,
        &ntm_dossier::app::recognitions::RecognitionForm {
            unit: d.an.to_string(),
            target: "ntm".into(),
            decision: "130/QĐ-UBND".into(),
            date: "20/10/2026".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let r = report::rollup_with(&ws, d.district, &RollupFilter::default(), today()).unwrap();
    let behind: Vec<&str> = r
        .plans
        .behind_plan
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(behind, ["Xã Bình"]);
    // The day after the deadline.
    let late = CivilDate::new(2027, 6, 1).unwrap();
    let r = report::rollup_with(&ws, d.district, &RollupFilter::default(), late).unwrap();
    assert_eq!(r.plans.days_left, Some(-1));
    assert!(report::rollup_text(&r).contains("(đã quá hạn 1 ngày)"));
    drop(ws);
    // The JSON of the command line carries the same part.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&d.db, &["rollup", &d.district.to_string(), "--json"])).unwrap();
    assert_eq!(json["plans"]["communes_planned"], 3);
    assert_eq!(json["plans"]["dossier_deadline"], "31/05/2027");
}

#[test]
fn status_text_quotes_counts_with_shares_and_the_change_since_the_start_of_the_year() {
    let dir = tempdir();
    let db = dir.path().join("xa.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);
    // At the end of last year nothing was met.
    ws.put_snapshot(
        a,
        "2025-12-20",
        ntm_dossier::store::Snapshot {
            criteria_met: 0,
            indicators_met: 0,
            indicators_with_evidence: 0,
        },
    )
    .unwrap();
    drop(ws);
    let values = dir.path().join("gia-tri.csv");
    std::fs::write(
        &values,
        "indicator,numerator,denominator,value\n1.1,90,100,\n1.2,,,dat\n",
    )
    .unwrap();
    let id = a.to_string();
    ok(&db, &["values", "import", &id, values.to_str().unwrap()]);
    // Criterion 1 (1.1 at 90 % ≥ 80 %, 1.2 Đạt) of 3; 2 of 6 indicators; 0 → 2.
    let text = ok(&db, &["status", &id]);
    assert!(
        text.contains(
            "Số liệu báo cáo: đạt 1/3 tiêu chí (33,3%) và 2/6 chỉ tiêu (33,3%), tăng 02 chỉ tiêu so với đầu năm."
        ),
        "{text}"
    );
}

/// A district for central appraisal, built through the app layer.
///
/// | unit | recognition (NTM) | criteria met (fixture commune edition) |
/// |---|---|---|
/// | Xã An (Huyện Cẩm Thử) | 123/QĐ-UBND 15/12/2021 | 1 of 3 |
/// | Xã Bình (Huyện Cẩm Thử) | 124/QĐ-UBND 16/12/2021 | no assessment: 0 |
/// | Xã Cát (Huyện Cẩm Thử) | none | no assessment: 0 |
/// | Xã Xa (Huyện Khác) | none | no assessment: 0 |
///
/// District: 2/3 recognised = 66,67 %, 1/3 = 0,33 criteria per commune. Province: 2/4 =
/// 50 %, 1/4 = 0,25. The district's own assessment (fixture district edition, 3 criteria,
/// 4 indicators): 1.1 Đạt, 2.1 100/100, 2.2 = 2, 3.1 50/100 (< 90 %) → 2/3 criteria
/// (66,7 %), 3/4 indicators (75 %); 1 indicator met at the end of last year → «tăng 02».
struct CentralDistrict {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    district: UnitId,
    cat: UnitId,
    assessment: ntm_dossier::domain::ids::AssessmentId,
}

fn central_district() -> CentralDistrict {
    use ntm_dossier::app::assessment::{self, ValueForm};
    use ntm_dossier::app::recognitions::{self, RecognitionForm};
    let dir = tempdir();
    let db = dir.path().join("huyen.sqlite");
    let mut ws = open(&db);
    let add = |ws: &mut Workspace, name: &str, kind: &str, parent: Option<UnitId>| {
        app::units::add(ws, &form(name, kind, parent)).unwrap()
    };
    let province = add(&mut ws, "Tỉnh Thử", "tinh", None);
    let district = add(&mut ws, "Huyện Cẩm Thử", "huyen", Some(province));
    let an = add(&mut ws, "Xã An", "xa", Some(district));
    let binh = add(&mut ws, "Xã Bình", "xa", Some(district));
    let cat = add(&mut ws, "Xã Cát", "xa", Some(district));
    let other = add(&mut ws, "Huyện Khác", "huyen", Some(province));
    add(&mut ws, "Xã Xa", "xa", Some(other));
    for (unit, decision, date) in [
        (an, "123/QĐ-UBND", "15/12/2021"),
        (binh, "124/QĐ-UBND", "16/12/2021"),
    ] {
        recognitions::record(
            &mut ws,
            &RecognitionForm {
                unit: unit.to_string(),
                target: "ntm".into(),
                decision: decision.into(),
                date: date.into(),
                issued_by: "UBND tỉnh Thử".into(),
                revoked: false,
            },
        )
        .unwrap();
    }
    app::catalog::import(&mut ws, &fixture_path()).unwrap();
    let an_assessment = assessment::create(&mut ws, an, "thu-nghiem-xa", "ntm", 2024).unwrap();
    let save = |ws: &mut Workspace, a, code: &str, num: &str, den: &str, value: &str| {
        assessment::save_value(
            ws,
            a,
            code,
            &ValueForm {
                numerator: num.into(),
                denominator: den.into(),
                value: value.into(),
                ..Default::default()
            },
        )
        .unwrap();
    };
    save(&mut ws, an_assessment, "1.1", "90", "100", "");
    save(&mut ws, an_assessment, "1.2", "", "", "dat");
    let edition = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/test-edition-huyen.toml");
    app::catalog::import(&mut ws, &edition).unwrap();
    let a = assessment::create(&mut ws, district, "thu-nghiem-huyen", "ntm", 2024).unwrap();
    save(&mut ws, a, "1.1", "", "", "dat");
    save(&mut ws, a, "2.1", "100", "100", "");
    save(&mut ws, a, "2.2", "", "", "2");
    save(&mut ws, a, "3.1", "50", "100", "");
    ws.put_snapshot(
        a,
        "2023-12-20",
        ntm_dossier::store::Snapshot {
            criteria_met: 1,
            indicators_met: 1,
            indicators_with_evidence: 0,
        },
    )
    .unwrap();
    CentralDistrict {
        _dir: dir,
        db,
        district,
        cat,
        assessment: a,
    }
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps.sh)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Collapses runs of spaces (the layout of pdftotext) so sentences can be searched.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_district_status_quotes_its_figures_beside_the_province() {
    let d = central_district();
    let text = ok(&d.db, &["status", &d.assessment.to_string()]);
    for expected in [
        "Số liệu báo cáo: đạt 2/3 tiêu chí (66,7%) và 3/4 chỉ tiêu (75%), tăng 02 chỉ tiêu so với đầu năm.",
        "Các xã trên địa bàn: 2/3 xã đạt chuẩn nông thôn mới (66,67%), bình quân 0,33 tiêu chí/xã.",
        "So với cả tỉnh: tỷ lệ xã đạt chuẩn NTM, tỷ lệ tiêu chí NTM đã đạt/xã đều cao hơn bình quân chung của cả tỉnh (66,67% và 0,33 tiêu chí/xã so với 50% và 0,25 tiêu chí/xã).",
    ] {
        assert!(text.contains(expected), "{expected}\nin:\n{text}");
    }
}

#[test]
fn the_district_packet_for_central_appraisal_builds_and_reads_back() {
    let d = central_district();
    let id = d.assessment.to_string();
    let out = d._dir.path().join("ho-so-huyen.pdf");
    // The template follows the unit's level, without --template.
    let printed = ok(&d.db, &["dossier", "build", &id, out.to_str().unwrap()]);
    assert!(printed.contains("BẢN DỰ THẢO"), "{printed}");
    let text = pdftotext(&out);
    let flat = squeeze(&text);
    for expected in [
        "HỒ SƠ ĐỀ NGHỊ XÉT, CÔNG NHẬN HUYỆN CẨM THỬ ĐẠT CHUẨN NÔNG THÔN MỚI",
        "ỦY BAN NHÂN DÂN TỈNH THỬ",
        "TỜ TRÌNH",
        "Kính gửi: Thủ tướng Chính phủ",
        "Ủy ban nhân dân tỉnh Thử kính trình Thủ tướng Chính phủ xem xét, quyết định./.",
        "Báo cáo thẩm định của Ủy ban nhân dân tỉnh",
        "huyện Cẩm Thử đạt 2/3 tiêu chí (66,7%) và 3/4 chỉ tiêu (75%), tăng 02 chỉ tiêu so với đầu năm",
        "đều cao hơn bình quân chung của cả tỉnh (66,67% và 0,33 tiêu chí/xã so với 50% và 0,25 tiêu chí/xã)",
        "Quy hoạch huyện",
        "Quyết định công nhận đạt chuẩn",
        "Xã An 123/QĐ-UBND ngày 15/12/2021 1/3",
        "Xã Bình 124/QĐ-UBND ngày 16/12/2021 Chưa có đánh giá",
        "Xã Cát Chưa có quyết định Chưa có đánh giá",
        "Báo cáo tình hình nợ đọng xây dựng cơ bản",
        "Danh mục minh chứng",
    ] {
        assert!(flat.contains(expected), "«{expected}» not in:\n{text}");
    }
    // Xã Xa belongs to the other district: not in this district's table.
    assert!(!flat.contains("Xã Xa"), "{text}");
    // The checklist names the commune without a decision.
    let check = run(&d.db, &["dossier", "check", &id]);
    let check = String::from_utf8(check.stdout).unwrap();
    assert!(
        check.contains(&format!(
            "Xã Cát chưa có quyết định công nhận đạt chuẩn nông thôn mới còn hiệu lực: ghi bằng «unit recognize {} --target ntm",
            d.cat
        )),
        "{check}"
    );
    assert!(check.contains("Chủ tịch UBND huyện"), "{check}");
    // Once Xã Cát is recognised, it leaves the checklist and its decision is printed.
    ok(
        &d.db,
        &[
            "unit",
            "recognize",
            &d.cat.to_string(),
            "--target",
            "ntm",
            "--decision",
            "125/QĐ-UBND",
            "--date",
            "17/12/2021",
        ],
    );
    let check = String::from_utf8(run(&d.db, &["dossier", "check", &id]).stdout).unwrap();
    assert!(!check.contains("Xã Cát chưa có quyết định"), "{check}");
    ok(&d.db, &["dossier", "build", &id, out.to_str().unwrap()]);
    assert!(squeeze(&pdftotext(&out)).contains("Xã Cát 125/QĐ-UBND ngày 17/12/2021"));
    let _ = d.district;
}

#[test]
fn a_province_assessment_takes_the_province_template() {
    let d = central_district();
    let ws = open(&d.db);
    let province = ws.unit(d.district).unwrap().unwrap().parent.unwrap();
    drop(ws);
    let mut ws = open(&d.db);
    let edition =
        ntm_dossier::app::assessment::create(&mut ws, province, "qd51-2025-tinh", "ntm", 2026);
    drop(ws);
    let Ok(a) = edition else {
        panic!("the province edition of QĐ 51 Phụ lục III ships: {edition:?}");
    };
    let out = d._dir.path().join("ho-so-tinh.pdf");
    ok(
        &d.db,
        &["dossier", "build", &a.to_string(), out.to_str().unwrap()],
    );
    let flat = squeeze(&pdftotext(&out));
    for expected in [
        "HỒ SƠ ĐỀ NGHỊ CÔNG NHẬN TỈNH THỬ HOÀN THÀNH NHIỆM VỤ XÂY DỰNG NÔNG",
        "ỦY BAN NHÂN DÂN TỈNH THỬ",
        "Kính gửi: Thủ tướng Chính phủ",
        "Trên địa bàn có 4 xã; 2 xã đạt chuẩn nông thôn mới (50%)",
        "Xã Xa Chưa có quyết định",
    ] {
        assert!(flat.contains(expected), "«{expected}» not in:\n{flat}");
    }
}

#[test]
fn a_district_assessment_is_walked_on_screen_and_its_dossier_lists_the_missing_decision() {
    use egui_kittest::kittest::Queryable;
    use ntm_dossier::domain::units::Verdict;
    let d = central_district();
    {
        let mut ws = open(&d.db);
        plans::set_plan(
            &mut ws,
            d.district,
            &PlanRequest {
                deadline: Some("31/12/2099".into()),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let mut h = ui_harness(&d.db);
    h.run();
    // The province's roll-up screen, then the district's (its deadline under the tiles).
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    h.get_by_label("Tổng hợp: Tỉnh Thử");
    assert!(h.query_by_label_contains("Hạn hoàn thành hồ sơ").is_none());
    h.get_by_label("Huyện Cẩm Thử").click();
    h.run();
    no_error(&h);
    assert_eq!(h.state().state.selected_unit, Some(d.district));
    assert_eq!(
        h.state().state.current.as_ref().map(|c| c.record.id),
        Some(d.assessment),
        "the district's own assessment is open"
    );
    // Walk its criteria: criterion 3 fails at 50/100 against ≥ 90 %; 95/100 meets it.
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    h.get_all_by_label_contains("3. Môi trường huyện")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("≥ 90");
    let verdict = |h: &egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>| {
        h.state()
            .state
            .current
            .as_ref()
            .unwrap()
            .status
            .criteria
            .iter()
            .flat_map(|c| &c.indicators)
            .find(|i| i.code == "3.1")
            .map(|i| i.verdict)
            .unwrap()
    };
    assert_eq!(verdict(&h), Verdict::NotMet);
    replace_text(&mut h, "Tử số", "95");
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    assert_eq!(verdict(&h), Verdict::Met);
    // The dossier screen: the district's checklist names the commune without a decision.
    h.get_by_label("Hồ sơ in").click();
    h.run();
    no_error(&h);
    h.get_by_label_contains("Còn thiếu");
    h.get_by_label_contains("Xã Cát chưa có quyết định công nhận đạt chuẩn nông thôn mới");
    let out = d._dir.path().join("ho-so-man-hinh.pdf");
    h.state_mut()
        .state
        .apply(ntm_dossier::app::state::Command::BuildDossier {
            path: out.clone(),
            final_packet: false,
        });
    h.state_mut().state.wait_for_tasks();
    h.run();
    no_error(&h);
    h.get_by_label_contains("Đã tạo bản dự thảo");
    let flat = squeeze(&pdftotext(&out));
    assert!(flat.contains("Kính gửi: Thủ tướng Chính phủ"), "{flat}");
    assert!(
        flat.contains("huyện Cẩm Thử đạt 3/3 tiêu chí (100%) và 4/4 chỉ tiêu (100%)"),
        "{flat}"
    );
    // The district's roll-up screen shows its dossier deadline.
    h.get_by_label("Tổng hợp").click();
    h.run();
    no_error(&h);
    h.get_by_label("Tổng hợp: Huyện Cẩm Thử");
    h.get_by_label_contains("Hạn hoàn thành hồ sơ: 31/12/2099 (còn ");
}

/// Fifteen communes, as issue 13 asks: district A has 15 (14 recognised NTM, the 15th
/// recognised then revoked; communes 1–3 meet 1 criterion of the fixture edition, the rest
/// have no assessment), district B has 5 (1 recognised). By hand: A 14/15 = 93,33 %, 3/15 =
/// 0,2 criteria per commune; the province 15/20 = 75 %, 3/20 = 0,15.
#[test]
fn fifteen_communes_give_the_hand_computed_shares_in_the_status_text() {
    use ntm_dossier::app::assessment::{self, ValueForm};
    use ntm_dossier::app::recognitions::{self, RecognitionForm};
    let dir = tempdir();
    let db = dir.path().join("tinh.sqlite");
    let mut ws = open(&db);
    let add = |ws: &mut Workspace, name: &str, kind: &str, parent: Option<UnitId>| {
        app::units::add(ws, &form(name, kind, parent)).unwrap()
    };
    let recognise = |ws: &mut Workspace, unit: UnitId, decision: &str, revoked: bool| {
        recognitions::record(
            ws,
            &RecognitionForm {
                unit: unit.to_string(),
                target: "ntm".into(),
                decision: decision.into(),
                date: if revoked { "01/06/2023" } else { "15/12/2021" }.into(),
                revoked,
                ..Default::default()
            },
        )
        .unwrap();
    };
    let province = add(&mut ws, "Tỉnh Thử", "tinh", None);
    let a = add(&mut ws, "Huyện A", "huyen", Some(province));
    let b = add(&mut ws, "Huyện B", "huyen", Some(province));
    app::catalog::import(&mut ws, &fixture_path()).unwrap();
    for i in 1..=15 {
        let c = add(&mut ws, &format!("Xã A{i:02}"), "xa", Some(a));
        recognise(&mut ws, c, &format!("{i}/QĐ-UBND"), false);
        if i == 15 {
            recognise(&mut ws, c, "99/QĐ-UBND", true);
        }
        if i <= 3 {
            let x = assessment::create(&mut ws, c, "thu-nghiem-xa", "ntm", 2024).unwrap();
            for (code, num, den, value) in [("1.1", "90", "100", ""), ("1.2", "", "", "dat")] {
                let v = ValueForm {
                    numerator: num.into(),
                    denominator: den.into(),
                    value: value.into(),
                    ..Default::default()
                };
                assessment::save_value(&mut ws, x, code, &v).unwrap();
            }
        }
    }
    for i in 1..=5 {
        let c = add(&mut ws, &format!("Xã B{i:02}"), "xa", Some(b));
        if i == 1 {
            recognise(&mut ws, c, "200/QĐ-UBND", false);
        }
    }
    let edition = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/test-edition-huyen.toml");
    app::catalog::import(&mut ws, &edition).unwrap();
    let district = assessment::create(&mut ws, a, "thu-nghiem-huyen", "ntm", 2024).unwrap();
    drop(ws);
    let text = ok(&db, &["status", &district.to_string()]);
    for expected in [
        "Các xã trên địa bàn: 14/15 xã đạt chuẩn nông thôn mới (93,33%), bình quân 0,2 tiêu chí/xã.",
        "So với cả tỉnh: tỷ lệ xã đạt chuẩn NTM, tỷ lệ tiêu chí NTM đã đạt/xã đều cao hơn bình quân chung của cả tỉnh (93,33% và 0,2 tiêu chí/xã so với 75% và 0,15 tiêu chí/xã).",
    ] {
        assert!(text.contains(expected), "{expected}\nin:\n{text}");
    }
}
