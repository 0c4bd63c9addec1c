//! Bundles (`.ntm`) of assessments: what a commune sends its compiling office — the
//! pinned edition, values, conditions, dossier fields and every evidence file — and the
//! policy of receiving one: the container must be signed ([`super::bundle_format`]),
//! every field must pass the checks at the door ([`super::bundle_checks`]), the signer
//! must be the key enrolled for that commune (or the user confirms its fingerprint, read
//! off the stamped tờ trình), and a bundle writes only to its own commune. Then the
//! round is written in one transaction: a refused bundle changes nothing, and memory
//! holds one file at a time.
pub use super::bundle_edition::{EDITION_DIFFERS, claimed_edition, edition_differences};
pub use super::bundle_format::{MAX_ENTRY, MAX_MANIFEST};

use super::bundle_checks::{Entry, Manifest, UnitEntry};
use super::bundle_format::{Opened, open_container, refused, refused_with, write_container};
use super::keys::{Trust, signer_check};
use super::{AppError, AppResult};
use crate::domain::evidence::EvidenceRecord;
use crate::domain::ids::AssessmentId;
use crate::store::{ImportRound, Imported, StoreError, Workspace};
use std::collections::BTreeMap;
use std::path::Path;

/// What exporting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// Round number frozen by this export.
    pub round: i64,
    /// SHA-256 of the bundle file.
    pub sha256: String,
    /// Files inside.
    pub files: usize,
    /// Size in bytes.
    pub size: u64,
    /// The fingerprint of the key that signed it (this workspace's).
    pub fingerprint: String,
}

fn unit_entry(u: &crate::store::UnitRecord) -> UnitEntry {
    UnitEntry {
        name: u.name.clone(),
        kind: u.kind.code().to_string(),
        official_code: u.official_code.clone(),
        region: u.region.map(|r| r.code().to_string()),
        group: u.group.map(|g| g.code().to_string()),
        flags: u.flags.iter().map(|f| f.code().to_string()).collect(),
    }
}

/// The chain of parents of `unit`, the province first. Bounded: a damaged chain of parents
/// (or a cycle) stops at the tree's depth limit.
fn parent_entries(
    units: &[crate::store::UnitRecord],
    unit: &crate::store::UnitRecord,
) -> Vec<UnitEntry> {
    let mut parents = Vec::new();
    let mut at = unit.parent;
    while let Some(p) = at.and_then(|i| units.iter().find(|u| u.id == i)) {
        if parents.len() >= super::units::MAX_TREE_DEPTH {
            break;
        }
        parents.insert(0, unit_entry(p));
        at = p.parent;
    }
    parents
}

/// The evidence rows of the manifest, under the sender's own assessment number `own`.
fn evidence_entries(
    evidence: &[EvidenceRecord],
    own: i64,
) -> Vec<super::bundle_manifest::EvidenceEntry> {
    evidence
        .iter()
        .map(|e| super::bundle_manifest::EvidenceEntry {
            assessment: own,
            code: e.code.to_string(),
            file_name: e.file_name.clone(),
            media_type: e.media_type.to_string(),
            sha256: e.sha256.to_string(),
            doc_number: e.doc_number.clone(),
            doc_date: e.doc_date.map(|d| d.iso()),
            issuer: e.issuer.clone(),
            summary: e.summary.clone(),
            indicators: e.indicators.iter().map(|i| i.to_string()).collect(),
            link_names: e
                .link_names
                .iter()
                .map(|(i, n)| (i.to_string(), n.clone()))
                .collect(),
        })
        .collect()
}

/// The values rows of the manifest, under the sender's own assessment number `own`.
fn value_entries(
    values: Vec<crate::store::ValueRecord>,
    own: i64,
) -> Vec<super::bundle_manifest::ValueEntry> {
    values
        .into_iter()
        .map(|v| super::bundle_manifest::ValueEntry {
            assessment: own,
            indicator: v.indicator.to_string(),
            numerator: v.numerator,
            denominator: v.denominator,
            value_number: v.value_number,
            value_text: v.value_text,
            data_date: v.data_date.map(|d| d.iso()),
            source_office: v.source_office,
            computed_verdict: v.computed_verdict.code().to_string(),
            manual_verdict: v.manual_verdict.map(|m| m.code().to_string()),
            manual_reason: v.manual_reason,
            note: v.note,
            responsible: v.responsible,
            deadline: v.deadline.map(|d| d.iso()),
        })
        .collect()
}

