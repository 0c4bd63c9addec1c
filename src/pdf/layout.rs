//! The packet laid out: its files read into image objects and documents, and cut into
//! parts (cover, contents, documents, photos, index, evidence) with their pages.

use super::canvas::{self, Canvas, Cell, PAGE_H, TEXT_W};
use super::spool::{Spool, Spooled};
use super::*;
use printpdf::{Op, PdfDocument, XObjectId};
use std::sync::Arc;

/// How a part's pages are made.
pub(super) enum Pages {
    /// Laid out here.
    Generated(Vec<Vec<Op>>),
    /// All pages of an attached PDF (index into the loaded documents).
    External(usize),
}

pub(super) struct Part {
    /// Table-of-contents and bookmark title (none for the cover).
    pub(super) title: Option<String>,
    pub(super) pages: Pages,
}

/// A photo placed by name, with its pixel size and where its reduced JPEG waits.
pub(super) struct Placed {
    /// Its resource name on the photo pages (not registered with printpdf: the packet
    /// writer adds the image to the page as it writes it).
    pub(super) id: XObjectId,
    pub(super) px: (u32, u32),
    pub(super) source: Spooled,
}

/// A placed photo, or why it could not be.
pub(super) type PlacedPhoto = Result<Placed, String>;

/// An attached PDF, checked and counted; it is opened again, alone, when written.
pub(super) struct LoadedPdf<'p> {
    pub(super) bytes: &'p FileBytes,
    pub(super) pages: usize,
}

/// Files read before layout: photos reduced into the spool, PDFs checked and counted.
pub(super) struct Loaded<'p> {
    pub(super) photos: Vec<PlacedPhoto>,
    pub(super) signed: Vec<Option<SignedLoaded>>,
    pub(super) evidence: Vec<EvidenceLoaded>,
    pub(super) pdfs: Vec<LoadedPdf<'p>>,
}

pub(super) enum SignedLoaded {
    Pdf(usize),
    Image(XObjectId, (u32, u32)),
}

pub(super) enum EvidenceLoaded {
    Pdf(usize),
    Photo(usize),
    Listed,
    Damaged(String),
}

pub(super) fn start_pages(counts: &[usize]) -> Vec<usize> {
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
pub(super) fn add_image(doc: &mut PdfDocument, xobject: printpdf::ExternalXObject) -> XObjectId {
    let id = XObjectId(format!("Im{}", doc.resources.xobjects.map.len() + 1));
    doc.resources
        .xobjects
        .map
        .insert(id.clone(), printpdf::XObject::External(xobject));
    id
}

/// Photo `i` of the packet, reduced (into `spool` when given as a file) and placed.
fn place_photo(i: usize, photo: &Photo, spool: &mut Option<Arc<Spool>>) -> PlacedPhoto {
    let source = match &photo.image {
        PhotoImage::Spooled(s) => s.clone(),
        PhotoImage::File(bytes) => {
            let spool = spool.get_or_insert_with(Spool::new);
            let p = fit(bytes)?;
            spool.put(i, Ok((&p.xobject.stream.content, p.px, p.components)))?;
            spool.photo(i)
        }
    };
    let entry = source.entry()?;
    Ok(Placed {
        id: XObjectId(format!("Ph{}", i + 1)),
        px: entry.px,
        source,
    })
}

/// Checks and opens an attached PDF to count its pages; the document is dropped.
fn count_pdf<'p>(bytes: &'p FileBytes, check: PdfCheck<'_>) -> Result<LoadedPdf<'p>, String> {
    let read = bytes
        .read()
        .map_err(|_| "không đọc lại được tệp tạm".to_string())?;
    let pages = load_pdf(&read, check)?.get_pages().len();
    Ok(LoadedPdf { bytes, pages })
}

pub(super) fn load_files<'p>(
    doc: &mut PdfDocument,
    packet: &'p Packet,
    report: &mut BuildReport,
    progress: &dyn Fn(usize, usize),
    check: PdfCheck<'_>,
) -> Loaded<'p> {
    let total = packet.photos.len() + packet.evidence.len() + packet.documents.len();
    let mut done = 0;
    let mut step = || {
        done += 1;
        progress(done, total);
    };
    let mut pdfs = Vec::new();
    let mut photos = Vec::new();
    let mut spool = None;
    for (i, p) in packet.photos.iter().enumerate() {
        photos.push(place_photo(i, p, &mut spool).inspect_err(|e| {
            report
                .problems
                .push(format!("{} ({}): {e}", p.code, p.file_name))
        }));
        step();
    }
    let mut signed = Vec::new();
    for d in &packet.documents {
        let s = d.signed.as_ref().and_then(|a| {
            let result = if a.media_type == "application/pdf" {
                count_pdf(&a.bytes, check).map(|pdf| {
                    pdfs.push(pdf);
                    SignedLoaded::Pdf(pdfs.len() - 1)
                })
            } else if is_image(&a.media_type) {
                a.bytes
                    .read()
                    .map_err(|_| "không đọc lại được tệp tạm".to_string())
                    .and_then(|bytes| {
                        images::prepare(
                            &bytes,
                            TEXT_W,
                            PAGE_H - canvas::TOP - canvas::BOTTOM - 30.0,
                        )
                    })
                    .map(|prep| SignedLoaded::Image(add_image(doc, prep.xobject), prep.px))
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
            match count_pdf(&e.file.bytes, check) {
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
pub(super) fn layout(
    packet: &Packet,
    fonts: &Fonts,
    loaded: &Loaded,
    starts: Option<&[usize]>,
) -> Vec<Part> {
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
