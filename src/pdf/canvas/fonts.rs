//! The embedded serif's four faces: loading, measuring text with the font's own advance
//! widths, and wrapping it to a width.

use printpdf::{FontId, ParsedFont};
use unicode_normalization::UnicodeNormalization;

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
    /// Regular, bold, italic and bold italic, in the order of [`Style`].
    faces: [(ParsedFont, FontId); 4],
}

const FACES: [(&str, &[u8]); 4] = [
    (
        "F1",
        include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf"),
    ),
    (
        "F2",
        include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf"),
    ),
    (
        "F3",
        include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf"),
    ),
    (
        "F4",
        include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
    ),
];

impl Fonts {
    /// Parses the faces and registers them in `doc` under fixed names, so that the same
    /// data always gives the same file. `None` only if an embedded face does not parse.
    pub fn load(doc: &mut printpdf::PdfDocument) -> Option<Self> {
        let [regular, bold, italic, bold_italic] = FACES.map(|(name, bytes)| {
            let mut warnings = Vec::new();
            let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)?;
            let id = FontId(name.to_string());
            doc.resources
                .fonts
                .map
                .insert(id.clone(), printpdf::PdfFont::new(parsed.clone()));
            Some((parsed, id))
        });
        Some(Self {
            faces: [regular?, bold?, italic?, bold_italic?],
        })
    }

    pub(super) fn face(&self, style: Style) -> &(ParsedFont, FontId) {
        let [regular, bold, italic, bold_italic] = &self.faces;
        match style {
            Style::Regular => regular,
            Style::Bold => bold,
            Style::Italic => italic,
            Style::BoldItalic => bold_italic,
        }
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

impl Fonts {
    /// Like [`Fonts::wrap`], but in as many lines as the full width needs, each as short as
    /// that allows, and a place name kept whole with its level word («xã Đông Hòa»): a
    /// centred title read «… của xã Đông» / «Hòa».
    pub fn wrap_balanced(&self, style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
        let units = name_units(text);
        let full = self.wrap_units(style, size, &units, width);
        if full.len() < 2 {
            return full;
        }
        let (mut low, mut high) = (width / full.len() as f32, width);
        for _ in 0..20 {
            let mid = (low + high) / 2.0;
            if self.wrap_units(style, size, &units, mid).len() > full.len() {
                low = mid;
            } else {
                high = mid;
            }
        }
        self.wrap_units(style, size, &units, high)
    }

    /// Greedy lines of whole `units` no wider than `width` (a unit wider stands alone).
    fn wrap_units(&self, style: Style, size: f32, units: &[String], width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for unit in units {
            let candidate = if line.is_empty() {
                unit.clone()
            } else {
                format!("{line} {unit}")
            };
            if line.is_empty() || self.width(style, size, &candidate) <= width {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, unit.clone()));
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// The words of `text`, a level word («xã», «huyện», «tỉnh», «phường», «thị trấn»…) joined
/// with the capitalised words of the name after it: «xã Đông Hòa» is one unit.
fn name_units(text: &str) -> Vec<String> {
    const LEVELS: [&str; 7] = ["xã", "huyện", "tỉnh", "phường", "quận", "trấn", "phố"];
    // In a title all in capitals every word looks like a name: words stay apart.
    let all_caps = text.to_uppercase() == text;
    let capital = |w: &str| !all_caps && w.chars().next().is_some_and(char::is_uppercase);
    let mut units: Vec<String> = Vec::new();
    let mut in_name = false;
    for word in text.split_whitespace() {
        let glued = in_name && capital(word);
        match units.last_mut() {
            Some(last) if glued => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_string()),
        }
        in_name = glued || LEVELS.contains(&word.to_lowercase().as_str());
    }
    units
}

/// NFC, as printpdf does no mark positioning.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}
