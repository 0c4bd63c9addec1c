//! Importing indicator values from a CSV (UTF-8 with or without BOM, `,` or `;`
//! separated) or the first sheet of an `.xlsx` file, with the columns
//! `indicator,numerator,denominator,value,verdict,reason,note`.
//!
//! Numbers typed as text are read by the one number reader whatever the separator
//! (`1.250` is one thousand two hundred and fifty, `12,5` twelve and a half); number
//! cells of a workbook keep their exact value; a date cell in a number column and an
//! unterminated quote in a CSV are refused rather than read as something else.
//! Every row is validated first; if any row is wrong, each error is reported with its
//! row number and field, and nothing of the file is written (one transaction).
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

/// One cell as read from a file: its text, or a note of why it cannot be a number.
#[derive(Debug, Clone, Default)]
struct Cell {
    /// The text as shown (a number cell of a workbook as `79.995` or `2.1`, which is
    /// right for an indicator code).
    text: String,
    /// The value of a number cell of a workbook, which a number column takes as it is.
    number: Option<f64>,
    /// Why the cell is not a number even if it looks like one (an Excel date).
    not_a_number: Option<String>,
}

impl Cell {
    fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    fn number(n: f64) -> Self {
        Self {
            text: n.to_string(),
            number: Some(n),
            not_a_number: None,
        }
    }

    /// The cell as a number column reads it: a workbook's number written with a decimal
    /// comma (`79,995`), so that the number reader gives back exactly its value.
    fn number_text(&self) -> String {
        match self.number {
            Some(n) => n.to_string().replace('.', ","),
            None => self.text.trim().to_string(),
        }
    }
}

/// A table read from a file: (row number as the user sees it, cells), header first.
type Table = Vec<(usize, Vec<Cell>)>;

/// Where an unterminated quote opens (1-based line), if the text ends inside a quoted
/// field. The CSV reader would silently take every following row into that field.
fn unterminated_quote(text: &str, delimiter: char) -> Option<usize> {
    let mut line = 1;
    let mut opened_on = None;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (opened_on, c) {
            (Some(_), '"') if chars.peek() == Some(&'"') => {
                chars.next();
            }
            (Some(_), '"') => opened_on = None,
            (None, '"') if at_field_start => opened_on = Some(line),
            _ => {}
        }
        if c == '\n' {
            line += 1;
        }
        at_field_start = opened_on.is_none() && (c == delimiter || c == '\n' || c == '\r');
    }
    opened_on
}

fn read_csv(bytes: &[u8], name: &str) -> AppResult<Table> {
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
        let record = record.map_err(|_| {
            AppError::invalid(format!(
                "Tệp {name}, hàng {}: không đọc được hàng này.",
                i + 1
            ))
        })?;
        table.push((i + 1, record.iter().map(Cell::text).collect()));
    }
    if let Some(line) = unterminated_quote(text, char::from(delimiter)) {
        let row = table.last().map_or(1, |(row, _)| *row);
        return Err(AppError::new(
            format!(
                "Tệp {name}, hàng {row}: dấu ngoặc kép (\") mở ở dòng {line} không được đóng, \
                 nên mọi dòng sau đó sẽ bị đọc vào cùng một ô; chưa nhập dòng nào."
            ),
            "Hãy thêm dấu \" đóng (hoặc bỏ dấu \" mở) ở dòng đó rồi nhập lại cả tệp.",
        ));
    }
    Ok(table)
}

/// Reads the first sheet of a workbook, in the workbook's own order (the one Excel
/// shows first), keeping number cells as numbers and marking date cells.
fn read_xlsx(path: &Path) -> AppResult<Table> {
    use calamine::Data;
    let name = path.display().to_string();
    let Some((_, rows)) = super::untrusted::read_xlsx_sheets(path, true)?
        .into_iter()
        .next()
    else {
        return Err(AppError::invalid(format!(
            "Tệp {name} không có trang tính nào."
        )));
    };
    let date = |text: String| Cell {
        number: None,
        not_a_number: Some(format!(
            "ô là ngày tháng ({text}) chứ không phải số; hãy định dạng ô là số (Number) rồi nhập lại"
        )),
        text,
    };
    let cell = |c: &Data| match c {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell::text(s.clone()),
        Data::Float(f) => Cell::number(*f),
        Data::Int(i) => Cell::number(*i as f64),
        Data::Bool(b) => Cell::text(if *b { "có" } else { "không" }),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            date(format!("{day:02}/{m:02}/{y:04}"))
        }
        Data::DateTimeIso(t) | Data::DurationIso(t) => date(t.clone()),
        Data::Error(e) => Cell::text(e.to_string()),
    };
    // Row numbers are the ones Excel shows.
    Ok(rows
        .iter()
        .map(|(row, cells)| (*row, cells.iter().map(cell).collect()))
        .collect())
}

/// One row of a values file, read but not yet validated.
#[derive(Debug, Clone)]
pub struct Row {
    /// Row number as the user sees it.
    pub row: usize,
    /// Indicator code.
    pub code: String,
    /// The values as typed.
    pub form: ValueForm,
    /// Cells that cannot be numbers whatever they show (Excel dates), as
    /// `cột «value»: …` sentences.
    pub refused: Vec<String>,
}

