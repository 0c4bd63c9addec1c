//! What the dossier reads from the workspace, and what is still missing before the final
//! packet can be printed or sent.

use super::template::*;
use crate::app::assessment::Loaded;
use crate::app::{AppResult, report};
use crate::domain::engine::{MissingItem, MissingKind};
use crate::domain::ids::{AssessmentId, EvidenceId, UnitId};
use crate::domain::units::UnitKind;
use crate::store::{EvidenceRecord, Workspace};
use std::collections::BTreeMap;

/// Everything the dossier is made from, read once.
pub(super) struct Source {
    pub(super) loaded: Loaded,
    pub(super) settings: crate::store::DossierSettings,
    pub(super) signed: BTreeMap<String, EvidenceId>,
    pub(super) evidence: Vec<EvidenceRecord>,
    pub(super) conditions: crate::store::ConditionsRecord,
    pub(super) postings: Vec<crate::store::PostingRecord>,
    pub(super) province: String,
    pub(super) district: String,
    /// The fingerprint of the signing key, printed on the tờ trình.
    pub(super) fingerprint: Option<String>,
    /// A district's or province's communes and quoted figures (central appraisal).
    pub(super) central: Option<crate::app::central::dossier::Central>,
}

pub(super) fn read_source(ws: &Workspace, id: AssessmentId) -> AppResult<Source> {
    let today = crate::app::today();
    let loaded = report::status(ws, id, today)?;
    let units = ws.units()?;
    let mut province = String::new();
    let mut district = String::new();
    let mut at = Some(loaded.unit.id);
    while let Some(u) = at.and_then(|i| units.iter().find(|u| u.id == i)) {
        if u.kind == UnitKind::Province {
            province = crate::app::units::strip_kind(&u.name, u.kind);
        }
        if u.kind == UnitKind::District {
            district = crate::app::units::strip_kind(&u.name, u.kind);
        }
        at = u.parent;
    }
    Ok(Source {
        settings: ws.dossier_settings(id)?,
        signed: ws.signed_originals(id)?,
        evidence: ws.evidence(id)?,
        conditions: ws.conditions(id)?,
        postings: ws.postings(id)?,
        province,
        district,
        fingerprint: crate::app::keys::fingerprint_for(ws, id)?,
        central: crate::app::central::dossier::read(ws, &loaded, today)?,
        loaded,
    })
}

/// What is still missing before the final packet can be built.
pub fn checklist(ws: &Workspace, id: AssessmentId, template: &Template) -> AppResult<Vec<String>> {
    let src = read_source(ws, id)?;
    Ok(missing(&src, template))
}

/// Same as [`checklist`] for an assessment already loaded (the screens refresh it), each
/// item with the place where it is put right.
pub fn checklist_of(
    loaded: &Loaded,
    ws: &Workspace,
    id: AssessmentId,
    template: &Template,
) -> AppResult<Vec<DossierGap>> {
    let mut items = gaps(
        loaded,
        &ws.dossier_settings(id)?,
        &ws.signed_originals(id)?,
        template,
    );
    items.extend(
        crate::app::central::dossier::missing(ws, loaded, crate::app::today())?
            .into_iter()
            .map(|(unit, text)| DossierGap {
                text,
                place: GapPlace::Unit(unit),
            }),
    );
    Ok(items)
}

/// Where a missing item of the dossier is put right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GapPlace {
    /// A criterion of the walk-through, maybe one of its indicators.
    Criterion {
        /// The criterion's number.
        number: u32,
        /// The indicator's code.
        indicator: Option<String>,
    },
    /// The recognition conditions screen (survey, debt, security, posting).
    Conditions,
    /// The dashboard, where a district's or province's computed conditions are shown.
    Overview,
    /// The catalogue (the edition lacks criteria or indicators).
    Catalogue,
    /// The signer's name on the dossier screen.
    Signer,
    /// The signing date on the dossier screen.
    SigningDate,
    /// The choice of the dossier template on the dossier screen.
    Template,
    /// The signed scan of a document of the packet (its template key).
    SignedOriginal(String),
    /// A unit below (a commune without a recognition decision).
    Unit(UnitId),
}

/// One missing item of the dossier and its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierGap {
    /// What is missing, in the clerk's words.
    pub text: String,
    /// Where it is put right.
    pub place: GapPlace,
}

