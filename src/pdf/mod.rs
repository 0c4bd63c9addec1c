//! The printed dossier: cover, table of contents, the documents in the administrative
//! format of Nghị định 30/2020/NĐ-CP, the illustrative photos, the evidence index and the
//! evidence itself, in one PDF with bookmarks. Generated pages are laid out with printpdf;
//! scanned PDFs are merged page by page with lopdf. The same [`Packet`] always gives the
//! same bytes: dates and ids come from the data, resource names are fixed.
#![allow(
    clippy::indexing_slicing,
    reason = "issue 9: this file is still being brought under the house lints"
)]

mod canvas;
mod images;
pub mod inspect;
mod merge;
mod nd30;
pub mod packet;
mod subset;

pub use canvas::{Fonts, Style};
pub use packet::*;

use canvas::{Canvas, Cell, PAGE_H, TEXT_W};
use printpdf::{Mm, Op, PdfDocument, PdfPage, PdfSaveOptions, XObjectId};

/// Photos per page in the photo section (2 columns × 3 rows).
const PHOTOS_PER_PAGE: usize = 6;
const PHOTO_BOX_W: f32 = (TEXT_W - 12.0) / 2.0;
const PHOTO_BOX_H: f32 = 165.0;

/// How a part's pages are made.
enum Pages {
    /// Laid out here.
    Generated(Vec<Vec<Op>>),
    /// All pages of an attached PDF (index into the loaded documents).
    External(usize),
}

struct Part {
    /// Table-of-contents and bookmark title (none for the cover).
    title: Option<String>,
    pages: Pages,
}

/// A photo placed as an image object with its pixel size, or why it could not be.
type PlacedPhoto = Result<(XObjectId, (u32, u32)), String>;

/// Files read before layout: photos as image objects, PDFs as documents.
struct Loaded {
    photos: Vec<PlacedPhoto>,
    signed: Vec<Option<SignedLoaded>>,
    evidence: Vec<EvidenceLoaded>,
    pdfs: Vec<lopdf::Document>,
}

enum SignedLoaded {
    Pdf(usize),
    Image(XObjectId, (u32, u32)),
}

enum EvidenceLoaded {
    Pdf(usize),
    Photo(usize),
    Listed,
    Damaged(String),
}

/// A check run on every PDF from outside before it is opened in this process (the app
/// opens it first in a child process with limits); `Err` gives the reason it is left out.
pub type PdfCheck<'a> = &'a dyn Fn(&[u8]) -> Result<(), String>;

/// The most bytes one stream of an attached PDF may unpack to while it is loaded.
pub const MAX_STREAM_BYTES: usize = 256 * 1024 * 1024;

fn load_pdf(bytes: &[u8], check: PdfCheck<'_>) -> Result<lopdf::Document, String> {
    check(bytes)?;
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..Default::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|_| "PDF bị hỏng hoặc không đọc được".to_string())?;
    if doc.get_pages().is_empty() {
        return Err("PDF không có trang nào".into());
    }
    Ok(doc)
}

fn is_image(media_type: &str) -> bool {
    matches!(media_type, "image/jpeg" | "image/png")
}

/// Builds the packet. `progress(done, total)` is called as files are read; problems with
/// single files are reported and the rest still builds.
pub fn build(packet: &Packet, progress: &dyn Fn(usize, usize)) -> (Vec<u8>, BuildReport) {
    build_checked(packet, progress, &|_| Ok(()))
}

