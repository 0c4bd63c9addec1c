//! An indicator's change history from the audit log, and restoring an earlier value
//! (itself a change, audited like any other).

use super::assessment::{self, ValueForm};
use super::{AppError, AppResult};
use crate::domain::ids::AssessmentId;
use crate::domain::vn_text::{format_number, parse_number};
use crate::store::Workspace;

/// One change of one field of an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueChange {
    /// The audit-log entry (what [`restore`] takes).
    pub audit_id: i64,
    /// When, `dd/mm/yyyy hh:mm` (UTC as stored).
    pub at: String,
    /// Who.
    pub user: String,
    /// The field in the clerk's words («Tử số»).
    pub field: String,
    /// The value before, as shown («(trống)» when empty).
    pub old: String,
    /// The value after, as shown.
    pub new: String,
    /// Whether [`restore`] can put this entry's value back (numbers, verdict, reason,
    /// note; not the computed verdict) and it is not already the field's latest value.
    pub restorable: bool,
}

/// The field names of the audit log that [`restore`] can put back, with their labels.
const FIELDS: [(&str, &str); 12] = [
    ("tu_so", "Tử số"),
    ("mau_so", "Mẫu số"),
    ("gia_tri", "Giá trị"),
    ("gia_tri_chu", "Giá trị"),
    ("ket_qua_thu_cong", "Kết luận thủ công"),
    ("ly_do", "Lý do"),
    ("ghi_chu", "Ghi chú"),
    ("ket_qua_tinh", "Kết quả tính"),
    ("ngay_so_lieu", "Ngày số liệu"),
    ("co_quan_so_lieu", "Cơ quan cung cấp số liệu"),
    ("nguoi_phu_trach", "Người phụ trách"),
    ("han", "Hạn hoàn thành"),
];

fn label(field: &str) -> String {
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or_else(|| field.to_string(), |(_, l)| (*l).to_string())
}

fn shown(field: &str, value: Option<&str>) -> String {
    match value {
        None | Some("") => "(trống)".to_string(),
        Some(v) if matches!(field, "tu_so" | "mau_so" | "gia_tri") => v
            .parse::<f64>()
            .map_or_else(|_| v.to_string(), |n| format_number(n, 6)),
        Some(v) => v.to_string(),
    }
}

fn when(at: &str) -> String {
    // Stored `2026-01-05T08:30:00Z`.
    match (at.get(0..4), at.get(5..7), at.get(8..10), at.get(11..16)) {
        (Some(y), Some(m), Some(d), Some(t)) => format!("{d}/{m}/{y} {t}"),
        _ => at.to_string(),
    }
}

/// The changes of an indicator of an assessment, newest first.
pub fn history(ws: &Workspace, id: AssessmentId, code: &str) -> AppResult<Vec<ValueChange>> {
    let entries = ws.audit_of("chi_tieu", &format!("{id}/{}", code.trim()))?;
    let mut latest_seen = std::collections::HashSet::new();
    Ok(entries
        .into_iter()
        .map(
            |crate::store::AuditRecord {
                 id: audit_id,
                 entry: e,
             }| {
                let newest_of_field = latest_seen.insert(e.field.clone());
                ValueChange {
                    audit_id,
                    at: when(&e.at),
                    user: e.user,
                    field: label(&e.field),
                    old: shown(&e.field, e.old_value.as_deref()),
                    new: shown(&e.field, e.new_value.as_deref()),
                    restorable: !newest_of_field
                        && matches!(
                            e.field.as_str(),
                            "tu_so"
                                | "mau_so"
                                | "gia_tri"
                                | "gia_tri_chu"
                                | "ket_qua_thu_cong"
                                | "ly_do"
                                | "ghi_chu"
                        ),
                }
            },
        )
        .collect())
}

/// Puts back the value an indicator's field had after the change `audit_id`, through
/// the same validation and audit as typing it. Returns the assessment and indicator.
pub fn restore(ws: &mut Workspace, audit_id: i64) -> AppResult<(AssessmentId, String)> {
    let not_restorable = || {
        AppError::invalid(format!(
            "Mục số {audit_id} của nhật ký không phải một giá trị chỉ tiêu khôi phục được."
        ))
    };
    let entry = ws.audit_entry(audit_id)?.ok_or_else(not_restorable)?;
    if entry.entity != "chi_tieu" {
        return Err(not_restorable());
    }
    let (id, code) = entry
        .entity_id
        .split_once('/')
        .and_then(|(a, c)| Some((AssessmentId(a.parse().ok()?), c.to_string())))
        .ok_or_else(not_restorable)?;
    super::received::refuse_edit(ws, id, &format!("giá trị chỉ tiêu {code}"))?;
    let current = ws
        .values(id)?
        .into_iter()
        .find(|v| v.indicator.as_str() == code);
    let mut form = ValueForm::from_record(current.as_ref());
    let value = entry.new_value.clone().unwrap_or_default();
    let number = |v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            v.parse::<f64>()
                .map_or_else(|_| v.to_string(), crate::domain::vn_text::for_editing)
        }
    };
    // A restored number must read back as the number it was.
    if matches!(entry.field.as_str(), "tu_so" | "mau_so" | "gia_tri")
        && !value.is_empty()
        && parse_number(&number(&value)).is_none()
    {
        return Err(not_restorable());
    }
    match entry.field.as_str() {
        "tu_so" => form.numerator = number(&value),
        "mau_so" => form.denominator = number(&value),
        "gia_tri" => form.value = number(&value),
        "gia_tri_chu" => form.value = value,
        "ket_qua_thu_cong" => form.verdict = value,
        "ly_do" => form.reason = value,
        "ghi_chu" => form.note = value,
        _ => return Err(not_restorable()),
    }
    assessment::save_value(ws, id, &code, &form)?;
    Ok((id, code))
}
