//! The packet written page by page to its file: generated pages copied from printpdf's
//! document, photos read back from the spool, attached PDFs opened with lopdf one at a
//! time (printpdf's own merge mixes up pages) and stamped "DỰ THẢO" on drafts, then the
//! page tree, the bookmarks and the document information and id taken from the data.
//! Nothing but object offsets and page numbers is kept for the whole packet.

use super::canvas::{Fonts, watermark_stream};
use super::packet::FileBytes;
use super::sink::{self, Copier, Sink};
use super::spool::{Entry, Spooled};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};
use std::io::{self, Write};

/// Where each page of the packet comes from.
pub enum Slot {
    /// The n-th generated page.
    Generated(usize),
    /// Every page of the n-th attached PDF.
    External(usize),
}

/// What the finished file carries.
pub struct Finish {
    /// Title.
    pub title: String,
    /// `YYYYMMDD`.
    pub creation_date: String,
    /// Seed of the document id.
    pub id_seed: String,
    /// Stamp attached pages "DỰ THẢO" too.
    pub watermark: bool,
}

const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// A PDF text string: UTF-16BE with its byte-order mark, so Vietnamese survives.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn deref(doc: &Document, obj: &Object) -> Object {
    match obj {
        Object::Reference(id) => doc.get_object(*id).cloned().unwrap_or(Object::Null),
        other => other.clone(),
    }
}

/// Copies what a page inherits from its page tree onto the page itself.
fn flatten_inherited(doc: &mut Document, page: ObjectId) {
    let mut found: Vec<(Vec<u8>, Object)> = Vec::new();
    let Ok(dict) = doc.get_dictionary(page) else {
        return;
    };
    let parent = dict.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
    for key in INHERITED {
        if dict.get(key).is_ok() {
            continue;
        }
        let mut at = parent;
        let mut guard = 0;
        while let Some(id) = at {
            guard += 1;
            let Ok(node) = doc.get_dictionary(id) else {
                break;
            };
            if let Ok(v) = node.get(key) {
                found.push((key.to_vec(), v.clone()));
                break;
            }
            at = node.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
            if guard > 64 {
                break;
            }
        }
    }
    if let Ok(dict) = doc.get_dictionary_mut(page) {
        for (k, v) in found {
            dict.set(k, v);
        }
    }
}

fn page_size(doc: &Document, page: ObjectId) -> (f32, f32) {
    let media = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"MediaBox").ok().cloned())
        .map(|m| deref(doc, &m));
    if let Some(Object::Array(a)) = media
        && a.len() == 4
    {
        let n: Vec<f32> = a.iter().map(|o| o.as_float().unwrap_or(0.0)).collect();
        if let [x0, y0, x1, y1] = n.as_slice() {
            return ((x1 - x0).abs(), (y1 - y0).abs());
        }
    }
    (super::canvas::PAGE_W, super::canvas::PAGE_H)
}

/// Stamps an attached page: its own content is wrapped in q/Q, then the stamp is drawn
/// with the packet's bold face under a resource name of its own.
fn stamp(doc: &mut Document, page: ObjectId, font: ObjectId, fonts: &Fonts) {
    let (w, h) = page_size(doc, page);
    let resources = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Resources").ok().cloned())
        .map(|r| deref(doc, &r));
    let mut resources = match resources {
        Some(Object::Dictionary(d)) => d,
        _ => Dictionary::new(),
    };
    let mut font_dict = match resources.get(b"Font").ok().map(|f| deref(doc, f)) {
        Some(Object::Dictionary(d)) => d,
        _ => Dictionary::new(),
    };
    font_dict.set("NtmDuThao", Object::Reference(font));
    resources.set("Font", Object::Dictionary(font_dict));
    let contents: Vec<Object> = match doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Contents").ok().cloned())
    {
        Some(Object::Reference(id)) => vec![Object::Reference(id)],
        Some(Object::Array(a)) => a,
        _ => Vec::new(),
    };
    let open = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let close = doc.add_object(Stream::new(
        Dictionary::new(),
        [b"Q\n".to_vec(), watermark_stream(fonts, "NtmDuThao", w, h)].concat(),
    ));
    let mut all = vec![Object::Reference(open)];
    all.extend(contents);
    all.push(Object::Reference(close));
    if let Ok(dict) = doc.get_dictionary_mut(page) {
        dict.set("Resources", Object::Dictionary(resources));
        dict.set("Contents", Object::Array(all));
    }
}

/// The object of the generated document's bold face ("F2").
fn bold_font(doc: &Document, pages: &[ObjectId]) -> Option<ObjectId> {
    for p in pages {
        let dict = doc.get_dictionary(*p).ok()?;
        let res = deref(doc, dict.get(b"Resources").ok()?);
        let Object::Dictionary(res) = res else {
            continue;
        };
        let Ok(fonts) = res.get(b"Font") else {
            continue;
        };
        if let Object::Dictionary(f) = deref(doc, fonts)
            && let Ok(Object::Reference(id)) = f.get(b"F2")
        {
            return Some(*id);
        }
    }
    None
}

