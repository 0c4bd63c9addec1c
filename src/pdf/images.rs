//! Photos at print resolution: a JPEG that already fits its placed size at about 200 dpi
//! is embedded byte for byte (DCT passthrough); anything larger, and PNGs, is decoded one
//! at a time, shrunk to the placed size and re-encoded as JPEG, so memory stays bounded
//! whatever the number of photos.

use printpdf::{DictItem, ExternalStream, ExternalXObject, Px};
use std::collections::BTreeMap;
use std::io::Cursor;

/// Print resolution for photos, dots per inch.
pub const PRINT_DPI: f32 = 200.0;
/// A JPEG up to this factor above the print resolution is kept as it is.
const SLACK: f32 = 1.3;

/// An image ready to place.
pub struct Prepared {
    /// The XObject.
    pub xobject: ExternalXObject,
    /// Its pixel size.
    pub px: (u32, u32),
}

/// Width, height and component count from a JPEG's frame header.
fn jpeg_header(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    if bytes.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
            let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
            return Some((w, h, bytes[i + 9]));
        }
        i += 2 + len;
    }
    None
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
    }
}

/// Prepares a photo for a box of `box_w`×`box_h` points; an unreadable file gives the
/// reason.
pub fn prepare(bytes: &[u8], box_w: f32, box_h: f32) -> Result<Prepared, String> {
    let max_w = (box_w / 72.0 * PRINT_DPI).ceil() as u32;
    let max_h = (box_h / 72.0 * PRINT_DPI).ceil() as u32;
    if let Some((w, h, c)) = jpeg_header(bytes)
        && matches!(c, 1 | 3 | 4)
        && w > 0
        && h > 0
        && (w as f32) <= max_w as f32 * SLACK
        && (h as f32) <= max_h as f32 * SLACK
    {
        // Checked to decode before it is trusted as it is.
        image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
            .map_err(|_| "ảnh bị hỏng, không giải mã được".to_string())?;
        return Ok(dct(bytes.to_vec(), w, h, c));
    }
    let img = image::load_from_memory(bytes)
        .map_err(|_| "không đọc được ảnh (tệp hỏng hoặc không phải JPEG/PNG)".to_string())?;
    let img = if img.width() > max_w || img.height() > max_h {
        img.resize(max_w, max_h, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let rgb = img.to_rgb8();
    drop(img);
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&rgb)
        .map_err(|_| "không mã hóa lại được ảnh".to_string())?;
    Ok(dct(out.into_inner(), rgb.width(), rgb.height(), 3))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