/// [`build`], with every attached PDF passed through `check` before it is opened: a PDF
/// refused there is reported and left out, like a damaged one.
pub fn build_checked(
    packet: &Packet,
    progress: &dyn Fn(usize, usize),
    check: PdfCheck<'_>,
) -> (Vec<u8>, BuildReport) {
    let mut doc = PdfDocument::new(&canvas::nfc(&packet.title));
    let Some(fonts) = Fonts::load(&mut doc) else {
        return (Vec::new(), BuildReport::default());
    };
    let mut report = BuildReport::default();
    let loaded = load_files(&mut doc, packet, &mut report, progress, check);

    // Pass 1 with placeholder numbers gives each part's page count; pass 2 writes the
    // real numbers (columns are fixed, so the pagination does not change).
    let counts = |parts: &[Part], loaded: &Loaded| -> Vec<usize> {
        parts
            .iter()
            .map(|p| match &p.pages {
                Pages::Generated(pages) => pages.len(),
                Pages::External(i) => loaded.pdfs[*i].get_pages().len(),
            })
            .collect()
    };
    let first = layout(packet, &fonts, &loaded, None);
    let starts = start_pages(&counts(&first, &loaded));
    let parts = layout(packet, &fonts, &loaded, Some(&starts));
    debug_assert_eq!(counts(&parts, &loaded), counts(&first, &loaded));
    let starts = start_pages(&counts(&parts, &loaded));
    report.toc = parts
        .iter()
        .zip(&starts)
        .filter_map(|(p, s)| p.title.clone().map(|t| (t, *s)))
        .collect();

    // Generated pages go through printpdf; attached PDFs are spliced in by lopdf.
    let watermark = packet.draft.then(|| canvas::watermark(&fonts));
    let mut generated = Vec::new();
    let mut sequence = Vec::new();
    for part in &parts {
        match &part.pages {
            Pages::Generated(pages) => {
                for ops in pages {
                    let mut ops = ops.clone();
                    if let Some(w) = &watermark {
                        ops.extend(w.iter().cloned());
                    }
                    sequence.push(merge::Slot::Generated(generated.len()));
                    generated.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
                }
            }
            Pages::External(i) => sequence.push(merge::Slot::External(*i)),
        }
    }
    doc.with_pages(generated);
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        subset_fonts: false,
        image_optimization: None,
        ..Default::default()
    };
    let mut main = doc.to_lopdf_document(&opts, &mut warnings);
    subset::subset_fonts(&mut main);
    let outline: Vec<(String, usize)> = report.toc.clone();
    let (bytes, pages) = merge::assemble(
        main,
        loaded.pdfs,
        &sequence,
        &outline,
        &merge::Finish {
            title: canvas::nfc(&packet.title),
            creation_date: packet.creation_date.clone(),
            id_seed: packet.id_seed.clone(),
            watermark: packet.draft,
        },
        &fonts,
    );
    report.pages = pages;
    (bytes, report)
}

/// One administrative document on its own (e.g. a compiling office's report), with the
/// same layout, fonts and determinism as the packet.
pub fn single_document(
    doc: &AdminDocument,
    title: &str,
    creation_date: &str,
    id_seed: &str,
) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&canvas::nfc(title));
    let Some(fonts) = Fonts::load(&mut pdf) else {
        return Vec::new();
    };
    let pages: Vec<PdfPage> = nd30::document(&fonts, doc)
        .into_iter()
        .map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops))
        .collect();
    let sequence: Vec<merge::Slot> = (0..pages.len()).map(merge::Slot::Generated).collect();
    pdf.with_pages(pages);
    let opts = PdfSaveOptions {
        subset_fonts: false,
        image_optimization: None,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut main = pdf.to_lopdf_document(&opts, &mut warnings);
    subset::subset_fonts(&mut main);
    merge::assemble(
        main,
        Vec::new(),
        &sequence,
        &[(canvas::nfc(title), 1)],
        &merge::Finish {
            title: canvas::nfc(title),
            creation_date: creation_date.to_string(),
            id_seed: id_seed.to_string(),
            watermark: false,
        },
        &fonts,
    )
    .0
}

/// A photo reduced to what the photo pages print (about 200 dpi at its placed size),
/// so that a packet holds small images only, however many and however large the
/// originals. A JPEG that already fits comes back unchanged; an unreadable file comes
/// back as it is and is reported when the packet is built.
pub fn fit_photo(bytes: Vec<u8>) -> Vec<u8> {
    match images::prepare(&bytes, PHOTO_BOX_W, PHOTO_BOX_H) {
        Ok(p) => p.xobject.stream.content,
        Err(_) => bytes,
    }
}

