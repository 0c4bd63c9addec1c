//! The spreadsheet form of an edition: three sheets of plain cells, one row per
//! indicator, for provincial offices that keep their criteria in Excel.
//!
//! This module maps cells to and from [`Edition`]; reading and writing the `.xlsx` file
//! itself happens in the app layer. Columns are documented in
//! `templates/criteria/README.md`. Problems are located by sheet and row.

mod read;
mod write;

pub use read::edition_from_workbook;
pub use write::edition_to_workbook;

use super::toml_format::{
    FORMAT_VERSION, RawConditions, RawCriterion, RawEdition, RawLegal, RawSourcedNumber,
};
use super::{Edition, Problem};
use crate::domain::vn_text::{fold, nfc, parse_number};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// One cell as read from a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
}

impl Cell {
    /// The cell as trimmed NFC text (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => nfc(s),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => if *b { "có" } else { "không" }.to_string(),
        }
    }

    pub(super) fn flag(&self) -> bool {
        match self {
            Cell::Bool(b) => *b,
            Cell::Number(n) => *n != 0.0,
            other => matches!(
                fold(&other.text()).as_str(),
                "co" | "x" | "1" | "true" | "dung"
            ),
        }
    }

    pub(super) fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            other => parse_number(&other.text()),
        }
    }
}

/// Sheet names, in order.
pub const SHEETS: [&str; 3] = ["an_ban", "tieu_chi", "chi_tieu"];
/// Fixed columns of the criteria sheet.
pub const CRITERIA_COLUMNS: [&str; 6] = [
    "so",
    "ten",
    "nhom",
    "ten_da_xac_minh",
    "then_chot_thu_hoi",
    "ghi_chu",
];
/// Fixed columns of the indicators sheet; threshold columns follow.
pub const INDICATOR_COLUMNS: [&str; 11] = [
    "ma",
    "noi_dung",
    "noi_dung_da_xac_minh",
    "don_vi",
    "loai",
    "so_sanh",
    "cac_muc",
    "huong_dan",
    "co_quan_du_lieu",
    "minh_chung",
    "ghi_chu",
];

/// A workbook: sheet name to rows of cells (the first row is the header).
pub type Workbook = BTreeMap<String, Vec<Vec<Cell>>>;

pub(super) fn span(sheet: usize, row: usize) -> Range<usize> {
    let at = sheet * 1_000_000 + row;
    at..at + 1
}

pub(super) fn locate(span: Range<usize>) -> String {
    let sheet = SHEETS.get(span.start / 1_000_000).copied().unwrap_or("?");
    format!("trang tính {sheet}, hàng {}", span.start % 1_000_000)
}

pub(super) fn column(name: &str, header: &[Cell]) -> Option<usize> {
    header
        .iter()
        .position(|c| c.text().eq_ignore_ascii_case(name))
}

pub(super) fn get(row: &[Cell], col: Option<usize>) -> Cell {
    col.and_then(|c| row.get(c)).cloned().unwrap_or(Cell::Empty)
}

pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split('|').map(nfc).filter(|s| !s.is_empty()).collect()
}

/// The edition read from a workbook's facts (`m` gives a fact's text, `mspan` its place)
/// and its criteria, validated as an edition file is; `problems` found while reading the
/// rows are returned with the validation's own; `locate` names a place in that layout's
/// sheets. Shared by both workbook layouts.
pub(super) fn finish_edition(
    m: &dyn Fn(&str) -> String,
    mspan: &dyn Fn(&str) -> Range<usize>,
    locate: &dyn Fn(Range<usize>) -> String,
    (criteria_expected, indicators_expected): (Option<u32>, Option<u32>),
    satisfaction_percent: Option<RawSourcedNumber>,
    criteria: Vec<RawCriterion>,
    mut problems: Vec<Problem>,
) -> Result<Edition, Vec<Problem>> {
    let raw = RawEdition {
        format: Spanned::new(mspan("code"), FORMAT_VERSION),
        code: Spanned::new(mspan("code"), m("code")),
        title: Spanned::new(mspan("title"), m("title")),
        level: Spanned::new(mspan("level"), m("level")),
        targets: Spanned::new(
            mspan("targets"),
            m("targets")
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        keyed_by: Spanned::new(mspan("keyed_by"), m("keyed_by")),
        criteria_expected,
        indicators_expected,
        note: m("note"),
        legal: RawLegal {
            decision: m("decision"),
            signed_on: m("signed_on"),
            annex: m("annex"),
            effective_from: m("effective_from"),
            effective_to: m("effective_to"),
        },
        conditions: RawConditions {
            satisfaction_percent,
            other: split_list(&m("other_conditions")),
            computed: super::toml_format::computed_from_cell(
                &m("computed_conditions"),
                mspan("computed_conditions"),
            )
            .unwrap_or_else(|| {
                problems.push(Problem {
                    location: locate(mspan("computed_conditions")),
                    field: "computed_conditions".into(),
                    message: "điều kiện tính từ dữ liệu viết sai dạng (xem README bộ tiêu chí)"
                        .into(),
                });
                Vec::new()
            }),
        },
        revision: super::toml_format::revision_from_texts(
            &m("revision_number"),
            &m("revision_date"),
            &m("revision_office"),
            mspan("revision_number"),
        ),
        criteria,
    };
    match super::toml_format::validate(raw, locate) {
        Ok(edition) if problems.is_empty() => Ok(edition),
        Ok(_) => Err(problems),
        Err(mut more) => {
            problems.append(&mut more);
            Err(problems)
        }
    }
}
