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
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::toml_format::{RawCriterion, RawIndicator, RawSourcedNumber, RawThreshold};
use super::xlsx_rows::{Cell, Workbook, finish_edition};
use super::{Edition, IndicatorKind, KeyedBy, Problem, ThresholdValue};
use crate::domain::units::{Region, Segment};
use crate::domain::vn_text::{fold, nfc, parse_number};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// The indicators sheet.
pub const INDICATOR_SHEET: &str = "Chỉ tiêu";
/// The edition's facts.
pub const INFO_SHEET: &str = "Thông tin";

/// The facts of the «Thông tin» sheet: (Vietnamese label, technical key).
const INFO_KEYS: [(&str, &str); 21] = [
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

/// What a column of the «Chỉ tiêu» sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Criterion,
    CriterionName,
    CriterionGroup,
    NameVerified,
    RevocationKey,
    CriterionNote,
    Code,
    Text,
    TextVerified,
    Unit,
    Kind,
    Comparator,
    Levels,
    Segment(Segment),
    Year,
    Source,
    Verified,
    Guidance,
    DataOffice,
    Proof,
    Note,
}

/// The fixed columns before the segments, with their headers.
const BEFORE: [(Col, &str); 7] = [
    (Col::Criterion, "Tiêu chí"),
    (Col::CriterionName, "Tên tiêu chí"),
    (Col::Code, "Mã chỉ tiêu"),
    (Col::Text, "Nội dung chỉ tiêu"),
    (Col::Unit, "Đơn vị"),
    (
        Col::Kind,
        "Loại (tỷ lệ, số tiền, số lượng, có/không, mức độ)",
    ),
    (Col::Comparator, "So sánh (≥, ≤, =)"),
];

/// The fixed columns after the segments.
const AFTER: [(Col, &str); 13] = [
    (Col::Year, "Năm"),
    (Col::Source, "Nguồn"),
    (Col::Verified, "Đã đối chiếu"),
    (Col::Guidance, "Hướng dẫn"),
    (Col::DataOffice, "Cơ quan giữ số liệu"),
    (Col::Proof, "Minh chứng thường dùng"),
    (Col::Levels, "Các mức (từ thấp đến cao, cách nhau bằng |)"),
    (Col::TextVerified, "Nội dung đã đối chiếu"),
    (Col::Note, "Ghi chú chỉ tiêu"),
    (Col::CriterionGroup, "Nhóm tiêu chí"),
    (Col::NameVerified, "Tên tiêu chí đã đối chiếu"),
    (Col::RevocationKey, "Tiêu chí then chốt khi xét thu hồi"),
    (Col::CriterionNote, "Ghi chú tiêu chí"),
];

