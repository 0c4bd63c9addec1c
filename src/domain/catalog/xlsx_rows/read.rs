//! Reading the three sheets of technical keys back into an edition: the facts of
//! `an_ban`, the criteria of `tieu_chi`, the indicators and their threshold columns of
//! `chi_tieu`.

use super::{
    CRITERIA_COLUMNS, Cell, INDICATOR_COLUMNS, SHEETS, Workbook, column, finish_edition, get,
    locate, span, split_list,
};
use crate::domain::catalog::Edition;
use crate::domain::catalog::Problem;
use crate::domain::catalog::toml_format::{
    RawCriterion, RawIndicator, RawSourcedNumber, RawThreshold,
};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use toml::Spanned;

/// The column of the `i`-th fixed column name, when the header has it.
fn at(cols: &[Option<usize>], i: usize) -> Option<usize> {
    cols.get(i).copied().flatten()
}

/// The `an_ban` sheet: each fact's cell and the row it stands on.
struct Facts {
    cells: BTreeMap<String, Cell>,
    rows: BTreeMap<String, usize>,
}

impl Facts {
    fn read(rows: &[Vec<Cell>]) -> Self {
        let mut cells = BTreeMap::new();
        let mut at_row = BTreeMap::new();
        for (i, row) in rows.iter().enumerate().skip(1) {
            let key = get(row, Some(0)).text();
            if !key.is_empty() {
                at_row.insert(key.clone(), i + 1);
                cells.insert(key, get(row, Some(1)));
            }
        }
        Facts {
            cells,
            rows: at_row,
        }
    }

    fn text(&self, k: &str) -> String {
        self.cells.get(k).map(Cell::text).unwrap_or_default()
    }

    fn span(&self, k: &str) -> Range<usize> {
        span(0, self.rows.get(k).copied().unwrap_or(0))
    }

    fn whole_number(&self, k: &str, problems: &mut Vec<Problem>) -> Option<u32> {
        let text = self.text(k);
        if text.is_empty() {
            return None;
        }
        let n = self
            .cells
            .get(k)
            .and_then(Cell::number)
            .filter(|n| n.fract() == 0.0 && *n >= 0.0);
        if n.is_none() {
            problems.push(Problem {
                location: locate(self.span(k)),
                field: k.into(),
                message: format!("«{text}» không phải số nguyên"),
            });
        }
        n.map(|n| n as u32)
    }

    fn satisfaction(&self, problems: &mut Vec<Problem>) -> Option<RawSourcedNumber> {
        let cell = self
            .cells
            .get("satisfaction_percent")
            .filter(|c| !c.text().is_empty())?;
        match cell.number() {
            Some(v) => Some(RawSourcedNumber {
                value: Spanned::new(self.span("satisfaction_percent"), v),
                verified: self
                    .cells
                    .get("satisfaction_verified")
                    .is_some_and(Cell::flag),
                source: self.text("satisfaction_source"),
            }),
            None => {
                problems.push(Problem {
                    location: locate(self.span("satisfaction_percent")),
                    field: "satisfaction_percent".into(),
                    message: format!("«{}» không phải số", cell.text()),
                });
                None
            }
        }
    }
}

