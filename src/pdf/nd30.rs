//! The administrative layout of Nghị định 30/2020/NĐ-CP, Phụ lục I: the two-column
//! header (issuing body with its short rule; Quốc hiệu and Tiêu ngữ with its full-length
//! rule; number; place and date), document type and subject, "Kính gửi", the justified
//! body, "Nơi nhận" and the signature block. Also the cover, the table of contents and
//! the evidence index.

use super::canvas::{Align, BOTTOM, Canvas, Cell, Fonts, LEFT, PAGE_H, Style, TEXT_W, TOP};
use super::packet::{AdminDocument, Block, Packet};
use printpdf::Op;

const LEFT_COL: f32 = TEXT_W * 0.44;
const RIGHT_X: f32 = LEFT + LEFT_COL;
const RIGHT_COL: f32 = TEXT_W - LEFT_COL;

/// The cover page.
pub fn cover(fonts: &Fonts, p: &Packet) -> Vec<Vec<Op>> {
    let mut c = Canvas::new(fonts);
    let top = c.y;
    c.frame(
        LEFT - 6.0,
        top + 6.0,
        TEXT_W + 12.0,
        top - super::canvas::BOTTOM + 12.0,
    );
    c.frame(
        LEFT - 2.0,
        top + 2.0,
        TEXT_W + 4.0,
        top - super::canvas::BOTTOM + 4.0,
    );
    c.space(40.0);
    c.lines(
        LEFT,
        TEXT_W,
        Style::Bold,
        14.0,
        Align::Center,
        &p.unit_line.to_uppercase(),
    );
    c.y = PAGE_H * 0.62;
    c.lines(
        LEFT + 20.0,
        TEXT_W - 40.0,
        Style::Bold,
        20.0,
        Align::Center,
        &p.title,
    );
    c.space(16.0);
    c.lines(LEFT, TEXT_W, Style::Bold, 16.0, Align::Center, &p.unit_line);
    c.space(8.0);
    c.lines(
        LEFT,
        TEXT_W,
        Style::Regular,
        14.0,
        Align::Center,
        &p.year_line,
    );
    c.y = super::canvas::BOTTOM + 50.0;
    c.lines(
        LEFT,
        TEXT_W,
        Style::Bold,
        14.0,
        Align::Center,
        &p.cover_date,
    );
    c.finish()
}

/// The table of contents.
pub fn contents(fonts: &Fonts, rows: &[(String, usize)]) -> Vec<Vec<Op>> {
    let mut c = Canvas::new(fonts);
    c.lines(LEFT, TEXT_W, Style::Bold, 14.0, Align::Center, "MỤC LỤC");
    c.space(10.0);
    let body: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, (t, page))| {
            vec![
                Cell::center((i + 1).to_string()),
                Cell::left(t),
                Cell::center(page.to_string()),
            ]
        })
        .collect();
    c.table(
        &[TEXT_W * 0.1, TEXT_W * 0.75, TEXT_W * 0.15],
        &[vec![
            Cell::head("STT"),
            Cell::head("Tài liệu"),
            Cell::head("Trang"),
        ]],
        &body,
        13.0,
    );
    c.finish()
}

/// The evidence index.
pub fn evidence_index(fonts: &Fonts, rows: &[Vec<Cell>]) -> Vec<Vec<Op>> {
    let mut c = Canvas::new(fonts);
    c.lines(
        LEFT,
        TEXT_W,
        Style::Bold,
        14.0,
        Align::Center,
        "DANH MỤC MINH CHỨNG",
    );
    c.space(10.0);
    if rows.is_empty() {
        // Without the table's empty heading row under the note.
        c.paragraph(Style::Italic, 13.0, "Chưa có tệp minh chứng nào.");
        return c.finish();
    }
    let shares = [0.11, 0.29, 0.16, 0.17, 0.12, 0.15];
    let widths: Vec<f32> = shares.iter().map(|s| s * TEXT_W).collect();
    c.table(
        &widths,
        &[vec![
            Cell::head("Mã"),
            Cell::head("Tên tài liệu"),
            Cell::head("Số, ngày"),
            Cell::head("Cơ quan ban hành"),
            Cell::head("Chỉ tiêu"),
            Cell::head("Trang"),
        ]],
        rows,
        10.5,
    );
    c.finish()
}

