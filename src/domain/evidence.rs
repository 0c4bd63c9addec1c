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

/// Text newtypes read as text (`Deref<Target = str>`, `Display`) and compared with text.
macro_rules! text_newtype {
    ($t:ident) => {
        impl $t {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Read as text where text is asked for; never written through.
        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        /// Compared with the same value carried as text.
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        /// Compared with the same value carried as text.
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        /// Compared with the same value carried as text.
        impl PartialEq<String> for $t {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        /// Compared with the same value carried as text.
        impl PartialEq<$t> for String {
            fn eq(&self, other: &$t) -> bool {
                *self == other.0
            }
        }
    };
}

/// The code an evidence file is listed under in its assessment, e.g. `TC02-03` (made
/// here) or a commune's own code received in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EvidenceCode(String);

impl EvidenceCode {
    /// Accepts 1 to 64 characters, not all blank, with no control character.
    pub fn parse(code: &str) -> Option<Self> {
        let ok = !code.trim().is_empty()
            && code.chars().count() <= 64
            && !code.chars().any(char::is_control);
        ok.then(|| Self(code.to_string()))
    }
}

text_newtype!(EvidenceCode);

/// The media type of an evidence file, e.g. `application/pdf`: what it was stored as,
/// from its extension or as a bundle carried it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MediaType(String);

impl MediaType {
    /// Accepts ASCII text of at most 100 bytes.
    pub fn parse(media_type: &str) -> Option<Self> {
        (media_type.len() <= 100 && media_type.is_ascii()).then(|| Self(media_type.to_string()))
    }
}

text_newtype!(MediaType);

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
    pub media_type: MediaType,
    /// Size in bytes.
    pub size: i64,
    /// Evidence code, e.g. `TC02-03`.
    pub code: EvidenceCode,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_64_lower_case_hex_digits() {
        let ok = "0123456789abcdef".repeat(4);
        assert_eq!(
            ContentHash::parse(&ok).map(|h| h.to_string()),
            Some(ok.clone())
        );
        assert!(ContentHash::parse(&ok.to_uppercase()).is_none());
        assert!(ContentHash::parse(&ok[..63]).is_none());
        assert!(ContentHash::parse(&format!("{}g", &ok[..63])).is_none());
    }

    #[test]
    fn evidence_code_is_short_visible_text() {
        assert!(EvidenceCode::parse("TC02-03").is_some());
        assert!(EvidenceCode::parse("Biên bản số 5").is_some());
        assert!(EvidenceCode::parse("  ").is_none());
        assert!(EvidenceCode::parse("TC\n01").is_none());
        assert!(EvidenceCode::parse(&"đ".repeat(65)).is_none());
        assert!(EvidenceCode::parse(&"đ".repeat(64)).is_some());
    }

    #[test]
    fn media_type_is_short_ascii() {
        assert_eq!(
            MediaType::parse("application/pdf").map(|m| m.to_string()),
            Some("application/pdf".to_string())
        );
        assert!(MediaType::parse("ảnh/jpeg").is_none());
        assert!(MediaType::parse(&"a".repeat(101)).is_none());
    }
}