/// A photo's image object from its spool entry: a DCT-encoded JPEG.
fn photo_stream(entry: &Entry, bytes: Vec<u8>) -> Stream {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Image".to_vec()));
    dict.set("Width", Object::Integer(i64::from(entry.px.0)));
    dict.set("Height", Object::Integer(i64::from(entry.px.1)));
    let space: &[u8] = match entry.components {
        1 => b"DeviceGray",
        4 => b"DeviceCMYK",
        _ => b"DeviceRGB",
    };
    dict.set("ColorSpace", Object::Name(space.to_vec()));
    if entry.components == 4 {
        // Adobe CMYK JPEGs are stored inverted.
        let decode = (0..4).flat_map(|_| [Object::Integer(1), Object::Integer(0)]);
        dict.set("Decode", Object::Array(decode.collect()));
    }
    dict.set("BitsPerComponent", Object::Integer(8));
    dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
    Stream::new(dict, bytes).with_compression(false)
}

/// The photos placed on one generated page: resource name and spooled image.
pub type PagePhotos<'a> = Vec<(String, &'a Spooled)>;

/// What goes into the file besides the generated pages.
pub struct Sources<'a> {
    /// Attached PDFs (already checked), by index.
    pub pdfs: Vec<&'a FileBytes>,
    /// Photos per generated page, by page index.
    pub photos: Vec<PagePhotos<'a>>,
}

/// The packet being written: the generated document copied page by page, attached
/// PDFs opened one at a time, photos read back from the spool one at a time.
struct PacketWriter<'m, W: Write> {
    sink: Sink<W>,
    main: Copier<'m>,
    generated: Vec<ObjectId>,
    pages_id: u32,
    bold: Option<u32>,
    order: Vec<u32>,
}

impl<W: Write> PacketWriter<'_, W> {
    /// Generated page `i` with the photos it places.
    fn generated(&mut self, i: usize, photos: &[(String, &Spooled)]) -> io::Result<()> {
        let Some(page) = self.generated.get(i).copied() else {
            return Ok(());
        };
        let mut placed = Vec::new();
        for (k, (name, photo)) in photos.iter().enumerate() {
            // Only photos that were reduced are placed: one that cannot be read back
            // now would leave a hole in a laid-out page, so the packet fails instead.
            let entry = photo.entry().map_err(io::Error::other)?;
            let bytes = photo.bytes()?;
            let id = self.sink.reserve();
            self.sink
                .put_new(id, &Object::Stream(photo_stream(&entry, bytes)))?;
            let stand_in = sink::alias(u32::try_from(k).unwrap_or(0).saturating_add(1));
            self.main.seed(stand_in, id);
            placed.push((name.clone(), stand_in));
        }
        let main = self.main.doc();
        let added = self.main.page(&mut self.sink, page, self.pages_id, |d| {
            if !placed.is_empty() {
                add_xobjects(main, d, &placed);
            }
        })?;
        self.order.extend(added);
        Ok(())
    }

    /// Every page of an attached PDF, stamped when the packet is a draft.
    fn external(&mut self, file: &FileBytes, watermark: bool, fonts: &Fonts) -> io::Result<()> {
        // Opened already to count its pages: failing now would shift every page number
        // of the contents, so the packet fails instead.
        let mut pdf = super::load_pdf(&file.read()?, &|_| Ok(())).map_err(io::Error::other)?;
        pdf.compress();
        let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
        let font = sink::alias(1);
        for p in &pages {
            flatten_inherited(&mut pdf, *p);
            if watermark && self.bold.is_some() {
                stamp(&mut pdf, *p, font, fonts);
            }
        }
        let mut copier = Copier::new(&pdf);
        if let Some(bold) = self.bold {
            copier.seed(font, bold);
        }
        for p in pages {
            let added = copier.page(&mut self.sink, p, self.pages_id, |_| {})?;
            self.order.extend(added);
        }
        Ok(())
    }
}

/// Gives a page's resources the photos placed on it, beside printpdf's own images.
fn add_xobjects(main: &Document, page: &mut Dictionary, placed: &[(String, ObjectId)]) {
    let mut resources = match page.get(b"Resources").map(|r| deref(main, r)) {
        Ok(Object::Dictionary(d)) => d,
        _ => Dictionary::new(),
    };
    let mut xobjects = match resources.get(b"XObject").map(|x| deref(main, x)) {
        Ok(Object::Dictionary(d)) => d,
        _ => Dictionary::new(),
    };
    for (name, id) in placed {
        xobjects.set(name.as_bytes().to_vec(), Object::Reference(*id));
    }
    resources.set("XObject", Object::Dictionary(xobjects));
    page.set("Resources", Object::Dictionary(resources));
}

