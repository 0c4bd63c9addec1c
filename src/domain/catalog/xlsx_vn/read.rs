//! Reading the office's workbook back into an edition: facts by label or technical key,
//! criteria and indicators from the rows of «Chỉ tiêu», a threshold per segment column.

use super::columns::{Col, column_of, key, kind_code};
use super::{
    INDICATOR_SHEET, INFO_KEYS, INFO_SHEET, cell_number, flag, locate, office_sheet, span,
    split_list,
};
use crate::domain::catalog::toml_format::{
    RawCriterion, RawIndicator, RawSourcedNumber, RawThreshold,
};
use crate::domain::catalog::xlsx_rows::{Cell, Workbook, finish_edition};
use crate::domain::catalog::{Edition, Problem};
use crate::domain::units::Segment;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// The facts of the «Thông tin» sheet by technical key: each cell and its row.
struct Facts(BTreeMap<&'static str, (Cell, usize)>);

impl Facts {
    fn read(info: &[Vec<Cell>]) -> Self {
        let mut meta: BTreeMap<&'static str, (Cell, usize)> = BTreeMap::new();
        for (i, row) in info.iter().enumerate() {
            let label = row.first().map(Cell::text).unwrap_or_default();
            let k = key(&label);
            if let Some((_, tech)) = INFO_KEYS
                .iter()
                .find(|(l, tech)| key(l) == k || key(tech) == k)
            {
                meta.insert(tech, (row.get(1).cloned().unwrap_or(Cell::Empty), i + 1));
            }
        }
        Facts(meta)
    }

    fn text(&self, k: &str) -> String {
        self.0.get(k).map(|(c, _)| c.text()).unwrap_or_default()
    }

    fn span(&self, k: &str) -> Range<usize> {
        span(0, self.0.get(k).map_or(0, |(_, r)| *r))
    }

    fn whole(&self, k: &str, problems: &mut Vec<Problem>) -> Option<u32> {
        let (cell, _) = self.0.get(k)?;
        if cell.text().is_empty() {
            return None;
        }
        let n = cell_number(cell).filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < 10_000.0);
        if n.is_none() {
            problems.push(Problem {
                location: locate(self.span(k)),
                field: k.into(),
                message: format!("«{}» không phải số nguyên", cell.text()),
            });
        }
        n.map(|n| n as u32)
    }

    fn satisfaction(&self, problems: &mut Vec<Problem>) -> Option<RawSourcedNumber> {
        let (cell, _) = self
            .0
            .get("satisfaction_percent")
            .filter(|(c, _)| !c.text().is_empty())?;
        match cell_number(cell) {
            Some(v) => Some(RawSourcedNumber {
                value: Spanned::new(self.span("satisfaction_percent"), v),
                verified: self
                    .0
                    .get("satisfaction_verified")
                    .is_some_and(|(c, _)| flag(c)),
                source: self.text("satisfaction_source"),
            }),
            None => {
                problems.push(Problem {
                    location: locate(self.span("satisfaction_percent")),
                    field: "Tỷ lệ hài lòng".into(),
                    message: format!("«{}» không phải số", cell.text()),
                });
                None
            }
        }
    }
}

