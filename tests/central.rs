//! Central appraisal (issue 13): a district with 15 communes and one town, recognition
//! decisions (one revoked, one former commune merged in), survey results per content, and
//! the computed conditions of QĐ 320 checked against figures computed by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::ConditionsRecord;
use std::path::Path;

/// The fixture, built through the command line: returns the district assessment's id,
/// the ids of the 15 communes (in order «Xã 01» … «Xã 15»), the town's and the former
/// commune's.
struct District {
    assessment: String,
    communes: Vec<String>,
    town: String,
}

fn add(db: &Path, args: &[&str]) -> String {
    ok(db, &[&["unit", "add"], args].concat())
        .trim()
        .to_string()
}

fn recognize(db: &Path, unit: &str, target: &str, decision: &str, date: &str) -> String {
    ok(
        db,
        &[
            "unit",
            "recognize",
            unit,
            "--target",
            target,
            "--decision",
            decision,
            "--date",
            date,
            "--by",
            "UBND tỉnh Thử",
        ],
    )
}

fn survey(db: &Path, unit: &str, content: &str, asked: &str, yes: &str) {
    ok(
        db,
        &[
            "unit",
            "survey",
            unit,
            "--content",
            content,
            "--surveyed",
            asked,
            "--satisfied",
            yes,
        ],
    );
}

fn district(db: &Path) -> District {
    let province = add(db, &["--name", "Thử", "--kind", "tinh", "--region", "btb"]);
    let d = add(
        db,
        &[
            "--name",
            "Cẩm Thử",
            "--kind",
            "huyen",
            "--parent",
            &province,
        ],
    );
    // A former commune, recognised NTM before it merged into commune 15.
    let former = add(db, &["--name", "Cũ", "--kind", "xa", "--parent", &d]);
    recognize(db, &former, "ntm", "9/QĐ-UBND", "20/12/2019");
    let mut communes = Vec::new();
    for i in 1..=15 {
        let name = format!("{i:02}");
        let code = format!("300{i:02}");
        let mut args = vec![
            "--name", &name, "--kind", "xa", "--parent", &d, "--code", &code,
        ];
        if i == 15 {
            args.extend(["--merged-from", &former]);
        }
        communes.push(add(db, &args));
    }
    let town = add(
        db,
        &["--name", "Phố Thử", "--kind", "thitran", "--parent", &d],
    );
    // NTM: communes 1–14, and 15 recognised then revoked.
    for (i, c) in communes.iter().enumerate() {
        recognize(db, c, "ntm", &format!("{}/QĐ-UBND", 100 + i), "15/12/2021");
    }
    let c15 = &communes[14];
    let revoked = ok(
        db,
        &[
            "unit",
            "recognize",
            c15,
            "--target",
            "ntm",
            "--revoked",
            "--decision",
            "77/QĐ-UBND",
            "--date",
            "01/06/2023",
        ],
    );
    assert!(revoked.contains("thu hồi công nhận"), "{revoked}");
    // Nâng cao: communes 1 and 2. The town: đô thị văn minh.
    recognize(db, &communes[0], "nang-cao", "200/QĐ-UBND", "10/10/2023");
    recognize(db, &communes[1], "nang-cao", "201/QĐ-UBND", "10/10/2023");
    recognize(db, &town, "do-thi-van-minh", "300/QĐ-UBND", "30/11/2023");
    // Surveys: 90 % everywhere, except commune 3 at 79 % on one content, commune 4 at
    // exactly 80 % (passes), and commune 5 not surveyed.
    for (i, c) in communes.iter().enumerate() {
        match i + 1 {
            3 => {
                survey(db, c, "Hạ tầng giao thông", "100", "90");
                survey(db, c, "Môi trường", "100", "79");
            }
            4 => {
                survey(db, c, "Hạ tầng giao thông", "100", "80");
                survey(db, c, "Môi trường", "1.000", "800");
            }
            5 => {}
            _ => {
                survey(db, c, "Hạ tầng giao thông", "100", "90");
                survey(db, c, "Môi trường", "200", "180");
            }
        }
    }
    let assessment = ok(
        db,
        &[
            "assessment",
            "new",
            "--unit",
            &d,
            "--edition",
            "qd320-2022-huyen",
            "--year",
            "2024",
        ],
    )
    .trim()
    .to_string();
    District {
        assessment,
        communes,
        town,
    }
}