/// One document in the administrative format.
pub fn document(fonts: &Fonts, d: &AdminDocument) -> Vec<Vec<Op>> {
    let mut c = Canvas::new(fonts);
    header(&mut c, d);
    c.space(14.0);
    c.lines(LEFT, TEXT_W, Style::Bold, 14.0, Align::Center, &d.kind);
    let before = c.y;
    for l in fonts.wrap_balanced(Style::Bold, 14.0, &d.subject, TEXT_W - 60.0) {
        c.line(
            LEFT + 30.0,
            TEXT_W - 60.0,
            Style::Bold,
            14.0,
            Align::Center,
            &l,
        );
    }
    if c.y < before {
        let mid = LEFT + TEXT_W / 2.0;
        c.rule(mid - 50.0, mid + 50.0, c.y - 2.0, 0.6);
        c.space(8.0);
    }
    match d.addressees.as_slice() {
        [] => {}
        [one] => {
            c.space(6.0);
            c.lines(
                LEFT,
                TEXT_W,
                Style::Regular,
                14.0,
                Align::Center,
                &format!("Kính gửi: {one}"),
            );
        }
        many => {
            c.space(6.0);
            let label_w = fonts.width(Style::Regular, 14.0, "Kính gửi: ");
            let x = LEFT + TEXT_W * 0.22;
            let baseline = c.y - 14.0;
            c.text_at(x, baseline, Style::Regular, 14.0, "Kính gửi:");
            for a in many {
                c.lines(
                    x + label_w,
                    TEXT_W * 0.78 - label_w,
                    Style::Regular,
                    14.0,
                    Align::Left,
                    &format!("- {a};"),
                );
            }
        }
    }
    c.space(8.0);
    let last = d.body.len().saturating_sub(1);
    for (i, block) in d.body.iter().enumerate() {
        match block {
            Block::Paragraph(t) => {
                // The last paragraph goes with the signature, which never sits alone
                // on a new page (unless the two are taller than a page).
                if i == last {
                    let h = end_height(fonts, d, t);
                    if h < PAGE_H - TOP - BOTTOM - 40.0 {
                        c.ensure(h);
                    }
                }
                c.paragraph(Style::Regular, 14.0, t)
            }
            Block::Heading(t) => {
                // A heading stays with what follows: before the last paragraph, with it
                // and the signature («III. ĐỀ NGHỊ» sat alone at a page's foot).
                let h = match d.body.get(i + 1) {
                    Some(Block::Paragraph(p)) if i + 1 == last => 40.0 + end_height(fonts, d, p),
                    _ => 40.0,
                };
                c.ensure(if h < PAGE_H - TOP - BOTTOM - 40.0 {
                    h
                } else {
                    40.0
                });
                c.lines(LEFT, TEXT_W, Style::Bold, 14.0, Align::Left, t);
                c.space(3.0);
            }
            // A table without rows printed as its heading row alone.
            Block::Table(t) if t.rows.is_empty() => {
                c.paragraph(Style::Italic, 13.0, "(Chưa có số liệu để lập bảng.)");
            }
            Block::Table(t) => table(&mut c, t),
        }
    }
    closing(&mut c, d);
    c.finish()
}

