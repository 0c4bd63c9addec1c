//! The manifest of an assessment bundle, and the checks at the door: every field is
//! parsed as if it had been typed in the app — codes that exist in the edition, verdict
//! codes, years, dates, counts, unit levels in order, file names, sizes and counts —
//! before anything is written. A manifest that breaks any rule is refused whole, with
//! the first problems listed.
use super::bundle_format::{MAX_ENTRY, is_hex64, is_origin};
pub(crate) use super::bundle_manifest::{Entry, Manifest, UnitEntry};
use crate::domain::catalog::Edition;
use crate::domain::engine::Posting;
use crate::domain::units::{CommuneGroup, Region, Target, UnitFlag, UnitKind};
use crate::domain::vn_text::{CivilDate, nfc};
use crate::store::{BundleEvidence, BundleUnit, ConditionsRecord, CriterionRating, ValueRecord};
use std::collections::BTreeSet;

mod rows;
use rows::{
    check_conditions, check_evidence, check_postings_and_settings, check_ratings, check_values,
};

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
    pub(crate) ratings: Vec<CriterionRating>,
    pub(crate) conditions: ConditionsRecord,
    pub(crate) postings: Vec<Posting>,
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

    /// The date as read (`None` when absent or refused, the refusal listed).
    fn date(&mut self, field: &str, d: &Option<String>) -> Option<CivilDate> {
        let d = d.as_deref().filter(|d| !d.trim().is_empty())?;
        match CivilDate::parse(d) {
            Some(c) if YEARS.contains(&c.year) => Some(c),
            _ => {
                self.add(format!("{field}: ngày «{}» không hợp lệ", shown(d)));
                None
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
                "tên mục «{}» trong gói không hợp lệ (chỉ chấp nhận tên do chương trình đặt, không chấp nhận đường dẫn)",
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
        p.add("bộ tiêu chí trong gói không khớp dấu kiểm tra của nó: gói đã bị sửa");
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
    let ratings = check_ratings(&mut p, m, &edition);
    let conditions = check_conditions(&mut p, &m.conditions);
    let postings = check_postings_and_settings(&mut p, m);
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
    let (Some(unit), Some(target)) = (commune, target) else {
        return Err(vec!["đơn vị hoặc mục tiêu không hợp lệ".into()]);
    };
    Ok(Checked {
        edition,
        parents,
        unit,
        target,
        values,
        ratings,
        conditions,
        postings,
        evidence,
    })
}
