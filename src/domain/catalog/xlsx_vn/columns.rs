//! The columns of the «Chỉ tiêu» sheet: what each holds, their headers, how a header
//! typed by an office is matched, and the indicator kinds in words.

use crate::domain::catalog::{IndicatorKind, KeyedBy};
use crate::domain::units::{Region, Segment};
use crate::domain::vn_text::{fold, nfc};

/// What a column of the «Chỉ tiêu» sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Criterion,
    CriterionName,
    CriterionGroup,
    NameVerified,
    RevocationKey,
    CriterionNote,
    Code,
    Text,
    TextVerified,
    Unit,
    Kind,
    Comparator,
    Levels,
    Segment(Segment),
    Year,
    Source,
    Verified,
    Guidance,
    DataOffice,
    Proof,
    Note,
}

/// The fixed columns before the segments, with their headers.
pub(super) const BEFORE: [(Col, &str); 7] = [
    (Col::Criterion, "Tiêu chí"),
    (Col::CriterionName, "Tên tiêu chí"),
    (Col::Code, "Mã chỉ tiêu"),
    (Col::Text, "Nội dung chỉ tiêu"),
    (Col::Unit, "Đơn vị"),
    (
        Col::Kind,
        "Loại (tỷ lệ, số tiền, số lượng, có/không, mức độ)",
    ),
    (Col::Comparator, "So sánh (≥, ≤, =)"),
];

/// The fixed columns after the segments.
pub(super) const AFTER: [(Col, &str); 13] = [
    (Col::Year, "Năm"),
    (Col::Source, "Nguồn"),
    (Col::Verified, "Đã đối chiếu"),
    (Col::Guidance, "Hướng dẫn"),
    (Col::DataOffice, "Cơ quan giữ số liệu"),
    (Col::Proof, "Minh chứng thường dùng"),
    (Col::Levels, "Các mức (từ thấp đến cao, cách nhau bằng |)"),
    (Col::TextVerified, "Nội dung đã đối chiếu"),
    (Col::Note, "Ghi chú chỉ tiêu"),
    (Col::CriterionGroup, "Nhóm tiêu chí"),
    (Col::NameVerified, "Tên tiêu chí đã đối chiếu"),
    (Col::RevocationKey, "Tiêu chí then chốt khi xét thu hồi"),
    (Col::CriterionNote, "Ghi chú tiêu chí"),
];

/// A header key: folded, punctuation as spaces, single spaces; the part in brackets
/// («Loại (tỷ lệ, …)») left out.
pub(super) fn key(text: &str) -> String {
    let text = nfc(text);
    let head = text.split('(').next().unwrap_or_default();
    let folded: String = fold(head)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The header of a segment column in the office's sheet.
pub(super) fn segment_header(segment: Segment) -> String {
    match segment {
        Segment::General => "Chung".into(),
        Segment::Group(g) => format!("Nhóm {}", g.code()),
        Segment::Region(r) => match r {
            Region::NorthernMountains => "TDMNPB",
            Region::RedRiverDelta => "ĐBSH",
            Region::NorthCentral => "BTB",
            Region::SouthCentralCoast => "DHNTB",
            Region::CentralHighlands => "TN",
            Region::Southeast => "ĐNB",
            Region::MekongDelta => "ĐBSCL",
        }
        .into(),
    }
}

/// Every segment of an edition keyed this way, in the order of the sheet.
pub(super) fn segments_of(keyed_by: KeyedBy) -> Vec<Segment> {
    let mut all = vec![Segment::General];
    match keyed_by {
        KeyedBy::Group => all.extend(
            crate::domain::units::CommuneGroup::ALL
                .iter()
                .map(|g| Segment::Group(*g)),
        ),
        KeyedBy::Region => all.extend(Region::ALL.iter().map(|r| Segment::Region(*r))),
        KeyedBy::Nothing => {}
    }
    all
}

pub(super) fn column_of(header: &str) -> Option<Col> {
    let k = key(header);
    for (col, name) in BEFORE.iter().chain(AFTER.iter()) {
        if key(name) == k {
            return Some(*col);
        }
    }
    let alias = match k.as_str() {
        "so tieu chi" => Some(Col::Criterion),
        "ma" => Some(Col::Code),
        "noi dung" => Some(Col::Text),
        "don vi tinh" => Some(Col::Unit),
        "ghi chu" => Some(Col::Note),
        _ => None,
    };
    if alias.is_some() {
        return alias;
    }
    let all = segments_of(KeyedBy::Region)
        .into_iter()
        .chain(segments_of(KeyedBy::Group));
    for s in all {
        let full = match s {
            Segment::Region(r) => key(r.label()),
            Segment::Group(g) => format!("xa nhom {}", g.code()),
            Segment::General => "chi tieu chung".into(),
        };
        if k == key(&segment_header(s)) || k == full || k == key(&s.code()) {
            return Some(Col::Segment(s));
        }
    }
    None
}

pub(super) fn kind_text(kind: IndicatorKind) -> &'static str {
    match kind {
        IndicatorKind::Ratio => "tỷ lệ",
        IndicatorKind::Amount => "số tiền",
        IndicatorKind::Count => "số lượng",
        IndicatorKind::YesNo => "có/không",
        IndicatorKind::Level => "mức độ",
    }
}

pub(super) fn kind_code(text: &str) -> String {
    let k = key(text);
    let found = IndicatorKind::ALL
        .into_iter()
        .find(|kind| key(kind_text(*kind)) == k || key(kind.code()) == k || key(kind.label()) == k);
    match found {
        Some(kind) => kind.code().to_string(),
        None if k == "gia tri" => IndicatorKind::Amount.code().into(),
        None => text.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_without_case_or_diacritics() {
        assert_eq!(column_of("MÃ CHỈ TIÊU"), Some(Col::Code));
        assert_eq!(column_of("ma chi tieu"), Some(Col::Code));
        assert_eq!(column_of("Loại"), Some(Col::Kind));
        assert_eq!(column_of("loai (ty le, so tien)"), Some(Col::Kind));
        assert_eq!(column_of("So sánh"), Some(Col::Comparator));
        assert_eq!(
            column_of("nhom 2"),
            Some(Col::Segment(Segment::Group(
                crate::domain::units::CommuneGroup::Two
            )))
        );
        assert_eq!(
            column_of("dbscl"),
            Some(Col::Segment(Segment::Region(Region::MekongDelta)))
        );
        assert_eq!(
            column_of("Đồng bằng sông Hồng"),
            Some(Col::Segment(Segment::Region(Region::RedRiverDelta)))
        );
        assert_eq!(column_of("CƠ QUAN GIỮ SỐ LIỆU"), Some(Col::DataOffice));
        assert_eq!(column_of("Đã đối chiếu"), Some(Col::Verified));
    }

    #[test]
    fn kinds_read_in_words_or_codes() {
        assert_eq!(kind_code("Tỷ lệ"), "ty_le");
        assert_eq!(kind_code("so tien"), "so_tien");
        assert_eq!(kind_code("Có/không"), "co_khong");
        assert_eq!(kind_code("muc_do"), "muc_do");
        assert_eq!(kind_code("phần trăm"), "phần trăm");
    }
}