fn header(c: &mut Canvas<'_>, d: &AdminDocument) {
    let top = c.y;
    // Left column: governing body, issuing body with a short rule, number.
    if !d.parent_body.is_empty() {
        body_name(c, Style::Regular, &d.parent_body);
    }
    body_name(c, Style::Bold, &d.issuer);
    let mid = LEFT + LEFT_COL / 2.0;
    // Below the dots under «Ệ», «Ọ» of the name's last line, never through them.
    c.rule(mid - LEFT_COL / 6.0, mid + LEFT_COL / 6.0, c.y - 3.0, 0.6);
    c.space(3.0);
    let left_bottom = c.y;
    // Right column: Quốc hiệu, Tiêu ngữ underlined its full length.
    c.y = top;
    c.lines(
        RIGHT_X,
        RIGHT_COL,
        Style::Bold,
        12.0,
        Align::Center,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    );
    let motto = "Độc lập - Tự do - Hạnh phúc";
    let w = c.fonts().width(Style::Bold, 13.0, motto);
    c.lines(RIGHT_X, RIGHT_COL, Style::Bold, 13.0, Align::Center, motto);
    let cx = RIGHT_X + RIGHT_COL / 2.0;
    c.rule(cx - w / 2.0, cx + w / 2.0, c.y - 1.0, 0.6);
    c.y = c.y.min(left_bottom) - 8.0;
    let line_top = c.y;
    c.lines(
        LEFT,
        LEFT_COL,
        Style::Regular,
        13.0,
        Align::Center,
        &d.number_line,
    );
    let after_left = c.y;
    c.y = line_top;
    c.lines(
        RIGHT_X,
        RIGHT_COL,
        Style::Italic,
        13.5,
        Align::Center,
        &d.place_date,
    );
    c.y = c.y.min(after_left);
}

/// Names of bodies that offices write on a line of their own, the place name below:
/// «ỦY BAN NHÂN DÂN» / «TỈNH THỬ NGHIỆM», never «… TỈNH THỬ» / «NGHIỆM».
const BODY_KINDS: [&str; 6] = [
    "ỦY BAN NHÂN DÂN",
    "UỶ BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "HỘI ĐỒNG THẨM ĐỊNH",
    "BAN CHỈ ĐẠO",
    "BAN QUẢN LÝ",
];

/// The lines of an issuing body's name in the header's left column, and the size to
/// print them at: one line when it fits; else the kind of body, then the place name;
/// else split between words where the two lines are most even; then shrunk (not below
/// 9 pt) until every line fits.
pub(crate) fn body_name_lines(
    fonts: &Fonts,
    style: Style,
    size: f32,
    text: &str,
    width: f32,
) -> (Vec<String>, f32) {
    let fits = |l: &str, size: f32| fonts.width(style, size, l) <= width;
    let mut out = Vec::new();
    for para in text.split('\n') {
        let words: Vec<&str> = para.split_whitespace().collect();
        let whole = words.join(" ");
        if words.len() < 2 || fits(&whole, size) {
            out.push(whole);
            continue;
        }
        if let Some(kind) = BODY_KINDS
            .iter()
            .find(|k| whole.starts_with(**k) && whole.len() > k.len())
        {
            out.push((*kind).to_string());
            out.push(whole[kind.len()..].trim().to_string());
            continue;
        }
        // Other bodies («ỦY BAN MTTQ VIỆT NAM», «ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM»):
        // the place name, from its level word on, keeps a line of its own.
        if let Some(i) = level_word_at(&words) {
            let (left, right) = words.split_at(i);
            out.push(left.join(" "));
            out.push(right.join(" "));
            continue;
        }
        let split = (1..words.len())
            .min_by(|&a, &b| {
                let widest = |i: usize| {
                    let (left, right) = words.split_at(i.min(words.len()));
                    fonts.width(style, size, &left.join(" ")).max(fonts.width(
                        style,
                        size,
                        &right.join(" "),
                    ))
                };
                widest(a).total_cmp(&widest(b))
            })
            .unwrap_or(1);
        let (left, right) = words.split_at(split.min(words.len()));
        out.push(left.join(" "));
        out.push(right.join(" "));
    }
    let mut size = size;
    while size > 9.0 && out.iter().any(|l| !fits(l, size)) {
        size -= 0.5;
    }
    (out, size)
}

/// Where a place name starts in a body's name: the first level word after the first
/// word («TỈNH», «HUYỆN», «XÃ», «QUẬN», «PHƯỜNG», «THỊ XÃ», «THỊ TRẤN», «THÀNH PHỐ»).
fn level_word_at(words: &[&str]) -> Option<usize> {
    const ONE: [&str; 5] = ["TỈNH", "HUYỆN", "XÃ", "QUẬN", "PHƯỜNG"];
    const TWO: [(&str, &str); 3] = [("THỊ", "XÃ"), ("THỊ", "TRẤN"), ("THÀNH", "PHỐ")];
    (1..words.len()).find(|&i| {
        let (Some(w), next) = (words.get(i), words.get(i + 1)) else {
            return false;
        };
        ONE.contains(w) || next.is_some_and(|n| TWO.contains(&(*w, *n)))
    })
}