/// Reads an edition from a workbook, reporting each problem with its sheet and row.
pub fn edition_from_workbook(book: &Workbook) -> Result<Edition, Vec<Problem>> {
    let mut problems = Vec::new();
    for name in SHEETS {
        if !book.contains_key(name) {
            problems.push(Problem {
                location: format!("trang tính {name}"),
                field: String::new(),
                message: "thiếu trang tính này".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let empty = Vec::new();
    let sheet = |name: &str| book.get(name).unwrap_or(&empty);
    let facts = Facts::read(sheet("an_ban"));
    let criteria_expected = facts.whole_number("criteria_expected", &mut problems);
    let indicators_expected = facts.whole_number("indicators_expected", &mut problems);
    let satisfaction_percent = facts.satisfaction(&mut problems);
    let mut criteria = read_criteria(sheet("tieu_chi"), &mut problems);
    read_indicators(sheet("chi_tieu"), &mut criteria, &mut problems);
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

/// Sheet 1: criteria.
fn read_criteria(crit_rows: &[Vec<Cell>], problems: &mut Vec<Problem>) -> Vec<RawCriterion> {
    let header = crit_rows.first().cloned().unwrap_or_default();
    let cc: Vec<Option<usize>> = CRITERIA_COLUMNS
        .iter()
        .map(|n| column(n, &header))
        .collect();
    if at(&cc, 0).is_none() || at(&cc, 1).is_none() {
        problems.push(Problem {
            location: locate(span(1, 1)),
            field: "so, ten".into(),
            message: "thiếu cột bắt buộc «so» hoặc «ten»".into(),
        });
    }
    let mut criteria: Vec<RawCriterion> = Vec::new();
    for (i, row) in crit_rows.iter().enumerate().skip(1) {
        let place = span(1, i + 1);
        let number_cell = get(row, at(&cc, 0));
        if number_cell.text().is_empty() && get(row, at(&cc, 1)).text().is_empty() {
            continue;
        }
        let Some(number) = number_cell.number().filter(|n| n.fract() == 0.0) else {
            problems.push(Problem {
                location: locate(place),
                field: "so".into(),
                message: format!("«{}» không phải số tiêu chí", number_cell.text()),
            });
            continue;
        };
        criteria.push(RawCriterion {
            number: Spanned::new(place.clone(), number as i64),
            name: Spanned::new(place, get(row, at(&cc, 1)).text()),
            group: get(row, at(&cc, 2)).text(),
            name_verified: get(row, at(&cc, 3)).flag(),
            revocation_key: get(row, at(&cc, 4)).flag(),
            note: get(row, at(&cc, 5)).text(),
            indicators: Vec::new(),
        });
    }
    criteria
}

/// A threshold column group: the value's column, the segment code, the year, and the
/// columns of its verified flag and source.
type ThresholdColumn = (usize, String, Option<i32>, Option<usize>, Option<usize>);

/// Threshold columns: nguong:<segment>[:<year>], with xac_minh:… and nguon:… beside.
fn threshold_columns(header: &[Cell], problems: &mut Vec<Problem>) -> Vec<ThresholdColumn> {
    let mut threshold_cols = Vec::new();
    for (col, cell) in header.iter().enumerate() {
        let name = cell.text();
        if let Some(rest) = name.strip_prefix("nguong:") {
            let mut parts = rest.splitn(2, ':');
            let seg = parts.next().unwrap_or_default().to_string();
            let year = parts.next().map(|y| y.trim().parse::<i32>());
            match year {
                Some(Err(_)) => problems.push(Problem {
                    location: locate(span(2, 1)),
                    field: name.clone(),
                    message: "năm trong tên cột không hợp lệ".into(),
                }),
                _ => threshold_cols.push((
                    col,
                    seg,
                    year.and_then(Result::ok),
                    column(&format!("xac_minh:{rest}"), header),
                    column(&format!("nguon:{rest}"), header),
                )),
            }
        }
    }
    threshold_cols
}

/// Sheet 2: indicators, each placed under the criterion its code starts with (the
/// first criterion of that number; looked up by number, not by scanning, so that a
/// sheet of thousands of rows stays linear).
fn read_indicators(
    ind_rows: &[Vec<Cell>],
    criteria: &mut [RawCriterion],
    problems: &mut Vec<Problem>,
) {
    let mut criterion_index: HashMap<i64, usize> = HashMap::new();
    for (i, c) in criteria.iter().enumerate() {
        criterion_index.entry(*c.number.get_ref()).or_insert(i);
    }
    let header = ind_rows.first().cloned().unwrap_or_default();
    let ic: Vec<Option<usize>> = INDICATOR_COLUMNS
        .iter()
        .map(|n| column(n, &header))
        .collect();
    if at(&ic, 0).is_none() || at(&ic, 1).is_none() || at(&ic, 4).is_none() {
        problems.push(Problem {
            location: locate(span(2, 1)),
            field: "ma, noi_dung, loai".into(),
            message: "thiếu cột bắt buộc «ma», «noi_dung» hoặc «loai»".into(),
        });
    }
    let threshold_cols = threshold_columns(&header, problems);
    for (i, row) in ind_rows.iter().enumerate().skip(1) {
        let place = span(2, i + 1);
        let code = get(row, at(&ic, 0)).text();
        if code.is_empty() && get(row, at(&ic, 1)).text().is_empty() {
            continue;
        }
        let raw = indicator_row(row, &ic, &threshold_cols, &place);
        let number = code
            .split('.')
            .next()
            .and_then(|n| n.trim().parse::<i64>().ok());
        match number
            .and_then(|n| criterion_index.get(&n).copied())
            .and_then(|i| criteria.get_mut(i))
        {
            Some(c) => c.indicators.push(raw),
            None => problems.push(Problem {
                location: locate(place),
                field: "ma".into(),
                message: format!(
                    "chỉ tiêu «{code}» không thuộc tiêu chí nào trong trang tính tieu_chi"
                ),
            }),
        }
    }
}

/// One row of the indicators sheet.
fn indicator_row(
    row: &[Cell],
    ic: &[Option<usize>],
    threshold_cols: &[ThresholdColumn],
    place: &Range<usize>,
) -> RawIndicator {
    let code = get(row, at(ic, 0)).text();
    let kind = get(row, at(ic, 4)).text();
    let levels = split_list(&get(row, at(ic, 6)).text());
    let mut thresholds = Vec::new();
    for (col, seg, year, verified_col, source_col) in threshold_cols {
        let cell = get(row, Some(*col));
        if cell.text().is_empty() {
            continue;
        }
        let value = match (kind.as_str(), &cell) {
            ("co_khong", c) => toml::Value::Boolean(c.flag()),
            ("muc_do", c) => toml::Value::String(c.text()),
            (_, c) => match c.number() {
                Some(n) => toml::Value::Float(n),
                None => toml::Value::String(c.text()),
            },
        };
        thresholds.push(RawThreshold {
            segment: Spanned::new(place.clone(), seg.clone()),
            year: *year,
            value: Spanned::new(place.clone(), value),
            verified: get(row, *verified_col).flag(),
            source: get(row, *source_col).text(),
        });
    }
    RawIndicator {
        code: Spanned::new(place.clone(), code),
        text: Spanned::new(place.clone(), get(row, at(ic, 1)).text()),
        text_verified: get(row, at(ic, 2)).flag(),
        unit: get(row, at(ic, 3)).text(),
        kind: Spanned::new(place.clone(), kind),
        comparator: Spanned::new(place.clone(), {
            let c = get(row, at(ic, 5)).text();
            if c.is_empty() { ">=".to_string() } else { c }
        }),
        levels,
        guidance: get(row, at(ic, 7)).text(),
        data_office: get(row, at(ic, 8)).text(),
        typical_proof: split_list(&get(row, at(ic, 9)).text()),
        note: get(row, at(ic, 10)).text(),
        thresholds,
    }
}
