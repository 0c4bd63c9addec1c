//! The roll-up of a province or district: the communes × criteria matrix coloured by
//! verdict, per-commune counts and change since the start of the year, the share of
//! communes eligible, the average criteria met, the criteria failed most often and the
//! communes at risk of revocation. Sortable and filterable; exported to Excel.
//!
//! The roll-up is on one edition (picked here by its decision and title, with a year and
//! a target if wanted): communes assessed on another edition are listed apart below the
//! matrix and counted nowhere, since criterion 5 of one decision is not criterion 5 of
//! another.

use super::design::{self, verdict_color};
use super::rollup_view::{View, name_column, verdict_grid};
use crate::app::report::{RollupFilter, RollupJson, edition_label};
use crate::app::state::{AppState, Command};
use crate::domain::ids::UnitId;
use crate::domain::units::{Target, Verdict};
use crate::domain::vn_text::format_number;
use egui::RichText;

/// Sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Sort {
    #[default]
    Name,
    CriteriaMet,
    IndicatorsMet,
}

/// What the screen remembers between frames.
#[derive(Default)]
pub struct RollupState {
    query: String,
    only_not_eligible: bool,
    only_at_risk: bool,
    sort: Sort,
    /// The rows shown, kept between frames (see [`super::rollup_view`]).
    view: Option<View>,
}

/// The heading with «Xuất Excel…», «Báo cáo PDF…» and «Mở tệp» for the file written.
fn export_row(ui: &mut egui::Ui, state: &AppState, r: &RollupJson, commands: &mut Vec<Command>) {
    // While another choice is rolled up behind the window, the roll-up shown is not the
    // one chosen: it is not written out.
    let ready = state.loading().is_none();
    ui.horizontal(|ui| {
        ui.heading(format!("Tổng hợp: {}", r.unit_name));
        if ui
            .add_enabled(ready, egui::Button::new("Xuất Excel…"))
            .clicked()
            && let Some(path) = super::dialogs::save(
                "tong-hop",
                rfd::FileDialog::new()
                    .set_title("Xuất bảng tổng hợp")
                    .set_file_name(format!(
                        "tong-hop-{}-{}.xlsx",
                        crate::domain::vn_text::fold(&r.unit_name).replace(' ', "-"),
                        r.edition
                    ))
                    .add_filter("Excel", &["xlsx"]),
            )
        {
            commands.push(Command::ExportRollupXlsx(path));
        }
        if ui
            .add_enabled(ready, egui::Button::new("Báo cáo PDF…"))
            .clicked()
            && let Some(path) = super::dialogs::save(
                "tong-hop",
                rfd::FileDialog::new()
                    .set_title("Báo cáo thẩm tra/thẩm định")
                    .set_file_name(format!(
                        "bao-cao-{}-{}.pdf",
                        crate::domain::vn_text::fold(&r.unit_name).replace(' ', "-"),
                        r.edition
                    ))
                    .add_filter("PDF", &["pdf"]),
            )
        {
            commands.push(Command::ExportRollupPdf(path));
        }
        // The report just written, opened with the system's viewer.
        if let Some(written) = &state.rollup_written
            && ui
                .button("Mở tệp")
                .on_hover_text(written.display().to_string())
                .clicked()
        {
            commands.push(Command::OpenFile(written.clone()));
        }
        if let Some(words) = state.loading() {
            ui.spinner();
            ui.label(words);
        }
    });
}

/// Draws the roll-up.
pub fn rollup_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    rs: &mut RollupState,
    commands: &mut Vec<Command>,
) {
    let Some(r) = state.rollup.as_ref() else {
        ui.label("Chọn một tỉnh (hoặc huyện) ở cây đơn vị bên trái để xem bảng tổng hợp các xã.");
        return;
    };
    export_row(ui, state, r, commands);
    // Everything under the heading scrolls as one: with the text scaled up, the scope,
    // the tiles and the filters left room for a single row of the matrix when only the
    // matrix scrolled.
    egui::ScrollArea::vertical()
        .id_salt("tong_hop")
        .auto_shrink([false, false])
        .show(ui, |ui| body(ui, state, r, rs, commands));
}

