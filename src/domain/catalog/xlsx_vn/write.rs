//! Laying an edition out as the office's workbook: the «Thông tin» sheet of facts and
//! the «Chỉ tiêu» sheet, a row per indicator and (year, source, verification) of its
//! thresholds, criterion columns repeated on each row.

use super::columns::{AFTER, BEFORE, Col, kind_text, segment_header, segments_of};
use super::{INDICATOR_SHEET, INFO_KEYS, INFO_SHEET};
use crate::domain::catalog::xlsx_rows::{Cell, Workbook};
use crate::domain::catalog::{Criterion, Edition, Indicator, ThresholdValue};
use std::collections::BTreeMap;

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn b(v: bool) -> Cell {
    Cell::Text(if v { "có" } else { "" }.to_string())
}

/// Lays an edition out as the office's workbook (the template `catalog template`
/// writes), which [`super::edition_from_office_workbook`] reads back to the same edition.
pub fn edition_to_office_workbook(edition: &Edition) -> Workbook {
    let mut book = Workbook::new();
    book.insert(INFO_SHEET.into(), info_sheet(edition));
    book.insert(INDICATOR_SHEET.into(), indicator_sheet(edition));
    book
}

/// The «Thông tin» sheet: a fact per row, by its Vietnamese label.
fn info_sheet(edition: &Edition) -> Vec<Vec<Cell>> {
    let sat = edition.conditions.satisfaction_percent.as_ref();
    let values = [
        t(edition.code.as_str()),
        t(&edition.title),
        t(edition.level.code()),
        t(&edition
            .targets
            .iter()
            .map(|x| x.code())
            .collect::<Vec<_>>()
            .join(",")),
        t(edition.keyed_by.code()),
        edition
            .criteria_expected
            .map_or(Cell::Empty, |n| Cell::Number(f64::from(n))),
        edition
            .indicators_expected
            .map_or(Cell::Empty, |n| Cell::Number(f64::from(n))),
        t(&edition.note),
        t(&edition.legal.decision),
        t(&edition.legal.signed_on),
        t(&edition.legal.annex),
        t(&edition.legal.effective_from),
        t(&edition.legal.effective_to),
        sat.map_or(Cell::Empty, |s| Cell::Number(s.value)),
        b(sat.is_some_and(|s| s.verified)),
        t(sat.map_or("", |s| &s.source)),
        t(&edition.conditions.other.join(" | ")),
        edition
            .revision
            .as_ref()
            .map_or(Cell::Empty, |r| Cell::Number(f64::from(r.number))),
        t(edition.revision.as_ref().map_or("", |r| &r.date)),
        t(edition.revision.as_ref().map_or("", |r| &r.office)),
        t(&crate::domain::catalog::toml_format::computed_to_cell(
            &edition.conditions.computed,
        )),
    ];
    let mut rows = vec![vec![t("Thông tin"), t("Giá trị")]];
    for ((label, _), value) in INFO_KEYS.iter().zip(values) {
        rows.push(vec![t(label), value]);
    }
    rows
}

/// The «Chỉ tiêu» sheet: the header, then each criterion's rows.
fn indicator_sheet(edition: &Edition) -> Vec<Vec<Cell>> {
    let segments = segments_of(edition.keyed_by);
    let mut header: Vec<Cell> = BEFORE.iter().map(|(_, n)| t(n)).collect();
    header.extend(segments.iter().map(|s| t(&segment_header(*s))));
    header.extend(AFTER.iter().map(|(_, n)| t(n)));
    let cols: Vec<Col> = BEFORE
        .iter()
        .map(|(c, _)| *c)
        .chain(segments.iter().map(|s| Col::Segment(*s)))
        .chain(AFTER.iter().map(|(c, _)| *c))
        .collect();
    let finish = |row: BTreeMap<usize, Cell>| -> Vec<Cell> {
        (0..cols.len())
            .map(|i| row.get(&i).cloned().unwrap_or(Cell::Empty))
            .collect()
    };
    let mut rows = vec![header];
    for c in &edition.criteria {
        if c.indicators.is_empty() {
            let mut row = BTreeMap::new();
            criterion_cells(c, &mut row, &cols);
            rows.push(finish(row));
        }
        for ind in &c.indicators {
            for row in indicator_rows(c, ind, &cols) {
                rows.push(finish(row));
            }
        }
    }
    rows
}

/// The criterion's own columns of a row.
fn criterion_cells(c: &Criterion, row: &mut BTreeMap<usize, Cell>, cols: &[Col]) {
    for (i, col) in cols.iter().enumerate() {
        let cell = match col {
            Col::Criterion => Cell::Number(f64::from(c.number)),
            Col::CriterionName => t(&c.name),
            Col::CriterionGroup => t(&c.group),
            Col::NameVerified => b(c.name_verified),
            Col::RevocationKey => b(c.revocation_key),
            Col::CriterionNote => t(&c.note),
            _ => continue,
        };
        row.insert(i, cell);
    }
}

/// An indicator's rows: one per (year, verified, source), in the order thresholds
/// appear; the indicator's texts on the first only.
fn indicator_rows(c: &Criterion, ind: &Indicator, cols: &[Col]) -> Vec<BTreeMap<usize, Cell>> {
    let mut groups: Vec<(Option<i32>, bool, String)> = Vec::new();
    for th in &ind.thresholds {
        let k = (th.year, th.verified, th.source.clone());
        if !groups.contains(&k) {
            groups.push(k);
        }
    }
    if groups.is_empty() {
        groups.push((None, false, String::new()));
    }
    let mut rows = Vec::new();
    for (gi, (year, verified, source)) in groups.iter().enumerate() {
        let mut row = BTreeMap::new();
        criterion_cells(c, &mut row, cols);
        for (i, col) in cols.iter().enumerate() {
            let cell = match col {
                Col::Code => t(ind.code.as_str()),
                Col::Text if gi == 0 => t(&ind.text),
                Col::TextVerified if gi == 0 => b(ind.text_verified),
                Col::Unit if gi == 0 => t(&ind.unit),
                Col::Kind if gi == 0 => t(kind_text(ind.kind)),
                Col::Comparator if gi == 0 => t(ind.comparator.symbol()),
                Col::Levels if gi == 0 => t(&ind.levels.join(" | ")),
                Col::Guidance if gi == 0 => t(&ind.guidance.how_to_measure),
                Col::DataOffice if gi == 0 => t(&ind.guidance.data_office),
                Col::Proof if gi == 0 => t(&ind.guidance.typical_proof.join(" | ")),
                Col::Note if gi == 0 => t(&ind.note),
                Col::Year => year.map_or(Cell::Empty, |y| Cell::Number(f64::from(y))),
                Col::Source => t(source),
                Col::Verified => b(*verified),
                Col::Segment(s) => ind
                    .thresholds
                    .iter()
                    .find(|th| {
                        th.segment == *s
                            && th.year == *year
                            && th.verified == *verified
                            && th.source == *source
                    })
                    .map_or(Cell::Empty, |th| match &th.value {
                        ThresholdValue::Number(n) => Cell::Number(*n),
                        ThresholdValue::Yes => t("Đạt"),
                        ThresholdValue::Level(l) => t(l),
                    }),
                _ => continue,
            };
            row.insert(i, cell);
        }
        rows.push(row);
    }
    rows
}
