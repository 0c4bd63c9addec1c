//! The roll-up reads the rows of all its communes in a few queries and computes each
//! commune's status from them (issue 12: 3,321 communes in under 100 ms). Every commune's
//! figures must stay exactly those of the one-assessment path (`status`), whatever the
//! commune holds: values with manual verdicts and deadlines, evidence, manual criterion
//! ratings, conditions, posting logs naming its villages, a region of its own or its
//! province's, snapshots before and during the year.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::{self, assessment, catalog, report, units::UnitForm};
use ntm_dossier::domain::catalog::IndicatorCode;
use ntm_dossier::domain::engine::{DebtStatus, Posting, PostingMedium, SecurityStatus};
use ntm_dossier::domain::units::Verdict;
use ntm_dossier::domain::vn_text::CivilDate;
use ntm_dossier::store::{ConditionsRecord, Snapshot, ValueRecord};

const QD318: &str = "qd318-2022-xa";

#[test]
fn rollup_batched_equals_one_assessment_status() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("tinh.sqlite"));
    let province = app::units::add(
        &mut ws,
        &UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let district = app::units::add(&mut ws, &form("Huyện Thử", "huyen", Some(province))).unwrap();
    let (_, edition) = catalog::load(&ws, QD318).unwrap();
    let codes: Vec<String> = edition
        .indicators()
        .map(|(_, i)| i.code.to_string())
        .collect();
    let today = app::today();
    let mut ids = Vec::new();
    for n in 0..6usize {
        // Communes under the district inherit the province's region; every third has
        // one of its own.
        let region = if n % 3 == 2 { "tdmnpb" } else { "" };
        let commune = app::units::add(
            &mut ws,
            &UnitForm {
                region: region.into(),
                ..form(&format!("Xã Số {n}"), "xa", Some(district))
            },
        )
        .unwrap();
        for v in 0..n % 3 {
            app::units::add(
                &mut ws,
                &form(&format!("Thôn {n}-{v}"), "thon", Some(commune)),
            )
            .unwrap();
        }
        let a = assessment::create(&mut ws, commune, QD318, "ntm", today.year).unwrap();
        let values: Vec<ValueRecord> = codes
            .iter()
            .enumerate()
            .filter(|(k, _)| (k + n) % 4 != 0)
            .map(|(k, code)| ValueRecord {
                numerator: Some(60.0 + ((k * 7 + n * 5) % 40) as f64),
                denominator: Some(100.0),
                value_number: Some(((k + n) % 9) as f64),
                value_text: Some(if (k + n) % 2 == 0 { "dat" } else { "khong" }.into()),
                manual_verdict: ((k + n) % 5 == 0).then_some(Verdict::Met),
                manual_reason: ((k + n) % 5 == 0).then(|| "Theo biên bản kiểm tra".to_string()),
                deadline: ((k + n) % 6 == 0)
                    .then(|| CivilDate::parse("2020-01-15"))
                    .flatten(),
                ..ValueRecord::new(IndicatorCode::parse(code).unwrap())
            })
            .collect();
        ws.put_values(a, &values).unwrap();
        for (k, code) in codes.iter().enumerate().filter(|(k, _)| (k + n) % 3 == 0) {
            let bytes = format!("%PDF-1.4 minh chứng {n}-{k}").into_bytes();
            ws.add_evidence(
                a,
                "mc.pdf",
                "application/pdf",
                &bytes,
                1,
                std::slice::from_ref(code),
            )
            .unwrap();
        }
        if n % 2 == 1 {
            ws.set_criterion_rating(a, 3, Some((Verdict::NotMet, "Chưa đạt khi kiểm tra")))
                .unwrap();
            ws.set_criterion_rating(a, 5, Some((Verdict::Met, "Đạt khi kiểm tra")))
                .unwrap();
        }
        if n != 0 {
            ws.set_conditions(
                a,
                &ConditionsRecord {
                    households_surveyed: Some(200),
                    households_satisfied: Some(150 + 10 * n as u32),
                    satisfaction_threshold: None,
                    debt_million_vnd: Some(n as f64),
                    debt_status: Some(if n % 2 == 0 {
                        DebtStatus::None
                    } else {
                        DebtStatus::Outstanding
                    }),
                    security_status: Some(SecurityStatus::Stable),
                },
            )
            .unwrap();
        }
        if n % 3 == 1 {
            let post = |place: &str, month: u32, medium| Posting {
                place: place.into(),
                date: CivilDate::new(today.year, month, 10).unwrap(),
                medium,
            };
            ws.add_posting(a, &post("Thôn 1-0", 1, PostingMedium::VillageHall))
                .unwrap();
            ws.add_posting(a, &post("Trụ sở", 2, PostingMedium::CommuneOffice))
                .unwrap();
        }
        let snap = |c: u32| Snapshot {
            criteria_met: c,
            indicators_met: c * 2,
            indicators_with_evidence: c,
        };
        match n % 3 {
            0 => {
                ws.put_snapshot(a, &format!("{}-12-01", today.year - 1), snap(4))
                    .unwrap();
                ws.put_snapshot(a, &format!("{}-12-20", today.year - 1), snap(5))
                    .unwrap();
                ws.put_snapshot(a, &format!("{}-01-05", today.year), snap(9))
                    .unwrap();
            }
            1 => {
                ws.put_snapshot(a, &format!("{}-01-05", today.year), snap(7))
                    .unwrap();
                ws.put_snapshot(a, &format!("{}-03-05", today.year), snap(8))
                    .unwrap();
            }
            _ => {}
        }
        ids.push((commune, a));
    }
    // A second district, bigger: the first district's roll-up is then a small part of the
    // workspace (its values read by key), the province's a large one (the table read
    // whole); both must give the one-assessment figures.
    let other = app::units::add(&mut ws, &form("Huyện Khác", "huyen", Some(province))).unwrap();
    for n in 0..13 {
        let commune =
            app::units::add(&mut ws, &form(&format!("Xã Khác {n}"), "xa", Some(other))).unwrap();
        let a = assessment::create(&mut ws, commune, QD318, "ntm", today.year).unwrap();
        let values: Vec<ValueRecord> = codes
            .iter()
            .map(|code| ValueRecord {
                numerator: Some(99.0),
                denominator: Some(100.0),
                value_text: Some("dat".into()),
                ..ValueRecord::new(IndicatorCode::parse(code).unwrap())
            })
            .collect();
        ws.put_values(a, &values).unwrap();
    }
    let r = report::rollup(&ws, district, today).unwrap();
    assert_eq!(r.communes_total, ids.len());
    same_as_one_assessment(&ws, &r, &ids, today);
    let r = report::rollup(&ws, province, today).unwrap();
    assert_eq!(r.communes_total, ids.len() + 13);
    same_as_one_assessment(&ws, &r, &ids, today);
}