/// Reads an edition from the office's workbook, reporting each problem with its sheet,
/// row and column header.
pub fn edition_from_office_workbook(book: &Workbook) -> Result<Edition, Vec<Problem>> {
    let mut problems = Vec::new();
    let Some((_, rows)) = office_sheet(book) else {
        return Err(vec![Problem {
            location: format!("trang tính {INDICATOR_SHEET}"),
            field: String::new(),
            message: "không có trang tính nào có cột «Mã chỉ tiêu» và «Nội dung chỉ tiêu»".into(),
        }]);
    };
    // The facts: labels or technical keys in the first column.
    let info = book
        .iter()
        .find(|(name, r)| {
            key(name) == key(INFO_SHEET)
                || r.iter().any(|row| {
                    row.first().is_some_and(|c| {
                        INFO_KEYS
                            .first()
                            .is_some_and(|(label, _)| key(&c.text()) == key(label))
                    })
                })
        })
        .map(|(_, r)| r);
    let Some(info) = info else {
        return Err(vec![Problem {
            location: format!("trang tính {INFO_SHEET}"),
            field: String::new(),
            message: "thiếu trang tính này (mã, tên, cấp, cách chia ngưỡng của bộ tiêu chí)".into(),
        }]);
    };
    let facts = Facts::read(info);
    let criteria_expected = facts.whole("criteria_expected", &mut problems);
    let indicators_expected = facts.whole("indicators_expected", &mut problems);
    let satisfaction_percent = facts.satisfaction(&mut problems);
    let criteria = read_rows(rows, &mut problems);
    finish_edition(
        &|k| facts.text(k),
        &|k| facts.span(k),
        &locate,
        (criteria_expected, indicators_expected),
        satisfaction_percent,
        criteria,
        problems,
    )
}

/// The columns of the «Chỉ tiêu» sheet, as its header names them.
struct Columns {
    cols: Vec<Option<Col>>,
    segments: Vec<(usize, Segment)>,
}

impl Columns {
    fn get(&self, row: &[Cell], col: Col) -> Cell {
        self.cols
            .iter()
            .position(|c| *c == Some(col))
            .and_then(|i| row.get(i))
            .cloned()
            .unwrap_or(Cell::Empty)
    }
}

/// The criteria of the «Chỉ tiêu» rows, each indicator under its criterion.
fn read_rows(rows: &[Vec<Cell>], problems: &mut Vec<Problem>) -> Vec<RawCriterion> {
    let header = rows.first().cloned().unwrap_or_default();
    let cols: Vec<Option<Col>> = header.iter().map(|c| column_of(&c.text())).collect();
    let segments: Vec<(usize, Segment)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Some(Col::Segment(s)) => Some((i, *s)),
            _ => None,
        })
        .collect();
    let cols = Columns { cols, segments };
    let mut criteria: Vec<RawCriterion> = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        read_row(row, span(1, i + 1), &cols, &mut criteria, problems);
    }
    criteria
}

/// The criterion number of a row: its «Tiêu chí» cell, or the head of its code.
fn criterion_number(
    row: &[Cell],
    here: &Range<usize>,
    cols: &Columns,
    problems: &mut Vec<Problem>,
) -> Option<i64> {
    let code = cols.get(row, Col::Code).text();
    let number_cell = cols.get(row, Col::Criterion);
    if code.is_empty() && number_cell.text().is_empty() {
        if row.iter().any(|c| !c.text().is_empty()) {
            problems.push(Problem {
                location: locate(here.clone()),
                field: "Tiêu chí".into(),
                message: "hàng không ghi số tiêu chí hay mã chỉ tiêu; hãy ghi một trong hai hoặc xóa hàng".into(),
            });
        }
        return None;
    }
    let number = match cell_number(&number_cell).filter(|n| n.fract() == 0.0) {
        Some(n) => Some(n as i64),
        None if number_cell.text().is_empty() => code
            .split('.')
            .next()
            .and_then(|n| n.trim().parse::<i64>().ok()),
        None => None,
    };
    if number.is_none() {
        problems.push(Problem {
            location: locate(here.clone()),
            field: "Tiêu chí".into(),
            message: format!("«{}» không phải số tiêu chí", number_cell.text()),
        });
    }
    number
}

/// The «Năm» of a row: `Ok(None)` when empty, `Err` (reported) when not a year.
fn row_year(
    row: &[Cell],
    here: &Range<usize>,
    cols: &Columns,
    problems: &mut Vec<Problem>,
) -> Result<Option<i32>, ()> {
    let year_cell = cols.get(row, Col::Year);
    if year_cell.text().is_empty() {
        return Ok(None);
    }
    match cell_number(&year_cell).filter(|y| y.fract() == 0.0 && (1900.0..=2200.0).contains(y)) {
        Some(y) => Ok(Some(y as i32)),
        None => {
            problems.push(Problem {
                location: locate(here.clone()),
                field: "Năm".into(),
                message: format!("«{}» không phải một năm (ví dụ 2027)", year_cell.text()),
            });
            Err(())
        }
    }
}

