//! The manifest of an assessment bundle, and the checks at the door: every field is
//! parsed as if it had been typed in the app — codes that exist in the edition, verdict
//! codes, years, dates, counts, unit levels in order, file names, sizes and counts —
//! before anything is written. A manifest that breaks any rule is refused whole, with
//! the first problems listed.
use super::bundle_format::{MAX_ENTRY, is_hex64, is_origin};
pub(crate) use super::bundle_manifest::{Entry, Manifest, UnitEntry};
use crate::domain::catalog::Edition;
use crate::domain::engine::{DebtStatus, PostingMedium, SecurityStatus};
use crate::domain::units::{CommuneGroup, Region, Target, UnitFlag, UnitKind, Verdict};
use crate::domain::vn_text::{CivilDate, nfc};
use crate::store::{BundleEvidence, BundleUnit, ConditionsRecord, ValueRecord};
use std::collections::BTreeSet;

/// The manifest kind of an assessment bundle.
pub const KIND: &str = "ho_so";
/// Years a bundle may carry.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// At most this many values, evidence files, postings, settings or ratings.
pub const MAX_ITEMS: usize = 20_000;
/// At most this many characters in one text field.
pub const MAX_TEXT: usize = 10_000;
/// At most this many problems are listed.
const MAX_PROBLEMS: usize = 10;

/// A manifest that passed every check, in domain and store types.
pub(crate) struct Checked {
    pub(crate) edition: Edition,
    pub(crate) parents: Vec<BundleUnit>,
    pub(crate) unit: BundleUnit,
    pub(crate) target: Target,
    pub(crate) values: Vec<ValueRecord>,
    pub(crate) ratings: Vec<(u32, String, String)>,
    pub(crate) conditions: ConditionsRecord,
    pub(crate) postings: Vec<(String, String, String)>,
    pub(crate) evidence: Vec<BundleEvidence>,
}

/// Problems found so far; only the first few are kept.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn add(&mut self, p: impl Into<String>) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(p.into());
        }
    }

    fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }

    fn text(&mut self, field: &str, t: &str) {
        if t.chars().count() > MAX_TEXT {
            self.add(format!("{field}: quá {MAX_TEXT} ký tự"));
        } else if t.chars().any(|c| c == '\0') {
            self.add(format!("{field}: có ký tự NUL"));
        }
    }

    fn opt_text(&mut self, field: &str, t: &Option<String>) {
        if let Some(t) = t {
            self.text(field, t);
        }
    }

    fn date(&mut self, field: &str, d: &Option<String>) {
        if let Some(d) = d.as_deref().filter(|d| !d.trim().is_empty()) {
            match CivilDate::parse(d) {
                Some(c) if YEARS.contains(&c.year) => {}
                _ => self.add(format!("{field}: ngày «{}» không hợp lệ", shown(d))),
            }
        }
    }

    fn number(&mut self, field: &str, n: Option<f64>) {
        if n.is_some_and(|n| !n.is_finite() || n < 0.0) {
            self.add(format!("{field}: số không hợp lệ (phải là số không âm)"));
        }
    }
}

/// At most 40 characters of a hostile value, control characters shown as `?`.
fn shown(s: &str) -> String {
    s.chars()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn unit(p: &mut Problems, u: &UnitEntry, field: &str) -> Option<BundleUnit> {
    let name = nfc(&u.name);
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        p.add(format!("{field}: tên đơn vị không hợp lệ"));
    }
    if let Some(c) = &u.official_code
        && (c.chars().count() > 20 || c.chars().any(|ch| !ch.is_ascii_alphanumeric()))
    {
        p.add(format!("{field}: mã đơn vị «{}» không hợp lệ", shown(c)));
    }
    let kind = UnitKind::from_code(&u.kind);
    if kind.is_none() {
        p.add(format!(
            "{field}: cấp đơn vị «{}» không hợp lệ",
            shown(&u.kind)
        ));
    }
    let region = u.region.as_ref().and_then(|r| {
        let v = Region::from_code(r);
        if v.is_none() {
            p.add(format!("{field}: vùng «{}» không hợp lệ", shown(r)));
        }
        v
    });
    let group = u.group.as_ref().and_then(|g| {
        let v = CommuneGroup::from_code(g);
        if v.is_none() {
            p.add(format!("{field}: nhóm xã «{}» không hợp lệ", shown(g)));
        }
        v
    });
    if u.flags.len() > UnitFlag::ALL.len() {
        p.add(format!("{field}: quá nhiều diện"));
    }
    let mut flags = Vec::new();
    for f in u.flags.iter().take(UnitFlag::ALL.len() + 1) {
        match UnitFlag::from_code(f) {
            Some(f) => flags.push(f),
            None => p.add(format!("{field}: diện «{}» không hợp lệ", shown(f))),
        }
    }
    Some(BundleUnit {
        name,
        kind: kind?,
        official_code: u.official_code.clone(),
        region,
        group,
        flags,
    })
}

