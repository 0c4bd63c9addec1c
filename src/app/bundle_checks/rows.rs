//! The checks at the door for the rows of a manifest: indicator values, criterion ratings,
//! the commune's conditions, postings and settings, and evidence. Each adds what is wrong
//! to the shared [`Problems`] list and returns the rows parsed into domain and store
//! types (a code as sent, `DAT` or `05/01/2026`, is stored as read: `dat`, `2026-01-05`).

use super::{MAX_ITEMS, Manifest, Problems, shown};
use crate::domain::catalog::Edition;
use crate::domain::engine::{DebtStatus, Posting, PostingMedium, SecurityStatus};
use crate::domain::units::Verdict;
use crate::store::{BundleEvidence, ConditionsRecord, CriterionRating, ValueRecord};
use std::collections::BTreeSet;

/// The indicator values: known to the edition, each once, with valid verdicts, numbers,
/// dates and texts.
pub(super) fn check_values(p: &mut Problems, m: &Manifest, edition: &Edition) -> Vec<ValueRecord> {
    let mut values = Vec::new();
    let mut indicators_seen = BTreeSet::new();
    for v in m.values.iter().take(MAX_ITEMS) {
        if p.full() {
            break;
        }
        let field = format!("chỉ tiêu {}", shown(&v.indicator));
        if v.assessment != m.assessment {
            p.add(format!(
                "{field}: trỏ tới đợt đánh giá khác ({})",
                v.assessment
            ));
        }
        let indicator = edition.indicator(&v.indicator).map(|(_, i)| i.code.clone());
        if indicator.is_none() {
            p.add(format!(
                "chỉ tiêu «{}» không có trong bộ tiêu chí",
                shown(&v.indicator)
            ));
        }
        if !indicators_seen.insert(v.indicator.as_str()) {
            p.add(format!("{field}: lặp lại"));
        }
        let computed = check_verdict(p, &field, &v.computed_verdict);
        let manual = v
            .manual_verdict
            .as_deref()
            .and_then(|mv| check_verdict(p, &field, mv));
        if v.manual_verdict.is_some()
            && v.manual_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            p.add(format!("{field}: kết luận thủ công không có lý do"));
        }
        p.number(&format!("{field}, tử số"), v.numerator);
        p.number(&format!("{field}, mẫu số"), v.denominator);
        p.number(&format!("{field}, giá trị"), v.value_number);
        if let (Some(n), Some(d)) = (v.numerator, v.denominator)
            && n > d
        {
            p.add(format!("{field}: tử số lớn hơn mẫu số"));
        }
        let data_date = p.date(&format!("{field}, ngày số liệu"), &v.data_date);
        let deadline = p.date(&format!("{field}, hạn"), &v.deadline);
        for (name, t) in [
            ("giá trị", &v.value_text),
            ("nguồn số liệu", &v.source_office),
            ("lý do", &v.manual_reason),
            ("ghi chú", &v.note),
            ("người phụ trách", &v.responsible),
        ] {
            p.opt_text(&format!("{field}, {name}"), t);
        }
        let (Some(indicator), Some(computed_verdict)) = (indicator, computed) else {
            continue;
        };
        values.push(ValueRecord {
            indicator,
            numerator: v.numerator,
            denominator: v.denominator,
            value_number: v.value_number,
            value_text: v.value_text.clone(),
            data_date,
            source_office: v.source_office.clone(),
            computed_verdict,
            manual_verdict: manual,
            manual_reason: v.manual_reason.clone(),
            note: v.note.clone(),
            responsible: v.responsible.clone(),
            deadline,
        });
    }
    values
}

/// The criterion ratings: criteria of the edition, each once, with a valid verdict.
pub(super) fn check_ratings(
    p: &mut Problems,
    m: &Manifest,
    edition: &Edition,
) -> Vec<CriterionRating> {
    let mut rated = BTreeSet::new();
    let mut ratings = Vec::new();
    for (n, v, reason) in m.ratings.iter().take(MAX_ITEMS) {
        if !edition.criteria.iter().any(|c| c.number == *n) {
            p.add(format!("tiêu chí số {n} không có trong bộ tiêu chí"));
        }
        if !rated.insert(*n) {
            p.add(format!("tiêu chí số {n}: kết luận lặp lại"));
        }
        let verdict = check_verdict(p, &format!("tiêu chí số {n}"), v);
        p.text(&format!("tiêu chí số {n}, lý do"), reason);
        if let Some(verdict) = verdict {
            ratings.push(CriterionRating {
                number: *n,
                verdict,
                reason: reason.clone(),
            });
        }
    }
    ratings
}

/// The commune's conditions: counts in order, a threshold in 0..=100, known statuses.
pub(super) fn check_conditions(
    p: &mut Problems,
    c: &crate::app::bundle_manifest::ConditionsEntry,
) -> ConditionsRecord {
    if let (Some(s), Some(total)) = (c.households_satisfied, c.households_surveyed)
        && s > total
    {
        p.add(format!(
            "điều kiện: số hộ hài lòng ({s}) lớn hơn số hộ được hỏi ({total})"
        ));
    }
    if c.satisfaction_threshold
        .is_some_and(|t| !(0.0..=100.0).contains(&t))
    {
        p.add("điều kiện: ngưỡng hài lòng phải từ 0 đến 100 %");
    }
    p.number("điều kiện, nợ đọng", c.debt_million_vnd);
    let debt_status = c.debt_status.as_deref().and_then(|d| {
        let read = DebtStatus::from_code(d);
        if read.is_none() {
            p.add(format!(
                "điều kiện: tình trạng nợ «{}» không hợp lệ",
                shown(d)
            ));
        }
        read
    });
    let security_status = c.security_status.as_deref().and_then(|s| {
        let read = SecurityStatus::from_code(s);
        if read.is_none() {
            p.add(format!(
                "điều kiện: tình hình an ninh «{}» không hợp lệ",
                shown(s)
            ));
        }
        read
    });
    ConditionsRecord {
        households_surveyed: c.households_surveyed,
        households_satisfied: c.households_satisfied,
        satisfaction_threshold: c.satisfaction_threshold,
        debt_million_vnd: c.debt_million_vnd,
        debt_status,
        security_status,
    }
}

