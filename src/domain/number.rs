//! The one reader of numbers typed or imported by users, as Vietnamese offices write them.
//!
//! Every face (walk-through, conditions screen, catalogue editor, CSV and `.xlsx` text
//! cells) reads through [`read_number`], so a field's preview and its stored value
//! cannot disagree. The rule:
//! - a comma is the decimal sign: `12,5`;
//! - a dot followed by exactly three digits groups thousands: `1.250` is 1250 and
//!   `1.250.000` a million and a quarter; groups may also be separated by spaces,
//!   including the no-break spaces U+00A0 and U+202F and the thin space U+2009
//!   (`1 234,5`);
//! - a lone dot that cannot be a thousands group is a decimal point, as spreadsheets
//!   export it: `12.5`, `0.125` (a leading `0` is never a group), `1234.5`;
//! - anything else that mixes the signs (`1,234.5`, `1.23.456`, `1,2,3`) is refused
//!   rather than guessed, as are empty text, `NaN` and infinities.
//!
//! The result says how the text was read ([`ReadNumber::shown`]), so that a refusal
//! (for instance a fractional number of households) can show the reading to the clerk.

use std::fmt;

/// How the text of a number was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Digits only: `80`.
    Digits,
    /// Thousands grouped by dots or spaces, no decimals: `1.250`, `1 250 000`.
    Grouped,
    /// A decimal comma, with or without grouped thousands: `12,5`, `1.234,5`.
    DecimalComma,
    /// A single dot that cannot be a thousands group: `12.5`, `0.125`.
    DecimalPoint,
}

/// A number read from text, with how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadNumber {
    /// The value; always finite.
    pub value: f64,
    /// How the separators were understood.
    pub reading: Reading,
    /// Digits after the decimal sign as typed (`1,250` has 3).
    pub decimals: usize,
    /// The whole number the text would be if its decimal sign grouped thousands
    /// (`1,250` → 1250), when it has exactly three decimals and a non-zero whole part.
    thousands_alternative: Option<f64>,
}

impl ReadNumber {
    /// The value as read, written the Vietnamese way with every typed decimal:
    /// `1,25`, `1.250`, `1.234,5`.
    pub fn shown(&self) -> String {
        format_number(self.value, self.decimals)
    }

    /// True when the value has no fractional part.
    pub fn is_whole(&self) -> bool {
        self.value.fract() == 0.0
    }
}

/// Why a text is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Nothing typed.
    Empty,
    /// Letters or other signs (`tám mươi`, `NaN`, `inf`, `1e5`), or a number too large.
    NotANumber,
    /// More than one comma: `1,2,3`.
    SeveralCommas,
    /// A comma before a dot, as English writes thousands: `1,234.5`.
    CommaBeforeDot,
    /// Dots or spaces that are not groups of exactly three digits: `1.23.456`.
    BadGroups,
    /// Both dots and spaces between digits: `1 234.567`.
    MixedGrouping,
}

impl fmt::Display for NumberError {
    /// The end of a sentence that starts with the field and the text, e.g.
    /// `tử số «1,234.5» ` + this.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "chưa được nhập",
            Self::NotANumber => "không phải là số",
            Self::SeveralCommas => {
                "có nhiều dấu phẩy: dấu phẩy là dấu thập phân nên chỉ có một (ví dụ 1.234,5)"
            }
            Self::CommaBeforeDot => {
                "không rõ cách đọc: dấu phẩy là dấu thập phân, dấu chấm tách nhóm nghìn; hãy viết 1.234,5 thay cho 1,234.5"
            }
            Self::BadGroups => {
                "không rõ cách đọc: mỗi nhóm sau dấu chấm (hoặc khoảng trắng) phải đủ ba chữ số, ví dụ 1.250.000"
            }
            Self::MixedGrouping => {
                "không rõ cách đọc: dùng dấu chấm hoặc khoảng trắng để tách nhóm nghìn, không dùng cả hai"
            }
        })
    }
}

impl std::error::Error for NumberError {}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// True when `groups` are thousands groups: the first of one to three digits not
/// starting with `0`, every other of exactly three digits.
fn thousands_groups(groups: &[&str]) -> bool {
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    match groups.split_first() {
        Some((first, rest)) if !rest.is_empty() => {
            digits(first)
                && first.len() <= 3
                && !first.starts_with('0')
                && rest.iter().all(|g| g.len() == 3 && digits(g))
        }
        _ => false,
    }
}

