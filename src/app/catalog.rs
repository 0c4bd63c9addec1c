//! Criteria editions in the workspace: the built-in ones from `templates/criteria/`, and
//! import/export of a province's copy as TOML or Excel. A rejected file changes nothing.

use super::{AppError, AppResult};
use crate::domain::catalog::toml_format::{parse_edition, to_toml};
use crate::domain::catalog::xlsx_rows::{Cell, Workbook, edition_to_workbook};
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
    (
        "qd51-2025-tinh.toml",
        include_str!("../../templates/criteria/qd51-2025-tinh.toml"),
    ),
];

/// The edition used for new assessments when none is chosen.
pub const DEFAULT_EDITION: &str = "qd51-2025-xa";

fn problems_error(summary: String, problems: Vec<Problem>) -> AppError {
    AppError::new(
        summary,
        "Hãy sửa các lỗi dưới đây rồi nhập lại. Dữ liệu hiện có không bị thay đổi.",
    )
    .with_first_details(problems.iter().map(Problem::to_string))
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
            crate::domain::catalog::xlsx_vn::edition_from_any_workbook(&book)
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

/// Reads every sheet of an `.xlsx` file as cells, with the limits of
/// [`super::untrusted::read_xlsx_sheets`]. A date cell reads as the date Excel shows
/// (05/01/2026), never as its serial number, so a number column refuses it.
pub fn read_workbook(path: &Path) -> AppResult<Workbook> {
    use calamine::Data;
    let mut book = Workbook::new();
    for (sheet, rows) in super::untrusted::read_xlsx_sheets(path, false)? {
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

/// Writes a workbook of cells to an `.xlsx` file through `out` (see [`super::output`]).
pub fn write_workbook(book: &Workbook, out: super::output::Output) -> AppResult<()> {
    let path = out.target().to_path_buf();
    use rust_xlsxwriter::{Format, Workbook as XlsxBook};
    let err = |e: rust_xlsxwriter::XlsxError| {
        AppError::new(
            format!("Không ghi được tệp Excel {}.", path.display()),
            "Hãy kiểm tra quyền ghi và tệp không đang mở trong Excel.",
        )
        .with_details([super::technical(e)])
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

/// What a pasted annex table would make: the table as read, the province copy it would
/// save (when it could be built), and every problem that blocks saving, each naming its
/// line and column or its indicator.
#[derive(Debug, Clone)]
pub struct PastePreview {
    /// The table as read, with its problems and notices.
    pub table: crate::domain::catalog::paste::PastedTable,
    /// The edition that saving would store.
    pub edition: Option<Edition>,
    /// Every problem that blocks saving, in Vietnamese.
    pub problems: Vec<String>,
}

/// Reads pasted annex text against the base edition `base_code` for the province copy
/// `new_code` (`title` may be empty: the base's title is kept). Nothing is saved.
pub fn paste_preview(
    ws: &Workspace,
    base_code: &str,
    new_code: &str,
    title: &str,
    text: &str,
) -> AppResult<PastePreview> {
    let (_, base) = load(ws, base_code)?;
    let new_code = new_code.trim();
    if let Some(existing) = ws.edition(new_code)?
        && existing.builtin
    {
        return Err(AppError::new(
            format!("Bộ tiêu chí {new_code} là bản có sẵn, không ghi đè được."),
            "Hãy chọn mã mới cho bản của tỉnh, ví dụ qd51-2025-xa-tinh.",
        ));
    }
    Ok(paste_preview_of(&base, new_code, title, text))
}

/// The preview of pasted annex text against an edition already loaded (the screen holds
/// them): the same reading and checks as [`paste_preview`], without the workspace. An
/// invalid new code is one more problem.
pub fn paste_preview_of(base: &Edition, new_code: &str, title: &str, text: &str) -> PastePreview {
    use crate::domain::catalog::paste::{apply_paste, parse_paste};
    let table = parse_paste(text, base.keyed_by);
    let mut problems: Vec<String> = table.problems.iter().map(ToString::to_string).collect();
    let new_code = new_code.trim();
    let Some(code) = crate::domain::catalog::EditionCode::parse(new_code) else {
        problems.push(format!(
            "Mã bản của tỉnh «{new_code}» không hợp lệ: chỉ gồm chữ thường không dấu, chữ số và dấu '-', 3–64 ký tự."
        ));
        return PastePreview {
            table,
            edition: None,
            problems,
        };
    };
    let edition = apply_paste(base, code, title, &table);
    let edition = match parse_edition(&to_toml(&edition)) {
        Ok(checked) => Some(checked),
        Err(found) => {
            problems.extend(
                found
                    .iter()
                    .map(|p| format!("kiểm tra bộ tiêu chí, trường «{}»: {}", p.field, p.message)),
            );
            None
        }
    };
    PastePreview {
        table,
        edition,
        problems,
    }
}

/// Saves the province copy a pasted annex table makes, or refuses naming each problem
/// with its line and column; a refused paste saves nothing.
pub fn paste_save(
    ws: &mut Workspace,
    base_code: &str,
    new_code: &str,
    title: &str,
    text: &str,
) -> AppResult<Edition> {
    let preview = paste_preview(ws, base_code, new_code, title, text)?;
    match preview.edition {
        Some(edition) if preview.problems.is_empty() => {
            save_edited(ws, &edition)?;
            Ok(edition)
        }
        _ => Err(AppError::new(
            format!(
                "Bảng dán có {} lỗi, chưa lưu bộ tiêu chí {new_code}.",
                preview.problems.len()
            ),
            "Hãy sửa các ô được nêu (dòng, cột tính theo văn bản đã dán) rồi dán lại. Không có gì bị thay đổi.",
        )
        .with_details(preview.problems)),
    }
}

/// The preview of a paste as text, for the command line: every criterion and indicator
/// read, with kind, comparator, unit and thresholds per segment, then the notices and the
/// problems.
pub fn paste_preview_text(preview: &PastePreview) -> String {
    use crate::domain::catalog::ThresholdValue;
    use crate::domain::vn_text::format_number;
    let table = &preview.table;
    let mut out = format!(
        "Đã đọc {} tiêu chí, {} chỉ tiêu.\nCột: {}\n",
        table.criteria.len(),
        table.indicator_count(),
        table
            .columns
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for c in &table.criteria {
        out.push_str(&format!("Tiêu chí {}. {}\n", c.number, c.name));
        for i in &c.indicators {
            let kind = i.kind.map_or("?", |k| k.label());
            let comparator = i.comparator.map_or("?", |c| c.symbol());
            out.push_str(&format!("  {} {}\n", i.code, i.text));
            let thresholds: Vec<String> = i
                .thresholds
                .iter()
                .map(|t| {
                    let v = match &t.value {
                        ThresholdValue::Number(n) if i.unit.is_empty() => {
                            format!("{comparator} {}", format_number(*n, 2))
                        }
                        ThresholdValue::Number(n) => {
                            format!("{comparator} {} {}", format_number(*n, 2), i.unit)
                        }
                        ThresholdValue::Yes => "Đạt".to_string(),
                        ThresholdValue::Level(l) => format!("{comparator} {l}"),
                    };
                    let merged = if t.from_merged_cell {
                        " (ô gộp)"
                    } else {
                        ""
                    };
                    format!("{}: {v}{merged}", t.segment.label())
                })
                .collect();
            out.push_str(&format!(
                "      loại {kind}; đơn vị «{}»; {}\n",
                i.unit,
                if thresholds.is_empty() {
                    "chưa có ngưỡng".to_string()
                } else {
                    thresholds.join("; ")
                }
            ));
        }
    }
    if !table.notices.is_empty() {
        out.push_str("Cần kiểm tra:\n");
        for n in &table.notices {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    if preview.problems.is_empty() {
        out.push_str("Không có lỗi.\n");
    } else {
        out.push_str(&format!("Lỗi ({}):\n", preview.problems.len()));
        for p in &preview.problems {
            out.push_str(&format!("  - {p}\n"));
        }
    }
    out
}

/// Reads a text file holding a pasted table (UTF-8, with or without a BOM).
pub fn read_paste_file(path: &Path) -> AppResult<String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| read_error(&name, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        AppError::new(
            format!("Tệp {name} không phải văn bản UTF-8."),
            "Hãy lưu bảng đã dán dưới dạng văn bản UTF-8 (Notepad: Lưu với mã hóa UTF-8).",
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// Writes the office's spreadsheet of an edition (Vietnamese headers, prefilled with its
/// criteria, indicators and thresholds) for a provincial office to fill in and import.
/// Only `.xlsx`; a `path` that is the workspace or one of its backups is refused.
pub fn template(ws: &Workspace, code: &str, path: &Path) -> AppResult<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext != "xlsx" {
        return Err(AppError::new(
            format!("Không ghi được mẫu ra tệp {}.", path.display()),
            "Tên tệp mẫu phải kết thúc bằng .xlsx.",
        ));
    }
    let output = super::output::Output::begin(ws, path)?;
    let (_, edition) = load(ws, code)?;
    write_workbook(
        &crate::domain::catalog::xlsx_vn::edition_to_office_workbook(&edition),
        output,
    )
}

/// Issues a new revision of a province's copy: the next number, the date (`today` when
/// none is given, `dd/mm/yyyy` or ISO) and the issuing office. Built-in editions are
/// refused.
pub fn revise(
    ws: &mut Workspace,
    code: &str,
    office: &str,
    date: Option<&str>,
    today: crate::domain::vn_text::CivilDate,
) -> AppResult<Edition> {
    let (record, mut edition) = load(ws, code)?;
    if record.builtin {
        return Err(AppError::new(
            format!("Bộ tiêu chí {code} là bản có sẵn, không ban hành lại được."),
            "Hãy tạo bản của tỉnh (sao chép với mã mới) rồi ban hành bản đó.",
        ));
    }
    let office = crate::domain::vn_text::nfc(office);
    if office.is_empty() {
        return Err(AppError::invalid(
            "Hãy ghi cơ quan ban hành (--office), ví dụ «Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh».",
        ));
    }
    let date = match date {
        None => today,
        Some(text) => crate::domain::vn_text::CivilDate::parse(text).ok_or_else(|| {
            AppError::invalid(format!(
                "Ngày ban hành «{}» không hợp lệ: hãy ghi dạng 05/01/2026.",
                text.trim()
            ))
        })?,
    };
    let number = edition.revision.as_ref().map_or(0, |r| r.number) + 1;
    edition.revision = Some(crate::domain::catalog::Revision {
        number,
        date: date.iso(),
        office,
    });
    save_edited(ws, &edition)?;
    Ok(edition)
}
