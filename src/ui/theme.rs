//! The fonts and the egui style the screens are drawn with; the colours, sizes and
//! house widgets themselves live in [`super::design`].

use super::design::{BODY_SIZE, HEADING_SIZE, ITEM_SPACING, SMALL_SIZE};
use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily, FontId, TextStyle};

/// The fonts the screens draw with, in the order a character is looked up: Noto Sans
/// (full Vietnamese coverage), then Liberation Serif for the few signs Noto Sans lacks
/// («≥», «≤»). Both are embedded; egui's own fonts come after them.
pub fn ui_fonts() -> [(&'static str, &'static [u8]); 2] {
    [
        (
            "NotoSans-Regular",
            include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
        ),
        (
            "LiberationSerif-Regular",
            include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
        ),
    ]
}

/// Installs the embedded fonts ([`ui_fonts`]) ahead of egui's default fonts.
pub fn install_fonts(ctx: &egui::Context) {
    // Each is inserted at the head of the family: the last inserted is looked up first.
    for (name, bytes) in ui_fonts().into_iter().rev() {
        ctx.add_font(FontInsert {
            name: name.to_string(),
            data: FontData::from_static(bytes),
            families: vec![
                InsertFontFamily {
                    family: FontFamily::Proportional,
                    priority: FontPriority::Highest,
                },
                InsertFontFamily {
                    family: FontFamily::Monospace,
                    priority: FontPriority::Lowest,
                },
            ],
        });
    }
}

/// Light theme with readable sizes for a 1366×768 screen. Scroll bars take their own
/// room beside the content instead of floating over its last column of text.
pub fn apply_style(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(BODY_SIZE));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(BODY_SIZE));
        style
            .text_styles
            .insert(TextStyle::Heading, FontId::proportional(HEADING_SIZE));
        style
            .text_styles
            .insert(TextStyle::Small, FontId::proportional(SMALL_SIZE));
        style.spacing.item_spacing = ITEM_SPACING;
        style.spacing.scroll = egui::style::ScrollStyle::solid();
    });
}
