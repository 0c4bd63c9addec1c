//! Natural order for codes people read: runs of digits compare as numbers, so evidence
//! codes come as TC03-9, TC03-10, TC03-100 — not TC03-10, TC03-100, TC03-9 as plain text
//! order puts them. Everything else compares character by character; when two codes are
//! equal as numbers (`TC03-09` and `TC03-9`), the plain text decides, so the order is
//! total and the same on every run.

use std::cmp::Ordering;

/// One run of a code: digits (without their leading zeros) or anything else.
#[derive(Debug, PartialEq, Eq)]
enum Run<'a> {
    Number(&'a str),
    Text(&'a str),
}

fn runs(code: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut digits = None;
    for (i, c) in code.char_indices() {
        let is_digit = c.is_ascii_digit();
        if digits.is_some_and(|d| d != is_digit) {
            out.push(run(
                code.get(start..i).unwrap_or_default(),
                digits == Some(true),
            ));
            start = i;
        }
        digits = Some(is_digit);
    }
    if start < code.len() {
        out.push(run(
            code.get(start..).unwrap_or_default(),
            digits == Some(true),
        ));
    }
    out
}

fn run(text: &str, is_number: bool) -> Run<'_> {
    if is_number {
        let trimmed = text.trim_start_matches('0');
        Run::Number(if trimmed.is_empty() { "0" } else { trimmed })
    } else {
        Run::Text(text)
    }
}

fn cmp_run(a: &Run<'_>, b: &Run<'_>) -> Ordering {
    match (a, b) {
        // Without leading zeros, a longer number is a larger one, however long.
        (Run::Number(x), Run::Number(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (Run::Number(_), Run::Text(_)) => Ordering::Less,
        (Run::Text(_), Run::Number(_)) => Ordering::Greater,
        (Run::Text(x), Run::Text(y)) => x.cmp(y),
    }
}

/// Compares two codes in natural order (see the module documentation).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(rb.iter()) {
        let o = cmp_run(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    ra.len().cmp(&rb.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    fn sorted(codes: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = codes.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn codes_sort_with_numbers_as_numbers() {
        assert_eq!(
            sorted(&[
                "TC03-100", "TC03-10", "TC03-9", "TC10-01", "TC03-11", "TC00-01"
            ]),
            [
                "TC00-01", "TC03-9", "TC03-10", "TC03-11", "TC03-100", "TC10-01"
            ]
        );
    }

    #[test]
    fn leading_zeros_and_long_numbers_keep_a_total_order() {
        assert_eq!(
            sorted(&[
                "TC03-9",
                "TC03-09",
                "TC03-010",
                "TC03-99999999999999999999999",
                "TC03-1000"
            ]),
            [
                "TC03-09",
                "TC03-9",
                "TC03-010",
                "TC03-1000",
                "TC03-99999999999999999999999"
            ]
        );
        assert_eq!(natural_cmp("a", "a"), std::cmp::Ordering::Equal);
        assert_eq!(
            sorted(&["b", "a2", "a10", "", "a"]),
            ["", "a", "a2", "a10", "b"]
        );
    }

    #[test]
    fn vietnamese_text_between_numbers_is_kept_whole() {
        assert_eq!(
            sorted(&["Ảnh 10", "Ảnh 2", "Ảnh"]),
            ["Ảnh", "Ảnh 2", "Ảnh 10"]
        );
    }
}
