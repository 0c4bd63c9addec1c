//! The office's spreadsheet of an edition: Vietnamese column headers instead of the
//! technical keys of [`super::xlsx_rows`], one sheet «Chỉ tiêu» with a row per indicator
//! (criterion columns repeated on each row, a row of its own for a criterion without
//! indicators) and a sheet «Thông tin» with the edition's facts.
//!
//! `catalog template` writes it prefilled; `catalog import` reads it back. Headers are
//! matched without case or diacritics, so «MÃ CHỈ TIÊU», «Mã chỉ tiêu» and «ma chi tieu»
//! are one column. A row carries one (year, source, verification) of an indicator's
//! thresholds, with a value per segment column; an indicator whose thresholds differ in
//! year, source or verification takes one more row with the same code.

mod columns;
mod read;
mod write;

pub use read::edition_from_office_workbook;
pub use write::edition_to_office_workbook;

use super::xlsx_rows::{Cell, Workbook};
use super::{Edition, Problem};
use crate::domain::vn_text::{nfc, parse_number};
use columns::key;
use std::ops::Range;

/// The indicators sheet.
pub const INDICATOR_SHEET: &str = "Chỉ tiêu";
/// The edition's facts.
pub const INFO_SHEET: &str = "Thông tin";

/// The facts of the «Thông tin» sheet: (Vietnamese label, technical key).
pub(super) const INFO_KEYS: [(&str, &str); 21] = [
    ("Mã bộ tiêu chí", "code"),
    ("Tên bộ tiêu chí", "title"),
    ("Cấp (tinh, huyen, xa, thon)", "level"),
    ("Mục tiêu (ntm, nang-cao, kieu-mau, hien-dai)", "targets"),
    ("Ngưỡng theo (vung, nhom, khong)", "keyed_by"),
    ("Số tiêu chí của văn bản", "criteria_expected"),
    ("Số chỉ tiêu của văn bản", "indicators_expected"),
    ("Ghi chú", "note"),
    ("Quyết định", "decision"),
    ("Ngày ký", "signed_on"),
    ("Phụ lục", "annex"),
    ("Hiệu lực từ", "effective_from"),
    ("Hiệu lực đến", "effective_to"),
    ("Tỷ lệ hài lòng", "satisfaction_percent"),
    ("Tỷ lệ hài lòng đã đối chiếu", "satisfaction_verified"),
    ("Nguồn tỷ lệ hài lòng", "satisfaction_source"),
    ("Điều kiện khác", "other_conditions"),
    ("Lần ban hành", "revision_number"),
    ("Ngày ban hành", "revision_date"),
    ("Cơ quan ban hành", "revision_office"),
    ("Điều kiện tính từ dữ liệu", "computed_conditions"),
];

/// True when `book` is an office spreadsheet (a sheet whose first row has «Mã chỉ tiêu»
/// and «Nội dung chỉ tiêu») rather than the technical one.
pub fn is_office_workbook(book: &Workbook) -> bool {
    office_sheet(book).is_some()
}

pub(super) fn office_sheet(book: &Workbook) -> Option<(&String, &Vec<Vec<Cell>>)> {
    book.iter().find(|(_, rows)| {
        rows.first().is_some_and(|h| {
            let keys: Vec<String> = h.iter().map(|c| key(&c.text())).collect();
            keys.iter().any(|k| k == "ma chi tieu") && keys.iter().any(|k| k == "noi dung chi tieu")
        })
    })
}

pub(super) fn flag(cell: &Cell) -> bool {
    match cell {
        Cell::Bool(b) => *b,
        Cell::Number(n) => *n != 0.0,
        other => matches!(
            key(&other.text()).as_str(),
            "co" | "x" | "1" | "true" | "dung" | "da doi chieu" | "dat"
        ),
    }
}

pub(super) fn cell_number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n),
        other => parse_number(&other.text()),
    }
}

pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split('|').map(nfc).filter(|s| !s.is_empty()).collect()
}

pub(super) fn span(sheet: usize, row: usize) -> Range<usize> {
    let at = sheet * 1_000_000 + row;
    at..at + 1
}

pub(super) fn locate(span: Range<usize>) -> String {
    let sheet = [INFO_SHEET, INDICATOR_SHEET]
        .get(span.start / 1_000_000)
        .copied()
        .unwrap_or("?");
    format!("trang tính {sheet}, hàng {}", span.start % 1_000_000)
}

/// Reads an edition from either spreadsheet form: the office's (Vietnamese headers) or
/// the technical one of [`super::xlsx_rows`].
pub fn edition_from_any_workbook(book: &Workbook) -> Result<Edition, Vec<Problem>> {
    if is_office_workbook(book) {
        edition_from_office_workbook(book)
    } else {
        super::xlsx_rows::edition_from_workbook(book)
    }
}
