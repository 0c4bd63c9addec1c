//! What the roll-up screen shows of its communes, computed once per data generation and
//! choice of search, filters and order rather than at every frame (issue 12: a frame of
//! the roll-up of 500 communes under 8 ms): the rows in order with their names, each
//! one's verdict per criterion, the share chart's counts and the width of the name column.
//! The matrix rows are drawn here from the view (names, verdict cells, counts); rows out
//! of sight are not drawn ([`row_hidden`]).

use super::design::{self, verdict_color, verdict_fill};
use crate::app::report::{RollupCommune, RollupJson};
use crate::app::state::{AppState, Command};
use crate::domain::ids::UnitId;
use crate::domain::units::Verdict;
use crate::domain::vn_text::{fold, matches_search};
use egui::RichText;

/// The choices a view depends on besides the data: search, the two filters, the order
/// (0 by name, 1 by criteria met, 2 by indicators met).
pub(super) type Choices = (String, bool, bool, u8);

/// The rows of the matrix as shown.
pub(super) struct View {
    /// The data generation and choices it was computed for.
    key: (u64, Choices),
    /// Each row: the commune's place in the roll-up, its name as shown, and its verdict
    /// per criterion in the order of the roll-up's columns.
    pub rows: Vec<(usize, String, Vec<Verdict>)>,
    /// Per criterion column: how many of the rows shown meet it.
    pub met: Vec<usize>,
    /// The width of the longest name shown, so the column does not move while scrolling.
    pub name_width: f32,
}

impl View {
    /// The view for `choices`, reused when neither the data nor the choices changed.
    pub(super) fn refreshed(
        kept: Option<View>,
        ui: &egui::Ui,
        state: &AppState,
        r: &RollupJson,
        choices: Choices,
    ) -> View {
        let key = (state.generation, choices);
        match kept {
            Some(v) if v.key == key => v,
            _ => Self::new(ui, state, r, key),
        }
    }

    fn new(ui: &egui::Ui, state: &AppState, r: &RollupJson, key: (u64, Choices)) -> View {
        let (query, only_not_eligible, only_at_risk, sort) = &key.1;
        let mut order: Vec<usize> = r
            .communes
            .iter()
            .enumerate()
            .filter(|(_, c)| query.trim().is_empty() || matches_search(&c.name, query))
            .filter(|(_, c)| !only_not_eligible || !c.eligible)
            .filter(|(_, c)| !only_at_risk || c.revocation_risk != "khong")
            .map(|(k, _)| k)
            .collect();
        let communes = &r.communes;
        match sort {
            0 => order.sort_by_cached_key(|k| communes.get(*k).map(|c| fold(&c.name))),
            1 => order.sort_by_key(|k| std::cmp::Reverse(communes.get(*k).map(|c| c.criteria_met))),
            _ => {
                order.sort_by_key(|k| std::cmp::Reverse(communes.get(*k).map(|c| c.indicators_met)))
            }
        }
        // Names are made only for the communes shown, not for every unit of the tree.
        let units: std::collections::HashMap<UnitId, &crate::domain::units::UnitRecord> =
            state.units.iter().map(|u| (u.id, u)).collect();
        let rows: Vec<(usize, String, Vec<Verdict>)> = order
            .into_iter()
            .filter_map(|k| {
                let c = communes.get(k)?;
                let name = units.get(&UnitId(c.unit)).map_or_else(
                    || format!("đơn vị số {}", c.unit),
                    |u| crate::app::units::display_name(u),
                );
                let verdicts = r
                    .edition_criteria
                    .iter()
                    .map(|col| {
                        c.criteria
                            .iter()
                            .find(|x| x.number == col.number)
                            .and_then(|x| Verdict::from_code(x.verdict))
                            .unwrap_or(Verdict::NotAssessed)
                    })
                    .collect();
                Some((k, name, verdicts))
            })
            .collect();
        let met = (0..r.edition_criteria.len())
            .map(|i| {
                rows.iter()
                    .filter(|(_, _, v)| v.get(i) == Some(&Verdict::Met))
                    .count()
            })
            .collect();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let color = ui.visuals().text_color();
        let name_width =
            ui.fonts_mut(|f| widest(f, rows.iter().map(|(_, n, _)| n.as_str()), &font, color));
        View {
            key,
            rows,
            met,
            name_width,
        }
    }
}

/// How many of the names estimated widest are laid out exactly.
const LAID_OUT: usize = 8;

/// The width of the widest of `names` as drawn: each name's width is first estimated as
/// the sum of its glyphs' advances (cheap, no layout), then only the few estimated widest
/// are laid out exactly (issue 12: laying out all 500 names made the frame that shows a
/// new roll-up take 18 ms).
fn widest<'a>(
    f: &mut egui::epaint::text::FontsView<'_>,
    names: impl Iterator<Item = &'a str>,
    font: &egui::FontId,
    color: egui::Color32,
) -> f32 {
    let mut estimated: Vec<(f32, &str)> = names
        .map(|n| (n.chars().map(|c| f.glyph_width(font, c)).sum(), n))
        .collect();
    estimated.sort_by(|a, b| b.0.total_cmp(&a.0));
    estimated
        .iter()
        .take(LAID_OUT)
        .map(|(_, n)| {
            f.layout_no_wrap((*n).to_string(), font.clone(), color)
                .size()
                .x
        })
        .fold(0.0, f32::max)
}

