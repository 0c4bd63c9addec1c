//! The clipboard's text as rows of cells: quoted cells as Excel writes them, tabs and
//! line breaks otherwise; cleaning of a cell's text and the folded key headers match on.

use crate::domain::vn_text::{fold, nfc};

/// A cell of a physical row, with the line it starts on.
#[derive(Debug, Clone)]
pub(super) struct RawCell {
    pub(super) line: usize,
    pub(super) text: String,
}

/// A logical row: cells mapped to the header's columns.
pub(super) struct Row {
    /// The line it starts on.
    pub(super) line: usize,
    /// Its cells, in the header's column order.
    pub(super) cells: Vec<RawCell>,
}

impl Row {
    /// The cleaned text of column `col`; empty when the row has none.
    pub(super) fn get(&self, col: Option<usize>) -> String {
        col.and_then(|c| self.cells.get(c))
            .map(|c| clean(&c.text))
            .unwrap_or_default()
    }
}

/// Splits clipboard text into rows of cells. Quoted cells (`"…"`, with `""` for a quote)
/// may hold tabs and line breaks, as Excel writes them; other lines are split on tabs.
pub(super) fn split_rows(text: &str) -> Vec<Vec<RawCell>> {
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
pub(super) fn clean(text: &str) -> String {
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
pub(super) fn key(text: &str) -> String {
    let folded: String = fold(&clean(text))
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