/// Prints an issuing body's name centred in the header's left column.
fn body_name(c: &mut Canvas<'_>, style: Style, text: &str) {
    let (lines, size) = body_name_lines(c.fonts(), style, 12.0, text, LEFT_COL);
    for l in lines {
        // `lines` still wraps a name too long even at 9 pt rather than overflow.
        c.lines(LEFT, LEFT_COL, style, size, Align::Center, &l);
    }
}

/// A table of the body: bold rows for the criteria, the first column centred.
fn table(c: &mut Canvas<'_>, t: &crate::pdf::Table) {
    let widths: Vec<f32> = t.shares.iter().map(|s| s * TEXT_W).collect();
    let header: Vec<Cell> = t.header.iter().map(Cell::head).collect();
    let rows: Vec<Vec<Cell>> = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let bold = t.bold_rows.contains(&i);
            r.iter()
                .enumerate()
                .map(|(k, text)| match (bold, k) {
                    (true, _) => Cell::bold(text),
                    (false, 0) => Cell::center(text),
                    _ => Cell::left(text),
                })
                .collect()
        })
        .collect();
    c.table(&widths, &[header], &rows, 11.0);
    c.space(8.0);
}

/// The height of the last paragraph `text` with the signature under it.
fn end_height(fonts: &Fonts, d: &AdminDocument, text: &str) -> f32 {
    let lines = fonts.wrap(Style::Regular, 14.0, text, TEXT_W - 20.0).len();
    lines as f32 * 14.0 * 1.3 + 6.0 + closing_height(d)
}

/// The height of «Nơi nhận» and the signature blocks, kept whole on one page.
fn closing_height(d: &AdminDocument) -> f32 {
    let mut left_h = 15.0 + 13.75 * d.recipients.len() as f32;
    if let Some(second) = &d.second_signature {
        left_h += 8.0 + 16.9 * (second.lines.len() + 1) as f32 + 72.0;
    }
    let signature_h = 16.9 * (d.signature.lines.len() + 1) as f32 + 72.0;
    (left_h.max(signature_h) + 6.0).min(PAGE_H - TOP - 80.0)
}

