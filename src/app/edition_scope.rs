//! Which communes an edition is offered to: a national edition (or a copy made in this
//! workspace) to every commune; a province copy received from an office in a signed pack
//! only to the communes under the province the pack names (matched by official code,
//! then by exact name).

use super::AppResult;
use crate::domain::units::{UnitKind, UnitRecord};
use crate::domain::vn_text::nfc;
use crate::store::Workspace;

/// True when `unit` is the province named by `code` (official code) or, when either has
/// no code, by `name`.
fn is_province(unit: &UnitRecord, code: &str, name: &str) -> bool {
    if unit.kind != UnitKind::Province {
        return false;
    }
    match unit
        .official_code
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        Some(own) if !code.trim().is_empty() => own.trim() == code.trim(),
        _ => !name.trim().is_empty() && nfc(&unit.name) == nfc(name),
    }
}

/// True when an edition whose issuing province is `issued` (`code\tname`, `None` for
/// one offered everywhere) is offered to `unit`, its ancestors looked up in `units`.
pub fn offered(issued: Option<&str>, unit: &UnitRecord, units: &[UnitRecord]) -> bool {
    let Some(issued) = issued else {
        return true;
    };
    let (code, name) = issued.split_once('\t').unwrap_or((issued, ""));
    let mut next = Some(unit);
    for _ in 0..10 {
        let Some(u) = next else {
            break;
        };
        if is_province(u, code, name) {
            return true;
        }
        next = u.parent.and_then(|p| units.iter().find(|x| x.id == p));
    }
    false
}

/// The issuing province of each of `editions` received from an office.
pub fn provinces(
    ws: &Workspace,
    editions: &[crate::store::EditionRecord],
) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for e in editions.iter().filter(|e| !e.builtin) {
        if let Some(p) = ws.edition_province(&e.code)? {
            out.push((e.code.to_string(), p));
        }
    }
    Ok(out)
}

/// Why edition `code` is not offered for new assessments of `unit`, or `None` when it
/// is.
pub fn refusal(ws: &Workspace, unit: &UnitRecord, code: &str) -> AppResult<Option<String>> {
    let Some(issued) = ws.edition_province(code)? else {
        return Ok(None);
    };
    let (province_code, province_name) = issued.split_once('\t').unwrap_or((issued.as_str(), ""));
    let ancestors = ws.ancestors(unit.id)?;
    if std::iter::once(unit)
        .chain(ancestors.iter())
        .any(|u| is_province(u, province_code, province_name))
    {
        return Ok(None);
    }
    let issuer = match (province_name.is_empty(), province_code.is_empty()) {
        (false, false) => format!("{province_name} (mã {province_code})"),
        (false, true) => province_name.to_string(),
        _ => format!("tỉnh mã {province_code}"),
    };
    let own = ancestors
        .iter()
        .find(|u| u.kind == UnitKind::Province)
        .map_or_else(
            || "không thuộc tỉnh nào trong tệp dữ liệu".to_string(),
            |p| format!("thuộc {}", p.name),
        );
    Ok(Some(format!(
        "Bộ tiêu chí {code} là bản của {issuer}, chỉ dùng cho các xã thuộc tỉnh đó; «{}» {own}. Hãy chọn bộ tiêu chí quốc gia hoặc bản của tỉnh mình.",
        unit.name
    )))
}