/// The files of the body: named by their hash, within the size limit, each once, and
/// adding up to the body's length. Returns the names seen.
fn check_entries(p: &mut Problems, entries: &[Entry], body_len: u64) -> BTreeSet<String> {
    let mut total = 0u64;
    let mut seen = BTreeSet::new();
    for e in entries {
        if !is_hex64(&e.name) || e.name != e.sha256 {
            p.add(format!(
                "tên mục «{}» trong gói không hợp lệ (chỉ chấp nhận mã băm, không chấp nhận đường dẫn)",
                shown(&e.name)
            ));
        }
        if e.size > MAX_ENTRY {
            p.add(format!("mục {} quá lớn ({} byte)", shown(&e.name), e.size));
        }
        if !seen.insert(e.name.clone()) {
            p.add(format!("mục {} lặp lại", shown(&e.name)));
        }
        total = total.saturating_add(e.size);
    }
    if total != body_len {
        p.add("độ dài các tệp bên trong không khớp bản kê");
    }
    seen
}

/// The indicator values: known to the edition, each once, with valid verdicts, numbers,
/// dates and texts.
fn check_values(p: &mut Problems, m: &Manifest, edition: &Edition) -> Vec<ValueRecord> {
    let known = |code: &str| edition.indicator(code).is_some();
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
        if !known(&v.indicator) {
            p.add(format!(
                "chỉ tiêu «{}» không có trong bộ tiêu chí",
                shown(&v.indicator)
            ));
        }
        if !indicators_seen.insert(v.indicator.as_str()) {
            p.add(format!("{field}: lặp lại"));
        }
        check_verdict(p, &field, &v.computed_verdict);
        if let Some(mv) = &v.manual_verdict {
            check_verdict(p, &field, mv);
            if v.manual_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                p.add(format!("{field}: kết luận thủ công không có lý do"));
            }
        }
        p.number(&format!("{field}, tử số"), v.numerator);
        p.number(&format!("{field}, mẫu số"), v.denominator);
        p.number(&format!("{field}, giá trị"), v.value_number);
        if let (Some(n), Some(d)) = (v.numerator, v.denominator)
            && n > d
        {
            p.add(format!("{field}: tử số lớn hơn mẫu số"));
        }
        p.date(&format!("{field}, ngày số liệu"), &v.data_date);
        p.date(&format!("{field}, hạn"), &v.deadline);
        for (name, t) in [
            ("giá trị", &v.value_text),
            ("nguồn số liệu", &v.source_office),
            ("lý do", &v.manual_reason),
            ("ghi chú", &v.note),
            ("người phụ trách", &v.responsible),
        ] {
            p.opt_text(&format!("{field}, {name}"), t);
        }
        values.push(ValueRecord {
            indicator: v.indicator.clone(),
            numerator: v.numerator,
            denominator: v.denominator,
            value_number: v.value_number,
            value_text: v.value_text.clone(),
            data_date: v.data_date.clone(),
            source_office: v.source_office.clone(),
            computed_verdict: v.computed_verdict.clone(),
            manual_verdict: v.manual_verdict.clone(),
            manual_reason: v.manual_reason.clone(),
            note: v.note.clone(),
            responsible: v.responsible.clone(),
            deadline: v.deadline.clone(),
        });
    }
    values
}