/// Exports an assessment for submission: freezes its state as the next round and writes
/// the bundle (beside `out`, then renamed, so a pulled USB stick never leaves half a file
/// under the chosen name). An `out` that is the workspace or one of its backups is
/// refused before anything is written.
pub fn export(ws: &mut Workspace, id: AssessmentId, out: &Path) -> AppResult<Exported> {
    let output = super::output::Output::begin(ws, out)?;
    let record = ws.require_assessment(id)?;
    let origin = match ws.imported_from(id)? {
        Some(crate::store::ReceivedFrom { origin, .. }) => origin,
        None => format!("{}:{}", ws.workspace_id()?, id),
    };
    let round = ws.submissions(id)?.last().map_or(1, |s| s.round + 1);
    let units = ws.units()?;
    let unit = units
        .iter()
        .find(|u| u.id == record.unit)
        .ok_or_else(|| AppError::invalid("Không tìm thấy đơn vị của đợt đánh giá."))?;
    let parents = parent_entries(&units, unit);
    let evidence = ws.evidence(id)?;
    let mut entries: Vec<Entry> = Vec::new();
    for e in &evidence {
        if !entries.iter().any(|x| x.sha256 == e.sha256) {
            entries.push(Entry {
                name: e.sha256.to_string(),
                size: e.size as u64,
                sha256: e.sha256.to_string(),
            });
        }
    }
    let codes: BTreeMap<_, _> = evidence.iter().map(|e| (e.id, e.code.clone())).collect();
    let c = ws.conditions(id)?;
    // The sender's own assessment number, kept when forwarding a received one.
    let own: i64 = origin
        .rsplit(':')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(id.0);
    let key = super::keys::own_key(ws)?;
    let manifest = Manifest {
        format: super::bundle_format::FORMAT,
        kind: super::bundle_checks::KIND.into(),
        signer: super::keys::hex(key.verifying_key().as_bytes()),
        origin: origin.clone(),
        assessment: own,
        round,
        parents,
        unit: unit_entry(unit),
        edition_code: record.edition_code.to_string(),
        edition_toml: record.edition_toml.clone(),
        edition_sha256: record.edition_sha256.clone(),
        target: record.target.code().to_string(),
        year: record.year,
        values: value_entries(ws.values(id)?, own),
        ratings: ws
            .criterion_ratings(id)?
            .into_iter()
            .map(|r| (r.number, r.verdict.code().to_string(), r.reason))
            .collect(),
        conditions: super::bundle_manifest::ConditionsEntry {
            households_surveyed: c.households_surveyed,
            households_satisfied: c.households_satisfied,
            satisfaction_threshold: c.satisfaction_threshold,
            debt_million_vnd: c.debt_million_vnd,
            debt_status: c.debt_status.map(|d| d.code().to_string()),
            security_status: c.security_status.map(|s| s.code().to_string()),
        },
        postings: ws
            .postings(id)?
            .into_iter()
            .map(|p| (p.place, p.posted_on.iso(), p.medium.code().to_string()))
            .collect(),
        evidence: evidence_entries(&evidence, own),
        settings: ws.dossier_settings(id)?.as_map().clone(),
        signed: ws
            .signed_originals(id)?
            .into_iter()
            .filter_map(|(k, e)| codes.get(&e).map(|c| (k, c.to_string())))
            .collect(),
        entries,
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| AppError::invalid(e.to_string()))?;
    let shas: Vec<String> = manifest.entries.iter().map(|e| e.sha256.clone()).collect();
    let (sha, size) = write_container(output, &key, &json, &shas, &mut |sha| {
        ws.blob(sha)?
            .ok_or_else(|| AppError::invalid(format!("Thiếu nội dung tệp {sha}.")))
    })?;
    let snapshot = serde_json::to_string(&manifest.values).unwrap_or_default();
    ws.add_submission(id, round, &sha, &snapshot)?;
    Ok(Exported {
        round,
        sha256: sha,
        files: manifest.entries.len(),
        size,
        fingerprint: crate::domain::fingerprint::fingerprint(key.verifying_key().as_bytes()),
    })
}

/// What importing a bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedBundle {
    /// The local assessment holding the round.
    pub assessment: AssessmentId,
    /// Round number.
    pub round: i64,
    /// The commune's name.
    pub unit_name: String,
    /// False when the same bundle had been imported before (nothing changed).
    pub is_new: bool,
    /// The fingerprint of the commune's key that signed it.
    pub fingerprint: String,
    /// How the edition carried in the bundle differs from the office's own edition of
    /// the same code (empty when it does not): the assessment is computed against the
    /// office's edition, the commune's copy is kept as its claim.
    pub edition_differs: Vec<String>,
}