/// The roll-up under its heading: scope, counts, filters, the matrix and the chart.
fn body(
    ui: &mut egui::Ui,
    state: &AppState,
    r: &RollupJson,
    rs: &mut RollupState,
    commands: &mut Vec<Command>,
) {
    scope_bar(ui, state, r, commands);
    ui.horizontal_wrapped(|ui| {
        tile(ui, "Số xã", r.communes_total.to_string());
        tile(
            ui,
            "Đủ điều kiện công nhận",
            format!(
                "{} ({} %)",
                r.communes_eligible,
                format_number(r.share_eligible_percent, 2)
            ),
        );
        tile(
            ui,
            "Bình quân tiêu chí đạt/xã",
            format!(
                "{}/{}",
                format_number(r.average_criteria_met, 2),
                r.edition_criteria.len()
            ),
        );
        tile(ui, "Xã có nguy cơ thu hồi", r.communes_at_risk.to_string());
    });
    for line in crate::app::central::plans::summary_lines(&r.plans) {
        ui.label(line);
    }
    if !r.most_failed.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.strong("Tiêu chí chưa đạt nhiều nhất:");
            for f in r.most_failed.iter().take(5) {
                ui.label(format!(
                    "TC {} {} ({} xã);",
                    f.number, f.name, f.communes_not_met
                ));
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Tìm xã:");
        ui.add(
            egui::TextEdit::singleline(&mut rs.query)
                .hint_text("gõ không dấu cũng được")
                .desired_width(200.0),
        )
        .labelled_by(l.id);
        ui.checkbox(&mut rs.only_not_eligible, "Chỉ xã chưa đủ điều kiện");
        ui.checkbox(&mut rs.only_at_risk, "Chỉ xã có nguy cơ thu hồi");
        // The label stays whole and with its list: both go to the next line together.
        if ui.available_size_before_wrap().x < SORT_CHOICE_WIDTH {
            ui.end_row();
        }
        sort_choice(ui, rs);
    });
    ui.separator();
    other_editions(ui, state, r, commands);
    matrix(ui, state, r, rs, commands);
}

/// The room «Năm:» or «Mục tiêu:» and its list take on a line.
const SCOPE_CHOICE_WIDTH: f32 = 220.0;

/// The room «Sắp xếp:» and its list take on a line.
const SORT_CHOICE_WIDTH: f32 = 260.0;

/// «Sắp xếp:» and its list.
fn sort_choice(ui: &mut egui::Ui, rs: &mut RollupState) {
    let l = ui.add(egui::Label::new("Sắp xếp:").extend());
    egui::ComboBox::from_id_salt("sap_xep_tong_hop")
        .selected_text(match rs.sort {
            Sort::Name => "Theo tên",
            Sort::CriteriaMet => "Tiêu chí đạt nhiều nhất",
            Sort::IndicatorsMet => "Chỉ tiêu đạt nhiều nhất",
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut rs.sort, Sort::Name, "Theo tên");
            ui.selectable_value(&mut rs.sort, Sort::CriteriaMet, "Tiêu chí đạt nhiều nhất");
            ui.selectable_value(&mut rs.sort, Sort::IndicatorsMet, "Chỉ tiêu đạt nhiều nhất");
        })
        .response
        .labelled_by(l.id);
}

/// The edition, year and target of the roll-up; a change is a command, applied (and
/// checked) at the end of the frame.
fn scope_bar(ui: &mut egui::Ui, state: &AppState, r: &RollupJson, commands: &mut Vec<Command>) {
    // While another choice is rolled up behind the window, the lists show it.
    let chosen = state.rollup_filter_chosen();
    let current = RollupFilter {
        edition: chosen.edition.clone().or_else(|| Some(r.edition.clone())),
        ..chosen.clone()
    };
    let mut wanted = current.clone();
    let shown_edition = r
        .editions_available
        .iter()
        .find(|c| Some(&c.code) == current.edition.as_ref() && c.code != r.edition)
        .map_or_else(
            || edition_label(&r.edition_decision, &r.edition_title, &r.edition),
            |c| c.label(),
        );
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Bộ tiêu chí:");
        egui::ComboBox::from_id_salt("bo_tieu_chi_tong_hop")
            .width(420.0)
            .selected_text(shown_edition)
            .show_ui(ui, |ui| {
                for choice in &r.editions_available {
                    ui.selectable_value(
                        &mut wanted.edition,
                        Some(choice.code.clone()),
                        format!("{} ({} xã)", choice.label(), choice.communes),
                    );
                }
            })
            .response
            .labelled_by(l.id);
        // A label and its list go to the next line together.
        if ui.available_size_before_wrap().x < SCOPE_CHOICE_WIDTH {
            ui.end_row();
        }
        let l = ui.add(egui::Label::new("Năm:").extend());
        let mut years: Vec<i32> = state.assessments.iter().map(|a| a.year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        egui::ComboBox::from_id_salt("nam_tong_hop")
            .selected_text(
                wanted
                    .year
                    .map_or("Mới nhất".to_string(), |y| y.to_string()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut wanted.year, None, "Mới nhất");
                for y in years {
                    ui.selectable_value(&mut wanted.year, Some(y), y.to_string());
                }
            })
            .response
            .labelled_by(l.id);
        // A label and its list go to the next line together.
        if ui.available_size_before_wrap().x < SCOPE_CHOICE_WIDTH {
            ui.end_row();
        }
        let l = ui.add(egui::Label::new("Mục tiêu:").extend());
        egui::ComboBox::from_id_salt("muc_tieu_tong_hop")
            .selected_text(wanted.target.map_or("Mọi mục tiêu", Target::label))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut wanted.target, None, "Mọi mục tiêu");
                for t in Target::ALL {
                    ui.selectable_value(&mut wanted.target, Some(*t), t.label());
                }
            })
            .response
            .labelled_by(l.id);
    });
    if wanted != current {
        commands.push(Command::SetRollupFilter(wanted));
    }
}