/// A header key: folded, punctuation as spaces, single spaces; the part in brackets
/// («Loại (tỷ lệ, …)») left out.
fn key(text: &str) -> String {
    let text = nfc(text);
    let head = text.split('(').next().unwrap_or_default();
    let folded: String = fold(head)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The header of a segment column in the office's sheet.
fn segment_header(segment: Segment) -> String {
    match segment {
        Segment::General => "Chung".into(),
        Segment::Group(g) => format!("Nhóm {}", g.code()),
        Segment::Region(r) => match r {
            Region::NorthernMountains => "TDMNPB",
            Region::RedRiverDelta => "ĐBSH",
            Region::NorthCentral => "BTB",
            Region::SouthCentralCoast => "DHNTB",
            Region::CentralHighlands => "TN",
            Region::Southeast => "ĐNB",
            Region::MekongDelta => "ĐBSCL",
        }
        .into(),
    }
}

/// Every segment of an edition keyed this way, in the order of the sheet.
fn segments_of(keyed_by: KeyedBy) -> Vec<Segment> {
    let mut all = vec![Segment::General];
    match keyed_by {
        KeyedBy::Group => all.extend(
            crate::domain::units::CommuneGroup::ALL
                .iter()
                .map(|g| Segment::Group(*g)),
        ),
        KeyedBy::Region => all.extend(Region::ALL.iter().map(|r| Segment::Region(*r))),
        KeyedBy::Nothing => {}
    }
    all
}

fn column_of(header: &str) -> Option<Col> {
    let k = key(header);
    for (col, name) in BEFORE.iter().chain(AFTER.iter()) {
        if key(name) == k {
            return Some(*col);
        }
    }
    let alias = match k.as_str() {
        "so tieu chi" => Some(Col::Criterion),
        "ma" => Some(Col::Code),
        "noi dung" => Some(Col::Text),
        "don vi tinh" => Some(Col::Unit),
        "ghi chu" => Some(Col::Note),
        _ => None,
    };
    if alias.is_some() {
        return alias;
    }
    let all = segments_of(KeyedBy::Region)
        .into_iter()
        .chain(segments_of(KeyedBy::Group));
    for s in all {
        let full = match s {
            Segment::Region(r) => key(r.label()),
            Segment::Group(g) => format!("xa nhom {}", g.code()),
            Segment::General => "chi tieu chung".into(),
        };
        if k == key(&segment_header(s)) || k == full || k == key(&s.code()) {
            return Some(Col::Segment(s));
        }
    }
    None
}

/// True when `book` is an office spreadsheet (a sheet whose first row has «Mã chỉ tiêu»
/// and «Nội dung chỉ tiêu») rather than the technical one.
pub fn is_office_workbook(book: &Workbook) -> bool {
    office_sheet(book).is_some()
}

fn office_sheet(book: &Workbook) -> Option<(&String, &Vec<Vec<Cell>>)> {
    book.iter().find(|(_, rows)| {
        rows.first().is_some_and(|h| {
            let keys: Vec<String> = h.iter().map(|c| key(&c.text())).collect();
            keys.iter().any(|k| k == "ma chi tieu") && keys.iter().any(|k| k == "noi dung chi tieu")
        })
    })
}

fn kind_text(kind: IndicatorKind) -> &'static str {
    match kind {
        IndicatorKind::Ratio => "tỷ lệ",
        IndicatorKind::Amount => "số tiền",
        IndicatorKind::Count => "số lượng",
        IndicatorKind::YesNo => "có/không",
        IndicatorKind::Level => "mức độ",
    }
}

fn kind_code(text: &str) -> String {
    let k = key(text);
    let found = IndicatorKind::ALL
        .into_iter()
        .find(|kind| key(kind_text(*kind)) == k || key(kind.code()) == k || key(kind.label()) == k);
    match found {
        Some(kind) => kind.code().to_string(),
        None if k == "gia tri" => IndicatorKind::Amount.code().into(),
        None => text.trim().to_string(),
    }
}

fn flag(cell: &Cell) -> bool {
    match cell {
        Cell::Bool(b) => *b,
        Cell::Number(n) => *n != 0.0,
        other => matches!(
            key(&other.text()).as_str(),
            "co" | "x" | "1" | "true" | "dung" | "da doi chieu" | "dat"
        ),
    }
}

fn cell_number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n),
        other => parse_number(&other.text()),
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split('|').map(nfc).filter(|s| !s.is_empty()).collect()
}

/// Lays an edition out as the office's workbook (the template `catalog template`
/// writes), which [`edition_from_office_workbook`] reads back to the same edition.
pub fn edition_to_office_workbook(edition: &Edition) -> Workbook {
    let t = |s: &str| Cell::Text(s.to_string());
    let b = |v: bool| Cell::Text(if v { "có" } else { "" }.to_string());
    let mut book = Workbook::new();
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
        t(&super::toml_format::computed_to_cell(
            &edition.conditions.computed,
        )),
    ];
    let mut rows = vec![vec![t("Thông tin"), t("Giá trị")]];
    for ((label, _), value) in INFO_KEYS.iter().zip(values) {
        rows.push(vec![t(label), value]);
    }
    book.insert(INFO_SHEET.into(), rows);

    let segments = segments_of(edition.keyed_by);
    let mut header: Vec<Cell> = BEFORE.iter().map(|(_, n)| t(n)).collect();
    header.extend(segments.iter().map(|s| t(&segment_header(*s))));
    header.extend(AFTER.iter().map(|(_, n)| t(n)));
    let mut rows = vec![header];
    for c in &edition.criteria {
        let criterion_cells = |row: &mut BTreeMap<usize, Cell>, cols: &[Col]| {
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
        };
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
        if c.indicators.is_empty() {
            let mut row = BTreeMap::new();
            criterion_cells(&mut row, &cols);
            rows.push(finish(row));
        }
        for ind in &c.indicators {
            // One row per (year, verified, source), in the order thresholds appear.
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
            for (gi, (year, verified, source)) in groups.iter().enumerate() {
                let mut row = BTreeMap::new();
                criterion_cells(&mut row, &cols);
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
                rows.push(finish(row));
            }
        }
    }
    book.insert(INDICATOR_SHEET.into(), rows);
    book
}

