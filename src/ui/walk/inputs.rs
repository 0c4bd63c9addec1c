//! The fields of an indicator card: the value by kind, the manual verdict, the details.

use super::criterion::{verdict_choices, verdict_text};
use crate::app::assessment::{ValueDetails, ValueForm};
use crate::domain::catalog::{Indicator, IndicatorKind};
use crate::ui::design::{DATE_FIELD_WIDTH, SHORT_FIELD_WIDTH};

/// The grid of a card's fields: two label–field pairs a row on a wide card, one on a
/// narrow one (beside the lists at 1280 px, or with the text scaled up, two pairs a row
/// ran past the card's right edge).
pub(super) struct Pairs {
    wide: bool,
    on_row: usize,
}

/// The card width from which two pairs go on a row.
pub(super) const WIDE_CARD: f32 = 700.0;

impl Pairs {
    /// A grid for a card `width` points wide.
    pub(super) fn new(width: f32) -> Self {
        Self {
            wide: width >= WIDE_CARD,
            on_row: 0,
        }
    }

    /// The grid's columns.
    pub(super) fn columns(&self) -> usize {
        if self.wide { 4 } else { 2 }
    }

    /// After a label and its field: a narrow grid starts a new row.
    fn placed(&mut self, ui: &mut egui::Ui) {
        self.on_row += 1;
        if !self.wide {
            self.end_row(ui);
        }
    }

    /// The empty cells of a pair left out, so that a wide grid's columns stay aligned.
    fn blank(&mut self, ui: &mut egui::Ui) {
        if self.wide {
            ui.label("");
            ui.label("");
            self.on_row += 1;
        }
    }

    /// Ends the row if anything is on it.
    pub(super) fn end_row(&mut self, ui: &mut egui::Ui) {
        if self.on_row > 0 {
            ui.end_row();
            self.on_row = 0;
        }
    }
}

/// A text field saved when it loses focus; returns (has focus, should save).
fn field(
    ui: &mut egui::Ui,
    pairs: &mut Pairs,
    label: &str,
    text: &mut String,
    (width, hint): (f32, &str),
) -> (bool, bool) {
    let r = crate::ui::design::FieldRow::new(label)
        .hint(hint)
        .width(width)
        .show(ui, text);
    pairs.placed(ui);
    (r.has_focus(), r.lost_focus())
}

pub(super) fn value_inputs(
    ui: &mut egui::Ui,
    pairs: &mut Pairs,
    ind: &Indicator,
    form: &mut ValueForm,
) -> (bool, bool) {
    let unit = if ind.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", ind.unit)
    };
    match ind.kind {
        IndicatorKind::Ratio => {
            let a = field(ui, pairs, "Tử số", &mut form.numerator, (120.0, ""));
            let b = field(ui, pairs, "Mẫu số", &mut form.denominator, (120.0, ""));
            (a.0 || b.0, a.1 || b.1)
        }
        IndicatorKind::Amount | IndicatorKind::Count => {
            let r = field(
                ui,
                pairs,
                &format!("Giá trị{unit}"),
                &mut form.value,
                (140.0, "1.234,5"),
            );
            pairs.blank(ui);
            r
        }
        IndicatorKind::YesNo => {
            let l = ui.label("Kết quả thực hiện");
            let shown = match form.value.as_str() {
                "dat" => "Đạt",
                "khong" => "Không đạt",
                _ => "(chưa nhập)",
            };
            let mut changed = false;
            egui::ComboBox::from_id_salt(("co_khong", ind.code.as_str()))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (v, label) in [("", "(chưa nhập)"), ("dat", "Đạt"), ("khong", "Không đạt")]
                    {
                        changed |= ui
                            .selectable_value(&mut form.value, v.to_string(), label)
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
            pairs.placed(ui);
            pairs.blank(ui);
            (false, changed)
        }
        IndicatorKind::Level => {
            let l = ui.label("Mức đạt được");
            let mut changed = false;
            let shown = if form.value.is_empty() {
                "(chưa nhập)".to_string()
            } else {
                form.value.clone()
            };
            egui::ComboBox::from_id_salt(("muc_do", ind.code.as_str()))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut form.value, String::new(), "(chưa nhập)")
                        .changed();
                    for level in &ind.levels {
                        changed |= ui
                            .selectable_value(&mut form.value, level.clone(), level)
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
            pairs.placed(ui);
            pairs.blank(ui);
            (false, changed)
        }
    }
}

pub(super) fn override_inputs(
    ui: &mut egui::Ui,
    pairs: &mut Pairs,
    code: &str,
    form: &mut ValueForm,
) -> (bool, bool) {
    let l = ui.label("Kết luận thủ công");
    let mut changed = false;
    egui::ComboBox::from_id_salt(("ket_luan", code))
        .selected_text(verdict_text(&form.verdict))
        .show_ui(ui, |ui| {
            for (v, label) in verdict_choices(false) {
                changed |= ui
                    .selectable_value(&mut form.verdict, v.to_string(), label)
                    .changed();
            }
        })
        .response
        .labelled_by(l.id);
    pairs.placed(ui);
    if form.verdict.is_empty() {
        if changed {
            form.reason.clear();
        }
        pairs.blank(ui);
        return (false, changed);
    }
    // A manual verdict is saved once its reason is there; until then the field says so.
    let ready = !form.reason.trim().is_empty();
    let r = crate::ui::design::FieldRow::new("Lý do")
        .hint("bắt buộc: vì sao kết luận khác kết quả tính")
        .width(260.0)
        .error((!ready).then_some("cần nhập lý do để lưu"))
        .show(ui, &mut form.reason);
    pairs.placed(ui);
    let ready = !form.reason.trim().is_empty();
    (r.has_focus(), (changed || r.lost_focus()) && ready)
}

pub(super) fn detail_inputs(
    ui: &mut egui::Ui,
    pairs: &mut Pairs,
    form: &mut ValueForm,
) -> (bool, bool) {
    let details = form.details.get_or_insert_with(ValueDetails::default);
    let date = (DATE_FIELD_WIDTH, crate::ui::design::DATE_HINT);
    let a = field(ui, pairs, "Ngày số liệu", &mut details.data_date, date);
    let b = field(
        ui,
        pairs,
        "Nguồn số liệu",
        &mut details.source_office,
        (260.0, "cơ quan, bộ phận cung cấp"),
    );
    pairs.end_row(ui);
    let c = field(
        ui,
        pairs,
        "Người phụ trách",
        &mut details.responsible,
        (SHORT_FIELD_WIDTH, ""),
    );
    let d = field(ui, pairs, "Hạn hoàn thành", &mut details.deadline, date);
    pairs.end_row(ui);
    let e = field(
        ui,
        pairs,
        "Ghi chú",
        &mut form.note,
        (SHORT_FIELD_WIDTH, ""),
    );
    pairs.end_row(ui);
    (
        a.0 || b.0 || c.0 || d.0 || e.0,
        a.1 || b.1 || c.1 || d.1 || e.1,
    )
}
