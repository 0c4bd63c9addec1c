//! The printed dossier, read back as an appraisal council would get it: text extracted
//! with `pdftotext`, pages and bookmarks counted with lopdf, the same workspace giving
//! the same bytes, the "DỰ THẢO" stamp until everything is there, signed scans replacing
//! drafts, and damaged files named without stopping the packet.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use lopdf::{Document, Object, Stream, dictionary};
use ntm_dossier::app::{
    assessment,
    conditions::{ConditionsForm, PostingForm},
    dossier, evidence,
};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::Workspace;
use std::path::{Path, PathBuf};
use std::process::Command;

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps.sh)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// A scanned-looking PDF of `pages` pages with a rectangle on each.
fn scan(path: &Path, pages: usize) {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for i in 0..pages {
        // The file name in a comment makes every scan's bytes distinct.
        let content = format!(
            "% {}\n0 0 0 RG 2 w 50 {} 400 300 re S",
            path.display(),
            300 + i * 10
        )
        .into_bytes();
        let c = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => c,
        });
        kids.push(Object::Reference(page));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => pages as i64,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! {},
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

fn photo(path: &Path, w: u32, h: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 200) as u8, 120])
    });
    img.save(path).unwrap();
}

fn form(n: &str, d: &str, v: &str) -> assessment::ValueForm {
    assessment::ValueForm {
        numerator: n.into(),
        denominator: d.into(),
        value: v.into(),
        ..Default::default()
    }
}

/// A commune meeting every criterion and condition of the test edition, with proof.
fn complete(dir: &Path) -> (PathBuf, AssessmentId) {
    let path = dir.join("ho-so.sqlite");
    let mut ws = open(&path);
    let (_, _, a) = commune_with_assessment(&mut ws);
    for (code, f) in [
        ("1.1", form("90", "100", "")),
        ("1.2", form("", "", "dat")),
        ("2.1", form("", "", "70")),
        ("2.2", form("10", "100", "")),
        ("3.1", form("", "", "6")),
        ("3.2", form("", "", "Hoàn thành tốt nhiệm vụ")),
    ] {
        assessment::save_value(&mut ws, a, code, &f).unwrap();
        let file = dir.join(format!("minh-chung-{code}.pdf"));
        scan(&file, 2);
        evidence::add_files(&mut ws, a, &[code.to_string()], &[file.as_path()]).unwrap();
    }
    let p = dir.join("anh-nha-van-hoa.jpg");
    photo(&p, 1600, 1200);
    evidence::add_files(&mut ws, a, &["1.2".to_string()], &[p.as_path()]).unwrap();
    let c = ConditionsForm {
        households_surveyed: "200".into(),
        households_satisfied: "190".into(),
        satisfaction_threshold: "90".into(),
        satisfaction_threshold_reason: String::new(),
        debt_million_vnd: "0".into(),
        debt_status: "khong_no".into(),
        security_status: "on_dinh".into(),
    };
    ws.set_conditions(a, &c.validate().unwrap()).unwrap();
    let post = |ws: &mut Workspace, medium: &str, date: &str| {
        let posting = PostingForm {
            place: String::new(),
            date: date.into(),
            medium: medium.into(),
        }
        .validate()
        .unwrap();
        ws.add_posting(a, &posting).unwrap();
    };
    post(&mut ws, "tru_so", "05/01/2026");
    for day in 5..10 {
        post(&mut ws, "dai_truyen_thanh", &format!("{day:02}/01/2026"));
    }
    dossier::save_settings(
        &mut ws,
        a,
        &dossier::SettingsForm {
            signer: "Nguyễn Văn Bình".into(),
            date: "20/01/2026".into(),
            place: String::new(),
            template: String::new(),
        },
    )
    .unwrap();
    (path, a)
}