/// What a received file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// A commune's assessment (at the compiling office).
    Assessment(ImportedBundle),
    /// The office's review of one of our assessments (at the commune).
    Review(super::review::ImportedReview),
}

/// Imports a received file of either kind.
/// `trust` carries what the user confirmed about the sender's key.
pub fn receive(ws: &mut Workspace, path: &Path, trust: &Trust) -> AppResult<Received> {
    let opened = open_container(path)?;
    let kind = serde_json::from_slice::<serde_json::Value>(&opened.json)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default();
    if kind == super::review::KIND {
        return super::review::import_opened(ws, path, opened, trust).map(Received::Review);
    }
    import_opened(ws, path, opened, trust).map(Received::Assessment)
}

/// Imports an assessment bundle (see the module documentation for what is checked).
pub fn import(ws: &mut Workspace, path: &Path, trust: &Trust) -> AppResult<ImportedBundle> {
    let opened = open_container(path)?;
    import_opened(ws, path, opened, trust)
}

fn import_opened(
    ws: &mut Workspace,
    path: &Path,
    opened: Opened,
    trust: &Trust,
) -> AppResult<ImportedBundle> {
    let Opened {
        mut reader,
        json,
        sha256: bundle_sha,
        signer,
        body_len,
        body_start,
    } = opened;
    let m: Manifest = serde_json::from_slice(&json)
        .map_err(|e| refused(path, format!("bản kê (manifest) sai cấu trúc: {e}")))?;
    let checked = super::bundle_checks::check(&m, body_len)
        .map_err(|problems| refused_with(path, problems))?;
    let signer = signer_check(&signer, trust, |why| refused(path, why))?;
    let fingerprint = crate::store::fingerprint_of_hex(&signer.public_key);
    // The office's own edition of the same code is the one that counts; the commune's
    // copy, when it differs, is kept as the commune's claim.
    let mut edition = (
        m.edition_code.clone(),
        m.edition_toml.clone(),
        m.edition_sha256.clone(),
    );
    let mut claimed_edition = None;
    let mut edition_differs = Vec::new();
    if let Some(own) = ws.edition(&m.edition_code)?
        && own.content_sha256 != m.edition_sha256
    {
        let ours = super::catalog::parse_stored(&own.code, &own.content_toml)?;
        edition_differs = edition_differences(&ours, &checked.edition);
        claimed_edition = Some(m.edition_toml.clone());
        edition = (own.code.to_string(), own.content_toml, own.content_sha256);
    }
    let data = ImportRound {
        origin: m.origin.clone(),
        round: m.round,
        bundle_sha256: bundle_sha,
        parents: checked.parents,
        unit: checked.unit,
        edition,
        claimed_edition,
        target: checked.target,
        year: m.year,
        values: checked.values,
        ratings: checked.ratings,
        conditions: checked.conditions,
        postings: checked.postings,
        evidence: checked.evidence,
        settings: m.settings.clone(),
        signed: m.signed.clone(),
        signer,
    };
    // Offsets of the files, then one transaction; each file is checked as it is read.
    let mut offsets = BTreeMap::new();
    let mut at = body_start;
    for e in &m.entries {
        offsets.insert(e.sha256.clone(), (at, e.size));
        at += e.size;
    }
    let mut read_blob = |sha: &str| -> Result<Vec<u8>, String> {
        let (offset, size) = *offsets.get(sha).ok_or_else(|| format!("thiếu tệp {sha}"))?;
        super::bundle_format::read_entry(&mut reader, offset, size, sha)
    };
    let outcome = ws
        .import_round(&data, &mut read_blob)
        .map_err(|e| match e {
            // Only a rule of the store says something about the bundle; a busy or
            // failing workspace is not the commune's fault.
            StoreError::Invalid(_) => refused(path, e.to_string()),
            other => AppError::from(other),
        })?;
    let (assessment, is_new) = match outcome {
        Imported::New(id) => (id, true),
        Imported::AlreadyThere(id) => (id, false),
    };
    Ok(ImportedBundle {
        assessment,
        round: m.round,
        unit_name: m.unit.name.clone(),
        is_new,
        fingerprint,
        edition_differs,
    })
}

