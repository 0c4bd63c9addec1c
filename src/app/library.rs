//! The evidence library: filters and diacritic-insensitive search over an assessment's
//! files, document metadata forms, and previews (thumbnails of photos, page counts of
//! PDFs) made from the stored bytes.

use super::{AppError, AppResult};
use crate::domain::vn_text::{CivilDate, fold, matches_search, nfc};
use crate::store::{EvidenceMeta, EvidenceRecord, Preview};
use std::collections::HashMap;

/// Which files the library shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvidenceFilter {
    /// Every file.
    #[default]
    All,
    /// Files linked to no indicator.
    Unlinked,
    /// Files that look like another one (same name or same document number).
    Duplicate,
    /// Photos.
    Photo,
    /// PDFs.
    Pdf,
    /// Files without number, date or issuing body.
    MissingMetadata,
}

impl EvidenceFilter {
    /// Every filter in display order.
    pub const ALL: [EvidenceFilter; 6] = [
        Self::All,
        Self::Unlinked,
        Self::Duplicate,
        Self::Photo,
        Self::Pdf,
        Self::MissingMetadata,
    ];

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "Tất cả",
            Self::Unlinked => "Chưa gắn chỉ tiêu",
            Self::Duplicate => "Có thể trùng",
            Self::Photo => "Ảnh",
            Self::Pdf => "PDF",
            Self::MissingMetadata => "Thiếu thông tin văn bản",
        }
    }
}

/// True for photos the app can show.
pub fn is_photo(e: &EvidenceRecord) -> bool {
    e.media_type.starts_with("image/")
}

/// True when number, date or issuing body is missing.
pub fn lacks_metadata(e: &EvidenceRecord) -> bool {
    e.doc_number.is_none() || e.doc_date.is_none() || e.issuer.is_none()
}

/// Positions in `all` of the files matching a filter and a search (over code, name, number, issuer,
/// summary and indicator codes; accents ignored), in code order.
pub fn filter_indices(all: &[EvidenceRecord], which: EvidenceFilter, query: &str) -> Vec<usize> {
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    if which == EvidenceFilter::Duplicate {
        for e in all {
            *names.entry(fold(&e.file_name)).or_default() += 1;
            if let Some(n) = &e.doc_number {
                *numbers.entry(fold(n)).or_default() += 1;
            }
        }
    }
    all.iter()
        .enumerate()
        .filter(|(_, e)| match which {
            EvidenceFilter::All => true,
            EvidenceFilter::Unlinked => e.indicators.is_empty(),
            EvidenceFilter::Duplicate => {
                names.get(&fold(&e.file_name)).is_some_and(|n| *n > 1)
                    || e.doc_number
                        .as_ref()
                        .is_some_and(|n| numbers.get(&fold(n)).is_some_and(|c| *c > 1))
            }
            EvidenceFilter::Photo => is_photo(e),
            EvidenceFilter::Pdf => e.media_type == "application/pdf",
            EvidenceFilter::MissingMetadata => lacks_metadata(e),
        })
        .filter(|(_, e)| {
            query.trim().is_empty() || {
                let text = [
                    e.code.as_str(),
                    e.file_name.as_str(),
                    e.doc_number.as_deref().unwrap_or(""),
                    e.issuer.as_deref().unwrap_or(""),
                    e.summary.as_deref().unwrap_or(""),
                    &e.indicators.join(" "),
                ]
                .join(" ");
                matches_search(&text, query)
            }
        })
        .map(|(i, _)| i)
        .collect()
}

/// Document metadata as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaForm {
    /// Number, e.g. `05/BC-UBND`.
    pub doc_number: String,
    /// Date, `dd/mm/yyyy`.
    pub doc_date: String,
    /// Issuing body.
    pub issuer: String,
    /// Summary.
    pub summary: String,
}

impl MetaForm {
    /// The form for a stored file.
    pub fn from_record(e: &EvidenceRecord) -> Self {
        Self {
            doc_number: e.doc_number.clone().unwrap_or_default(),
            doc_date: e.doc_date.map(|d| d.to_string()).unwrap_or_default(),
            issuer: e.issuer.clone().unwrap_or_default(),
            summary: e.summary.clone().unwrap_or_default(),
        }
    }

    /// Validates the form.
    pub fn validate(&self) -> AppResult<EvidenceMeta> {
        let text = |t: &str| Some(nfc(t)).filter(|s| !s.is_empty());
        let doc_date = match self.doc_date.trim() {
            "" => None,
            t => Some(
                CivilDate::parse(t)
                    .ok_or_else(|| {
                        AppError::invalid(format!(
                            "Ngày văn bản «{t}» không hợp lệ (dạng ngày/tháng/năm)."
                        ))
                    })?
                    .iso(),
            ),
        };
        Ok(EvidenceMeta {
            doc_number: text(&self.doc_number),
            doc_date,
            issuer: text(&self.issuer),
            summary: text(&self.summary),
        })
    }
}

/// Largest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 96;

/// Makes the preview of a stored file: a thumbnail for photos, a page count for PDFs,
/// or the reason it could not be read.
pub fn make_preview(media_type: &str, bytes: &[u8]) -> Preview {
    let mut p = Preview {
        width: 0,
        height: 0,
        rgba: None,
        pages: None,
        problem: None,
    };
    if media_type.starts_with("image/") {
        match crate::pdf::inspect::thumbnail(bytes, THUMBNAIL_SIDE) {
            Ok(thumb) => {
                p.width = thumb.width;
                p.height = thumb.height;
                p.rgba = Some(thumb.rgba);
            }
            Err(crate::pdf::inspect::InspectError::OversizedImage(why)) => {
                p.problem = Some(why.into());
            }
            Err(_) => p.problem = Some("ảnh bị hỏng hoặc không đọc được".into()),
        }
    } else if media_type == "application/pdf" {
        // Opened in a child process with limits; the result (pages, or why not) is
        // stored with the preview, so a damaged file is not opened again at each start.
        match super::pdf_probe::probe(bytes) {
            super::pdf_probe::Probe::Pages(n) => p.pages = Some(n),
            other => p.problem = other.problem(),
        }
    }
    p
}