fn unit_conditions(db: &Path, assessment: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value =
        serde_json::from_str(&ok(db, &["status", assessment, "--json"])).unwrap();
    json["unit_conditions"].as_array().unwrap().clone()
}

fn failing_names(c: &serde_json::Value) -> Vec<String> {
    c["failing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_district_of_fifteen_communes_gives_the_hand_computed_conditions() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let d = district(&db);
    // The district's own survey: 905 of 1.000 households (90,5 %).
    {
        let mut ws = open(&db);
        let id = AssessmentId(d.assessment.parse().unwrap());
        ws.set_conditions(
            id,
            &ConditionsRecord {
                households_surveyed: Some(1000),
                households_satisfied: Some(905),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let all = unit_conditions(&db, &d.assessment);
    assert_eq!(all.len(), 6, "the six conditions of QĐ 320");
    // Unmet conditions are missing items too, and the district is not eligible.
    let status: serde_json::Value =
        serde_json::from_str(&ok(&db, &["status", &d.assessment, "--json"])).unwrap();
    assert_eq!(status["eligible"], false);
    assert!(
        status["missing"].as_array().unwrap().iter().any(|m| m["message"]
            == "100% số xã trên địa bàn đạt chuẩn nông thôn mới: 14/15 xã (93,33 %) (yêu cầu ≥ 100 %)"),
        "{status}"
    );
    let by_text = |start: &str| {
        all.iter()
            .find(|c| c["text"].as_str().unwrap().starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {all:?}"))
    };
    // 14 of 15 communes hold NTM (the 15th was revoked; the former commune is history).
    let ntm = by_text("100% số xã");
    assert_eq!(ntm["actual"], "14/15 xã (93,33 %)");
    assert_eq!(ntm["required"], "≥ 100 %");
    assert_eq!(ntm["met"], false);
    assert_eq!(failing_names(ntm), ["Xã 15"]);
    assert_eq!(ntm["failing"][0]["code"], "30015");
    assert_eq!(ntm["failing"][0]["id"].to_string(), d.communes[14]);
    // 2 of 15 nâng cao = 13,33 % ≥ 10 %: met, nothing failing.
    let advanced = by_text("Ít nhất 10%");
    assert_eq!(advanced["actual"], "2/15 xã (13,33 %)");
    assert_eq!(advanced["met"], true);
    assert!(failing_names(advanced).is_empty());
    // The one town is đô thị văn minh.
    let towns = by_text("100% số thị trấn");
    assert_eq!(towns["actual"], "1/1 thị trấn (100 %)");
    assert_eq!(towns["met"], true);
    // Own survey 905/1.000 = 90,5 % ≥ 90 %.
    let own = by_text("Tỷ lệ hài lòng của người dân trên địa bàn");
    assert_eq!(own["actual"], "905/1.000 hộ hài lòng (90,5 %)");
    assert_eq!(own["met"], true);
    // Per content: commune 3 (79 %) and commune 5 (no survey) fail; 4 at 80 % passes.
    let per_content = by_text("Tỷ lệ hài lòng của người dân từ 80%");
    assert_eq!(per_content["actual"], "13/15 xã đạt mọi nội dung (86,67 %)");
    assert_eq!(per_content["met"], false);
    assert_eq!(failing_names(per_content), ["Xã 03", "Xã 05"]);
    // The 9 district criteria are not in the shipped edition: 0 of 9.
    let criteria = by_text("Đạt đủ 9 tiêu chí");
    assert_eq!(criteria["actual"], "đạt 0/9 tiêu chí");
    assert_eq!(criteria["met"], false);

    // A new decision after the revocation restores the 15th commune.
    recognize(&db, &d.communes[14], "ntm", "88/QĐ-UBND", "20/12/2024");
    let all = unit_conditions(&db, &d.assessment);
    assert_eq!(all[0]["actual"], "15/15 xã (100 %)");
    assert_eq!(all[0]["met"], true);
    // The text form carries the same figures.
    let text = ok(&db, &["status", &d.assessment]);
    assert!(
        text.contains("Đạt — 100% số xã trên địa bàn đạt chuẩn nông thôn mới: 15/15 xã (100 %)"),
        "{text}"
    );
}

#[test]
fn unit_recognize_records_revokes_and_lists_and_refuses_what_makes_no_sense() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let d = district(&db);
    let c1 = &d.communes[0];
    let list = ok(&db, &["unit", "list"]);
    assert!(
        list.contains("Xã 01 (mã 30001; Nông thôn mới theo QĐ 100/QĐ-UBND ngày 15/12/2021; Nông thôn mới nâng cao theo QĐ 200/QĐ-UBND ngày 10/10/2023)"),
        "{list}"
    );
    assert!(
        list.contains("Thị trấn Phố Thử (Đô thị văn minh theo QĐ 300/QĐ-UBND ngày 30/11/2023)"),
        "{list}"
    );
    // The revoked commune shows no recognition in force in the list, but its history.
    assert!(list.contains("Xã 15 (mã 30015; sáp nhập từ"), "{list}");
    let show = ok(&db, &["unit", "show", &d.communes[14]]);
    assert!(
        show.contains("Nông thôn mới: công nhận theo quyết định số 114/QĐ-UBND ngày 15/12/2021 (UBND tỉnh Thử)"),
        "{show}"
    );
    assert!(
        show.contains(
            "Nông thôn mới: thu hồi công nhận theo quyết định số 77/QĐ-UBND ngày 01/06/2023"
        ),
        "{show}"
    );
    assert!(
        show.contains("Trước sáp nhập, Xã Cũ: Nông thôn mới: công nhận theo quyết định số 9/QĐ-UBND ngày 20/12/2019"),
        "{show}"
    );
    // Refused, each with what to fix, and nothing recorded.
    let before = ok(&db, &["unit", "show", c1]);
    let err = fails(
        &db,
        &[
            "unit",
            "recognize",
            &d.town,
            "--target",
            "ntm",
            "--decision",
            "1/QĐ",
            "--date",
            "01/01/2024",
        ],
    );
    assert!(err.contains("chỉ được công nhận đô thị văn minh"), "{err}");
    let err = fails(
        &db,
        &[
            "unit",
            "recognize",
            c1,
            "--target",
            "do-thi-van-minh",
            "--decision",
            "1/QĐ",
            "--date",
            "01/01/2024",
        ],
    );
    assert!(
        err.contains("Chỉ thị trấn được công nhận đô thị văn minh"),
        "{err}"
    );
    let err = fails(
        &db,
        &[
            "unit",
            "recognize",
            c1,
            "--target",
            "kieu-mau",
            "--revoked",
            "--decision",
            "2/QĐ",
            "--date",
            "01/01/2024",
        ],
    );
    assert!(err.contains("không có gì để thu hồi"), "{err}");
    let err = fails(
        &db,
        &[
            "unit",
            "recognize",
            c1,
            "--target",
            "ntm",
            "--revoked",
            "--decision",
            "3/QĐ",
            "--date",
            "01/01/2020",
        ],
    );
    assert!(
        err.contains("Ngày thu hồi 01/01/2020 trước ngày công nhận 15/12/2021"),
        "{err}"
    );
    let err = fails(
        &db,
        &[
            "unit",
            "recognize",
            c1,
            "--target",
            "ntm",
            "--decision",
            "4/QĐ",
            "--date",
            "31/02/2024",
        ],
    );
    assert!(
        err.contains("Ngày quyết định «31/02/2024» không hợp lệ"),
        "{err}"
    );
    let err = fails(
        &db,
        &[
            "unit",
            "recognize",
            c1,
            "--target",
            "ntm",
            "--decision",
            "  ",
            "--date",
            "01/01/2024",
        ],
    );
    assert!(err.contains("Chưa nhập số quyết định"), "{err}");
    let err = fails(
        &db,
        &[
            "unit",
            "recognize",
            c1,
            "--target",
            "ntm",
            "--decision",
            "100/QĐ-UBND",
            "--date",
            "15/12/2021",
        ],
    );
    assert!(err.contains("đã được ghi"), "{err}");
    let err = fails(
        &db,
        &[
            "unit",
            "survey",
            c1,
            "--content",
            "Môi trường",
            "--surveyed",
            "10",
            "--satisfied",
            "11",
        ],
    );
    assert!(err.contains("Số hộ hài lòng (11)"), "{err}");
    assert_eq!(ok(&db, &["unit", "show", c1]), before);
}

#[test]
fn a_commune_status_has_no_unit_conditions() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);
    drop(ws);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["status", &a.to_string(), "--json"])).unwrap();
    assert!(json.get("unit_conditions").is_none(), "{json}");
    assert!(json.get("criteria").is_some());
}