/// Photos reduced to print size by [`fit_photo`] on every core while the caller reads
/// the next files. At most one photo per thread waits in the queue, so memory holds
/// about two originals per core plus the reduced photos, whatever the count.
pub struct PhotoFitter {
    queue: Option<std::sync::mpsc::SyncSender<(usize, Vec<u8>)>>,
    done: std::sync::mpsc::Receiver<(usize, Vec<u8>)>,
    workers: Vec<std::thread::JoinHandle<()>>,
    sent: usize,
}

impl Default for PhotoFitter {
    fn default() -> Self {
        Self::new()
    }
}

impl PhotoFitter {
    /// Starts one worker per core.
    pub fn new() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (queue, inbox) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(threads);
        let inbox = std::sync::Arc::new(std::sync::Mutex::new(inbox));
        let (out, done) = std::sync::mpsc::channel();
        let workers = (0..threads)
            .map(|_| {
                let inbox = inbox.clone();
                let out = out.clone();
                std::thread::spawn(move || {
                    loop {
                        let next = match inbox.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((i, bytes)) = next else { return };
                        if out.send((i, fit_photo(bytes))).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        Self {
            queue: Some(queue),
            done,
            workers,
            sent: 0,
        }
    }

    /// Queues the photo that will be number `index` of [`PhotoFitter::finish`]'s list
    /// (waits while every worker is busy and the queue is full).
    pub fn submit(&mut self, index: usize, bytes: Vec<u8>) {
        self.sent = self.sent.max(index + 1);
        if let Some(q) = &self.queue {
            // A closed queue means every worker stopped: the photo is reported unreadable.
            let _ = q.send((index, bytes));
        }
    }

    /// Waits for every queued photo; the list is in `index` order. A photo lost to a
    /// worker's failure comes back empty and is reported as unreadable by [`build`].
    pub fn finish(mut self) -> Vec<Vec<u8>> {
        self.queue = None;
        let mut fitted = vec![Vec::new(); self.sent];
        for (i, bytes) in self.done.iter() {
            if let Some(slot) = fitted.get_mut(i) {
                *slot = bytes;
            }
        }
        for w in self.workers {
            let _ = w.join();
        }
        fitted
    }
}

fn start_pages(counts: &[usize]) -> Vec<usize> {
    let mut next = 1;
    counts
        .iter()
        .map(|c| {
            let s = next;
            next += c;
            s
        })
        .collect()
}

/// Registers an image under a name that depends only on its position, so that the same
/// data gives the same file (printpdf's own ids are random).
fn add_image(doc: &mut PdfDocument, xobject: printpdf::ExternalXObject) -> XObjectId {
    let id = XObjectId(format!("Im{}", doc.resources.xobjects.map.len() + 1));
    doc.resources
        .xobjects
        .map
        .insert(id.clone(), printpdf::XObject::External(xobject));
    id
}

fn load_files(
    doc: &mut PdfDocument,
    packet: &Packet,
    report: &mut BuildReport,
    progress: &dyn Fn(usize, usize),
    check: PdfCheck<'_>,
) -> Loaded {
    let total = packet.photos.len() + packet.evidence.len() + packet.documents.len();
    let mut done = 0;
    let mut step = || {
        done += 1;
        progress(done, total);
    };
    let mut pdfs = Vec::new();
    let mut photos = Vec::new();
    for p in &packet.photos {
        photos.push(
            images::prepare(&p.bytes, PHOTO_BOX_W, PHOTO_BOX_H)
                .map(|prep| (add_image(doc, prep.xobject), prep.px))
                .inspect_err(|e| {
                    report
                        .problems
                        .push(format!("{} ({}): {e}", p.code, p.file_name))
                }),
        );
        step();
    }
    let mut signed = Vec::new();
    for d in &packet.documents {
        let s = d.signed.as_ref().and_then(|a| {
            let result = if a.media_type == "application/pdf" {
                load_pdf(&a.bytes, check).map(|pdf| {
                    pdfs.push(pdf);
                    SignedLoaded::Pdf(pdfs.len() - 1)
                })
            } else if is_image(&a.media_type) {
                images::prepare(
                    &a.bytes,
                    TEXT_W,
                    PAGE_H - canvas::TOP - canvas::BOTTOM - 30.0,
                )
                .map(|prep| SignedLoaded::Image(doc.add_xobject(&prep.xobject), prep.px))
            } else {
                Err("bản đã ký phải là PDF hoặc ảnh".to_string())
            };
            result
                .inspect_err(|e| {
                    report.problems.push(format!(
                        "Bản đã ký của «{}» ({}): {e}; dùng bản dự thảo thay thế",
                        d.toc_title, a.file_name
                    ))
                })
                .ok()
        });
        signed.push(s);
        step();
    }
    let mut photo_index = 0;
    let mut evidence = Vec::new();
    for e in &packet.evidence {
        let item = if e.is_photo {
            let i = photo_index;
            photo_index += 1;
            match photos.get(i) {
                Some(Ok(_)) => EvidenceLoaded::Photo(i),
                Some(Err(m)) => EvidenceLoaded::Damaged(m.clone()),
                None => EvidenceLoaded::Listed,
            }
        } else if e.file.media_type == "application/pdf" {
            match load_pdf(&e.file.bytes, check) {
                Ok(pdf) => {
                    pdfs.push(pdf);
                    EvidenceLoaded::Pdf(pdfs.len() - 1)
                }
                Err(m) => {
                    report
                        .problems
                        .push(format!("{} ({}): {m}", e.code, e.file.file_name));
                    EvidenceLoaded::Damaged(m)
                }
            }
        } else {
            EvidenceLoaded::Listed
        };
        evidence.push(item);
        step();
    }
    Loaded {
        photos,
        signed,
        evidence,
        pdfs,
    }
}

/// Lays out every part; `starts` holds the first page of each part once known.
fn layout(packet: &Packet, fonts: &Fonts, loaded: &Loaded, starts: Option<&[usize]>) -> Vec<Part> {
    let mut parts = Vec::new();
    // Part order: cover, contents, documents, photos, index, evidence PDFs.
    let doc_base = 2;
    let photos_part = doc_base + packet.documents.len();
    let has_photos = !packet.photos.is_empty();
    let index_part = photos_part + usize::from(has_photos);
    let evidence_base = index_part + 1;
    let page_of = |part: usize| starts.and_then(|s| s.get(part).copied()).unwrap_or(0);

    parts.push(Part {
        title: None,
        pages: Pages::Generated(nd30::cover(fonts, packet)),
    });
    let mut toc_rows = Vec::new();
    for (i, d) in packet.documents.iter().enumerate() {
        toc_rows.push((d.toc_title.clone(), page_of(doc_base + i)));
    }
    if has_photos {
        toc_rows.push(("Ảnh minh họa".to_string(), page_of(photos_part)));
    }
    toc_rows.push(("Danh mục minh chứng".to_string(), page_of(index_part)));
    let mut ext = evidence_base;
    for (e, l) in packet.evidence.iter().zip(&loaded.evidence) {
        if matches!(l, EvidenceLoaded::Pdf(_)) {
            toc_rows.push((format!("Minh chứng {}", e.code), page_of(ext)));
            ext += 1;
        }
    }
    parts.push(Part {
        title: Some("Mục lục".into()),
        pages: Pages::Generated(nd30::contents(fonts, &toc_rows)),
    });
    for (d, s) in packet.documents.iter().zip(&loaded.signed) {
        let pages = match s {
            Some(SignedLoaded::Pdf(i)) => Pages::External(*i),
            Some(SignedLoaded::Image(id, px)) => {
                let mut c = Canvas::new(fonts);
                let top = c.y;
                c.image(
                    id.clone(),
                    *px,
                    canvas::LEFT,
                    top,
                    TEXT_W,
                    top - canvas::BOTTOM,
                );
                Pages::Generated(c.finish())
            }
            None => Pages::Generated(nd30::document(fonts, &d.generated)),
        };
        parts.push(Part {
            title: Some(d.toc_title.clone()),
            pages,
        });
    }
    if has_photos {
        parts.push(Part {
            title: Some("Ảnh minh họa".into()),
            pages: Pages::Generated(photo_pages(fonts, packet, loaded)),
        });
    }
    // The index: where each file starts in this packet.
    let mut rows = Vec::new();
    let mut ext = evidence_base;
    for (e, l) in packet.evidence.iter().zip(&loaded.evidence) {
        let page = match l {
            EvidenceLoaded::Pdf(_) => {
                let p = page_of(ext).to_string();
                ext += 1;
                p
            }
            EvidenceLoaded::Photo(i) => (page_of(photos_part) + i / PHOTOS_PER_PAGE).to_string(),
            EvidenceLoaded::Listed => "Nộp kèm tệp gốc".into(),
            EvidenceLoaded::Damaged(m) => format!("TỆP HỎNG: {m}"),
        };
        rows.push(vec![
            Cell::left(&e.code),
            Cell::left(&e.title),
            Cell::left(&e.number_date),
            Cell::left(&e.issuer),
            Cell::center(&e.indicators),
            Cell::center(page),
        ]);
    }
    parts.push(Part {
        title: Some("Danh mục minh chứng".into()),
        pages: Pages::Generated(nd30::evidence_index(fonts, &rows)),
    });
    for (e, l) in packet.evidence.iter().zip(&loaded.evidence) {
        if let EvidenceLoaded::Pdf(i) = l {
            parts.push(Part {
                title: Some(format!("Minh chứng {}", e.code)),
                pages: Pages::External(*i),
            });
        }
    }
    parts
}

fn photo_pages(fonts: &Fonts, packet: &Packet, loaded: &Loaded) -> Vec<Vec<Op>> {
    let mut c = Canvas::new(fonts);
    c.lines(
        canvas::LEFT,
        TEXT_W,
        Style::Bold,
        14.0,
        canvas::Align::Center,
        "ẢNH MINH HỌA",
    );
    c.space(6.0);
    for (i, (p, prepared)) in packet.photos.iter().zip(&loaded.photos).enumerate() {
        if i > 0 && i % PHOTOS_PER_PAGE == 0 {
            c.new_page();
        }
        let col = (i % 2) as f32;
        if i % 2 == 0 {
            c.ensure(PHOTO_BOX_H + 60.0);
        }
        let x = canvas::LEFT + col * (PHOTO_BOX_W + 12.0);
        let top = c.y;
        match prepared {
            Ok((id, px)) => {
                c.image(id.clone(), *px, x, top, PHOTO_BOX_W, PHOTO_BOX_H);
            }
            Err(m) => {
                c.frame(x, top, PHOTO_BOX_W, PHOTO_BOX_H);
                let mut inner = c.y;
                for l in fonts.wrap(
                    Style::Italic,
                    11.0,
                    &format!("Không đưa được ảnh vào: {m}"),
                    PHOTO_BOX_W - 10.0,
                ) {
                    inner -= 14.0;
                    c.text_at(x + 5.0, inner - 60.0, Style::Italic, 11.0, &l);
                }
            }
        }
        let mut baseline = top - PHOTO_BOX_H - 13.0;
        for (k, l) in fonts
            .wrap(
                Style::Italic,
                11.0,
                &format!("{}: {}", p.code, p.caption),
                PHOTO_BOX_W,
            )
            .into_iter()
            .take(4)
            .enumerate()
        {
            let style = if k == 0 {
                Style::BoldItalic
            } else {
                Style::Italic
            };
            c.text_at(x, baseline, style, 11.0, &l);
            baseline -= 13.0;
        }
        if i % 2 == 1 || i + 1 == packet.photos.len() {
            c.y = top - PHOTO_BOX_H - 62.0;
        }
    }
    c.finish()
}
