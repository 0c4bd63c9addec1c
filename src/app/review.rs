//! The compiling office's review of a received assessment — a verdict and comment per
//! criterion, requests for more proof on indicators, the council's vote and the
//! decision — and the review bundle that carries it back to the commune, where the
//! requests become a to-do list on the right indicators.

use super::bundle_format::{Opened, is_origin, refused, write_container};
use super::keys::{Trust, signer_check};
use super::{AppError, AppResult, catalog};
use crate::domain::ids::AssessmentId;
use crate::domain::review::{ReviewCriterion, ReviewRequest};
use crate::domain::units::Verdict;
use crate::domain::vn_text::nfc;
use crate::store::{Review, Workspace};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The manifest kind of a review bundle.
pub const KIND: &str = "nhan_xet";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewManifest {
    format: u32,
    kind: String,
    signer: String,
    origin: String,
    round: i64,
    reviewer: String,
    vote: String,
    decision: String,
    criteria: Vec<(u32, String, String)>,
    requests: Vec<(String, String)>,
    /// The office's province copy the assessment is computed on, as a signed pack;
    /// absent for a national edition, so that such a bundle reads as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edition_pack: Option<super::edition_pack::Pack>,
}

fn received(
    ws: &Workspace,
    id: AssessmentId,
) -> AppResult<(String, i64, crate::domain::catalog::Edition)> {
    let crate::store::ReceivedFrom { origin, round } = ws.imported_from(id)?.ok_or_else(|| {
        AppError::new(
            format!("Đợt đánh giá số {id} không phải hồ sơ nhận từ xã."),
            "Chỉ thẩm định được hồ sơ đã nhận qua gói hồ sơ (.ntm).",
        )
    })?;
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    Ok((origin, round, edition))
}

/// The review of an assessment (empty when none was made).
pub fn get(ws: &Workspace, id: AssessmentId) -> AppResult<Review> {
    Ok(ws.review(id)?)
}

/// Records the office's verdict and comment on one criterion (`None` clears it).
pub fn rate_criterion(
    ws: &mut Workspace,
    id: AssessmentId,
    number: u32,
    verdict: Option<(&str, &str)>,
) -> AppResult<()> {
    let (_, _, edition) = received(ws, id)?;
    if !edition.criteria.iter().any(|c| c.number == number) {
        return Err(AppError::invalid(format!(
            "Không có tiêu chí {number} trong bộ tiêu chí."
        )));
    }
    let mut r = ws.review(id)?;
    r.criteria.retain(|c| c.number != number);
    if let Some((v, comment)) = verdict {
        let v = super::assessment::parse_verdict(v).ok_or_else(|| {
            AppError::invalid(format!(
                "Kết luận «{v}» không hợp lệ: dùng dat, co_ban_dat hoặc chua_dat."
            ))
        })?;
        r.criteria.push(ReviewCriterion {
            number,
            verdict: v,
            comment: nfc(comment),
        });
        r.criteria.sort_by_key(|c| c.number);
    }
    ws.set_review(id, &r)?;
    Ok(())
}

/// Adds a request for more proof on an indicator.
pub fn add_request(
    ws: &mut Workspace,
    id: AssessmentId,
    indicator: &str,
    text: &str,
) -> AppResult<()> {
    let (_, _, edition) = received(ws, id)?;
    let (_, ind) = edition.indicator(indicator).ok_or_else(|| {
        AppError::invalid(format!(
            "Không có chỉ tiêu «{indicator}» trong bộ tiêu chí."
        ))
    })?;
    let text = nfc(text);
    if text.is_empty() {
        return Err(AppError::invalid("Chưa nhập nội dung yêu cầu."));
    }
    let mut r = ws.review(id)?;
    r.requests.push(ReviewRequest {
        indicator: ind.code.clone(),
        text,
    });
    ws.set_review(id, &r)?;
    Ok(())
}

/// Removes the n-th request.
pub fn remove_request(ws: &mut Workspace, id: AssessmentId, index: usize) -> AppResult<()> {
    let mut r = ws.review(id)?;
    if index < r.requests.len() {
        r.requests.remove(index);
        ws.set_review(id, &r)?;
    }
    Ok(())
}

/// Records the council's vote ("20/20") and the decision.
pub fn decide(
    ws: &mut Workspace,
    id: AssessmentId,
    vote: &str,
    decision: &str,
    reviewer: &str,
) -> AppResult<()> {
    received(ws, id)?;
    let vote = vote.trim();
    if !vote.is_empty() {
        let ok = vote
            .split_once('/')
            .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)))
            .is_some_and(|(a, b)| b > 0 && a <= b);
        if !ok {
            return Err(AppError::invalid(format!(
                "Kết quả biểu quyết «{vote}» không hợp lệ: dạng số đồng ý/tổng số, ví dụ 20/20."
            )));
        }
    }
    let mut r = ws.review(id)?;
    r.vote = vote.to_string();
    r.decision = nfc(decision);
    r.reviewer = nfc(reviewer);
    ws.set_review(id, &r)?;
    Ok(())
}