#[test]
fn the_dashboard_shows_a_district_s_conditions_and_a_failing_commune_opens_on_click() {
    use egui_kittest::kittest::Queryable;
    use ntm_dossier::app::{assessment, recognitions, units};
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let (district, b) = {
        let mut ws = open(&path);
        let p = units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        let d = units::add(&mut ws, &form("Huyện Cẩm Thử", "huyen", Some(p))).unwrap();
        let a = units::add(&mut ws, &form("Xã Có Quyết Định", "xa", Some(d))).unwrap();
        let b = units::add(&mut ws, &form("Xã Chưa Quyết Định", "xa", Some(d))).unwrap();
        recognitions::record(
            &mut ws,
            &recognitions::RecognitionForm {
                unit: a.to_string(),
                target: "ntm".into(),
                decision: "12/QĐ-UBND".into(),
                date: "15/12/2021".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assessment::create(&mut ws, d, "qd320-2022-huyen", "ntm", 2024).unwrap();
        (d, b)
    };
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Huyện Cẩm Thử").click();
    h.run();
    no_error(&h);
    assert_eq!(h.state().state.selected_unit, Some(district));
    h.get_by_label("Điều kiện tính từ dữ liệu các xã, thị trấn");
    h.get_by_label(
        "100% số xã trên địa bàn đạt chuẩn nông thôn mới: 1/2 xã (50 %) (yêu cầu ≥ 100 %)",
    );
    // The failing commune is a link (the tree shows it too): clicking it selects it.
    let links = h.get_all_by_label("Xã Chưa Quyết Định").count();
    assert!(links >= 2, "in the tree and as a failing commune");
    h.get_all_by_label("Xã Chưa Quyết Định")
        .last()
        .unwrap()
        .click();
    h.run();
    no_error(&h);
    assert_eq!(h.state().state.selected_unit, Some(b));
    // Its decisions on the unit panel: none yet; record one through the form.
    h.get_by_label("Quyết định công nhận (0)").click();
    h.run();
    type_into(&mut h, "Số quyết định:", "34/QĐ-UBND");
    type_into(&mut h, "Ngày:", "20/12/2024");
    h.get_by_label("Ghi quyết định").click();
    h.run();
    no_error(&h);
    h.get_by_label("Quyết định công nhận (1)");
    let ws = open(&path);
    let recorded = ws.recognitions_of(b).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].decision, "34/QĐ-UBND");
    assert_eq!(recorded[0].decided_on.to_string(), "20/12/2024");
}

