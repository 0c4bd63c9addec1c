//! Reading an annex table pasted from the clipboard: the tab-separated rows that Word, a
//! PDF viewer or Excel put there when an officer copies the indicator table of a
//! decision.
//!
//! The header (one row, or two when a heading such as «Chỉ tiêu theo nhóm xã» spans the
//! segment columns) decides what each column holds; header words are matched without
//! case or diacritics. Rows are read the way annexes are written: a criterion row
//! (number and name), indicator rows whose code stands in its own column or at the start
//! of the text (`2.1.`, `2.1)`, `a)` under criterion 2 becomes 2.1), cells continued on
//! several lines (quoted as Excel writes them, or split over lines as Word writes them),
//! empty cells left by merged cells, no-break spaces and decomposed Vietnamese.
//!
//! Nothing is guessed: a threshold cell that cannot be read stays as text and is reported
//! as a [`PasteIssue`] with its line and column; what was inferred (a merged cell applied
//! to several columns, an indicator numbered because the table gives no code) is
//! reported as a notice, so that the officer sees it in the preview.
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::{
    Comparator, Criterion, Edition, EditionCode, Guidance, Indicator, IndicatorCode, IndicatorKind,
    KeyedBy, Threshold, ThresholdValue,
};
use crate::domain::units::{CommuneGroup, Region, Segment};
use crate::domain::vn_text::{fold, nfc, read_number};

/// What a column of the pasted table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// TT / Mã: the criterion number or the indicator code.
    Code,
    /// Tên tiêu chí.
    CriterionName,
    /// Nội dung / Chỉ tiêu: the indicator's wording.
    Text,
    /// Đơn vị.
    Unit,
    /// A threshold column for one segment.
    Threshold(Segment),
    /// A column the table has but the catalogue does not use (Ghi chú…).
    Ignored,
}

impl ColumnRole {
    /// The Vietnamese name shown in previews and problems.
    pub fn label(self) -> String {
        match self {
            ColumnRole::Code => "TT".into(),
            ColumnRole::CriterionName => "Tên tiêu chí".into(),
            ColumnRole::Text => "Nội dung".into(),
            ColumnRole::Unit => "Đơn vị".into(),
            ColumnRole::Threshold(s) => s.label(),
            ColumnRole::Ignored => "(bỏ qua)".into(),
        }
    }
}

/// A problem or a notice about the pasted text, with the line and column it concerns
/// (both 1-based; column 0 when it concerns a whole line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteIssue {
    /// The line of the pasted text.
    pub line: usize,
    /// The column (cell) of that line, 1-based; 0 for the whole line.
    pub column: usize,
    /// What is wrong or what was inferred, in Vietnamese.
    pub message: String,
}

impl std::fmt::Display for PasteIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column == 0 {
            write!(f, "dòng {}: {}", self.line, self.message)
        } else {
            write!(
                f,
                "dòng {}, cột {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

/// One threshold read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct PastedThreshold {
    /// The segment of its column.
    pub segment: Segment,
    /// The value.
    pub value: ThresholdValue,
    /// True when the value came from a merged cell of another column.
    pub from_merged_cell: bool,
}

/// One indicator read from the table.
#[derive(Debug, Clone, PartialEq)]
pub struct PastedIndicator {
    /// Its code.
    pub code: IndicatorCode,
    /// Its wording.
    pub text: String,
    /// Its unit (`%`, `triệu đồng/người`), from the cells or the Đơn vị column.
    pub unit: String,
    /// Its kind, when the cells or the unit say it.
    pub kind: Option<IndicatorKind>,
    /// Its comparator, when the cells say it.
    pub comparator: Option<Comparator>,
    /// Level names seen in its cells, for qualitative indicators.
    pub levels: Vec<String>,
    /// Thresholds per segment.
    pub thresholds: Vec<PastedThreshold>,
    /// The line it starts on.
    pub line: usize,
}

/// One criterion read from the table.
#[derive(Debug, Clone, PartialEq)]
pub struct PastedCriterion {
    /// Its number.
    pub number: u32,
    /// Its name as written (empty when the table gives none).
    pub name: String,
    /// The group heading above it («II. Hạ tầng kinh tế - xã hội»), if any.
    pub group: String,
    /// Its indicators in order.
    pub indicators: Vec<PastedIndicator>,
    /// The line it starts on.
    pub line: usize,
}

/// The result of reading a pasted table: the parsed criteria, the column mapping, the
/// problems that block saving and the notices the officer should look at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PastedTable {
    /// The role of each column, in order.
    pub columns: Vec<ColumnRole>,
    /// Criteria in the order of the table.
    pub criteria: Vec<PastedCriterion>,
    /// What could not be read; saving is refused while any remains.
    pub problems: Vec<PasteIssue>,
    /// What was inferred and should be checked (never blocks saving).
    pub notices: Vec<PasteIssue>,
}

impl PastedTable {
    /// Number of indicators read.
    pub fn indicator_count(&self) -> usize {
        self.criteria.iter().map(|c| c.indicators.len()).sum()
    }
}

/// A cell of a physical row, with the line it starts on.
#[derive(Debug, Clone)]
struct RawCell {
    line: usize,
    text: String,
}

