//! Re-reading what the window shows, apart from the window: [`gather`] reads the lists,
//! the selected assessment with its status, its evidence, conditions and dossier state,
//! and the roll-up, and records today's counts. It works on any connection, so the
//! window runs it on a background thread when another program changed the file
//! ([`super::tasks::reload`]), and installs the result between two frames.

use super::assessment::{self, Loaded};
use super::report::{RollupFilter, RollupJson};
use super::{AppResult, catalog, today};
use crate::domain::catalog::Edition;
use crate::domain::ids::{AssessmentId, EvidenceId, UnitId};
use crate::domain::units::UnitKind;
use crate::domain::vn_text::CivilDate;
use crate::store::{
    AssessmentRecord, ConditionsRecord, EditionRecord, EvidenceRecord, PostingRecord, Review,
    Snapshot, UnitRecord, Workspace,
};

/// The key a roll-up was computed for: unit, filter, change sequence and day.
pub type RollupKey = (UnitId, RollupFilter, i64, CivilDate);

/// What the window had selected when a reload was asked for, and what it can reuse.
#[derive(Clone, Default)]
pub struct Selection {
    /// The selected unit.
    pub unit: Option<UnitId>,
    /// The selected assessment.
    pub assessment: Option<AssessmentId>,
    /// The roll-up filter chosen on its screen.
    pub rollup_filter: RollupFilter,
    /// The roll-up shown and its key: kept when the key has not changed.
    pub rollup: Option<(RollupKey, RollupJson)>,
    /// The editions already parsed (not parsed again when unchanged).
    pub editions: Vec<EditionRecord>,
}

/// What the selected assessment shows, read afresh.
pub struct Current {
    /// The assessment with its status.
    pub loaded: Loaded,
    /// Its evidence.
    pub evidence: Vec<EvidenceRecord>,
    /// Its recognition conditions.
    pub conditions: ConditionsRecord,
    /// Its posting log.
    pub postings: Vec<PostingRecord>,
    /// Signer, date and place of its dossier.
    pub dossier_settings: super::dossier::SettingsForm,
    /// Those of the commune's previous dossier, offered when none are set.
    pub previous_dossier: Option<(i32, super::dossier::SettingsForm)>,
    /// Signed originals by document key.
    pub signed: std::collections::BTreeMap<String, EvidenceId>,
    /// The compiling office's review.
    pub review: Review,
    /// Rounds submitted: round and date.
    pub submissions: Vec<(i64, String)>,
    /// For an assessment received in a bundle: its round and the changes since the
    /// previous one.
    pub received: Option<(i64, Vec<String>)>,
    /// Counts at the start of the year.
    pub year_start: Option<Snapshot>,
    /// The dossier template, if one applies.
    pub dossier_template: Option<super::dossier::Template>,
    /// What the final packet still lacks.
    pub dossier_missing: Vec<super::dossier::DossierGap>,
}

/// Everything [`gather`] read.
pub struct Reloaded {
    /// The change sequence when reading began: a later change is read by the next
    /// reload.
    pub change_seq: i64,
    /// Units in Vietnamese dictionary order.
    pub units: Vec<UnitRecord>,
    /// Assessments.
    pub assessments: Vec<AssessmentRecord>,
    /// Editions as stored.
    pub editions: Vec<EditionRecord>,
    /// Editions parsed, when they changed (`None`: keep those parsed before).
    pub parsed_editions: Option<Vec<Edition>>,
    /// The issuing province of each province copy (edition code, province code).
    pub edition_provinces: Vec<(String, String)>,
    /// The former communes of the selected commune with their status.
    pub former: Vec<(String, String)>,
    /// The roll-up of the selected province or district, with its key.
    pub rollup: Option<(RollupKey, RollupJson)>,
    /// The roll-up filter, reset to the default edition when the chosen one does not
    /// apply.
    pub rollup_filter: RollupFilter,
    /// The selected assessment, if any.
    pub current: Option<Box<Current>>,
}

