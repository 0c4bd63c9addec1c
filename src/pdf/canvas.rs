//! Page layout on top of printpdf's operations: the embedded Times-metric serif, text
//! measured with the font's own advance widths, wrapping, justified paragraphs (word by
//! word, since Identity-H text ignores word spacing), rules, tables that break across
//! pages with their header repeated, and page numbers at the top centre from the second
//! page of each document (Nghị định 30/2020/NĐ-CP).
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfFontHandle, Point, Pt, Rect, Rgb,
    TextItem, TextMatrix, TextRenderingMode, XObjectId, XObjectTransform,
};
use unicode_normalization::UnicodeNormalization;

/// A4 width in points.
pub const PAGE_W: f32 = 595.28;
/// A4 height in points.
pub const PAGE_H: f32 = 841.89;
const MM: f32 = 72.0 / 25.4;
/// Left margin, 30 mm.
pub const LEFT: f32 = 30.0 * MM;
/// Right margin, 15 mm.
pub const RIGHT: f32 = 15.0 * MM;
/// Top margin, 20 mm.
pub const TOP: f32 = 20.0 * MM;
/// Bottom margin, 20 mm.
pub const BOTTOM: f32 = 20.0 * MM;
/// Width between the margins.
pub const TEXT_W: f32 = PAGE_W - LEFT - RIGHT;
/// First-line indent of body paragraphs, 1,27 cm.
pub const INDENT: f32 = 12.7 * MM;

/// The four faces of the serif.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Regular.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic.
    BoldItalic,
}

/// Liberation Serif, embedded: metric-compatible with Times New Roman, full Vietnamese.
pub struct Fonts {
    faces: Vec<(ParsedFont, FontId)>,
}

const FACES: [(&str, &[u8]); 4] = [
    (
        "F1",
        include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
    ),
    (
        "F2",
        include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
    ),
    (
        "F3",
        include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf"),
    ),
    (
        "F4",
        include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
    ),
];

impl Fonts {
    /// Parses the faces and registers them in `doc` under fixed names, so that the same
    /// data always gives the same file.
    pub fn load(doc: &mut printpdf::PdfDocument) -> Self {
        let faces = FACES
            .iter()
            .map(|(name, bytes)| {
                let mut warnings = Vec::new();
                let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
                    .expect("the embedded Liberation Serif parses");
                let id = FontId(name.to_string());
                doc.resources
                    .fonts
                    .map
                    .insert(id.clone(), printpdf::PdfFont::new(parsed.clone()));
                (parsed, id)
            })
            .collect();
        Self { faces }
    }

    fn face(&self, style: Style) -> &(ParsedFont, FontId) {
        &self.faces[match style {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
            Style::BoldItalic => 3,
        }]
    }

    /// Glyph ids of `text` in the bold face (the watermark on merged pages).
    pub fn bold_glyphs(&self, text: &str) -> Vec<u16> {
        let (font, _) = self.face(Style::Bold);
        nfc(text)
            .chars()
            .map(|c| font.lookup_glyph_index(c as u32).unwrap_or(0))
            .collect()
    }

    /// Width of `text` in points.
    pub fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        let (font, _) = self.face(style);
        let units: u32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(c as u32)
                    .and_then(|g| font.get_glyph_width(g))
                    .unwrap_or(500) as u32
            })
            .sum();
        units as f32 * size / f32::from(font.units_per_em.max(1))
    }

    /// Splits `text` into lines no wider than `width` (words longer than a line are cut).
    pub fn wrap(&self, style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(style, size, &candidate) <= width || line.is_empty() {
                    line = candidate;
                } else {
                    lines.push(std::mem::take(&mut line));
                    line = word.to_string();
                }
                while self.width(style, size, &line) > width && line.chars().count() > 1 {
                    let mut cut = line.chars().count() - 1;
                    while cut > 1
                        && self.width(style, size, &line.chars().take(cut).collect::<String>())
                            > width
                    {
                        cut -= 1;
                    }
                    let head: String = line.chars().take(cut).collect();
                    let tail: String = line.chars().skip(cut).collect();
                    lines.push(head);
                    line = tail;
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// NFC, as printpdf does no mark positioning.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
}

/// One table cell.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Text.
    pub text: String,
    /// Face.
    pub style: Style,
    /// Alignment.
    pub align: Align,
}