/// Writes the packet to `out` as it is made: the pages in `sequence` order, then the
/// page tree, bookmarks, information and cross-reference table. Returns the output
/// and the page count.
pub fn assemble<W: Write>(
    out: W,
    mut main: Document,
    sources: &Sources<'_>,
    sequence: &[Slot],
    outline: &[(String, usize)],
    finish: &Finish,
    fonts: &Fonts,
) -> io::Result<(W, usize)> {
    main.compress();
    let generated: Vec<ObjectId> = main.get_pages().into_values().collect();
    let bold_old = bold_font(&main, &generated);
    let mut sink = Sink::new(out)?;
    let pages_id = sink.reserve();
    let mut copier = Copier::new(&main);
    let bold = match bold_old {
        Some(f) => copier.object(&mut sink, f)?,
        None => None,
    };
    let mut w = PacketWriter {
        sink,
        main: copier,
        generated,
        pages_id,
        bold,
        order: Vec::new(),
    };
    for slot in sequence {
        match slot {
            Slot::Generated(i) => {
                let photos = sources.photos.get(*i).map_or(&[][..], Vec::as_slice);
                w.generated(*i, photos)?;
            }
            Slot::External(i) => {
                if let Some(bytes) = sources.pdfs.get(*i) {
                    w.external(bytes, finish.watermark, fonts)?;
                }
            }
        }
    }
    let PacketWriter {
        mut sink, order, ..
    } = w;
    let kids = order.iter().map(|p| Object::Reference((*p, 0))).collect();
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Kids", Object::Array(kids));
    tree.set("Count", Object::Integer(order.len() as i64));
    sink.put_new(pages_id, &Object::Dictionary(tree))?;
    let outlines_id = add_outline(&mut sink, outline, &order)?;
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference((pages_id, 0)));
    catalog.set("Outlines", Object::Reference((outlines_id, 0)));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    let root = sink.reserve();
    sink.put_new(root, &Object::Dictionary(catalog))?;
    let out = finish_file(sink, root, finish)?;
    Ok((out, order.len()))
}

/// Bookmarks: one per document and per attached file, each to its first page of `order`.
fn add_outline<W: Write>(
    sink: &mut Sink<W>,
    outline: &[(String, usize)],
    order: &[u32],
) -> io::Result<u32> {
    let outlines_id = sink.reserve();
    let items: Vec<(u32, &(String, usize))> = outline
        .iter()
        .filter(|(_, page)| *page >= 1 && *page <= order.len())
        .map(|e| (sink.reserve(), e))
        .collect();
    for (k, (id, (title, page))) in items.iter().enumerate() {
        let Some(target) = order.get(page - 1) else {
            continue;
        };
        let mut d = Dictionary::new();
        d.set("Title", text_string(title));
        d.set("Parent", Object::Reference((outlines_id, 0)));
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference((*target, 0)),
                Object::Name(b"Fit".to_vec()),
            ]),
        );
        if let Some(prev) = k.checked_sub(1).and_then(|p| items.get(p)) {
            d.set("Prev", Object::Reference((prev.0, 0)));
        }
        if let Some(next) = items.get(k + 1) {
            d.set("Next", Object::Reference((next.0, 0)));
        }
        sink.put_new(*id, &Object::Dictionary(d))?;
    }
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    root.set("Count", Object::Integer(items.len() as i64));
    if let (Some(first), Some(last)) = (items.first(), items.last()) {
        root.set("First", Object::Reference((first.0, 0)));
        root.set("Last", Object::Reference((last.0, 0)));
    }
    sink.put_new(outlines_id, &Object::Dictionary(root))?;
    Ok(outlines_id)
}

/// Information and id from the data, then the cross-reference table.
fn finish_file<W: Write>(mut sink: Sink<W>, root: u32, finish: &Finish) -> io::Result<W> {
    // Never from the clock or a random source.
    let date = format!("D:{}000000Z", finish.creation_date);
    let mut info = Dictionary::new();
    info.set("Title", text_string(&finish.title));
    info.set("Producer", text_string("Hồ sơ NTM"));
    info.set("Creator", text_string("Hồ sơ NTM"));
    info.set("CreationDate", Object::string_literal(date.clone()));
    info.set("ModDate", Object::string_literal(date));
    let info_id = sink.reserve();
    sink.put_new(info_id, &Object::Dictionary(info))?;
    let digest = Sha256::digest(finish.id_seed.as_bytes());
    let id = Object::String(
        digest.get(..16).unwrap_or_default().to_vec(),
        StringFormat::Hexadecimal,
    );
    let mut trailer = Dictionary::new();
    trailer.set("Root", Object::Reference((root, 0)));
    trailer.set("Info", Object::Reference((info_id, 0)));
    trailer.set("ID", Object::Array(vec![id.clone(), id]));
    sink.finish(trailer)
}
