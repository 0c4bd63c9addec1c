//! The roll-up exported: the communes × criteria matrix to Excel and the compiling
//! office's report to PDF.

use super::json::*;
use super::rollup_text::rollup_scope;
use crate::app::{AppResult, units};
use crate::domain::ids::UnitId;
use crate::domain::units::UnitKind;
use crate::domain::vn_text::format_number;
use crate::store::Workspace;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Writes the communes × criteria matrix to Excel in the shape compiling offices use: one
/// row per commune (STT, commune, year, each criterion's verdict, counts, eligibility,
/// revocation risk), cells coloured by verdict, and the summary figures below.
/// A `path` that is the workspace or one of its backups is refused; nothing is written.
pub fn rollup_xlsx(ws: &Workspace, r: &RollupJson, path: &std::path::Path) -> AppResult<()> {
    let output = crate::app::output::Output::begin(ws, path)?;
    let bytes = matrix_xlsx(r).map_err(|e| {
        crate::app::AppError::new(
            format!("Không ghi được tệp Excel {}.", path.display()),
            "Hãy kiểm tra quyền ghi và tệp không đang mở trong Excel.",
        )
        .with_details([e.to_string()])
    })?;
    output.write_all(&bytes)
}

/// The workbook of [`rollup_xlsx`], as bytes.
fn matrix_xlsx(r: &RollupJson) -> Result<Vec<u8>, XlsxError> {
    let numbers: Vec<u32> = r.edition_criteria.iter().map(|c| c.number).collect();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Tong hop")?;
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color(Color::RGB(0xE7E6E6));
    let cell = Format::new().set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(14);
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN TIÊU CHÍ NÔNG THÔN MỚI — {}",
            r.unit_name.to_uppercase()
        ),
        &title,
    )?;
    sheet.write_string(
        1,
        0,
        format!(
            "Bộ tiêu chí: {}{}",
            edition_label(&r.edition_decision, &r.edition_title, &r.edition),
            rollup_scope(r)
        ),
    )?;
    let mut headers: Vec<String> = vec!["STT".into(), "Xã".into(), "Năm".into()];
    headers.extend(numbers.iter().map(|n| format!("TC {n}")));
    headers.extend(
        [
            "Số tiêu chí đạt",
            "Số chỉ tiêu đạt",
            "Đủ điều kiện công nhận",
            "Nguy cơ thu hồi",
        ]
        .map(String::from),
    );
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, h, &head)?;
    }
    for (i, commune) in r.communes.iter().enumerate() {
        commune_row(sheet, 3 + i as u32, i, commune, &numbers, &cell)?;
    }
    summary_rows(sheet, r, 4 + r.communes.len() as u32)?;
    sheet.set_column_width(1, 28)?;
    sheet.set_freeze_panes(3, 2)?;
    book.save_to_buffer()
}

/// The colour of a verdict's cell.
fn verdict_format(code: &str) -> Format {
    let c = match code {
        "dat" => 0xC6EFCE,
        "co_ban_dat" => 0xFFEB9C,
        "chua_dat" => 0xFFC7CE,
        _ => 0xF2F2F2,
    };
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(c))
}

/// One commune's row of the matrix: number, name, year, each criterion's verdict, counts,
/// eligibility and revocation risk.
fn commune_row(
    sheet: &mut Worksheet,
    row: u32,
    i: usize,
    commune: &RollupCommune,
    numbers: &[u32],
    cell: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, 0, (i + 1) as f64, cell)?;
    sheet.write_string_with_format(row, 1, &commune.name, cell)?;
    match commune.year {
        Some(y) => sheet.write_number_with_format(row, 2, f64::from(y), cell),
        None => sheet.write_string_with_format(row, 2, "chưa đánh giá", cell),
    }?;
    for (k, n) in numbers.iter().enumerate() {
        let code = commune
            .criteria
            .iter()
            .find(|x| x.number == *n)
            .map_or("", |x| x.verdict);
        let text = crate::domain::units::Verdict::from_code(code).map_or("", |v| v.label());
        sheet.write_string_with_format(row, 3 + k as u16, text, &verdict_format(code))?;
    }
    let base = 3 + numbers.len() as u16;
    sheet.write_string_with_format(
        row,
        base,
        format!("{}/{}", commune.criteria_met, commune.criteria_total),
        cell,
    )?;
    sheet.write_string_with_format(
        row,
        base + 1,
        format!("{}/{}", commune.indicators_met, commune.indicators_total),
        cell,
    )?;
    sheet.write_string_with_format(
        row,
        base + 2,
        if commune.eligible { "Đủ" } else { "Chưa" },
        cell,
    )?;
    let risk = crate::domain::engine::RiskLevel::from_code(commune.revocation_risk)
        .map_or(commune.revocation_risk, |l| l.label());
    sheet.write_string_with_format(row, base + 3, risk, cell)?;
    Ok(())
}