impl Cell {
    /// A left-aligned regular cell.
    pub fn left(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            style: Style::Regular,
            align: Align::Left,
        }
    }
    /// A centred regular cell.
    pub fn center(text: impl Into<String>) -> Self {
        Self {
            align: Align::Center,
            ..Self::left(text)
        }
    }
    /// A centred bold cell (headers).
    pub fn head(text: impl Into<String>) -> Self {
        Self {
            style: Style::Bold,
            align: Align::Center,
            ..Self::left(text)
        }
    }
    /// A bold left cell (group rows).
    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            style: Style::Bold,
            ..Self::left(text)
        }
    }
}

/// The pages of one document being laid out.
pub struct Canvas<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    /// The top of the next line, in points from the bottom of the page.
    pub y: f32,
}

impl<'f> Canvas<'f> {
    /// A document starting on a new page.
    pub fn new(fonts: &'f Fonts) -> Self {
        Self {
            fonts,
            pages: vec![Vec::new()],
            y: PAGE_H - TOP,
        }
    }

    /// The fonts.
    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// Starts a new page (the number is added when the document is finished).
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_H - TOP - 22.0;
    }

    /// Starts a new page unless `height` still fits above the bottom margin.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    /// Draws `text` with its baseline at (`x`, `baseline`).
    pub fn text_at(&mut self, x: f32, baseline: f32, style: Style, size: f32, text: &str) {
        let font = self.fonts.face(style).1.clone();
        let text = nfc(text);
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text)],
            },
            Op::EndTextSection,
        ]);
    }

    /// One line of text in the band [`x`, `x + width`], moving down by the line height.
    pub fn line(&mut self, x: f32, width: f32, style: Style, size: f32, align: Align, text: &str) {
        let lh = size * 1.25;
        self.ensure(lh);
        let w = self.fonts.width(style, size, text);
        let start = match align {
            Align::Left => x,
            Align::Center => x + (width - w) / 2.0,
        };
        let baseline = self.y - size;
        self.text_at(start, baseline, style, size, text);
        self.y -= lh;
    }

    /// Wrapped lines in a band, each aligned.
    pub fn lines(&mut self, x: f32, width: f32, style: Style, size: f32, align: Align, text: &str) {
        for l in self.fonts.wrap(style, size, text, width) {
            self.line(x, width, style, size, align, &l);
        }
    }

    /// A body paragraph: justified, first-line indent, 6 pt after (Nghị định 30).
    pub fn paragraph(&mut self, style: Style, size: f32, text: &str) {
        let lh = size * 1.3;
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            self.y -= lh;
            return;
        }
        let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
        let space = self.fonts.width(style, size, " ");
        let mut used = INDENT;
        for w in words {
            let ww = self.fonts.width(style, size, w);
            let current = lines.last_mut().expect("line");
            if !current.is_empty() && used + space + ww > TEXT_W {
                lines.push(vec![w]);
                used = ww;
            } else {
                if !current.is_empty() {
                    used += space;
                }
                used += ww;
                current.push(w);
            }
        }
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            self.ensure(lh);
            let x0 = LEFT + if i == 0 { INDENT } else { 0.0 };
            let avail = LEFT + TEXT_W - x0;
            let widths: Vec<f32> = line
                .iter()
                .map(|w| self.fonts.width(style, size, w))
                .collect();
            let total: f32 = widths.iter().sum();
            let gap = if i + 1 < count && line.len() > 1 {
                (avail - total) / (line.len() - 1) as f32
            } else {
                space
            };
            let baseline = self.y - size;
            let mut x = x0;
            for (w, width) in line.iter().zip(widths) {
                self.text_at(x, baseline, style, size, w);
                x += width + gap;
            }
            self.y -= lh;
        }
        self.y -= 6.0;
    }

    /// A horizontal rule at the current line.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        self.ops().extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
            },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(x1),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(x2),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    /// A stroked rectangle.
    pub fn frame(&mut self, x: f32, top: f32, w: f32, h: f32) {
        self.ops().extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
            },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(top - h),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(PaintMode::Stroke),
                    winding_order: None,
                },
            },
        ]);
    }

    /// Vertical space.
    pub fn space(&mut self, points: f32) {
        self.y -= points;
    }

    /// A table with borders; `header` rows repeat on every page the table spans.
    pub fn table(&mut self, widths: &[f32], header: &[Vec<Cell>], rows: &[Vec<Cell>], size: f32) {
        let pad = 3.0;
        let lh = size * 1.2;
        let layout = |cells: &[Cell]| -> (Vec<Vec<String>>, f32) {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| self.fonts.wrap(c.style, size, &c.text, w - 2.0 * pad))
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            (wrapped, n as f32 * lh + 2.0 * pad)
        };
        let header_layout: Vec<_> = header.iter().map(|r| layout(r)).collect();
        let header_h: f32 = header_layout.iter().map(|(_, h)| h).sum();
        let draw_row = |canvas: &mut Self, cells: &[Cell], wrapped: &[Vec<String>], h: f32| {
            let mut x = LEFT;
            for ((cell, lines), w) in cells.iter().zip(wrapped).zip(widths) {
                canvas.frame(x, canvas.y, *w, h);
                let mut baseline = canvas.y - pad - size;
                for l in lines {
                    let tw = canvas.fonts.width(cell.style, size, l);
                    let tx = match cell.align {
                        Align::Left => x + pad,
                        Align::Center => x + (w - tw) / 2.0,
                    };
                    canvas.text_at(tx, baseline, cell.style, size, l);
                    baseline -= lh;
                }
                x += w;
            }
            canvas.y -= h;
        };
        let draw_header = |canvas: &mut Self| {
            for (cells, (wrapped, h)) in header.iter().zip(&header_layout) {
                draw_row(canvas, cells, wrapped, *h);
            }
        };
        self.ensure(header_h + lh * 2.0);
        draw_header(self);
        for row in rows {
            let (wrapped, h) = layout(row);
            if self.y - h < BOTTOM {
                self.new_page();
                draw_header(self);
            }
            draw_row(self, row, &wrapped, h);
        }
    }

    /// Places an image XObject of `px_w`×`px_h` pixels in the box (x, top, w, h), keeping
    /// its proportions and centring it; returns the box actually used.
    pub fn image(
        &mut self,
        id: XObjectId,
        px: (u32, u32),
        x: f32,
        top: f32,
        w: f32,
        h: f32,
    ) -> (f32, f32) {
        let (pw, ph) = (px.0.max(1) as f32, px.1.max(1) as f32);
        let scale = (w / pw).min(h / ph);
        let (dw, dh) = (pw * scale, ph * scale);
        let dx = x + (w - dw) / 2.0;
        let dy = top - h + (h - dh) / 2.0;
        self.ops().push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Pt(dx)),
                translate_y: Some(Pt(dy)),
                dpi: Some(pw * 72.0 / dw),
                ..Default::default()
            },
        });
        (dw, dh)
    }

    /// The finished pages, numbered at the top centre from the second page.
    pub fn finish(mut self) -> Vec<Vec<Op>> {
        let fonts = self.fonts;
        for (i, page) in self.pages.iter_mut().enumerate().skip(1) {
            let label = (i + 1).to_string();
            let w = fonts.width(Style::Regular, 13.0, &label);
            let font = fonts.face(Style::Regular).1.clone();
            page.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::External(font),
                    size: Pt(13.0),
                },
                Op::SetTextCursor {
                    pos: Point {
                        x: Pt((PAGE_W - w) / 2.0 + (LEFT - RIGHT) / 2.0),
                        y: Pt(PAGE_H - TOP + 4.0),
                    },
                },
                Op::ShowText {
                    items: vec![TextItem::Text(label)],
                },
                Op::EndTextSection,
            ]);
        }
        self.pages
    }
}

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
