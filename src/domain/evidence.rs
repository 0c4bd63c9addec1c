//! An evidence file as the rest of the program sees it: its metadata and the indicators
//! it proves, each link possibly under its own name. The bytes stay in the store.

use super::catalog::IndicatorCode;
use super::ids::EvidenceId;
use super::vn_text::CivilDate;
use std::collections::BTreeMap;
use std::fmt;

/// The SHA-256 of a file's bytes as 64 lower-case hex digits: how the store addresses
/// evidence bytes, previews and backup copies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentHash(String);

impl ContentHash {
    /// Accepts exactly 64 lower-case hex digits.
    pub fn parse(hex: &str) -> Option<Self> {
        let ok = hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| Self(hex.to_string()))
    }

    /// The hash as hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Read as text where text is asked for (`&e.sha256` as `&str`); never written through.
impl std::ops::Deref for ContentHash {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Compared with a hash carried as text (a bundle's manifest, a file name).
impl PartialEq<String> for ContentHash {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

/// Compared with a hash carried as text (a bundle's manifest, a file name).
impl PartialEq<ContentHash> for String {
    fn eq(&self, other: &ContentHash) -> bool {
        *self == other.0
    }
}

/// Compared with a hash carried as text (a bundle's manifest, a file name).
impl PartialEq<str> for ContentHash {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// An evidence file of an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRecord {
    /// Id.
    pub id: EvidenceId,
    /// Content hash.
    pub sha256: ContentHash,
    /// Original file name.
    pub file_name: String,
    /// Media type, e.g. `application/pdf`.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Evidence code, e.g. `TC02-03`.
    pub code: String,
    /// Document number.
    pub doc_number: Option<String>,
    /// Document date.
    pub doc_date: Option<CivilDate>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Indicators it proves.
    pub indicators: Vec<IndicatorCode>,
    /// For links made under another name than `file_name` (the same bytes attached
    /// again under a new name): indicator → the name the clerk gave.
    pub link_names: BTreeMap<IndicatorCode, String>,
}

impl EvidenceRecord {
    /// The name the file carries as proof of `indicator`.
    pub fn name_for(&self, indicator: &str) -> &str {
        self.link_names
            .get(indicator)
            .map_or(self.file_name.as_str(), String::as_str)
    }

    /// The indicators, each followed by its own name where it differs:
    /// `1.1, 2.1 («bao-cao.pdf»)`.
    pub fn indicators_with_names(&self) -> String {
        self.indicators
            .iter()
            .map(|i| match self.link_names.get(i) {
                Some(name) => format!("{i} («{name}»)"),
                None => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}