/// Migration 8 first rebuilt the units table to widen its CHECK; the rebuilt table then
/// came after the tables that reference it, and every later backup (which copies tables
/// in schema order with foreign keys on) failed, so the workspace no longer opened. The
/// CHECK is now widened in place: a workspace of schema 7 upgrades, takes a town, keeps
/// its units, and opens again (taking a backup each time).
#[test]
fn r_migration_8_rebuilt_units_and_every_later_backup_failed() {
    use ntm_dossier::app::units;
    let dir = tempdir();
    let path = dir.path().join("v7.sqlite");
    let district = {
        let mut ws = open(&path);
        let p = units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        let d = units::add(&mut ws, &form("Huyện Thử", "huyen", Some(p))).unwrap();
        units::add(&mut ws, &form("Xã Cũ", "xa", Some(d))).unwrap();
        d
    };
    // Back to schema 7: the old CHECK, no tables of migration 8.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_master SET sql = replace(sql, ', ''thitran''', '') WHERE name = 'units';
             PRAGMA writable_schema = OFF;
             DROP TABLE unit_recognitions;
             DROP TABLE survey_results;
             DROP TABLE unit_plans;
             ALTER TABLE conditions DROP COLUMN satisfaction_threshold_reason;
             PRAGMA user_version = 7;",
        )
        .unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let refused = conn.execute(
            "INSERT INTO units(name, kind, parent_id, created_at) VALUES ('x', 'thitran', NULL, '')",
            [],
        );
        assert!(refused.is_err(), "schema 7 refuses towns");
    }
    for _ in 0..2 {
        let mut ws = open(&path);
        units::add(&mut ws, &form("Thị trấn Mới", "thitran", Some(district))).unwrap();
    }
    let ws = open(&path);
    let towns = ws
        .units()
        .unwrap()
        .into_iter()
        .filter(|u| u.kind == ntm_dossier::domain::units::UnitKind::Town)
        .count();
    assert_eq!(towns, 2);
    assert_eq!(ws.units().unwrap().len(), 5);
    assert!(ws.integrity_problems().unwrap().is_empty());
    assert!(
        ws.backups().len() >= 2,
        "a backup was taken at each opening"
    );
}

