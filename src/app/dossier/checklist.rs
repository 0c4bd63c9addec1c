//! What the dossier reads from the workspace, and what is still missing before the final
//! packet can be printed or sent.

use super::template::*;
use crate::app::assessment::Loaded;
use crate::app::{AppResult, report};
use crate::domain::ids::{AssessmentId, EvidenceId};
use crate::domain::units::UnitKind;
use crate::store::{EvidenceRecord, Workspace};
use std::collections::BTreeMap;

/// Everything the dossier is made from, read once.
pub(super) struct Source {
    pub(super) loaded: Loaded,
    pub(super) settings: BTreeMap<String, String>,
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

/// Same as [`checklist`] for an assessment already loaded (the screens refresh it).
pub fn checklist_of(
    loaded: &Loaded,
    ws: &Workspace,
    id: AssessmentId,
    template: &Template,
) -> AppResult<Vec<String>> {
    let mut items = missing_items(
        loaded,
        &ws.dossier_settings(id)?,
        &ws.signed_originals(id)?,
        template,
    );
    items.extend(crate::app::central::dossier::missing(
        ws,
        loaded,
        crate::app::today(),
    )?);
    Ok(items)
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
    settings: &BTreeMap<String, String>,
    signed: &BTreeMap<String, EvidenceId>,
    template: &Template,
) -> Vec<String> {
    let mut items: Vec<String> = loaded
        .status
        .missing
        .iter()
        .map(|m| m.message.clone())
        .collect();
    if settings.get("nguoi_ky").is_none_or(|s| s.is_empty()) {
        items.push(format!(
            "Chưa nhập họ tên người ký hồ sơ (Chủ tịch UBND {}).",
            loaded.unit.kind.label().to_lowercase()
        ));
    }
    if settings.get("ngay").is_none_or(|s| s.is_empty()) {
        items.push("Chưa nhập ngày ký hồ sơ.".into());
    }
    for d in &template.documents {
        if d.needs_signed_original && !signed.contains_key(&d.key) {
            items.push(format!("Chưa có bản đã ký (quét) của «{}».", d.toc_title));
        }
    }
    items
}
