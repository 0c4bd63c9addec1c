//! The header of a pasted table: which column holds the code, the names, the unit and
//! the threshold of each segment, from one header row or two.

use super::cells::{RawCell, clean, key};
use super::{ColumnRole, PasteIssue};
use crate::domain::units::{CommuneGroup, Region, Segment};

fn region_abbreviation(r: Region) -> &'static str {
    match r {
        Region::NorthernMountains => "tdmnpb",
        Region::RedRiverDelta => "dbsh",
        Region::NorthCentral => "btb",
        Region::SouthCentralCoast => "dhntb",
        Region::CentralHighlands => "tn",
        Region::Southeast => "dnb",
        Region::MekongDelta => "dbscl",
    }
}

/// The role of a header cell, or `None` when it names nothing known.
pub(super) fn header_role(text: &str) -> Option<ColumnRole> {
    let k = key(text);
    let k = k.as_str();
    match k {
        "tt" | "stt" | "so tt" | "ma" | "ma so" | "so" => return Some(ColumnRole::Code),
        "ten tieu chi" | "tieu chi" => return Some(ColumnRole::CriterionName),
        "noi dung" | "noi dung tieu chi" | "noi dung chi tieu" | "chi tieu" | "ten chi tieu" => {
            return Some(ColumnRole::Text);
        }
        "don vi" | "don vi tinh" | "dvt" => return Some(ColumnRole::Unit),
        "chung" | "chi tieu chung" | "nguong chung" | "ca nuoc" => {
            return Some(ColumnRole::Threshold(Segment::General));
        }
        "ghi chu" => return Some(ColumnRole::Ignored),
        _ => {}
    }
    let stripped = k
        .strip_prefix("xa ")
        .or_else(|| k.strip_prefix("chi tieu "))
        .unwrap_or(k);
    for (g, n, roman) in [
        (CommuneGroup::One, "1", "i"),
        (CommuneGroup::Two, "2", "ii"),
        (CommuneGroup::Three, "3", "iii"),
    ] {
        if stripped == format!("nhom {n}")
            || stripped == format!("nhom{n}")
            || stripped == format!("nhom {roman}")
        {
            return Some(ColumnRole::Threshold(Segment::Group(g)));
        }
    }
    let region_key = k.strip_prefix("vung ").unwrap_or(k);
    for r in Region::ALL {
        let abbr = region_abbreviation(*r);
        if region_key == key(r.label()) || region_key.replace(' ', "") == abbr {
            return Some(ColumnRole::Threshold(Segment::Region(*r)));
        }
    }
    None
}

/// True when a header cell is a spanning heading over segment columns
/// («Chỉ tiêu theo nhóm xã», «Chỉ tiêu theo vùng»).
fn is_spanning_heading(text: &str) -> bool {
    let k = key(text);
    k.contains("theo nhom") || k.contains("theo vung") || k.contains("nhom xa")
}

/// Number of cells of a line that hold something.
pub(super) fn nonempty_count(row: &[RawCell]) -> usize {
    row.iter().filter(|c| !clean(&c.text).is_empty()).count()
}

/// Reads the header: returns the roles and the number of header rows (1 or 2).
pub(super) fn read_header(rows: &[Vec<RawCell>]) -> Result<(Vec<ColumnRole>, usize), PasteIssue> {
    let Some(first) = rows.first() else {
        return Err(PasteIssue {
            line: 1,
            column: 0,
            message: "không có gì để đọc: hãy dán bảng phụ lục, kể cả hàng tiêu đề".into(),
        });
    };
    let second = rows.get(1);
    let second_is_header = second.is_some_and(|r| {
        r.iter().any(|c| {
            matches!(
                header_role(&c.text),
                Some(ColumnRole::Threshold(s)) if s != Segment::General
            )
        }) && r.iter().all(|c| {
            let t = clean(&c.text);
            t.is_empty() || header_role(&t).is_some()
        })
    });
    let width = first
        .len()
        .max(second.filter(|_| second_is_header).map_or(0, Vec::len));
    let mut roles = Vec::with_capacity(width);
    let mut unknown = Vec::new();
    for col in 0..width {
        let top = first.get(col).map(|c| clean(&c.text)).unwrap_or_default();
        let below = second
            .filter(|_| second_is_header)
            .and_then(|r| r.get(col))
            .map(|c| clean(&c.text))
            .unwrap_or_default();
        let role = header_role(&below).or_else(|| header_role(&top));
        match role {
            Some(r) => roles.push(r),
            None => {
                if !top.is_empty() && !is_spanning_heading(&top) {
                    unknown.push((col + 1, top.clone()));
                }
                roles.push(ColumnRole::Ignored);
            }
        }
    }
    let has_text = roles.contains(&ColumnRole::Text);
    let has_threshold = roles.iter().any(|r| matches!(r, ColumnRole::Threshold(_)));
    if !has_text || !has_threshold {
        let names: Vec<String> = unknown.iter().map(|(_, t)| format!("«{t}»")).collect();
        return Err(PasteIssue {
            line: 1,
            column: 0,
            message: format!(
                "hàng đầu phải là tiêu đề bảng, có cột «Nội dung» (hoặc «Chỉ tiêu») và ít nhất một cột ngưỡng («Chung», «Nhóm 1»…, hoặc tên vùng){}",
                if names.is_empty() {
                    String::new()
                } else {
                    format!("; không nhận ra: {}", names.join(", "))
                }
            ),
        });
    }
    Ok((roles, if second_is_header { 2 } else { 1 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_match_without_case_or_diacritics() {
        assert_eq!(header_role("TT"), Some(ColumnRole::Code));
        assert_eq!(header_role("Tên tiêu chí"), Some(ColumnRole::CriterionName));
        assert_eq!(header_role("NOI DUNG TIEU CHI"), Some(ColumnRole::Text));
        assert_eq!(header_role("Đơn vị tính"), Some(ColumnRole::Unit));
        assert_eq!(
            header_role("Xã nhóm 2"),
            Some(ColumnRole::Threshold(Segment::Group(CommuneGroup::Two)))
        );
        assert_eq!(
            header_role("Nhóm 3"),
            Some(ColumnRole::Threshold(Segment::Group(CommuneGroup::Three)))
        );
        assert_eq!(
            header_role("ĐBSCL"),
            Some(ColumnRole::Threshold(Segment::Region(Region::MekongDelta)))
        );
        assert_eq!(
            header_role("Vùng Trung du miền núi phía Bắc"),
            Some(ColumnRole::Threshold(Segment::Region(
                Region::NorthernMountains
            )))
        );
        assert_eq!(
            header_role("duyên hải nam trung bộ"),
            Some(ColumnRole::Threshold(Segment::Region(
                Region::SouthCentralCoast
            )))
        );
        assert_eq!(header_role("Chỉ tiêu theo nhóm xã"), None);
    }
}
