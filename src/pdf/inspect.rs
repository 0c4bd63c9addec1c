//! Reading an evidence file for its preview, so the app layer never decodes images or PDFs
//! itself: a small thumbnail of a photo, the page count of a PDF.

/// A thumbnail: its size in pixels and its RGBA bytes (4 per pixel, row by row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA pixels.
    pub rgba: Vec<u8>,
}

/// Why a file could not be read for its preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectError {
    /// The photo is damaged or in a format we do not read.
    DamagedImage,
    /// The PDF is damaged.
    DamagedPdf,
}

/// A thumbnail of a photo whose longest side is at most `side` pixels.
pub fn thumbnail(bytes: &[u8], side: u32) -> Result<Thumbnail, InspectError> {
    let img = image::load_from_memory(bytes).map_err(|_| InspectError::DamagedImage)?;
    let thumb = img.thumbnail(side, side).to_rgba8();
    Ok(Thumbnail {
        width: thumb.width(),
        height: thumb.height(),
        rgba: thumb.into_raw(),
    })
}

/// The number of pages of a PDF.
pub fn page_count(bytes: &[u8]) -> Result<u32, InspectError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|_| InspectError::DamagedPdf)?;
    u32::try_from(doc.get_pages().len()).map_err(|_| InspectError::DamagedPdf)
}

/// What a bounded reading of an untrusted PDF found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfReading {
    /// Readable, with this many pages.
    Pages(u32),
    /// Protected by a password.
    Encrypted,
    /// A stream unpacks beyond [`crate::pdf::MAX_STREAM_BYTES`] (a decompression bomb).
    Oversized,
    /// Damaged or not a PDF.
    Damaged,
}

/// Set when a stream of the PDF being read unpacks beyond [`crate::pdf::MAX_STREAM_BYTES`].
static OVERSIZED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Called by the PDF library on each object as it loads: notes an object stream that
/// unpacks too far (the library then leaves it out).
fn note_oversized(
    id: (u32, u16),
    object: &mut lopdf::Object,
) -> Option<((u32, u16), lopdf::Object)> {
    if let lopdf::Object::Stream(s) = object
        && (s.dict.has_type(b"ObjStm") || s.dict.has_type(b"XRef"))
        && s.decompressed_content_with_limit(crate::pdf::MAX_STREAM_BYTES)
            .is_err_and(|e| {
                matches!(
                    e,
                    lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })
                )
            })
    {
        OVERSIZED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    Some((id, object.clone()))
}

/// Reads an untrusted PDF with every stream bounded to [`crate::pdf::MAX_STREAM_BYTES`].
/// Meant for the limited child process that checks files from outside (one file per
/// process, so the flag of a bomb is not shared between readings).
pub fn read_pdf_bounded(bytes: &[u8]) -> PdfReading {
    let declared_encrypted = bytes.windows(8).any(|w| w == b"/Encrypt");
    OVERSIZED.store(false, std::sync::atomic::Ordering::Relaxed);
    let options = lopdf::LoadOptions {
        filter: Some(note_oversized),
        max_decompressed_size: Some(crate::pdf::MAX_STREAM_BYTES),
        ..Default::default()
    };
    let loaded = lopdf::Document::load_mem_with_options(bytes, options);
    if OVERSIZED.load(std::sync::atomic::Ordering::Relaxed) {
        return PdfReading::Oversized;
    }
    match loaded {
        Ok(doc) if doc.is_encrypted() || declared_encrypted => PdfReading::Encrypted,
        Ok(doc) => PdfReading::Pages(u32::try_from(doc.get_pages().len()).unwrap_or(u32::MAX)),
        Err(_) if declared_encrypted => PdfReading::Encrypted,
        Err(_) => PdfReading::Damaged,
    }
}
