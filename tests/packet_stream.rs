//! The packet written as it is made (issue 12): read back with lopdf and `pdftotext`
//! (pages, bookmarks, photos, merged scans, Vietnamese text), and its working memory
//! measured with a counting allocator: ten times the photos must not take ten times the
//! memory, because no photo waits in memory once reduced and the file is never held
//! whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use lopdf::{Document, Object, Stream, dictionary};
use ntm_dossier::pdf::{
    self, AdminDocument, Attachment, Block, Evidence, FileBytes, Packet, Photo, PhotoFitter,
    PhotoImage, Signature,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Cursor;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The tests of this file one at a time, so that one does not count the other's memory.
static ALONE: Mutex<()> = Mutex::new(());

// SAFETY: every call goes to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A noisy photo of `w`×`h` (noise keeps its JPEG near a real photo's size).
fn photo(n: usize, w: u32, h: u32) -> Vec<u8> {
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64 ^ (n as u64 + 1);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let g = (seed >> 56) as u8 / 4;
        image::Rgb([(x % 180) as u8 + g, (y % 160) as u8 + g, 90 + g])
    });
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out.into_inner()
}

/// A scan-like PDF of `pages` pages, its size and resources inherited from the tree.
fn scan(n: usize, pages: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = (0..pages)
        .map(|i| {
            let content = format!("% quet {n}\n0 0 0 RG 2 w 50 {} 400 300 re S", 300 + i * 10);
            let c = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
            Object::Reference(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => c,
            }))
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => pages as i64,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! {},
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn packet(photos: Vec<PhotoImage>, scans: usize) -> Packet {
    let document = AdminDocument {
        issuer: "ỦY BAN NHÂN DÂN XÃ ĐÔNG HÒA".into(),
        number_line: "Số:     /TTr-UBND".into(),
        place_date: "Đông Hòa, ngày 20 tháng 01 năm 2026".into(),
        kind: "TỜ TRÌNH".into(),
        subject: "Về việc đề nghị xét, công nhận xã đạt chuẩn nông thôn mới".into(),
        addressees: vec!["Ủy ban nhân dân tỉnh Thử".into()],
        body: vec![Block::Paragraph(
            "Xã đã hoàn thành 19/19 tiêu chí; đường trục xã được nhựa hóa 100%.".into(),
        )],
        signature: Signature {
            lines: vec!["CHỦ TỊCH".into()],
            name: "Nguyễn Văn Bình".into(),
        },
        ..AdminDocument::default()
    };
    let mut evidence = Vec::new();
    let photos: Vec<Photo> = photos
        .into_iter()
        .enumerate()
        .map(|(i, image)| {
            let code = format!("TC01-{:03}", i + 1);
            evidence.push(Evidence {
                code: code.clone(),
                title: format!("Ảnh đường liên thôn số {}", i + 1),
                number_date: String::new(),
                issuer: String::new(),
                indicators: "1.1".into(),
                is_photo: true,
                file: Attachment {
                    file_name: format!("anh-{i}.jpg"),
                    media_type: "image/jpeg".into(),
                    bytes: FileBytes::Memory(Vec::new()),
                },
            });
            Photo {
                code,
                file_name: format!("anh-{i}.jpg"),
                caption: "chỉ tiêu 1.1; ngày 05/01/2026; đường bê tông thôn Đông".into(),
                image,
            }
        })
        .collect();
    for n in 0..scans {
        evidence.push(Evidence {
            code: format!("TC02-{:02}", n + 1),
            title: "Quyết định phê duyệt quy hoạch chung xã".into(),
            number_date: "123/QĐ-UBND".into(),
            issuer: "UBND huyện".into(),
            indicators: "1.1".into(),
            is_photo: false,
            file: Attachment {
                file_name: format!("quet-{n}.pdf"),
                media_type: "application/pdf".into(),
                bytes: FileBytes::Memory(scan(n, 2)),
            },
        });
    }
    Packet {
        title: "HỒ SƠ ĐỀ NGHỊ XÉT, CÔNG NHẬN XÃ ĐẠT CHUẨN NÔNG THÔN MỚI".into(),
        unit_line: "Xã Đông Hòa, tỉnh Thử".into(),
        year_line: "Năm 2026".into(),
        cover_date: "Đông Hòa, tháng 01 năm 2026".into(),
        draft: true,
        creation_date: "20260120".into(),
        id_seed: "thu".into(),
        documents: vec![pdf::Document {
            toc_title: "Tờ trình đề nghị xét, công nhận".into(),
            generated: Box::new(document),
            signed: None,
        }],
        photos,
        evidence,
    }
}

/// Photos reduced by the app's fitter into its spool, as `dossier build` does.
fn fitted(count: usize, w: u32, h: u32) -> Vec<PhotoImage> {
    let mut fitter = PhotoFitter::new();
    for n in 0..count {
        fitter.submit(n, photo(n % 7, w, h));
    }
    fitter.finish()
}

#[test]
fn a_streamed_packet_reads_back_with_pages_bookmarks_photos_and_vietnamese() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let mut photos = fitted(7, 1600, 1200);
    // One photo as a file, reduced while the packet is built, and one damaged.
    photos.push(PhotoImage::File(photo(1, 800, 600)));
    photos.push(PhotoImage::File(b"not a photo".to_vec()));
    let packet = packet(photos, 3);
    let (bytes, report) = pdf::build(&packet, &|_, _| {}).unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(report.problems[0].starts_with("TC01-009 (anh-8.jpg)"));
    let doc = Document::load_mem(&bytes).unwrap();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    assert_eq!(pages.len(), report.pages);
    // The scans' 2 pages each end the packet, in order, under their bookmarks.
    let scans: Vec<_> = report
        .toc
        .iter()
        .filter(|(t, _)| t.starts_with("Minh chứng TC02"))
        .collect();
    assert_eq!(scans.len(), 3);
    assert_eq!(scans[2].1 + 1, pages.len());
    // Photo pages carry the 8 readable photos as JPEG images, none above 200 dpi for
    // the box (633 px wide).
    let mut images = Vec::new();
    for p in &pages {
        let d = doc.get_dictionary(*p).unwrap();
        let res = d.get(b"Resources").unwrap();
        let res = match res {
            Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
            Object::Dictionary(d) => d,
            _ => panic!("resources"),
        };
        if let Ok(Object::Dictionary(x)) = res.get(b"XObject") {
            for (_, v) in x.iter() {
                let s = doc
                    .get_object(v.as_reference().unwrap())
                    .unwrap()
                    .as_stream()
                    .unwrap();
                images.push((
                    s.dict.get(b"Width").unwrap().as_i64().unwrap(),
                    s.dict.get(b"Filter").unwrap().as_name().unwrap().to_vec(),
                ));
            }
        }
    }
    assert_eq!(images.len(), 8, "{images:?}");
    assert!(images.iter().all(|(w, f)| *w <= 633 && f == b"DCTDecode"));
    // Bookmarks: one per table-of-contents entry, each to a page of the packet.
    let outlines = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let root = doc.get_dictionary(outlines).unwrap();
    assert_eq!(
        root.get(b"Count").unwrap().as_i64().unwrap() as usize,
        report.toc.len()
    );
    let mut item = root.get(b"First").unwrap().as_reference().unwrap();
    let mut titles = Vec::new();
    loop {
        let d = doc.get_dictionary(item).unwrap();
        let title = d.get(b"Title").unwrap().as_str().unwrap();
        titles.push(lopdf::decode_text_string(&Object::string_literal(title)).unwrap());
        let dest = d.get(b"Dest").unwrap().as_array().unwrap();
        assert!(pages.contains(&dest[0].as_reference().unwrap()));
        match d.get(b"Next") {
            Ok(n) => item = n.as_reference().unwrap(),
            Err(_) => break,
        }
    }
    let expected: Vec<String> = report.toc.iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(titles, expected);
    // Vietnamese text extracted as written, the stamp on the merged scans too.
    let dir = common::tempdir();
    let path = dir.path().join("ho-so.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps.sh)");
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "ỦY BAN NHÂN DÂN XÃ ĐÔNG HÒA",
        "Đông Hòa, ngày 20 tháng 01 năm 2026",
        "Nguyễn Văn Bình",
        "ẢNH MINH HỌA",
        "ngày 05/01/2026",
        "Ảnh đường liên thôn số 9",
        "Không đưa được ảnh vào",
        "DANH MỤC MINH CHỨNG",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
    let last = text.split('\u{c}').rfind(|p| !p.trim().is_empty());
    assert!(
        last.unwrap().contains("DỰ THẢO"),
        "the last scan page is stamped"
    );
    // The same packet gives the same bytes.
    assert_eq!(pdf::build(&packet, &|_, _| {}).unwrap().0, bytes);
}