fn closing(c: &mut Canvas<'_>, d: &AdminDocument) {
    // Keep the signature block whole: its lines, room to sign, the name.
    c.ensure(closing_height(d));
    c.space(6.0);
    let top = c.y;
    if !d.recipients.is_empty() {
        c.lines(
            LEFT,
            LEFT_COL,
            Style::BoldItalic,
            12.0,
            Align::Left,
            "Nơi nhận:",
        );
        let n = d.recipients.len();
        for (i, r) in d.recipients.iter().enumerate() {
            let end = if i + 1 == n { "." } else { ";" };
            c.lines(
                LEFT,
                LEFT_COL,
                Style::Regular,
                11.0,
                Align::Left,
                &format!("- {r}{end}"),
            );
        }
    }
    if let Some(second) = &d.second_signature {
        if !d.recipients.is_empty() {
            c.space(8.0);
        }
        for l in &second.lines {
            c.lines(LEFT, LEFT_COL, Style::Bold, 13.5, Align::Center, l);
        }
        c.space(72.0);
        if !second.name.is_empty() {
            c.lines(
                LEFT,
                LEFT_COL,
                Style::Bold,
                13.5,
                Align::Center,
                &second.name,
            );
        }
    }
    let left_bottom = c.y;
    c.y = top;
    for l in &d.signature.lines {
        c.lines(RIGHT_X, RIGHT_COL, Style::Bold, 13.5, Align::Center, l);
    }
    c.space(72.0);
    if !d.signature.name.is_empty() {
        c.lines(
            RIGHT_X,
            RIGHT_COL,
            Style::Bold,
            13.5,
            Align::Center,
            &d.signature.name,
        );
    }
    c.y = c.y.min(left_bottom);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        let mut doc = printpdf::PdfDocument::new("thu");
        Fonts::load(&mut doc).unwrap()
    }

    #[test]
    fn r_issuer_header_breaks_inside_the_place_name() {
        let f = fonts();
        let (lines, size) = body_name_lines(
            &f,
            Style::Bold,
            12.0,
            "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
            LEFT_COL,
        );
        assert_eq!(lines, ["ỦY BAN NHÂN DÂN", "TỈNH THỬ NGHIỆM"]);
        assert_eq!(size, 12.0);
        // The old wrap filled the first line and left the last word alone.
        assert_ne!(
            f.wrap(
                Style::Bold,
                12.0,
                "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
                LEFT_COL
            ),
            lines
        );
        // A short name stays on one line; a very long place name shrinks to fit.
        let (one, _) = body_name_lines(&f, Style::Bold, 12.0, "UBND XÃ AN HÒA", LEFT_COL);
        assert_eq!(one, ["UBND XÃ AN HÒA"]);
        let long = "ỦY BAN NHÂN DÂN XÃ PHƯỚC HƯNG THUỘC THÀNH PHỐ HỒ CHÍ MINH";
        let (two, size) = body_name_lines(&f, Style::Bold, 12.0, long, LEFT_COL);
        assert_eq!(two.len(), 2, "{two:?}");
        assert_eq!(two[0], "ỦY BAN NHÂN DÂN");
        assert!((9.0..12.0).contains(&size), "{size}");
        // Shrunk until it fits, or to 9 pt (the page then wraps what is left).
        assert!(
            size == 9.0
                || two
                    .iter()
                    .all(|l| f.width(Style::Bold, size, l) <= LEFT_COL)
        );
        let (shrunk, size) = body_name_lines(
            &f,
            Style::Bold,
            12.0,
            "ỦY BAN NHÂN DÂN XÃ PHƯỚC HƯNG LONG THÀNH ĐÔNG",
            LEFT_COL,
        );
        assert_eq!(shrunk[0], "ỦY BAN NHÂN DÂN");
        assert!(
            shrunk
                .iter()
                .all(|l| f.width(Style::Bold, size, l) <= LEFT_COL)
        );
    }

    /// The Fatherland Front's header wrapped inside the province's name
    /// («ỦY BAN MTTQ VIỆT NAM TỈNH THỬ» / «NGHIỆM QUẢNG TRỊ»): the place name keeps a
    /// line of its own, from its level word on, shrunk if it must.
    #[test]
    fn r_front_header_breaks_inside_the_place_name() {
        let f = fonts();
        let (lines, size) = body_name_lines(
            &f,
            Style::Regular,
            12.0,
            "ỦY BAN MTTQ VIỆT NAM TỈNH THỬ NGHIỆM QUẢNG TRỊ MỞ RỘNG",
            LEFT_COL,
        );
        assert_eq!(
            lines,
            ["ỦY BAN MTTQ VIỆT NAM", "TỈNH THỬ NGHIỆM QUẢNG TRỊ MỞ RỘNG"]
        );
        assert!(
            lines
                .iter()
                .all(|l| f.width(Style::Regular, size, l) <= LEFT_COL)
        );
        let (lines, _) = body_name_lines(
            &f,
            Style::Bold,
            12.0,
            "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ ĐÔNG HÒA",
            LEFT_COL,
        );
        assert_eq!(lines, ["ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "XÃ ĐÔNG HÒA"]);
        // «THỊ XÃ» is one level word: not split before its «XÃ».
        let (lines, _) = body_name_lines(
            &f,
            Style::Bold,
            12.0,
            "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM THỊ XÃ KỲ ANH",
            LEFT_COL,
        );
        assert_eq!(lines, ["ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "THỊ XÃ KỲ ANH"]);
    }

    fn texts(page: &[Op]) -> Vec<String> {
        page.iter()
            .filter_map(|op| match op {
                Op::ShowText { items } => Some(
                    items
                        .iter()
                        .filter_map(|i| match i {
                            printpdf::TextItem::Text(t) => Some(t.clone()),
                            _ => None,
                        })
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()
    }

    /// The subject «Kết quả thực hiện xây dựng nông thôn mới năm 2025 của xã Đông Hòa»
    /// wrapped as «… của xã Đông» / «Hòa»: the title is now balanced over its lines.
    #[test]
    fn r_title_wraps_inside_the_commune_name() {
        let f = fonts();
        let d = AdminDocument {
            issuer: "ỦY BAN NHÂN DÂN XÃ ĐÔNG HÒA".into(),
            kind: "BÁO CÁO".into(),
            subject: "Kết quả thực hiện xây dựng nông thôn mới năm 2025 của xã Đông Hòa".into(),
            body: vec![Block::Paragraph("Nội dung./.".into())],
            ..Default::default()
        };
        let pages = document(&f, &d);
        let first = texts(pages.first().unwrap());
        assert!(
            first.iter().any(|t| t.ends_with("Đông Hòa")),
            "the name is split: {first:?}"
        );
        let lines = f.wrap_balanced(Style::Bold, 14.0, &d.subject, TEXT_W - 60.0);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.split(' ').count() > 3),
            "an unbalanced title: {lines:?}"
        );
        // Wherever the name falls, it stays whole with its level word.
        for subject in [
            "Đề nghị thẩm định, xét công nhận xã Đông Hòa đạt chuẩn nông thôn mới năm 2025",
            "Cuộc họp đề nghị xét, công nhận xã Đông Hòa đạt chuẩn nông thôn mới năm 2025",
            "Đề nghị xét, công nhận huyện Thử Nghiệm, tỉnh Thử Nghiệm đạt chuẩn nông thôn mới năm 2025",
        ] {
            for width in [200.0, 260.0, 320.0, TEXT_W - 60.0] {
                let lines = f.wrap_balanced(Style::Bold, 14.0, subject, width);
                assert!(
                    lines.iter().all(|l| !l.ends_with("xã")
                        && !l.ends_with("Đông")
                        && !l.ends_with("huyện")
                        && !l.ends_with("Thử")),
                    "a name split at {width}: {lines:?}"
                );
                assert_eq!(lines.join(" "), subject);
            }
        }
    }

    /// The roll-up report's «III. ĐỀ NGHỊ» sat alone at the foot of a page, its paragraph
    /// and the signature on the next: a heading now keeps with what follows it.
    #[test]
    fn r_heading_alone_at_the_page_foot() {
        let f = fonts();
        let mut hit = false;
        for n in 8..30 {
            let mut body: Vec<Block> = (0..n)
                .map(|i| Block::Paragraph(format!("Đoạn {i}: nội dung báo cáo kết quả thực hiện xây dựng nông thôn mới của xã.")))
                .collect();
            body.push(Block::Heading("III. ĐỀ NGHỊ".into()));
            body.push(Block::Paragraph("Chưa có xã nào đủ điều kiện./.".into()));
            let d = AdminDocument {
                issuer: "ỦY BAN NHÂN DÂN TỈNH THỬ".into(),
                kind: "BÁO CÁO".into(),
                subject: "Kết quả thẩm định".into(),
                body,
                signature: crate::pdf::packet::Signature {
                    lines: vec!["CHỦ TỊCH".into()],
                    name: String::new(),
                },
                ..Default::default()
            };
            let pages = document(&f, &d);
            for page in &pages {
                let t = texts(page).join(" ");
                if t.contains("ĐỀ NGHỊ") {
                    assert!(
                        t.contains("đủ điều kiện"),
                        "{n} paragraphs: the heading is alone: {t:?}"
                    );
                }
            }
            hit |= pages.len() > 1;
        }
        assert!(hit);
    }

    /// A district report whose edition lists no criteria, and a packet without evidence,
    /// printed tables of a heading row alone under the text.
    #[test]
    fn r_empty_table_printed_as_its_heading_row() {
        let f = fonts();
        let d = AdminDocument {
            issuer: "ỦY BAN NHÂN DÂN HUYỆN THỬ".into(),
            kind: "BÁO CÁO".into(),
            subject: "Kết quả".into(),
            body: vec![
                Block::Table(crate::pdf::Table {
                    shares: vec![0.5, 0.5],
                    header: vec!["Tiêu chí, chỉ tiêu".into(), "Kết quả".into()],
                    rows: Vec::new(),
                    bold_rows: Vec::new(),
                }),
                Block::Paragraph("Hết./.".into()),
            ],
            ..Default::default()
        };
        let text: Vec<String> = document(&f, &d).iter().flat_map(|p| texts(p)).collect();
        assert!(
            !text.iter().any(|t| t.contains("Tiêu chí, chỉ tiêu")),
            "{text:?}"
        );
        assert!(text.join(" ").contains("Chưa có số liệu"), "{text:?}");
        let index: Vec<String> = evidence_index(&f, &[])
            .iter()
            .flat_map(|p| texts(p))
            .collect();
        assert!(!index.iter().any(|t| t == "Tên tài liệu"), "{index:?}");
        assert!(
            index.join(" ").contains("Chưa có tệp minh chứng nào"),
            "{index:?}"
        );
    }

    #[test]
    fn r_signature_block_alone_on_a_new_page() {
        let f = fonts();
        let mut hit = false;
        // Bodies of growing length: whichever one ends near the foot of page 1, the
        // signature's page also carries the end of the body.
        for n in 8..30 {
            let mut body: Vec<Block> = (0..n)
                .map(|i| Block::Paragraph(format!("Đoạn {i}: nội dung báo cáo kết quả thực hiện xây dựng nông thôn mới của xã.")))
                .collect();
            body.push(Block::Paragraph("Đoạn cuối của văn bản./.".into()));
            let d = AdminDocument {
                issuer: "ỦY BAN NHÂN DÂN XÃ AN HÒA".into(),
                kind: "BIÊN BẢN".into(),
                subject: "Cuộc họp".into(),
                body,
                signature: crate::pdf::packet::Signature {
                    lines: vec!["CHỦ TRÌ".into()],
                    name: String::new(),
                },
                second_signature: Some(crate::pdf::packet::Signature {
                    lines: vec!["THƯ KÝ".into()],
                    name: String::new(),
                }),
                ..Default::default()
            };
            let pages = document(&f, &d);
            let Some(last) = pages.last() else {
                panic!("no page")
            };
            let last = texts(last);
            assert!(last.iter().any(|t| t == "CHỦ TRÌ"), "{last:?}");
            // The secretary signs beside the chair, on the same page.
            assert!(last.iter().any(|t| t == "THƯ KÝ"), "{last:?}");
            assert!(
                last.iter().any(|t| t.contains("cuối")),
                "{n} paragraphs: the signature is alone on page {}: {last:?}",
                pages.len()
            );
            hit |= pages.len() > 1;
        }
        assert!(hit, "no body length reached a second page");
    }

    #[test]
    fn r_rollup_header_rule_strikes_through_agency_name() {
        let f = fonts();
        let d = AdminDocument {
            issuer: "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM".into(),
            kind: "BÁO CÁO".into(),
            ..Default::default()
        };
        let pages = document(&f, &d);
        let ops = &pages[0];
        // The baseline of the name's last line, then the first rule drawn after it.
        let mut baseline = None;
        let mut rule_y = None;
        let mut cursor = None;
        for op in ops {
            match op {
                Op::SetTextCursor { pos } => cursor = Some(pos.y.0),
                Op::ShowText { items }
                    if items.iter().any(
                        |i| matches!(i, printpdf::TextItem::Text(t) if t == "TỈNH THỬ NGHIỆM"),
                    ) =>
                {
                    baseline = cursor;
                }
                Op::DrawLine { line } if baseline.is_some() && rule_y.is_none() => {
                    rule_y = line.points.first().map(|p| p.p.y.0);
                }
                _ => {}
            }
        }
        let (Some(baseline), Some(rule_y)) = (baseline, rule_y) else {
            panic!("no name line or no rule: {baseline:?} {rule_y:?}")
        };
        // The dot below «Ệ» reaches about 4 pt under the baseline at 12 pt.
        assert!(
            baseline - rule_y >= 5.5,
            "rule {rule_y} vs baseline {baseline}"
        );
    }
}
