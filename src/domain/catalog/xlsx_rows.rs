//! The spreadsheet form of an edition: three sheets of plain cells, one row per
//! indicator, for provincial offices that keep their criteria in Excel.
//!
//! This module maps cells to and from [`Edition`]; reading and writing the `.xlsx` file
//! itself happens in the app layer. Columns are documented in
//! `templates/criteria/README.md`. Problems are located by sheet and row.
#![allow(
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::toml_format::{
    FORMAT_VERSION, RawConditions, RawCriterion, RawEdition, RawIndicator, RawLegal,
    RawSourcedNumber, RawThreshold,
};
use super::{Edition, Problem, ThresholdValue};
use crate::domain::units::Segment;
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

    fn flag(&self) -> bool {
        match self {
            Cell::Bool(b) => *b,
            Cell::Number(n) => *n != 0.0,
            other => matches!(
                fold(&other.text()).as_str(),
                "co" | "x" | "1" | "true" | "dung"
            ),
        }
    }

    fn number(&self) -> Option<f64> {
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

fn span(sheet: usize, row: usize) -> Range<usize> {
    let at = sheet * 1_000_000 + row;
    at..at + 1
}

fn locate(span: Range<usize>) -> String {
    let sheet = SHEETS.get(span.start / 1_000_000).copied().unwrap_or("?");
    format!("trang tính {sheet}, hàng {}", span.start % 1_000_000)
}

fn column(name: &str, header: &[Cell]) -> Option<usize> {
    header
        .iter()
        .position(|c| c.text().eq_ignore_ascii_case(name))
}

fn get(row: &[Cell], col: Option<usize>) -> Cell {
    col.and_then(|c| row.get(c)).cloned().unwrap_or(Cell::Empty)
}

fn split_list(text: &str) -> Vec<String> {
    text.split('|').map(nfc).filter(|s| !s.is_empty()).collect()
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

    // Sheet 0: key/value pairs.
    let mut meta = BTreeMap::new();
    let mut meta_row = BTreeMap::new();
    for (i, row) in sheet("an_ban").iter().enumerate().skip(1) {
        let key = get(row, Some(0)).text();
        if !key.is_empty() {
            meta_row.insert(key.clone(), i + 1);
            meta.insert(key, get(row, Some(1)));
        }
    }
    let m = |k: &str| meta.get(k).map(Cell::text).unwrap_or_default();
    let mspan = |k: &str| span(0, meta_row.get(k).copied().unwrap_or(0));
    let whole_number = |k: &str, problems: &mut Vec<Problem>| -> Option<u32> {
        let text = m(k);
        if text.is_empty() {
            return None;
        }
        let n = meta
            .get(k)
            .and_then(Cell::number)
            .filter(|n| n.fract() == 0.0 && *n >= 0.0);
        if n.is_none() {
            problems.push(Problem {
                location: locate(mspan(k)),
                field: k.into(),
                message: format!("«{text}» không phải số nguyên"),
            });
        }
        n.map(|n| n as u32)
    };
    let criteria_expected = whole_number("criteria_expected", &mut problems);
    let indicators_expected = whole_number("indicators_expected", &mut problems);
    let satisfaction_percent = match meta
        .get("satisfaction_percent")
        .filter(|c| !c.text().is_empty())
    {
        None => None,
        Some(cell) => match cell.number() {
            Some(v) => Some(RawSourcedNumber {
                value: Spanned::new(mspan("satisfaction_percent"), v),
                verified: meta.get("satisfaction_verified").is_some_and(Cell::flag),
                source: m("satisfaction_source"),
            }),
            None => {
                problems.push(Problem {
                    location: locate(mspan("satisfaction_percent")),
                    field: "satisfaction_percent".into(),
                    message: format!("«{}» không phải số", cell.text()),
                });
                None
            }
        },
    };

    // Sheet 1: criteria.
    let crit_rows = sheet("tieu_chi");
    let header = crit_rows.first().cloned().unwrap_or_default();
    let cc: Vec<Option<usize>> = CRITERIA_COLUMNS
        .iter()
        .map(|n| column(n, &header))
        .collect();
    if cc[0].is_none() || cc[1].is_none() {
        problems.push(Problem {
            location: locate(span(1, 1)),
            field: "so, ten".into(),
            message: "thiếu cột bắt buộc «so» hoặc «ten»".into(),
        });
    }
    let mut criteria: Vec<RawCriterion> = Vec::new();
    for (i, row) in crit_rows.iter().enumerate().skip(1) {
        let at = span(1, i + 1);
        let number_cell = get(row, cc[0]);
        if number_cell.text().is_empty() && get(row, cc[1]).text().is_empty() {
            continue;
        }
        let Some(number) = number_cell.number().filter(|n| n.fract() == 0.0) else {
            problems.push(Problem {
                location: locate(at),
                field: "so".into(),
                message: format!("«{}» không phải số tiêu chí", number_cell.text()),
            });
            continue;
        };
        criteria.push(RawCriterion {
            number: Spanned::new(at.clone(), number as i64),
            name: Spanned::new(at, get(row, cc[1]).text()),
            group: get(row, cc[2]).text(),
            name_verified: get(row, cc[3]).flag(),
            revocation_key: get(row, cc[4]).flag(),
            note: get(row, cc[5]).text(),
            indicators: Vec::new(),
        });
    }

    // Sheet 2: indicators, each placed under the criterion its code starts with (the
    // first criterion of that number; looked up by number, not by scanning, so that a
    // sheet of thousands of rows stays linear).
    let mut criterion_index: std::collections::HashMap<i64, usize> =
        std::collections::HashMap::new();
    for (i, c) in criteria.iter().enumerate() {
        criterion_index.entry(*c.number.get_ref()).or_insert(i);
    }
    let ind_rows = sheet("chi_tieu");
    let header = ind_rows.first().cloned().unwrap_or_default();
    let ic: Vec<Option<usize>> = INDICATOR_COLUMNS
        .iter()
        .map(|n| column(n, &header))
        .collect();
    if ic[0].is_none() || ic[1].is_none() || ic[4].is_none() {
        problems.push(Problem {
            location: locate(span(2, 1)),
            field: "ma, noi_dung, loai".into(),
            message: "thiếu cột bắt buộc «ma», «noi_dung» hoặc «loai»".into(),
        });
    }
    // Threshold columns: nguong:<segment>[:<year>], with xac_minh:… and nguon:… beside.
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
                    column(&format!("xac_minh:{rest}"), &header),
                    column(&format!("nguon:{rest}"), &header),
                )),
            }
        }
    }
    for (i, row) in ind_rows.iter().enumerate().skip(1) {
        let at = span(2, i + 1);
        let code = get(row, ic[0]).text();
        if code.is_empty() && get(row, ic[1]).text().is_empty() {
            continue;
        }
        let kind = get(row, ic[4]).text();
        let levels = split_list(&get(row, ic[6]).text());
        let mut thresholds = Vec::new();
        for (col, seg, year, verified_col, source_col) in &threshold_cols {
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
                segment: Spanned::new(at.clone(), seg.clone()),
                year: *year,
                value: Spanned::new(at.clone(), value),
                verified: get(row, *verified_col).flag(),
                source: get(row, *source_col).text(),
            });
        }
        let raw = RawIndicator {
            code: Spanned::new(at.clone(), code.clone()),
            text: Spanned::new(at.clone(), get(row, ic[1]).text()),
            text_verified: get(row, ic[2]).flag(),
            unit: get(row, ic[3]).text(),
            kind: Spanned::new(at.clone(), kind),
            comparator: Spanned::new(at.clone(), {
                let c = get(row, ic[5]).text();
                if c.is_empty() { ">=".to_string() } else { c }
            }),
            levels,
            guidance: get(row, ic[7]).text(),
            data_office: get(row, ic[8]).text(),
            typical_proof: split_list(&get(row, ic[9]).text()),
            note: get(row, ic[10]).text(),
            thresholds,
        };
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
                location: locate(at),
                field: "ma".into(),
                message: format!(
                    "chỉ tiêu «{code}» không thuộc tiêu chí nào trong trang tính tieu_chi"
                ),
            }),
        }
    }

    finish_edition(
        &m,
        &mspan,
        &locate,
        (criteria_expected, indicators_expected),
        satisfaction_percent,
        criteria,
        problems,
    )
}

/// Lays an edition out as a workbook that [`edition_from_workbook`] reads back.
pub fn edition_to_workbook(edition: &Edition) -> Workbook {
    let t = |s: &str| Cell::Text(s.to_string());
    let b = |v: bool| Cell::Text(if v { "có" } else { "" }.to_string());
    let mut book = Workbook::new();
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
            t(&super::toml_format::computed_to_cell(
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
    book.insert(SHEETS[0].into(), rows);

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
    book.insert(SHEETS[1].into(), rows);

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
    book.insert(SHEETS[2].into(), rows);
    book
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