/// The working memory of building `packet` into a file that keeps nothing.
fn build_peak(packet: &Packet) -> usize {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let (_, report) = pdf::build_into(packet, &|_, _| {}, &|_| Ok(()), std::io::sink()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

#[test]
fn r_packet_held_whole_in_memory() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    // 20 and 200 photos already reduced (700×525: kept as they are, about 140 KB each
    // with their noise), 2 and 20 scans. The whole packet used to be assembled in memory
    // with every photo in it, then copied to the output: memory grew by more than the
    // photos' bytes.
    let photo_bytes: usize = (0..7).map(|n| photo(n, 700, 525).len()).sum::<usize>() / 7;
    let small = packet(fitted(20, 700, 525), 2);
    let large = packet(fitted(200, 700, 525), 20);
    let small_peak = build_peak(&small);
    let large_peak = build_peak(&large);
    let growth = large_peak.saturating_sub(small_peak);
    eprintln!(
        "peak: 20 photos {small_peak} B, 200 photos {large_peak} B, one photo {photo_bytes} B"
    );
    // 180 more photos: what grows is their captions and page numbers, a few kilobytes
    // each, never the photos (180 × ~140 KB = ~25 MB).
    assert!(
        growth < 180 * photo_bytes / 4,
        "20 photos: {small_peak} B, 200 photos: {large_peak} B, growth {growth} B \
         (photos: {} B)",
        180 * photo_bytes
    );
}