fn sign_all(ws: &mut Workspace, a: AssessmentId, dir: &Path) {
    let t = dossier::template("xa").unwrap();
    for key in ["bao_cao_y_kien", "bien_ban", "bao_cao_mttq"] {
        let f = dir.join(format!("{key}-da-ky.pdf"));
        scan(&f, 1);
        dossier::attach_signed(ws, a, &t, key, &f).unwrap();
    }
}

#[test]
fn a_draft_reads_back_in_vietnamese_with_stamp_contents_and_bookmarks() {
    let dir = tempdir();
    let (path, a) = complete(dir.path());
    let ws = open(&path);
    let t = dossier::template("xa").unwrap();
    let missing = dossier::checklist(&ws, a, &t).unwrap();
    assert_eq!(
        missing.len(),
        3,
        "only the signed originals are missing: {missing:?}"
    );
    let out = dir.path().join("ho-so.pdf");
    let built = dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
    assert!(built.draft);
    assert!(
        built.report.problems.is_empty(),
        "{:?}",
        built.report.problems
    );
    let text = pdftotext(&out);
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỜ TRÌNH",
        "Kính gửi: Ủy ban nhân dân tỉnh Thử",
        "ỦY BAN NHÂN DÂN XÃ ĐÔNG HÒA",
        "Đông Hòa, ngày 20 tháng 01 năm 2026",
        "Nguyễn Văn Bình",
        "Tỷ lệ đường được cứng hóa",
        "90/100 (90 %)",
        "MỤC LỤC",
        "DANH MỤC MINH CHỨNG",
        "ẢNH MINH HỌA",
        "DỰ THẢO",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
    let pdf = Document::load(&out).unwrap();
    let pages = pdf.get_pages().len();
    assert_eq!(pages, built.report.pages);
    // 6 generated documents + cover, contents, photos, index, 6 scans of 2 pages.
    let toc = &built.report.toc;
    assert!(toc.iter().any(|(t, _)| t.starts_with("Tờ trình")));
    let scans: Vec<_> = toc
        .iter()
        .filter(|(t, _)| t.starts_with("Minh chứng TC"))
        .collect();
    assert_eq!(scans.len(), 6);
    assert_eq!(
        scans.last().unwrap().1 + 1,
        pages,
        "the last scan's 2 pages end the packet"
    );
    let outlines = pdf
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let count = pdf
        .get_dictionary(outlines)
        .unwrap()
        .get(b"Count")
        .unwrap()
        .as_i64()
        .unwrap();
    assert_eq!(count as usize, toc.len());
}

#[test]
fn the_same_workspace_gives_the_same_packet() {
    let dir = tempdir();
    let (path, a) = complete(dir.path());
    let ws = open(&path);
    let t = dossier::template("xa").unwrap();
    let one = dir.path().join("1.pdf");
    let two = dir.path().join("2.pdf");
    dossier::build(&ws, a, &t, &one, false, &|_, _| {}).unwrap();
    dossier::build(&ws, a, &t, &two, false, &|_, _| {}).unwrap();
    assert!(
        std::fs::read(&one).unwrap() == std::fs::read(&two).unwrap(),
        "two builds of the same data differ"
    );
}

#[test]
fn the_final_packet_waits_for_everything_then_has_no_stamp() {
    let dir = tempdir();
    let (path, a) = complete(dir.path());
    let mut ws = open(&path);
    let t = dossier::template("xa").unwrap();
    let out = dir.path().join("chinh-thuc.pdf");
    let err = dossier::build(&ws, a, &t, &out, true, &|_, _| {}).unwrap_err();
    assert!(err.to_string().contains("Chưa có bản đã ký"), "{err}");
    assert!(!out.exists(), "nothing is written when refused");
    sign_all(&mut ws, a, dir.path());
    assert!(dossier::checklist(&ws, a, &t).unwrap().is_empty());
    let built = dossier::build(&ws, a, &t, &out, true, &|_, _| {}).unwrap();
    assert!(!built.draft);
    let text = pdftotext(&out);
    assert!(!text.contains("DỰ THẢO"));
    assert!(text.contains("TỜ TRÌNH"));
    // The signed scans replaced the generated minutes: its wording is gone.
    assert!(
        !text.contains("KẾT QUẢ BIỂU QUYẾT"),
        "the draft minutes were replaced"
    );
}

