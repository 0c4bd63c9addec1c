//! The computed conditions of an edition (`[[conditions.computed]]`) between their raw
//! and validated forms, and their one-cell form in spreadsheets.

use super::problems::Problems;
use super::{RawComputed, sp};
use crate::domain::catalog::{ComputedCondition, ComputedKind};
use crate::domain::units::{RecognitionTarget, UnitKind};
use crate::domain::vn_text::nfc;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use toml::Spanned;

pub(super) fn raw_computed(c: &ComputedCondition) -> RawComputed {
    let (units, target) = match c.kind {
        ComputedKind::RecognisedShare { units, target } => {
            (units.code().to_string(), target.code().to_string())
        }
        _ => (String::new(), String::new()),
    };
    RawComputed {
        kind: sp(c.kind.code().to_string()),
        units,
        target,
        min_percent: c.min_percent.map(sp),
        text: sp(c.text.clone()),
        verified: c.verified,
        source: c.source.clone(),
    }
}

/// The computed conditions as one line of TOML (an inline array), for a spreadsheet
/// cell; empty when there are none. [`computed_from_cell`] reads it back.
pub fn computed_to_cell(computed: &[ComputedCondition]) -> String {
    #[derive(Serialize)]
    struct Wrap {
        c: Vec<RawComputed>,
    }
    if computed.is_empty() {
        return String::new();
    }
    let wrap = Wrap {
        c: computed.iter().map(raw_computed).collect(),
    };
    toml::to_string(&wrap)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|t| t.get("c").map(|v| v.to_string()))
        .unwrap_or_default()
}

/// Reads a cell written by [`computed_to_cell`]; every field is placed at `span` (the
/// cell), so validation reports the cell. `None` when the text is not such a list.
pub fn computed_from_cell(text: &str, span: Range<usize>) -> Option<Vec<RawComputed>> {
    #[derive(Deserialize)]
    struct Wrap {
        c: Vec<RawComputed>,
    }
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    let wrap: Wrap = toml::from_str(&format!("c = {text}")).ok()?;
    let at = |s: Spanned<String>| Spanned::new(span.clone(), s.into_inner());
    Some(
        wrap.c
            .into_iter()
            .map(|c| RawComputed {
                kind: at(c.kind),
                text: at(c.text),
                min_percent: c
                    .min_percent
                    .map(|m| Spanned::new(span.clone(), m.into_inner())),
                ..c
            })
            .collect(),
    )
}

/// One computed condition: a known kind, communes or towns and a recognition target for
/// a share, a minimum from 0 to 100 % where the kind compares one, and its text.
pub(super) fn computed(c: &RawComputed, p: &mut Problems<'_>) -> Option<ComputedCondition> {
    let kind = match c.kind.get_ref().trim() {
        "ty_le_cong_nhan" => recognised_share(c, p)?,
        "hai_long" => ComputedKind::OwnSatisfaction,
        "hai_long_tung_noi_dung" => ComputedKind::SatisfactionPerContent,
        "dat_tieu_chi" => ComputedKind::OwnCriteriaMet,
        other => {
            p.report(
                c.kind.span(),
                "conditions.computed.kind",
                format!(
                    "loại điều kiện «{other}» không hợp lệ (ty_le_cong_nhan, hai_long, hai_long_tung_noi_dung, dat_tieu_chi)"
                ),
            );
            return None;
        }
    };
    let text = nfc(c.text.get_ref());
    if text.is_empty() {
        p.report(
            c.text.span(),
            "conditions.computed.text",
            "thiếu nội dung điều kiện (text)".into(),
        );
    }
    let min_percent = c.min_percent.as_ref().map(|m| *m.get_ref());
    match (kind.needs_percent(), min_percent) {
        (true, None) => p.report(
            c.kind.span(),
            "conditions.computed.min_percent",
            format!("điều kiện «{text}» cần tỷ lệ tối thiểu (min_percent)"),
        ),
        (true, Some(v)) if !(0.0..=100.0).contains(&v) => p.report(
            c.min_percent.as_ref().map_or(c.kind.span(), |m| m.span()),
            "conditions.computed.min_percent",
            "tỷ lệ tối thiểu phải từ 0 đến 100".into(),
        ),
        (false, Some(_)) => p.report(
            c.kind.span(),
            "conditions.computed.min_percent",
            "điều kiện dat_tieu_chi không có tỷ lệ tối thiểu: bỏ min_percent".into(),
        ),
        _ => {}
    }
    Some(ComputedCondition {
        kind,
        min_percent,
        text,
        verified: c.verified,
        source: nfc(&c.source),
    })
}

/// `ty_le_cong_nhan`: communes or towns, and a recognition target.
fn recognised_share(c: &RawComputed, p: &mut Problems<'_>) -> Option<ComputedKind> {
    let units =
        UnitKind::from_code(&c.units).filter(|k| matches!(k, UnitKind::Commune | UnitKind::Town));
    let target = RecognitionTarget::from_code(&c.target);
    if units.is_none() {
        p.report(
            c.kind.span(),
            "conditions.computed.units",
            format!(
                "đơn vị được tính «{}» không hợp lệ (xa hoặc thitran)",
                c.units
            ),
        );
    }
    if target.is_none() {
        p.report(
            c.kind.span(),
            "conditions.computed.target",
            format!(
                "mục tiêu công nhận «{}» không hợp lệ (ntm, nang-cao, kieu-mau, hien-dai, do-thi-van-minh)",
                c.target
            ),
        );
    }
    Some(ComputedKind::RecognisedShare {
        units: units?,
        target: target?,
    })
}
