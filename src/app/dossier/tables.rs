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

/// Evidence codes for a table cell, runs of consecutive codes written as a range:
/// «TC03-01, TC03-02 đến TC03-38». With one code a line, 37 photos of one indicator made
/// a row taller than half a page and left the page before it half empty.
pub(super) fn code_ranges(codes: &[String]) -> String {
    /// The code's prefix and number: «TC03-» and 2 for «TC03-02».
    fn split(code: &str) -> Option<(&str, u32)> {
        let cut = code.rfind('-')? + 1;
        let prefix = code.get(..cut)?;
        let number = code.get(cut..)?.parse().ok()?;
        Some((prefix, number))
    }
    let mut sorted: Vec<&String> = codes.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut runs: Vec<Vec<&String>> = Vec::new();
    for code in sorted {
        let follows = runs.last().and_then(|run| run.last()).is_some_and(|last| {
            match (split(last), split(code)) {
                (Some((p, n)), Some((q, m))) => p == q && n.checked_add(1) == Some(m),
                _ => false,
            }
        });
        match runs.last_mut() {
            Some(run) if follows => run.push(code),
            _ => runs.push(vec![code]),
        }
    }
    runs.iter()
        .map(|run| match run.as_slice() {
            [first, .., last] if run.len() > 2 => format!("{first} đến {last}"),
            codes => codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect::<Vec<_>>()
        .join(", ")
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
                codes
                    .get(&i.code)
                    .map(|c| code_ranges(c))
                    .unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::code_ranges;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    /// 37 photos of indicator 3.2 listed one code a line made its row of the results
    /// table taller than half a page: runs of codes are now a range.
    #[test]
    fn r_evidence_codes_one_a_line_fill_half_a_page() {
        let many: Vec<String> = (2..=38).map(|n| format!("TC03-{n:02}")).collect();
        assert_eq!(code_ranges(&many), "TC03-02 đến TC03-38");
        assert_eq!(
            code_ranges(&codes(&["TC03-03", "TC03-01", "TC03-02", "TC15-01"])),
            "TC03-01 đến TC03-03, TC15-01"
        );
        assert_eq!(
            code_ranges(&codes(&["TC03-01", "TC03-02", "TC03-05"])),
            "TC03-01, TC03-02, TC03-05"
        );
        assert_eq!(code_ranges(&codes(&["khac", "TC03-01"])), "TC03-01, khac");
        assert_eq!(code_ranges(&[]), "");
    }
}
