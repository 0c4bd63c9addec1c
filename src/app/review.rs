//! The compiling office's review of a received assessment — a verdict and comment per
//! criterion, requests for more proof on indicators, the council's vote and the
//! decision — and the review bundle that carries it back to the commune, where the
//! requests become a to-do list on the right indicators.

use super::bundle::{Opened, is_origin, refused, write_container};
use super::{AppError, AppResult, catalog};
use crate::domain::ids::AssessmentId;
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
    origin: String,
    round: i64,
    reviewer: String,
    vote: String,
    decision: String,
    criteria: Vec<(u32, String, String)>,
    requests: Vec<(String, String)>,
}

fn received(
    ws: &Workspace,
    id: AssessmentId,
) -> AppResult<(String, i64, crate::domain::catalog::Edition)> {
    let (origin, round) = ws.imported_from(id)?.ok_or_else(|| {
        AppError::new(
            format!("Đợt đánh giá số {id} không phải hồ sơ nhận từ xã."),
            "Chỉ thẩm định được hồ sơ đã nhận qua gói hồ sơ (.ntm).",
        )
    })?;
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    Ok((origin, round, edition))
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
    r.criteria.retain(|(n, _, _)| *n != number);
    if let Some((v, comment)) = verdict {
        let v = super::assessment::parse_verdict(v).ok_or_else(|| {
            AppError::invalid(format!(
                "Kết luận «{v}» không hợp lệ: dùng dat, co_ban_dat hoặc chua_dat."
            ))
        })?;
        r.criteria
            .push((number, v.code().to_string(), nfc(comment)));
        r.criteria.sort_by_key(|c| c.0);
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
    r.requests.push((ind.code.to_string(), text));
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

/// Writes the review bundle that goes back to the commune.
pub fn export(ws: &Workspace, id: AssessmentId, out: &Path) -> AppResult<()> {
    let output = super::output::Output::begin(ws, out)?;
    let (origin, round, _) = received(ws, id)?;
    let r = ws.review(id)?;
    let m = ReviewManifest {
        format: 1,
        kind: KIND.into(),
        origin,
        round,
        reviewer: r.reviewer,
        vote: r.vote,
        decision: r.decision,
        criteria: r.criteria,
        requests: r.requests,
    };
    let json = serde_json::to_vec(&m).map_err(|e| AppError::invalid(e.to_string()))?;
    write_container(output, &json, &[], &mut |_| Ok(Vec::new()))?;
    Ok(())
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
}

pub(crate) fn import_opened(
    ws: &mut Workspace,
    path: &Path,
    opened: Opened,
) -> AppResult<ImportedReview> {
    let m: ReviewManifest = serde_json::from_slice(&opened.json)
        .map_err(|e| refused(path, format!("bản kê nhận xét sai cấu trúc: {e}")))?;
    if opened.body_len != 0 || m.format != 1 || m.kind != KIND || !is_origin(&m.origin) {
        return Err(refused(path, "gói nhận xét không hợp lệ"));
    }
    let (ws_id, number) = m.origin.split_once(':').expect("checked by is_origin");
    if ws_id != ws.workspace_id()? {
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
    if !ws.submissions(id)?.iter().any(|(r, _, _, _)| *r == m.round) {
        return Err(refused(
            path,
            format!("đợt đánh giá số {id} chưa từng gửi lần {}", m.round),
        ));
    }
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    for (n, v, _) in &m.criteria {
        if !edition.criteria.iter().any(|c| c.number == *n) || Verdict::from_code(v).is_none() {
            return Err(refused(path, format!("kết luận tiêu chí {n} không hợp lệ")));
        }
    }
    for (code, _) in &m.requests {
        if edition.indicator(code).is_none() {
            return Err(refused(
                path,
                format!("yêu cầu gắn với chỉ tiêu «{code}» không có trong bộ tiêu chí"),
            ));
        }
    }
    let review = Review {
        criteria: m
            .criteria
            .iter()
            .map(|(n, v, c)| (*n, v.clone(), nfc(c)))
            .collect(),
        requests: m
            .requests
            .iter()
            .map(|(c, t)| (c.clone(), nfc(t)))
            .collect(),
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
    if !same {
        ws.set_review(
            id,
            &Review {
                received_at: Some(super::today().iso()),
                ..review.clone()
            },
        )?;
    }
    Ok(ImportedReview {
        assessment: id,
        requests: review.requests.len(),
        is_new: !same,
    })
}
