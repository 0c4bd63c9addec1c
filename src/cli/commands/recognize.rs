//! `unit recognize`, `unit show` and `unit survey`: recognition decisions (and their
//! revocations) and the residents' survey results per content, as records.

use crate::app::recognitions::{self, RecognitionForm, SurveyForm};
use crate::app::{AppError, AppResult, Workspace, units};
use crate::domain::ids::UnitId;
use crate::domain::recognition::{Recognition, in_force};
use crate::domain::units::RecognitionTarget;
use crate::domain::vn_text::format_number;
use std::collections::HashMap;
use std::io::Write;

/// `unit recognize UNIT --target ntm --decision "123/QĐ-UBND" --date 15/12/2024 [--by …] [--revoked]`
#[derive(Debug, clap::Args)]
pub struct RecognizeArgs {
    /// Mã số đơn vị.
    #[arg(value_name = "ĐƠN_VỊ")]
    pub unit: String,
    /// Công nhận: ntm, nang-cao, kieu-mau, hien-dai, do-thi-van-minh (thị trấn).
    #[arg(long, value_name = "MỤC_TIÊU")]
    pub target: String,
    /// Số quyết định, ví dụ «123/QĐ-UBND».
    #[arg(long, value_name = "SỐ")]
    pub decision: String,
    /// Ngày quyết định, ví dụ 15/12/2024.
    #[arg(long, value_name = "NGÀY")]
    pub date: String,
    /// Cơ quan ban hành, ví dụ «UBND tỉnh Hà Tĩnh».
    #[arg(long, value_name = "CƠ_QUAN")]
    pub by: Option<String>,
    /// Quyết định thu hồi công nhận (thay vì công nhận).
    #[arg(long)]
    pub revoked: bool,
}

/// `unit show UNIT`
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Mã số đơn vị.
    #[arg(value_name = "ĐƠN_VỊ")]
    pub unit: i64,
}

/// `unit survey UNIT --content … --surveyed N --satisfied M`
#[derive(Debug, clap::Args)]
pub struct SurveyArgs {
    /// Mã số đơn vị.
    #[arg(value_name = "ĐƠN_VỊ")]
    pub unit: String,
    /// Nội dung khảo sát (đúng như trên phiếu).
    #[arg(long, value_name = "NỘI_DUNG")]
    pub content: String,
    /// Số hộ được hỏi.
    #[arg(long, value_name = "SỐ_HỘ")]
    pub surveyed: String,
    /// Số hộ hài lòng.
    #[arg(long, value_name = "SỐ_HỘ")]
    pub satisfied: String,
}

fn emit(out: &mut dyn Write, text: &str) -> AppResult<()> {
    out.write_all(text.as_bytes()).map_err(|e| {
        AppError::new("Không ghi được kết quả ra màn hình.", "").with_details([e.to_string()])
    })
}

/// Records a decision or a revocation and says what was recorded.
pub fn recognize(ws: &mut Workspace, args: RecognizeArgs, out: &mut dyn Write) -> AppResult<()> {
    let form = RecognitionForm {
        unit: args.unit,
        target: args.target,
        decision: args.decision,
        date: args.date,
        issued_by: args.by.unwrap_or_default(),
        revoked: args.revoked,
    };
    let rec = recognitions::record(ws, &form)?;
    emit(out, &format!("Đã ghi: {}\n", rec.describe()))
}

/// Records a survey result and says what was recorded.
pub fn survey(ws: &mut Workspace, args: SurveyArgs, out: &mut dyn Write) -> AppResult<()> {
    let form = SurveyForm {
        unit: args.unit,
        content: args.content,
        surveyed: args.surveyed,
        satisfied: args.satisfied,
    };
    let s = recognitions::record_survey(ws, &form)?;
    emit(
        out,
        &format!(
            "Đã ghi khảo sát «{}»: {}/{} hộ hài lòng\n",
            s.content,
            format_number(f64::from(s.households_satisfied), 0),
            format_number(f64::from(s.households_surveyed), 0)
        ),
    )
}

/// Prints a unit: its kind and name, its recognition decisions (former units' as
/// history) and its survey results.
pub fn show(ws: &Workspace, args: &ShowArgs, out: &mut dyn Write) -> AppResult<()> {
    let unit = units::require(ws, UnitId(args.unit))?;
    let mut text = format!("[{}] {}\n", unit.id, units::display_name(&unit));
    let history = recognitions::history(ws, unit.id)?;
    let lines = history.lines();
    if lines.is_empty() {
        text.push_str("Chưa có quyết định công nhận nào.\n");
    } else {
        text.push_str("Quyết định công nhận:\n");
        for l in lines {
            text.push_str(&format!("  {l}\n"));
        }
    }
    let surveys = recognitions::surveys_of(ws, unit.id)?;
    if !surveys.is_empty() {
        text.push_str("Khảo sát sự hài lòng:\n");
        for s in surveys {
            text.push_str(&format!(
                "  {}: {}/{} hộ hài lòng\n",
                s.content,
                format_number(f64::from(s.households_satisfied), 0),
                format_number(f64::from(s.households_surveyed), 0)
            ));
        }
    }
    emit(out, &text)
}

/// Every recognition decision grouped by unit, for `unit list`.
pub fn by_unit(all: Vec<Recognition>) -> HashMap<UnitId, Vec<Recognition>> {
    let mut map: HashMap<UnitId, Vec<Recognition>> = HashMap::new();
    for r in all {
        map.entry(r.unit).or_default().push(r);
    }
    map
}

/// What `unit list` adds to a unit's line: each recognition in force («Nông thôn mới theo
/// QĐ 123/QĐ-UBND ngày 15/12/2024»).
pub fn list_marks(grouped: &HashMap<UnitId, Vec<Recognition>>, unit: UnitId) -> Vec<String> {
    let own = grouped.get(&unit).map_or(&[][..], Vec::as_slice);
    RecognitionTarget::ALL
        .iter()
        .filter_map(|t| in_force(own, unit, *t))
        .map(|r| {
            format!(
                "{} theo QĐ {} ngày {}",
                r.target.label(),
                r.decision,
                r.decided_on
            )
        })
        .collect()
}

/// `status` as text: the assessment's status, then a district's or province's computed
/// conditions.
pub fn status_text(ws: &Workspace, loaded: &crate::app::assessment::Loaded) -> AppResult<String> {
    let mut text = crate::app::report::status_text(loaded);
    if let Some(all) = crate::app::central_status::evaluate(ws, loaded)? {
        text.push_str("Điều kiện tính từ dữ liệu các xã, thị trấn:\n");
        if all.is_empty() {
            text.push_str("  (bộ tiêu chí chưa có điều kiện nào)\n");
        }
        for l in crate::app::unit_conditions::text_lines(&all) {
            text.push_str(&format!("  {l}\n"));
        }
    }
    Ok(text)
}
