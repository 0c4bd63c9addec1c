//! The «DỰ THẢO» stamp over every page of a draft.

use printpdf::{Color, Op, PdfFontHandle, Pt, Rgb, TextItem, TextMatrix, TextRenderingMode};

use super::*;

/// The "DỰ THẢO" stamp: large outlined grey letters across the page, drawn over the
/// content without hiding it.
pub fn watermark(fonts: &Fonts) -> Vec<Op> {
    let text = "DỰ THẢO";
    let size = 96.0;
    let w = fonts.width(Style::Bold, size, text);
    let angle: f32 = 35.0;
    let (s, c) = angle.to_radians().sin_cos();
    let (cx, cy) = (PAGE_W / 2.0, PAGE_H / 2.0);
    let x = cx - c * w / 2.0 + s * size / 3.0;
    let y = cy - s * w / 2.0 - c * size / 3.0;
    vec![
        Op::SaveGraphicsState,
        Op::SetOutlineColor {
            col: Color::Rgb(Rgb::new(0.6, 0.6, 0.6, None)),
        },
        Op::SetOutlineThickness { pt: Pt(1.2) },
        Op::StartTextSection,
        Op::SetTextRenderingMode {
            mode: TextRenderingMode::Stroke,
        },
        Op::SetFont {
            font: PdfFontHandle::External(fonts.face(Style::Bold).1.clone()),
            size: Pt(size),
        },
        Op::SetTextMatrix {
            matrix: TextMatrix::Raw([c, s, -s, c, x, y]),
        },
        Op::ShowText {
            items: vec![TextItem::Text(nfc(text))],
        },
        // The same words, invisible and level, so that a text search finds the stamp.
        Op::SetTextRenderingMode {
            mode: TextRenderingMode::Invisible,
        },
        Op::SetFont {
            font: PdfFontHandle::External(fonts.face(Style::Bold).1.clone()),
            size: Pt(12.0),
        },
        Op::SetTextMatrix {
            matrix: TextMatrix::Raw([1.0, 0.0, 0.0, 1.0, LEFT, BOTTOM / 2.0]),
        },
        Op::ShowText {
            items: vec![TextItem::Text(nfc(text))],
        },
        Op::EndTextSection,
        Op::RestoreGraphicsState,
    ]
}

/// The watermark as raw content for a merged page that uses resource name `font`:
/// glyph ids of the bold face (Identity-H), same geometry as [`watermark`].
pub fn watermark_stream(fonts: &Fonts, font: &str, page_w: f32, page_h: f32) -> Vec<u8> {
    let text = "DỰ THẢO";
    let size = 96.0 * (page_w / PAGE_W).min(page_h / PAGE_H).max(0.3);
    let w = fonts.width(Style::Bold, size, text);
    let angle: f32 = 35.0;
    let (s, c) = angle.to_radians().sin_cos();
    let x = page_w / 2.0 - c * w / 2.0 + s * size / 3.0;
    let y = page_h / 2.0 - s * w / 2.0 - c * size / 3.0;
    let hex: String = fonts
        .bold_glyphs(text)
        .iter()
        .map(|g| format!("{g:04X}"))
        .collect();
    format!(
        "q 0.6 G 1.2 w BT 1 Tr /{font} {size:.2} Tf {c:.5} {s:.5} {:.5} {c:.5} {x:.2} {y:.2} Tm <{hex}> Tj 3 Tr /{font} 12 Tf 1 0 0 1 20 20 Tm <{hex}> Tj ET Q\n",
        -s
    )
    .into_bytes()
}
