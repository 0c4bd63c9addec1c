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

mod apply;
mod cells;
mod header;
mod indicator;
mod marks;
mod rows;
mod threshold;

pub use apply::apply_paste;
pub use rows::parse_paste;

use super::{Comparator, IndicatorCode, IndicatorKind, ThresholdValue};
use crate::domain::units::Segment;

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
