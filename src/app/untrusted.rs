//! Files from outside read with limits: spreadsheets through calamine with their size
//! bounded before anything is allocated, and any panic of a third-party parser turned
//! into a Vietnamese refusal (see [`contain`]). PDFs are checked in a child process
//! (see [`super::pdf_probe`]).

use super::{AppError, AppResult, technical};
use std::cell::Cell as StdCell;
use std::path::Path;

/// The most rows a sheet may span (from its first used row to its last).
pub const MAX_SHEET_ROWS: usize = 100_000;
/// The most columns a sheet may span.
pub const MAX_SHEET_COLUMNS: usize = 512;
/// The most cells (rows × columns spanned) a sheet may hold once laid out as a table.
pub const MAX_SHEET_CELLS: usize = 2_000_000;
/// The most bytes a spreadsheet may hold once unpacked (an .xlsx is a zip archive).
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

thread_local! {
    static CONTAINED: StdCell<bool> = const { StdCell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics inside [`contain`] (their
/// English message would reach the user) and calls the previous hook otherwise.
fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(|c| c.get()) {
                previous(info);
            }
        }));
    });
}

/// Runs a third-party parser on a file from outside: a panic in it becomes a refusal
/// naming `what` (e.g. «tệp Excel bang.xlsx»), with the panic text as a technical
/// detail.
pub fn contain<T>(what: &str, f: impl FnOnce() -> AppResult<T>) -> AppResult<T> {
    install_quiet_hook();
    let was = CONTAINED.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(was));
    result.unwrap_or_else(|panic| {
        let text = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(AppError::new(
            format!("Không đọc được {what}: tệp bị hỏng hoặc có cấu trúc không hợp lệ."),
            "Hãy mở tệp bằng chương trình đã tạo ra nó, lưu lại thành tệp mới rồi thử lại. Không có gì bị thay đổi.",
        )
        .with_details([technical(text)]))
    })
}

/// One sheet laid out as rows: (row number as Excel shows it, cells from the first used
/// column on).
pub type SheetRows = Vec<(usize, Vec<calamine::Data>)>;

fn damaged(name: &str, detail: impl std::fmt::Display) -> AppError {
    AppError::new(
        format!("Không mở được tệp Excel {name}: tệp bị hỏng hoặc không đúng định dạng .xlsx."),
        "Hãy mở tệp bằng Excel (hoặc LibreOffice), lưu lại dưới dạng .xlsx rồi nhập lại. Không có gì bị thay đổi.",
    )
    .with_details([technical(detail)])
}

/// Checks the archive before calamine reads it: a zip bomb (a small file that unpacks to
/// gigabytes) is refused without unpacking anything.
fn check_archive(path: &Path, name: &str) -> AppResult<()> {
    let file = std::fs::File::open(path).map_err(|e| {
        AppError::new(
            format!("Không đọc được tệp {name}."),
            "Hãy kiểm tra đường dẫn tệp.",
        )
        .with_details([technical(e)])
    })?;
    let mut archive =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| damaged(name, e))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| damaged(name, e))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(AppError::new(
            format!(
                "Tệp Excel {name} quá lớn khi giải nén ({} MB, giới hạn {} MB).",
                total / (1024 * 1024),
                MAX_UNPACKED_BYTES / (1024 * 1024)
            ),
            "Bảng giá trị hoặc bộ tiêu chí chỉ cần vài nghìn dòng: hãy chép phần cần nhập sang một tệp mới. Không có gì bị thay đổi.",
        ));
    }
    Ok(())
}

/// Reads the sheets of an `.xlsx` file (only the first when `first_only`), cell by
/// cell: a sheet spanning more than [`MAX_SHEET_ROWS`] rows, [`MAX_SHEET_COLUMNS`]
/// columns or [`MAX_SHEET_CELLS`] cells is refused before its table is allocated, and
/// a parser failure of any kind is a Vietnamese refusal.
pub fn read_xlsx_sheets(path: &Path, first_only: bool) -> AppResult<Vec<(String, SheetRows)>> {
    let name = path.display().to_string();
    check_archive(path, &name)?;
    contain(&format!("tệp Excel {name}"), || {
        read_sheets_inner(path, &name, first_only)
    })
}

fn read_sheets_inner(
    path: &Path,
    name: &str,
    first_only: bool,
) -> AppResult<Vec<(String, SheetRows)>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook(path).map_err(|e| damaged(name, e))?;
    let mut names = wb.sheet_names().to_vec();
    if first_only {
        names.truncate(1);
    }
    let mut out = Vec::new();
    for sheet in names {
        let mut reader = wb
            .worksheet_cells_reader(&sheet)
            .map_err(|e| damaged(name, e))?;
        let mut cells: Vec<(usize, usize, Data)> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| damaged(name, e))? {
            let (row, col) = cell.get_position();
            let value: Data = cell.get_value().clone().into();
            if value == Data::Empty {
                continue;
            }
            let (row, col) = (row as usize, col as usize);
            if row >= MAX_SHEET_ROWS || col >= MAX_SHEET_COLUMNS {
                return Err(too_big(name, &sheet, row, col));
            }
            cells.push((row, col, value));
            if cells.len() > MAX_SHEET_CELLS {
                return Err(too_big(name, &sheet, row, col));
            }
        }
        let (Some(first_row), Some(last_row)) = (
            cells.iter().map(|c| c.0).min(),
            cells.iter().map(|c| c.0).max(),
        ) else {
            out.push((sheet, Vec::new()));
            continue;
        };
        let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
        let last_col = cells.iter().map(|c| c.1).max().unwrap_or(0);
        let width = last_col - first_col + 1;
        let height = last_row - first_row + 1;
        if width.saturating_mul(height) > MAX_SHEET_CELLS {
            return Err(too_big(name, &sheet, last_row, last_col));
        }
        let mut rows: SheetRows = (first_row..=last_row)
            .map(|r| (r + 1, vec![Data::Empty; width]))
            .collect();
        for (r, c, v) in cells {
            if let Some(slot) = rows
                .get_mut(r - first_row)
                .and_then(|(_, row)| row.get_mut(c - first_col))
            {
                *slot = v;
            }
        }
        out.push((sheet, rows));
    }
    Ok(out)
}

/// Excel's name of a column: 0 → A, 26 → AA.
fn column_name(mut col: usize) -> String {
    let mut name = String::new();
    loop {
        name.insert(0, char::from(b'A' + (col % 26) as u8));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name
}

fn too_big(name: &str, sheet: &str, row: usize, col: usize) -> AppError {
    AppError::new(
        format!(
            "Trang tính «{sheet}» của tệp {name} có dữ liệu ở ô {}{}, vượt giới hạn đọc ({} dòng, {} cột).",
            column_name(col),
            row + 1,
            crate::domain::vn_text::format_number(MAX_SHEET_ROWS as f64, 0),
            MAX_SHEET_COLUMNS
        ),
        "Hãy xóa các ô ở xa bảng (Ctrl+End trong Excel cho biết ô cuối cùng có dữ liệu) rồi lưu và nhập lại. Không có gì bị thay đổi.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_follow_excel() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn a_panic_inside_contain_is_a_refusal() {
        let r: AppResult<()> = contain("tệp thử", || panic!("index out of bounds"));
        let e = r.unwrap_err();
        assert!(e.summary.contains("tệp thử"), "{e}");
        assert!(e.details.iter().any(|d| d.contains("index out of bounds")));
    }
}
