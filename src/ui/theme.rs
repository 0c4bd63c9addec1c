//! The house look: fonts, colours by verdict, spacing, and small shared widgets.

use crate::app::state::Command;
use crate::domain::units::Verdict;
use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{Color32, FontData, FontFamily, FontId, TextStyle};

/// Background of an error box.
pub const ERROR_BG: Color32 = Color32::from_rgb(255, 228, 225);
/// Background of a notice box.
pub const NOTICE_BG: Color32 = Color32::from_rgb(226, 244, 228);

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

/// Light theme with readable sizes for a 1366×768 screen.
pub fn apply_style(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(15.0));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(15.0));
        style
            .text_styles
            .insert(TextStyle::Heading, FontId::proportional(20.0));
        style
            .text_styles
            .insert(TextStyle::Small, FontId::proportional(12.5));
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}

/// The colour of a verdict.
pub fn verdict_color(v: Verdict) -> Color32 {
    match v {
        Verdict::Met => Color32::from_rgb(46, 125, 50),
        Verdict::MostlyMet => Color32::from_rgb(230, 145, 0),
        Verdict::NotMet => Color32::from_rgb(198, 40, 40),
        Verdict::NotAssessed => Color32::from_rgb(117, 117, 117),
    }
}

/// A pale background for cards of a verdict.
pub fn verdict_fill(v: Verdict) -> Color32 {
    match v {
        Verdict::Met => Color32::from_rgb(232, 245, 233),
        Verdict::MostlyMet => Color32::from_rgb(255, 243, 224),
        Verdict::NotMet => Color32::from_rgb(255, 235, 238),
        Verdict::NotAssessed => Color32::from_rgb(243, 243, 243),
    }
}

/// A coloured message with a close button.
pub fn message_box(ui: &mut egui::Ui, fill: Color32, text: &str, commands: &mut Vec<Command>) {
    egui::Frame::new()
        .fill(fill)
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(text.trim_end()).color(Color32::BLACK));
                if ui.button("Đóng").clicked() {
                    commands.push(Command::DismissMessage);
                }
            });
        });
}