#[test]
fn computed_conditions_that_do_not_read_are_named_with_their_line_and_change_nothing() {
    use ntm_dossier::domain::catalog::toml_format::parse_edition;
    let text = r#"format = 1
code = "huyen-thu"
title = "Bộ tiêu chí huyện thử giai đoạn 2021–2025"
level = "huyen"
targets = ["ntm"]
keyed_by = "khong"

[legal]
decision = "1/QĐ-UBND"

[[conditions.computed]]
kind = "ty_le_cong_nhan"
units = "thon"
target = "ntm"
min_percent = 100
text = "Mọi thôn"

[[conditions.computed]]
kind = "hai_long"
min_percent = 120
text = "Hài lòng"

[[conditions.computed]]
kind = "dat_het"
text = "Khác"

[[conditions.computed]]
kind = "hai_long_tung_noi_dung"
text = "Thiếu tỷ lệ"
"#;
    let problems = parse_edition(text).unwrap_err();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 4, "{shown:?}");
    assert!(
        shown[0].contains("dòng 12") && shown[0].contains("xa hoặc thitran"),
        "{shown:?}"
    );
    assert!(
        shown[1].contains("dòng 20") && shown[1].contains("từ 0 đến 100"),
        "{shown:?}"
    );
    assert!(
        shown[2].contains("dòng 24") && shown[2].contains("«dat_het»"),
        "{shown:?}"
    );
    assert!(
        shown[3].contains("dòng 28") && shown[3].contains("min_percent"),
        "{shown:?}"
    );
    // Imported as a file, it is refused and the catalogue stays as it was.
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let before = ok(&db, &["catalog", "list"]);
    let file = dir.path().join("huyen-thu.toml");
    std::fs::write(&file, text).unwrap();
    let err = fails(&db, &["catalog", "import", file.to_str().unwrap()]);
    assert!(err.contains("dòng 12"), "{err}");
    assert_eq!(ok(&db, &["catalog", "list"]), before);
}

#[test]
fn the_shipped_district_and_province_editions_say_what_is_verified() {
    use ntm_dossier::app::catalog::BUILTIN;
    use ntm_dossier::domain::catalog::ComputedKind;
    use ntm_dossier::domain::catalog::toml_format::parse_edition;
    let find =
        |name: &str| parse_edition(BUILTIN.iter().find(|(n, _)| *n == name).unwrap().1).unwrap();
    let huyen = find("qd320-2022-huyen.toml");
    let computed = &huyen.conditions.computed;
    assert_eq!(computed.len(), 6);
    assert!(
        computed
            .iter()
            .all(|c| c.verified && c.source.contains("320/QĐ-TTg"))
    );
    let mins: Vec<Option<f64>> = computed.iter().map(|c| c.min_percent).collect();
    assert_eq!(
        mins,
        [
            Some(100.0),
            Some(10.0),
            Some(100.0),
            Some(90.0),
            Some(80.0),
            None
        ]
    );
    assert!(matches!(computed[5].kind, ComputedKind::OwnCriteriaMet));
    assert!(
        huyen.criteria.is_empty(),
        "the 9 names are not verified: none shipped"
    );
    assert_eq!(huyen.criteria_expected, Some(9));
    let tinh = find("qd51-2025-tinh.toml");
    assert_eq!(tinh.legal.annex, "Phụ lục III");
    assert!(
        tinh.criteria.is_empty() && tinh.conditions.computed.is_empty(),
        "a frame"
    );
}