/// Every commune of `ids` has in `r` the figures of the one-assessment path.
fn same_as_one_assessment(
    ws: &app::Workspace,
    r: &report::RollupJson,
    ids: &[(
        ntm_dossier::domain::ids::UnitId,
        ntm_dossier::domain::ids::AssessmentId,
    )],
    today: ntm_dossier::domain::vn_text::CivilDate,
) {
    for &(commune, a) in ids {
        let one = report::status(ws, a, today).unwrap();
        let st = &one.status;
        let c = r.communes.iter().find(|c| c.unit == commune.0).unwrap();
        assert_eq!(c.assessment, Some(a.0));
        assert_eq!(c.criteria_met, st.criteria_met, "{}", c.name);
        assert_eq!(c.criteria_total, st.criteria_total, "{}", c.name);
        assert_eq!(c.indicators_met, st.indicators_met, "{}", c.name);
        assert_eq!(c.indicators_total, st.indicators_total, "{}", c.name);
        assert_eq!(c.eligible, st.eligible, "{}", c.name);
        assert_eq!(c.revocation_risk, st.revocation.level.code(), "{}", c.name);
        let verdicts: Vec<(u32, &str)> = st
            .criteria
            .iter()
            .map(|x| (x.number, x.verdict.code()))
            .collect();
        let rolled: Vec<(u32, &str)> = c.criteria.iter().map(|x| (x.number, x.verdict)).collect();
        assert_eq!(rolled, verdicts, "{}", c.name);
        let year_start = ws
            .snapshot_at_year_start(a, today.year)
            .unwrap()
            .map(|s| s.criteria_met);
        assert_eq!(c.criteria_met_year_start, year_start, "{}", c.name);
    }
    // The data is varied enough to tell the paths apart: not every commune alike.
    let met: std::collections::BTreeSet<usize> = r
        .communes
        .iter()
        .filter(|c| ids.iter().any(|(u, _)| u.0 == c.unit))
        .map(|c| c.indicators_met)
        .collect();
    assert!(met.len() > 1, "{met:?}");
    let starts: std::collections::BTreeSet<Option<u32>> = r
        .communes
        .iter()
        .filter(|c| ids.iter().any(|(u, _)| u.0 == c.unit))
        .map(|c| c.criteria_met_year_start)
        .collect();
    assert_eq!(starts.len(), 3, "{starts:?}");
}
