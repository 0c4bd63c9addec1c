//! Vietnamese text rules shared by every layer: NFC normalisation of what users type,
//! diacritic-insensitive search keys, numbers written `1.234,5` (read by
//! [`super::number`]), and dates `dd/mm/yyyy`.
//!
//! Dates travel between layers as [`CivilDate`] and are stored in ISO form
//! (`2026-01-05`), which sorts correctly as text.

use std::fmt;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalises to Unicode NFC and trims surrounding whitespace.
///
/// Unikey and other input methods may produce decomposed (NFD) text; storing NFC keeps
/// search, sorting and PDF output consistent.
pub fn nfc(text: &str) -> String {
    text.trim().nfc().collect()
}

/// A lower-case key without diacritics, so that "nuoc sach" finds "nước sạch".
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when every whitespace-separated word of `query` occurs in `text`, ignoring case
/// and diacritics.
pub fn matches_search(text: &str, query: &str) -> bool {
    let haystack = fold(text);
    fold(query)
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

pub use super::number::{
    NumberError, ReadNumber, Reading, for_editing, format_number, read_count, read_number,
};

/// The value of [`read_number`], for callers that only need to know whether the text is
/// a number: `12,5`, `1.234,5`, `1.250` (one thousand two hundred and fifty), `12.5`.
pub fn parse_number(text: &str) -> Option<f64> {
    read_number(text).ok().map(|n| n.value)
}

/// A calendar date without a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl CivilDate {
    /// Builds a date, checking the day against the month's length.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Self { year, month, day })
    }

    /// Parses `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`) or ISO `yyyy-mm-dd`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        let (year, month, day) = if a.len() == 4 {
            (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
        } else if c.len() == 4 {
            (c.parse().ok()?, b.parse().ok()?, a.parse().ok()?)
        } else {
            return None;
        };
        Self::new(year, month, day)
    }

    /// The ISO form stored in the database, `2026-01-05`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01 (negative before), for differences between dates.
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }
}

impl fmt::Display for CivilDate {
    /// `05/01/2026`, the form every Vietnamese administrative document uses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

/// The Vietnamese dictionary collator (ICU4X, compiled data), built once.
fn vn_collator() -> Option<&'static icu_collator::CollatorBorrowed<'static>> {
    static COLLATOR: std::sync::OnceLock<Option<icu_collator::CollatorBorrowed<'static>>> =
        std::sync::OnceLock::new();
    COLLATOR
        .get_or_init(|| {
            icu_collator::Collator::try_new(
                icu_locale_core::locale!("vi").into(),
                icu_collator::options::CollatorOptions::default(),
            )
            .ok()
        })
        .as_ref()
}

/// A key that sorts names in Vietnamese dictionary order (a, ă, â, b, …, d, đ, …; tones
/// after the letter): «An Hòa» < «Anh» < «Ân Hòa» < «Bắc» < «Dương» < «Đông».
///
/// Compare keys of the same program run only; never store them.
pub fn vn_sort_key(text: &str) -> Vec<u8> {
    let mut key = Vec::new();
    match vn_collator() {
        Some(collator) if collator.write_sort_key_to(text, &mut key).is_ok() => key,
        _ => {
            // No collation data: fall back to the folded text, then the text itself.
            let mut fallback = fold(text).into_bytes();
            fallback.push(0);
            fallback.extend_from_slice(text.as_bytes());
            fallback
        }
    }
}

/// Compares two names in Vietnamese dictionary order (see [`vn_sort_key`]).
pub fn vn_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    match vn_collator() {
        Some(collator) => collator.compare(a, b),
        None => vn_sort_key(a).cmp(&vn_sort_key(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_vietnamese_diacritics() {
        assert_eq!(fold("Nước sạch ĐẠT"), "nuoc sach dat");
        assert!(matches_search("Tỷ lệ hộ dùng nước sạch", "nuoc sach"));
        assert!(!matches_search("Điện", "nuoc"));
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let decomposed = "Nu\u{031b}\u{0301}o\u{031b}c";
        assert_eq!(nfc(decomposed), "N\u{1EE9}\u{01A1}c");
    }

    #[test]
    fn numbers_accept_decimal_comma_and_thousands_dots() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("1,234.5"), None);
        assert_eq!(parse_number("1.250"), Some(1250.0));
        assert_eq!(parse_number("80"), Some(80.0));
        assert_eq!(parse_number(" 12.5 "), Some(12.5));
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn numbers_format_the_vietnamese_way() {
        assert_eq!(format_number(1234.5, 2), "1.234,5");
        assert_eq!(format_number(80.0, 2), "80");
        assert_eq!(format_number(1_000_000.0, 0), "1.000.000");
        assert_eq!(format_number(-0.5, 1), "-0,5");
    }

    #[test]
    fn dates_parse_both_forms_and_reject_impossible_days() {
        assert_eq!(CivilDate::parse("05/01/2026"), CivilDate::new(2026, 1, 5));
        assert_eq!(CivilDate::parse("2026-01-05"), CivilDate::new(2026, 1, 5));
        assert_eq!(CivilDate::parse("31/02/2026"), None);
        assert_eq!(
            CivilDate::parse("29/02/2024").map(|d| d.to_string()),
            Some("29/02/2024".into())
        );
        let d = CivilDate::new(2026, 11, 22).unwrap();
        assert_eq!(CivilDate::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(CivilDate::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
    }

    #[test]
    fn r_unit_tree_not_in_vietnamese_order() {
        let mut names = vec!["Đông", "Dương", "Bắc", "Anh", "Ân Hòa", "An Hòa"];
        names.sort_by(|a, b| vn_cmp(a, b));
        assert_eq!(names, ["An Hòa", "Anh", "Ân Hòa", "Bắc", "Dương", "Đông"]);
        let mut by_key = vec!["Đông", "Ân Hòa", "Dương", "An Hòa", "Bắc", "Anh"];
        by_key.sort_by_key(|n| vn_sort_key(n));
        assert_eq!(by_key, ["An Hòa", "Anh", "Ân Hòa", "Bắc", "Dương", "Đông"]);
        // Decomposed input (NFD from some keyboards) sorts like the composed form.
        let nfd: String = "Ân Hòa".nfd().collect();
        assert_eq!(vn_cmp(&nfd, "Ân Hòa"), std::cmp::Ordering::Equal);
        // Byte order would put «Đông» and «Ân Hòa» last and first wrongly.
        let mut bytes = vec!["Đông", "Dương", "Bắc", "Anh", "Ân Hòa", "An Hòa"];
        bytes.sort();
        assert_ne!(bytes, names);
    }
}