#[test]
fn a_damaged_scan_is_named_and_the_rest_still_builds() {
    let dir = tempdir();
    let (path, a) = complete(dir.path());
    let mut ws = open(&path);
    let bad = dir.path().join("bien-ban-hong.pdf");
    std::fs::write(&bad, b"%PDF-1.4 this is not really a pdf").unwrap();
    let added = evidence::add_files(&mut ws, a, &["3.1".to_string()], &[bad.as_path()]).unwrap();
    let code = added[0].1.code.clone();
    let broken_photo = dir.path().join("anh-hong.jpg");
    std::fs::write(&broken_photo, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).unwrap();
    evidence::add_files(&mut ws, a, &["1.1".to_string()], &[broken_photo.as_path()]).unwrap();
    let t = dossier::template("xa").unwrap();
    let out = dir.path().join("ho-so.pdf");
    let built = dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
    assert_eq!(
        built.report.problems.len(),
        2,
        "{:?}",
        built.report.problems
    );
    assert!(
        built
            .report
            .problems
            .iter()
            .any(|p| p.contains(&code) && p.contains("bien-ban-hong.pdf"))
    );
    let text = pdftotext(&out);
    assert!(text.contains("TỆP HỎNG"));
    assert!(text.contains("TỜ TRÌNH"));
}

#[test]
fn the_command_line_checks_and_builds() {
    let dir = tempdir();
    let (path, a) = complete(dir.path());
    let bin = env!("CARGO_BIN_EXE_ntm-dossier");
    let check = Command::new(bin)
        .arg("--db")
        .arg(&path)
        .args(["dossier", "check", &a.to_string()])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&check.stdout).contains("Chưa có bản đã ký"));
    let out = dir.path().join("cli.pdf");
    let refused = Command::new(bin)
        .arg("--db")
        .arg(&path)
        .args(["dossier", "build", &a.to_string()])
        .arg(&out)
        .arg("--final")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Chưa tạo được hồ sơ chính thức"));
    let draft = Command::new(bin)
        .arg("--db")
        .arg(&path)
        .args(["dossier", "build", &a.to_string()])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        draft.status.success(),
        "{}",
        String::from_utf8_lossy(&draft.stderr)
    );
    assert!(String::from_utf8_lossy(&draft.stdout).contains("BẢN DỰ THẢO"));
    assert!(pdftotext(&out).contains("DỰ THẢO"));
    // Merged scans carry the stamp too: the last page is one.
    let pages = Document::load(&out).unwrap().get_pages().len().to_string();
    let last = Command::new("pdftotext")
        .args(["-f", &pages, "-l", &pages])
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&last.stdout).contains("DỰ THẢO"));
}

