//! Reading an evidence file for its preview, so the app layer never decodes images or PDFs
//! itself: a small thumbnail of a photo, the page count of a PDF.
//!
//! Photos come from outside (evidence, bundles) and are decoded within limits: the
//! header's size is checked before any decoder runs (see [`photo_problem`]), and the
//! general decoder then works under [`image::Limits`], so a file of a few hundred bytes
//! that declares gigapixels is refused as damaged instead of taking gigabytes.

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InspectError {
    /// The photo is damaged or in a format we do not read.
    DamagedImage,
    /// The photo declares a size it cannot hold or that takes too much memory to decode:
    /// the Vietnamese reason.
    OversizedImage(&'static str),
    /// The PDF is damaged.
    DamagedPdf,
}

/// Longest side accepted for a photo, in pixels (a 200-megapixel phone photo is 16.320
/// wide).
pub const MAX_IMAGE_SIDE: u32 = 30_000;
/// Most memory one photo may take while it is decoded, in bytes.
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
/// Most pixels a JPEG may declare per byte of the file. Every 8×8 block is coded with at
/// least one bit in every scan, so a whole JPEG never holds more than 512 pixels per
/// byte; a file that claims more is cut short or crafted.
const MAX_JPEG_PIXELS_PER_BYTE: u64 = 512;

const TOO_LARGE: &str = "ảnh khai kích thước quá lớn so với tệp hoặc cần quá nhiều bộ nhớ để giải mã (tệp hỏng hoặc cố ý gây hại), không dùng được";

/// The frame of a JPEG as its decoder will see it: width, height, components and whether
/// it is progressive. `None` when it is not a JPEG or the segments before the first scan
/// are broken; two frames make it damaged too.
fn jpeg_frame(bytes: &[u8]) -> Option<(u64, u64, u64, bool)> {
    if bytes.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut frame = None;
    let mut i = 2usize;
    loop {
        let marker = *bytes.get(i + 1)?;
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xDA {
            return frame;
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            if frame.is_some() {
                return None;
            }
            let at = |k: usize| bytes.get(i + k).copied().map(u64::from);
            let h = at(5)? << 8 | at(6)?;
            let w = at(7)? << 8 | at(8)?;
            let progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
            frame = Some((w, h, at(9)?, progressive));
        }
        i = i.checked_add(2 + len)?;
    }
}

/// Why a photo from outside must not be decoded at all, read from its header alone:
/// sides over [`MAX_IMAGE_SIDE`]; for a JPEG, more pixels than its bytes can hold, or
/// more memory than [`MAX_DECODE_BYTES`] for its decoder's coefficients. `None` when
/// decoding may go ahead (within [`image::Limits`]).
pub fn photo_problem(bytes: &[u8]) -> Option<&'static str> {
    if let Some((w, h, components, progressive)) = jpeg_frame(bytes) {
        let pixels = w.saturating_mul(h);
        let per_pixel = if progressive { 2 * components + 1 } else { 1 };
        let too_large = w > u64::from(MAX_IMAGE_SIDE)
            || h > u64::from(MAX_IMAGE_SIDE)
            || pixels > (bytes.len() as u64).saturating_mul(MAX_JPEG_PIXELS_PER_BYTE)
            || pixels.saturating_mul(per_pixel) > MAX_DECODE_BYTES;
        return too_large.then_some(TOO_LARGE);
    }
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE).then_some(TOO_LARGE)
}

/// The limits every photo from outside is decoded under.
fn limits() -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(MAX_IMAGE_SIDE);
    l.max_image_height = Some(MAX_IMAGE_SIDE);
    l.max_alloc = Some(MAX_DECODE_BYTES);
    l
}

/// Decodes a photo from outside: refused from its header by [`photo_problem`], else
/// decoded under [`image::Limits`], a decoder panic counting as a damaged file.
pub fn decode_photo(bytes: &[u8]) -> Result<image::DynamicImage, InspectError> {
    if let Some(why) = photo_problem(bytes) {
        return Err(InspectError::OversizedImage(why));
    }
    let run = || {
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        reader.limits(limits());
        reader.decode().ok()
    };
    std::panic::catch_unwind(run)
        .ok()
        .flatten()
        .ok_or(InspectError::DamagedImage)
}

/// A thumbnail of a photo whose longest side is at most `side` pixels.
pub fn thumbnail(bytes: &[u8], side: u32) -> Result<Thumbnail, InspectError> {
    let img = decode_photo(bytes)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(img: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    /// The most compressible photo there is (one flat colour) stays under the bound of
    /// pixels per byte, and real photos and PNGs are decoded.
    #[test]
    fn whole_photos_pass_the_header_check() {
        let flat = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            2000,
            2000,
            image::Rgb([255, 255, 255]),
        ));
        let jpeg = encoded(&flat, image::ImageFormat::Jpeg);
        assert!(4_000_000 / jpeg.len() as u64 <= MAX_JPEG_PIXELS_PER_BYTE);
        assert_eq!(photo_problem(&jpeg), None);
        assert!(decode_photo(&jpeg).is_ok());
        let png = encoded(&flat, image::ImageFormat::Png);
        assert_eq!(photo_problem(&png), None);
        assert_eq!(thumbnail(&png, 96).unwrap().width, 96);
    }

    #[test]
    fn a_jpeg_cut_short_declares_more_than_it_holds() {
        let flat = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            2000,
            2000,
            image::Rgb([90, 120, 30]),
        ));
        let jpeg = encoded(&flat, image::ImageFormat::Jpeg);
        let cut = jpeg.get(..1000).unwrap();
        assert_eq!(photo_problem(cut), Some(TOO_LARGE));
        assert_eq!(
            decode_photo(cut).err(),
            Some(InspectError::OversizedImage(TOO_LARGE))
        );
    }
}