/// The summary figures below the matrix, from `first_row`, and the communes on another
/// edition.
fn summary_rows(sheet: &mut Worksheet, r: &RollupJson, first_row: u32) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (row, (label, value)) in (first_row..).zip([
        ("Tổng số xã", r.communes_total.to_string()),
        (
            "Số xã đủ điều kiện công nhận",
            r.communes_eligible.to_string(),
        ),
        (
            "Tỷ lệ xã đủ điều kiện (%)",
            format_number(r.share_eligible_percent, 2),
        ),
        (
            "Bình quân tiêu chí đạt/xã",
            format_number(r.average_criteria_met, 2),
        ),
        ("Số xã có nguy cơ thu hồi", r.communes_at_risk.to_string()),
    ]) {
        sheet.write_string_with_format(row, 1, label, &bold)?;
        sheet.write_string(row, 3, value)?;
    }
    if !r.other_editions.is_empty() {
        let mut row = first_row + 6;
        sheet.write_string_with_format(
            row,
            1,
            "Xã đánh giá theo bộ tiêu chí khác (không tính vào bảng và số liệu trên)",
            &bold,
        )?;
        for c in &r.other_editions {
            row += 1;
            sheet.write_string(row, 1, &c.name)?;
            sheet.write_string(
                row,
                3,
                format!("{} ({}), năm {}", c.edition_title, c.edition, c.year),
            )?;
        }
    }
    Ok(())
}

/// The compiling office's report in the official layout (Nghị định 30): the figures of
/// the roll-up and a summary table of every commune, with the communes proposed for
/// recognition. `kind` is "thẩm tra" (district) or "thẩm định" (province).
/// A `path` that is the workspace or one of its backups is refused; nothing is written.
pub fn rollup_pdf(ws: &Workspace, r: &RollupJson, path: &std::path::Path) -> AppResult<()> {
    use crate::pdf::{AdminDocument, Signature};
    let output = crate::app::output::Output::begin(ws, path)?;
    let root = units::require(ws, UnitId(r.unit))?;
    let body_kind = match root.kind {
        UnitKind::District => "thẩm tra",
        _ => "thẩm định",
    };
    let name = crate::app::units::display_name(&root);
    let year = r
        .year
        .or_else(|| r.communes.iter().filter_map(|c| c.year).max())
        .unwrap_or(0);
    let body = report_body(r, year);
    let doc = AdminDocument {
        parent_body: String::new(),
        issuer: format!("ỦY BAN NHÂN DÂN {}", name.to_uppercase()),
        number_line: "Số:          /BC-UBND".into(),
        place_date: format!(
            "{}, ngày      tháng      năm {year}",
            crate::app::units::strip_kind(&root.name, root.kind)
        ),
        kind: "BÁO CÁO".into(),
        subject: format!(
            "Kết quả {body_kind} hồ sơ đề nghị xét, công nhận xã đạt chuẩn nông thôn mới năm {year}"
        ),
        addressees: vec![match root.kind {
            UnitKind::District => "Ủy ban nhân dân tỉnh".to_string(),
            _ => "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh".to_string(),
        }],
        body,
        recipients: vec![
            "Như trên".into(),
            "Văn phòng Điều phối nông thôn mới".into(),
            "Lưu: VT".into(),
        ],
        signature: Signature {
            lines: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
            name: String::new(),
        },
        second_signature: None,
    };
    let seed = serde_json::to_string(r).unwrap_or_default();
    let bytes = crate::pdf::single_document(&doc, &doc.subject, &format!("{year:04}0101"), &seed);
    if bytes.is_empty() {
        return Err(crate::app::AppError::invalid("Không tạo được tệp PDF."));
    }
    output.write_all(&bytes)
}