/// What changed between the two latest imported rounds of the commune an assessment
/// belongs to: values, verdicts, evidence added or removed.
pub fn changes_since_previous_round(ws: &Workspace, id: AssessmentId) -> AppResult<Vec<String>> {
    let Some(crate::store::ReceivedFrom { origin, round }) = ws.imported_from(id)? else {
        return Ok(Vec::new());
    };
    let rounds = ws.bundle_rounds(&origin)?;
    let Some((prev_round, prev)) = rounds
        .iter()
        .rev()
        .find(|r| r.round < round)
        .map(|r| (r.round, r.assessment))
    else {
        return Ok(vec![format!("Lần gửi đầu tiên (lần {round}).")]);
    };
    let today = super::today();
    let new = super::assessment::load(ws, id, today)?;
    let old = super::assessment::load(ws, prev, today)?;
    let mut out = Vec::new();
    let old_ind: BTreeMap<_, _> = old
        .status
        .criteria
        .iter()
        .flat_map(|c| &c.indicators)
        .map(|i| (i.code.clone(), i))
        .collect();
    for i in new.status.criteria.iter().flat_map(|c| &c.indicators) {
        if let Some(o) = old_ind.get(&i.code) {
            if o.value_display != i.value_display {
                out.push(format!(
                    "Chỉ tiêu {}: giá trị từ {} thành {}",
                    i.code,
                    o.value_display.as_deref().unwrap_or("(trống)"),
                    i.value_display.as_deref().unwrap_or("(trống)")
                ));
            }
            if o.verdict != i.verdict {
                out.push(format!(
                    "Chỉ tiêu {}: kết quả từ {} thành {}",
                    i.code,
                    o.verdict.label(),
                    i.verdict.label()
                ));
            }
        }
    }
    let old_files: BTreeMap<_, _> = ws
        .evidence(prev)?
        .into_iter()
        .map(|e| (e.sha256.clone(), e))
        .collect();
    let new_files: BTreeMap<_, _> = ws
        .evidence(id)?
        .into_iter()
        .map(|e| (e.sha256.clone(), e))
        .collect();
    for (sha, e) in &new_files {
        if !old_files.contains_key(sha) {
            out.push(format!("Thêm minh chứng {} — {}", e.code, e.file_name));
        }
    }
    for (sha, e) in &old_files {
        if !new_files.contains_key(sha) {
            out.push(format!("Bỏ minh chứng {} — {}", e.code, e.file_name));
        }
    }
    if out.is_empty() {
        out.push(format!("Không có thay đổi so với lần gửi {prev_round}."));
    }
    Ok(out)
}

/// Records the commune of an imported assessment as a former commune of `merged`: after
/// a merger, the new commune keeps its predecessors' rounds as history.
pub fn attach_as_former(
    ws: &mut Workspace,
    merged: crate::domain::ids::UnitId,
    imported: AssessmentId,
) -> AppResult<()> {
    let former = ws.require_assessment(imported)?.unit;
    if former == merged {
        return Err(AppError::invalid(
            "Xã cũ và xã sau sáp nhập phải khác nhau.",
        ));
    }
    let unit = super::units::require(ws, merged)?;
    let mut form = super::units::UnitForm::from_record(&unit);
    if !form.merged_from.contains(&former.to_string()) {
        form.merged_from.push(former.to_string());
        super::units::update(ws, merged, &form)?;
    }
    Ok(())
}

/// The recognition status of each former commune of `unit`, from its latest assessment:
/// name, and a line such as "năm 2024: 19/19 tiêu chí, đủ điều kiện; hội đồng 20/20".
pub fn former_status(
    ws: &Workspace,
    unit: &crate::store::UnitRecord,
) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for f in &unit.merged_from {
        let former = super::units::require(ws, *f)?;
        let line = match ws.latest_assessment(*f)? {
            None => "chưa có dữ liệu đánh giá".to_string(),
            Some(a) => {
                let l = super::assessment::load(ws, a.id, super::today())?;
                let st = &l.status;
                let review = ws.review(a.id)?;
                let mut line = format!(
                    "năm {}: {}/{} tiêu chí, {}/{} chỉ tiêu, {}",
                    a.year,
                    st.criteria_met,
                    st.criteria_total,
                    st.indicators_met,
                    st.indicators_total,
                    if st.eligible {
                        "đủ điều kiện công nhận"
                    } else {
                        "chưa đủ điều kiện"
                    }
                );
                if !review.vote.is_empty() {
                    line.push_str(&format!("; hội đồng biểu quyết {}", review.vote));
                }
                if !review.decision.is_empty() {
                    line.push_str(&format!("; {}", review.decision));
                }
                line
            }
        };
        out.push((super::units::display_name(&former), line));
    }
    Ok(out)
}