/// The criterion ratings: criteria of the edition, each once, with a valid verdict.
fn check_ratings(p: &mut Problems, m: &Manifest, edition: &Edition) {
    let mut rated = BTreeSet::new();
    for (n, v, reason) in m.ratings.iter().take(MAX_ITEMS) {
        if !edition.criteria.iter().any(|c| c.number == *n) {
            p.add(format!("tiêu chí số {n} không có trong bộ tiêu chí"));
        }
        if !rated.insert(*n) {
            p.add(format!("tiêu chí số {n}: kết luận lặp lại"));
        }
        check_verdict(p, &format!("tiêu chí số {n}"), v);
        p.text(&format!("tiêu chí số {n}, lý do"), reason);
    }
}

/// The commune's conditions: counts in order, a threshold in 0..=100, known statuses.
fn check_conditions(p: &mut Problems, c: &super::bundle_manifest::ConditionsEntry) {
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
    if let Some(d) = &c.debt_status
        && DebtStatus::from_code(d).is_none()
    {
        p.add(format!(
            "điều kiện: tình trạng nợ «{}» không hợp lệ",
            shown(d)
        ));
    }
    if let Some(s) = &c.security_status
        && SecurityStatus::from_code(s).is_none()
    {
        p.add(format!(
            "điều kiện: tình hình an ninh «{}» không hợp lệ",
            shown(s)
        ));
    }
}

/// The postings (place, date, medium) and the dossier settings and signed originals
/// (key, value).
fn check_postings_and_settings(p: &mut Problems, m: &Manifest) {
    for (i, (place, date, medium)) in m.postings.iter().take(MAX_ITEMS).enumerate() {
        let field = format!("niêm yết thứ {}", i + 1);
        p.text(&field, place);
        p.date(&field, &Some(date.clone()));
        if PostingMedium::from_code(medium).is_none() {
            p.add(format!(
                "{field}: hình thức «{}» không hợp lệ",
                shown(medium)
            ));
        }
    }
    for (k, v) in m.settings.iter().chain(m.signed.iter()).take(2 * MAX_ITEMS) {
        if k.chars().count() > 100 || k.chars().any(char::is_control) {
            p.add(format!("thông tin hồ sơ: khóa «{}» không hợp lệ", shown(k)));
        }
        p.text(&format!("thông tin hồ sơ «{}»", shown(k)), v);
    }
}

/// A verdict code of `field` must be one the app knows.
fn check_verdict(p: &mut Problems, field: &str, v: &str) {
    if Verdict::from_code(v).is_none() {
        p.add(format!("{field}: kết luận «{}» không hợp lệ", shown(v)));
    }
}