/// True when a row of `height` starting at the cursor is out of sight; its place is then
/// taken without drawing it.
pub(super) fn row_hidden(ui: &mut egui::Ui, height: f32) -> bool {
    let size = egui::vec2(1.0, height);
    if ui.is_rect_visible(egui::Rect::from_min_size(ui.cursor().min, size)) {
        return false;
    }
    ui.allocate_space(size);
    true
}

/// The communes' names, each a link to its assessment; rows out of sight keep their
/// place undrawn.
pub(super) fn name_column(
    ui: &mut egui::Ui,
    view: &View,
    r: &RollupJson,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("ma_tran_ten_xa")
        .striped(true)
        .spacing(MATRIX_SPACING)
        .min_row_height(ROW_HEIGHT)
        .min_col_width(view.name_width)
        .show(ui, |ui| {
            ui.strong("Xã");
            ui.end_row();
            for (k, name, _) in &view.rows {
                if !row_hidden(ui, ROW_HEIGHT)
                    && ui
                        .link(name)
                        .on_hover_text("Mở đợt đánh giá của xã")
                        .clicked()
                    && let Some(c) = r.communes.get(*k)
                {
                    commands.push(Command::SelectUnit(UnitId(c.unit)));
                }
                ui.end_row();
            }
        });
}

/// One cell per criterion (colour and Đ / CB / C), then the counts and the standing.
pub(super) fn verdict_grid(ui: &mut egui::Ui, r: &RollupJson, view: &View) {
    egui::Grid::new("ma_tran_xa")
        .striped(true)
        .spacing(MATRIX_SPACING)
        .min_row_height(ROW_HEIGHT)
        .show(ui, |ui| {
            for c in &r.edition_criteria {
                ui.strong(format!("{}", c.number))
                    .on_hover_text(format!("Tiêu chí {}: {}", c.number, c.name));
            }
            ui.strong("Tiêu chí đạt");
            ui.strong("Chỉ tiêu đạt");
            ui.strong("Từ đầu năm");
            ui.strong("Công nhận");
            ui.end_row();
            for (k, _, verdicts) in &view.rows {
                let Some(c) = r.communes.get(*k) else {
                    continue;
                };
                if !row_hidden(ui, ROW_HEIGHT) {
                    for (col, v) in r.edition_criteria.iter().zip(verdicts) {
                        verdict_cell(ui, col.number, *v);
                    }
                    counts(ui, c);
                }
                ui.end_row();
            }
        });
}

/// The space between the matrix's columns and rows: the headings «Tiêu chí đạt»,
/// «Chỉ tiêu đạt»… ran into each other at 4 points.
const MATRIX_SPACING: [f32; 2] = [10.0, 4.0];

/// The height of every row of the matrix, names and cells alike.
const ROW_HEIGHT: f32 = 24.0;

/// The short mark written in a matrix cell beside its colour.
fn verdict_mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "Đ",
        Verdict::MostlyMet => "CB",
        Verdict::NotMet => "C",
        Verdict::NotAssessed => "",
    }
}

/// A criterion's cell: the verdict's colour with its mark, so it reads without colour.
fn verdict_cell(ui: &mut egui::Ui, n: u32, v: Verdict) {
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(28.0, 20.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 3.0, verdict_fill(v));
    ui.painter().rect_stroke(
        rect,
        3.0,
        egui::Stroke::new(1.0, verdict_color(v)),
        egui::StrokeKind::Inside,
    );
    let mark = verdict_mark(v);
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        mark,
        egui::FontId::proportional(design::SMALL_SIZE),
        verdict_color(v),
    );
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{n}: {mark}")));
    resp.on_hover_text(format!("Tiêu chí {n}: {}", v.label()));
}

/// The commune's counts, its change since the start of the year and its standing.
fn counts(ui: &mut egui::Ui, c: &RollupCommune) {
    ui.label(format!("{}/{}", c.criteria_met, c.criteria_total));
    ui.label(format!("{}/{}", c.indicators_met, c.indicators_total));
    ui.label(match c.criteria_met_year_start {
        Some(s) => {
            let d = c.criteria_met as i64 - i64::from(s);
            if d > 0 {
                format!("+{d}")
            } else {
                d.to_string()
            }
        }
        None => "—".into(),
    });
    let (text, color) = match (c.eligible, c.revocation_risk) {
        (true, _) => ("Đủ điều kiện", verdict_color(Verdict::Met)),
        (false, "khong") => ("Chưa", verdict_color(Verdict::NotAssessed)),
        (false, _) => ("Nguy cơ thu hồi", verdict_color(Verdict::NotMet)),
    };
    ui.label(RichText::new(text).color(color));
}
