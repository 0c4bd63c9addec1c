//! The printed dossier: cover, table of contents, the documents in the administrative
//! format of Nghị định 30/2020/NĐ-CP, the illustrative photos, the evidence index and the
//! evidence itself, in one PDF with bookmarks. Generated pages are laid out with printpdf;
//! scanned PDFs are merged page by page with lopdf. The same [`Packet`] always gives the
//! same bytes: dates and ids come from the data, resource names are fixed.

mod canvas;
mod images;
pub mod inspect;
mod layout;
mod merge;
mod nd30;
pub mod packet;
mod photos;
mod sink;
mod spool;
mod subset;

pub use canvas::{Fonts, Style};
pub use packet::*;
pub use photos::PhotoFitter;
pub use spool::{Spool, Spooled};

use layout::*;
use photos::*;

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

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

/// Builds the packet in memory (an error says why: fonts, writing). `progress(done, total)`
/// is called as files are read; problems with single files are reported and the rest
/// still builds.
pub fn build(
    packet: &Packet,
    progress: &dyn Fn(usize, usize),
) -> Result<(Vec<u8>, BuildReport), WriteError> {
    build_checked(packet, progress, &|_| Ok(()))
}

/// [`build`], with every attached PDF passed through `check` before it is opened: a PDF
/// refused there is reported and left out, like a damaged one.
pub fn build_checked(
    packet: &Packet,
    progress: &dyn Fn(usize, usize),
    check: PdfCheck<'_>,
) -> Result<(Vec<u8>, BuildReport), WriteError> {
    build_into(packet, progress, check, Vec::new())
}

/// Why a packet could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The embedded fonts could not be loaded.
    Fonts,
    /// Writing to the output failed.
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Fonts => f.write_str("không nạp được phông chữ đi kèm chương trình"),
            Self::Io(e) => write!(f, "không ghi được tệp hồ sơ: {e}"),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Fonts => None,
            Self::Io(e) => Some(e),
        }
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

/// [`build_checked`] writing to `out` as the packet is made (a buffered file): memory
/// holds the generated text pages, one attached PDF and one photo at a time, never the
/// whole packet. Gives the output back with the report.
pub fn build_into<W: std::io::Write>(
    packet: &Packet,
    progress: &dyn Fn(usize, usize),
    check: PdfCheck<'_>,
    out: W,
) -> Result<(W, BuildReport), WriteError> {
    let mut doc = PdfDocument::new(&canvas::nfc(&packet.title));
    let fonts = Fonts::load(&mut doc).ok_or(WriteError::Fonts)?;
    let mut report = BuildReport::default();
    let loaded = load_files(&mut doc, packet, &mut report, progress, check);

    // Pass 1 with placeholder numbers gives each part's page count; pass 2 writes the
    // real numbers (columns are fixed, so the pagination does not change).
    let counts = |parts: &[Part], loaded: &Loaded| -> Vec<usize> {
        parts
            .iter()
            .map(|p| match &p.pages {
                Pages::Generated(pages) => pages.len(),
                Pages::External(i) => loaded.pdfs.get(*i).map_or(0, |d| d.pages),
            })
            .collect()
    };
    let first = counts(&layout(packet, &fonts, &loaded, None), &loaded);
    let starts = start_pages(&first);
    let parts = layout(packet, &fonts, &loaded, Some(&starts));
    debug_assert_eq!(counts(&parts, &loaded), first);
    let starts = start_pages(&counts(&parts, &loaded));
    report.toc = parts
        .iter()
        .zip(&starts)
        .filter_map(|(p, s)| p.title.clone().map(|t| (t, *s)))
        .collect();

    // Generated pages go through printpdf; photos and attached PDFs are added as the
    // file is written.
    let watermark = packet.draft.then(|| canvas::watermark(&fonts));
    let placed: std::collections::BTreeMap<&str, &Placed> = loaded
        .photos
        .iter()
        .flatten()
        .map(|p| (p.id.0.as_str(), p))
        .collect();
    let mut generated = Vec::new();
    let mut sequence = Vec::new();
    let mut photos = Vec::new();
    for part in parts {
        match part.pages {
            Pages::Generated(pages) => {
                for mut ops in pages {
                    photos.push(photos_on(&ops, &placed));
                    if let Some(w) = &watermark {
                        ops.extend(w.iter().cloned());
                    }
                    sequence.push(merge::Slot::Generated(generated.len()));
                    generated.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
                }
            }
            Pages::External(i) => sequence.push(merge::Slot::External(i)),
        }
    }
    let main = generated_document(doc, generated);
    let sources = merge::Sources {
        pdfs: loaded.pdfs.iter().map(|p| p.bytes).collect(),
        photos,
    };
    let (out, pages) = merge::assemble(
        out,
        main,
        &sources,
        &sequence,
        &report.toc,
        &merge::Finish {
            title: canvas::nfc(&packet.title),
            creation_date: packet.creation_date.clone(),
            id_seed: packet.id_seed.clone(),
            watermark: packet.draft,
        },
        &fonts,
    )?;
    report.pages = pages;
    Ok((out, report))
}

/// The photos a page's operations place, by resource name.
fn photos_on<'a>(
    ops: &[printpdf::Op],
    placed: &std::collections::BTreeMap<&str, &'a Placed>,
) -> merge::PagePhotos<'a> {
    ops.iter()
        .filter_map(|op| match op {
            printpdf::Op::UseXobject { id, .. } => placed.get(id.0.as_str()),
            _ => None,
        })
        .map(|p| (p.id.0.clone(), &p.source))
        .collect()
}

/// printpdf's document of the generated pages, its fonts cut down to the glyphs used.
fn generated_document(mut doc: PdfDocument, pages: Vec<PdfPage>) -> lopdf::Document {
    doc.with_pages(pages);
    let opts = PdfSaveOptions {
        subset_fonts: false,
        image_optimization: None,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut main = doc.to_lopdf_document(&opts, &mut warnings);
    subset::subset_fonts(&mut main);
    main
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
    let main = generated_document(pdf, pages);
    let sources = merge::Sources {
        pdfs: Vec::new(),
        photos: Vec::new(),
    };
    merge::assemble(
        Vec::new(),
        main,
        &sources,
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
    .map(|(bytes, _)| bytes)
    .unwrap_or_default()
}
