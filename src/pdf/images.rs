//! Photos at print resolution: a JPEG that already fits its placed size at about 200 dpi
//! and is stored upright is embedded byte for byte (DCT passthrough); a larger JPEG is
//! decoded at reduced scale inside the DCT (1/2, 1/4 or 1/8, whichever still covers the
//! placed size at 150 dpi), shrunk only when above 200 dpi, turned upright by its EXIF orientation and
//! re-encoded as JPEG; PNGs and JPEGs the fast decoder does not take go through the
//! general decoder. Photos are reduced one at a time per thread, so memory stays bounded
//! whatever the number of photos.

use printpdf::{DictItem, ExternalStream, ExternalXObject, Px};
use std::collections::BTreeMap;

/// Highest print resolution for photos, dots per inch: above it a photo is shrunk.
pub const PRINT_DPI: f32 = 200.0;
/// Lowest print resolution for photos: the decoder's reduced scale never goes below it.
pub const MIN_DPI: f32 = 150.0;
/// A JPEG up to this factor above the print resolution is kept as it is.
const SLACK: f32 = 1.3;

/// An image ready to place.
pub struct Prepared {
    /// The XObject.
    pub xobject: ExternalXObject,
    /// Its pixel size.
    pub px: (u32, u32),
    /// Colour components (1 grey, 3 RGB, 4 CMYK).
    pub components: u8,
}

/// Width, height and component count from a JPEG's frame header.
fn jpeg_header(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    if bytes.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    while i + 9 < bytes.len() {
        let at = |k: usize| bytes.get(i + k).copied();
        if at(0)? != 0xFF {
            return None;
        }
        let marker = at(1)?;
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = u16::from_be_bytes([at(2)?, at(3)?]) as usize;
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let h = u32::from(u16::from_be_bytes([at(5)?, at(6)?]));
            let w = u32::from(u16::from_be_bytes([at(7)?, at(8)?]));
            return Some((w, h, at(9)?));
        }
        i += 2 + len;
    }
    None
}

/// The EXIF orientation (1 to 8) of a JPEG, from its APP1 segment; `None` when absent.
fn exif_orientation(bytes: &[u8]) -> Option<image::metadata::Orientation> {
    if bytes.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        if marker == 0xFF {
            i += 1;
            continue;
        }
        // Metadata segments come before the first scan.
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]));
        if marker == 0xE1 {
            let seg = bytes.get(i + 4..i + 2 + len)?;
            if let Some(tiff) = seg.strip_prefix(b"Exif\0\0") {
                return image::metadata::Orientation::from_exif_chunk(tiff);
            }
        }
        i += 2 + len;
    }
}

/// A JPEG decoded inside the DCT at the smallest of 1/8, 1/4, 1/2 or full scale that
/// still covers `want` (in stored orientation), by libjpeg-turbo (MozJPEG). `None` for
/// what it does not take (CMYK, 12-bit, damaged: any warning, such as data ending early,
/// counts as damage): the caller then tries the general decoder.
fn decode_reduced(bytes: &[u8], want: (u32, u32)) -> Option<image::DynamicImage> {
    let run = || {
        let mut d = mozjpeg::decompress::DecompressBuilder::new()
            .with_err(strict_errors())
            .from_mem(bytes)
            .ok()?;
        let (w, h) = (
            u32::try_from(d.width()).ok()?,
            u32::try_from(d.height()).ok()?,
        );
        // The smallest numerator n (of n/8) whose output still covers `want`.
        let n = (1u8..=8)
            .find(|n| {
                w * u32::from(*n) >= want.0.max(1) * 8 && h * u32::from(*n) >= want.1.max(1) * 8
            })
            .unwrap_or(8);
        d.scale(n);
        let gray = matches!(d.color_space(), mozjpeg_sys::J_COLOR_SPACE::JCS_GRAYSCALE);
        let mut started = if gray { d.grayscale() } else { d.rgb() }.ok()?;
        let (ow, oh) = (
            u32::try_from(started.width()).ok()?,
            u32::try_from(started.height()).ok()?,
        );
        let pixels: Vec<u8> = started.read_scanlines().ok()?;
        started.finish().ok()?;
        if gray {
            image::GrayImage::from_raw(ow, oh, pixels).map(image::DynamicImage::ImageLuma8)
        } else {
            image::RgbImage::from_raw(ow, oh, pixels).map(image::DynamicImage::ImageRgb8)
        }
    };
    // libjpeg's errors (and here its warnings) unwind out of the decoder: a damaged
    // photo, not a failed packet.
    std::panic::catch_unwind(run).ok().flatten()
}

