//! The walk-through: the criteria on the left with their status, the selected
//! criterion's indicators in order on the right. Every field is saved as soon as it
//! loses focus (Tab, Enter, a click elsewhere); choices are saved when made; what is
//! still being typed is saved when the window closes.

mod card;
mod criterion;
mod evidence;
mod inputs;

use super::design::verdict_color;
use super::thumbs::Thumbs;
use crate::app::assessment::{Loaded, ValueForm};
use crate::app::state::{AppState, Command};
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use egui::RichText;
use std::collections::HashMap;

/// What a list of linked files was made for: data generation, address and length of
/// the evidence list.
type LinkedKey = (u64, usize, usize);

/// What the walk-through remembers between frames.
#[derive(Default)]
pub struct WalkState {
    criterion: Option<u32>,
    /// Forms as typed, per indicator code.
    drafts: HashMap<String, ValueForm>,
    /// Forms as stored, to tell what changed.
    saved: HashMap<String, ValueForm>,
    synced: Option<(AssessmentId, u64)>,
    /// Criterion ratings as typed: verdict code and reason.
    ratings: HashMap<u32, (String, String)>,
    /// Criterion ratings as stored, to tell what is being typed.
    saved_ratings: HashMap<u32, (String, String)>,
    /// The indicator last worked on (drop target, start of "next missing").
    focused: Option<String>,
    /// The indicator card under the pointer.
    hovered: Option<String>,
    /// The indicator whose text field has focus: its draft is not replaced on refresh.
    editing: Option<String>,
    scroll_to: Option<String>,
    /// The height of an evidence row as last drawn (rows out of sight take it undrawn).
    evidence_row_height: Option<f32>,
    /// The files linked to each indicator (places in `AppState::evidence`), and what
    /// they were listed for: data generation, address and length of the list.
    linked: Option<(LinkedKey, HashMap<String, Vec<usize>>)>,
}

impl WalkState {
    /// Shows a criterion (from the dashboard).
    pub fn select_criterion(&mut self, number: u32) {
        self.criterion = Some(number);
        self.focused = None;
        self.scroll_to = None;
    }

    /// Shows a criterion and brings one of its indicators into view (a missing item
    /// clicked on the dashboard).
    pub fn open(&mut self, number: u32, indicator: Option<String>) {
        self.select_criterion(number);
        self.scroll_to = indicator.clone();
        self.focused = indicator;
    }

    /// Where dropped files go: the card under the pointer, else the one worked on.
    pub fn drop_target(&self) -> Option<String> {
        self.hovered.clone().or_else(|| self.focused.clone())
    }

    /// The files linked to each indicator, listed once per data generation rather than
    /// searched through every file for every card at every frame.
    fn linked(&mut self, state: &AppState) -> &HashMap<String, Vec<usize>> {
        let key = (
            state.generation,
            state.evidence.as_ptr() as usize,
            state.evidence.len(),
        );
        if self.linked.as_ref().map(|(k, _)| *k) != Some(key) {
            let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
            for (k, e) in state.evidence.iter().enumerate() {
                for code in &e.indicators {
                    let list = by_code.entry(code.to_string()).or_default();
                    if list.last() != Some(&k) {
                        list.push(k);
                    }
                }
            }
            self.linked = Some((key, by_code));
        }
        &self.linked.get_or_insert_with(Default::default).1
    }

    /// Saves for every form typed but not yet saved.
    pub fn pending_saves(&self, state: &AppState) -> Vec<Command> {
        if self.synced.map(|(id, _)| id) != state.current.as_ref().map(|c| c.record.id) {
            return Vec::new();
        }
        let mut codes: Vec<(&String, &ValueForm)> = self
            .drafts
            .iter()
            .filter(|(code, form)| {
                // Only this assessment's indicators (`saved` holds every one of them).
                self.saved.get(*code).is_some_and(|saved| saved != *form)
            })
            .collect();
        codes.sort_by(|a, b| a.0.cmp(b.0));
        codes
            .into_iter()
            .map(|(code, form)| Command::SaveValue(code.clone(), form.clone()))
            .collect()
    }

    /// Rebuilds the forms from the stored values after any change, keeping what the user
    /// has typed and not saved: in the field that has focus, and in any other whose
    /// stored value did not move (a half-typed ratio left for another card, a reason
    /// being typed when the file changed elsewhere, a value whose save is still being
    /// read back behind the window).
    fn sync(&mut self, loaded: &Loaded, generation: u64) {
        let key = (loaded.record.id, generation);
        if self.synced == Some(key) {
            return;
        }
        let same_assessment = self.synced.map(|(id, _)| id) == Some(loaded.record.id);
        let criterion_known = self
            .criterion
            .is_some_and(|n| loaded.edition.criteria.iter().any(|c| c.number == n));
        // A criterion chosen on the dashboard before the first visit is kept.
        if self.synced.is_some() && !same_assessment || !criterion_known {
            self.criterion = loaded.edition.criteria.first().map(|c| c.number);
        }
        if !same_assessment {
            // An indicator opened from the dashboard before the first visit is kept.
            if self.synced.is_some() {
                self.focused = None;
            }
            self.ratings.clear();
            self.saved_ratings.clear();
            // Drafts belong to one assessment: another edition's indicators left here
            // would be saved against this one on the next change of screen or assessment.
            self.drafts.clear();
        }
        let mut saved = HashMap::new();
        for (_, ind) in loaded.edition.indicators() {
            let code = ind.code.to_string();
            let form = ValueForm::from_record(loaded.values.get(&code));
            let typed = self.drafts.get(&code) != self.saved.get(&code);
            let focused = self.editing.as_deref() == Some(code.as_str());
            let unmoved = self.saved.get(&code) == Some(&form);
            let keep = same_assessment && typed && (focused || unmoved);
            if !keep {
                self.drafts.insert(code.clone(), form.clone());
            }
            saved.insert(code, form);
        }
        self.saved = saved;
        for c in &loaded.status.criteria {
            let stored = c
                .manual
                .as_ref()
                .map(|m| (m.verdict.code().to_string(), m.reason.clone()))
                .unwrap_or_default();
            let typed = self.ratings.get(&c.number) != self.saved_ratings.get(&c.number);
            let unmoved = self.saved_ratings.get(&c.number) == Some(&stored);
            if !(same_assessment && typed && unmoved) {
                self.ratings.insert(c.number, stored.clone());
            }
            self.saved_ratings.insert(c.number, stored);
        }
        self.synced = Some(key);
    }

