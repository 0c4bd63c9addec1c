//! The printed dossier of an assessment: the document list and fixed wording come from
//! `templates/dossier/`, the figures from the workspace. What is still missing is listed
//! (the checklist); a draft can always be printed and carries "DỰ THẢO" on every page,
//! the final packet only once nothing is missing.
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::assessment::{self, Loaded};
use super::{AppError, AppResult, report};
use crate::domain::engine::{DebtStatus, PostingMedium, SecurityStatus};
use crate::domain::ids::{AssessmentId, EvidenceId};
use crate::domain::units::{UnitKind, Verdict};
use crate::domain::vn_text::{CivilDate, format_number, nfc};
use crate::pdf::{
    self, AdminDocument, Attachment, Block, Document, Evidence, Packet, Photo, Signature, Table,
};
use crate::store::{EvidenceRecord, Workspace};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const BUILTIN: &[(&str, &str)] = &[
    ("xa", include_str!("../../templates/dossier/xa.toml")),
    (
        "xa-truoc-2025",
        include_str!("../../templates/dossier/xa-truoc-2025.toml"),
    ),
];

/// The template used when none is chosen: see [`template_for`].
pub const DEFAULT_TEMPLATE: &str = "xa";

/// "Choose for me": the built-in template that fits the assessment.
pub const AUTO_TEMPLATE: &str = "tu-dong";

/// The built-in templates: code and title.
pub fn builtin_templates() -> Vec<(String, String)> {
    BUILTIN
        .iter()
        .filter_map(|(code, text)| {
            toml::from_str::<Template>(text)
                .ok()
                .map(|t| (code.to_string(), t.description))
        })
        .collect()
}

/// The template an assessment uses: the one chosen on the dossier screen, else the
/// procedure in force for its year and tree (a commune under a district, assessed for
/// 2025 or earlier, files through the district; otherwise straight to the province).
pub fn template_for(ws: &Workspace, id: AssessmentId) -> AppResult<Template> {
    if let Some(chosen) = ws
        .dossier_settings(id)?
        .get("mau")
        .filter(|c| !c.is_empty())
    {
        return template(chosen);
    }
    let record = ws.require_assessment(id)?;
    let units = ws.units()?;
    let mut under_district = false;
    let mut at = units
        .iter()
        .find(|u| u.id == record.unit)
        .and_then(|u| u.parent);
    while let Some(u) = at.and_then(|i| units.iter().find(|u| u.id == i)) {
        under_district |= u.kind == UnitKind::District;
        at = u.parent;
    }
    template(if under_district && record.year <= 2025 {
        "xa-truoc-2025"
    } else {
        DEFAULT_TEMPLATE
    })
}

/// A template by code or file, or the one fitting the assessment for [`AUTO_TEMPLATE`].
pub fn resolve_template(
    ws: &Workspace,
    id: AssessmentId,
    code_or_path: &str,
) -> AppResult<Template> {
    if code_or_path == AUTO_TEMPLATE {
        template_for(ws, id)
    } else {
        template(code_or_path)
    }
}

/// A dossier template: the documents of a packet and their fixed wording.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Code.
    pub code: String,
    /// Level of the units it is for (`xa`).
    pub level: String,
    /// What it is for, shown when choosing.
    pub description: String,
    /// Cover title.
    pub title: String,
    /// Governing body in the header.
    #[serde(default)]
    pub parent_body: String,
    /// Issuing body.
    pub issuer: String,
    /// Signature lines.
    pub signature: Vec<String>,
    /// Documents in order.
    pub documents: Vec<DocTemplate>,
}

/// One document of a template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocTemplate {
    /// Stable key (used for signed originals).
    pub key: String,
    /// Name in the table of contents.
    pub toc_title: String,
    /// TỜ TRÌNH, BÁO CÁO, BIÊN BẢN.
    pub kind: String,
    /// Abbreviation in the number, e.g. `TTr-UBND`.
    pub abbreviation: String,
    /// Subject.
    pub subject: String,
    /// Addressees.
    #[serde(default)]
    pub addressees: Vec<String>,
    /// Paragraphs; `## ` starts a heading; `{bang_ket_qua}` and `{dieu_kien}` alone
    /// insert the results table and the conditions.
    pub body: Vec<String>,
    /// Recipients.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// The final packet needs the signed original scanned back in.
    #[serde(default)]
    pub needs_signed_original: bool,
    /// Overrides of the template's header and signature.
    #[serde(default)]
    pub parent_body: Option<String>,
    /// Issuer override.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Signature override.
    #[serde(default)]
    pub signature: Option<Vec<String>>,
    /// A second signature beside the first, e.g. `["THƯ KÝ"]` on minutes.
    #[serde(default)]
    pub second_signature: Option<Vec<String>>,
}

