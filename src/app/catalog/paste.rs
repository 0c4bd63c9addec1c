//! A pasted annex table: its preview (the table read, the province copy it makes, the
//! problems that block saving) and saving it as a province copy.

use super::files::read_error;
use super::{load, save_edited};
use crate::app::{AppError, AppResult};
use crate::domain::catalog::Edition;
use crate::domain::catalog::toml_format::{parse_edition, to_toml};
use crate::store::Workspace;
use std::path::Path;

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