/// The rows of the report's summary table: one per commune.
fn summary_table_rows(r: &RollupJson) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (i, c) in r.communes.iter().enumerate() {
        let failing: Vec<String> = c
            .criteria
            .iter()
            .filter(|x| x.verdict != "dat")
            .map(|x| x.number.to_string())
            .collect();
        rows.push(vec![
            (i + 1).to_string(),
            c.name.clone(),
            format!("{}/{}", c.criteria_met, c.criteria_total),
            format!("{}/{}", c.indicators_met, c.indicators_total),
            if c.assessment.is_none() {
                "chưa đánh giá".into()
            } else if failing.is_empty() {
                "—".into()
            } else {
                failing.join(", ")
            },
            if c.eligible {
                "Đề nghị công nhận"
            } else {
                "Chưa đủ điều kiện"
            }
            .into(),
        ]);
    }
    rows
}

/// The body of the roll-up's report: the figures, the table of communes and the proposal.
fn report_body(r: &RollupJson, year: i32) -> Vec<crate::pdf::Block> {
    use crate::pdf::{Block, Table};
    let rows = summary_table_rows(r);
    let proposed: Vec<&str> = r
        .communes
        .iter()
        .filter(|c| c.eligible)
        .map(|c| c.name.as_str())
        .collect();
    let mut body = vec![
        Block::Heading("I. KẾT QUẢ CHUNG".into()),
        Block::Paragraph(format!(
            "Bộ tiêu chí áp dụng: {}{}; các số liệu dưới đây chỉ tính các xã đánh giá theo bộ tiêu chí này ({} tiêu chí).",
            edition_label(&r.edition_decision, &r.edition_title, &r.edition),
            rollup_scope(r),
            r.edition_criteria.len()
        )),
        Block::Paragraph(format!(
            "Tổng số xã: {}; số xã đủ điều kiện công nhận đạt chuẩn nông thôn mới: {} xã, chiếm {} %; bình quân đạt {} tiêu chí/xã; số xã có nguy cơ bị thu hồi quyết định công nhận: {} xã.",
            r.communes_total,
            r.communes_eligible,
            format_number(r.share_eligible_percent, 2),
            format_number(r.average_criteria_met, 2),
            r.communes_at_risk
        )),
    ];
    if !r.most_failed.is_empty() {
        body.push(Block::Paragraph(format!(
            "Các tiêu chí chưa đạt nhiều nhất: {}.",
            r.most_failed
                .iter()
                .take(5)
                .map(|f| format!(
                    "tiêu chí {} ({}): {} xã",
                    f.number, f.name, f.communes_not_met
                ))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    body.push(Block::Heading("II. BẢNG TỔNG HỢP KẾT QUẢ CÁC XÃ".into()));
    body.push(Block::Table(Table {
        shares: vec![0.07, 0.27, 0.13, 0.13, 0.18, 0.22],
        header: [
            "STT",
            "Xã",
            "Tiêu chí đạt",
            "Chỉ tiêu đạt",
            "Tiêu chí chưa đạt",
            "Kết quả",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        bold_rows: Vec::new(),
    }));
    if !r.other_editions.is_empty() {
        body.push(Block::Paragraph(format!(
            "Các xã đánh giá theo bộ tiêu chí khác, không tính vào số liệu trên: {}.",
            r.other_editions
                .iter()
                .map(|c| format!("{} ({}, năm {})", c.name, c.edition_title, c.year))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    body.push(Block::Heading("III. ĐỀ NGHỊ".into()));
    body.push(Block::Paragraph(if proposed.is_empty() {
        "Chưa có xã nào đủ điều kiện đề nghị xét, công nhận đạt chuẩn nông thôn mới.".into()
    } else {
        format!(
            "Đề nghị xét, công nhận {} xã đạt chuẩn nông thôn mới năm {year}: {}./.",
            proposed.len(),
            proposed.join(", ")
        )
    }));
    body
}
