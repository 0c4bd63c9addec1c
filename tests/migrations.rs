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
