//! The screens' design system: the colours by meaning ([`colors`]), the spacing and
//! type sizes below, and the house widgets ([`widgets`]) every screen uses instead of
//! its own copy. Also here: the message banner, which floats in the bottom right corner
//! over the screen instead of pushing the screen down, so a message never moves the
//! button the clerk was about to press, nor hides the tabs (a notice fades after a few
//! seconds; an error stays until «Đóng» is pressed).

pub mod colors;
pub mod widgets;

pub use colors::*;
pub use widgets::*;

use crate::app::state::{AppState, Command};

/// The body text size, in points.
pub const BODY_SIZE: f32 = 15.0;
/// The size of small text (notes, captions, chart labels): one point under the body, so
/// that it still reads at arm's length on a 1366×768 screen.
pub const SMALL_SIZE: f32 = BODY_SIZE - 1.0;
/// The size of a screen's heading.
pub const HEADING_SIZE: f32 = 20.0;
/// The large number of a count tile.
pub const TILE_VALUE_SIZE: f32 = 22.0;
/// The space between widgets (horizontal, vertical).
pub const ITEM_SPACING: egui::Vec2 = egui::vec2(8.0, 6.0);
/// The inner margin of a framed box (tile, warning, message).
pub const FRAME_MARGIN: f32 = 8.0;
/// The rounding of a framed box's corners.
pub const CORNER_RADIUS: f32 = 6.0;
/// The space between two sections of a screen.
pub const SECTION_GAP: f32 = 10.0;
/// The width of a one-line text field: wide enough to read «05/BC-UBND» or «UBND xã
/// Tân Thành» whole.
pub const FIELD_WIDTH: f32 = 220.0;
/// The width of a short text field (a number, a name of a few words).
pub const SHORT_FIELD_WIDTH: f32 = 160.0;
/// The width of a date field: its hint [`DATE_HINT`] whole.
pub const DATE_FIELD_WIDTH: f32 = 140.0;
/// The hint of an empty date field, in the clerk's words (it read «dd/mm/yyyy»).
pub const DATE_HINT: &str = "ngày/tháng/năm";

/// How long a notice stays, in seconds (the last second it fades).
pub const NOTICE_SECONDS: f64 = 6.0;

/// The banner's distance from the window's bottom right corner.
const BANNER_MARGIN: f32 = 16.0;

/// What the banner remembers between frames: the notice shown and when it appeared.
#[derive(Default)]
pub struct Banner {
    shown: Option<(String, f64)>,
}

impl Banner {
    /// Draws the error, or else the notice, of `state` over the screen.
    pub fn show(&mut self, ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
        let (text, fill, fades) = match (&state.error, &state.notice) {
            (Some(err), _) => (err.to_string(), ERROR_BG, false),
            (None, Some(notice)) => (notice.clone(), NOTICE_BG, true),
            (None, None) => {
                self.shown = None;
                return;
            }
        };
        let now = ctx.input(|i| i.time);
        let since = match &self.shown {
            Some((shown, at)) if *shown == text => *at,
            _ => {
                self.shown = Some((text.clone(), now));
                now
            }
        };
        let mut opacity = 1.0;
        if fades {
            let age = now - since;
            if age >= NOTICE_SECONDS {
                commands.push(Command::DismissMessage);
                self.shown = None;
                return;
            }
            if age > NOTICE_SECONDS - 1.0 {
                opacity = (NOTICE_SECONDS - age) as f32;
            }
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        let width = (ctx.content_rect().width() * 0.5).clamp(240.0, 640.0);
        egui::Area::new(egui::Id::unique("thong_bao"))
            .order(egui::Order::Foreground)
            .anchor(
                egui::Align2::RIGHT_BOTTOM,
                egui::vec2(-BANNER_MARGIN, -BANNER_MARGIN),
            )
            .show(ctx, |ui| {
                ui.multiply_opacity(opacity);
                ui.set_max_width(width);
                message_box(ui, fill, &text, commands);
            });
    }
}