/// Splits clipboard text into rows of cells. Quoted cells (`"…"`, with `""` for a quote)
/// may hold tabs and line breaks, as Excel writes them; other lines are split on tabs.
fn split_rows(text: &str) -> Vec<Vec<RawCell>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let chars: Vec<char> = text.chars().collect();
    let mut rows = Vec::new();
    let mut row: Vec<RawCell> = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut cell_line = 1;
    let mut i = 0;
    let mut at_cell_start = true;
    while let Some(&c) = chars.get(i) {
        if at_cell_start && c == '"' && quoted_cell_closes(&chars, i + 1) {
            // A quoted cell: read to the closing quote.
            i += 1;
            while let Some(&q) = chars.get(i) {
                if q == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        cell.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                if q == '\n' {
                    line += 1;
                }
                cell.push(q);
                i += 1;
            }
            at_cell_start = false;
            continue;
        }
        match c {
            '\t' => {
                row.push(RawCell {
                    line: cell_line,
                    text: std::mem::take(&mut cell),
                });
                cell_line = line;
                at_cell_start = true;
            }
            '\r' if chars.get(i + 1) == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(RawCell {
                    line: cell_line,
                    text: std::mem::take(&mut cell),
                });
                rows.push(std::mem::take(&mut row));
                line += 1;
                cell_line = line;
                at_cell_start = true;
            }
            other => {
                cell.push(other);
                at_cell_start = false;
            }
        }
        i += 1;
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(RawCell {
            line: cell_line,
            text: cell,
        });
        rows.push(row);
    }
    rows
}

/// True when a quote opened at `from - 1` closes before the text ends, followed by a
/// tab, a line break or the end: only then is the cell a quoted one.
fn quoted_cell_closes(chars: &[char], from: usize) -> bool {
    let mut i = from;
    while let Some(&c) = chars.get(i) {
        if c == '"' {
            if chars.get(i + 1) == Some(&'"') {
                i += 2;
                continue;
            }
            return matches!(chars.get(i + 1), None | Some('\t' | '\n' | '\r'));
        }
        i += 1;
    }
    false
}

/// Cleans a cell: NFC, no-break and thin spaces as spaces, line breaks and runs of
/// spaces as one space.
fn clean(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| match c {
            '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' | '\u{b}' | '\n' | '\r' => ' ',
            other => other,
        })
        .collect();
    nfc(&spaced.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A header key: folded, punctuation as spaces, single spaces.
fn key(text: &str) -> String {
    let folded: String = fold(&clean(text))
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn region_abbreviation(r: Region) -> &'static str {
    match r {
        Region::NorthernMountains => "tdmnpb",
        Region::RedRiverDelta => "dbsh",
        Region::NorthCentral => "btb",
        Region::SouthCentralCoast => "dhntb",
        Region::CentralHighlands => "tn",
        Region::Southeast => "dnb",
        Region::MekongDelta => "dbscl",
    }
}

/// The role of a header cell, or `None` when it names nothing known.
fn header_role(text: &str) -> Option<ColumnRole> {
    let k = key(text);
    let k = k.as_str();
    match k {
        "tt" | "stt" | "so tt" | "ma" | "ma so" | "so" => return Some(ColumnRole::Code),
        "ten tieu chi" | "tieu chi" => return Some(ColumnRole::CriterionName),
        "noi dung" | "noi dung tieu chi" | "noi dung chi tieu" | "chi tieu" | "ten chi tieu" => {
            return Some(ColumnRole::Text);
        }
        "don vi" | "don vi tinh" | "dvt" => return Some(ColumnRole::Unit),
        "chung" | "chi tieu chung" | "nguong chung" | "ca nuoc" => {
            return Some(ColumnRole::Threshold(Segment::General));
        }
        "ghi chu" => return Some(ColumnRole::Ignored),
        _ => {}
    }
    let stripped = k
        .strip_prefix("xa ")
        .or_else(|| k.strip_prefix("chi tieu "))
        .unwrap_or(k);
    for (g, n, roman) in [
        (CommuneGroup::One, "1", "i"),
        (CommuneGroup::Two, "2", "ii"),
        (CommuneGroup::Three, "3", "iii"),
    ] {
        if stripped == format!("nhom {n}")
            || stripped == format!("nhom{n}")
            || stripped == format!("nhom {roman}")
        {
            return Some(ColumnRole::Threshold(Segment::Group(g)));
        }
    }
    let region_key = k.strip_prefix("vung ").unwrap_or(k);
    for r in Region::ALL {
        let abbr = region_abbreviation(*r);
        if region_key == key(r.label()) || region_key.replace(' ', "") == abbr {
            return Some(ColumnRole::Threshold(Segment::Region(*r)));
        }
    }
    None
}

/// True when a header cell is a spanning heading over segment columns
/// («Chỉ tiêu theo nhóm xã», «Chỉ tiêu theo vùng»).
fn is_spanning_heading(text: &str) -> bool {
    let k = key(text);
    k.contains("theo nhom") || k.contains("theo vung") || k.contains("nhom xa")
}

/// How a TT cell or the start of a text reads.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    /// `2` or `2.`: a criterion number.
    Criterion(u32),
    /// `2.1`, `2.1.`, `2.1)`: an indicator code.
    Indicator(IndicatorCode),
    /// `a)`: the n-th sub-item (1-based) under the current criterion.
    Letter(u32),
    /// `II.`: a group heading.
    Roman,
}

