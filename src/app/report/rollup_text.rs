//! The roll-up as readable Vietnamese text: the summary line, one line a commune, the
//! plans and the communes assessed on another edition.

use super::json::{RollupJson, edition_label};
use crate::domain::units::Target;
use crate::domain::vn_text::format_number;

/// The roll-up as readable Vietnamese text.
pub fn rollup_text(r: &RollupJson) -> String {
    let mut out = format!(
        "Tổng hợp {} theo {}{}: {} xã, {} xã đủ điều kiện ({} %), bình quân {}/{} tiêu chí đạt/xã\n",
        r.unit_name,
        edition_label(&r.edition_decision, &r.edition_title, &r.edition),
        rollup_scope(r),
        r.communes_total,
        r.communes_eligible,
        format_number(r.share_eligible_percent, 2),
        format_number(r.average_criteria_met, 2),
        r.edition_criteria.len()
    );
    for c in &r.communes {
        match c.assessment {
            Some(a) => out.push_str(&format!(
                "  [{}] {}: {}/{} tiêu chí, {}/{} chỉ tiêu (đánh giá số {a}, năm {}){}\n",
                c.unit,
                c.name,
                c.criteria_met,
                c.criteria_total,
                c.indicators_met,
                c.indicators_total,
                c.year.unwrap_or_default(),
                if c.eligible {
                    " — đủ điều kiện"
                } else {
                    ""
                }
            )),
            None => out.push_str(&format!("  [{}] {}: chưa có đánh giá\n", c.unit, c.name)),
        }
    }
    for l in crate::app::central::plans::summary_lines(&r.plans) {
        out.push_str(&l);
        out.push('\n');
    }
    if !r.other_editions.is_empty() {
        out.push_str(&format!(
            "Xã đánh giá theo bộ tiêu chí khác, không tính vào số liệu trên ({} xã):\n",
            r.other_editions.len()
        ));
        for c in &r.other_editions {
            out.push_str(&format!(
                "  [{}] {}: {} ({}), năm {} (đánh giá số {})\n",
                c.unit, c.name, c.edition_title, c.edition, c.year, c.assessment
            ));
        }
    }
    out
}

/// «, năm 2026, mục tiêu Nông thôn mới» for the filters asked for; empty without any.
pub fn rollup_scope(r: &RollupJson) -> String {
    let mut out = String::new();
    if let Some(y) = r.year {
        out.push_str(&format!(", năm {y}"));
    }
    if let Some(t) = r.target.and_then(Target::from_code) {
        out.push_str(&format!(", mục tiêu {}", t.label().to_lowercase()));
    }
    out
}
