//! The house colours, by meaning: what a verdict looks like, muted and secondary text,
//! warnings, errors, notices and the surfaces tiles and charts sit on. Screens name a
//! token from here and never write a colour themselves (tests/design.rs checks that no
//! file of `src/ui` outside `design` builds a `Color32`), so one change here recolours
//! every screen the same way.

use crate::domain::units::Verdict;
use egui::Color32;

/// Background of an error box.
pub const ERROR_BG: Color32 = Color32::from_rgb(255, 228, 225);
/// Background of a notice box.
pub const NOTICE_BG: Color32 = Color32::from_rgb(226, 244, 228);
/// Background of a warning: a request from the superior, a question before sending, a
/// plan to confirm.
pub const WARNING_BG: Color32 = Color32::from_rgb(255, 243, 224);
/// Text on a message box (error, notice), dark on its pale background.
pub const MESSAGE_TEXT: Color32 = Color32::BLACK;
/// The surface of a count tile.
pub const TILE_BG: Color32 = Color32::from_rgb(245, 247, 250);
/// The large number of a count tile that is not a good result.
pub const TILE_VALUE: Color32 = Color32::from_rgb(40, 40, 40);
/// The empty part of a bar (charts, progress).
pub const TRACK_BG: Color32 = Color32::from_rgb(230, 230, 230);
/// The labels of a chart drawn by hand.
pub const CHART_TEXT: Color32 = Color32::from_rgb(60, 60, 60);
/// Secondary text: a decision's name above a criterion, explanations under a choice.
pub const MUTED_TEXT: Color32 = Color32::from_rgb(90, 90, 90);
/// Text that only qualifies what is above it (e.g. «not checked against the decision»).
pub const FAINT_TEXT: Color32 = Color32::from_rgb(120, 120, 120);
/// The square behind a file's thumbnail or kind.
pub const THUMB_BG: Color32 = Color32::from_rgb(236, 239, 243);
/// The tint an image is drawn with: none.
pub const IMAGE_TINT: Color32 = Color32::WHITE;
/// The house accent: the fill of a task's progress, the outline of a drop target.
pub const ACCENT: Color32 = Color32::from_rgb(25, 118, 210);
/// The outline of a place that takes the files being dragged over it.
pub const DROP_TARGET: Color32 = ACCENT;
/// Text that says something is wrong or missing, at the field.
pub const ERROR_TEXT: Color32 = Color32::from_rgb(198, 40, 40);
/// Text that warns without blocking.
pub const WARNING_TEXT: Color32 = Color32::from_rgb(230, 145, 0);
/// Text that says something is done or met.
pub const GOOD_TEXT: Color32 = Color32::from_rgb(46, 125, 50);

/// The colour of a verdict.
pub fn verdict_color(v: Verdict) -> Color32 {
    match v {
        Verdict::Met => GOOD_TEXT,
        Verdict::MostlyMet => WARNING_TEXT,
        Verdict::NotMet => ERROR_TEXT,
        Verdict::NotAssessed => Color32::from_rgb(117, 117, 117),
    }
}

/// A pale background for cards of a verdict.
pub fn verdict_fill(v: Verdict) -> Color32 {
    match v {
        Verdict::Met => Color32::from_rgb(232, 245, 233),
        Verdict::MostlyMet => WARNING_BG,
        Verdict::NotMet => Color32::from_rgb(255, 235, 238),
        Verdict::NotAssessed => Color32::from_rgb(243, 243, 243),
    }
}
