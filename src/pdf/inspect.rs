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
