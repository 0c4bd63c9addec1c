//! Criteria editions in the workspace: the built-in ones from `templates/criteria/`, and
//! import/export of a province's copy as TOML or Excel. A rejected file changes nothing.

use super::{AppError, AppResult};
use crate::domain::catalog::toml_format::{parse_edition, to_toml};
use crate::domain::catalog::xlsx_rows::{
    Cell, Workbook, edition_from_workbook, edition_to_workbook,
};
use crate::domain::catalog::{Edition, Problem};
use crate::store::{EditionRecord, Workspace, sha256_hex};
use std::path::Path;

/// The editions shipped with the program: (file name, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "qd51-2025-xa.toml",
        include_str!("../../templates/criteria/qd51-2025-xa.toml"),
    ),
    (
        "qd318-2022-xa.toml",
        include_str!("../../templates/criteria/qd318-2022-xa.toml"),
    ),
    (
        "qd318-2022-xa-nang-cao.toml",
        include_str!("../../templates/criteria/qd318-2022-xa-nang-cao.toml"),
    ),
    (
        "qd320-2022-huyen.toml",
        include_str!("../../templates/criteria/qd320-2022-huyen.toml"),
    ),
    (
        "qd1980-2016-xa.toml",
        include_str!("../../templates/criteria/qd1980-2016-xa.toml"),
    ),
];

/// The edition used for new assessments when none is chosen.
pub const DEFAULT_EDITION: &str = "qd51-2025-xa";

fn problems_error(summary: String, problems: Vec<Problem>) -> AppError {
    AppError::new(
        summary,
        "Hãy sửa các lỗi dưới đây rồi nhập lại. Dữ liệu hiện có không bị thay đổi.",
    )
    .with_details(problems.iter().map(Problem::to_string))
}

/// Adds built-in editions that the workspace does not hold yet.
pub fn seed_builtin(ws: &mut Workspace) -> AppResult<()> {
    for (name, text) in BUILTIN {
        let edition = parse_edition(text)
            .map_err(|p| problems_error(format!("Bộ tiêu chí có sẵn {name} bị lỗi."), p))?;
        let canonical = to_toml(&edition);
        ws.put_edition_if_absent(
            edition.code.as_str(),
            &edition.title,
            &canonical,
            &sha256_hex(canonical.as_bytes()),
        )?;
    }
    Ok(())
}

/// Parses the TOML of a stored edition (stored content was validated on the way in).
pub fn parse_stored(code: &str, toml: &str) -> AppResult<Edition> {
    parse_edition(toml).map_err(|p| {
        problems_error(
            format!("Bộ tiêu chí {code} lưu trong tệp dữ liệu bị lỗi."),
            p,
        )
    })
}

/// Every stored edition with its parsed content, in the store's order.
pub fn list(ws: &Workspace) -> AppResult<Vec<(EditionRecord, Edition)>> {
    let mut out = Vec::new();
    for record in ws.editions()? {
        let edition = parse_stored(&record.code, &record.content_toml)?;
        out.push((record, edition));
    }
    Ok(out)
}

/// Loads an edition by code.
pub fn load(ws: &Workspace, code: &str) -> AppResult<(EditionRecord, Edition)> {
    let record = ws.edition(code)?.ok_or_else(|| {
        let known: Vec<String> = ws
            .editions()
            .map(|v| v.into_iter().map(|e| e.code).collect())
            .unwrap_or_default();
        AppError::new(
            format!("Không có bộ tiêu chí «{code}»."),
            "Hãy dùng một mã trong danh sách «catalog list».",
        )
        .with_details([format!("Các mã hiện có: {}", known.join(", "))])
    })?;
    let edition = parse_stored(code, &record.content_toml)?;
    Ok((record, edition))
}

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
            edition_from_workbook(&book)
                .map_err(|p| problems_error(format!("Tệp bộ tiêu chí {name} có lỗi."), p))
        }
        _ => Err(AppError::new(
            format!("Không nhận dạng được loại tệp {name}."),
            "Chỉ nhập được tệp .toml hoặc .xlsx.",
        )),
    }
}

fn read_error(name: &str, e: std::io::Error) -> AppError {
    AppError::new(
        format!("Không đọc được tệp {name}."),
        "Hãy kiểm tra đường dẫn tệp.",
    )
    .with_details([super::io_words(&e)])
}