/// One row: its criterion (created at its first row), its indicator (created at its
/// first row) and the thresholds of its segment columns.
fn read_row(
    row: &[Cell],
    here: Range<usize>,
    cols: &Columns,
    criteria: &mut Vec<RawCriterion>,
    problems: &mut Vec<Problem>,
) {
    let Some(number) = criterion_number(row, &here, cols, problems) else {
        return;
    };
    let code = cols.get(row, Col::Code).text();
    let pos = match criteria.iter().position(|c| *c.number.get_ref() == number) {
        Some(p) => p,
        None => {
            criteria.push(RawCriterion {
                number: Spanned::new(here.clone(), number),
                name: Spanned::new(here.clone(), cols.get(row, Col::CriterionName).text()),
                name_verified: flag(&cols.get(row, Col::NameVerified)),
                group: cols.get(row, Col::CriterionGroup).text(),
                revocation_key: flag(&cols.get(row, Col::RevocationKey)),
                note: cols.get(row, Col::CriterionNote).text(),
                indicators: Vec::new(),
            });
            criteria.len() - 1
        }
    };
    let Some(criterion) = criteria.get_mut(pos) else {
        return;
    };
    if code.is_empty() {
        return;
    }
    let Ok(year) = row_year(row, &here, cols, problems) else {
        return;
    };
    let indicator_pos = criterion
        .indicators
        .iter()
        .position(|ri| ri.code.get_ref().trim() == code.trim());
    let indicator = match indicator_pos {
        Some(p) => criterion.indicators.get_mut(p),
        None => {
            criterion
                .indicators
                .push(new_indicator(row, &here, cols, code));
            criterion.indicators.last_mut()
        }
    };
    let Some(indicator) = indicator else {
        return;
    };
    let kind = indicator.kind.get_ref().clone();
    for (col, segment) in &cols.segments {
        let cell = row.get(*col).cloned().unwrap_or(Cell::Empty);
        if cell.text().is_empty() {
            continue;
        }
        let value = match (kind.as_str(), &cell) {
            ("co_khong", c) => toml::Value::Boolean(flag(c)),
            ("muc_do", c) => toml::Value::String(c.text()),
            (_, c) => match cell_number(c) {
                Some(n) => toml::Value::Float(n),
                None => toml::Value::String(c.text()),
            },
        };
        indicator.thresholds.push(RawThreshold {
            segment: Spanned::new(here.clone(), segment.code()),
            year,
            value: Spanned::new(here.clone(), value),
            verified: flag(&cols.get(row, Col::Verified)),
            source: cols.get(row, Col::Source).text(),
        });
    }
}

/// An indicator as its first row gives it, without thresholds yet.
fn new_indicator(row: &[Cell], here: &Range<usize>, cols: &Columns, code: String) -> RawIndicator {
    let comparator = cols.get(row, Col::Comparator).text();
    RawIndicator {
        code: Spanned::new(here.clone(), code),
        text: Spanned::new(here.clone(), cols.get(row, Col::Text).text()),
        text_verified: flag(&cols.get(row, Col::TextVerified)),
        unit: cols.get(row, Col::Unit).text(),
        kind: Spanned::new(here.clone(), kind_code(&cols.get(row, Col::Kind).text())),
        comparator: Spanned::new(
            here.clone(),
            if comparator.is_empty() {
                ">=".into()
            } else {
                comparator
            },
        ),
        levels: split_list(&cols.get(row, Col::Levels).text()),
        guidance: cols.get(row, Col::Guidance).text(),
        data_office: cols.get(row, Col::DataOffice).text(),
        typical_proof: split_list(&cols.get(row, Col::Proof).text()),
        note: cols.get(row, Col::Note).text(),
        thresholds: Vec::new(),
    }
}
