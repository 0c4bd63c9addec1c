//! Bundles (`.ntm`): one file carrying an assessment from a commune to its compiling
//! office — the pinned edition, values, conditions, dossier fields and every evidence
//! file — with the SHA-256 of each part and of the whole.
//!
//! Layout: `NTM-BUNDLE\n`, a big-endian u32 format version, a big-endian u64 manifest
//! length, the manifest (JSON), the files in manifest order, and 32 bytes of SHA-256 over
//! everything before them. Import checks the whole-file hash before it reads anything
//! else, then every rule below, then writes in one transaction: a refused bundle changes
//! nothing, and memory holds one file at a time.

use super::{AppError, AppResult, catalog};
use crate::domain::ids::AssessmentId;
use crate::domain::units::{CommuneGroup, Region, Target, UnitFlag, UnitKind};
use crate::store::{
    BundleEvidence, BundleUnit, ConditionsRecord, ImportRound, Imported, StoreError, ValueRecord,
    Workspace,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

const MAGIC: &[u8] = b"NTM-BUNDLE\n";
const FORMAT: u32 = 1;
/// Largest manifest accepted.
pub const MAX_MANIFEST: u64 = 64 * 1024 * 1024;
/// Largest single file accepted inside a bundle.
pub const MAX_ENTRY: u64 = 1024 * 1024 * 1024;
const HEADER: u64 = MAGIC.len() as u64 + 4 + 8;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: u32,
    kind: String,
    origin: String,
    assessment: i64,
    round: i64,
    parents: Vec<UnitEntry>,
    unit: UnitEntry,
    edition_code: String,
    edition_toml: String,
    edition_sha256: String,
    target: String,
    year: i32,
    values: Vec<ValueEntry>,
    ratings: Vec<(u32, String, String)>,
    conditions: ConditionsEntry,
    postings: Vec<(String, String, String)>,
    evidence: Vec<EvidenceEntry>,
    settings: BTreeMap<String, String>,
    signed: BTreeMap<String, String>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitEntry {
    name: String,
    kind: String,
    official_code: Option<String>,
    region: Option<String>,
    group: Option<String>,
    flags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueEntry {
    assessment: i64,
    indicator: String,
    numerator: Option<f64>,
    denominator: Option<f64>,
    value_number: Option<f64>,
    value_text: Option<String>,
    data_date: Option<String>,
    source_office: Option<String>,
    computed_verdict: String,
    manual_verdict: Option<String>,
    manual_reason: Option<String>,
    note: Option<String>,
    responsible: Option<String>,
    deadline: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionsEntry {
    households_surveyed: Option<u32>,
    households_satisfied: Option<u32>,
    satisfaction_threshold: Option<f64>,
    debt_million_vnd: Option<f64>,
    debt_status: Option<String>,
    security_status: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceEntry {
    assessment: i64,
    code: String,
    file_name: String,
    media_type: String,
    sha256: String,
    doc_number: Option<String>,
    doc_date: Option<String>,
    issuer: Option<String>,
    summary: Option<String>,
    indicators: Vec<String>,
    /// Indicator → the name the file was given for it, where that differs from
    /// `file_name`. Left out when empty, so most bundles read as before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    link_names: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    size: u64,
    sha256: String,
}

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

fn io_error(path: &Path, e: std::io::Error) -> AppError {
    AppError::new(
        format!("Không đọc/ghi được tệp {}.", path.display()),
        "Hãy kiểm tra đường dẫn, chỗ trống trên đĩa hoặc thẻ nhớ.",
    )
    .with_details([e.to_string()])
}

/// Exports an assessment for submission: freezes its state as the next round and writes
/// the bundle (beside `out`, then renamed, so a pulled USB stick never leaves half a file
/// under the chosen name). An `out` that is the workspace or one of its backups is
/// refused before anything is written.
pub fn export(ws: &mut Workspace, id: AssessmentId, out: &Path) -> AppResult<Exported> {
    let output = super::output::Output::begin(ws, out)?;
    let record = ws.require_assessment(id)?;
    let origin = match ws.imported_from(id)? {
        Some((o, _)) => o,
        None => format!("{}:{}", ws.workspace_id()?, id),
    };
    let round = ws.submissions(id)?.last().map_or(1, |(r, _, _, _)| r + 1);
    let units = ws.units()?;
    let unit = units
        .iter()
        .find(|u| u.id == record.unit)
        .ok_or_else(|| AppError::invalid("Không tìm thấy đơn vị của đợt đánh giá."))?;
    let mut parents = Vec::new();
    let mut at = unit.parent;
    while let Some(p) = at.and_then(|i| units.iter().find(|u| u.id == i)) {
        parents.insert(0, unit_entry(p));
        at = p.parent;
    }
    let evidence = ws.evidence(id)?;
    let mut entries: Vec<Entry> = Vec::new();
    for e in &evidence {
        if !entries.iter().any(|x| x.sha256 == e.sha256) {
            entries.push(Entry {
                name: e.sha256.clone(),
                size: e.size as u64,
                sha256: e.sha256.clone(),
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
    let manifest = Manifest {
        format: FORMAT,
        kind: "ho_so".into(),
        origin: origin.clone(),
        assessment: own,
        round,
        parents,
        unit: unit_entry(unit),
        edition_code: record.edition_code.clone(),
        edition_toml: record.edition_toml.clone(),
        edition_sha256: record.edition_sha256.clone(),
        target: record.target.code().to_string(),
        year: record.year,
        values: ws
            .values(id)?
            .into_iter()
            .map(|v| ValueEntry {
                assessment: own,
                indicator: v.indicator,
                numerator: v.numerator,
                denominator: v.denominator,
                value_number: v.value_number,
                value_text: v.value_text,
                data_date: v.data_date,
                source_office: v.source_office,
                computed_verdict: v.computed_verdict,
                manual_verdict: v.manual_verdict,
                manual_reason: v.manual_reason,
                note: v.note,
                responsible: v.responsible,
                deadline: v.deadline,
            })
            .collect(),
        ratings: ws.criterion_ratings(id)?,
        conditions: ConditionsEntry {
            households_surveyed: c.households_surveyed,
            households_satisfied: c.households_satisfied,
            satisfaction_threshold: c.satisfaction_threshold,
            debt_million_vnd: c.debt_million_vnd,
            debt_status: c.debt_status,
            security_status: c.security_status,
        },
        postings: ws
            .postings(id)?
            .into_iter()
            .map(|p| (p.place, p.posted_on, p.medium))
            .collect(),
        evidence: evidence
            .iter()
            .map(|e| EvidenceEntry {
                assessment: own,
                code: e.code.clone(),
                file_name: e.file_name.clone(),
                media_type: e.media_type.clone(),
                sha256: e.sha256.clone(),
                doc_number: e.doc_number.clone(),
                doc_date: e.doc_date.clone(),
                issuer: e.issuer.clone(),
                summary: e.summary.clone(),
                indicators: e.indicators.clone(),
                link_names: e.link_names.clone(),
            })
            .collect(),
        settings: ws.dossier_settings(id)?,
        signed: ws
            .signed_originals(id)?
            .into_iter()
            .filter_map(|(k, e)| codes.get(&e).map(|c| (k, c.clone())))
            .collect(),
        entries,
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| AppError::invalid(e.to_string()))?;
    let shas: Vec<String> = manifest.entries.iter().map(|e| e.sha256.clone()).collect();
    let (sha, size) = write_container(output, &json, &shas, &mut |sha| {
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
    })
}

/// Writes a container through `out` (see [`super::output`]): header, manifest, the files
/// (one in memory at a time) and the whole-file hash. Returns the hash and the size.
pub(crate) fn write_container(
    out: super::output::Output,
    json: &[u8],
    files: &[String],
    load: &mut dyn FnMut(&str) -> AppResult<Vec<u8>>,
) -> AppResult<(String, u64)> {
    let target = out.target().to_path_buf();
    let file = out.create()?;
    let mut w = BufWriter::new(file);
    let mut hash = Sha256::new();
    let mut put = |w: &mut BufWriter<std::fs::File>, bytes: &[u8]| -> AppResult<()> {
        hash.update(bytes);
        w.write_all(bytes).map_err(|e| io_error(&target, e))
    };
    put(&mut w, MAGIC)?;
    put(&mut w, &FORMAT.to_be_bytes())?;
    put(&mut w, &(json.len() as u64).to_be_bytes())?;
    put(&mut w, json)?;
    let mut size = HEADER + json.len() as u64;
    for sha in files {
        let bytes = load(sha)?;
        put(&mut w, &bytes)?;
        size += bytes.len() as u64;
    }
    let digest = hash.finalize();
    w.write_all(&digest).map_err(|e| io_error(&target, e))?;
    let file = w
        .into_inner()
        .map_err(|e| io_error(&target, e.into_error()))?;
    file.sync_all().map_err(|e| io_error(&target, e))?;
    drop(file);
    out.commit()?;
    Ok((
        digest.iter().map(|b| format!("{b:02x}")).collect(),
        size + 32,
    ))
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
}

pub(crate) fn refused(path: &Path, why: impl Into<String>) -> AppError {
    AppError::new(
        format!("Gói hồ sơ {} bị từ chối: {}.", path.display(), why.into()),
        "Không có gì bị thay đổi. Hãy xin xã gửi lại gói hồ sơ.",
    )
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(crate) fn is_origin(s: &str) -> bool {
    match s.split_once(':') {
        Some((ws, n)) => {
            ws.len() == 24
                && ws.bytes().all(|b| b.is_ascii_hexdigit())
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// A container whose whole-file hash checked out, positioned after its manifest.
pub(crate) struct Opened {
    pub(crate) reader: BufReader<std::fs::File>,
    pub(crate) json: Vec<u8>,
    pub(crate) sha256: String,
    pub(crate) body_len: u64,
    pub(crate) body_start: u64,
}

/// Checks the whole-file hash, then reads header and manifest.
pub(crate) fn open_container(path: &Path) -> AppResult<Opened> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let len = file.metadata().map_err(|e| io_error(path, e))?.len();
    if len < HEADER + 32 {
        return Err(refused(path, "tệp quá ngắn, có thể đã bị cắt"));
    }
    // The whole-file hash, before anything else is trusted.
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut hash = Sha256::new();
    let mut remaining = len - 32;
    let mut buf = vec![0u8; 1 << 20];
    while remaining > 0 {
        let n = remaining.min(buf.len() as u64) as usize;
        reader
            .read_exact(&mut buf[..n])
            .map_err(|e| io_error(path, e))?;
        hash.update(&buf[..n]);
        remaining -= n as u64;
    }
    let mut trailer = [0u8; 32];
    reader
        .read_exact(&mut trailer)
        .map_err(|e| io_error(path, e))?;
    let digest = hash.finalize();
    if digest.as_slice() != trailer {
        return Err(refused(
            path,
            "mã băm SHA-256 của toàn tệp không khớp (tệp bị hỏng, bị cắt hoặc bị sửa)",
        ));
    }
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| io_error(path, e))?;
    let mut magic = [0u8; MAGIC.len()];
    reader
        .read_exact(&mut magic)
        .map_err(|e| io_error(path, e))?;
    if magic != MAGIC {
        return Err(refused(path, "không phải gói hồ sơ Hồ sơ NTM"));
    }
    let mut word = [0u8; 4];
    reader
        .read_exact(&mut word)
        .map_err(|e| io_error(path, e))?;
    let format = u32::from_be_bytes(word);
    if format != FORMAT {
        return Err(refused(
            path,
            format!(
                "định dạng gói phiên bản {format}, chương trình này đọc được phiên bản {FORMAT}"
            ),
        ));
    }
    let mut long = [0u8; 8];
    reader
        .read_exact(&mut long)
        .map_err(|e| io_error(path, e))?;
    let manifest_len = u64::from_be_bytes(long);
    if manifest_len > MAX_MANIFEST || HEADER + manifest_len > len - 32 {
        return Err(refused(path, "bản kê (manifest) có độ dài không hợp lệ"));
    }
    let mut json = vec![0u8; manifest_len as usize];
    reader
        .read_exact(&mut json)
        .map_err(|e| io_error(path, e))?;
    Ok(Opened {
        reader,
        json,
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        body_len: len - 32 - HEADER - manifest_len,
        body_start: HEADER + manifest_len,
    })
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
pub fn receive(ws: &mut Workspace, path: &Path) -> AppResult<Received> {
    let opened = open_container(path)?;
    let kind = serde_json::from_slice::<serde_json::Value>(&opened.json)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default();
    if kind == super::review::KIND {
        return super::review::import_opened(ws, path, opened).map(Received::Review);
    }
    import_opened(ws, path, opened).map(Received::Assessment)
}

/// Imports an assessment bundle (see the module documentation for what is checked).
pub fn import(ws: &mut Workspace, path: &Path) -> AppResult<ImportedBundle> {
    let opened = open_container(path)?;
    import_opened(ws, path, opened)
}

fn import_opened(ws: &mut Workspace, path: &Path, opened: Opened) -> AppResult<ImportedBundle> {
    let Opened {
        mut reader,
        json,
        sha256: bundle_sha,
        body_len,
        body_start,
    } = opened;
    let m: Manifest = serde_json::from_slice(&json)
        .map_err(|e| refused(path, format!("bản kê (manifest) sai cấu trúc: {e}")))?;
    let data = validate(path, &m, body_len, &bundle_sha)?;
    // Offsets of the files, then one transaction; each file is checked as it is read.
    let mut offsets = BTreeMap::new();
    let mut at = body_start;
    for e in &m.entries {
        offsets.insert(e.sha256.clone(), (at, e.size));
        at += e.size;
    }
    let mut read_blob = |sha: &str| -> Result<Vec<u8>, String> {
        let (offset, size) = *offsets.get(sha).ok_or_else(|| format!("thiếu tệp {sha}"))?;
        reader
            .seek(SeekFrom::Start(offset))
            .map_err(|e| e.to_string())?;
        let mut bytes = vec![0u8; size as usize];
        reader.read_exact(&mut bytes).map_err(|e| e.to_string())?;
        let got: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if got != sha {
            return Err(format!("tệp {sha} trong gói không khớp mã băm"));
        }
        Ok(bytes)
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
    })
}

fn parse_unit(path: &Path, u: &UnitEntry) -> AppResult<BundleUnit> {
    let kind = UnitKind::from_code(&u.kind)
        .ok_or_else(|| refused(path, format!("cấp đơn vị «{}» không hợp lệ", u.kind)))?;
    let name = crate::domain::vn_text::nfc(&u.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(refused(path, "tên đơn vị không hợp lệ"));
    }
    Ok(BundleUnit {
        name,
        kind,
        official_code: u.official_code.clone(),
        region: match &u.region {
            Some(r) => Some(
                Region::from_code(r)
                    .ok_or_else(|| refused(path, format!("vùng «{r}» không hợp lệ")))?,
            ),
            None => None,
        },
        group: match &u.group {
            Some(g) => Some(
                CommuneGroup::from_code(g)
                    .ok_or_else(|| refused(path, format!("nhóm xã «{g}» không hợp lệ")))?,
            ),
            None => None,
        },
        flags: u
            .flags
            .iter()
            .map(|f| {
                UnitFlag::from_code(f)
                    .ok_or_else(|| refused(path, format!("diện «{f}» không hợp lệ")))
            })
            .collect::<AppResult<_>>()?,
    })
}

fn validate(path: &Path, m: &Manifest, body_len: u64, bundle_sha: &str) -> AppResult<ImportRound> {
    if m.format != FORMAT || m.kind != "ho_so" {
        return Err(refused(path, "loại gói không phải hồ sơ đánh giá"));
    }
    if !is_origin(&m.origin) || m.round < 1 {
        return Err(refused(path, "định danh hồ sơ hoặc lần gửi không hợp lệ"));
    }
    if m.origin.rsplit(':').next() != Some(m.assessment.to_string().as_str()) {
        return Err(refused(
            path,
            "mã đợt đánh giá trong bản kê không khớp định danh hồ sơ",
        ));
    }
    let mut total = 0u64;
    let mut seen = std::collections::BTreeSet::new();
    for e in &m.entries {
        if !is_hex64(&e.name) || e.name != e.sha256 {
            return Err(refused(
                path,
                format!(
                    "tên mục «{}» trong gói không hợp lệ (chỉ chấp nhận mã băm, không chấp nhận đường dẫn)",
                    e.name
                ),
            ));
        }
        if e.size > MAX_ENTRY {
            return Err(refused(
                path,
                format!("mục {} quá lớn ({} byte)", e.name, e.size),
            ));
        }
        if !seen.insert(e.name.clone()) {
            return Err(refused(path, format!("mục {} lặp lại", e.name)));
        }
        total = total.saturating_add(e.size);
    }
    if total != body_len {
        return Err(refused(path, "độ dài các tệp bên trong không khớp bản kê"));
    }
    let edition = catalog::parse_stored(&m.edition_code, &m.edition_toml).map_err(|e| {
        refused(
            path,
            format!("bộ tiêu chí trong gói không đọc được: {}", e.summary),
        )
    })?;
    let edition_sha = crate::store::sha256_hex(m.edition_toml.as_bytes());
    if edition_sha != m.edition_sha256 {
        return Err(refused(path, "mã băm của bộ tiêu chí không khớp"));
    }
    let target = Target::from_code(&m.target)
        .ok_or_else(|| refused(path, format!("mục tiêu «{}» không hợp lệ", m.target)))?;
    let known = |code: &str| edition.indicator(code).is_some();
    let mut values = Vec::new();
    for v in &m.values {
        if v.assessment != m.assessment {
            return Err(refused(
                path,
                format!(
                    "giá trị chỉ tiêu {} trỏ tới đợt đánh giá khác ({})",
                    v.indicator, v.assessment
                ),
            ));
        }
        if !known(&v.indicator) {
            return Err(refused(
                path,
                format!("chỉ tiêu «{}» không có trong bộ tiêu chí", v.indicator),
            ));
        }
        if v.manual_verdict.is_some()
            && v.manual_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            return Err(refused(
                path,
                format!(
                    "chỉ tiêu {} có kết luận thủ công không có lý do",
                    v.indicator
                ),
            ));
        }
        values.push(ValueRecord {
            indicator: v.indicator.clone(),
            numerator: v.numerator,
            denominator: v.denominator,
            value_number: v.value_number,
            value_text: v.value_text.clone(),
            data_date: v.data_date.clone(),
            source_office: v.source_office.clone(),
            computed_verdict: v.computed_verdict.clone(),
            manual_verdict: v.manual_verdict.clone(),
            manual_reason: v.manual_reason.clone(),
            note: v.note.clone(),
            responsible: v.responsible.clone(),
            deadline: v.deadline.clone(),
        });
    }
    let mut evidence = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for e in &m.evidence {
        if e.assessment != m.assessment {
            return Err(refused(
                path,
                format!(
                    "minh chứng {} trỏ tới đợt đánh giá khác ({})",
                    e.code, e.assessment
                ),
            ));
        }
        if !seen.contains(&e.sha256) {
            return Err(refused(
                path,
                format!("minh chứng {} không có tệp trong gói", e.code),
            ));
        }
        if !codes.insert(e.code.clone()) {
            return Err(refused(path, format!("mã minh chứng {} lặp lại", e.code)));
        }
        if let Some(name) = std::iter::once(&e.file_name)
            .chain(e.link_names.values())
            .find(|n| n.contains(['/', '\\']) || n.starts_with('.') || n.is_empty())
        {
            return Err(refused(path, format!("tên tệp «{name}» không hợp lệ")));
        }
        if let Some(i) = e.link_names.keys().find(|i| !e.indicators.contains(i)) {
            return Err(refused(
                path,
                format!(
                    "minh chứng {} đặt tên cho chỉ tiêu «{i}» mà tệp không gắn",
                    e.code
                ),
            ));
        }
        if let Some(i) = e.indicators.iter().find(|i| !known(i)) {
            return Err(refused(
                path,
                format!(
                    "minh chứng {} gắn với chỉ tiêu «{i}» không có trong bộ tiêu chí",
                    e.code
                ),
            ));
        }
        evidence.push(BundleEvidence {
            code: e.code.clone(),
            file_name: e.file_name.clone(),
            media_type: e.media_type.clone(),
            sha256: e.sha256.clone(),
            meta: [
                e.doc_number.clone(),
                e.doc_date.clone(),
                e.issuer.clone(),
                e.summary.clone(),
            ],
            indicators: e.indicators.clone(),
            link_names: e.link_names.clone(),
        });
    }
    let c = &m.conditions;
    Ok(ImportRound {
        origin: m.origin.clone(),
        round: m.round,
        bundle_sha256: bundle_sha.to_string(),
        parents: m
            .parents
            .iter()
            .map(|u| parse_unit(path, u))
            .collect::<AppResult<_>>()?,
        unit: parse_unit(path, &m.unit)?,
        edition: (
            m.edition_code.clone(),
            m.edition_toml.clone(),
            m.edition_sha256.clone(),
        ),
        target,
        year: m.year,
        values,
        ratings: m.ratings.clone(),
        conditions: ConditionsRecord {
            households_surveyed: c.households_surveyed,
            households_satisfied: c.households_satisfied,
            satisfaction_threshold: c.satisfaction_threshold,
            debt_million_vnd: c.debt_million_vnd,
            debt_status: c.debt_status.clone(),
            security_status: c.security_status.clone(),
        },
        postings: m.postings.clone(),
        evidence,
        settings: m.settings.clone(),
        signed: m.signed.clone(),
    })
}

/// What changed between the two latest imported rounds of the commune an assessment
/// belongs to: values, verdicts, evidence added or removed.
pub fn changes_since_previous_round(ws: &Workspace, id: AssessmentId) -> AppResult<Vec<String>> {
    let Some((origin, round)) = ws.imported_from(id)? else {
        return Ok(Vec::new());
    };
    let rounds = ws.bundle_rounds(&origin)?;
    let Some((prev_round, prev, _)) = rounds.iter().rev().find(|(r, _, _)| *r < round).cloned()
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
                    "Chỉ tiêu {}: giá trị {} → {}",
                    i.code,
                    o.value_display.as_deref().unwrap_or("(trống)"),
                    i.value_display.as_deref().unwrap_or("(trống)")
                ));
            }
            if o.verdict != i.verdict {
                out.push(format!(
                    "Chỉ tiêu {}: {} → {}",
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
