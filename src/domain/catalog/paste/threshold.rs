//! A threshold cell read into comparator, value, kind and unit: `≥ 80%`, `Tối thiểu
//! 80%`, `Đạt`, `≥ 45 triệu đồng/người`, `Hoàn thành tốt nhiệm vụ trở lên`.

use super::cells::{clean, key};
use crate::domain::catalog::{Comparator, IndicatorKind, ThresholdValue};
use crate::domain::vn_text::read_number;

/// A threshold cell, read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ReadCell {
    /// The value: a number, yes, or a level's name.
    pub(super) value: ThresholdValue,
    /// The comparator the cell says, if any.
    pub(super) comparator: Option<Comparator>,
    /// The kind the cell shows, if any.
    pub(super) kind: Option<IndicatorKind>,
    /// The unit written after the number.
    pub(super) unit: String,
}

/// Reads a threshold cell: `≥ 80%`, `≥80 %`, `Tối thiểu 80%`, `≤ 24%`, `Đạt`, `Có`,
/// `100%`, `≥ 45 triệu đồng/người`, `Hoàn thành tốt nhiệm vụ trở lên`. `Err` holds why
/// it cannot be read; nothing is guessed.
pub(super) fn read_threshold(text: &str) -> Result<ReadCell, String> {
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
    let (mut comparator, rest) = leading_comparator(&text);
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
    if let Some(cell) = number_cell(&text, body, comparator) {
        return cell;
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

/// The comparator a cell starts with, as a sign (`≥`, `<=`…) or in words («Tối thiểu»,
/// «không vượt quá»…), and the rest of the cell.
fn leading_comparator(text: &str) -> (Option<Comparator>, &str) {
    for (prefix, c) in [
        ("≥", Comparator::AtLeast),
        (">=", Comparator::AtLeast),
        ("≤", Comparator::AtMost),
        ("<=", Comparator::AtMost),
        ("=", Comparator::Equal),
    ] {
        if let Some(r) = text.strip_prefix(prefix) {
            return (Some(c), r.trim_start());
        }
    }
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
        let head: Vec<&str> = text.split_whitespace().take(n).collect();
        if key(&head.join(" ")) == words {
            return (Some(c), strip_words(text, n));
        }
    }
    (None, text)
}

/// A number, then a unit; `None` when the body does not start with a number.
fn number_cell(
    text: &str,
    body: &str,
    comparator: Option<Comparator>,
) -> Option<Result<ReadCell, String>> {
    let number_end = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(body.len(), |(i, _)| i);
    let (number, unit) = body.split_at(number_end);
    let number = number.trim_end_matches(['.', ',']);
    if number.is_empty() {
        return None;
    }
    let value = match read_number(number) {
        Ok(n) => n.value,
        Err(e) => return Some(Err(format!("«{text}»: số «{number}» {e}"))),
    };
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
            return Some(Err(format!(
                "«{text}»: không đọc được đơn vị «{unit}» sau số; hãy sửa ô này"
            )));
        }
    };
    Some(Ok(ReadCell {
        value: ThresholdValue::Number(value),
        comparator,
        kind,
        unit,
    }))
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
}
