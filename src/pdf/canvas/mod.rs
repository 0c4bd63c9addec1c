//! Page layout on top of printpdf's operations: the embedded Times-metric serif, text
//! measured with the font's own advance widths, wrapping, justified paragraphs (word by
//! word, since Identity-H text ignores word spacing), rules, tables that break across
//! pages with their header repeated, and page numbers at the top centre from the second
//! page of each document (Nghị định 30/2020/NĐ-CP).
//!
//! The fonts are in `fonts`, the draft stamp in `watermark`.

mod fonts;
mod watermark;

pub use fonts::*;
pub use watermark::*;

use printpdf::{
    Color, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem,
    XObjectId, XObjectTransform,
};

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
/// The widest gap between words of a justified line, in spaces; a looser line is
/// left ragged.
const MAX_JUSTIFY_GAP: f32 = 3.0;

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
    /// The pages before the current one.
    done: Vec<Vec<Op>>,
    /// The page being drawn.
    page: Vec<Op>,
    /// The top of the next line, in points from the bottom of the page.
    pub y: f32,
}

impl<'f> Canvas<'f> {
    /// A document starting on a new page.
    pub fn new(fonts: &'f Fonts) -> Self {
        Self {
            fonts,
            done: Vec::new(),
            page: Vec::new(),
            y: PAGE_H - TOP,
        }
    }

    /// The fonts.
    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// Starts a new page (the number is added when the document is finished).
    pub fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = PAGE_H - TOP - 22.0;
    }

    /// Starts a new page unless `height` still fits above the bottom margin.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.page
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
        let mut lines: Vec<Vec<&str>> = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        let space = self.fonts.width(style, size, " ");
        let mut used = INDENT;
        for w in words {
            let ww = self.fonts.width(style, size, w);
            if !current.is_empty() && used + space + ww > TEXT_W {
                lines.push(std::mem::replace(&mut current, vec![w]));
                used = ww;
            } else {
                if !current.is_empty() {
                    used += space;
                }
                used += ww;
                current.push(w);
            }
        }
        lines.push(current);
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
            // A line that justifying would spread wide open (a long unbreakable word —
            // dots to fill in, a key fingerprint — went on to the next line) stays
            // ragged instead.
            let gap = if gap > MAX_JUSTIFY_GAP * space {
                space
            } else {
                gap
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
            // The unit square scaled to the placed size directly: photos are added to
            // their page by the packet writer, so printpdf does not know their pixels.
            transform: XObjectTransform {
                translate_x: Some(Pt(dx)),
                translate_y: Some(Pt(dy)),
                scale_x: Some(dw),
                scale_y: Some(dh),
                no_auto_scale: true,
                ..Default::default()
            },
        });
        (dw, dh)
    }

    /// The finished pages, numbered at the top centre from the second page.
    pub fn finish(mut self) -> Vec<Vec<Op>> {
        let fonts = self.fonts;
        let mut pages = std::mem::take(&mut self.done);
        pages.push(std::mem::take(&mut self.page));
        for (i, page) in pages.iter_mut().enumerate().skip(1) {
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
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The x of each word shown, by baseline, in the order drawn.
    fn words_by_line(ops: &[Op]) -> Vec<(f32, Vec<f32>)> {
        let mut out: Vec<(f32, Vec<f32>)> = Vec::new();
        for op in ops {
            if let Op::SetTextCursor { pos } = op {
                match out.last_mut() {
                    Some((y, xs)) if (*y - pos.y.0).abs() < 0.01 => xs.push(pos.x.0),
                    _ => out.push((pos.y.0, vec![pos.x.0])),
                }
            }
        }
        out
    }

    /// «Chủ trì: ……; thư ký: ……» with dot runs too long for the line: justifying
    /// spread «Chủ» and «trì:» across the whole width.
    #[test]
    fn r_justified_line_spread_wide_open_before_a_long_word() {
        let mut doc = printpdf::PdfDocument::new("thu");
        let fonts = Fonts::load(&mut doc).unwrap();
        let mut c = Canvas::new(&fonts);
        let dots = ".".repeat(58);
        c.paragraph(
            Style::Regular,
            14.0,
            &format!("Chủ trì: {dots}; thư ký: {dots}"),
        );
        let space = fonts.width(Style::Regular, 14.0, " ");
        let pages = c.finish();
        let lines = words_by_line(pages.first().unwrap());
        assert!(lines.len() >= 2, "{lines:?}");
        let (_, first) = lines.first().unwrap();
        let widths = [
            fonts.width(Style::Regular, 14.0, "Chủ"),
            fonts.width(Style::Regular, 14.0, "trì:"),
        ];
        // «Chủ» then «trì:» one space apart, not pushed to the right margin.
        assert!(first.len() >= 2, "{first:?}");
        let gap = first[1] - first[0] - widths[0];
        assert!(gap <= 3.0 * space, "gap {gap} vs space {space}");
        // An ordinary paragraph is still justified to the right margin.
        let mut c = Canvas::new(&fonts);
        let text = "Ủy ban nhân dân xã Đông Hòa kính đề nghị Ủy ban nhân dân tỉnh thẩm định, xét công nhận xã đạt chuẩn nông thôn mới năm 2026, cụ thể như sau.";
        c.paragraph(Style::Regular, 14.0, text);
        let pages = c.finish();
        let lines = words_by_line(pages.first().unwrap());
        let (_, first) = lines.first().unwrap();
        let last_word = text.split_whitespace().nth(first.len() - 1).unwrap();
        let end = first.last().unwrap() + fonts.width(Style::Regular, 14.0, last_word);
        assert!(
            (end - (LEFT + TEXT_W)).abs() < 0.5,
            "{end} vs {}",
            LEFT + TEXT_W
        );
    }
}
