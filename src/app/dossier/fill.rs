//! The packet filled: the template's wording with the assessment's figures put in, and the
//! evidence files listed and attached.

use super::checklist::*;
use super::stopped;
use super::tables::*;
use super::template::*;
use crate::app::{AppResult, report};
use crate::domain::engine::DebtStatus;
use crate::domain::ids::EvidenceId;
use crate::domain::vn_text::{CivilDate, format_number, nfc};
use crate::pdf::{
    self, AdminDocument, Attachment, Block, Document, Evidence, FileBytes, Packet, Photo,
    PhotoImage, Signature,
};
use crate::store::Workspace;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(super) fn fill(text: &str, vars: &HashMap<&str, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    nfc(&out)
}

/// The packet of an assessment: its documents filled from the template, its photos
/// (reduced on every core while the next files are read) and its evidence files.
pub(super) fn packet(
    ws: &Workspace,
    src: &Source,
    template: &Template,
    complete: bool,
    progress: &dyn Fn(usize) -> bool,
) -> AppResult<Packet> {
    let l = &src.loaded;
    let commune = crate::app::units::strip_kind(&l.unit.name, l.unit.kind);
    let kind_word = l.unit.kind.label().to_lowercase();
    let xa = format!("{kind_word} {commune}");
    let place = src
        .settings
        .get("dia_danh")
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| commune.clone());
    let date = src.settings.date();
    let place_date = match date {
        Some(d) => format!(
            "{place}, ngày {:02} tháng {:02} năm {}",
            d.day, d.month, d.year
        ),
        None => format!("{place}, ngày      tháng      năm {}", l.record.year),
    };
    let vars = variables(src, &xa);
    let documents = documents(ws, src, template, &vars, &place_date)?;
    let (photos, evidence) = evidence_files(ws, src, progress)?;
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
            if src.province.is_empty() || l.unit.kind == crate::domain::units::UnitKind::Province {
                String::new()
            } else {
                format!(", tỉnh {}", src.province)
            }
        )),
        year_line: format!("Năm {}", l.record.year),
        cover_date: nfc(&month_line),
        draft: !complete,
        creation_date: creation,
        id_seed: id_seed(src, template),
        documents,
        photos,
        evidence,
    })
}

