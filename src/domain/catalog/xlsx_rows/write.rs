//! Laying an edition out as the three sheets of technical keys: its facts, its
//! criteria, and its indicators with one column group per (segment, year) of threshold.

use super::{CRITERIA_COLUMNS, Cell, INDICATOR_COLUMNS, SHEETS, Workbook};
use crate::domain::catalog::{Edition, ThresholdValue};
use crate::domain::units::Segment;

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn b(v: bool) -> Cell {
    Cell::Text(if v { "có" } else { "" }.to_string())
}

/// Lays an edition out as a workbook that [`super::edition_from_workbook`] reads back.
pub fn edition_to_workbook(edition: &Edition) -> Workbook {
    let mut book = Workbook::new();
    book.insert(SHEETS[0].into(), facts_sheet(edition));
    book.insert(SHEETS[1].into(), criteria_sheet(edition));
    book.insert(SHEETS[2].into(), indicators_sheet(edition));
    book
}

/// The `an_ban` sheet: one fact per row.
fn facts_sheet(edition: &Edition) -> Vec<Vec<Cell>> {
    let sat = edition.conditions.satisfaction_percent.as_ref();
    let meta = vec![
        ("code", t(edition.code.as_str())),
        ("title", t(&edition.title)),
        ("level", t(edition.level.code())),
        (
            "targets",
            t(&edition
                .targets
                .iter()
                .map(|x| x.code())
                .collect::<Vec<_>>()
                .join(",")),
        ),
        ("keyed_by", t(edition.keyed_by.code())),
        (
            "criteria_expected",
            edition
                .criteria_expected
                .map_or(Cell::Empty, |n| Cell::Number(f64::from(n))),
        ),
        (
            "indicators_expected",
            edition
                .indicators_expected
                .map_or(Cell::Empty, |n| Cell::Number(f64::from(n))),
        ),
        ("note", t(&edition.note)),
        ("decision", t(&edition.legal.decision)),
        ("signed_on", t(&edition.legal.signed_on)),
        ("annex", t(&edition.legal.annex)),
        ("effective_from", t(&edition.legal.effective_from)),
        ("effective_to", t(&edition.legal.effective_to)),
        (
            "satisfaction_percent",
            sat.map_or(Cell::Empty, |s| Cell::Number(s.value)),
        ),
        ("satisfaction_verified", b(sat.is_some_and(|s| s.verified))),
        ("satisfaction_source", t(sat.map_or("", |s| &s.source))),
        ("other_conditions", t(&edition.conditions.other.join(" | "))),
        (
            "computed_conditions",
            t(&crate::domain::catalog::toml_format::computed_to_cell(
                &edition.conditions.computed,
            )),
        ),
        (
            "revision_number",
            edition
                .revision
                .as_ref()
                .map_or(Cell::Empty, |r| Cell::Number(f64::from(r.number))),
        ),
        (
            "revision_date",
            t(edition.revision.as_ref().map_or("", |r| &r.date)),
        ),
        (
            "revision_office",
            t(edition.revision.as_ref().map_or("", |r| &r.office)),
        ),
    ];
    let mut rows = vec![vec![t("khoa"), t("gia_tri")]];
    rows.extend(meta.into_iter().map(|(k, v)| vec![t(k), v]));
    rows
}

/// The `tieu_chi` sheet: one criterion per row.
fn criteria_sheet(edition: &Edition) -> Vec<Vec<Cell>> {
    let mut rows = vec![CRITERIA_COLUMNS.iter().map(|c| t(c)).collect::<Vec<_>>()];
    for c in &edition.criteria {
        rows.push(vec![
            Cell::Number(f64::from(c.number)),
            t(&c.name),
            t(&c.group),
            b(c.name_verified),
            b(c.revocation_key),
            t(&c.note),
        ]);
    }
    rows
}

/// The `chi_tieu` sheet: one indicator per row, then one column group per (segment,
/// year) that any indicator uses, in a stable order.
fn indicators_sheet(edition: &Edition) -> Vec<Vec<Cell>> {
    // One column group per (segment, year) that any indicator uses, in a stable order.
    let mut keys: Vec<(Segment, Option<i32>)> = edition
        .indicators()
        .flat_map(|(_, i)| i.thresholds.iter().map(|t| (t.segment, t.year)))
        .collect();
    keys.sort();
    keys.dedup();
    let key_name = |(s, y): &(Segment, Option<i32>)| match y {
        Some(y) => format!("{}:{y}", s.code()),
        None => s.code(),
    };
    let mut header: Vec<Cell> = INDICATOR_COLUMNS.iter().map(|c| t(c)).collect();
    for k in &keys {
        let n = key_name(k);
        header.extend([
            t(&format!("nguong:{n}")),
            t(&format!("xac_minh:{n}")),
            t(&format!("nguon:{n}")),
        ]);
    }
    let mut rows = vec![header];
    for (_, i) in edition.indicators() {
        let mut row = vec![
            t(i.code.as_str()),
            t(&i.text),
            b(i.text_verified),
            t(&i.unit),
            t(i.kind.code()),
            t(i.comparator.code()),
            t(&i.levels.join(" | ")),
            t(&i.guidance.how_to_measure),
            t(&i.guidance.data_office),
            t(&i.guidance.typical_proof.join(" | ")),
            t(&i.note),
        ];
        for k in &keys {
            match i.thresholds.iter().find(|th| (th.segment, th.year) == *k) {
                Some(th) => row.extend([
                    match &th.value {
                        ThresholdValue::Number(n) => Cell::Number(*n),
                        ThresholdValue::Yes => t("có"),
                        ThresholdValue::Level(l) => t(l),
                    },
                    b(th.verified),
                    t(&th.source),
                ]),
                None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
            }
        }
        rows.push(row);
    }
    rows
}