/// The evidence rows: each code once, a file in the bundle, valid names, media type,
/// links to indicators of the edition. Returns the rows and the codes seen.
fn check_evidence(
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
        if e.code.trim().is_empty()
            || e.code.chars().count() > 64
            || e.code.chars().any(char::is_control)
        {
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
        if e.media_type.len() > 100 || !e.media_type.is_ascii() {
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

/// The bundle's identity (origin, round, assessment number) and the item counts.
fn check_identity_and_counts(p: &mut Problems, m: &Manifest) {
    if !is_origin(&m.origin) || !(1..=10_000).contains(&m.round) {
        p.add("định danh hồ sơ hoặc lần gửi không hợp lệ");
    }
    if m.origin.rsplit(':').next() != Some(m.assessment.to_string().as_str()) {
        p.add("mã đợt đánh giá trong bản kê không khớp định danh hồ sơ");
    }
    for (field, n) in [
        ("giá trị", m.values.len()),
        ("minh chứng", m.evidence.len()),
        ("tệp", m.entries.len()),
        ("niêm yết", m.postings.len()),
        ("thông tin hồ sơ", m.settings.len()),
        ("bản đã ký", m.signed.len()),
        ("kết luận tiêu chí", m.ratings.len()),
    ] {
        if n > MAX_ITEMS {
            p.add(format!("quá nhiều mục {field} ({n}, tối đa {MAX_ITEMS})"));
        }
    }
}

/// The edition against what refers to it: its hash, the unit's level, the target and the
/// year. Returns the target, if valid.
fn check_edition_fit(
    p: &mut Problems,
    m: &Manifest,
    edition: &Edition,
    commune: Option<&BundleUnit>,
) -> Option<Target> {
    if crate::store::sha256_hex(m.edition_toml.as_bytes()) != m.edition_sha256 {
        p.add("mã băm của bộ tiêu chí không khớp");
    }
    if commune.is_some_and(|u| u.kind != edition.level) {
        p.add(format!(
            "đơn vị là {}, bộ tiêu chí {} dành cho cấp {}",
            commune.map_or("", |u| u.kind.label()),
            edition.code.as_str(),
            edition.level.label()
        ));
    }
    let target = Target::from_code(&m.target);
    match target {
        None => p.add(format!("mục tiêu «{}» không hợp lệ", shown(&m.target))),
        Some(t) if !edition.targets.contains(&t) => p.add(format!(
            "bộ tiêu chí {} không dùng cho mục tiêu {}",
            edition.code.as_str(),
            t.label()
        )),
        Some(_) => {}
    }
    if !YEARS.contains(&m.year) {
        p.add(format!(
            "năm đánh giá {} không hợp lệ (từ {} đến {})",
            m.year,
            YEARS.start(),
            YEARS.end()
        ));
    }
    target
}

/// Checks every field of a manifest, with the file's body length and the edition
/// parsed from it. `Err` carries the first problems found.
pub(crate) fn check(m: &Manifest, body_len: u64) -> Result<Checked, Vec<String>> {
    let mut p = Problems::default();
    if m.format != super::bundle_format::FORMAT || m.kind != KIND {
        return Err(vec!["loại gói không phải hồ sơ đánh giá".into()]);
    }
    check_identity_and_counts(&mut p, m);
    // Units: at most one of each level above the commune, top down (tỉnh > huyện > xã >
    // thôn), so no chain of parents can be deeper than the levels that exist.
    if m.parents.len() >= UnitKind::ALL.len() {
        return Err(vec![format!(
            "quá nhiều cấp đơn vị cha ({}, tối đa {})",
            m.parents.len(),
            UnitKind::ALL.len() - 1
        )]);
    }
    let parents: Vec<BundleUnit> = m
        .parents
        .iter()
        .enumerate()
        .filter_map(|(i, u)| unit(&mut p, u, &format!("đơn vị cấp trên thứ {}", i + 1)))
        .collect();
    let commune = unit(&mut p, &m.unit, "đơn vị");
    let kinds: Vec<UnitKind> = parents
        .iter()
        .chain(commune.iter())
        .map(|u| u.kind)
        .collect();
    if kinds.windows(2).any(|w| w.first() >= w.get(1)) {
        p.add("các cấp đơn vị không theo thứ tự tỉnh > huyện > xã > thôn");
    }
    let seen = check_entries(&mut p, &m.entries, body_len);
    // The edition and what refers to it.
    let edition = match super::catalog::parse_stored(&m.edition_code, &m.edition_toml) {
        Ok(e) => e,
        Err(e) => {
            p.add(format!(
                "bộ tiêu chí trong gói không đọc được: {}",
                e.summary
            ));
            return Err(p.0);
        }
    };
    let target = check_edition_fit(&mut p, m, &edition, commune.as_ref());
    let values = check_values(&mut p, m, &edition);
    check_ratings(&mut p, m, &edition);
    check_conditions(&mut p, &m.conditions);
    check_postings_and_settings(&mut p, m);
    let (evidence, codes) = check_evidence(&mut p, m, &edition, &seen);
    if let Some((k, code)) = m.signed.iter().find(|(_, c)| !codes.contains(*c)) {
        p.add(format!(
            "bản đã ký «{}» trỏ tới minh chứng không có trong gói: {}",
            shown(k),
            shown(code)
        ));
    }
    if !p.0.is_empty() {
        return Err(p.0);
    }
    let c = &m.conditions;
    let (Some(unit), Some(target)) = (commune, target) else {
        return Err(vec!["đơn vị hoặc mục tiêu không hợp lệ".into()]);
    };
    Ok(Checked {
        edition,
        parents,
        unit,
        target,
        values,
        ratings: m.ratings.clone(),
        conditions: ConditionsRecord {
            households_surveyed: c.households_surveyed,
            households_satisfied: c.households_satisfied,
            satisfaction_threshold: c.satisfaction_threshold,
            debt_million_vnd: c.debt_million_vnd,
            debt_status: c.debt_status.clone(),
            security_status: c.security_status.clone(),
        },
        postings: m.postings.clone(),
        evidence,
    })
}
