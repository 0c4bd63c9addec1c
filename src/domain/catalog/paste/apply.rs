//! A pasted table applied to a base edition: the province copy it makes.

use super::PastedTable;
use crate::domain::catalog::{
    Comparator, Criterion, Edition, EditionCode, Guidance, Indicator, Threshold,
};
use crate::domain::vn_text::{fold, nfc};

/// The edition a pasted table makes from `base`: a copy under `code` whose criteria in
/// the table take the table's indicators (and its name when the base has none); other
/// criteria stay as they are. Thresholds are marked unverified, with the base's decision
/// and annex as their source. The result still has to pass validation before saving.
pub fn apply_paste(base: &Edition, code: EditionCode, title: &str, table: &PastedTable) -> Edition {
    let mut edition = base.clone();
    edition.code = code;
    if !title.trim().is_empty() {
        edition.title = nfc(title);
    }
    let source = {
        let parts: Vec<&str> = [base.legal.decision.as_str(), base.legal.annex.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            "Dán từ bảng phụ lục".to_string()
        } else {
            format!("{} (dán từ bảng)", parts.join(", "))
        }
    };
    for pc in &table.criteria {
        let indicators: Vec<Indicator> = pc
            .indicators
            .iter()
            .filter_map(|pi| {
                Some(Indicator {
                    code: pi.code.clone(),
                    text: pi.text.clone(),
                    text_verified: false,
                    unit: pi.unit.clone(),
                    kind: pi.kind?,
                    comparator: pi.comparator.unwrap_or(Comparator::AtLeast),
                    levels: pi.levels.clone(),
                    thresholds: pi
                        .thresholds
                        .iter()
                        .map(|t| Threshold {
                            segment: t.segment,
                            year: None,
                            value: t.value.clone(),
                            verified: false,
                            source: source.clone(),
                        })
                        .collect(),
                    guidance: Guidance::default(),
                    note: String::new(),
                })
            })
            .collect();
        match edition.criteria.iter_mut().find(|c| c.number == pc.number) {
            Some(c) => {
                if !pc.name.is_empty() && fold(&pc.name) != fold(&c.name) {
                    c.name = pc.name.clone();
                    c.name_verified = false;
                }
                if c.group.is_empty() {
                    c.group = pc.group.clone();
                }
                c.indicators = indicators;
            }
            None => edition.criteria.push(Criterion {
                number: pc.number,
                name: pc.name.clone(),
                name_verified: false,
                group: pc.group.clone(),
                revocation_key: false,
                indicators,
                note: String::new(),
            }),
        }
    }
    edition.criteria.sort_by_key(|c| c.number);
    edition
}