/// Reads a number as Vietnamese offices write it (see the module documentation).
pub fn read_number(text: &str) -> Result<ReadNumber, NumberError> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || is_space(c));
    if text.is_empty() {
        return Err(NumberError::Empty);
    }
    let (negative, body) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space(c))
    {
        return Err(NumberError::NotANumber);
    }
    let mut parts = body.split(',');
    let whole_text = parts.next().unwrap_or_default();
    let fraction = parts.next();
    if parts.next().is_some() {
        return Err(NumberError::SeveralCommas);
    }
    if let Some(f) = fraction {
        if f.contains('.') {
            return Err(NumberError::CommaBeforeDot);
        }
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::NotANumber);
        }
    }
    if whole_text.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let has_dot = whole_text.contains('.');
    let has_space = whole_text.contains(is_space);
    let (whole_digits, decimal_point, reading) = if has_dot && has_space {
        return Err(NumberError::MixedGrouping);
    } else if has_dot || has_space {
        let groups: Vec<&str> = if has_dot {
            whole_text.split('.').collect()
        } else {
            whole_text.split(is_space).collect()
        };
        if thousands_groups(&groups) {
            let reading = if fraction.is_some() {
                Reading::DecimalComma
            } else {
                Reading::Grouped
            };
            (groups.concat(), None, reading)
        } else if let (true, None, [int, frac]) = (has_dot, fraction, groups.as_slice()) {
            // One dot that cannot group thousands: a spreadsheet's decimal point.
            if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NumberError::NotANumber);
            }
            if !int.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NumberError::NotANumber);
            }
            let int = if int.is_empty() { "0" } else { int };
            (int.to_string(), Some(*frac), Reading::DecimalPoint)
        } else {
            return Err(NumberError::BadGroups);
        }
    } else {
        let reading = if fraction.is_some() {
            Reading::DecimalComma
        } else {
            Reading::Digits
        };
        (whole_text.to_string(), None, reading)
    };
    let frac_digits = fraction.or(decimal_point).unwrap_or_default();
    let sign = if negative { "-" } else { "" };
    let normalised = if frac_digits.is_empty() {
        format!("{sign}{whole_digits}")
    } else {
        format!("{sign}{whole_digits}.{frac_digits}")
    };
    let value: f64 = normalised.parse().map_err(|_| NumberError::NotANumber)?;
    if !value.is_finite() {
        return Err(NumberError::NotANumber);
    }
    let thousands_alternative = (frac_digits.len() == 3
        && !whole_digits.trim_start_matches('0').is_empty())
    .then(|| {
        format!("{sign}{whole_digits}{frac_digits}")
            .parse::<f64>()
            .ok()
    })
    .flatten()
    .filter(|v| v.is_finite());
    Ok(ReadNumber {
        value,
        reading,
        decimals: frac_digits.len(),
        thousands_alternative,
    })
}