/// Reads everything the window shows for `selection` and records today's counts of the
/// selected assessment.
pub fn gather(ws: &mut Workspace, selection: Selection) -> AppResult<Reloaded> {
    let change_seq = ws.change_seq()?;
    let mut units = ws.units()?;
    units.sort_by(|a, b| crate::domain::vn_text::vn_cmp(&a.name, &b.name));
    let assessments = ws.assessments()?;
    let editions = ws.editions()?;
    let parsed_editions = (editions != selection.editions).then(|| {
        editions
            .iter()
            .filter_map(|r| catalog::parse_stored(&r.code, &r.content_toml).ok())
            .collect()
    });
    let edition_provinces = super::edition_scope::provinces(ws, &editions)?;
    let selected = selection
        .unit
        .and_then(|u| units.iter().find(|x| x.id == u));
    let former = match selected {
        Some(unit) if !unit.merged_from.is_empty() => super::bundle::former_status(ws, unit)?,
        _ => Vec::new(),
    };
    let mut rollup_filter = selection.rollup_filter;
    let rollup = match selected {
        Some(unit) if matches!(unit.kind, UnitKind::Province | UnitKind::District) => {
            Some(rollup_of(
                ws,
                unit.id,
                &mut rollup_filter,
                selection.rollup,
                change_seq,
            )?)
        }
        _ => None,
    };
    let current = match selection.assessment {
        Some(id) => Some(Box::new(current(ws, id)?)),
        None => None,
    };
    Ok(Reloaded {
        change_seq,
        units,
        assessments,
        editions,
        parsed_editions,
        edition_provinces,
        former,
        rollup,
        rollup_filter,
        current,
    })
}

/// The roll-up of `unit`, reusing `shown` when it was computed for the same key.
fn rollup_of(
    ws: &Workspace,
    unit: UnitId,
    filter: &mut RollupFilter,
    shown: Option<(RollupKey, RollupJson)>,
    change_seq: i64,
) -> AppResult<(RollupKey, RollupJson)> {
    let key = (unit, filter.clone(), change_seq, today());
    if let Some(kept) = shown.filter(|(k, _)| *k == key) {
        return Ok(kept);
    }
    let r = match super::report::rollup_with(ws, unit, filter, today()) {
        Ok(r) => r,
        // An edition chosen for another unit that this one cannot use: back to the
        // default rather than no roll-up at all.
        Err(_) if filter.edition.is_some() => {
            filter.edition = None;
            super::report::rollup_with(ws, unit, filter, today())?
        }
        Err(e) => return Err(e),
    };
    Ok(((unit, filter.clone(), change_seq, key.3), r))
}

/// The selected assessment read afresh; today's counts are recorded.
fn current(ws: &mut Workspace, id: AssessmentId) -> AppResult<Current> {
    let loaded = assessment::load(ws, id, today())?;
    let st = &loaded.status;
    let snapshot = Snapshot {
        criteria_met: st.criteria_met as u32,
        indicators_met: st.indicators_met as u32,
        indicators_with_evidence: st.indicators_with_evidence as u32,
    };
    let day = today();
    // Written only when the counts moved: a reload that changes nothing writes nothing.
    if ws.snapshot_on(id, &day.iso())? != Some(snapshot) {
        ws.put_snapshot(id, &day.iso(), snapshot)?;
    }
    // Followed only since today (a brand-new assessment): nothing to compare with,
    // rather than «không đổi từ đầu năm».
    let year_start = if ws.first_snapshot_day(id)?.as_deref() == Some(day.iso().as_str()) {
        None
    } else {
        ws.snapshot_at_year_start(id, day.year)?
    };
    let dossier_settings = super::dossier::SettingsForm::from_stored(&ws.dossier_settings(id)?);
    let s = &dossier_settings;
    let previous_dossier = if s.signer.is_empty() && s.date.is_empty() && s.place.is_empty() {
        super::dossier::previous_settings(ws, id)?
    } else {
        None
    };
    let received = match ws.imported_from(id)? {
        Some(crate::store::ReceivedFrom { round, .. }) => {
            Some((round, super::bundle::changes_since_previous_round(ws, id)?))
        }
        None => None,
    };
    // The template chosen on the dossier screen, else the rule by year and tree that
    // `dossier build` uses: re-read each time, as either may have changed.
    let (dossier_template, dossier_missing) = match super::dossier::template_for(ws, id) {
        Ok(t) => {
            let missing = super::dossier::checklist_of(&loaded, ws, id, &t)?;
            (Some(t), missing)
        }
        Err(e) => (
            None,
            vec![super::dossier::DossierGap {
                text: format!("Mẫu hồ sơ: {} {}", e.summary, e.hint),
                place: super::dossier::GapPlace::Template,
            }],
        ),
    };
    Ok(Current {
        evidence: ws.evidence(id)?,
        conditions: ws.conditions(id)?,
        postings: ws.postings(id)?,
        dossier_settings,
        previous_dossier,
        signed: ws.signed_originals(id)?,
        review: ws.review(id)?,
        submissions: ws
            .submissions(id)?
            .into_iter()
            .map(|s| (s.round, s.created_at))
            .collect(),
        received,
        year_start,
        dossier_template,
        dossier_missing,
        loaded,
    })
}
