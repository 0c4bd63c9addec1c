//! The left panel: the province → commune tree with search, adding a unit, and starting
//! an assessment for the selected commune.

use crate::app::state::{AppState, Command};
use crate::app::units::{UnitForm, display_name};
use crate::domain::ids::UnitId;
use crate::domain::units::UnitRecord;
use crate::domain::units::{Target, UnitKind};
use crate::domain::vn_text::fold;
use std::collections::{HashMap, HashSet};

mod form;
use form::unit_form;

/// Drafts typed in the panel, kept across frames.
#[derive(Default)]
pub struct Drafts {
    search: String,
    form: UnitForm,
    /// The form is open: for a new unit (`None`) or to edit one.
    open: Option<Option<UnitId>>,
    edition: String,
    target: String,
    year: String,
    /// The assessment whose edition, target and year the new-assessment form took.
    followed: Option<crate::domain::ids::AssessmentId>,
}

/// Draws the panel.
pub fn units_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    drafts: &mut Drafts,
    commands: &mut Vec<Command>,
) {
    ui.heading("Đơn vị hành chính");
    ui.horizontal(|ui| {
        let label = ui.label("Tìm:");
        ui.add(
            egui::TextEdit::singleline(&mut drafts.search)
                .hint_text("gõ không dấu cũng được")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("cay_don_vi")
        .max_height(ui.available_height() * 0.55)
        .show(ui, |ui| {
            if state.units.is_empty() {
                ui.label("Chưa có đơn vị nào. Hãy thêm tỉnh, rồi đến xã.");
            }
            let index = TreeIndex::new(&state.units, &drafts.search);
            tree(ui, state, &index, (None, 0), commands);
        });
    ui.separator();
    // What is under the tree scrolls: with the text scaled up, «Tạo đợt đánh giá» fell
    // below the window's bottom edge. Its bar is always there, so that opening the unit
    // form does not narrow the panel's fields under the pointer.
    egui::ScrollArea::vertical()
        .id_salt("duoi_cay")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .auto_shrink([false, true])
        .show(ui, |ui| below_tree(ui, state, drafts, commands));
}

/// The unit's buttons or form, its recognitions and its assessments.
fn below_tree(
    ui: &mut egui::Ui,
    state: &AppState,
    drafts: &mut Drafts,
    commands: &mut Vec<Command>,
) {
    follow_selection(ui, state, drafts);
    if let Some(editing) = drafts.open {
        unit_form(ui, state, drafts, editing, commands);
    } else {
        ui.horizontal(|ui| {
            if ui.button("Thêm đơn vị…").clicked() {
                drafts.open = Some(None);
                drafts.form = UnitForm {
                    kind: default_child_kind(state).code().to_string(),
                    parent: state
                        .selected_unit
                        .map(|u| u.to_string())
                        .unwrap_or_default(),
                    ..UnitForm::default()
                };
            }
            if let Some(unit) = state
                .selected_unit
                .and_then(|id| state.units.iter().find(|u| u.id == id))
                && ui.button("Sửa đơn vị…").clicked()
            {
                drafts.open = Some(Some(unit.id));
                drafts.form = UnitForm::from_record(unit);
            }
        });
    }
    if let Some(unit) = state
        .selected_unit
        .and_then(|id| state.units.iter().find(|u| u.id == id))
    {
        super::unit_conditions::recognitions_ui(ui, state, unit.id, unit.kind, commands);
    }
    if let Some(unit) = state
        .selected_unit
        .and_then(|id| state.units.iter().find(|u| u.id == id))
        && matches!(
            unit.kind,
            UnitKind::Commune | UnitKind::District | UnitKind::Province
        )
    {
        ui.separator();
        new_assessment(ui, state, unit, drafts, commands);
    }
}

/// The edit form of a unit other than the one now selected in the tree closes when
/// nothing was typed in it; with unsaved changes it stays open, the typed text kept, and
/// says which unit it edits.
fn follow_selection(ui: &mut egui::Ui, state: &AppState, drafts: &mut Drafts) {
    let Some(Some(editing)) = drafts.open else {
        return;
    };
    if state.selected_unit == Some(editing) {
        return;
    }
    let unchanged = state
        .units
        .iter()
        .find(|u| u.id == editing)
        .is_none_or(|u| UnitForm::from_record(u) == drafts.form);
    if unchanged {
        drafts.open = None;
        return;
    }
    ui.label(
        egui::RichText::new(format!(
            "Đang sửa {} (chưa lưu), không phải đơn vị đang chọn: lưu hoặc hủy trước khi sửa đơn vị khác.",
            state.unit_title(editing)
        ))
        .color(super::design::WARNING_TEXT),
    );
}

fn default_child_kind(state: &AppState) -> UnitKind {
    match state
        .selected_unit
        .and_then(|id| state.units.iter().find(|u| u.id == id))
        .map(|u| u.kind)
    {
        None => UnitKind::Province,
        Some(UnitKind::Province) | Some(UnitKind::District) => UnitKind::Commune,
        Some(_) => UnitKind::Village,
    }
}

/// The tree's children and, while searching, the units to show: built once per frame in
/// one pass over the units (each name folded once), so drawing is linear in the number of
/// units rather than quadratic.
struct TreeIndex<'a> {
    children: HashMap<Option<UnitId>, Vec<&'a UnitRecord>>,
    /// `None` without a search: every unit is shown.
    visible: Option<HashSet<UnitId>>,
}

impl<'a> TreeIndex<'a> {
    fn new(all: &'a [UnitRecord], query: &str) -> Self {
        let mut children: HashMap<Option<UnitId>, Vec<&UnitRecord>> = HashMap::new();
        for u in all {
            children.entry(u.parent).or_default().push(u);
        }
        Self {
            children,
            visible: visible_units(all, query),
        }
    }

    fn shown(&self, parent: Option<UnitId>) -> impl Iterator<Item = &'a UnitRecord> + '_ {
        self.children
            .get(&parent)
            .into_iter()
            .flatten()
            .copied()
            .filter(|u| self.visible.as_ref().is_none_or(|v| v.contains(&u.id)))
    }

    fn has_children(&self, unit: UnitId) -> bool {
        self.children
            .get(&Some(unit))
            .is_some_and(|c| !c.is_empty())
    }
}

/// The units a search shows: those whose name holds every word of the query (diacritics
/// and case ignored), and their ancestors so that each match can be reached. `None` for
/// an empty query (everything is shown).
fn visible_units(all: &[UnitRecord], query: &str) -> Option<HashSet<UnitId>> {
    let words: Vec<String> = fold(query).split_whitespace().map(String::from).collect();
    if words.is_empty() {
        return None;
    }
    let parent_of: HashMap<UnitId, Option<UnitId>> = all.iter().map(|u| (u.id, u.parent)).collect();
    let mut visible = HashSet::new();
    for u in all {
        let name = fold(&u.name);
        if words.iter().all(|w| name.contains(w.as_str())) {
            let mut next = Some(u.id);
            // Stops at the root, or where an earlier match already marked the way up
            // (which also ends a loop in damaged data).
            while let Some(id) = next {
                if !visible.insert(id) {
                    break;
                }
                next = parent_of.get(&id).copied().flatten();
            }
        }
    }
    Some(visible)
}

/// One level of the unit tree; `depth` stops the nesting at the tree's depth limit, so
/// no chain of parents can overflow the stack.
fn tree(
    ui: &mut egui::Ui,
    state: &AppState,
    index: &TreeIndex,
    (parent, depth): (Option<UnitId>, usize),
    commands: &mut Vec<Command>,
) {
    if depth >= crate::app::units::MAX_TREE_DEPTH {
        return;
    }
    for unit in index.shown(parent) {
        let selected = state.selected_unit == Some(unit.id);
        let text = display_name(unit);
        if index.has_children(unit.id) {
            let id = ui.make_persistent_id(("don_vi", unit.id.0));
            egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, true)
                .show_header(ui, |ui| {
                    if ui.selectable_label(selected, text).clicked() {
                        commands.push(Command::SelectUnit(unit.id));
                    }
                })
                .body(|ui| tree(ui, state, index, (Some(unit.id), depth + 1), commands));
        } else if ui.selectable_label(selected, text).clicked() {
            commands.push(Command::SelectUnit(unit.id));
        }
    }
}

fn new_assessment(
    ui: &mut egui::Ui,
    state: &AppState,
    unit: &UnitRecord,
    drafts: &mut Drafts,
    commands: &mut Vec<Command>,
) {
    ui.strong(format!("Đợt đánh giá của {}", display_name(unit)));
    for a in state.assessments.iter().filter(|a| a.unit == unit.id) {
        let selected = state.current.as_ref().is_some_and(|c| c.record.id == a.id);
        if ui
            .selectable_label(
                selected,
                format!(
                    "Năm {} — {} ({})",
                    a.year,
                    state.edition_label(&a.edition_code),
                    a.target.label()
                ),
            )
            .clicked()
        {
            commands.push(Command::SelectAssessment(a.id));
        }
    }
    // The form starts from the selected assessment of this unit (its edition, target
    // and year), not from the newest edition.
    if let Some(c) = state.current.as_ref().filter(|c| c.unit.id == unit.id)
        && drafts.followed != Some(c.record.id)
    {
        drafts.followed = Some(c.record.id);
        drafts.edition = c.record.edition_code.to_string();
        drafts.target = c.record.target.code().to_string();
        drafts.year = c.record.year.to_string();
    }
    let editions = state.editions_for_unit(unit);
    if drafts.edition.is_empty() || !editions.iter().any(|(c, _)| *c == drafts.edition) {
        drafts.edition = editions.first().map(|(c, _)| c.clone()).unwrap_or_default();
    }
    if drafts.year.is_empty() {
        drafts.year = crate::app::today().year.to_string();
    }
    let targets = state
        .parsed_editions
        .iter()
        .find(|e| e.code.as_str() == drafts.edition)
        .map(|e| e.targets.clone())
        .unwrap_or_default();
    if !targets.iter().any(|t| t.code() == drafts.target) {
        drafts.target = targets
            .first()
            .map_or("ntm".to_string(), |t| t.code().to_string());
    }
    ui.add_space(6.0);
    ui.strong("Tạo đợt đánh giá mới");
    egui::Grid::new("dot_moi").num_columns(2).show(ui, |ui| {
        let l = ui.label("Bộ tiêu chí");
        egui::ComboBox::from_id_salt("bo_tieu_chi")
            .selected_text(state.edition_label(&drafts.edition))
            .width(260.0)
            // A long edition name is cut with «…» instead of widening the unit panel.
            .truncate()
            .show_ui(ui, |ui| {
                for (code, title) in &editions {
                    ui.selectable_value(
                        &mut drafts.edition,
                        code.clone(),
                        format!("{} ({title})", state.edition_label(code)),
                    )
                    .on_hover_text(format!("Mã: {code}"));
                }
            })
            .response
            // The whole name, for the part the «…» hides.
            .on_hover_text(state.edition_label(&drafts.edition))
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label("Mục tiêu");
        let shown = Target::from_code(&drafts.target).map_or("", |t| t.label());
        egui::ComboBox::from_id_salt("muc_tieu")
            .selected_text(shown)
            .width(200.0)
            .show_ui(ui, |ui| {
                for t in &targets {
                    ui.selectable_value(&mut drafts.target, t.code().to_string(), t.label());
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label("Năm");
        ui.add(egui::TextEdit::singleline(&mut drafts.year).desired_width(64.0))
            .labelled_by(l.id);
        ui.end_row();
    });
    if ui.button("Tạo đợt đánh giá").clicked() {
        match drafts.year.trim().parse() {
            Ok(year) => commands.push(Command::NewAssessment {
                unit: unit.id,
                edition: drafts.edition.clone(),
                target: drafts.target.clone(),
                year,
            }),
            Err(_) => commands.push(Command::ShowError(format!(
                "Năm «{}» không hợp lệ.",
                drafts.year.trim()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent: Option<i64>, name: &str) -> UnitRecord {
        UnitRecord {
            id: UnitId(id),
            parent: parent.map(UnitId),
            name: name.into(),
            kind: UnitKind::Commune,
            official_code: None,
            region: None,
            group: None,
            flags: Vec::new(),
            merged_from: Vec::new(),
        }
    }

    #[test]
    fn r_unit_search_quadratic_on_every_frame() {
        // The search index is built in one pass: a match shows its ancestors, a
        // non-matching branch is hidden, and an empty query shows everything.
        let all = vec![
            unit(1, None, "Tỉnh Hưng Yên"),
            unit(2, Some(1), "Xã Đoàn Đào"),
            unit(3, Some(2), "Thôn Đông"),
            unit(4, Some(1), "Xã Tân Tiến"),
            unit(5, None, "Tỉnh Thái Bình"),
        ];
        let v = visible_units(&all, "dong").unwrap();
        assert_eq!(v, [UnitId(1), UnitId(2), UnitId(3)].into_iter().collect());
        let v = visible_units(&all, "  xa TIEN ").unwrap();
        assert_eq!(v, [UnitId(1), UnitId(4)].into_iter().collect());
        assert!(visible_units(&all, "   ").is_none());
        let index = TreeIndex::new(&all, "dao");
        let top: Vec<_> = index.shown(None).map(|u| u.id).collect();
        assert_eq!(top, vec![UnitId(1)]);
        let under: Vec<_> = index.shown(Some(UnitId(1))).map(|u| u.id).collect();
        assert_eq!(under, vec![UnitId(2)]);
        assert!(index.has_children(UnitId(2)));
        assert!(!index.has_children(UnitId(3)));
    }

    #[test]
    fn unit_search_survives_a_parent_loop() {
        let all = vec![unit(1, Some(2), "Xã A"), unit(2, Some(1), "Xã B")];
        let v = visible_units(&all, "xa").unwrap();
        assert_eq!(v.len(), 2);
    }
}