/// Reads a template by built-in code or from a TOML file.
pub fn template(code_or_path: &str) -> AppResult<Template> {
    let text = match BUILTIN.iter().find(|(c, _)| *c == code_or_path) {
        Some((_, t)) => (*t).to_string(),
        None => std::fs::read_to_string(code_or_path).map_err(|e| {
            AppError::new(
                format!("Không có mẫu hồ sơ «{code_or_path}»."),
                format!(
                    "Dùng mẫu có sẵn ({}) hoặc đường dẫn một tệp .toml.",
                    BUILTIN
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_details([super::io_words(&e)])
        })?,
    };
    let t: Template = toml::from_str(&text).map_err(|e| {
        AppError::new(
            format!("Mẫu hồ sơ «{code_or_path}» có lỗi."),
            "Hãy sửa tệp mẫu theo templates/dossier/README.md.",
        )
        .with_details([e.to_string()])
    })?;
    if t.documents.is_empty() {
        return Err(AppError::invalid(format!(
            "Mẫu hồ sơ «{code_or_path}» không có tài liệu nào."
        )));
    }
    Ok(t)
}

/// The settings a clerk fills in for the printed dossier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    /// Name of the signer (Chủ tịch UBND xã).
    pub signer: String,
    /// Date of the documents, `dd/mm/yyyy`.
    pub date: String,
    /// Place name in the date line (địa danh); empty: the commune's name.
    pub place: String,
    /// Template code or file; empty: chosen by year and tree ([`template_for`]).
    pub template: String,
}

impl SettingsForm {
    /// The form showing stored settings.
    pub fn from_stored(s: &BTreeMap<String, String>) -> Self {
        Self {
            signer: s.get("nguoi_ky").cloned().unwrap_or_default(),
            date: s
                .get("ngay")
                .and_then(|d| CivilDate::parse(d))
                .map(|d| d.to_string())
                .unwrap_or_default(),
            place: s.get("dia_danh").cloned().unwrap_or_default(),
            template: s.get("mau").cloned().unwrap_or_default(),
        }
    }
}

/// The signer, date and place of the commune's last dossier (another assessment of the
/// same unit, latest year first), with its year: the defaults offered for a new one.
/// `None` when no other assessment of the unit has them.
pub fn previous_settings(
    ws: &Workspace,
    id: AssessmentId,
) -> AppResult<Option<(i32, SettingsForm)>> {
    let record = ws.require_assessment(id)?;
    let mut others: Vec<_> = ws
        .assessments()?
        .into_iter()
        .filter(|a| a.unit == record.unit && a.id != id)
        .collect();
    others.sort_by_key(|a| std::cmp::Reverse((a.year, a.id)));
    for a in others {
        let form = SettingsForm::from_stored(&ws.dossier_settings(a.id)?);
        if !(form.signer.is_empty() && form.date.is_empty() && form.place.is_empty()) {
            return Ok(Some((
                a.year,
                SettingsForm {
                    template: String::new(),
                    ..form
                },
            )));
        }
    }
    Ok(None)
}

/// The settings form of an assessment as stored.
pub fn settings(ws: &Workspace, id: AssessmentId) -> AppResult<SettingsForm> {
    Ok(SettingsForm::from_stored(&ws.dossier_settings(id)?))
}

/// Saves the settings after checking the date.
pub fn save_settings(ws: &mut Workspace, id: AssessmentId, form: &SettingsForm) -> AppResult<()> {
    ws.require_assessment(id)?;
    super::received::refuse_edit(ws, id, "người ký, ngày ký và địa danh của tập hồ sơ")?;
    let date = match form.date.trim() {
        "" => String::new(),
        t => CivilDate::parse(t)
            .ok_or_else(|| {
                AppError::invalid(format!("Ngày ký «{t}» không hợp lệ (dạng ngày/tháng/năm)."))
            })?
            .iso(),
    };
    ws.set_dossier_setting(id, "nguoi_ky", &nfc(&form.signer))?;
    ws.set_dossier_setting(id, "ngay", &date)?;
    let chosen = form.template.trim();
    if !chosen.is_empty() && chosen != AUTO_TEMPLATE {
        template(chosen)?;
    }
    ws.set_dossier_setting(id, "dia_danh", &nfc(&form.place))?;
    ws.set_dossier_setting(id, "mau", if chosen == AUTO_TEMPLATE { "" } else { chosen })?;
    Ok(())
}

/// Adds a signed original (PDF or photo) and records it for a document of the template.
pub fn attach_signed(
    ws: &mut Workspace,
    id: AssessmentId,
    template: &Template,
    key: &str,
    file: &Path,
) -> AppResult<()> {
    super::received::refuse_edit(ws, id, "bản đã ký của tập hồ sơ")?;
    let doc = template
        .documents
        .iter()
        .find(|d| d.key == key)
        .ok_or_else(|| {
            AppError::invalid(format!(
                "Mẫu hồ sơ không có tài liệu «{key}»; các tài liệu: {}.",
                template
                    .documents
                    .iter()
                    .map(|d| d.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let media = super::evidence::media_type(&file.to_string_lossy());
    if !(media == "application/pdf" || media == "image/jpeg" || media == "image/png") {
        return Err(AppError::invalid(format!(
            "Bản đã ký của «{}» phải là tệp PDF hoặc ảnh JPEG/PNG.",
            doc.toc_title
        )));
    }
    let added = super::evidence::add_files(ws, id, &[], &[file])?;
    let (_, ev) = added
        .into_iter()
        .next()
        .ok_or_else(|| AppError::invalid("Không thêm được tệp."))?;
    ws.set_signed_original(id, key, Some(ev.id))?;
    Ok(())
}

/// Removes the signed original of a document (the draft is printed again).
pub fn remove_signed(ws: &mut Workspace, id: AssessmentId, key: &str) -> AppResult<()> {
    super::received::refuse_edit(ws, id, "bản đã ký của tập hồ sơ")?;
    ws.set_signed_original(id, key, None)?;
    Ok(())
}

/// Everything the dossier is made from, read once.
struct Source {
    loaded: Loaded,
    settings: BTreeMap<String, String>,
    signed: BTreeMap<String, EvidenceId>,
    evidence: Vec<EvidenceRecord>,
    conditions: crate::store::ConditionsRecord,
    postings: Vec<crate::store::PostingRecord>,
    province: String,
    district: String,
    /// The fingerprint of the signing key, printed on the tờ trình.
    fingerprint: Option<String>,
}

fn read_source(ws: &Workspace, id: AssessmentId) -> AppResult<Source> {
    let loaded = report::status(ws, id, super::today())?;
    let units = ws.units()?;
    let mut province = String::new();
    let mut district = String::new();
    let mut at = Some(loaded.unit.id);
    while let Some(u) = at.and_then(|i| units.iter().find(|u| u.id == i)) {
        if u.kind == UnitKind::Province {
            province = super::units::strip_kind(&u.name, u.kind);
        }
        if u.kind == UnitKind::District {
            district = super::units::strip_kind(&u.name, u.kind);
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
        fingerprint: super::keys::fingerprint_for(ws, id)?,
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
    Ok(missing_items(
        loaded,
        &ws.dossier_settings(id)?,
        &ws.signed_originals(id)?,
        template,
    ))
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

fn missing(src: &Source, template: &Template) -> Vec<String> {
    missing_items(&src.loaded, &src.settings, &src.signed, template)
}

fn missing_items(
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
        items.push("Chưa nhập họ tên người ký hồ sơ (Chủ tịch UBND xã).".into());
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

/// The outcome of building a packet.
#[derive(Debug, Clone)]
pub struct Built {
    /// Pages, table of contents, problems with single files.
    pub report: pdf::BuildReport,
    /// Draft (watermarked) or final.
    pub draft: bool,
    /// What was missing (drafts only).
    pub missing: Vec<String>,
}

/// Builds the packet into `out`. With `final_packet`, refuses while anything is missing.
/// The file is written beside its destination and renamed, so a crash never leaves half
/// a file under the chosen name.
pub fn build(
    ws: &Workspace,
    id: AssessmentId,
    template: &Template,
    out: &Path,
    final_packet: bool,
    progress: &dyn Fn(usize, usize),
) -> AppResult<Built> {
    build_cancellable(ws, id, template, out, final_packet, progress, &|| false)
}

fn stopped() -> AppError {
    AppError::invalid("Đã dừng tạo hồ sơ; không có tệp nào được ghi.")
}

/// [`build`] that stops early (writing nothing) once `cancelled` says so.
pub fn build_cancellable(
    ws: &Workspace,
    id: AssessmentId,
    template: &Template,
    out: &Path,
    final_packet: bool,
    progress: &dyn Fn(usize, usize),
    cancelled: &dyn Fn() -> bool,
) -> AppResult<Built> {
    let output = super::output::Output::begin(ws, out)?;
    let src = read_source(ws, id)?;
    let missing = missing(&src, template);
    if final_packet && !missing.is_empty() {
        return Err(AppError::new(
            format!(
                "Chưa tạo được hồ sơ chính thức: còn {} mục thiếu.",
                missing.len()
            ),
            "Hãy bổ sung các mục dưới đây, hoặc in bản dự thảo.",
        )
        .with_details(missing));
    }
    // Two halves of the bar: reading and shrinking the files, then laying out the PDF.
    let files = src.evidence.len().max(1);
    let packet = packet(ws, &src, template, missing.is_empty(), &|done| {
        progress(done, files * 2);
        !cancelled()
    })?;
    let (bytes, report) = pdf::build_checked(
        &packet,
        &|done, total| progress(files + done * files / total.max(1), files * 2),
        &super::pdf_probe::check_pdf,
    );
    if bytes.is_empty() {
        return Err(AppError::invalid("Không tạo được tệp PDF."));
    }
    if cancelled() {
        return Err(stopped());
    }
    output.write_all(&bytes)?;
    Ok(Built {
        report,
        draft: !missing.is_empty(),
        missing,
    })
}

fn fill(text: &str, vars: &HashMap<&str, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    nfc(&out)
}

fn packet(
    ws: &Workspace,
    src: &Source,
    template: &Template,
    complete: bool,
    progress: &dyn Fn(usize) -> bool,
) -> AppResult<Packet> {
    let l = &src.loaded;
    let st = &l.status;
    let commune = super::units::strip_kind(&l.unit.name, l.unit.kind);
    let kind_word = l.unit.kind.label().to_lowercase();
    let xa = format!("{kind_word} {commune}");
    let target = l.record.target.label().to_lowercase();
    let place = src
        .settings
        .get("dia_danh")
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| commune.clone());
    let date = src.settings.get("ngay").and_then(|d| CivilDate::parse(d));
    let place_date = match date {
        Some(d) => format!(
            "{place}, ngày {:02} tháng {:02} năm {}",
            d.day, d.month, d.year
        ),
        None => format!("{place}, ngày      tháng      năm {}", l.record.year),
    };
    let c = &src.conditions;
    let rate = match (c.households_surveyed, c.households_satisfied) {
        (Some(n), Some(s)) if n > 0 => format!(
            "{} %",
            format_number(f64::from(s) * 100.0 / f64::from(n), 2)
        ),
        _ => "chưa có kết quả khảo sát".into(),
    };
    let threshold = c
        .satisfaction_threshold
        .or(l
            .edition
            .conditions
            .satisfaction_percent
            .as_ref()
            .map(|t| t.value))
        .map_or("theo quy định của tỉnh".into(), |t| {
            format!("từ {} % trở lên", format_number(t, 0))
        });
    let debt = match (
        c.debt_status.as_deref().and_then(DebtStatus::from_code),
        c.debt_million_vnd,
    ) {
        (Some(DebtStatus::None), _) => "không còn nợ đọng xây dựng cơ bản".to_string(),
        (Some(s), Some(v)) => format!(
            "{} ({} triệu đồng)",
            s.label().to_lowercase(),
            format_number(v, 2)
        ),
        (Some(s), None) => s.label().to_lowercase(),
        (None, Some(v)) => format!("còn {} triệu đồng", format_number(v, 2)),
        (None, None) => "chưa có số liệu".into(),
    };
    let security = c
        .security_status
        .as_deref()
        .and_then(SecurityStatus::from_code)
        .map_or("chưa đánh giá".into(), |s| s.label().to_lowercase());
    let postings = if src.postings.is_empty() {
        "chưa có nhật ký công khai".to_string()
    } else {
        src.postings
            .iter()
            .map(|p| {
                let medium =
                    PostingMedium::from_code(&p.medium).map_or(p.medium.as_str(), |m| m.label());
                let d =
                    CivilDate::parse(&p.posted_on).map_or(p.posted_on.clone(), |d| d.to_string());
                if p.place == medium {
                    format!("{medium} ngày {d}")
                } else {
                    format!("{medium} ({}) ngày {d}", p.place)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let decision = {
        let d = &l.edition.legal.decision;
        let mut s = if d.contains("/QĐ") {
            format!("Quyết định số {d}")
        } else {
            d.clone()
        };
        if let Some(signed) = CivilDate::parse(&l.edition.legal.signed_on) {
            s.push_str(&format!(" ngày {signed}"));
        }
        s.push_str(" của Thủ tướng Chính phủ");
        s
    };
    let mut vars: HashMap<&str, String> = HashMap::new();
    vars.insert("xa", xa.clone());
    vars.insert("XA", xa.to_uppercase());
    vars.insert("tinh", src.province.clone());
    vars.insert("TINH", src.province.to_uppercase());
    vars.insert("huyen", src.district.clone());
    vars.insert("HUYEN", src.district.to_uppercase());
    vars.insert("nam", l.record.year.to_string());
    vars.insert("muc_tieu", target.clone());
    vars.insert("MUC_TIEU", target.to_uppercase());
    vars.insert("quyet_dinh", decision);
    vars.insert("bo_tieu_chi", l.edition.title.clone());
    vars.insert("tieu_chi_dat", st.criteria_met.to_string());
    vars.insert("tong_tieu_chi", st.criteria_total.to_string());
    vars.insert("chi_tieu_dat", st.indicators_met.to_string());
    vars.insert("tong_chi_tieu", st.indicators_total.to_string());
    vars.insert(
        "chi_tieu_minh_chung",
        st.indicators_with_evidence.to_string(),
    );
    vars.insert("ty_le_hai_long", rate);
    vars.insert("nguong_hai_long", threshold);
    vars.insert(
        "so_ho_khao_sat",
        c.households_surveyed
            .map_or(".....".into(), |v| format_number(f64::from(v), 0)),
    );
    vars.insert(
        "so_ho_hai_long",
        c.households_satisfied
            .map_or(".....".into(), |v| format_number(f64::from(v), 0)),
    );
    vars.insert("no_dong", debt);
    vars.insert("an_ninh", security);
    vars.insert("cong_khai", postings);
    vars.insert(
        "dau_van_tay",
        src.fingerprint
            .clone()
            .unwrap_or_else(|| "....-....-....-....".into()),
    );

    let codes_by_indicator = evidence_codes(&src.evidence);
    let mut documents = Vec::new();
    for d in &template.documents {
        let mut body = Vec::new();
        for line in &d.body {
            match line.trim() {
                "{bang_ket_qua}" => body.push(Block::Table(results_table(l, &codes_by_indicator))),
                "{dieu_kien}" => {
                    for cond in &st.conditions {
                        body.push(Block::Paragraph(nfc(&format!(
                            "- {}: {} ({}).",
                            cond.name,
                            cond.verdict.label(),
                            cond.detail
                        ))));
                    }
                }
                t if t.starts_with("## ") => body.push(Block::Heading(fill(&t[3..], &vars))),
                t => body.push(Block::Paragraph(fill(t, &vars))),
            }
        }
        let generated = AdminDocument {
            parent_body: fill(
                d.parent_body.as_deref().unwrap_or(&template.parent_body),
                &vars,
            ),
            issuer: fill(d.issuer.as_deref().unwrap_or(&template.issuer), &vars),
            number_line: format!("Số:          /{}", d.abbreviation),
            place_date: nfc(&place_date),
            kind: fill(&d.kind, &vars),
            subject: fill(&d.subject, &vars),
            addressees: d.addressees.iter().map(|a| fill(a, &vars)).collect(),
            body,
            recipients: d.recipients.iter().map(|r| fill(r, &vars)).collect(),
            signature: Signature {
                lines: d
                    .signature
                    .as_ref()
                    .unwrap_or(&template.signature)
                    .iter()
                    .map(|s| fill(s, &vars))
                    .collect(),
                name: if d.key == "bao_cao_mttq" || d.key == "bien_ban" {
                    String::new()
                } else {
                    src.settings.get("nguoi_ky").cloned().unwrap_or_default()
                },
            },
            second_signature: d.second_signature.as_ref().map(|lines| Signature {
                lines: lines.iter().map(|s| fill(s, &vars)).collect(),
                name: String::new(),
            }),
        };
        let signed = match src.signed.get(&d.key) {
            Some(eid) => {
                let rec = src.evidence.iter().find(|e| e.id == *eid);
                Some(Attachment {
                    file_name: rec.map_or(String::new(), |e| e.file_name.clone()),
                    media_type: rec.map_or(String::new(), |e| e.media_type.clone()),
                    bytes: ws.evidence_bytes(*eid)?,
                })
            }
            None => None,
        };
        documents.push(Document {
            toc_title: fill(&d.toc_title, &vars),
            generated: Box::new(generated),
            signed,
        });
    }
    let signed_ids: Vec<EvidenceId> = src.signed.values().copied().collect();
    let mut photos = Vec::new();
    let mut fitter = pdf::PhotoFitter::new();
    let mut evidence = Vec::new();
    // Only files that prove an indicator are printed and indexed: a file added but not
    // (or no longer) linked is not part of the dossier. Signed originals are printed in
    // place of their drafts above.
    for (done, e) in src
        .evidence
        .iter()
        .filter(|e| !signed_ids.contains(&e.id) && !e.indicators.is_empty())
        .enumerate()
    {
        if !progress(done) {
            return Err(stopped());
        }
        let is_photo = matches!(e.media_type.as_str(), "image/jpeg" | "image/png");
        let mut bytes = ws.evidence_bytes(e.id)?;
        let date = e
            .doc_date
            .as_deref()
            .and_then(CivilDate::parse)
            .map(|d| d.to_string());
        if is_photo {
            let mut caption = vec![format!("chỉ tiêu {}", e.indicators.join(", "))];
            caption.push(
                date.clone()
                    .map_or("chưa ghi ngày chụp".into(), |d| format!("ngày {d}")),
            );
            caption.push(e.summary.clone().unwrap_or_else(|| e.file_name.clone()));
            // Reduced on every core while the next files are read: the packet never
            // holds full-size photos.
            fitter.submit(photos.len(), std::mem::take(&mut bytes));
            photos.push(Photo {
                code: e.code.clone(),
                file_name: e.file_name.clone(),
                caption: nfc(&caption.join("; ")),
                bytes: Vec::new(),
            });
        }
        let number_date = [e.doc_number.clone(), date.map(|d| format!("ngày {d}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        evidence.push(Evidence {
            code: e.code.clone(),
            title: nfc(e.summary.as_deref().unwrap_or(&e.file_name)),
            number_date,
            issuer: e.issuer.clone().unwrap_or_default(),
            indicators: e.indicators.join(", "),
            is_photo,
            file: Attachment {
                file_name: e.file_name.clone(),
                media_type: e.media_type.clone(),
                bytes: std::mem::take(&mut bytes),
            },
        });
    }
    for (p, bytes) in photos.iter_mut().zip(fitter.finish()) {
        p.bytes = bytes;
    }
    // The id and date come from the data: the same workspace gives the same packet.
    let mut h = Sha256::new();
    h.update(serde_json::to_string(&report::status_json(l)).unwrap_or_default());
    h.update(format!(
        "{:?}{:?}{:?}{:?}",
        src.settings, src.signed, src.conditions, src.postings
    ));
    for e in &src.evidence {
        h.update(&e.sha256);
        h.update(format!(
            "{:?}{:?}{:?}{:?}",
            e.doc_number, e.doc_date, e.issuer, e.summary
        ));
    }
    h.update(&template.code);
    let id_seed: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let creation = date
        .or_else(|| CivilDate::parse(l.record.created_at.get(..10).unwrap_or("")))
        .map_or_else(
            || format!("{}0101", l.record.year),
            |d| format!("{:04}{:02}{:02}", d.year, d.month, d.day),
        );
    let month_line = match date {
        Some(d) => format!("{place}, tháng {:02} năm {}", d.month, d.year),
        None => format!("{place}, năm {}", l.record.year),
    };
    Ok(Packet {
        title: fill(&template.title, &vars),
        unit_line: nfc(&format!(
            "{}{}",
            capitalize(&xa),
            if src.province.is_empty() {
                String::new()
            } else {
                format!(", tỉnh {}", src.province)
            }
        )),
        year_line: format!("Năm {}", l.record.year),
        cover_date: nfc(&month_line),
        draft: !complete,
        creation_date: creation,
        id_seed,
        documents,
        photos,
        evidence,
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

fn evidence_codes(evidence: &[EvidenceRecord]) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for e in evidence {
        for i in &e.indicators {
            map.entry(i.clone()).or_default().push(e.code.clone());
        }
    }
    map
}

/// The detailed table of every criterion and indicator.
fn results_table(l: &Loaded, codes: &HashMap<String, Vec<String>>) -> Table {
    let mut rows = Vec::new();
    let mut bold_rows = Vec::new();
    for c in &l.status.criteria {
        bold_rows.push(rows.len());
        let verdict = match &c.manual {
            Some(m) => format!("{} (thủ công: {})", c.verdict.label(), m.reason),
            None => c.verdict.label().to_string(),
        };
        rows.push(vec![
            c.number.to_string(),
            c.name.clone(),
            String::new(),
            String::new(),
            verdict,
            String::new(),
        ]);
        if c.indicators.is_empty() {
            rows.push(vec![
                String::new(),
                "(bộ tiêu chí chưa có danh mục chỉ tiêu)".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for i in &c.indicators {
            let requirement =
                i.threshold
                    .as_ref()
                    .map_or("(chưa có ngưỡng)".to_string(), |t| {
                        if t.verified {
                            t.display.clone()
                        } else {
                            format!("{} (chưa kiểm chứng)", t.display)
                        }
                    });
            let result = result_text(l, &i.code).unwrap_or_else(|| "chưa nhập".into());
            let verdict = match (&i.manual_reason, i.verdict) {
                (Some(r), v) => format!("{} (thủ công: {r})", v.label()),
                (None, Verdict::NotAssessed) => "Chưa đánh giá".into(),
                (None, v) => v.label().to_string(),
            };
            rows.push(vec![
                i.code.clone(),
                i.text.clone(),
                requirement,
                result,
                verdict,
                codes.get(&i.code).map(|c| c.join(", ")).unwrap_or_default(),
            ]);
        }
    }
    Table {
        shares: vec![0.07, 0.35, 0.14, 0.16, 0.14, 0.14],
        header: [
            "TT",
            "Tiêu chí, chỉ tiêu",
            "Yêu cầu",
            "Kết quả",
            "Đánh giá",
            "Minh chứng",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        bold_rows,
    }
}

/// "850/1.000 (85 %)" for ratios, the value with its unit otherwise.
fn result_text(l: &Loaded, code: &str) -> Option<String> {
    let v = l.values.get(code)?;
    let (_, ind) = l.edition.indicator(code)?;
    match assessment::measured(ind, v)? {
        crate::domain::engine::Measured::Ratio {
            numerator,
            denominator,
        } => Some(format!(
            "{}/{} ({} %)",
            format_number(numerator, 2),
            format_number(denominator, 2),
            format_number(
                crate::domain::engine::ratio_percent(numerator, denominator)?,
                2
            )
        )),
        crate::domain::engine::Measured::Number(n) => Some(
            format!("{} {}", format_number(n, 2), ind.unit)
                .trim()
                .to_string(),
        ),
        crate::domain::engine::Measured::YesNo(yes) => {
            Some(if yes { "Đạt" } else { "Không đạt" }.into())
        }
        crate::domain::engine::Measured::Level(level) => Some(level),
    }
}
