//! Marks that number the rows of an annex: a criterion number, an indicator code, a
//! letter under a criterion, a roman group heading; standing alone or starting a text.

use super::cells::clean;
use crate::domain::catalog::IndicatorCode;

/// How a TT cell or the start of a text reads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Mark {
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
pub(super) fn mark_alone(text: &str) -> Option<Mark> {
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
pub(super) fn mark_at_start(text: &str) -> Option<(Mark, String)> {
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

/// True when the first cell of a line starts a new row of the table rather than
/// continuing the previous one: empty (an empty TT cell), a number or a mark.
pub(super) fn starts_row(first: &str) -> bool {
    let t = clean(first);
    t.is_empty() || mark_alone(&t).is_some() || mark_at_start(&t).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
