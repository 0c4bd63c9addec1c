//! Criteria editions in the workspace: the built-in ones from `templates/criteria/`, and
//! import/export of a province's copy as TOML or Excel. A rejected file changes nothing.

use super::{AppError, AppResult};
use crate::domain::catalog::toml_format::{parse_edition, to_toml};
use crate::domain::catalog::xlsx_rows::edition_to_workbook;
use crate::domain::catalog::{Edition, Problem};
use crate::store::{EditionRecord, Workspace, sha256_hex};
use std::path::Path;

mod files;
mod paste;

pub use files::{read_file, read_workbook, write_workbook};
pub use paste::{
    PastePreview, paste_preview, paste_preview_of, paste_preview_text, paste_save, read_paste_file,
};

/// The editions shipped with the program: (file name, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "qd51-2025-xa.toml",
        include_str!("../../../templates/criteria/qd51-2025-xa.toml"),
    ),
    (
        "qd318-2022-xa.toml",
        include_str!("../../../templates/criteria/qd318-2022-xa.toml"),
    ),
    (
        "qd318-2022-xa-nang-cao.toml",
        include_str!("../../../templates/criteria/qd318-2022-xa-nang-cao.toml"),
    ),
    (
        "qd320-2022-huyen.toml",
        include_str!("../../../templates/criteria/qd320-2022-huyen.toml"),
    ),
    (
        "qd1980-2016-xa.toml",
        include_str!("../../../templates/criteria/qd1980-2016-xa.toml"),
    ),
    (
        "qd51-2025-tinh.toml",
        include_str!("../../../templates/criteria/qd51-2025-tinh.toml"),
    ),
];

/// The edition used for new assessments when none is chosen.
pub const DEFAULT_EDITION: &str = "qd51-2025-xa";

pub(super) fn problems_error(summary: String, problems: Vec<Problem>) -> AppError {
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
            .map(|v| v.into_iter().map(|e| e.code.to_string()).collect())
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