/// Communes whose latest assessment is on another edition: named, never counted.
fn other_editions(
    ui: &mut egui::Ui,
    state: &AppState,
    r: &RollupJson,
    commands: &mut Vec<Command>,
) {
    if r.other_editions.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!(
        "Xã đánh giá theo bộ tiêu chí khác, không tính vào tổng hợp ({} xã)",
        r.other_editions.len()
    ))
    .id_salt("xa_bo_tieu_chi_khac")
    .default_open(true)
    .show(ui, |ui| {
        for c in &r.other_editions {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .link(state.unit_title(UnitId(c.unit)))
                    .on_hover_text("Mở đợt đánh giá của xã")
                    .clicked()
                {
                    commands.push(Command::SelectUnit(UnitId(c.unit)));
                }
                let decision = r
                    .editions_available
                    .iter()
                    .find(|e| e.code == c.edition)
                    .map_or(String::new(), |e| e.decision.clone());
                ui.add(
                    egui::Label::new(format!(
                        "{}, năm {}",
                        edition_label(&decision, &c.edition_title, &c.edition),
                        c.year
                    ))
                    .wrap(),
                );
            });
        }
    });
    ui.separator();
}

fn tile(ui: &mut egui::Ui, title: &str, value: String) {
    design::tile_frame().show(ui, |ui| {
        ui.vertical(|ui| {
            ui.label(RichText::new(title).small());
            ui.label(RichText::new(value).size(20.0));
        });
    });
}

fn matrix(
    ui: &mut egui::Ui,
    state: &AppState,
    r: &RollupJson,
    rs: &mut RollupState,
    commands: &mut Vec<Command>,
) {
    let sort = match rs.sort {
        Sort::Name => 0,
        Sort::CriteriaMet => 1,
        Sort::IndicatorsMet => 2,
    };
    let choices = (
        rs.query.clone(),
        rs.only_not_eligible,
        rs.only_at_risk,
        sort,
    );
    let view = View::refreshed(rs.view.take(), ui, state, r, choices);
    ui.label(RichText::new(format!("{} xã hiển thị", view.rows.len())).small());
    // The commune names stay at the left while the criteria scroll sideways; both grids
    // share the screen's vertical scroll and one row height so that their rows line up.
    ui.horizontal_top(|ui| {
        name_column(ui, &view, r, commands);
        egui::ScrollArea::horizontal()
            .id_salt("ma_tran_ngang")
            .auto_shrink([false, true])
            .show(ui, |ui| verdict_grid(ui, r, &view));
    });
    ui.add_space(design::SECTION_GAP);
    share_chart(ui, r, &view);
    rs.view = Some(view);
}

/// For each criterion, the share of the communes shown that meet it, as a bar.
fn share_chart(ui: &mut egui::Ui, r: &RollupJson, view: &View) {
    design::section_heading(ui, "Tỷ lệ xã đạt từng tiêu chí (các xã đang hiển thị)");
    let total = view.rows.len();
    let bars: Vec<(f32, String)> = r
        .edition_criteria
        .iter()
        .zip(&view.met)
        .map(|(c, met)| {
            let fraction = if total == 0 {
                0.0
            } else {
                *met as f32 / total as f32
            };
            let label = format!(
                "TC {}: {met}/{total} xã ({} %)",
                c.number,
                format_number(f64::from(fraction) * 100.0, 0)
            );
            (fraction, label)
        })
        .collect();
    let fill = verdict_color(Verdict::Met);
    for (bar, c) in design::chart_bars(ui, &bars, SHARE_CHART_WIDTH, fill)
        .into_iter()
        .zip(&r.edition_criteria)
    {
        bar.on_hover_text(format!("Tiêu chí {}: {}", c.number, c.name));
    }
}

/// The width of a bar of the share chart with its label.
const SHARE_CHART_WIDTH: f32 = 560.0;
