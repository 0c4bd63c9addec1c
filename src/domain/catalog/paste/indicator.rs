//! One indicator row of a pasted table: its threshold cells per segment (a merged cell
//! applied to every column it spans), its kind, unit, comparator and levels.

use super::cells::{Row, clean, key};
use super::threshold::{ReadCell, read_threshold};
use super::{PasteIssue, PastedIndicator, PastedTable, PastedThreshold};
use crate::domain::catalog::{Comparator, IndicatorCode, IndicatorKind, ThresholdValue};
use crate::domain::units::Segment;

/// A threshold cell of the row: its column, segment and text when not empty.
type SegmentCell = (usize, Segment, Option<String>);

/// A cell read: its 1-based column, the segment it applies to, what it says, and
/// whether it came from a merged cell of another column.
type ReadThreshold = (usize, Segment, ReadCell, bool);

/// Reads an indicator row's unit and threshold cells into the indicator `code`.
pub(super) fn read_indicator(
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
    let (read, seen_comparator) = read_cells(table, row, &indicator.code, threshold_cols);
    settle_kind(table, row, &read, &unit_text, &mut indicator);
    settle_comparator(table, row, &read, seen_comparator, &mut indicator);
    let code = indicator.code.clone();
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

/// Reads the threshold cells of a row; a single value where several segment columns are
/// expected (a merged cell) applies to all of them. Returns the cells read and the
/// comparator they agree on.
fn read_cells(
    table: &mut PastedTable,
    row: &Row,
    code: &IndicatorCode,
    threshold_cols: &[(usize, Segment)],
) -> (Vec<ReadThreshold>, Option<(Comparator, usize)>) {
    // Cells present; a short row (Word writes a merged cell once) lacks the last ones.
    let cells: Vec<SegmentCell> = threshold_cols
        .iter()
        .map(|(c, s)| {
            let present = row.cells.get(*c).map(|cell| clean(&cell.text));
            (*c, *s, present.filter(|t| !t.is_empty()))
        })
        .collect();
    let filled: Vec<&SegmentCell> = cells.iter().filter(|(_, _, t)| t.is_some()).collect();
    let specific: Vec<&SegmentCell> = cells
        .iter()
        .filter(|(_, s, _)| *s != Segment::General)
        .collect();
    // A merged cell: one value where several segment columns are expected.
    let merged = matches!(filled.as_slice(), [(_, s, _)] if *s != Segment::General)
        && specific.len() > 1
        && specific.first().is_some_and(|(_, _, t)| t.is_some());
    let mut seen_comparator: Option<(Comparator, usize)> = None;
    let mut read: Vec<ReadThreshold> = Vec::new();
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
    note_merged_or_missing(table, row, code, &filled, &specific, merged);
    (read, seen_comparator)
}

/// Tells the officer that a merged cell was applied to several columns, or which
/// segments have no threshold yet.
fn note_merged_or_missing(
    table: &mut PastedTable,
    row: &Row,
    code: &IndicatorCode,
    filled: &[&SegmentCell],
    specific: &[&SegmentCell],
    merged: bool,
) {
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
}

/// Kind and unit: from the cells, or from the Đơn vị column.
fn settle_kind(
    table: &mut PastedTable,
    row: &Row,
    read: &[ReadThreshold],
    unit_text: &str,
    indicator: &mut PastedIndicator,
) {
    let code = indicator.code.clone();
    let unit_kind = match unit_text {
        "" => None,
        "%" => Some(IndicatorKind::Ratio),
        _ => Some(IndicatorKind::Amount),
    };
    let mut kind: Option<(IndicatorKind, usize)> = None;
    for (col, _, cell, _) in read {
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
}

/// The comparator: the one the cells agree on; «=» for yes/no; only «100%» may go
/// without one (a share cannot pass 100).
fn settle_comparator(
    table: &mut PastedTable,
    row: &Row,
    read: &[ReadThreshold],
    seen_comparator: Option<(Comparator, usize)>,
    indicator: &mut PastedIndicator,
) {
    let code = indicator.code.clone();
    indicator.comparator = match indicator.kind {
        Some(IndicatorKind::YesNo) => Some(Comparator::Equal),
        _ => seen_comparator.map(|(c, _)| c),
    };
    if indicator.comparator.is_none() && !read.is_empty() {
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
}
