//! Thumbnails and page counts of evidence files, read from the previews the background
//! task stored, turned into textures once and kept while the workspace is open.

use super::design;
use crate::app::state::AppState;
use crate::domain::evidence::EvidenceRecord;
use std::collections::{HashMap, HashSet};

/// What is known of one file's preview.
#[derive(Clone)]
pub struct Thumb {
    /// The photo's thumbnail.
    pub texture: Option<egui::TextureHandle>,
    /// Pages of a PDF.
    pub pages: Option<u32>,
    /// Why no preview could be made (damaged file).
    pub problem: Option<String>,
}

/// The cache.
#[derive(Default)]
pub struct Thumbs {
    known: HashMap<String, Thumb>,
    /// Files whose preview was not made yet, retried when the data changes.
    pending: HashSet<String>,
    pending_generation: u64,
}

impl Thumbs {
    /// The preview of a file, if made.
    pub fn get(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        e: &EvidenceRecord,
    ) -> Option<Thumb> {
        if let Some(t) = self.known.get(e.sha256.as_str()) {
            return Some(t.clone());
        }
        if self.pending_generation != state.generation {
            self.pending.clear();
            self.pending_generation = state.generation;
        }
        if self.pending.contains(e.sha256.as_str()) {
            return None;
        }
        let Some(p) = state.preview(&e.sha256) else {
            self.pending.insert(e.sha256.to_string());
            return None;
        };
        let texture = p.rgba.as_ref().and_then(|rgba| {
            let size = [p.width as usize, p.height as usize];
            (rgba.len() == size[0] * size[1] * 4).then(|| {
                ctx.load_texture(
                    format!("anh-{}", &e.sha256[..16]),
                    egui::ColorImage::from_rgba_unmultiplied(size, rgba),
                    egui::TextureOptions::LINEAR,
                )
            })
        });
        let thumb = Thumb {
            texture,
            pages: p.pages,
            problem: p.problem,
        };
        self.known.insert(e.sha256.to_string(), thumb.clone());
        Some(thumb)
    }

    /// Draws a file's thumbnail (or its kind) in a square of `side` points.
    pub fn show(&mut self, ui: &mut egui::Ui, state: &AppState, e: &EvidenceRecord, side: f32) {
        let thumb = self.get(ui.ctx(), state, e);
        let (rect, response) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
        ui.painter().rect_filled(rect, 4.0, design::THUMB_BG);
        match thumb.as_ref().and_then(|t| t.texture.as_ref()) {
            Some(texture) => {
                let size = texture.size_vec2();
                let scale = (side / size.x).min(side / size.y);
                let image_rect = egui::Rect::from_center_size(rect.center(), size * scale);
                ui.painter().image(
                    texture.id(),
                    image_rect,
                    egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                    design::IMAGE_TINT,
                );
            }
            None => {
                let label = file_kind(e);
                ui.painter().text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    label,
                    egui::FontId::proportional(design::SMALL_SIZE),
                    design::MUTED_TEXT,
                );
            }
        }
        if let Some(problem) = thumb.and_then(|t| t.problem) {
            response.on_hover_text(format!("Không đọc được tệp: {problem}"));
        }
    }

    /// "12 trang" for a PDF, the problem for a damaged file, else empty.
    pub fn caption(&mut self, ctx: &egui::Context, state: &AppState, e: &EvidenceRecord) -> String {
        match self.get(ctx, state, e) {
            Some(Thumb {
                problem: Some(p), ..
            }) => format!("Tệp lỗi: {p}"),
            Some(Thumb { pages: Some(n), .. }) => format!("{n} trang"),
            _ => String::new(),
        }
    }
}

/// A short label of a file's type: "PDF", "Ảnh", "Word"…
pub fn file_kind(e: &EvidenceRecord) -> &'static str {
    let m = e.media_type.as_str();
    if m == "application/pdf" {
        "PDF"
    } else if m.starts_with("image/") {
        "Ảnh"
    } else if m.contains("word") {
        "Word"
    } else if m.contains("sheet") || m.contains("excel") {
        "Excel"
    } else {
        "Tệp"
    }
}

/// "1,2 MB", "340 KB".
pub fn human_size(bytes: i64) -> String {
    let b = bytes as f64;
    if b >= 1_048_576.0 {
        format!(
            "{} MB",
            crate::domain::vn_text::format_number(b / 1_048_576.0, 1)
        )
    } else if b >= 1024.0 {
        format!(
            "{} KB",
            crate::domain::vn_text::format_number(b / 1024.0, 0)
        )
    } else {
        format!("{bytes} byte")
    }
}
