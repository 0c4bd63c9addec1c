//! The tables of the dossier: the results of every indicator with its evidence codes.

use crate::app::assessment::{self, Loaded};
use crate::domain::units::Verdict;
use crate::domain::vn_text::format_number;
use crate::pdf::Table;
use crate::store::EvidenceRecord;
use std::collections::HashMap;

pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

pub(super) fn evidence_codes(evidence: &[EvidenceRecord]) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for e in evidence {
        for i in &e.indicators {
            map.entry(i.to_string())
                .or_default()
                .push(e.code.to_string());
        }
    }
    map
}

/// The detailed table of every criterion and indicator.
pub(super) fn results_table(l: &Loaded, codes: &HashMap<String, Vec<String>>) -> Table {
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
pub(super) fn result_text(l: &Loaded, code: &str) -> Option<String> {
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
