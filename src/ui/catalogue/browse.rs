//! Browsing an edition: its criteria, indicators and thresholds, and the line naming its
//! decision.

use crate::domain::catalog::{Edition, ThresholdValue};
use crate::domain::units::Verdict;
use crate::domain::vn_text::format_number;
use crate::ui::design::verdict_color;
use egui::RichText;

/// Every criterion of the edition, its indicators and their thresholds.
pub(super) fn browse(ui: &mut egui::Ui, edition: &Edition) {
    for c in &edition.criteria {
        egui::CollapsingHeader::new(format!(
            "{}. {} ({} chỉ tiêu)",
            c.number,
            c.name,
            c.indicators.len()
        ))
        .id_salt(("tc", c.number))
        .show(ui, |ui| {
            if c.indicators.is_empty() {
                ui.label("Chưa có danh mục chỉ tiêu.");
            }
            for ind in &c.indicators {
                ui.label(RichText::new(format!("{} {}", ind.code, ind.text)).strong());
                ui.label(
                    RichText::new(format!(
                        "{} {}{}",
                        ind.kind.label(),
                        ind.comparator.symbol(),
                        if ind.unit.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", ind.unit)
                        }
                    ))
                    .small(),
                );
                if ind.thresholds.is_empty() {
                    ui.colored_label(
                        verdict_color(Verdict::MostlyMet),
                        "Chưa có ngưỡng: người đánh giá phải kết luận.",
                    );
                }
                for t in &ind.thresholds {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!(
                            "{}{}: {} {}",
                            t.segment.label(),
                            t.year.map(|y| format!(" năm {y}")).unwrap_or_default(),
                            ind.comparator.symbol(),
                            value_text(&t.value)
                        ));
                        if t.verified {
                            ui.label(
                                RichText::new("đã đối chiếu")
                                    .small()
                                    .color(verdict_color(Verdict::Met)),
                            );
                        } else {
                            ui.label(
                                RichText::new("chưa kiểm chứng")
                                    .small()
                                    .color(verdict_color(Verdict::MostlyMet)),
                            );
                        }
                        if !t.source.is_empty() {
                            ui.label(RichText::new(&t.source).small());
                        }
                    });
                }
                ui.add_space(4.0);
            }
        });
    }
}

/// "QĐ 318/QĐ-TTg ngày 08/03/2022, Phụ lục I; hiệu lực từ 08/03/2022 đến 31/12/2025",
/// leaving out what the edition does not say.
pub(super) fn legal_line(edition: &Edition) -> String {
    let date = |iso: &str| {
        crate::domain::vn_text::CivilDate::parse(iso).map_or(iso.to_string(), |d| d.to_string())
    };
    let l = &edition.legal;
    let mut text = l.decision.clone();
    if !l.signed_on.is_empty() {
        text.push_str(&format!(" ngày {}", date(&l.signed_on)));
    }
    if !l.annex.is_empty() {
        text.push_str(&format!(", {}", l.annex));
    }
    if !l.effective_from.is_empty() {
        text.push_str(&format!("; hiệu lực từ {}", date(&l.effective_from)));
        if !l.effective_to.is_empty() {
            text.push_str(&format!(" đến {}", date(&l.effective_to)));
        }
    }
    text
}

/// A threshold's value as shown: `1.234,5`, «Đạt» or the level's name.
pub(super) fn value_text(v: &ThresholdValue) -> String {
    match v {
        ThresholdValue::Number(n) => format_number(*n, 2),
        ThresholdValue::Yes => "Đạt".into(),
        ThresholdValue::Level(l) => l.clone(),
    }
}