fn span(sheet: usize, row: usize) -> Range<usize> {
    let at = sheet * 1_000_000 + row;
    at..at + 1
}

fn locate(span: Range<usize>) -> String {
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
                    row.first()
                        .is_some_and(|c| key(&c.text()) == key(INFO_KEYS[0].0))
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
    let mut meta: BTreeMap<&str, (Cell, usize)> = BTreeMap::new();
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
    let m = |k: &str| meta.get(k).map(|(c, _)| c.text()).unwrap_or_default();
    let mspan = |k: &str| span(0, meta.get(k).map_or(0, |(_, r)| *r));
    let whole = |k: &str, problems: &mut Vec<Problem>| -> Option<u32> {
        let (cell, _) = meta.get(k)?;
        if cell.text().is_empty() {
            return None;
        }
        let n = cell_number(cell).filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < 10_000.0);
        if n.is_none() {
            problems.push(Problem {
                location: locate(mspan(k)),
                field: k.into(),
                message: format!("«{}» không phải số nguyên", cell.text()),
            });
        }
        n.map(|n| n as u32)
    };
    let criteria_expected = whole("criteria_expected", &mut problems);
    let indicators_expected = whole("indicators_expected", &mut problems);
    let satisfaction_percent = match meta
        .get("satisfaction_percent")
        .filter(|(c, _)| !c.text().is_empty())
    {
        None => None,
        Some((cell, _)) => match cell_number(cell) {
            Some(v) => Some(RawSourcedNumber {
                value: Spanned::new(mspan("satisfaction_percent"), v),
                verified: meta
                    .get("satisfaction_verified")
                    .is_some_and(|(c, _)| flag(c)),
                source: m("satisfaction_source"),
            }),
            None => {
                problems.push(Problem {
                    location: locate(mspan("satisfaction_percent")),
                    field: "Tỷ lệ hài lòng".into(),
                    message: format!("«{}» không phải số", cell.text()),
                });
                None
            }
        },
    };

    let header = rows.first().cloned().unwrap_or_default();
    let cols: Vec<Option<Col>> = header.iter().map(|c| column_of(&c.text())).collect();
    let at = |col: Col| cols.iter().position(|c| *c == Some(col));
    let get = |row: &[Cell], col: Col| -> Cell {
        at(col)
            .and_then(|i| row.get(i))
            .cloned()
            .unwrap_or(Cell::Empty)
    };
    let segment_cols: Vec<(usize, Segment)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Some(Col::Segment(s)) => Some((i, *s)),
            _ => None,
        })
        .collect();
    let mut criteria: Vec<RawCriterion> = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let here = span(1, i + 1);
        let code = get(row, Col::Code).text();
        let number_cell = get(row, Col::Criterion);
        if code.is_empty() && number_cell.text().is_empty() {
            if row.iter().any(|c| !c.text().is_empty()) {
                problems.push(Problem {
                    location: locate(here),
                    field: "Tiêu chí".into(),
                    message: "hàng không ghi số tiêu chí hay mã chỉ tiêu; hãy ghi một trong hai hoặc xóa hàng".into(),
                });
            }
            continue;
        }
        let number = match cell_number(&number_cell).filter(|n| n.fract() == 0.0) {
            Some(n) => Some(n as i64),
            None if number_cell.text().is_empty() => code
                .split('.')
                .next()
                .and_then(|n| n.trim().parse::<i64>().ok()),
            None => None,
        };
        let Some(number) = number else {
            problems.push(Problem {
                location: locate(here),
                field: "Tiêu chí".into(),
                message: format!("«{}» không phải số tiêu chí", number_cell.text()),
            });
            continue;
        };
        let pos = match criteria.iter().position(|c| *c.number.get_ref() == number) {
            Some(p) => p,
            None => {
                criteria.push(RawCriterion {
                    number: Spanned::new(here.clone(), number),
                    name: Spanned::new(here.clone(), get(row, Col::CriterionName).text()),
                    name_verified: flag(&get(row, Col::NameVerified)),
                    group: get(row, Col::CriterionGroup).text(),
                    revocation_key: flag(&get(row, Col::RevocationKey)),
                    note: get(row, Col::CriterionNote).text(),
                    indicators: Vec::new(),
                });
                criteria.len() - 1
            }
        };
        let Some(criterion) = criteria.get_mut(pos) else {
            continue;
        };
        if code.is_empty() {
            continue;
        }
        let year_cell = get(row, Col::Year);
        let year = if year_cell.text().is_empty() {
            None
        } else {
            match cell_number(&year_cell)
                .filter(|y| y.fract() == 0.0 && (1900.0..=2200.0).contains(y))
            {
                Some(y) => Some(y as i32),
                None => {
                    problems.push(Problem {
                        location: locate(here.clone()),
                        field: "Năm".into(),
                        message: format!("«{}» không phải một năm (ví dụ 2027)", year_cell.text()),
                    });
                    continue;
                }
            }
        };
        let indicator_pos = criterion
            .indicators
            .iter()
            .position(|ri| ri.code.get_ref().trim() == code.trim());
        let indicator = match indicator_pos.and_then(|p| criterion.indicators.get_mut(p)) {
            Some(existing) => existing,
            None => {
                let comparator = get(row, Col::Comparator).text();
                criterion.indicators.push(RawIndicator {
                    code: Spanned::new(here.clone(), code.clone()),
                    text: Spanned::new(here.clone(), get(row, Col::Text).text()),
                    text_verified: flag(&get(row, Col::TextVerified)),
                    unit: get(row, Col::Unit).text(),
                    kind: Spanned::new(here.clone(), kind_code(&get(row, Col::Kind).text())),
                    comparator: Spanned::new(
                        here.clone(),
                        if comparator.is_empty() {
                            ">=".into()
                        } else {
                            comparator
                        },
                    ),
                    levels: split_list(&get(row, Col::Levels).text()),
                    guidance: get(row, Col::Guidance).text(),
                    data_office: get(row, Col::DataOffice).text(),
                    typical_proof: split_list(&get(row, Col::Proof).text()),
                    note: get(row, Col::Note).text(),
                    thresholds: Vec::new(),
                });
                let Some(last) = criterion.indicators.last_mut() else {
                    continue;
                };
                last
            }
        };
        let kind = indicator.kind.get_ref().clone();
        for (col, segment) in &segment_cols {
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
                verified: flag(&get(row, Col::Verified)),
                source: get(row, Col::Source).text(),
            });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_without_case_or_diacritics() {
        assert_eq!(column_of("MÃ CHỈ TIÊU"), Some(Col::Code));
        assert_eq!(column_of("ma chi tieu"), Some(Col::Code));
        assert_eq!(column_of("Loại"), Some(Col::Kind));
        assert_eq!(column_of("loai (ty le, so tien)"), Some(Col::Kind));
        assert_eq!(column_of("So sánh"), Some(Col::Comparator));
        assert_eq!(
            column_of("nhom 2"),
            Some(Col::Segment(Segment::Group(
                crate::domain::units::CommuneGroup::Two
            )))
        );
        assert_eq!(
            column_of("dbscl"),
            Some(Col::Segment(Segment::Region(Region::MekongDelta)))
        );
        assert_eq!(
            column_of("Đồng bằng sông Hồng"),
            Some(Col::Segment(Segment::Region(Region::RedRiverDelta)))
        );
        assert_eq!(column_of("CƠ QUAN GIỮ SỐ LIỆU"), Some(Col::DataOffice));
        assert_eq!(column_of("Đã đối chiếu"), Some(Col::Verified));
    }

    #[test]
    fn kinds_read_in_words_or_codes() {
        assert_eq!(kind_code("Tỷ lệ"), "ty_le");
        assert_eq!(kind_code("so tien"), "so_tien");
        assert_eq!(kind_code("Có/không"), "co_khong");
        assert_eq!(kind_code("muc_do"), "muc_do");
        assert_eq!(kind_code("phần trăm"), "phần trăm");
    }
}