#[test]
fn a_commune_under_a_district_before_2025_files_through_the_district() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut ws = open(&path);
    let p = ntm_dossier::app::units::add(&mut ws, &common::form("Hà Tĩnh", "tinh", None)).unwrap();
    let d = ntm_dossier::app::units::add(&mut ws, &common::form("Hương Sơn", "huyen", Some(p)))
        .unwrap();
    let c = ntm_dossier::app::units::add(&mut ws, &common::form("Sơn Kim", "xa", Some(d))).unwrap();
    ntm_dossier::app::catalog::import(&mut ws, &fixture_path()).unwrap();
    let a = assessment::create(&mut ws, c, "thu-nghiem-xa", "ntm", 2024).unwrap();
    let t = dossier::template_for(&ws, a).unwrap();
    assert_eq!(t.code, "xa-truoc-2025");
    let out = dir.path().join("ho-so.pdf");
    dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
    let text = pdftotext(&out);
    assert!(
        text.contains("Kính gửi: Ủy ban nhân dân huyện Hương Sơn"),
        "{text}"
    );
    // The district heads the header, broken after the kind of body.
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines
            .windows(2)
            .any(|w| w[0].trim_start().starts_with("ỦY BAN NHÂN DÂN ")
                && w[1].trim_start().starts_with("HUYỆN HƯƠNG SƠN")),
        "{text}"
    );
    // Chosen on the dossier screen, the province procedure wins.
    dossier::save_settings(
        &mut ws,
        a,
        &dossier::SettingsForm {
            template: "xa".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(dossier::template_for(&ws, a).unwrap().code, "xa");
    let bad = dossier::save_settings(
        &mut ws,
        a,
        &dossier::SettingsForm {
            template: "khong-co".into(),
            ..Default::default()
        },
    );
    assert!(bad.is_err());
}

#[test]
fn r_unlinked_files_are_printed_in_the_packet() {
    let dir = tempdir();
    let (path, a) = complete(dir.path());
    let mut ws = open(&path);
    // Added but never linked, and linked then unlinked: neither is part of the dossier.
    let stray = dir.path().join("tep-them-nham.pdf");
    scan(&stray, 1);
    evidence::add_files(&mut ws, a, &[], &[stray.as_path()]).unwrap();
    let unlinked = dir.path().join("anh-bo-gan.jpg");
    photo(&unlinked, 640, 480);
    let added = evidence::add_files(&mut ws, a, &["3.1".into()], &[unlinked.as_path()]).unwrap();
    ws.unlink_evidence(added[0].1.id, "3.1").unwrap();
    let codes: Vec<String> = ws
        .evidence(a)
        .unwrap()
        .iter()
        .filter(|e| e.indicators.is_empty())
        .map(|e| e.code.to_string())
        .collect();
    assert_eq!(codes.len(), 2);
    let t = dossier::template("xa").unwrap();
    let out = dir.path().join("ho-so.pdf");
    let built = dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
    let text = pdftotext(&out);
    for absent in ["tep-them-nham", "anh-bo-gan", "chưa gắn chỉ tiêu"]
        .into_iter()
        .chain(codes.iter().map(String::as_str))
    {
        assert!(!text.contains(absent), "«{absent}» printed in:\n{text}");
    }
    assert!(text.contains("DANH MỤC MINH CHỨNG") && text.contains("minh-chung-3.1.pdf"));
    let scans = built
        .report
        .toc
        .iter()
        .filter(|(t, _)| t.starts_with("Minh chứng TC"))
        .count();
    assert_eq!(scans, 6, "only the six linked scans are merged");
}

#[test]
fn r_fonts_embedded_whole() {
    // Each face used to be embedded whole (about 380 KB); now as a subset of the glyphs
    // the pages use, tagged «ABCDEF+», and the text still extracts as Vietnamese.
    let dir = tempdir();
    let (path, a) = complete(dir.path());
    let ws = open(&path);
    let t = dossier::template("xa").unwrap();
    let out = dir.path().join("ho-so.pdf");
    dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
    let fonts = Command::new("pdffonts")
        .arg(&out)
        .output()
        .expect("pdffonts (poppler-utils)");
    let listing = String::from_utf8_lossy(&fonts.stdout).to_string();
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{listing}");
    for row in &rows {
        let name = row.split_whitespace().next().unwrap_or("");
        let (tag, _) = name.split_once('+').unwrap_or(("", name));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "not a subset: {row}\n{listing}"
        );
        assert!(row.contains(" yes yes "), "embedded subset: {row}");
    }
    let pdf = Document::load(&out).unwrap();
    let programs: usize = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.has(b"Length1"))
        .map(|s| s.content.len())
        .sum();
    assert!(programs < 200_000, "font programs take {programs} bytes");
    let text = pdftotext(&out);
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Kính gửi: Ủy ban nhân dân tỉnh Thử",
        "Tỷ lệ đường được cứng hóa",
        "ẢNH MINH HỌA",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
}