/// The postings (place, date, medium), returned as read, and the dossier settings and
/// signed originals (key, value).
pub(super) fn check_postings_and_settings(p: &mut Problems, m: &Manifest) -> Vec<Posting> {
    let mut postings = Vec::new();
    for (i, (place, date, medium)) in m.postings.iter().take(MAX_ITEMS).enumerate() {
        let field = format!("niêm yết thứ {}", i + 1);
        p.text(&field, place);
        let date = p.date(&field, &Some(date.clone()));
        if date.is_none() {
            p.add(format!("{field}: thiếu ngày niêm yết"));
        }
        let read = PostingMedium::from_code(medium);
        if read.is_none() {
            p.add(format!(
                "{field}: hình thức «{}» không hợp lệ",
                shown(medium)
            ));
        }
        if let (Some(date), Some(medium)) = (date, read) {
            postings.push(Posting {
                place: place.clone(),
                date,
                medium,
            });
        }
    }
    for (k, v) in m.settings.iter().chain(m.signed.iter()).take(2 * MAX_ITEMS) {
        if k.chars().count() > 100 || k.chars().any(char::is_control) {
            p.add(format!("thông tin hồ sơ: khóa «{}» không hợp lệ", shown(k)));
        }
        p.text(&format!("thông tin hồ sơ «{}»", shown(k)), v);
    }
    if let Some(date) = m.settings.get("ngay") {
        p.date("thông tin hồ sơ «ngay»", &Some(date.clone()));
    }
    postings
}

/// A verdict code of `field` must be one the app knows; the verdict as read.
fn check_verdict(p: &mut Problems, field: &str, v: &str) -> Option<Verdict> {
    let read = Verdict::from_code(v);
    if read.is_none() {
        p.add(format!("{field}: kết luận «{}» không hợp lệ", shown(v)));
    }
    read
}

/// The evidence rows: each code once, a file in the bundle, valid names, media type,
/// links to indicators of the edition. Returns the rows and the codes seen.
pub(super) fn check_evidence(
    p: &mut Problems,
    m: &Manifest,
    edition: &Edition,
    seen: &BTreeSet<String>,
) -> (Vec<BundleEvidence>, BTreeSet<String>) {
    let known = |code: &str| edition.indicator(code).is_some();
    let mut evidence = Vec::new();
    let mut codes = BTreeSet::new();
    for e in m.evidence.iter().take(MAX_ITEMS) {
        if p.full() {
            break;
        }
        let field = format!("minh chứng {}", shown(&e.code));
        if e.assessment != m.assessment {
            p.add(format!(
                "{field}: trỏ tới đợt đánh giá khác ({})",
                e.assessment
            ));
        }
        if crate::domain::evidence::EvidenceCode::parse(&e.code).is_none() {
            p.add(format!("{field}: mã minh chứng không hợp lệ"));
        }
        if !seen.contains(&e.sha256) {
            p.add(format!("{field}: không có tệp trong gói"));
        }
        if !codes.insert(e.code.clone()) {
            p.add(format!("{field}: mã minh chứng lặp lại"));
        }
        for name in std::iter::once(&e.file_name).chain(e.link_names.values()) {
            if let Some(why) = crate::domain::file_name::problem(name) {
                p.add(format!(
                    "{field}: tên tệp «{}» không hợp lệ — {why}",
                    shown(name)
                ));
            }
        }
        if crate::domain::evidence::MediaType::parse(&e.media_type).is_none() {
            p.add(format!("{field}: kiểu tệp không hợp lệ"));
        }
        if let Some(i) = e.link_names.keys().find(|i| !e.indicators.contains(i)) {
            p.add(format!(
                "{field}: đặt tên cho chỉ tiêu «{}» mà tệp không gắn",
                shown(i)
            ));
        }
        if let Some(i) = e.indicators.iter().find(|i| !known(i)) {
            p.add(format!(
                "{field}: gắn với chỉ tiêu «{}» không có trong bộ tiêu chí",
                shown(i)
            ));
        }
        p.date(&format!("{field}, ngày văn bản"), &e.doc_date);
        for t in [&e.doc_number, &e.issuer, &e.summary] {
            p.opt_text(&field, t);
        }
        evidence.push(BundleEvidence {
            code: e.code.clone(),
            file_name: e.file_name.clone(),
            media_type: e.media_type.clone(),
            sha256: e.sha256.clone(),
            meta: [
                e.doc_number.clone(),
                e.doc_date.clone(),
                e.issuer.clone(),
                e.summary.clone(),
            ],
            indicators: e.indicators.clone(),
            link_names: e.link_names.clone(),
        });
    }
    (evidence, codes)
}