/// A stored value written back into a field for editing, the way a clerk types it
/// (`1.250`, `79,995`): every decimal a person would have typed is kept, so that
/// [`read_number`] reads it back to the same value and saving it again changes nothing.
pub fn for_editing(value: f64) -> String {
    format_number(value, 9)
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// One group of three digits in words; `full` reads a zero hundred (`không trăm`), as
/// after a higher group.
fn group_in_words(group: u64, full: bool, words: &mut Vec<&'static str>) {
    let (h, t, u) = (group / 100, group / 10 % 10, group % 10);
    let digit = |d: u64| DIGITS.get(d as usize).copied().unwrap_or_default();
    let hundreds = full || h > 0;
    if hundreds {
        words.extend([digit(h), "trăm"]);
    }
    match t {
        0 if u > 0 && hundreds => words.extend(["linh", digit(u)]),
        0 if u > 0 => words.push(digit(u)),
        0 => {}
        1 => {
            words.push("mười");
            match u {
                0 => {}
                5 => words.push("lăm"),
                _ => words.push(digit(u)),
            }
        }
        _ => {
            words.extend([digit(t), "mươi"]);
            match u {
                0 => {}
                1 => words.push("mốt"),
                5 => words.push("lăm"),
                _ => words.push(digit(u)),
            }
        }
    }
}

/// A whole number in Vietnamese words, as read aloud: 1250 is `một nghìn hai trăm năm
/// mươi`. `None` from a thousand billion (`nghìn tỷ`) up.
pub fn in_words(n: u64) -> Option<String> {
    if n >= 1_000_000_000_000 {
        return None;
    }
    if n == 0 {
        return Some("không".into());
    }
    let mut words = Vec::new();
    let mut started = false;
    for (scale, name) in [
        (1_000_000_000, "tỷ"),
        (1_000_000, "triệu"),
        (1_000, "nghìn"),
        (1, ""),
    ] {
        let group = n / scale % 1000;
        if group == 0 {
            continue;
        }
        group_in_words(group, started, &mut words);
        if !name.is_empty() {
            words.push(name);
        }
        started = true;
    }
    Some(words.join(" "))
}

/// Reads a number that counts whole things (households, people, works) and must not be
/// negative. A fractional reading is refused with a message showing how the text was
/// read and, for `1,250`, how to type one thousand two hundred and fifty.
///
/// `field` starts the message (`tử số`); `counted` names what is counted (`số hộ`).
pub fn read_count(field: &str, counted: &str, text: &str) -> Result<f64, String> {
    let t = text.trim();
    let n = read_number(t).map_err(|e| format!("{field} «{t}» {e}"))?;
    if n.value < 0.0 {
        return Err(format!("{field} «{t}» là số âm — {counted} không thể âm"));
    }
    if !n.is_whole() {
        let hint = n
            .thousands_alternative
            .map(|alt| {
                let meant = in_words(alt.abs() as u64).unwrap_or_else(|| format_number(alt, 0));
                format!(
                    "; nếu là {meant}, hãy gõ {} hoặc {alt:.0}",
                    format_number(alt, 0)
                )
            })
            .unwrap_or_default();
        return Err(format!(
            "{field} «{t}» được đọc là {} — {counted} phải là số nguyên{hint}",
            n.shown()
        ));
    }
    Ok(n.value)
}

/// Formats a number the Vietnamese way: `.` between thousands, `,` before decimals, at
/// most `decimals` decimal places, trailing zeros dropped.
pub fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (text.clone(), String::new()),
    };
    let mut grouped = String::new();
    for (i, digit) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 && (grouped != "0" || !frac_part.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac_part.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac_part}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_reads_as_vietnamese_offices_mean_it() {
        use Reading::*;
        let table: &[(&str, f64, Reading)] = &[
            ("80", 80.0, Digits),
            ("0", 0.0, Digits),
            ("-5", -5.0, Digits),
            ("+7", 7.0, Digits),
            ("1.250", 1250.0, Grouped),
            ("1.250.000", 1_250_000.0, Grouped),
            ("45.000.000", 45_000_000.0, Grouped),
            ("95.200", 95_200.0, Grouped),
            ("-1.250", -1250.0, Grouped),
            ("1 250", 1250.0, Grouped),
            ("1\u{a0}250\u{a0}000", 1_250_000.0, Grouped),
            ("1\u{202f}250", 1250.0, Grouped),
            ("12,5", 12.5, DecimalComma),
            ("1,250", 1.25, DecimalComma),
            ("0,125", 0.125, DecimalComma),
            ("1.234,5", 1234.5, DecimalComma),
            ("1.234.567,89", 1_234_567.89, DecimalComma),
            ("1 234,5", 1234.5, DecimalComma),
            ("1\u{a0}234,5", 1234.5, DecimalComma),
            ("1\u{202f}234,5", 1234.5, DecimalComma),
            ("12.5", 12.5, DecimalPoint),
            ("0.125", 0.125, DecimalPoint),
            ("79.99", 79.99, DecimalPoint),
            ("1234.567", 1234.567, DecimalPoint),
            ("1.2345", 1.2345, DecimalPoint),
            ("-0.5", -0.5, DecimalPoint),
            (".5", 0.5, DecimalPoint),
            ("  12,5  ", 12.5, DecimalComma),
        ];
        for (text, value, reading) in table {
            let n = read_number(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(n.value, *value, "{text:?}");
            assert_eq!(n.reading, *reading, "{text:?}");
        }
    }

    #[test]
    fn ambiguous_mixed_and_foreign_forms_are_refused() {
        use NumberError::*;
        let table: &[(&str, NumberError)] = &[
            ("", Empty),
            ("   ", Empty),
            ("\u{a0}", Empty),
            ("1,234.5", CommaBeforeDot),
            ("1,2,3", SeveralCommas),
            ("1,250,000", SeveralCommas),
            ("1.23.456", BadGroups),
            ("1.2345.678", BadGroups),
            ("1.234.5", BadGroups),
            ("0.125.000", BadGroups),
            ("12.5,3", BadGroups),
            ("1 23", BadGroups),
            ("1  234", BadGroups),
            ("1 234.5", MixedGrouping),
            ("1 234.567", MixedGrouping),
            ("NaN", NotANumber),
            ("inf", NotANumber),
            ("-inf", NotANumber),
            ("infinity", NotANumber),
            ("1e5", NotANumber),
            ("tám mươi", NotANumber),
            ("12,", NotANumber),
            (",5", NotANumber),
            ("12.", NotANumber),
            ("-", NotANumber),
            ("--5", NotANumber),
            ("5%", NotANumber),
        ];
        for (text, error) in table {
            assert_eq!(read_number(text), Err(*error), "{text:?}");
        }
        let huge = "9".repeat(400);
        assert_eq!(read_number(&huge), Err(NotANumber));
    }

    #[test]
    fn a_reading_is_shown_with_the_decimals_typed() {
        let shown = |t: &str| read_number(t).map(|n| n.shown()).unwrap();
        assert_eq!(shown("1,250"), "1,25");
        assert_eq!(shown("1.250"), "1.250");
        assert_eq!(shown("1 234,5"), "1.234,5");
        assert_eq!(shown("0.125"), "0,125");
    }

    #[test]
    fn a_value_written_for_editing_reads_back_the_same() {
        for value in [
            0.0,
            12.5,
            79.995,
            0.125,
            1250.0,
            1234.5,
            45_000_000.0,
            1_234_567.891,
        ] {
            let text = for_editing(value);
            assert_eq!(read_number(&text).map(|n| n.value), Ok(value), "{text}");
        }
        assert_eq!(for_editing(79.995), "79,995");
        assert_eq!(for_editing(1250.0), "1.250");
    }

    #[test]
    fn whole_numbers_read_aloud_in_vietnamese() {
        let table: &[(u64, &str)] = &[
            (0, "không"),
            (5, "năm"),
            (10, "mười"),
            (15, "mười lăm"),
            (21, "hai mươi mốt"),
            (25, "hai mươi lăm"),
            (90, "chín mươi"),
            (105, "một trăm linh năm"),
            (1_250, "một nghìn hai trăm năm mươi"),
            (1_005, "một nghìn không trăm linh năm"),
            (12_015, "mười hai nghìn không trăm mười lăm"),
            (1_000_000, "một triệu"),
            (45_000_000, "bốn mươi lăm triệu"),
            (1_000_050, "một triệu không trăm năm mươi"),
            (2_000_000_001, "hai tỷ không trăm linh một"),
        ];
        for (n, words) in table {
            assert_eq!(in_words(*n).as_deref(), Some(*words), "{n}");
        }
        assert_eq!(in_words(1_000_000_000_000), None);
    }

    #[test]
    fn a_fractional_count_is_refused_showing_how_it_was_read() {
        assert_eq!(read_count("số hộ", "số hộ", "1.250"), Ok(1250.0));
        assert_eq!(read_count("số hộ", "số hộ", "1250"), Ok(1250.0));
        assert_eq!(
            read_count("Số hộ hài lòng", "số hộ", "1,250"),
            Err(
                "Số hộ hài lòng «1,250» được đọc là 1,25 — số hộ phải là số nguyên; \
                 nếu là một nghìn hai trăm năm mươi, hãy gõ 1.250 hoặc 1250"
                    .to_string()
            )
        );
        let half = read_count("tử số", "số người", "12,5").unwrap_err();
        assert!(half.contains("được đọc là 12,5"), "{half}");
        assert!(!half.contains("nếu là"), "{half}");
        assert!(
            read_count("tử số", "số người", "0,125")
                .unwrap_err()
                .ends_with("số nguyên")
        );
        assert!(
            read_count("tử số", "số người", "-3")
                .unwrap_err()
                .contains("âm")
        );
        assert!(
            read_count("tử số", "số người", "1,234.5")
                .unwrap_err()
                .starts_with("tử số «1,234.5» không rõ cách đọc")
        );
    }
}
