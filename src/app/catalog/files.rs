//! Edition files on disk: reading a `.toml` or `.xlsx` edition, and reading and writing
//! workbooks of cells.

use super::problems_error;
use crate::app::{AppError, AppResult};
use crate::domain::catalog::Edition;
use crate::domain::catalog::toml_format::parse_edition;
use crate::domain::catalog::xlsx_rows::{Cell, Workbook};
use std::path::Path;

/// Reads an edition from a `.toml` or `.xlsx` file, fully validated.
pub fn read_file(path: &Path) -> AppResult<Edition> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = path.display().to_string();
    match ext.as_str() {
        "toml" => {
            let bytes = std::fs::read(path).map_err(|e| read_error(&name, e))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| AppError::invalid(format!("Tệp {name} không phải văn bản UTF-8.")))?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            parse_edition(text)
                .map_err(|p| problems_error(format!("Tệp bộ tiêu chí {name} có lỗi."), p))
        }
        "xlsx" => {
            let book = read_workbook(path)?;
            crate::domain::catalog::xlsx_vn::edition_from_any_workbook(&book)
                .map_err(|p| problems_error(format!("Tệp bộ tiêu chí {name} có lỗi."), p))
        }
        _ => Err(AppError::new(
            format!("Không nhận dạng được loại tệp {name}."),
            "Chỉ nhập được tệp .toml hoặc .xlsx.",
        )),
    }
}

pub(super) fn read_error(name: &str, e: std::io::Error) -> AppError {
    AppError::new(
        format!("Không đọc được tệp {name}."),
        "Hãy kiểm tra đường dẫn tệp.",
    )
    .with_details([crate::app::io_words(&e)])
}

/// Reads every sheet of an `.xlsx` file as cells, with the limits of
/// [`crate::app::untrusted::read_xlsx_sheets`]. A date cell reads as the date Excel shows
/// (05/01/2026), never as its serial number, so a number column refuses it.
pub fn read_workbook(path: &Path) -> AppResult<Workbook> {
    use calamine::Data;
    let mut book = Workbook::new();
    for (sheet, rows) in crate::app::untrusted::read_xlsx_sheets(path, false)? {
        let rows = rows
            .into_iter()
            .map(|(_, row)| {
                row.iter()
                    .map(|c| match c {
                        Data::Empty => Cell::Empty,
                        Data::String(s) => Cell::Text(s.clone()),
                        Data::Float(f) => Cell::Number(*f),
                        Data::Int(i) => Cell::Number(*i as f64),
                        Data::Bool(b) => Cell::Bool(*b),
                        Data::DateTime(d) => {
                            let (y, m, day, ..) = d.to_ymd_hms_milli();
                            Cell::Text(format!("{day:02}/{m:02}/{y:04}"))
                        }
                        other => Cell::Text(other.to_string()),
                    })
                    .collect()
            })
            .collect();
        book.insert(sheet, rows);
    }
    Ok(book)
}

/// Writes a workbook of cells to an `.xlsx` file through `out` (see [`crate::app::output`]).
pub fn write_workbook(book: &Workbook, out: crate::app::output::Output) -> AppResult<()> {
    let path = out.target().to_path_buf();
    use rust_xlsxwriter::{Format, Workbook as XlsxBook};
    let err = |e: rust_xlsxwriter::XlsxError| {
        AppError::new(
            format!("Không ghi được tệp Excel {}.", path.display()),
            "Hãy kiểm tra quyền ghi và tệp không đang mở trong Excel.",
        )
        .with_details([crate::app::technical(e)])
    };
    let mut xlsx = XlsxBook::new();
    let bold = Format::new().set_bold();
    for (name, rows) in book {
        let sheet = xlsx.add_worksheet();
        sheet.set_name(name).map_err(err)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) if r == 0 => {
                        sheet
                            .write_string_with_format(r, c, s, &bold)
                            .map_err(err)?;
                    }
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s).map_err(err)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c, *n).map_err(err)?;
                    }
                    Cell::Bool(b) => {
                        sheet.write_boolean(r, c, *b).map_err(err)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
    }
    let bytes = xlsx.save_to_buffer().map_err(err)?;
    out.write_all(&bytes)
}
