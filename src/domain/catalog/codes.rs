//! The small vocabulary of an edition: its code and indicator codes (validated newtypes),
//! how thresholds are keyed, what an indicator measures, how a value is compared and what a
//! threshold requires.

use crate::domain::units::{Segment, UnitProfile};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The stable code of an edition, e.g. `qd51-2025-xa`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EditionCode(String);

impl EditionCode {
    /// Accepts lower-case ASCII letters, digits and `-`, 3 to 64 characters.
    pub fn parse(code: &str) -> Option<Self> {
        let ok = (3..=64).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        ok.then(|| Self(code.to_string()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EditionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Compared with a code typed or stored as text (a selection, a bundle's field).
impl PartialEq<str> for EditionCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// Compared with a code typed or stored as text (a selection, a bundle's field).
impl PartialEq<&str> for EditionCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Compared with a code typed or stored as text (a selection, a bundle's field).
impl PartialEq<String> for EditionCode {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

/// Compared with a code typed or stored as text (a selection, a bundle's field).
impl PartialEq<EditionCode> for String {
    fn eq(&self, other: &EditionCode) -> bool {
        *self == other.0
    }
}

/// Compared with a code typed or stored as text (a selection, a bundle's field).
impl PartialEq<EditionCode> for str {
    fn eq(&self, other: &EditionCode) -> bool {
        self == other.0
    }
}

/// Read as text where text is asked for (`&record.code` as `&str`); never written through.
impl std::ops::Deref for EditionCode {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for EditionCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The code of an indicator within its edition, e.g. `2.1` or `17.10`. Ordered as
/// text (for maps); [`IndicatorCode::criterion_number`] gives the reading order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IndicatorCode(String);

impl IndicatorCode {
    /// Accepts `N` or `N.M` (`N.M.K` for sub-indicators), digits only.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        let ok = !code.is_empty()
            && code.split('.').all(|part| {
                !part.is_empty() && part.len() <= 3 && part.chars().all(|c| c.is_ascii_digit())
            });
        ok.then(|| Self(code.to_string()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The criterion number the code starts with.
    pub fn criterion_number(&self) -> Option<u32> {
        self.0.split('.').next()?.parse().ok()
    }

    /// A key that sorts `2.10` after `2.9`.
    pub fn sort_key(&self) -> Vec<u32> {
        self.0.split('.').filter_map(|p| p.parse().ok()).collect()
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Read as text where text is asked for (`&link.indicator` as `&str`); never written
/// through.
impl std::ops::Deref for IndicatorCode {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Looked up by text in maps keyed by code (ordering and hashing are the text's).
impl std::borrow::Borrow<str> for IndicatorCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Compared with a code typed or carried as text.
impl PartialEq<str> for IndicatorCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// Compared with a code typed or carried as text.
impl PartialEq<&str> for IndicatorCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Compared with a code typed or carried as text.
impl PartialEq<String> for IndicatorCode {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

/// Compared with a code typed or carried as text.
impl PartialEq<IndicatorCode> for String {
    fn eq(&self, other: &IndicatorCode) -> bool {
        *self == other.0
    }
}

/// Compared with a code typed or carried as text.
impl PartialEq<IndicatorCode> for str {
    fn eq(&self, other: &IndicatorCode) -> bool {
        self == other.0
    }
}

/// How an edition's thresholds are keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyedBy {
    /// The seven regions (QĐ 318, QĐ 1980).
    Region,
    /// Commune groups 1–3 (QĐ 51/2025).
    Group,
    /// One value for everyone.
    Nothing,
}

impl KeyedBy {
    /// The code used in catalogue files.
    pub fn code(self) -> &'static str {
        match self {
            KeyedBy::Region => "vung",
            KeyedBy::Group => "nhom",
            KeyedBy::Nothing => "khong",
        }
    }

    /// Parses a catalogue code.
    pub fn from_code(code: &str) -> Option<Self> {
        [KeyedBy::Region, KeyedBy::Group, KeyedBy::Nothing]
            .into_iter()
            .find(|k| k.code() == code.trim())
    }

    /// Whether a segment may appear in an edition keyed this way.
    pub fn allows(self, segment: Segment) -> bool {
        matches!(
            (self, segment),
            (_, Segment::General)
                | (KeyedBy::Region, Segment::Region(_))
                | (KeyedBy::Group, Segment::Group(_))
        )
    }

    /// The specific segment of a unit under this keying, if the unit has one.
    pub fn segment_of(self, profile: &UnitProfile) -> Option<Segment> {
        match self {
            KeyedBy::Region => profile.threshold_region().map(Segment::Region),
            KeyedBy::Group => profile.group.map(Segment::Group),
            KeyedBy::Nothing => None,
        }
    }
}

/// What an indicator measures, which decides the input fields and the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// A percentage computed from a numerator and a denominator.
    Ratio,
    /// An amount of money or a quantity with a unit (e.g. million VND per person).
    Amount,
    /// A whole number.
    Count,
    /// Đạt / Không.
    YesNo,
    /// A qualitative level from an ordered list.
    Level,
}

impl IndicatorKind {
    /// Every kind.
    pub const ALL: [IndicatorKind; 5] = [
        Self::Ratio,
        Self::Amount,
        Self::Count,
        Self::YesNo,
        Self::Level,
    ];

    /// The code used in catalogue files.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ratio => "ty_le",
            Self::Amount => "so_tien",
            Self::Count => "so_luong",
            Self::YesNo => "co_khong",
            Self::Level => "muc_do",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ratio => "Tỷ lệ",
            Self::Amount => "Giá trị",
            Self::Count => "Số lượng",
            Self::YesNo => "Đạt/Không",
            Self::Level => "Mức độ",
        }
    }

    /// Parses a catalogue code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

/// How a value is compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// The value must be at least the threshold (≥).
    AtLeast,
    /// The value must be at most the threshold (≤), e.g. a stunting ceiling.
    AtMost,
    /// The value must equal the threshold.
    Equal,
}

impl Comparator {
    /// `>=`, `<=` or `=`.
    pub fn code(self) -> &'static str {
        match self {
            Self::AtLeast => ">=",
            Self::AtMost => "<=",
            Self::Equal => "=",
        }
    }

    /// `≥`, `≤` or `=` for display.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::AtLeast => "≥",
            Self::AtMost => "≤",
            Self::Equal => "=",
        }
    }

    /// Parses `>=`, `≥`, `<=`, `≤`, `=`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            ">=" | "≥" => Some(Self::AtLeast),
            "<=" | "≤" => Some(Self::AtMost),
            "=" | "==" => Some(Self::Equal),
            _ => None,
        }
    }
}

/// The required value of a threshold.
#[derive(Debug, Clone, PartialEq)]
pub enum ThresholdValue {
    /// A number (percent for ratios).
    Number(f64),
    /// "Đạt" for yes/no indicators.
    Yes,
    /// A level name for qualitative indicators.
    Level(String),
}