/// The words of the conditions put into the wording: satisfaction rate and threshold,
/// debts, security and order, public postings.
fn condition_words(src: &Source) -> [(&'static str, String); 5] {
    let l = &src.loaded;
    let c = &src.conditions;
    let rate = match (c.households_surveyed, c.households_satisfied) {
        (Some(n), Some(s)) if n > 0 => format!(
            "{} %",
            format_number(f64::from(s) * 100.0 / f64::from(n), 2)
        ),
        _ => "chưa có kết quả khảo sát".into(),
    };
    let fixed = l.edition.conditions.satisfaction_percent.as_ref();
    let threshold = c
        .satisfaction_threshold
        .or(fixed.map(|t| t.value))
        .map_or("theo quy định của tỉnh".into(), |t| {
            format!("từ {} % trở lên", format_number(t, 2))
        });
    // A threshold that replaces the edition's says so, with the clerk's reason.
    let threshold = match (c.satisfaction_threshold, fixed) {
        (Some(_), Some(f)) => format!(
            "{threshold}, thay ngưỡng {} % của bộ tiêu chí; lý do: {}",
            format_number(f.value, 2),
            l.threshold_reason.as_deref().unwrap_or("chưa ghi")
        ),
        _ => threshold,
    };
    let debt = match (c.debt_status, c.debt_million_vnd) {
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
        .map_or("chưa đánh giá".into(), |s| s.label().to_lowercase());
    [
        ("ty_le_hai_long", rate),
        ("nguong_hai_long", threshold),
        ("no_dong", debt),
        ("an_ninh", security),
        ("cong_khai", postings_words(src)),
    ]
}

/// «Bảng tin (nhà văn hóa) ngày 05/01/2026; …», or that there is no posting log.
fn postings_words(src: &Source) -> String {
    if src.postings.is_empty() {
        return "chưa có nhật ký công khai".to_string();
    }
    src.postings
        .iter()
        .map(|p| {
            let medium = p.medium.label();
            let d = p.posted_on;
            if p.place == medium {
                format!("{medium} ngày {d}")
            } else {
                format!("{medium} ({}) ngày {d}", p.place)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// «Quyết định số 318/QĐ-TTg ngày 08/03/2022 của Thủ tướng Chính phủ».
fn decision_words(src: &Source) -> String {
    let l = &src.loaded;
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
}

/// The `{name}` variables of the template's wording.
fn variables(src: &Source, xa: &str) -> HashMap<&'static str, String> {
    let l = &src.loaded;
    let st = &l.status;
    let c = &src.conditions;
    let target = l.record.target.label().to_lowercase();
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    vars.insert("xa", xa.to_string());
    vars.insert("XA", xa.to_uppercase());
    vars.insert("tinh", src.province.clone());
    vars.insert("TINH", src.province.to_uppercase());
    vars.insert("huyen", src.district.clone());
    vars.insert("HUYEN", src.district.to_uppercase());
    vars.insert("nam", l.record.year.to_string());
    vars.insert("muc_tieu", target.clone());
    vars.insert("MUC_TIEU", target.to_uppercase());
    vars.insert("quyet_dinh", decision_words(src));
    vars.insert("bo_tieu_chi", l.edition.title.clone());
    vars.insert("tieu_chi_dat", st.criteria_met.to_string());
    vars.insert("tong_tieu_chi", st.criteria_total.to_string());
    vars.insert("chi_tieu_dat", st.indicators_met.to_string());
    vars.insert("tong_chi_tieu", st.indicators_total.to_string());
    vars.insert(
        "chi_tieu_minh_chung",
        st.indicators_with_evidence.to_string(),
    );
    vars.extend(condition_words(src));
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
    vars.insert(
        "dau_van_tay",
        src.fingerprint
            .clone()
            .unwrap_or_else(|| "....-....-....-....".into()),
    );
    if let Some(central) = &src.central {
        vars.extend(central.vars.iter().cloned());
    }
    vars
}

/// The body of one generated document: its lines filled, the results table and the
/// conditions where the template asks for them.
fn document_body(
    src: &Source,
    lines: &[String],
    vars: &HashMap<&'static str, String>,
    codes_by_indicator: &HashMap<String, Vec<String>>,
) -> Vec<Block> {
    let l = &src.loaded;
    let mut body = Vec::new();
    for line in lines {
        match line.trim() {
            "{bang_ket_qua}" => body.push(Block::Table(results_table(l, codes_by_indicator))),
            "{bang_xa}" => {
                if let Some(central) = &src.central {
                    body.push(Block::Table(central.communes_table.clone()));
                }
            }
            "{dieu_kien}" => {
                for cond in &l.status.conditions {
                    body.push(Block::Paragraph(nfc(&format!(
                        "- {}: {} ({}).",
                        cond.name,
                        cond.verdict.label(),
                        cond.detail
                    ))));
                }
            }
            t => match t.strip_prefix("## ") {
                Some(h) => body.push(Block::Heading(fill(h, vars))),
                None => body.push(Block::Paragraph(fill(t, vars))),
            },
        }
    }
    body
}

/// The template's documents, generated, each with its signed original when one is
/// attached.
fn documents(
    ws: &Workspace,
    src: &Source,
    template: &Template,
    vars: &HashMap<&'static str, String>,
    place_date: &str,
) -> AppResult<Vec<Document>> {
    let codes_by_indicator = evidence_codes(&src.evidence);
    let files = pdf::Spool::new();
    let mut documents = Vec::new();
    for d in &template.documents {
        let generated = AdminDocument {
            parent_body: fill(
                d.parent_body.as_deref().unwrap_or(&template.parent_body),
                vars,
            ),
            issuer: fill(d.issuer.as_deref().unwrap_or(&template.issuer), vars),
            number_line: format!("Số:          /{}", d.abbreviation),
            place_date: nfc(place_date),
            kind: fill(&d.kind, vars),
            subject: fill(&d.subject, vars),
            addressees: d.addressees.iter().map(|a| fill(a, vars)).collect(),
            body: document_body(src, &d.body, vars, &codes_by_indicator),
            recipients: d.recipients.iter().map(|r| fill(r, vars)).collect(),
            signature: Signature {
                lines: d
                    .signature
                    .as_ref()
                    .unwrap_or(&template.signature)
                    .iter()
                    .map(|s| fill(s, vars))
                    .collect(),
                name: if d.key == "bao_cao_mttq"
                    || d.key == "bien_ban"
                    || d.signer_name == Some(false)
                {
                    String::new()
                } else {
                    src.settings.get("nguoi_ky").cloned().unwrap_or_default()
                },
            },
            second_signature: d.second_signature.as_ref().map(|lines| Signature {
                lines: lines.iter().map(|s| fill(s, vars)).collect(),
                name: String::new(),
            }),
        };
        let signed = match src.signed.get(&d.key) {
            Some(eid) => {
                let rec = src.evidence.iter().find(|e| e.id == *eid);
                Some(Attachment {
                    file_name: rec.map_or(String::new(), |e| e.file_name.clone()),
                    media_type: rec.map_or(String::new(), |e| e.media_type.to_string()),
                    bytes: kept(&files, ws.evidence_bytes(*eid)?),
                })
            }
            None => None,
        };
        documents.push(Document {
            toc_title: fill(&d.toc_title, vars),
            generated: Box::new(generated),
            signed,
        });
    }
    Ok(documents)
}

/// The photos (reduced on every core while the next files are read: the packet never
/// holds full-size photos) and the evidence files, in the order of the index. `progress`
/// is told each file and stops the build when it says no.
fn evidence_files(
    ws: &Workspace,
    src: &Source,
    progress: &dyn Fn(usize) -> bool,
) -> AppResult<(Vec<Photo>, Vec<Evidence>)> {
    let signed_ids: Vec<EvidenceId> = src.signed.values().copied().collect();
    let mut photos = Vec::new();
    let mut fitter = pdf::PhotoFitter::new();
    let files = pdf::Spool::new();
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
        let is_pdf = e.media_type == "application/pdf";
        let mut bytes = ws.evidence_bytes(e.id)?;
        let date = e.doc_date.map(|d| d.to_string());
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
                code: e.code.to_string(),
                file_name: e.file_name.clone(),
                caption: nfc(&caption.join("; ")),
                image: PhotoImage::File(Vec::new()),
            });
        }
        let number_date = [e.doc_number.clone(), date.map(|d| format!("ngày {d}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        evidence.push(Evidence {
            code: e.code.to_string(),
            title: nfc(e.summary.as_deref().unwrap_or(&e.file_name)),
            number_date,
            issuer: e.issuer.clone().unwrap_or_default(),
            indicators: e.indicators.join(", "),
            is_photo,
            file: Attachment {
                file_name: e.file_name.clone(),
                media_type: e.media_type.to_string(),
                // A PDF waits on disk until its pages are written; other files are only
                // listed in the index and photos went to the fitter.
                bytes: if is_pdf {
                    kept(&files, std::mem::take(&mut bytes))
                } else {
                    FileBytes::Memory(Vec::new())
                },
            },
        });
    }
    for (p, image) in photos.iter_mut().zip(fitter.finish()) {
        p.image = image;
    }
    Ok((photos, evidence))
}

/// `bytes` kept on disk in `spool` (in memory if the spool cannot take them).
fn kept(spool: &std::sync::Arc<pdf::Spool>, bytes: Vec<u8>) -> FileBytes {
    match spool.keep(bytes) {
        Ok(s) => FileBytes::Spooled(s),
        Err(bytes) => FileBytes::Memory(bytes),
    }
}

/// The packet's id seed: the same data gives the same packet.
fn id_seed(src: &Source, template: &Template) -> String {
    let l = &src.loaded;
    let mut h = Sha256::new();
    h.update(serde_json::to_string(&report::status_json(l)).unwrap_or_default());
    h.update(format!(
        "{:?}{:?}{:?}{:?}",
        src.settings, src.signed, src.conditions, src.postings
    ));
    for e in &src.evidence {
        h.update(e.sha256.as_bytes());
        h.update(format!(
            "{:?}{:?}{:?}{:?}",
            e.doc_number,
            e.doc_date.map(|d| d.iso()),
            e.issuer,
            e.summary
        ));
    }
    h.update(&template.code);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