/// Writes the review bundle that goes back to the commune, signed by this workspace's
/// key; returns that key's fingerprint.
pub fn export(ws: &mut Workspace, id: AssessmentId, out: &Path) -> AppResult<String> {
    let output = super::output::Output::begin(ws, out)?;
    let (origin, round, _) = received(ws, id)?;
    let r = ws.review(id)?;
    let edition_code = ws
        .assessment(id)?
        .map(|a| a.edition_code.to_string())
        .unwrap_or_default();
    let edition_pack = super::edition_pack::pack_for(ws, &edition_code)?;
    let key = super::keys::own_key(ws)?;
    let m = ReviewManifest {
        format: super::bundle_format::FORMAT,
        kind: KIND.into(),
        signer: super::keys::hex(key.verifying_key().as_bytes()),
        origin,
        round,
        reviewer: r.reviewer,
        vote: r.vote,
        decision: r.decision,
        criteria: r
            .criteria
            .into_iter()
            .map(|c| (c.number, c.verdict.code().to_string(), c.comment))
            .collect(),
        requests: r
            .requests
            .into_iter()
            .map(|q| (q.indicator.to_string(), q.text))
            .collect(),
        edition_pack,
    };
    let json = serde_json::to_vec(&m).map_err(|e| AppError::invalid(e.to_string()))?;
    write_container(output, &key, &json, &[], &mut |_| Ok(Vec::new()))?;
    Ok(crate::domain::fingerprint::fingerprint(
        key.verifying_key().as_bytes(),
    ))
}

/// What importing a review did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedReview {
    /// Our assessment it is about.
    pub assessment: AssessmentId,
    /// Requests for more proof.
    pub requests: usize,
    /// False when the same review was already there.
    pub is_new: bool,
    /// What became of the office's edition pack the bundle carried (installed, updated,
    /// or already there); `None` when it carried none.
    pub edition: Option<String>,
}

pub(crate) fn import_opened(
    ws: &mut Workspace,
    path: &Path,
    opened: Opened,
    trust: &Trust,
) -> AppResult<ImportedReview> {
    let m: ReviewManifest = serde_json::from_slice(&opened.json)
        .map_err(|e| refused(path, format!("bản kê nhận xét sai cấu trúc: {e}")))?;
    if opened.body_len != 0
        || m.format != super::bundle_format::FORMAT
        || m.kind != KIND
        || !is_origin(&m.origin)
    {
        return Err(refused(path, "gói nhận xét không hợp lệ"));
    }
    let signer = signer_check(&opened.signer, trust, |why| refused(path, why))?;
    let Some((ws_id, number)) = m.origin.split_once(':') else {
        return Err(refused(path, "gói nhận xét không hợp lệ"));
    };
    // Read only: a refused review writes nothing, not even this workspace's id.
    if ws.stored_workspace_id()?.as_deref() != Some(ws_id) {
        return Err(refused(
            path,
            "gói nhận xét này dành cho tệp dữ liệu của xã khác",
        ));
    }
    let id = AssessmentId(
        number
            .parse()
            .map_err(|_| refused(path, "mã đợt đánh giá không hợp lệ"))?,
    );
    let record = ws.assessment(id)?.ok_or_else(|| {
        refused(
            path,
            format!("không có đợt đánh giá số {id} trong tệp dữ liệu này"),
        )
    })?;
    if !ws.submissions(id)?.iter().any(|s| s.round == m.round) {
        return Err(refused(
            path,
            format!("đợt đánh giá số {id} chưa từng gửi lần {}", m.round),
        ));
    }
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    let problems = check_review(&m, &edition);
    if !problems.is_empty() {
        return Err(super::bundle_format::refused_with(path, problems));
    }
    let carried = match &m.edition_pack {
        Some(pack) => Some(super::edition_pack::check_carried(
            ws,
            pack,
            &opened.signer,
            &|why| refused(path, why),
        )?),
        None => None,
    };
    let review = Review {
        criteria: typed_criteria(&m, path)?,
        requests: typed_requests(&m, &edition, path)?,
        vote: nfc(&m.vote),
        decision: nfc(&m.decision),
        reviewer: nfc(&m.reviewer),
        received_at: None,
    };
    let existing = ws.review(id)?;
    let same = Review {
        received_at: None,
        ..existing.clone()
    } == review
        && existing.received_at.is_some();
    let received = Review {
        received_at: Some(super::today().iso()),
        ..review.clone()
    };
    let install = carried.as_ref().and_then(|c| c.install.as_ref());
    let canonical = install.map(crate::domain::catalog::toml_format::to_toml);
    let sha = canonical
        .as_deref()
        .map(|t| crate::store::sha256_hex(t.as_bytes()));
    let province = carried.as_ref().and_then(|c| c.province.as_deref());
    let row = match (install, canonical.as_deref(), sha.as_deref()) {
        (Some(e), Some(t), Some(h)) => Some(((e.code.as_str(), e.title.as_str(), t, h), province)),
        _ => None,
    };
    ws.receive_from_office(id, (!same).then_some(&received), row, &signer)
        .map_err(|e| match e {
            crate::store::StoreError::Invalid(_) => refused(path, e.to_string()),
            other => AppError::from(other),
        })?;
    Ok(ImportedReview {
        assessment: id,
        requests: review.requests.len(),
        is_new: !same,
        edition: carried.map(|c| c.note),
    })
}

