//! Issue 13, part 2: plans (a commune's target, a district's dossier deadline) and what
//! the roll-up says about them; the central-appraisal figures are unit-tested in
//! `app::central::figures`.
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