    fn save_if_changed(&self, code: &str, commands: &mut Vec<Command>) {
        if let Some(draft) = self.drafts.get(code)
            && self.saved.get(code) != Some(draft)
        {
            commands.push(Command::SaveValue(code.to_string(), draft.clone()));
        }
    }

    /// The criterion and indicator after the current position that still lack something.
    fn next_missing(&self, loaded: &Loaded) -> Option<(u32, Option<String>)> {
        let mut order: Vec<(u32, Option<String>)> = Vec::new();
        for c in &loaded.edition.criteria {
            order.push((c.number, None));
            order.extend(
                c.indicators
                    .iter()
                    .map(|i| (c.number, Some(i.code.to_string()))),
            );
        }
        let here = order
            .iter()
            .position(|(n, code)| {
                Some(*n) == self.criterion
                    && (code.is_none() && self.focused.is_none()
                        || code.is_some() && *code == self.focused)
            })
            .unwrap_or(0);
        let positions: Vec<usize> = loaded
            .status
            .missing
            .iter()
            .filter_map(|m| {
                let n = m.criterion?;
                order.iter().position(|(on, oc)| {
                    *on == n && (m.indicator.is_none() && oc.is_none() || *oc == m.indicator)
                })
            })
            .collect();
        let next = positions
            .iter()
            .copied()
            .filter(|p| *p > here)
            .min()
            .or_else(|| positions.iter().copied().min())?;
        order.get(next).cloned()
    }
}

/// Draws the walk-through.
pub fn walk_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    walk: &mut WalkState,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) {
    let Some(loaded) = state.current.as_ref() else {
        return;
    };
    walk.sync(loaded, state.generation);
    egui::Panel::left("ds_tieu_chi")
        .resizable(true)
        .default_size(CRITERIA_LIST_WIDTH)
        .show(ui, |ui| criteria_list(ui, loaded, walk));
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(criterion) = walk
            .criterion
            .and_then(|n| loaded.edition.criteria.iter().find(|c| c.number == n))
        else {
            ui.label("Bộ tiêu chí này chưa có tiêu chí nào.");
            return;
        };
        let status = loaded
            .status
            .criteria
            .iter()
            .find(|c| c.number == criterion.number);
        ui.label(
            RichText::new(loaded.edition.decision_label())
                .small()
                .color(super::design::MUTED_TEXT),
        );
        read_only_note(ui, state);
        criterion::criterion_header(ui, state, loaded, criterion, status, walk, commands);
        ui.separator();
        walk.hovered = None;
        walk.editing = None;
        egui::ScrollArea::vertical()
            .id_salt("chi_tieu")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if criterion.indicators.is_empty() {
                    ui.label(
                        "Bộ tiêu chí chưa có danh mục chỉ tiêu của tiêu chí này. Hãy nhập bản \
                         đầy đủ của tỉnh ở màn hình «Danh mục tiêu chí», hoặc kết luận cả tiêu chí \
                         ở trên kèm lý do.",
                    );
                }
                for ind in &criterion.indicators {
                    let st = status
                        .and_then(|s| s.indicators.iter().find(|i| i.code == ind.code.as_str()));
                    card::indicator_card(ui, state, loaded, (ind, st), walk, thumbs, commands);
                    ui.add_space(8.0);
                }
            });
    });
}

/// The criteria list's width at first: names wrap, so that the indicator cards keep
/// room for two fields a row at 1366 px.
const CRITERIA_LIST_WIDTH: f32 = 210.0;

/// For a round received from a commune: why the fields below cannot be changed.
pub(crate) fn read_only_note(ui: &mut egui::Ui, state: &AppState) {
    if let Some((round, _)) = &state.received {
        ui.label(
            RichText::new(crate::app::received::read_only_note(*round))
                .color(verdict_color(Verdict::MostlyMet)),
        );
    }
}

fn criteria_list(ui: &mut egui::Ui, loaded: &Loaded, walk: &mut WalkState) {
    ui.strong("Tiêu chí");
    egui::ScrollArea::vertical()
        .id_salt("ds_tieu_chi_cuon")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for c in &loaded.status.criteria {
                let selected = walk.criterion == Some(c.number);
                let met = c
                    .indicators
                    .iter()
                    .filter(|i| i.verdict == Verdict::Met)
                    .count();
                let counts = if c.indicators.is_empty() {
                    String::new()
                } else {
                    format!(" ({met}/{})", c.indicators.len())
                };
                let text = RichText::new(format!("{}. {}{counts}", c.number, c.name))
                    .color(verdict_color(c.verdict));
                let response = ui
                    .add(egui::Button::selectable(selected, text).wrap())
                    .on_hover_text(c.verdict.label());
                if response.clicked() {
                    walk.select_criterion(c.number);
                }
            }
        });
}