/// The checked criteria as read (`DAT` is stored `dat`).
fn typed_criteria(m: &ReviewManifest, path: &Path) -> AppResult<Vec<ReviewCriterion>> {
    m.criteria
        .iter()
        .map(|(number, v, comment)| {
            Ok(ReviewCriterion {
                number: *number,
                verdict: Verdict::from_code(v)
                    .ok_or_else(|| refused(path, "kết luận tiêu chí không hợp lệ"))?,
                comment: nfc(comment),
            })
        })
        .collect()
}

/// The checked requests, each on the edition's own indicator code.
fn typed_requests(
    m: &ReviewManifest,
    edition: &crate::domain::catalog::Edition,
    path: &Path,
) -> AppResult<Vec<ReviewRequest>> {
    m.requests
        .iter()
        .map(|(code, text)| {
            let (_, ind) = edition
                .indicator(code)
                .ok_or_else(|| refused(path, "yêu cầu gắn với chỉ tiêu không có"))?;
            Ok(ReviewRequest {
                indicator: ind.code.clone(),
                text: nfc(text),
            })
        })
        .collect()
}

/// The checks at the door of a review bundle: criteria and indicators of our edition,
/// verdict codes, the vote as typed in the app, text lengths and counts.
fn check_review(m: &ReviewManifest, edition: &crate::domain::catalog::Edition) -> Vec<String> {
    let mut p = Vec::new();
    let long = |t: &str| t.chars().count() > 10_000 || t.contains('\0');
    if m.criteria.len() > 1_000 || m.requests.len() > 10_000 {
        p.push("quá nhiều kết luận hoặc yêu cầu".to_string());
        return p;
    }
    let mut seen = std::collections::BTreeSet::new();
    for (n, v, comment) in &m.criteria {
        if !edition.criteria.iter().any(|c| c.number == *n) {
            p.push(format!("tiêu chí số {n} không có trong bộ tiêu chí"));
        }
        if !seen.insert(*n) {
            p.push(format!("tiêu chí số {n}: kết luận lặp lại"));
        }
        if Verdict::from_code(v).is_none() {
            p.push(format!(
                "tiêu chí số {n}: kết luận «{}» không hợp lệ",
                v.chars().take(40).collect::<String>()
            ));
        }
        if long(comment) {
            p.push(format!(
                "tiêu chí số {n}: nhận xét quá dài hoặc có ký tự NUL"
            ));
        }
    }
    for (code, text) in &m.requests {
        if edition.indicator(code).is_none() {
            p.push(format!(
                "yêu cầu gắn với chỉ tiêu «{}» không có trong bộ tiêu chí",
                code.chars().take(40).collect::<String>()
            ));
        }
        if long(text) || text.trim().is_empty() {
            p.push(format!(
                "yêu cầu cho chỉ tiêu {code}: nội dung trống, quá dài hoặc có ký tự NUL"
            ));
        }
    }
    let vote = m.vote.trim();
    if !vote.is_empty()
        && !vote
            .split_once('/')
            .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)))
            .is_some_and(|(a, b)| b > 0 && a <= b)
    {
        p.push(format!(
            "kết quả biểu quyết «{}» không hợp lệ",
            vote.chars().take(40).collect::<String>()
        ));
    }
    if long(&m.decision) || long(&m.reviewer) {
        p.push("quyết định hoặc tên cơ quan quá dài hoặc có ký tự NUL".into());
    }
    p.truncate(10);
    p
}