/// libjpeg's error handling for photos: a fatal error or any warning (corrupt data,
/// data ending early, which libjpeg would otherwise paint grey) unwinds, without a
/// message, to the `catch_unwind` in [`decode_reduced`].
fn strict_errors() -> mozjpeg_sys::jpeg_error_mgr {
    // SAFETY: an all-zero `jpeg_error_mgr` is valid (null pointers, `None` callbacks);
    // `jpeg_std_error` only fills its fields and returns the pointer it was given.
    let mut err: mozjpeg_sys::jpeg_error_mgr = unsafe { std::mem::zeroed() };
    // SAFETY: see above; `err` is a valid, exclusive reference.
    unsafe { mozjpeg_sys::jpeg_std_error(&mut err) };
    err.error_exit = Some(fail);
    err.emit_message = Some(fail_on_warning);
    err
}

/// libjpeg's fatal error: unwinds (the C code is built to let it through).
extern "C-unwind" fn fail(_cinfo: &mut mozjpeg_sys::jpeg_common_struct) {
    std::panic::resume_unwind(Box::new("jpeg"));
}

/// libjpeg's messages: a warning (level -1) is damage; trace messages are ignored.
extern "C-unwind" fn fail_on_warning(
    _cinfo: &mut mozjpeg_sys::jpeg_common_struct,
    level: std::os::raw::c_int,
) {
    if level < 0 {
        std::panic::resume_unwind(Box::new("jpeg"));
    }
}

fn dct(bytes: Vec<u8>, w: u32, h: u32, components: u8) -> Prepared {
    let mut dict = BTreeMap::new();
    dict.insert("Type".into(), DictItem::Name(b"XObject".to_vec()));
    dict.insert("Subtype".into(), DictItem::Name(b"Image".to_vec()));
    dict.insert("Width".into(), DictItem::Int(i64::from(w)));
    dict.insert("Height".into(), DictItem::Int(i64::from(h)));
    let space: &[u8] = match components {
        1 => b"DeviceGray",
        4 => b"DeviceCMYK",
        _ => b"DeviceRGB",
    };
    dict.insert("ColorSpace".into(), DictItem::Name(space.to_vec()));
    if components == 4 {
        // Adobe CMYK JPEGs are stored inverted.
        dict.insert(
            "Decode".into(),
            DictItem::Array(
                (0..4)
                    .flat_map(|_| [DictItem::Int(1), DictItem::Int(0)])
                    .collect(),
            ),
        );
    }
    dict.insert("BitsPerComponent".into(), DictItem::Int(8));
    dict.insert("Filter".into(), DictItem::Name(b"DCTDecode".to_vec()));
    Prepared {
        xobject: ExternalXObject {
            stream: ExternalStream {
                dict,
                content: bytes,
                compress: false,
            },
            width: Some(Px(w as usize)),
            height: Some(Px(h as usize)),
            dpi: None,
        },
        px: (w, h),
        components,
    }
}

