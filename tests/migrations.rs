//! Every shipped schema version opens: a real file built at version N (only the first N
//! migrations applied) with real data is brought to the newest version by the app, and
//! its data is all there.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app;
use ntm_dossier::store::{SCHEMA_VERSION, create_at_version};

/// Writes a province, a commune of it, an assessment and one indicator value with
/// the columns every version since 1 has.
fn fill(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "INSERT INTO units(id, name, kind, parent_id, region, created_at) \
            VALUES (1, 'Tỉnh Thử', 'tinh', NULL, 'dbsh', '2025-01-02T03:04:05Z');
         INSERT INTO units(id, name, kind, parent_id, created_at) \
            VALUES (2, 'Xã Đông Hòa', 'xa', 1, '2025-01-02T03:04:05Z');
         INSERT INTO assessments(id, unit_id, edition_code, edition_toml, edition_sha256, \
            target, year, created_at) \
            VALUES (1, 2, 'thu-nghiem-xa', '', '', 'ntm', 2025, '2025-01-02T03:04:05Z');",
    )
    .unwrap();
}

#[test]
fn every_shipped_schema_version_opens_with_its_data() {
    for n in 0..=SCHEMA_VERSION {
        let dir = tempdir();
        let db = dir.path().join(format!("v{n}.sqlite"));
        create_at_version(&db, n).unwrap();
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            let v: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(v, n, "built at version {n}");
            if n >= 1 {
                fill(&conn);
            }
        }
        let ws = open(&db);
        let v: i64 = rusqlite::Connection::open(&db)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION, "version {n} not brought to the newest");
        let units = app::units::list(&ws).unwrap();
        let assessments = app::assessment::list(&ws).unwrap();
        if n == 0 {
            assert!(units.is_empty() && assessments.is_empty());
            continue;
        }
        let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names.len(), 2, "version {n}: {names:?}");
        assert!(names.contains(&"Tỉnh Thử") && names.contains(&"Xã Đông Hòa"));
        let commune = units.iter().find(|u| u.name == "Xã Đông Hòa").unwrap();
        assert_eq!(commune.parent.map(|p| p.0), Some(1), "version {n}");
        assert_eq!(assessments.len(), 1, "version {n}");
        let (a, unit_name) = &assessments[0];
        assert_eq!((a.year, a.edition_code.as_str()), (2025, "thu-nghiem-xa"));
        assert_eq!(unit_name, "Xã Đông Hòa", "version {n}");
    }
}

#[test]
fn a_version_past_the_newest_is_not_built() {
    let dir = tempdir();
    let db = dir.path().join("x.sqlite");
    assert!(create_at_version(&db, SCHEMA_VERSION + 1).is_err());
}

/// Migration 11 adds the roll-up's indexes in place: a schema 10 file with assessments
/// of several years (their edition content long enough to overflow), one of them
/// superseded by a later bundle round, gains them and rolls up the same assessments.
#[test]
fn a_schema_10_file_gains_the_roll_up_indexes_and_keeps_its_latest_assessments() {
    let dir = tempdir();
    let db = dir.path().join("v10.sqlite");
    create_at_version(&db, 10).unwrap();
    let long = "# nội dung bộ tiêu chí ghim\n".repeat(400);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        fill(&conn);
        conn.execute_batch(
            "INSERT INTO units(id, name, kind, parent_id, created_at) \
                VALUES (3, 'Xã Tây Hòa', 'xa', 1, '2025-01-02T03:04:05Z');",
        )
        .unwrap();
        let mut add = conn
            .prepare(
                "INSERT INTO assessments(id, unit_id, edition_code, edition_toml, \
                 edition_sha256, target, year, created_at) \
                 VALUES (?1, ?2, 'thu-nghiem-xa', ?3, 'abc', ?4, ?5, '2025-01-02T03:04:05Z')",
            )
            .unwrap();
        for (id, unit, target, year) in [
            (2, 2, "ntm", 2024),
            (3, 2, "nang-cao", 2026),
            (4, 3, "ntm", 2025),
            (5, 3, "ntm", 2025),
        ] {
            add.execute(rusqlite::params![id, unit, long, target, year])
                .unwrap();
        }
        // Assessment 5 came in round 1 of a bundle that round 2 (assessment 4) replaced.
        conn.execute_batch(
            "INSERT INTO bundle_rounds(origin, round, assessment_id, bundle_sha256, imported_at) \
                VALUES ('xa-tay-hoa', 1, 5, 'a1', '2025-02-01'), \
                       ('xa-tay-hoa', 2, 4, 'a2', '2025-03-01');",
        )
        .unwrap();
    }
    let ws = open(&db);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('assessments_latest', 'bundle_rounds_assessment') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(indexes, ["assessments_latest", "bundle_rounds_assessment"]);
    let units = [
        ntm_dossier::domain::ids::UnitId(2),
        ntm_dossier::domain::ids::UnitId(3),
    ];
    let latest = |year, target| {
        let found = ws.latest_assessments(&units, year, target).unwrap();
        let mut ids: Vec<(i64, i64)> = found.by_unit.iter().map(|(u, a)| (u.0, a.id.0)).collect();
        ids.sort();
        assert_eq!(found.tomls.get("abc"), Some(&long));
        ids
    };
    use ntm_dossier::domain::units::Target;
    assert_eq!(latest(None, None), [(2, 3), (3, 4)]);
    assert_eq!(latest(Some(2025), None), [(2, 1), (3, 4)]);
    assert_eq!(latest(None, Some(Target::Ntm)), [(2, 1), (3, 4)]);
    assert_eq!(latest(Some(2024), Some(Target::Ntm)), [(2, 2)]);
    for (unit, year, target) in [(2, None, None), (3, None, None), (2, Some(2024), None)] {
        let one = ws
            .latest_assessment_in(ntm_dossier::domain::ids::UnitId(unit), year, target)
            .unwrap()
            .map(|a| a.id.0);
        let many = latest(year, target)
            .into_iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, a)| a);
        assert_eq!(one, many, "unit {unit}");
    }
    assert!(ws.integrity_problems().unwrap().is_empty());
}