/// Reads every sheet of an `.xlsx` file as cells.
pub fn read_workbook(path: &Path) -> AppResult<Workbook> {
    use calamine::{Data, Reader, open_workbook_auto};
    let name = path.display().to_string();
    let mut wb = open_workbook_auto(path).map_err(|e| {
        AppError::new(
            format!("Không mở được tệp Excel {name}."),
            "Hãy kiểm tra tệp có đúng định dạng .xlsx và không bị hỏng.",
        )
        .with_details([e.to_string()])
    })?;
    let mut book = Workbook::new();
    for sheet in wb.sheet_names().to_vec() {
        let range = wb.worksheet_range(&sheet).map_err(|e| {
            AppError::new(
                format!("Không đọc được trang tính {sheet} của {name}."),
                "Hãy kiểm tra tệp Excel.",
            )
            .with_details([e.to_string()])
        })?;
        let rows = range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|c| match c {
                        Data::Empty => Cell::Empty,
                        Data::String(s) => Cell::Text(s.clone()),
                        Data::Float(f) => Cell::Number(*f),
                        Data::Int(i) => Cell::Number(*i as f64),
                        Data::Bool(b) => Cell::Bool(*b),
                        other => Cell::Text(other.to_string()),
                    })
                    .collect()
            })
            .collect();
        book.insert(sheet, rows);
    }
    Ok(book)
}

/// Writes a workbook of cells to an `.xlsx` file through `out` (see [`super::output`]).
pub fn write_workbook(book: &Workbook, out: super::output::Output) -> AppResult<()> {
    let path = out.target().to_path_buf();
    use rust_xlsxwriter::{Format, Workbook as XlsxBook};
    let err = |e: rust_xlsxwriter::XlsxError| {
        AppError::new(
            format!("Không ghi được tệp Excel {}.", path.display()),
            "Hãy kiểm tra quyền ghi và tệp không đang mở trong Excel.",
        )
        .with_details([e.to_string()])
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

/// Imports an edition file into the workspace (replacing an edition with the same code).
/// Returns the edition and whether anything changed.
pub fn import(ws: &mut Workspace, path: &Path) -> AppResult<(Edition, bool)> {
    let edition = read_file(path)?;
    let canonical = to_toml(&edition);
    let changed = ws.put_edition(
        edition.code.as_str(),
        &edition.title,
        &canonical,
        &sha256_hex(canonical.as_bytes()),
        false,
    )?;
    Ok((edition, changed))
}

/// Exports an edition to `.toml` or `.xlsx` (chosen by the extension).
/// A `path` that is the workspace or one of its backups is refused; nothing is written.
pub fn export(ws: &Workspace, code: &str, path: &Path) -> AppResult<()> {
    let output = super::output::Output::begin(ws, path)?;
    let (_, edition) = load(ws, code)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "toml" => output.write_all(to_toml(&edition).as_bytes()),
        "xlsx" => write_workbook(&edition_to_workbook(&edition), output),
        _ => Err(AppError::new(
            format!("Không xuất được ra tệp {}.", path.display()),
            "Tên tệp phải kết thúc bằng .toml hoặc .xlsx.",
        )),
    }
}

/// Saves an edition edited on screen as a province's copy: it is re-validated through
/// its file form, so the screen cannot store anything an import would refuse.
/// Built-in editions cannot be overwritten; make a copy first.
pub fn save_edited(ws: &mut Workspace, edition: &Edition) -> AppResult<()> {
    if let Some(existing) = ws.edition(edition.code.as_str())?
        && existing.builtin
    {
        return Err(AppError::new(
            format!(
                "Bộ tiêu chí {} là bản có sẵn, không sửa trực tiếp.",
                edition.code
            ),
            "Hãy tạo bản của tỉnh (sao chép với mã mới) rồi sửa bản đó.",
        ));
    }
    let canonical = to_toml(edition);
    let checked = parse_edition(&canonical).map_err(|p| {
        problems_error(format!("Bộ tiêu chí {} có lỗi, chưa lưu.", edition.code), p)
    })?;
    ws.put_edition(
        checked.code.as_str(),
        &checked.title,
        &canonical,
        &sha256_hex(canonical.as_bytes()),
        false,
    )?;
    Ok(())
}

/// Copies an edition under a new code and title (a province's own version).
pub fn copy_as(
    ws: &mut Workspace,
    code: &str,
    new_code: &str,
    new_title: &str,
) -> AppResult<String> {
    let (_, mut edition) = load(ws, code)?;
    let new_code = new_code.trim();
    edition.code = crate::domain::catalog::EditionCode::parse(new_code)
        .ok_or_else(|| AppError::invalid(format!("Mã «{new_code}» không hợp lệ: chỉ gồm chữ thường không dấu, chữ số và dấu '-', 3–64 ký tự.")))?;
    if ws.edition(new_code)?.is_some() {
        return Err(AppError::invalid(format!(
            "Đã có bộ tiêu chí mã «{new_code}»."
        )));
    }
    let title = crate::domain::vn_text::nfc(new_title);
    if !title.is_empty() {
        edition.title = title;
    }
    save_edited(ws, &edition)?;
    Ok(new_code.to_string())
}
