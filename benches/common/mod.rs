//! Data shared by the benchmarks.
#![allow(dead_code)]

use std::fmt::Write as _;

pub const CRITERIA: u32 = 19;
pub const INDICATORS: u32 = 57;

/// A synthetic edition (benchmark data only, not legal thresholds): 19 criteria, 57 ratio indicators.
pub fn synthetic_edition() -> String {
    let mut t = String::from(
        "format = 1\ncode = \"do-hieu-nang\"\ntitle = \"Bộ tiêu chí đo hiệu năng\"\nlevel = \"xa\"\ntargets = [\"ntm\"]\nkeyed_by = \"vung\"\n[legal]\ndecision = \"(đo hiệu năng)\"\n",
    );
    let mut code = 0;
    for c in 1..=CRITERIA {
        let _ = write!(t, "[[criteria]]\nnumber = {c}\nname = \"Tiêu chí {c}\"\n");
        for i in 1..=3 {
            code += 1;
            if code > INDICATORS {
                break;
            }
            let _ = write!(
                t,
                "[[criteria.indicators]]\ncode = \"{c}.{i}\"\ntext = \"Chỉ tiêu {c}.{i}\"\nunit = \"%\"\nkind = \"ty_le\"\n[[criteria.indicators.thresholds]]\nsegment = \"chung\"\nvalue = 80\nsource = \"đo hiệu năng\"\n[[criteria.indicators.thresholds]]\nsegment = \"dbsh\"\nvalue = 85\nsource = \"đo hiệu năng\"\n"
            );
        }
    }
    t
}

use ntm_dossier::app::{self, assessment, catalog, units::UnitForm};
use ntm_dossier::domain::ids::{AssessmentId, UnitId};
use ntm_dossier::store::Workspace;

/// A benchmark workspace in a temporary folder: the synthetic edition imported and one
/// province (Red River delta).
pub struct Bench {
    /// The folder (removed when dropped).
    pub dir: tempfile::TempDir,
    /// The workspace.
    pub ws: Workspace,
    /// The province.
    pub province: UnitId,
    /// The edition's indicator codes.
    pub codes: Vec<String>,
}

/// Opens `file` in a new temporary folder and prepares it.
pub fn bench_workspace(file: &str) -> Bench {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = app::open_workspace(&dir.path().join(file)).expect("open");
    let edition = dir.path().join("edition.toml");
    std::fs::write(&edition, synthetic_edition()).expect("write edition");
    catalog::import(&mut ws, &edition).expect("import edition");
    let province = app::units::add(
        &mut ws,
        &UnitForm {
            name: "Tỉnh Đo".into(),
            kind: "tinh".into(),
            region: "dbsh".into(),
            ..Default::default()
        },
    )
    .expect("province");
    let (_, ed) = catalog::load(&ws, "do-hieu-nang").expect("edition");
    let codes = ed.indicators().map(|(_, i)| i.code.to_string()).collect();
    Bench {
        dir,
        ws,
        province,
        codes,
    }
}

impl Bench {
    /// Adds commune `n` of a roll-up workload: values around 78–89 % and one
    /// evidence file linked to every indicator.
    pub fn rollup_commune(&mut self, n: usize) {
        let a = self.commune(&format!("Xã {n}"), 2025);
        let values: Vec<ntm_dossier::store::ValueRecord> = self
            .codes
            .iter()
            .enumerate()
            .map(|(k, code)| ntm_dossier::store::ValueRecord {
                numerator: Some(78.0 + ((n + k) % 12) as f64),
                denominator: Some(100.0),
                ..ntm_dossier::store::ValueRecord::new(
                    ntm_dossier::domain::catalog::IndicatorCode::parse(code).expect("code"),
                )
            })
            .collect();
        self.ws.put_values(a, &values).expect("values");
        let bytes = format!("%PDF-1.4 minh chứng xã {n}").into_bytes();
        self.ws
            .add_evidence(a, "bien-ban.pdf", "application/pdf", &bytes, 1, &self.codes)
            .expect("evidence");
    }

    /// Adds a commune under the province and an assessment of it.
    pub fn commune(&mut self, name: &str, year: i32) -> AssessmentId {
        let c = app::units::add(
            &mut self.ws,
            &UnitForm {
                name: name.into(),
                kind: "xa".into(),
                parent: self.province.to_string(),
                ..Default::default()
            },
        )
        .expect("commune");
        assessment::create(&mut self.ws, c, "do-hieu-nang", "ntm", year).expect("assessment")
    }
}

/// Peak resident memory of this process, MB (Linux; 0 elsewhere).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
