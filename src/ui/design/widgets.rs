//! The house widgets the screens share instead of copying: message box, verdict chip,
//! field row (label, hint, error at the field), section heading, warning and tile
//! frames, and a progress bar whose label sits beside the fill, never over it (a label
//! over a coloured fill is unreadable where the fill ends).

use super::colors::{MESSAGE_TEXT, TILE_BG, TRACK_BG, WARNING_BG, verdict_color, verdict_fill};
use super::{CORNER_RADIUS, FRAME_MARGIN, SECTION_GAP};
use crate::app::state::Command;
use crate::domain::units::Verdict;
use egui::{Color32, RichText};

/// A coloured message with a close button.
pub fn message_box(ui: &mut egui::Ui, fill: Color32, text: &str, commands: &mut Vec<Command>) {
    egui::Frame::new()
        .fill(fill)
        .inner_margin(FRAME_MARGIN)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(text.trim_end()).color(MESSAGE_TEXT));
                if ui.button("Đóng").clicked() {
                    commands.push(Command::DismissMessage);
                }
            });
        });
}

/// The frame of a warning: a request from the superior, a question before acting.
pub fn warning_frame() -> egui::Frame {
    egui::Frame::new()
        .fill(WARNING_BG)
        .inner_margin(FRAME_MARGIN)
        .corner_radius(CORNER_RADIUS)
}

/// The frame of a count tile (dashboard, roll-up).
pub fn tile_frame() -> egui::Frame {
    egui::Frame::new()
        .fill(TILE_BG)
        .inner_margin(FRAME_MARGIN)
        .corner_radius(CORNER_RADIUS)
}

/// A verdict as a chip: its name in the verdict's colour on the verdict's pale fill.
pub fn verdict_chip(ui: &mut egui::Ui, verdict: Verdict) -> egui::Response {
    egui::Frame::new()
        .fill(verdict_fill(verdict))
        .inner_margin(egui::Margin::symmetric(6, 1))
        .corner_radius(CORNER_RADIUS)
        .show(ui, |ui| {
            ui.label(
                RichText::new(verdict.label())
                    .strong()
                    .color(verdict_color(verdict)),
            )
        })
        .inner
}

/// A section's heading inside a screen, with room above it.
pub fn section_heading(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add_space(SECTION_GAP / 2.0);
    ui.label(RichText::new(text).strong())
}

/// A labelled one-line text field: the label, the field with its hint at a readable
/// width, and the error (if any) right under the field, in the error colour. Inside an
/// `egui::Grid` it fills two cells (label, field); the caller ends the row.
pub struct FieldRow<'a> {
    label: &'a str,
    hint: &'a str,
    width: f32,
    error: Option<&'a str>,
}

impl<'a> FieldRow<'a> {
    /// A field labelled `label`, [`super::FIELD_WIDTH`] wide, without hint or error.
    pub fn new(label: &'a str) -> Self {
        Self {
            label,
            hint: "",
            width: super::FIELD_WIDTH,
            error: None,
        }
    }

    /// The example shown in the empty field.
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = hint;
        self
    }

    /// The field's width in points.
    pub fn width(mut self, width: f32) -> Self {
        self.width = width;
        self
    }

    /// What is wrong with the value, said at the field.
    pub fn error(mut self, error: Option<&'a str>) -> Self {
        self.error = error;
        self
    }

    /// Draws the label and the field; returns the field's response (labelled by the
    /// label, so tests and screen readers find it by its name).
    pub fn show(self, ui: &mut egui::Ui, text: &mut String) -> egui::Response {
        let label = ui.label(self.label);
        // Never narrower than its hint: «nhập theo văn bản của tỉnh» was cut off after
        // «nhập theo văn bản» in a short field.
        let hint_width = text_width(ui, self.hint);
        let width = self
            .width
            .max(hint_width + 2.0 * ui.spacing().button_padding.x + 4.0);
        let edit = egui::TextEdit::singleline(text)
            .hint_text(self.hint)
            .desired_width(width);
        // The same nesting with or without an error: the field keeps its id (and the
        // focus) when the error appears or goes away while typing.
        ui.vertical(|ui| {
            // In an `egui::Grid` a cell is offered the column's width of the last frame
            // (40 points at first), and a text field never wider than what it is offered
            // stayed 40 points for good: the cell is widened to the field first.
            ui.set_min_width(width);
            let response = ui.add(edit).labelled_by(label.id);
            if let Some(error) = self.error {
                ui.label(RichText::new(error).small().color(super::ERROR_TEXT));
            }
            response
        })
        .inner
    }
}

/// The width of `text` on one line in the body style, in points.
pub fn text_width(ui: &egui::Ui, text: &str) -> f32 {
    egui::WidgetText::from(text)
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x
}

/// A bar chart: one [`progress_bar`] per `(fraction, label)`, every bar as long as the
/// others whatever the length of its label (a wider «100 %» label made a full bar look
/// shorter than the empty ones); bar and widest label take `width` points.
pub fn chart_bars(
    ui: &mut egui::Ui,
    bars: &[(f32, String)],
    width: f32,
    fill: Color32,
) -> Vec<egui::Response> {
    let widest = bars
        .iter()
        .map(|(_, label)| text_width(ui, label))
        .fold(0.0, f32::max);
    bars.iter()
        .map(|(fraction, label)| {
            let own = width - widest + text_width(ui, label);
            progress_bar(ui, *fraction, own, fill, label)
        })
        .collect()
}

/// A progress bar filled to `fraction` in `fill`, with `label` beside it (to the right),
/// not over the fill; bar and label together take `width` points.
pub fn progress_bar(
    ui: &mut egui::Ui,
    fraction: f32,
    width: f32,
    fill: Color32,
    label: &str,
) -> egui::Response {
    ui.horizontal(|ui| {
        let galley = egui::WidgetText::from(label).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        );
        let gap = ui.spacing().item_spacing.x;
        let bar_width = (width - galley.size().x - gap).max(MIN_BAR_WIDTH);
        let height = ui.text_style_height(&egui::TextStyle::Body) * 0.8;
        let (track, response) =
            ui.allocate_exact_size(egui::vec2(bar_width, height), egui::Sense::hover());
        ui.painter().rect_filled(track, 3.0, TRACK_BG);
        let mut bar = track;
        bar.set_width(track.width() * fraction.clamp(0.0, 1.0));
        ui.painter().rect_filled(bar, 3.0, fill);
        // The bar is named «Tiến độ: …» after its label, which stays the only node
        // found by the label's own text.
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::ProgressIndicator,
                true,
                format!("Tiến độ: {label}"),
            )
        });
        ui.label(galley);
        response
    })
    .inner
}

/// The shortest a progress bar gets, however long its label.
const MIN_BAR_WIDTH: f32 = 40.0;

/// Two columns of equal width, each laid out top-down and left-aligned: egui's own
/// columns are justified, which stretched the letters of every wrapped line.
pub fn two_columns<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui, &mut egui::Ui) -> R) -> R {
    let left_aligned = egui::Layout::top_down(egui::Align::Min);
    ui.columns_const(|[left, right]| {
        left.with_layout(left_aligned, |left| {
            right
                .with_layout(left_aligned, |right| add(left, right))
                .inner
        })
        .inner
    })
}

/// A quiet «Đang tải…» with a spinner, where what was chosen is not read yet.
pub fn loading(ui: &mut egui::Ui, words: &str) {
    ui.add_space(SECTION_GAP);
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(RichText::new(words).color(MESSAGE_TEXT));
    });
}
