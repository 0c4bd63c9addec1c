//! Hostile and damaged input (issue 15): files given with `--db`, arguments, crafted
//! spreadsheets and PDFs, evidence too large or added in part. Each refusal leaves the
//! workspace as it was and says so in Vietnamese.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names and bytes of every file in a folder, recursively: what "unchanged" means.
fn folder_state(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
                out.push((p, Vec::new()));
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// No English library text, no panic.
fn assert_vietnamese_refusal(err: &str) {
    assert!(err.starts_with("Lỗi: "), "{err}");
    for english in [
        "panicked",
        "os error",
        "error:",
        "unrecognized",
        "invalid",
        "constraint",
        "Usage:",
    ] {
        let plain = err
            .lines()
            .filter(|l| !l.contains(ntm_dossier::app::TECHNICAL_DETAIL))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!plain.contains(english), "«{english}» in: {err}");
    }
}

#[test]
fn r_zero_byte_db_silently_became_an_empty_workspace() {
    let dir = tempdir();
    let db = dir.path().join("ho-so.sqlite");
    std::fs::write(&db, b"").unwrap();
    let before = folder_state(dir.path());
    let o = run(&db, &["unit", "list"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(err.contains("hỏng") && err.contains("0 byte"), "{err}");
    assert_eq!(folder_state(dir.path()), before);
}

#[test]
fn r_db_in_missing_folder_was_created() {
    let dir = tempdir();
    let db = dir.path().join("thu-muc-go-nham").join("ho-so.sqlite");
    let o = run(&db, &["unit", "list"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(err.contains("không tồn tại"), "{err}");
    assert!(!db.parent().unwrap().exists());
    assert!(folder_state(dir.path()).is_empty());
}

#[test]
fn r_new_workspace_created_without_a_word() {
    let dir = tempdir();
    let db = dir.path().join("ho-so-moi.sqlite");
    let o = run(&db, &["unit", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = stderr(&o).lines().next().unwrap_or_default().to_string();
    assert_eq!(first, format!("Đã tạo tệp dữ liệu mới: {}", db.display()));
    // Opening it again says nothing of the kind.
    let o = run(&db, &["unit", "list"]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("Đã tạo"), "{}", stderr(&o));
}

#[test]
fn r_read_only_workspace_file_reported_as_damaged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let db = dir.path().join("ho-so.sqlite");
    drop(open(&db));
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = folder_state(dir.path());
    let o = run(&db, &["unit", "list"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(
        err.contains("chỉ cho phép đọc") && !err.contains("hỏng"),
        "{err}"
    );
    assert_eq!(folder_state(dir.path()), before);
}

#[test]
fn r_read_only_folder_reported_as_damaged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let ro = dir.path().join("chi-doc");
    std::fs::create_dir(&ro).unwrap();
    let db = ro.join("ho-so.sqlite");
    drop(open(&db));
    let before = folder_state(&ro);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = run_unprivileged(dir.path(), &db, &["unit", "list"]);
    let new = run_unprivileged(dir.path(), &ro.join("moi.sqlite"), &["unit", "list"]);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    for o in [o, new] {
        assert!(!o.status.success());
        let err = stderr(&o);
        assert_vietnamese_refusal(&err);
        assert!(
            err.contains("chỉ cho phép đọc") && !err.contains("hỏng"),
            "{err}"
        );
    }
    assert_eq!(folder_state(&ro), before);
}

#[test]
fn r_former_of_999_imports_then_refuses() {
    let cdir = tempdir();
    let mut commune = open(&cdir.path().join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut commune);
    let bundle = cdir.path().join("xa.ntm");
    ntm_dossier::app::bundle::export(&mut commune, a, &bundle).unwrap();
    let odir = tempdir();
    let office = odir.path().join("tinh.sqlite");
    let seq_before = {
        let ws = open(&office);
        (ws.change_seq().unwrap(), ws.audit_log(1000).unwrap().len())
    };
    let o = run(
        &office,
        &[
            "bundle",
            "import",
            "--former-of",
            "999",
            bundle.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(
        err.contains("999") && err.contains("Không có gói nào được nhập"),
        "{err}"
    );
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let ws = open(&office);
    assert!(ws.assessments().unwrap().is_empty());
    assert!(ws.units().unwrap().is_empty());
    assert_eq!(
        (ws.change_seq().unwrap(), ws.audit_log(1000).unwrap().len()),
        seq_before
    );
}

#[test]
fn r_help_and_usage_errors_in_english() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    for args in [
        &["bundle", "import", "--help"][..],
        &["evidence", "add", "--help"],
        &["evidence", "--help"],
        &["assessment", "new", "--help"],
        &["--help"],
    ] {
        let o = run(&db, args);
        assert!(o.status.success());
        let help = String::from_utf8_lossy(&o.stdout);
        for english in [
            "Arguments:",
            "Options:",
            "[OPTIONS]",
            "Usage:",
            "Commands:",
            "<COMMAND>",
            "[default:",
        ] {
            assert!(!help.contains(english), "{args:?}: «{english}» in\n{help}");
        }
        assert!(help.contains("Cách dùng"), "{help}");
    }
    for args in [
        &["stats"][..],
        &["status", "abc"],
        &["status", "--jsn", "1"],
        &["evidence", "add", "1", "x"],
    ] {
        let o = run(&db, args);
        assert_eq!(o.status.code(), Some(2));
        assert_vietnamese_refusal(&stderr(&o));
    }
    assert!(
        !db.exists(),
        "a command line not understood creates nothing"
    );
}

/// A minimal `.xlsx` with one sheet: `sheet_xml` is the worksheet, `shared` the shared
/// strings part (left out when `None`).
fn crafted_xlsx(path: &Path, sheet_xml: &str, shared: Option<&str>) {
    use std::io::Write;
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut part = |name: &str, text: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="tieu_chi" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    part(
        "xl/worksheets/sheet1.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_xml}</worksheet>"#
        ),
    );
    if let Some(s) = shared {
        part(
            "xl/sharedStrings.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{s}</sst>"#
            ),
        );
    }
    zip.finish().unwrap();
}

/// The three crafted workbooks of issue 15.
fn crafted_workbooks(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let far = dir.join("o-xa.xlsx");
    crafted_xlsx(
        &far,
        r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#,
        Some(r#"<si><t>indicator</t></si>"#),
    );
    let index = dir.join("chi-so-chuoi.xlsx");
    crafted_xlsx(
        &index,
        r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>4000000000</v></c></row></sheetData>"#,
        Some(r#"<si><t>indicator</t></si>"#),
    );
    let no_strings = dir.join("khong-chuoi.xlsx");
    crafted_xlsx(
        &no_strings,
        r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>"#,
        None,
    );
    vec![
        ("XFD1048576", far),
        ("shared string index", index),
        ("no sharedStrings.xml", no_strings),
    ]
}

fn workspace_counts(db: &Path) -> (i64, usize, usize) {
    let ws = open(db);
    (
        ws.change_seq().unwrap(),
        ws.audit_log(100_000).unwrap().len(),
        ws.editions().unwrap().len(),
    )
}

#[test]
fn r_crafted_workbooks_abort_the_values_import() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let assessment = {
        let mut ws = open(&db);
        commune_with_assessment(&mut ws).2
    };
    let before = workspace_counts(&db);
    for (what, file) in crafted_workbooks(dir.path()) {
        let o = run(
            &db,
            &[
                "values",
                "import",
                &assessment.to_string(),
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{what}: {}", stderr(&o));
        assert_vietnamese_refusal(&stderr(&o));
        assert_eq!(workspace_counts(&db), before, "{what}");
    }
}

#[test]
fn r_crafted_workbooks_abort_the_catalogue_import() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    drop(open(&db));
    let before = workspace_counts(&db);
    for (what, file) in crafted_workbooks(dir.path()) {
        let o = run(&db, &["catalog", "import", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", stderr(&o));
        assert_vietnamese_refusal(&stderr(&o));
        assert_eq!(workspace_counts(&db), before, "{what}");
    }
    // The far cell is named as Excel shows it.
    let far = dir.path().join("o-xa.xlsx");
    let err = stderr(&run(&db, &["catalog", "import", far.to_str().unwrap()]));
    assert!(err.contains("XFD1048576"), "{err}");
}

/// 40,000 duplicate criteria took 22 s to report (each problem's line was counted from
/// the start of the file) and printed 40,000 lines.
#[test]
fn r_duplicate_criteria_reported_in_quadratic_time() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    drop(open(&db));
    let before = workspace_counts(&db);
    let mut text = std::fs::read_to_string(fixture_path()).unwrap();
    text = text.replace("code = \"thu-nghiem-xa\"", "code = \"trung-lap\"");
    for _ in 0..40_000 {
        text.push_str("\n[[criteria]]\nnumber = 1\nname = \"Trùng\"\n");
    }
    let file = dir.path().join("trung.toml");
    std::fs::write(&file, text).unwrap();
    let started = std::time::Instant::now();
    let o = run(&db, &["catalog", "import", file.to_str().unwrap()]);
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(err.contains("bị trùng"), "{err}");
    assert!(
        err.lines().count() <= 3 + ntm_dossier::app::MAX_LISTED_PROBLEMS + 1,
        "{err}"
    );
    assert!(
        err.contains("… và 39.98") && err.contains("lỗi khác"),
        "{err}"
    );
    assert!(took.as_secs() < 8, "took {took:?}");
    assert_eq!(workspace_counts(&db), before);
}

fn evidence_count(db: &Path, a: ntm_dossier::domain::ids::AssessmentId) -> usize {
    open(db).evidence(a).unwrap().len()
}

/// Bytes no compressor or deduplication can shrink.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn r_one_gigabyte_evidence_read_into_memory() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let a = {
        let mut ws = open(&db);
        commune_with_assessment(&mut ws).2
    };
    let small = dir.path().join("bien-ban.pdf");
    std::fs::write(&small, noise(10_000, 1)).unwrap();
    // A sparse file: 1 GiB as the program sees it, nothing on disk.
    let big = dir.path().join("video.mp4");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let before = workspace_counts(&db);
    let o = run(
        &db,
        &[
            "evidence",
            "add",
            &a.to_string(),
            "--indicator",
            "1.1",
            small.to_str().unwrap(),
            big.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(
        err.contains("quá lớn") && err.contains("Chưa tệp nào được thêm"),
        "{err}"
    );
    assert_eq!(workspace_counts(&db), before);
    assert_eq!(evidence_count(&db, a), 0);
}

/// A full disk while the second of two files is stored: the first stayed stored while
/// the message said nothing was written. The full disk is a file-size limit on the
/// process (`ulimit -f`), with SIGXFSZ ignored so the write fails instead.
#[test]
fn r_partial_multi_file_add_kept_earlier_files() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let a = {
        let mut ws = open(&db);
        commune_with_assessment(&mut ws).2
    };
    let first = dir.path().join("anh-1.jpg");
    std::fs::write(&first, noise(64 * 1024, 2)).unwrap();
    let second = dir.path().join("anh-2.jpg");
    std::fs::write(&second, noise(4 * 1024 * 1024, 3)).unwrap();
    let db_size = std::fs::metadata(&db).unwrap().len();
    let limit_kb = db_size / 1024 + 1024;
    let before = workspace_counts(&db);
    let script = format!("trap '' XFSZ; ulimit -f {limit_kb}; exec \"$0\" \"$@\"");
    let o = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(&db)
        .args(["evidence", "add", &a.to_string(), "--indicator", "1.1"])
        .arg(&first)
        .arg(&second)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_vietnamese_refusal(&err);
    assert!(err.contains("Chưa tệp nào trong 2 tệp được thêm"), "{err}");
    assert_eq!(evidence_count(&db, a), 0, "{err}");
    assert_eq!(workspace_counts(&db), before);
    // Without the limit both go in, together.
    let o = run(
        &db,
        &[
            "evidence",
            "add",
            &a.to_string(),
            "--indicator",
            "1.1",
            first.to_str().unwrap(),
            second.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(evidence_count(&db, a), 2);
}

/// A zlib stream that inflates to `size` zero bytes: one literal, then matches of 258
/// bytes at distance 1, in a fixed-Huffman block (13 bits per 258 bytes).
fn zlib_zeros(size: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, n: u32) {
            self.acc |= value << self.n;
            self.n += n;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code goes most significant bit first.
        fn code(&mut self, code: u64, n: u32) {
            let mut r = 0;
            for i in 0..n {
                r |= ((code >> i) & 1) << (n - 1 - i);
            }
            self.put(r, n);
        }
    }
    let matches = (size - 1) / 258;
    let tail = size - 1 - matches * 258;
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // last block
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0
    // Length 258 (symbol 285, 8 bits) + distance 1 (code 0, 5 bits) as one 13-bit group.
    let mut r = 0u64;
    for i in 0..8 {
        r |= ((0b1100_0101u64 >> i) & 1) << (7 - i);
    }
    for _ in 0..matches {
        b.put(r, 13);
    }
    for _ in 0..tail {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block
    if b.n > 0 {
        b.out.push(b.acc as u8);
    }
    let a: u32 = 1;
    let s2 = (size % 65_521) as u32;
    b.out.extend_from_slice(&((s2 << 16) | a).to_be_bytes());
    b.out
}

/// A one-page PDF whose object stream inflates to `size` bytes.
fn pdf_bomb(size: u64) -> Vec<u8> {
    let stream = zlib_zeros(size);
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        {
            let mut o = format!(
                "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
                stream.len()
            )
            .into_bytes();
            o.extend_from_slice(&stream);
            o.extend_from_slice(b"\nendstream");
            o
        },
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn zlib_zeros_inflates_to_its_size() {
    // The test's own bomb builder, checked on a small size with the PDF library.
    let small = pdf_bomb(100_000);
    let doc = lopdf::Document::load_mem(&small);
    assert!(doc.is_ok(), "{doc:?}");
}

/// A 14 MB PDF whose object stream inflates to 2 GiB: `dossier build` used 2.1 GB and
/// merged it as a good file. Now the file is opened in a limited child process,
/// reported as damaged and left out, and the result is kept so that it is not opened
/// again at each start.
#[test]
fn r_pdf_bomb_takes_gigabytes_in_dossier_build() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let a = {
        let mut ws = open(&db);
        commune_with_assessment(&mut ws).2
    };
    let bomb = dir.path().join("bien-ban-nghiem-thu.pdf");
    std::fs::write(&bomb, pdf_bomb(2 << 30)).unwrap();
    let o = run(
        &db,
        &[
            "evidence",
            "add",
            &a.to_string(),
            "--indicator",
            "1.1",
            bomb.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let before = workspace_counts(&db);
    let out = dir.path().join("ho-so.pdf");
    let started = std::time::Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(&db)
        .args(["dossier", "build", &a.to_string()])
        .arg(&out)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("TC01-01") && text.contains("giải nén ra hơn 256 MB"),
        "{text}"
    );
    assert!(started.elapsed().as_secs() < 60);
    assert!(out.is_file());
    // No process of the build (the program or its checking child) held 1 GB; the old
    // build peaked at 2,1 GB.
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the buffer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    assert!(usage.ru_maxrss < 1_000_000, "peak {} kB", usage.ru_maxrss);
    assert_eq!(workspace_counts(&db).2, before.2);

    // The preview records the file as damaged once; it is not in the list to retry.
    let mut task = ntm_dossier::app::tasks::make_previews(&open(&db)).expect("a preview to make");
    let outcome = loop {
        if let Some(o) = task.try_finish() {
            break o;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    let ws = open(&db);
    assert!(ws.blobs_without_preview().unwrap().is_empty());
    let sha = &ws.evidence(a).unwrap()[0].sha256;
    let preview = ws.preview(sha).unwrap().unwrap();
    assert!(
        preview
            .problem
            .is_some_and(|p| p.contains("giải nén ra hơn 256 MB"))
    );
    assert!(ntm_dossier::app::tasks::make_previews(&open(&db)).is_none());
}

#[test]
fn r_encrypted_pdf_reported_as_damaged() {
    use ntm_dossier::app::pdf_probe::{Probe, probe};
    let mut pdf = pdf_bomb(1000);
    let text = String::from_utf8_lossy(&pdf).into_owned();
    let at = text.find("/Root 1 0 R").unwrap();
    pdf.splice(
        at..at,
        b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >> "
            .iter()
            .copied(),
    );
    assert_eq!(probe(&pdf), Probe::Encrypted);
    assert!(Probe::Encrypted.problem().unwrap().contains("mã hóa"));
    assert!(matches!(probe(b"%PDF-1.4 rac"), Probe::Damaged(_)));
    assert_eq!(probe(&pdf_bomb(1000)), Probe::Pages(1));
}

/// A review bundle received by a workspace that never sent anything was refused, but
/// the refusal first gave the workspace an id (a row written by a refused operation).
#[test]
fn r_refused_review_wrote_an_id_row() {
    use ntm_dossier::app::{bundle, review};
    let cdir = tempdir();
    let mut commune = open(&cdir.path().join("xa.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut commune);
    let sent = cdir.path().join("xa.ntm");
    bundle::export(&mut commune, a, &sent).unwrap();
    let odir = tempdir();
    let mut office = open(&odir.path().join("tinh.sqlite"));
    let trust_of = |f: &Path| {
        ntm_dossier::app::keys::Trust::fingerprint(
            ntm_dossier::app::enrolment::signer_fingerprint(f).unwrap(),
        )
    };
    let got = bundle::import(&mut office, &sent, &trust_of(&sent))
        .unwrap()
        .assessment;
    review::add_request(&mut office, got, "1.1", "Bổ sung ảnh").unwrap();
    let back = odir.path().join("nhan-xet.ntm");
    review::export(&mut office, got, &back).unwrap();

    let sdir = tempdir();
    let stranger = sdir.path().join("xa-khac.sqlite");
    drop(open(&stranger));
    let before = workspace_counts(&stranger);
    let mut ws = open(&stranger);
    let err = bundle::receive(&mut ws, &back, &trust_of(&back))
        .unwrap_err()
        .to_string();
    assert!(err.contains("xã khác"), "{err}");
    assert_eq!(ws.stored_workspace_id().unwrap(), None);
    drop(ws);
    assert_eq!(workspace_counts(&stranger), before);
}

/// CRC-32 of a PNG chunk (type and data).
fn png_crc(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG of about 1 KB whose header declares `w`×`h` RGBA pixels; its data is a few
/// rows of zeros.
fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&png_crc(&body).to_be_bytes());
    };
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_zeros(900));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A progressive JPEG of a few hundred bytes whose frame declares `w`×`h` pixels in three
/// full-resolution components: the decoder sets aside its coefficients for the whole
/// picture at the first scan, then renders what it got.
fn progressive_jpeg_bomb(w: u16, h: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    // Quantisation table 0, all ones.
    out.extend_from_slice(&[0xFF, 0xDB, 0, 67, 0]);
    out.extend_from_slice(&[1; 64]);
    // Progressive frame.
    out.extend_from_slice(&[0xFF, 0xC2, 0, 17, 8]);
    out.extend_from_slice(&h.to_be_bytes());
    out.extend_from_slice(&w.to_be_bytes());
    out.extend_from_slice(&[3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
    // DC table 0: one code of one bit, meaning «no difference».
    out.extend_from_slice(&[0xFF, 0xC4, 0, 20, 0x00, 1]);
    out.extend_from_slice(&[0; 15]);
    out.push(0);
    // First DC scan of the three components, then a little data.
    out.extend_from_slice(&[0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, 0, 0]);
    out.extend_from_slice(&[0; 200]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// The peak memory of the finished child processes of this test process, in kB.
fn children_peak_kb() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the buffer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss
}

/// Photos of a few hundred bytes that declare gigapixels (a PNG of 100.000×100.000, a
/// progressive JPEG of 9.000×9.000 that went to the decoder without a memory limit):
/// decoding them for the packet or a thumbnail took gigabytes. Now their headers are
/// checked and decoders run within limits: each is reported as damaged, the build
/// stays small, and the thumbnail maker records them once.
#[test]
fn r_image_bomb_decoded_without_limits() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let a = {
        let mut ws = open(&db);
        commune_with_assessment(&mut ws).2
    };
    let png = dir.path().join("anh-bom.png");
    std::fs::write(&png, png_bomb(100_000, 100_000)).unwrap();
    let jpeg = dir.path().join("anh-bom.jpg");
    std::fs::write(&jpeg, progressive_jpeg_bomb(9_000, 9_000)).unwrap();
    assert!(std::fs::metadata(&png).unwrap().len() < 2048);
    let o = run(
        &db,
        &[
            "evidence",
            "add",
            &a.to_string(),
            "--indicator",
            "1.1",
            png.to_str().unwrap(),
            jpeg.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("ho-so.pdf");
    let started = std::time::Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(&db)
        .args(["dossier", "build", &a.to_string()])
        .arg(&out)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(o.status.success(), "{text}");
    for name in ["anh-bom.png", "anh-bom.jpg"] {
        assert!(
            text.lines()
                .any(|l| l.contains(name) && l.contains("kích thước quá lớn")),
            "{name} reported: {text}"
        );
    }
    assert!(started.elapsed().as_secs() < 60);
    // The old build took 523 MB for the JPEG of 300 bytes and printed it as a photo.
    assert!(
        children_peak_kb() < 300_000,
        "peak {} kB",
        children_peak_kb()
    );

    // Thumbnails: both recorded as damaged, once, and not in the list to retry.
    let mut task = ntm_dossier::app::tasks::make_previews(&open(&db)).expect("previews to make");
    let outcome = loop {
        if let Some(o) = task.try_finish() {
            break o;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    let ws = open(&db);
    for e in ws.evidence(a).unwrap() {
        let preview = ws.preview(&e.sha256).unwrap().unwrap();
        assert!(preview.rgba.is_none(), "{}", e.file_name);
        assert!(
            preview
                .problem
                .is_some_and(|p| p.contains("kích thước quá lớn")),
            "{}",
            e.file_name
        );
    }
    assert!(ws.blobs_without_preview().unwrap().is_empty());
    assert!(ntm_dossier::app::tasks::make_previews(&open(&db)).is_none());
}

/// Steps the window until `label` shows, for at most `seconds` of wall time (the window
/// checks for changes once a second and reads them on a background thread).
fn step_until_shown(
    h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>,
    label: &str,
    seconds: u64,
) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < until {
        h.step();
        if h.query_by_label_contains(label).is_some() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

/// The window and the command line on one file: a unit added and a unit renamed by
/// another program stayed invisible in the window until its next own change. Now the
/// window notices within a second and reads the file again in the background.
#[test]
fn r_window_showed_stale_values_after_cli_change() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (province, _, _) = commune_with_assessment(&mut open(&db));
    let mut h = ui_harness(&db);
    h.run();
    h.get_by_label("Tỉnh Thử");
    // Another program (the command line) adds a commune; another connection renames
    // the province.
    ok(
        &db,
        &[
            "unit",
            "add",
            "--name",
            "Xã Thêm Từ Dòng Lệnh",
            "--kind",
            "xa",
            "--parent",
            &province.to_string(),
        ],
    );
    let mut other = open(&db);
    ntm_dossier::app::units::update(
        &mut other,
        province,
        &ntm_dossier::app::units::UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Đổi Tên", "tinh", None)
        },
    )
    .unwrap();
    drop(other);
    assert!(
        step_until_shown(&mut h, "Tỉnh Đổi Tên", 10),
        "the renamed province is shown"
    );
    assert!(step_until_shown(&mut h, "Xã Thêm Từ Dòng Lệnh", 5));
    assert!(h.state().state.error.is_none());
    assert!(!h.state().state.is_reloading());
}

/// The window opened on a workspace whose backup cannot be made (its backup folder is a
/// file): it opens and says why, once.
#[test]
fn r_failed_backup_kept_the_window_from_opening_the_workspace() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (_, _, a) = commune_with_assessment(&mut open(&db));
    ntm_dossier::app::assessment::save_value(
        &mut open(&db),
        a,
        "1.1",
        &ntm_dossier::app::assessment::ValueForm {
            numerator: "9".into(),
            denominator: "10".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let backups = ntm_dossier::store::backup::backup_dir_for(&db);
    std::fs::remove_dir_all(&backups).unwrap();
    std::fs::write(&backups, b"").unwrap();
    let mut h = ui_harness(&db);
    h.run();
    assert!(h.state().state.workspace.is_some());
    assert!(h.state().state.error.is_none());
    h.get_by_label_contains("Chưa sao lưu được tệp dữ liệu lần này");
    h.get_by_label("Tỉnh Thử");
}

/// Every refresh of the window wrote today's counts again (a write, flushed to disk, on
/// the window's thread) even when nothing had changed. Now only counts that moved are
/// written: another connection sees no commit from a refresh that changes nothing.
#[test]
fn r_every_refresh_wrote_a_snapshot_on_the_ui_thread() {
    use ntm_dossier::app::state::{AppState, Command};
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (_, commune, a) = commune_with_assessment(&mut open(&db));
    let mut state = AppState::open(&db, false);
    state.apply(Command::SelectUnit(commune));
    state.apply(Command::SelectAssessment(a));
    assert!(state.error.is_none());
    let watcher = rusqlite::Connection::open(&db).unwrap();
    let version = |c: &rusqlite::Connection| -> i64 {
        c.query_row("PRAGMA data_version", [], |r| r.get(0))
            .unwrap()
    };
    let before = version(&watcher);
    state.refresh().unwrap();
    state.refresh().unwrap();
    assert_eq!(
        version(&watcher),
        before,
        "a refresh that changes nothing commits nothing"
    );
    // A change of the counts is still recorded.
    state.apply(Command::SaveValue(
        "1.1".into(),
        ntm_dossier::app::assessment::ValueForm {
            numerator: "95".into(),
            denominator: "100".into(),
            ..Default::default()
        },
    ));
    assert!(state.error.is_none());
    assert_ne!(version(&watcher), before);
}
