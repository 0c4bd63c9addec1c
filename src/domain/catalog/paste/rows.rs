//! The body of a pasted table: physical lines joined into rows, rows read as group
//! headings, criteria, indicators or continued text.

use super::cells::{RawCell, Row, split_rows};
use super::header::{nonempty_count, read_header};
use super::indicator::read_indicator;
use super::marks::{Mark, mark_alone, mark_at_start, starts_row};
use super::{ColumnRole, PasteIssue, PastedCriterion, PastedTable};
use crate::domain::catalog::{IndicatorCode, KeyedBy};
use crate::domain::units::Segment;

/// Where the header put each kind of column.
struct Columns {
    width: usize,
    code: Option<usize>,
    name: Option<usize>,
    text: Option<usize>,
    unit: Option<usize>,
    thresholds: Vec<(usize, Segment)>,
}

impl Columns {
    fn of(roles: &[ColumnRole]) -> Self {
        let col_of = |role: ColumnRole| roles.iter().position(|r| *r == role);
        Columns {
            width: roles.len(),
            code: col_of(ColumnRole::Code),
            name: col_of(ColumnRole::CriterionName),
            text: col_of(ColumnRole::Text),
            unit: col_of(ColumnRole::Unit),
            thresholds: roles
                .iter()
                .enumerate()
                .filter_map(|(i, r)| match r {
                    ColumnRole::Threshold(s) => Some((i, *s)),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// Reads a pasted annex table for an edition keyed by `keyed_by`.
pub fn parse_paste(text: &str, keyed_by: KeyedBy) -> PastedTable {
    let mut table = PastedTable::default();
    let physical: Vec<Vec<RawCell>> = split_rows(text)
        .into_iter()
        .filter(|r| nonempty_count(r) > 0)
        .collect();
    let (columns, header_rows) = match read_header(&physical) {
        Ok(h) => h,
        Err(issue) => {
            table.problems.push(issue);
            return table;
        }
    };
    let header_line = physical
        .first()
        .and_then(|r| r.first())
        .map_or(1, |c| c.line);
    check_segments(&mut table, &columns, keyed_by, header_line);
    let cols = Columns::of(&columns);
    table.columns = columns;
    let rows = join_lines(physical.into_iter().skip(header_rows), cols.width);
    let mut reader = Reader {
        table,
        cols,
        group: String::new(),
        current: None,
    };
    for row in rows {
        reader.read_row(&row);
    }
    let mut table = reader.table;
    if let Some(c) = reader.current.take() {
        table.criteria.push(c);
    }
    if table.criteria.is_empty() && table.problems.is_empty() {
        table.problems.push(PasteIssue {
            line: header_line,
            column: 0,
            message: "bảng không có hàng tiêu chí nào dưới tiêu đề".into(),
        });
    }
    table
}

/// Refuses segment columns the edition does not key its thresholds by.
fn check_segments(
    table: &mut PastedTable,
    columns: &[ColumnRole],
    keyed_by: KeyedBy,
    header_line: usize,
) {
    for (col, role) in columns.iter().enumerate() {
        if let ColumnRole::Threshold(s) = role
            && !keyed_by.allows(*s)
        {
            table.problems.push(PasteIssue {
                line: header_line,
                column: col + 1,
                message: format!(
                    "cột «{}» không dùng được cho bộ tiêu chí này (ngưỡng theo {}); hãy xóa cột đó hoặc chọn bộ gốc khác",
                    s.label(),
                    match keyed_by {
                        KeyedBy::Region => "vùng",
                        KeyedBy::Group => "nhóm xã",
                        KeyedBy::Nothing => "một giá trị chung",
                    }
                ),
            });
        }
    }
}

/// Joins the physical lines into logical rows: a line with fewer cells than the header
/// continues on the next line when Word splits a cell with several paragraphs.
fn join_lines(physical: impl Iterator<Item = Vec<RawCell>>, width: usize) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut pending: Option<Row> = None;
    for line in physical {
        let first_text = line.first().map(|c| c.text.clone()).unwrap_or_default();
        if let Some(mut p) = pending.take() {
            let fits = p.cells.len() + line.len() - 1 <= width;
            if fits && !starts_row(&first_text) {
                let mut rest = line.into_iter();
                if let (Some(last), Some(next)) = (p.cells.last_mut(), rest.next()) {
                    last.text = format!("{} {}", last.text, next.text);
                }
                p.cells.extend(rest);
                if p.cells.len() < width {
                    pending = Some(p);
                } else {
                    rows.push(p);
                }
                continue;
            }
            rows.push(p);
        }
        let row = Row {
            line: line.first().map_or(0, |c| c.line),
            cells: line,
        };
        if row.cells.len() < width && row.cells.len() > 1 {
            pending = Some(row);
        } else {
            rows.push(row);
        }
    }
    if let Some(p) = pending {
        rows.push(p);
    }
    rows
}

/// The cells of a row that are not a group heading, as read so far.
struct RowText {
    code_text: String,
    name: String,
    text: String,
    unit_text: String,
    has_thresholds: bool,
}

/// The state of reading the rows: the table so far, the group heading and the
/// criterion the next indicators belong to.
struct Reader {
    table: PastedTable,
    cols: Columns,
    group: String,
    current: Option<PastedCriterion>,
}

impl Reader {
    fn problem(&mut self, line: usize, column: usize, message: String) {
        self.table.problems.push(PasteIssue {
            line,
            column,
            message,
        });
    }

    fn read_row(&mut self, row: &Row) {
        let width = self.cols.width;
        if row.cells.len() > width {
            self.problem(
                row.line,
                width + 1,
                format!(
                    "hàng có {} ô, nhiều hơn {} cột của tiêu đề; hãy kiểm tra ô bị tách bởi dấu tab",
                    row.cells.len(),
                    width
                ),
            );
            return;
        }
        // A line of a single cell: a group heading or a continued text.
        if row.cells.len() == 1 && width > 1 {
            self.single_cell(row);
            return;
        }
        let mut cells = RowText {
            code_text: row.get(self.cols.code),
            name: row.get(self.cols.name),
            text: row.get(self.cols.text),
            unit_text: row.get(self.cols.unit),
            has_thresholds: self
                .cols
                .thresholds
                .iter()
                .any(|(c, _)| !row.get(Some(*c)).is_empty()),
        };
        let Some(mark) = self.leading_mark(row, &mut cells) else {
            return;
        };
        self.indicator_row(row, mark, cells);
    }

    fn single_cell(&mut self, row: &Row) {
        let t = row.get(Some(0));
        if let Some((Mark::Roman, _)) = mark_at_start(&t) {
            self.group = t;
            return;
        }
        if let Some((Mark::Criterion(n), name)) = mark_at_start(&t) {
            self.start_criterion(n, name, row.line);
            return;
        }
        match self.current.as_mut() {
            Some(c) => match c.indicators.last_mut() {
                Some(i) => i.text = format!("{} {t}", i.text),
                None => c.name = format!("{} {t}", c.name).trim().to_string(),
            },
            None => self.problem(
                row.line,
                1,
                format!(
                    "«{t}» đứng trước mọi tiêu chí; hãy bắt đầu bảng bằng hàng tiêu chí (số và tên)"
                ),
            ),
        }
    }

    /// Reads the TT cell or the mark at the start of the text: starts a criterion or a
    /// group when the row is one. `None` when the row is done with; otherwise the
    /// indicator's mark, if any.
    fn leading_mark(&mut self, row: &Row, cells: &mut RowText) -> Option<Option<Mark>> {
        let code_col = self.cols.code.map_or(0, |c| c + 1);
        let mut mark = mark_alone(&cells.code_text);
        if !cells.code_text.is_empty() && mark.is_none() {
            let message = format!(
                "không đọc được số thứ tự «{}»; hãy ghi số tiêu chí (2) hoặc mã chỉ tiêu (2.1)",
                cells.code_text
            );
            self.problem(row.line, code_col, message);
            return None;
        }
        if mark == Some(Mark::Roman) {
            self.group = [
                cells.code_text.as_str(),
                cells.name.as_str(),
                cells.text.as_str(),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
            return None;
        }
        if let Some(Mark::Criterion(n)) = mark {
            // Without a name column the criterion's name stands in the text column.
            let name =
                if cells.name.is_empty() && !cells.has_thresholds && cells.unit_text.is_empty() {
                    std::mem::take(&mut cells.text)
                } else {
                    cells.name.clone()
                };
            self.start_criterion(n, name, row.line);
            mark = None;
            if cells.text.is_empty() && !cells.has_thresholds {
                return None;
            }
        } else if !cells.name.is_empty() && self.current.is_none() {
            let message = format!(
                "tiêu chí «{}» không có số; hãy ghi số tiêu chí vào cột TT",
                cells.name
            );
            self.problem(row.line, code_col, message);
            return None;
        }
        // The code at the start of the text.
        if mark.is_none()
            && let Some((m, rest)) = mark_at_start(&cells.text)
        {
            match m {
                // «3. Tỷ lệ…» in the text column of a one-column table: a criterion.
                Mark::Criterion(n)
                    if (self.current.is_none() || cells.name.is_empty())
                        && !cells.has_thresholds =>
                {
                    self.start_criterion(n, rest, row.line);
                    return None;
                }
                Mark::Indicator(_) | Mark::Letter(_) => {
                    mark = Some(m);
                    cells.text = rest;
                }
                _ => {}
            }
        }
        Some(mark)
    }

    fn indicator_row(&mut self, row: &Row, mark: Option<Mark>, cells: RowText) {
        let text_col = self.cols.text.map_or(0, |c| c + 1);
        let code_or_text_col = self.cols.code.or(self.cols.text).map_or(0, |c| c + 1);
        let Some(criterion) = self.current.as_mut() else {
            self.problem(
                row.line,
                text_col,
                "chỉ tiêu đứng trước mọi tiêu chí; hãy bắt đầu bảng bằng hàng tiêu chí (số và tên)"
                    .into(),
            );
            return;
        };
        let RowText {
            text, unit_text, ..
        } = cells;
        if mark.is_none() && !cells.has_thresholds && unit_text.is_empty() {
            // Text only, no code: the previous text goes on (a PDF viewer's line).
            if text.is_empty() {
                return;
            }
            match criterion.indicators.last_mut() {
                Some(i) => i.text = format!("{} {text}", i.text),
                None => criterion.name = format!("{} {text}", criterion.name).trim().to_string(),
            }
            return;
        }
        let Some(code) = indicator_code(&mut self.table, criterion, mark, row.line, &self.cols)
        else {
            return;
        };
        if criterion.indicators.iter().any(|i| i.code == code) {
            self.problem(
                row.line,
                code_or_text_col,
                format!("mã chỉ tiêu {code} bị trùng"),
            );
            return;
        }
        if text.is_empty() {
            self.problem(
                row.line,
                text_col,
                format!("chỉ tiêu {code}: thiếu nội dung"),
            );
        }
        let indicator = read_indicator(
            &mut self.table,
            row,
            code,
            text,
            unit_text,
            &self.cols.thresholds,
        );
        if let Some(c) = self.current.as_mut() {
            c.indicators.push(indicator);
        }
    }

    fn start_criterion(&mut self, number: u32, name: String, line: usize) {
        if let Some(c) = self.current.take() {
            self.table.criteria.push(c);
        }
        if !(1..=99).contains(&number) || self.table.criteria.iter().any(|c| c.number == number) {
            self.problem(
                line,
                1,
                format!("tiêu chí số {number} bị trùng hoặc ngoài khoảng 1–99"),
            );
        }
        self.current = Some(PastedCriterion {
            number,
            name,
            group: self.group.clone(),
            indicators: Vec::new(),
            line,
        });
    }
}

/// The code of an indicator row: its own, the letter under the criterion, or the next
/// number when the table gives none (a notice). `None` when the row is refused.
fn indicator_code(
    table: &mut PastedTable,
    criterion: &PastedCriterion,
    mark: Option<Mark>,
    line: usize,
    cols: &Columns,
) -> Option<IndicatorCode> {
    match mark {
        Some(Mark::Indicator(code)) => {
            if code.criterion_number() != Some(criterion.number) {
                table.problems.push(PasteIssue {
                    line,
                    column: cols.code.or(cols.text).map_or(0, |c| c + 1),
                    message: format!(
                        "mã chỉ tiêu {code} không thuộc tiêu chí {} ở trên; hãy kiểm tra số tiêu chí",
                        criterion.number
                    ),
                });
                return None;
            }
            Some(code)
        }
        Some(Mark::Letter(n)) => IndicatorCode::parse(&format!("{}.{n}", criterion.number)),
        _ => {
            let n = criterion.indicators.len() + 1;
            let code = IndicatorCode::parse(&format!("{}.{n}", criterion.number))?;
            table.notices.push(PasteIssue {
                line,
                column: cols.text.map_or(0, |c| c + 1),
                message: format!("bảng không ghi mã chỉ tiêu; đã đánh mã {code} theo thứ tự"),
            });
            Some(code)
        }
    }
}