/// The texts of the gaps (the checklist as printed and asked before sending).
pub fn gap_texts(gaps: &[DossierGap]) -> Vec<String> {
    gaps.iter().map(|g| g.text.clone()).collect()
}

/// What a submission still lacks, asked about before it is sent (screens) and printed as
/// a warning (command line). Sending is not refused: an office may want a partial round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendPreflight {
    /// The missing items, as in the dossier's checklist.
    pub missing: Vec<String>,
}

impl SendPreflight {
    /// How many items the question names before «…».
    pub const NAMED: usize = 3;

    /// Nothing is missing: send without asking.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// «Hồ sơ còn thiếu 25 mục: first; second; third; …»
    pub fn summary(&self) -> String {
        let named: Vec<&str> = self
            .missing
            .iter()
            .take(Self::NAMED)
            .map(|m| m.trim_end_matches('.'))
            .collect();
        let more = if self.missing.len() > Self::NAMED {
            "; …"
        } else {
            ""
        };
        format!(
            "Hồ sơ còn thiếu {} mục: {}{more}.",
            self.missing.len(),
            named.join("; ")
        )
    }

    /// The question the screen asks before sending.
    pub fn question(&self) -> String {
        format!(
            "{} Vẫn gửi hồ sơ lên cấp trên? Cấp trên sẽ thấy các mục này còn thiếu.",
            self.summary()
        )
    }
}

/// Checks an assessment before it is sent in a bundle: its dossier checklist (a template
/// that cannot be read counts as one missing item).
pub fn send_preflight(ws: &Workspace, id: AssessmentId) -> AppResult<SendPreflight> {
    let missing = match template_for(ws, id) {
        Ok(t) => checklist(ws, id, &t)?,
        Err(e) => vec![format!("Mẫu hồ sơ: {} {}", e.summary, e.hint)],
    };
    Ok(SendPreflight { missing })
}

pub(super) fn missing(src: &Source, template: &Template) -> Vec<String> {
    let mut items = missing_items(&src.loaded, &src.settings, &src.signed, template);
    if let Some(c) = &src.central {
        items.extend(c.missing.iter().cloned());
    }
    items
}

pub(super) fn missing_items(
    loaded: &Loaded,
    settings: &crate::store::DossierSettings,
    signed: &BTreeMap<String, EvidenceId>,
    template: &Template,
) -> Vec<String> {
    gap_texts(&gaps(loaded, settings, signed, template))
}

/// The place of one of the engine's missing items.
fn engine_place(loaded: &Loaded, m: &MissingItem) -> GapPlace {
    match (m.criterion, m.kind) {
        (Some(number), _) => GapPlace::Criterion {
            number,
            indicator: m.indicator.clone(),
        },
        (None, MissingKind::Catalogue) => GapPlace::Catalogue,
        // The unit's own conditions are named like the conditions screen's headings;
        // the rest are a district's or province's computed conditions (dashboard).
        (None, _)
            if loaded
                .status
                .conditions
                .iter()
                .any(|c| m.message.starts_with(&format!("{}:", c.name))) =>
        {
            GapPlace::Conditions
        }
        (None, _) => GapPlace::Overview,
    }
}

fn gaps(
    loaded: &Loaded,
    settings: &crate::store::DossierSettings,
    signed: &BTreeMap<String, EvidenceId>,
    template: &Template,
) -> Vec<DossierGap> {
    let mut items: Vec<DossierGap> = loaded
        .status
        .missing
        .iter()
        .map(|m| DossierGap {
            text: m.message.clone(),
            place: engine_place(loaded, m),
        })
        .collect();
    if settings.get("nguoi_ky").is_none_or(|s| s.is_empty()) {
        items.push(DossierGap {
            text: format!(
                "Chưa nhập họ tên người ký hồ sơ (Chủ tịch UBND {}).",
                loaded.unit.kind.label().to_lowercase()
            ),
            place: GapPlace::Signer,
        });
    }
    if settings.get("ngay").is_none_or(|s| s.is_empty()) {
        items.push(DossierGap {
            text: "Chưa nhập ngày ký hồ sơ.".into(),
            place: GapPlace::SigningDate,
        });
    }
    for d in &template.documents {
        if d.needs_signed_original && !signed.contains_key(&d.key) {
            items.push(DossierGap {
                text: format!("Chưa có bản đã ký (quét) của «{}».", d.toc_title),
                place: GapPlace::SignedOriginal(d.key.clone()),
            });
        }
    }
    items
}