/// Prepares a photo for a box of `box_w`×`box_h` points; an unreadable file gives the
/// reason.
pub fn prepare(bytes: &[u8], box_w: f32, box_h: f32) -> Result<Prepared, String> {
    if let Some(why) = super::inspect::photo_problem(bytes) {
        return Err(why.to_string());
    }
    let max_w = (box_w / 72.0 * PRINT_DPI).ceil() as u32;
    let max_h = (box_h / 72.0 * PRINT_DPI).ceil() as u32;
    let header = jpeg_header(bytes);
    let orientation = exif_orientation(bytes).unwrap_or(image::metadata::Orientation::NoTransforms);
    let turned = matches!(
        orientation,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    if let Some((w, h, c)) = header
        && matches!(c, 1 | 3 | 4)
        && w > 0
        && h > 0
        && orientation == image::metadata::Orientation::NoTransforms
        && (w as f32) <= max_w as f32 * SLACK
        && (h as f32) <= max_h as f32 * SLACK
    {
        // Checked to decode before it is trusted as it is (at 1/8 scale: every
        // coefficient is still read, only the inverse DCT is cut short).
        if decode_reduced(bytes, (1, 1)).is_none() {
            super::inspect::decode_photo(bytes)
                .map_err(|_| "ảnh bị hỏng, không giải mã được".to_string())?;
        }
        return Ok(dct(bytes.to_vec(), w, h, c));
    }
    // The size wanted in stored orientation: the box is for the upright photo. The
    // decoder's scale only has to reach 150 dpi; the result is shrunk above 200 dpi.
    let (box_sw, box_sh) = if turned {
        (max_h, max_w)
    } else {
        (max_w, max_h)
    };
    let (min_sw, min_sh) = (
        (box_sw as f32 * MIN_DPI / PRINT_DPI).ceil(),
        (box_sh as f32 * MIN_DPI / PRINT_DPI).ceil(),
    );
    // The fast decoder has no memory limit of its own: a header claiming more than a
    // 100-megapixel photo goes to the general decoder, which refuses what exceeds its.
    let fast = header
        .filter(|(w, h, _)| u64::from(*w) * u64::from(*h) <= 100_000_000)
        .and_then(|(w, h, _)| {
            let s = (min_sw / w as f32).min(min_sh / h as f32).min(1.0);
            let want = ((w as f32 * s).ceil() as u32, (h as f32 * s).ceil() as u32);
            decode_reduced(bytes, want)
        });
    let mut img = match fast {
        Some(img) => img,
        None => super::inspect::decode_photo(bytes)
            .map_err(|_| "không đọc được ảnh (tệp hỏng hoặc không phải JPEG/PNG)".to_string())?,
    };
    if img.width() > box_sw || img.height() > box_sh {
        img = img.resize(box_sw, box_sh, image::imageops::FilterType::Triangle);
    }
    img.apply_orientation(orientation);
    let (pixels, w, h, components) = match img {
        image::DynamicImage::ImageLuma8(gray) => {
            let (w, h) = gray.dimensions();
            (gray.into_raw(), w, h, 1)
        }
        other => {
            let rgb = other.into_rgb8();
            let (w, h) = rgb.dimensions();
            (rgb.into_raw(), w, h, 3)
        }
    };
    let out = encode_jpeg(&pixels, w, h, components)
        .ok_or_else(|| "không mã hóa lại được ảnh".to_string())?;
    Ok(dct(out, w, h, components))
}

/// 8-bit pixels (1 grey or 3 RGB components per pixel) as a baseline JPEG of quality
/// 85, by libjpeg-turbo with its plain settings (MozJPEG's slower size optimisations
/// off: a photo page does not need them).
fn encode_jpeg(pixels: &[u8], w: u32, h: u32, components: u8) -> Option<Vec<u8>> {
    let run = || {
        let space = if components == 1 {
            mozjpeg::ColorSpace::JCS_GRAYSCALE
        } else {
            mozjpeg::ColorSpace::JCS_RGB
        };
        let mut c = mozjpeg::Compress::new(space);
        c.set_fastest_defaults();
        c.set_size(usize::try_from(w).ok()?, usize::try_from(h).ok()?);
        c.set_quality(85.0);
        let mut started = c.start_compress(Vec::new()).ok()?;
        started.write_scanlines(pixels).ok()?;
        started.finish().ok()
    };
    std::panic::catch_unwind(run).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 128]));
        let mut out = Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&img)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn a_jpeg_that_fits_is_kept_byte_for_byte() {
        let bytes = jpeg(400, 300);
        let p = prepare(&bytes, 226.0, 170.0).unwrap();
        assert_eq!(p.xobject.stream.content, bytes);
        assert_eq!(p.px, (400, 300));
    }

    #[test]
    fn a_large_jpeg_is_shrunk_to_print_resolution() {
        let bytes = jpeg(3000, 2000);
        let p = prepare(&bytes, 226.0, 170.0).unwrap();
        assert!(p.px.0 <= 629 && p.px.1 <= 473, "{:?}", p.px);
        assert_eq!(
            jpeg_header(&p.xobject.stream.content).map(|h| (h.0, h.1)),
            Some(p.px)
        );
    }

    #[test]
    fn a_damaged_image_gives_a_reason() {
        let mut bytes = jpeg(100, 100);
        bytes.truncate(60);
        assert!(prepare(&bytes, 200.0, 200.0).is_err());
        assert!(prepare(b"not an image", 200.0, 200.0).is_err());
    }

    /// A JPEG with an EXIF APP1 segment holding `orientation`, spliced after SOI.
    fn with_orientation(bytes: &[u8], orientation: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&1u16.to_be_bytes());
        tiff.extend_from_slice(&0x0112u16.to_be_bytes());
        tiff.extend_from_slice(&3u16.to_be_bytes());
        tiff.extend_from_slice(&1u32.to_be_bytes());
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let mut seg = b"Exif\0\0".to_vec();
        seg.extend_from_slice(&tiff);
        let mut out = bytes[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((seg.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&seg);
        out.extend_from_slice(&bytes[2..]);
        out
    }

    /// Stored landscape, red on the left half and blue on the right.
    fn red_left(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgb([230, 20, 20])
            } else {
                image::Rgb([20, 20, 230])
            }
        });
        let mut out = Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out.into_inner()
    }

    fn decoded(p: &Prepared) -> image::RgbImage {
        image::load_from_memory(&p.xobject.stream.content)
            .unwrap()
            .to_rgb8()
    }

    #[test]
    fn r_phone_photo_printed_sideways() {
        // A phone held upright stores the photo landscape with orientation 6 (turn 90°
        // clockwise to view): it must print portrait, the stored left edge on top.
        let bytes = with_orientation(&red_left(3000, 2000), 6);
        assert_eq!(
            exif_orientation(&bytes),
            Some(image::metadata::Orientation::Rotate90)
        );
        let p = prepare(&bytes, 226.0, 170.0).unwrap();
        assert!(p.px.1 > p.px.0, "printed sideways: {:?}", p.px);
        assert!(p.px.1 <= 473, "{:?}", p.px);
        let img = decoded(&p);
        assert_eq!((img.width(), img.height()), p.px);
        let top = img.get_pixel(img.width() / 2, 2);
        let bottom = img.get_pixel(img.width() / 2, img.height() - 3);
        assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
    }

    #[test]
    fn a_small_turned_photo_is_turned_not_passed_through() {
        let plain = red_left(400, 300);
        let bytes = with_orientation(&plain, 8);
        let p = prepare(&bytes, 226.0, 170.0).unwrap();
        assert_eq!(p.px, (300, 400));
        // Orientation 8: turn 90° counter-clockwise, the stored left edge goes down.
        let img = decoded(&p);
        let bottom = img.get_pixel(150, 397);
        assert!(bottom[0] > 150 && bottom[2] < 100, "bottom {bottom:?}");
        // Upright (orientation 1) still passes through byte for byte.
        let upright = with_orientation(&plain, 1);
        assert_eq!(
            prepare(&upright, 226.0, 170.0)
                .unwrap()
                .xobject
                .stream
                .content,
            upright
        );
    }

    #[test]
    fn a_large_jpeg_is_decoded_at_reduced_scale_and_still_covers_the_box() {
        // 4000×3000 for a 629×473 box: 1/4 scale (1000×750) covers it, 1/8 would not.
        let bytes = jpeg(4000, 3000);
        let small = decode_reduced(&bytes, (629, 472)).unwrap();
        assert_eq!((small.width(), small.height()), (1000, 750));
    }

    #[test]
    fn r_photos_decoded_at_twice_the_scale_they_need() {
        // The photo box (227,86 × 165 pt) at 150 dpi is 475×344 px: 1/8 scale of a
        // 4000×3000 photo (500×375) reaches it and is under 200 dpi, so it is kept
        // at that size, not decoded at 1/4 and shrunk.
        let bytes = jpeg(4000, 3000);
        let p = prepare(&bytes, 227.86, 165.0).unwrap();
        assert_eq!(p.px, (500, 375));
        let dpi = p.px.1 as f32 / (165.0 / 72.0);
        assert!((150.0..=200.0).contains(&dpi), "{dpi}");
        // A 6000×4000 photo: 1/8 is 750×500, above 200 dpi for the box: shrunk to it.
        let p = prepare(&jpeg(6000, 4000), 227.86, 165.0).unwrap();
        assert!(p.px.0 <= 633 && p.px.1 <= 459, "{:?}", p.px);
        assert!(p.px.0 as f32 / (227.86 / 72.0) >= 150.0, "{:?}", p.px);
    }

    #[test]
    fn a_photo_claiming_a_huge_size_is_refused_not_decoded() {
        let mut bytes = jpeg(64, 48);
        let sof = (2..bytes.len() - 9)
            .find(|&i| bytes[i] == 0xFF && bytes[i + 1] == 0xC0)
            .unwrap();
        // 60000×60000 in the frame header: 3.6 gigapixels.
        bytes[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
        assert!(prepare(&bytes, 226.0, 170.0).is_err());
    }

    #[test]
    fn a_damaged_exif_segment_is_ignored() {
        let mut bytes = with_orientation(&red_left(400, 300), 6);
        // The segment claims to run past the end of the file.
        bytes[4] = 0xFF;
        bytes[5] = 0xF0;
        assert_eq!(exif_orientation(&bytes), None);
        assert!(exif_orientation(b"\xFF\xD8\xFF").is_none());
    }
}