/// Reads a values file into rows.
pub fn read(path: &Path) -> AppResult<Vec<Row>> {
    let name = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_csv = ext != "xlsx";
    let table = read_table(path, &ext, &name)?;
    let Some((header_row, header)) = table.first() else {
        return Err(AppError::invalid(format!("Tệp {name} trống.")));
    };
    let columns = Columns::from_header(header, *header_row, &name)?;
    Ok(table
        .iter()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.text.trim().is_empty()))
        .map(|(n, r)| columns.row(*n, r, header.len(), is_csv))
        .collect())
}

/// The file's cells, read by its extension (`xlsx`, or `csv`/`txt` as text).
fn read_table(path: &Path, ext: &str, name: &str) -> AppResult<Table> {
    match ext {
        "xlsx" => read_xlsx(path),
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| {
                AppError::new(
                    format!("Không đọc được tệp {name}."),
                    "Hãy kiểm tra đường dẫn tệp.",
                )
                .with_details([super::technical(e)])
            })?;
            read_csv(&bytes, name)
        }
        _ => Err(AppError::new(
            format!("Không nhận dạng được loại tệp {name}."),
            "Chỉ nhập được tệp .csv hoặc .xlsx.",
        )),
    }
}

/// Where each of [`COLUMNS`] sits in the file (`None`: the column is absent).
struct Columns {
    positions: [Option<usize>; COLUMNS.len()],
}

impl Columns {
    /// Reads the header row; an unknown column or a missing `indicator` column is refused.
    fn from_header(header: &[Cell], header_row: usize, name: &str) -> AppResult<Self> {
        let mut positions = [None; COLUMNS.len()];
        for (col, h) in header.iter().enumerate() {
            let h = h.text.trim().to_lowercase();
            if h.is_empty() {
                continue;
            }
            let Some(slot) = COLUMNS
                .iter()
                .position(|c| *c == h)
                .and_then(|i| positions.get_mut(i))
            else {
                return Err(AppError::invalid(format!(
                    "Tệp {name}, hàng {header_row}: cột «{h}» không được hỗ trợ."
                ))
                .with_details([format!("Các cột hợp lệ: {}", COLUMNS.join(", "))]));
            };
            *slot = Some(col);
        }
        let columns = Self { positions };
        if columns.at(0).is_none() {
            return Err(AppError::invalid(format!(
                "Tệp {name}, hàng {header_row}: thiếu cột «indicator»."
            )));
        }
        Ok(columns)
    }

    /// The cell of column `i` of [`COLUMNS`] in `row`, if the file has that column and
    /// the row reaches it.
    fn at_row<'r>(&self, row: &'r [Cell], i: usize) -> Option<&'r Cell> {
        self.at(i).and_then(|c| row.get(c))
    }

    /// The file's position of column `i` of [`COLUMNS`].
    fn at(&self, i: usize) -> Option<usize> {
        self.positions.get(i).copied().flatten()
    }

    /// The trimmed text of column `i`, empty when absent.
    fn text(&self, row: &[Cell], i: usize) -> String {
        self.at_row(row, i)
            .map(|s| s.text.trim().to_string())
            .unwrap_or_default()
    }

    /// The number text of column `i`, empty when absent.
    fn number(&self, row: &[Cell], i: usize) -> String {
        self.at_row(row, i)
            .map(Cell::number_text)
            .unwrap_or_default()
    }

    /// One data row (`n`: its row number in the file) as a [`Row`].
    fn row(&self, n: usize, r: &[Cell], header_len: usize, is_csv: bool) -> Row {
        let mut refused: Vec<String> = COLUMNS
            .iter()
            .enumerate()
            .skip(1)
            .take(3)
            .filter_map(|(i, column)| {
                let why = self.at_row(r, i)?.not_a_number.as_ref()?;
                Some(format!("cột «{column}»: {why}"))
            })
            .collect();
        // `1.1,12,5,100` in a comma-separated file splits 12,5 over two columns and
        // shifts the rest: refused rather than read as 12 and 5.
        let extra: Vec<&str> = r
            .iter()
            .skip(header_len)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if is_csv && !extra.is_empty() {
            refused.push(format!(
                "có nhiều ô hơn dòng tiêu đề (ô thừa «{}»): số có dấu phẩy thập phân trong tệp \
                 phân cách bằng dấu phẩy phải đặt trong ngoặc kép, ví dụ \"12,5\", hoặc dùng \
                 dấu chấm phẩy (;) để phân cách",
                extra.join("», «")
            ));
        }
        let form = ValueForm {
            numerator: self.number(r, 1),
            denominator: self.number(r, 2),
            value: self.number(r, 3),
            verdict: self.text(r, 4),
            reason: self.text(r, 5),
            note: self.text(r, 6),
            details: None,
        };
        Row {
            row: n,
            code: self.text(r, 0),
            form,
            refused,
        }
    }
}

/// Imports a values file into an assessment: all rows or none. Returns the number of
/// indicators written.
pub fn import(ws: &mut Workspace, id: AssessmentId, path: &Path) -> AppResult<usize> {
    super::received::refuse_edit(ws, id, "giá trị chỉ tiêu")?;
    let rows = read(path)?;
    let loaded = load(ws, id, super::today())?;
    let profile = units::profile(ws, &loaded.unit)?;
    let mut errors = Vec::new();
    let mut records = Vec::new();
    let mut seen = HashSet::new();
    for Row {
        row,
        code,
        form,
        refused,
    } in &rows
    {
        if !refused.is_empty() {
            errors.extend(refused.iter().map(|r| format!("hàng {row}, {r}")));
            continue;
        }
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
        .with_first_details(errors));
    }
    ws.put_values(id, &records)?;
    Ok(records.len())
}