fn roman_value(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// Reads a mark standing alone (a TT cell).
fn mark_alone(text: &str) -> Option<Mark> {
    let t = text.trim().trim_end_matches(['.', ')', ':']);
    if t.is_empty() {
        return None;
    }
    if roman_value(t) {
        return Some(Mark::Roman);
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse().ok().map(Mark::Criterion);
    }
    if let Some(code) = IndicatorCode::parse(t) {
        return Some(Mark::Indicator(code));
    }
    let mut chars = t.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_lowercase()
        && text.trim().ends_with(')')
    {
        return Some(Mark::Letter(u32::from(c) - u32::from('a') + 1));
    }
    None
}

/// Reads a mark at the start of a text («2.1. Tỷ lệ…», «a) Có…», «II. HẠ TẦNG…»),
/// returning it and the rest of the text.
fn mark_at_start(text: &str) -> Option<(Mark, String)> {
    let t = text.trim_start();
    let end = t
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(t.len(), |(i, _)| i);
    let (head, rest) = t.split_at(end);
    let ends_marked = head.ends_with('.') || head.ends_with(')') || head.ends_with(':');
    let mark = mark_alone(head)?;
    match mark {
        // «80 %» or «2 xã» is not a mark: a criterion number at the start of a text
        // must end with «.» or «)»; an indicator code needs its dot anyway.
        Mark::Criterion(_) | Mark::Roman if !ends_marked => None,
        Mark::Letter(_) if !head.ends_with(')') => None,
        m => Some((m, rest.trim().to_string())),
    }
}

/// A threshold cell, read.
#[derive(Debug, Clone, PartialEq)]
struct ReadCell {
    value: ThresholdValue,
    comparator: Option<Comparator>,
    kind: Option<IndicatorKind>,
    unit: String,
}

/// Reads a threshold cell: `≥ 80%`, `≥80 %`, `Tối thiểu 80%`, `≤ 24%`, `Đạt`, `Có`,
/// `100%`, `≥ 45 triệu đồng/người`, `Hoàn thành tốt nhiệm vụ trở lên`. `Err` holds why
/// it cannot be read; nothing is guessed.
fn read_threshold(text: &str) -> Result<ReadCell, String> {
    let text = clean(text);
    let folded = key(&text);
    if matches!(folded.as_str(), "dat" | "co" | "dat chuan" | "dat yeu cau") {
        return Ok(ReadCell {
            value: ThresholdValue::Yes,
            comparator: Some(Comparator::Equal),
            kind: Some(IndicatorKind::YesNo),
            unit: String::new(),
        });
    }
    let mut rest = text.as_str();
    let mut comparator = None;
    for (prefix, c) in [
        ("≥", Comparator::AtLeast),
        (">=", Comparator::AtLeast),
        ("≤", Comparator::AtMost),
        ("<=", Comparator::AtMost),
        ("=", Comparator::Equal),
    ] {
        if let Some(r) = rest.strip_prefix(prefix) {
            comparator = Some(c);
            rest = r.trim_start();
            break;
        }
    }
    if comparator.is_none() {
        for (words, c) in [
            ("toi thieu", Comparator::AtLeast),
            ("it nhat", Comparator::AtLeast),
            ("khong thap hon", Comparator::AtLeast),
            ("khong duoi", Comparator::AtLeast),
            ("toi da", Comparator::AtMost),
            ("khong vuot qua", Comparator::AtMost),
            ("khong qua", Comparator::AtMost),
            ("khong cao hon", Comparator::AtMost),
        ] {
            let n = words.split(' ').count();
            let head: Vec<&str> = rest.split_whitespace().take(n).collect();
            if key(&head.join(" ")) == words {
                comparator = Some(c);
                rest = strip_words(rest, n);
                break;
            }
        }
    }
    // «… trở lên» / «… trở xuống» at the end.
    let mut body = rest.trim().to_string();
    for (words, c) in [
        ("tro len", Comparator::AtLeast),
        ("tro xuong", Comparator::AtMost),
    ] {
        let parts: Vec<&str> = body.split_whitespace().collect();
        if parts.len() >= 2 {
            let split = parts.len() - 2;
            let (head, tail) = parts.split_at(split);
            if key(&tail.join(" ")) == words {
                if comparator.is_some_and(|have| have != c) {
                    return Err(format!("«{text}» ghi hai phép so sánh trái nhau"));
                }
                comparator = Some(c);
                body = head.join(" ");
            }
        }
    }
    let body = body.trim();
    // A number, then a unit.
    let number_end = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(body.len(), |(i, _)| i);
    let (number, unit) = body.split_at(number_end);
    let number = number.trim_end_matches(['.', ',']);
    if !number.is_empty() {
        let value = read_number(number)
            .map_err(|e| format!("«{text}»: số «{number}» {e}"))?
            .value;
        // A unit in words stands apart from its number («45 triệu»); «1e308%» is no
        // number with a unit «e308%».
        let spaced = unit.starts_with(char::is_whitespace);
        let unit = unit.trim();
        let (kind, unit) = match unit {
            "%" => (Some(IndicatorKind::Ratio), "%".to_string()),
            "" => (None, String::new()),
            u if spaced && u.chars().next().is_some_and(char::is_alphabetic) => {
                (Some(IndicatorKind::Amount), u.to_string())
            }
            _ => {
                return Err(format!(
                    "«{text}»: không đọc được đơn vị «{unit}» sau số; hãy sửa ô này"
                ));
            }
        };
        return Ok(ReadCell {
            value: ThresholdValue::Number(value),
            comparator,
            kind,
            unit,
        });
    }
    // A level named in words, only with «trở lên» / «trở xuống» (or ≥ ≤) to say how it
    // compares.
    if comparator.is_some() && !body.is_empty() && body.chars().any(char::is_alphabetic) {
        return Ok(ReadCell {
            value: ThresholdValue::Level(body.to_string()),
            comparator,
            kind: Some(IndicatorKind::Level),
            unit: String::new(),
        });
    }
    Err(format!(
        "không đọc được ngưỡng «{text}»; hãy ghi dạng «≥ 80%», «≤ 24%», «Đạt» hoặc «… trở lên»"
    ))
}

fn strip_words(text: &str, n: usize) -> &str {
    let mut rest = text.trim_start();
    for _ in 0..n {
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(rest.len(), |(i, _)| i);
        rest = rest.get(end..).unwrap_or_default().trim_start();
    }
    rest
}

/// A logical row: cells mapped to the header's columns.
struct Row {
    line: usize,
    cells: Vec<RawCell>,
}

impl Row {
    fn get(&self, col: Option<usize>) -> String {
        col.and_then(|c| self.cells.get(c))
            .map(|c| clean(&c.text))
            .unwrap_or_default()
    }
}

fn nonempty_count(row: &[RawCell]) -> usize {
    row.iter().filter(|c| !clean(&c.text).is_empty()).count()
}

/// True when the first cell of a line starts a new row of the table rather than
/// continuing the previous one: empty (an empty TT cell), a number or a mark.
fn starts_row(first: &str) -> bool {
    let t = clean(first);
    t.is_empty() || mark_alone(&t).is_some() || mark_at_start(&t).is_some()
}

/// Reads the header: returns the roles and the number of header rows (1 or 2).
fn read_header(rows: &[Vec<RawCell>]) -> Result<(Vec<ColumnRole>, usize), PasteIssue> {
    let Some(first) = rows.first() else {
        return Err(PasteIssue {
            line: 1,
            column: 0,
            message: "không có gì để đọc: hãy dán bảng phụ lục, kể cả hàng tiêu đề".into(),
        });
    };
    let second = rows.get(1);
    let second_is_header = second.is_some_and(|r| {
        r.iter().any(|c| {
            matches!(
                header_role(&c.text),
                Some(ColumnRole::Threshold(s)) if s != Segment::General
            )
        }) && r.iter().all(|c| {
            let t = clean(&c.text);
            t.is_empty() || header_role(&t).is_some()
        })
    });
    let width = first
        .len()
        .max(second.filter(|_| second_is_header).map_or(0, Vec::len));
    let mut roles = Vec::with_capacity(width);
    let mut unknown = Vec::new();
    for col in 0..width {
        let top = first.get(col).map(|c| clean(&c.text)).unwrap_or_default();
        let below = second
            .filter(|_| second_is_header)
            .and_then(|r| r.get(col))
            .map(|c| clean(&c.text))
            .unwrap_or_default();
        let role = header_role(&below).or_else(|| header_role(&top));
        match role {
            Some(r) => roles.push(r),
            None => {
                if !top.is_empty() && !is_spanning_heading(&top) {
                    unknown.push((col + 1, top.clone()));
                }
                roles.push(ColumnRole::Ignored);
            }
        }
    }
    let has_text = roles.contains(&ColumnRole::Text);
    let has_threshold = roles.iter().any(|r| matches!(r, ColumnRole::Threshold(_)));
    if !has_text || !has_threshold {
        let names: Vec<String> = unknown.iter().map(|(_, t)| format!("«{t}»")).collect();
        return Err(PasteIssue {
            line: 1,
            column: 0,
            message: format!(
                "hàng đầu phải là tiêu đề bảng, có cột «Nội dung» (hoặc «Chỉ tiêu») và ít nhất một cột ngưỡng («Chung», «Nhóm 1»…, hoặc tên vùng){}",
                if names.is_empty() {
                    String::new()
                } else {
                    format!("; không nhận ra: {}", names.join(", "))
                }
            ),
        });
    }
    Ok((roles, if second_is_header { 2 } else { 1 }))
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
    table.columns = columns.clone();
    let width = columns.len();
    let col_of = |role: ColumnRole| columns.iter().position(|r| *r == role);
    let code_col = col_of(ColumnRole::Code);
    let name_col = col_of(ColumnRole::CriterionName);
    let text_col = col_of(ColumnRole::Text);
    let unit_col = col_of(ColumnRole::Unit);
    let threshold_cols: Vec<(usize, Segment)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            ColumnRole::Threshold(s) => Some((i, *s)),
            _ => None,
        })
        .collect();

    // Join the physical lines into logical rows: a line with fewer cells than the header
    // continues on the next line when Word splits a cell with several paragraphs.
    let mut rows: Vec<Row> = Vec::new();
    let mut pending: Option<Row> = None;
    for line in physical.into_iter().skip(header_rows) {
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

    let mut group = String::new();
    let mut current: Option<PastedCriterion> = None;
    // The last thing a text-only line may continue: (criterion name?) or indicator text.
    for row in rows {
        if row.cells.len() > width {
            table.problems.push(PasteIssue {
                line: row.line,
                column: width + 1,
                message: format!(
                    "hàng có {} ô, nhiều hơn {} cột của tiêu đề; hãy kiểm tra ô bị tách bởi dấu tab",
                    row.cells.len(),
                    width
                ),
            });
            continue;
        }
        // A line of a single cell: a group heading or a continued text.
        if row.cells.len() == 1 && width > 1 {
            let t = row.get(Some(0));
            if let Some((Mark::Roman, _)) = mark_at_start(&t) {
                group = t;
                continue;
            }
            if let Some((Mark::Criterion(n), name)) = mark_at_start(&t) {
                start_criterion(&mut table, &mut current, n, name, &group, row.line);
                continue;
            }
            match current.as_mut() {
                Some(c) => match c.indicators.last_mut() {
                    Some(i) => i.text = format!("{} {t}", i.text),
                    None => c.name = format!("{} {t}", c.name).trim().to_string(),
                },
                None => table.problems.push(PasteIssue {
                    line: row.line,
                    column: 1,
                    message: format!(
                        "«{t}» đứng trước mọi tiêu chí; hãy bắt đầu bảng bằng hàng tiêu chí (số và tên)"
                    ),
                }),
            }
            continue;
        }
        let code_text = row.get(code_col);
        let name = row.get(name_col);
        let mut text = row.get(text_col);
        let unit_text = row.get(unit_col);
        let has_thresholds = threshold_cols
            .iter()
            .any(|(c, _)| !row.get(Some(*c)).is_empty());

        let mut mark = mark_alone(&code_text);
        if !code_text.is_empty() && mark.is_none() {
            table.problems.push(PasteIssue {
                line: row.line,
                column: code_col.map_or(0, |c| c + 1),
                message: format!(
                    "không đọc được số thứ tự «{code_text}»; hãy ghi số tiêu chí (2) hoặc mã chỉ tiêu (2.1)"
                ),
            });
            continue;
        }
        if mark == Some(Mark::Roman) {
            group = [code_text.as_str(), name.as_str(), text.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            continue;
        }
        if let Some(Mark::Criterion(n)) = mark {
            // Without a name column the criterion's name stands in the text column.
            let name = if name.is_empty() && !has_thresholds && unit_text.is_empty() {
                std::mem::take(&mut text)
            } else {
                name.clone()
            };
            start_criterion(&mut table, &mut current, n, name, &group, row.line);
            mark = None;
            if text.is_empty() && !has_thresholds {
                continue;
            }
        } else if !name.is_empty() && current.is_none() {
            table.problems.push(PasteIssue {
                line: row.line,
                column: code_col.map_or(0, |c| c + 1),
                message: format!("tiêu chí «{name}» không có số; hãy ghi số tiêu chí vào cột TT"),
            });
            continue;
        }
        // The code at the start of the text.
        if mark.is_none()
            && let Some((m, rest)) = mark_at_start(&text)
        {
            match m {
                // «3. Tỷ lệ…» in the text column of a one-column table: a criterion.
                Mark::Criterion(n) if (current.is_none() || name.is_empty()) && !has_thresholds => {
                    start_criterion(&mut table, &mut current, n, rest, &group, row.line);
                    continue;
                }
                Mark::Indicator(_) | Mark::Letter(_) => {
                    mark = Some(m);
                    text = rest;
                }
                _ => {}
            }
        }
        let Some(criterion) = current.as_mut() else {
            table.problems.push(PasteIssue {
                line: row.line,
                column: text_col.map_or(0, |c| c + 1),
                message: "chỉ tiêu đứng trước mọi tiêu chí; hãy bắt đầu bảng bằng hàng tiêu chí (số và tên)".into(),
            });
            continue;
        };
        if mark.is_none() && !has_thresholds && unit_text.is_empty() {
            // Text only, no code: the previous text goes on (a PDF viewer's line).
            if text.is_empty() {
                continue;
            }
            match criterion.indicators.last_mut() {
                Some(i) => i.text = format!("{} {text}", i.text),
                None => criterion.name = format!("{} {text}", criterion.name).trim().to_string(),
            }
            continue;
        }
        let code = match mark {
            Some(Mark::Indicator(code)) => {
                if code.criterion_number() != Some(criterion.number) {
                    table.problems.push(PasteIssue {
                        line: row.line,
                        column: code_col.or(text_col).map_or(0, |c| c + 1),
                        message: format!(
                            "mã chỉ tiêu {code} không thuộc tiêu chí {} ở trên; hãy kiểm tra số tiêu chí",
                            criterion.number
                        ),
                    });
                    continue;
                }
                code
            }
            Some(Mark::Letter(n)) => {
                match IndicatorCode::parse(&format!("{}.{n}", criterion.number)) {
                    Some(c) => c,
                    None => continue,
                }
            }
            _ => {
                let n = criterion.indicators.len() + 1;
                let Some(code) = IndicatorCode::parse(&format!("{}.{n}", criterion.number)) else {
                    continue;
                };
                table.notices.push(PasteIssue {
                    line: row.line,
                    column: text_col.map_or(0, |c| c + 1),
                    message: format!("bảng không ghi mã chỉ tiêu; đã đánh mã {code} theo thứ tự"),
                });
                code
            }
        };
        if criterion.indicators.iter().any(|i| i.code == code) {
            table.problems.push(PasteIssue {
                line: row.line,
                column: code_col.or(text_col).map_or(0, |c| c + 1),
                message: format!("mã chỉ tiêu {code} bị trùng"),
            });
            continue;
        }
        if text.is_empty() {
            table.problems.push(PasteIssue {
                line: row.line,
                column: text_col.map_or(0, |c| c + 1),
                message: format!("chỉ tiêu {code}: thiếu nội dung"),
            });
        }
        let indicator = read_indicator(&mut table, &row, code, text, unit_text, &threshold_cols);
        if let Some(c) = current.as_mut() {
            c.indicators.push(indicator);
        }
    }
    if let Some(c) = current.take() {
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

fn start_criterion(
    table: &mut PastedTable,
    current: &mut Option<PastedCriterion>,
    number: u32,
    name: String,
    group: &str,
    line: usize,
) {
    if let Some(c) = current.take() {
        table.criteria.push(c);
    }
    if !(1..=99).contains(&number) || table.criteria.iter().any(|c| c.number == number) {
        table.problems.push(PasteIssue {
            line,
            column: 1,
            message: format!("tiêu chí số {number} bị trùng hoặc ngoài khoảng 1–99"),
        });
    }
    *current = Some(PastedCriterion {
        number,
        name,
        group: group.to_string(),
        indicators: Vec::new(),
        line,
    });
}

fn read_indicator(
    table: &mut PastedTable,
    row: &Row,
    code: IndicatorCode,
    text: String,
    unit_text: String,
    threshold_cols: &[(usize, Segment)],
) -> PastedIndicator {
    let mut indicator = PastedIndicator {
        code,
        text,
        unit: unit_text.clone(),
        kind: None,
        comparator: None,
        levels: Vec::new(),
        thresholds: Vec::new(),
        line: row.line,
    };
    let code = indicator.code.clone();
    // Cells present; a short row (Word writes a merged cell once) lacks the last ones.
    let cells: Vec<(usize, Segment, Option<String>)> = threshold_cols
        .iter()
        .map(|(c, s)| {
            let present = row.cells.get(*c).map(|cell| clean(&cell.text));
            (*c, *s, present.filter(|t| !t.is_empty()))
        })
        .collect();
    let filled: Vec<&(usize, Segment, Option<String>)> =
        cells.iter().filter(|(_, _, t)| t.is_some()).collect();
    let specific: Vec<&(usize, Segment, Option<String>)> = cells
        .iter()
        .filter(|(_, s, _)| *s != Segment::General)
        .collect();
    // A merged cell: one value where several segment columns are expected.
    let merged = matches!(filled.as_slice(), [(_, s, _)] if *s != Segment::General)
        && specific.len() > 1
        && specific.first().is_some_and(|(_, _, t)| t.is_some());
    let mut seen_comparator: Option<(Comparator, usize)> = None;
    let mut read: Vec<(usize, Segment, ReadCell, bool)> = Vec::new();
    for (col, seg, t) in &cells {
        let Some(t) = t else { continue };
        let line = row.cells.get(*col).map_or(row.line, |c| c.line);
        match read_threshold(t) {
            Ok(cell) => {
                if let Some(c) = cell
                    .comparator
                    .filter(|_| cell.kind != Some(IndicatorKind::YesNo))
                {
                    match seen_comparator {
                        Some((have, _)) if have != c => {
                            table.problems.push(PasteIssue {
                                line,
                                column: col + 1,
                                message: format!(
                                    "chỉ tiêu {code}: ô «{t}» so sánh {} khác các ô khác ({}); hãy sửa cho thống nhất",
                                    c.symbol(),
                                    have.symbol()
                                ),
                            });
                            continue;
                        }
                        None => seen_comparator = Some((c, col + 1)),
                        _ => {}
                    }
                }
                if merged {
                    for (_, s, _) in &specific {
                        read.push((col + 1, *s, cell.clone(), *s != *seg));
                    }
                } else {
                    read.push((col + 1, *seg, cell, false));
                }
            }
            Err(message) => table.problems.push(PasteIssue {
                line,
                column: col + 1,
                message: format!("chỉ tiêu {code}: {message}"),
            }),
        }
    }
    if merged && let Some((col, _, _)) = filled.first() {
        table.notices.push(PasteIssue {
            line: row.line,
            column: col + 1,
            message: format!(
                "chỉ tiêu {code}: một ô ngưỡng (ô gộp) áp dụng cho cả {} cột {}; hãy kiểm tra",
                specific.len(),
                specific
                    .iter()
                    .map(|(_, s, _)| s.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    } else if !filled.is_empty() && filled.len() < specific.len() && !merged {
        let missing: Vec<String> = specific
            .iter()
            .filter(|(_, _, t)| t.is_none())
            .map(|(_, s, _)| s.label())
            .collect();
        if !missing.is_empty() && !filled.iter().any(|(_, s, _)| *s == Segment::General) {
            table.notices.push(PasteIssue {
                line: row.line,
                column: 0,
                message: format!("chỉ tiêu {code}: chưa có ngưỡng cho {}", missing.join(", ")),
            });
        }
    }
    // Kind and unit: from the cells, or from the Đơn vị column.
    let unit_kind = match unit_text.as_str() {
        "" => None,
        "%" => Some(IndicatorKind::Ratio),
        _ => Some(IndicatorKind::Amount),
    };
    let mut kind: Option<(IndicatorKind, usize)> = None;
    for (col, _, cell, _) in &read {
        let k = cell.kind.or(match cell.value {
            ThresholdValue::Number(_) => unit_kind,
            _ => None,
        });
        let Some(k) = k else {
            table.problems.push(PasteIssue {
                line: row.line,
                column: *col,
                message: format!(
                    "chỉ tiêu {code}: ngưỡng không ghi đơn vị; hãy ghi «%» hoặc đơn vị trong ô, hoặc điền cột «Đơn vị»"
                ),
            });
            continue;
        };
        match kind {
            Some((have, _)) if have != k => {
                table.problems.push(PasteIssue {
                    line: row.line,
                    column: *col,
                    message: format!(
                        "chỉ tiêu {code}: ô này là {} nhưng ô khác là {}; hãy sửa cho cùng một loại",
                        k.label(),
                        have.label()
                    ),
                });
            }
            None => kind = Some((k, *col)),
            _ => {}
        }
        if !cell.unit.is_empty() && k != IndicatorKind::YesNo {
            if indicator.unit.is_empty() || indicator.unit == "%" && cell.unit == "%" {
                indicator.unit = cell.unit.clone();
            } else if key(&indicator.unit) != key(&cell.unit) {
                table.problems.push(PasteIssue {
                    line: row.line,
                    column: *col,
                    message: format!(
                        "chỉ tiêu {code}: đơn vị «{}» khác «{}»; hãy thống nhất đơn vị",
                        cell.unit, indicator.unit
                    ),
                });
            }
        }
    }
    indicator.kind = kind.map(|(k, _)| k).or(unit_kind);
    if indicator.kind.is_none() {
        table.problems.push(PasteIssue {
            line: row.line,
            column: 0,
            message: format!(
                "chỉ tiêu {code}: không xác định được loại (không có ngưỡng và đơn vị); hãy điền ngưỡng hoặc đơn vị"
            ),
        });
    }
    indicator.comparator = match indicator.kind {
        Some(IndicatorKind::YesNo) => Some(Comparator::Equal),
        _ => seen_comparator.map(|(c, _)| c),
    };
    if indicator.comparator.is_none() && !read.is_empty() {
        // Only «100%» may go without a comparator: a share cannot pass 100.
        let all_full = read.iter().all(|(_, _, c, _)| {
            matches!(c.value, ThresholdValue::Number(n) if n == 100.0)
                && indicator.kind == Some(IndicatorKind::Ratio)
        });
        if all_full {
            indicator.comparator = Some(Comparator::AtLeast);
        } else {
            table.problems.push(PasteIssue {
                line: row.line,
                column: read.first().map_or(0, |(c, _, _, _)| *c),
                message: format!(
                    "chỉ tiêu {code}: ngưỡng không ghi phép so sánh; hãy ghi «≥» (tối thiểu) hoặc «≤» (tối đa) trước số"
                ),
            });
        }
    }
    for (_, seg, cell, from_merged) in read {
        if let ThresholdValue::Level(l) = &cell.value
            && !indicator.levels.contains(l)
        {
            indicator.levels.push(l.clone());
        }
        if !indicator.thresholds.iter().any(|t| t.segment == seg) {
            indicator.thresholds.push(PastedThreshold {
                segment: seg,
                value: cell.value,
                from_merged_cell: from_merged,
            });
        }
    }
    if indicator.kind == Some(IndicatorKind::Level) {
        table.notices.push(PasteIssue {
            line: row.line,
            column: 0,
            message: format!(
                "chỉ tiêu {code}: danh sách mức mới có «{}»; hãy bổ sung các mức từ thấp đến cao trên màn hình bộ tiêu chí",
                indicator.levels.join("», «")
            ),
        });
    }
    indicator
}

/// The edition a pasted table makes from `base`: a copy under `code` whose criteria in
/// the table take the table's indicators (and its name when the base has none); other
/// criteria stay as they are. Thresholds are marked unverified, with the base's decision
/// and annex as their source. The result still has to pass validation before saving.
pub fn apply_paste(base: &Edition, code: EditionCode, title: &str, table: &PastedTable) -> Edition {
    let mut edition = base.clone();
    edition.code = code;
    if !title.trim().is_empty() {
        edition.title = nfc(title);
    }
    let source = {
        let parts: Vec<&str> = [base.legal.decision.as_str(), base.legal.annex.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            "Dán từ bảng phụ lục".to_string()
        } else {
            format!("{} (dán từ bảng)", parts.join(", "))
        }
    };
    for pc in &table.criteria {
        let indicators: Vec<Indicator> = pc
            .indicators
            .iter()
            .filter_map(|pi| {
                Some(Indicator {
                    code: pi.code.clone(),
                    text: pi.text.clone(),
                    text_verified: false,
                    unit: pi.unit.clone(),
                    kind: pi.kind?,
                    comparator: pi.comparator.unwrap_or(Comparator::AtLeast),
                    levels: pi.levels.clone(),
                    thresholds: pi
                        .thresholds
                        .iter()
                        .map(|t| Threshold {
                            segment: t.segment,
                            year: None,
                            value: t.value.clone(),
                            verified: false,
                            source: source.clone(),
                        })
                        .collect(),
                    guidance: Guidance::default(),
                    note: String::new(),
                })
            })
            .collect();
        match edition.criteria.iter_mut().find(|c| c.number == pc.number) {
            Some(c) => {
                if !pc.name.is_empty() && fold(&pc.name) != fold(&c.name) {
                    c.name = pc.name.clone();
                    c.name_verified = false;
                }
                if c.group.is_empty() {
                    c.group = pc.group.clone();
                }
                c.indicators = indicators;
            }
            None => edition.criteria.push(Criterion {
                number: pc.number,
                name: pc.name.clone(),
                name_verified: false,
                group: pc.group.clone(),
                revocation_key: false,
                indicators,
                note: String::new(),
            }),
        }
    }
    edition.criteria.sort_by_key(|c| c.number);
    edition
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(t: &str) -> ReadCell {
        read_threshold(t).unwrap_or_else(|e| panic!("{t}: {e}"))
    }

    #[test]
    fn threshold_cells_read_every_form_of_the_annexes() {
        let c = cell("≥ 80%");
        assert_eq!(
            (c.value, c.comparator, c.kind, c.unit.as_str()),
            (
                ThresholdValue::Number(80.0),
                Some(Comparator::AtLeast),
                Some(IndicatorKind::Ratio),
                "%"
            )
        );
        assert_eq!(cell("≥80 %"), cell("≥ 80%"));
        assert_eq!(cell("Tối thiểu 80%"), cell("≥ 80%"));
        assert_eq!(cell("TOI THIEU 80%"), cell("≥ 80%"));
        assert_eq!(cell("≥\u{a0}80\u{a0}%"), cell("≥ 80%"));
        let c = cell("≤ 24%");
        assert_eq!(
            (c.value, c.comparator),
            (ThresholdValue::Number(24.0), Some(Comparator::AtMost))
        );
        assert_eq!(cell("≤ 16,5%").value, ThresholdValue::Number(16.5));
        for yes in ["Đạt", "Có", "đạt", "Dat"] {
            assert_eq!(cell(yes).kind, Some(IndicatorKind::YesNo), "{yes}");
        }
        let c = cell("100%");
        assert_eq!(
            (c.value, c.comparator, c.kind),
            (
                ThresholdValue::Number(100.0),
                None,
                Some(IndicatorKind::Ratio)
            )
        );
        let c = cell("≥ 45 triệu đồng/người");
        assert_eq!(
            (c.value, c.comparator, c.kind, c.unit.as_str()),
            (
                ThresholdValue::Number(45.0),
                Some(Comparator::AtLeast),
                Some(IndicatorKind::Amount),
                "triệu đồng/người"
            )
        );
        let c = cell("Hoàn thành tốt nhiệm vụ trở lên");
        assert_eq!(
            (c.value.clone(), c.comparator, c.kind),
            (
                ThresholdValue::Level("Hoàn thành tốt nhiệm vụ".into()),
                Some(Comparator::AtLeast),
                Some(IndicatorKind::Level)
            )
        );
        let nfd = "Hoa\u{300}n tha\u{300}nh to\u{302}\u{301}t nhie\u{323}\u{302}m vu\u{323} tro\u{31b}\u{309} le\u{302}n";
        assert_eq!(cell(nfd), c);
    }

    #[test]
    fn unreadable_threshold_cells_are_refused_not_guessed() {
        for bad in ["Khoảng 80%", "> 80%", "80%?", "Theo quy định", "1,2,3%"] {
            assert!(read_threshold(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn r_exponent_read_as_a_unit() {
        // «≥ 1e308%» was read as 1 with the unit «e308%».
        assert!(read_threshold("≥ 1e308%").is_err());
        assert!(read_threshold("≥ 45triệu").is_err());
        assert_eq!(
            cell("≥ 45 triệu đồng/người/năm").unit,
            "triệu đồng/người/năm"
        );
    }

    #[test]
    fn header_words_match_without_case_or_diacritics() {
        assert_eq!(header_role("TT"), Some(ColumnRole::Code));
        assert_eq!(header_role("Tên tiêu chí"), Some(ColumnRole::CriterionName));
        assert_eq!(header_role("NOI DUNG TIEU CHI"), Some(ColumnRole::Text));
        assert_eq!(header_role("Đơn vị tính"), Some(ColumnRole::Unit));
        assert_eq!(
            header_role("Xã nhóm 2"),
            Some(ColumnRole::Threshold(Segment::Group(CommuneGroup::Two)))
        );
        assert_eq!(
            header_role("Nhóm 3"),
            Some(ColumnRole::Threshold(Segment::Group(CommuneGroup::Three)))
        );
        assert_eq!(
            header_role("ĐBSCL"),
            Some(ColumnRole::Threshold(Segment::Region(Region::MekongDelta)))
        );
        assert_eq!(
            header_role("Vùng Trung du miền núi phía Bắc"),
            Some(ColumnRole::Threshold(Segment::Region(
                Region::NorthernMountains
            )))
        );
        assert_eq!(
            header_role("duyên hải nam trung bộ"),
            Some(ColumnRole::Threshold(Segment::Region(
                Region::SouthCentralCoast
            )))
        );
        assert_eq!(header_role("Chỉ tiêu theo nhóm xã"), None);
    }

    #[test]
    fn marks_at_the_start_of_a_text() {
        assert_eq!(
            mark_at_start("2.1. Tỷ lệ"),
            Some((
                Mark::Indicator(IndicatorCode::parse("2.1").unwrap()),
                "Tỷ lệ".into()
            ))
        );
        assert_eq!(
            mark_at_start("2.1) Tỷ lệ").map(|m| m.0),
            Some(Mark::Indicator(IndicatorCode::parse("2.1").unwrap()))
        );
        assert_eq!(mark_at_start("a) Có").map(|m| m.0), Some(Mark::Letter(1)));
        assert_eq!(mark_at_start("c) Có").map(|m| m.0), Some(Mark::Letter(3)));
        assert_eq!(mark_at_start("80 % hộ"), None);
        assert_eq!(mark_at_start("an toàn"), None);
    }

    #[test]
    fn excel_quoted_cells_keep_tabs_and_line_breaks_inside() {
        let rows = split_rows("a\t\"x\ny\"\tb\r\nc\t\"say \"\"hi\"\"\"\td\n");
        let texts: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.clone()).collect())
            .collect();
        assert_eq!(
            texts,
            vec![
                vec!["a".to_string(), "x\ny".into(), "b".into()],
                vec!["c".to_string(), "say \"hi\"".into(), "d".into()]
            ]
        );
        assert_eq!(rows[1][0].line, 3, "lines count the break inside the quote");
    }
}
