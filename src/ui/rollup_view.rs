//! What the roll-up screen shows of its communes, computed once per data generation and
//! choice of search, filters and order rather than at every frame (issue 12: a frame of
//! the roll-up of 500 communes under 8 ms): the rows in order with their names, each
//! one's verdict per criterion, the share chart's counts and the width of the name column.
//! Rows out of sight are not drawn ([`row_hidden`]).

use crate::app::report::RollupJson;
use crate::app::state::AppState;
use crate::domain::ids::UnitId;
use crate::domain::units::Verdict;
use crate::domain::vn_text::{fold, matches_search};

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
        let titles: std::collections::HashMap<UnitId, String> = state
            .units
            .iter()
            .map(|u| (u.id, crate::app::units::display_name(u)))
            .collect();
        let rows: Vec<(usize, String, Vec<Verdict>)> = order
            .into_iter()
            .filter_map(|k| {
                let c = communes.get(k)?;
                let name = titles
                    .get(&UnitId(c.unit))
                    .cloned()
                    .unwrap_or_else(|| format!("đơn vị số {}", c.unit));
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
        let name_width = ui.fonts_mut(|f| {
            rows.iter()
                .map(|(_, name, _)| f.layout_no_wrap(name.clone(), font.clone(), color).size().x)
                .fold(0.0, f32::max)
        });
        View {
            key,
            rows,
            met,
            name_width,
        }
    }
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
