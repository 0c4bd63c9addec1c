//! Importing indicator values from a CSV (UTF-8 with or without BOM, `,` or `;`
//! separated, decimal comma accepted) or `.xlsx` file with the columns
//! `indicator,numerator,denominator,value,verdict,reason,note`.
//!
//! Every row is validated first; if any row is wrong, each error is reported with its
//! row number and nothing of the file is written.

use super::assessment::{ValueForm, load, validate_value};
use super::{AppError, AppResult, units};
use crate::domain::ids::AssessmentId;
use crate::store::Workspace;
use std::collections::HashSet;
use std::path::Path;

/// The columns understood, in their documented order.
pub const COLUMNS: [&str; 7] = [
    "indicator",
    "numerator",
    "denominator",
    "value",
    "verdict",
    "reason",
    "note",
];

/// A table read from a file: (row number as the user sees it, cells), header first.
type Table = Vec<(usize, Vec<String>)>;

/// In a `;`-separated file (the Vietnamese Excel locale), `.` groups thousands and `,`
/// marks decimals, so `1.500` is one thousand five hundred; drop the dots of numeric
/// cells so that the general number parser sees `1500`.
fn localise_number(cell: String) -> String {
    let t = cell.trim();
    let numeric = !t.is_empty()
        && t.chars()
            .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ',' || ch == '-');
    if numeric { t.replace('.', "") } else { cell }
}

fn read_csv(bytes: &[u8], name: &str) -> AppResult<(Table, bool)> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::invalid(format!(
            "Tệp {name} không phải văn bản UTF-8 (hãy lưu lại dưới dạng «CSV UTF-8»)."
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            AppError::invalid(format!("Tệp {name}, hàng {}: không đọc được ({e}).", i + 1))
        })?;
        table.push((i + 1, record.iter().map(str::to_string).collect()));
    }
    Ok((table, delimiter == b';'))
}

fn read_xlsx(path: &Path) -> AppResult<Table> {
    let book = super::catalog::read_workbook(path)?;
    let rows = book.into_values().next().unwrap_or_default();
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r.iter().map(|c| c.text()).collect()))
        .collect())
}

/// Reads a values file into (row number, indicator code, form) triples.
pub fn read(path: &Path) -> AppResult<Vec<(usize, String, ValueForm)>> {
    let name = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (table, decimal_comma) = match ext.as_str() {
        "xlsx" => (read_xlsx(path)?, false),
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| {
                AppError::new(
                    format!("Không đọc được tệp {name}."),
                    "Hãy kiểm tra đường dẫn tệp.",
                )
                .with_details([e.to_string()])
            })?;
            read_csv(&bytes, &name)?
        }
        _ => {
            return Err(AppError::new(
                format!("Không nhận dạng được loại tệp {name}."),
                "Chỉ nhập được tệp .csv hoặc .xlsx.",
            ));
        }
    };
    let Some((_, header)) = table.first() else {
        return Err(AppError::invalid(format!("Tệp {name} trống.")));
    };
    let mut positions = [None; COLUMNS.len()];
    for (col, h) in header.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if h.is_empty() {
            continue;
        }
        match COLUMNS.iter().position(|c| *c == h) {
            Some(i) => positions[i] = Some(col),
            None => {
                return Err(AppError::invalid(format!(
                    "Tệp {name}, hàng 1: cột «{h}» không được hỗ trợ."
                ))
                .with_details([format!("Các cột hợp lệ: {}", COLUMNS.join(", "))]));
            }
        }
    }
    if positions[0].is_none() {
        return Err(AppError::invalid(format!(
            "Tệp {name}, hàng 1: thiếu cột «indicator»."
        )));
    }
    let cell = |row: &[String], i: usize| {
        positions[i]
            .and_then(|c| row.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let number = |row: &[String], i: usize| {
        if decimal_comma {
            localise_number(cell(row, i))
        } else {
            cell(row, i)
        }
    };
    Ok(table
        .iter()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(n, r)| {
            let form = ValueForm {
                numerator: number(r, 1),
                denominator: number(r, 2),
                value: number(r, 3),
                verdict: cell(r, 4),
                reason: cell(r, 5),
                note: cell(r, 6),
                details: None,
            };
            (*n, cell(r, 0), form)
        })
        .collect())
}

/// Imports a values file into an assessment: all rows or none. Returns the number of
/// indicators written.
pub fn import(ws: &mut Workspace, id: AssessmentId, path: &Path) -> AppResult<usize> {
    let rows = read(path)?;
    let loaded = load(ws, id, super::today())?;
    let profile = units::profile(ws, &loaded.unit)?;
    let mut errors = Vec::new();
    let mut records = Vec::new();
    let mut seen = HashSet::new();
    for (row, code, form) in &rows {
        if code.is_empty() {
            errors.push(format!("hàng {row}: thiếu mã chỉ tiêu"));
            continue;
        }
        if !seen.insert(code.clone()) {
            errors.push(format!("hàng {row}: chỉ tiêu {code} xuất hiện nhiều lần"));
            continue;
        }
        match validate_value(
            &loaded.edition,
            &profile,
            loaded.record.year,
            code,
            form,
            loaded.values.get(code),
        ) {
            Ok(rec) => records.push(rec),
            Err(message) => errors.push(format!("hàng {row}: {message}")),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::new(
            format!(
                "Tệp {} có {} lỗi; chưa nhập dòng nào.",
                path.display(),
                errors.len()
            ),
            "Hãy sửa các hàng dưới đây rồi nhập lại cả tệp.",
        )
        .with_details(errors));
    }
    ws.put_values(id, &records)?;
    Ok(records.len())
}
