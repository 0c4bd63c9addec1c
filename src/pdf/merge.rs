//! Splicing attached PDFs into the generated document with lopdf (printpdf's own merge
//! mixes up pages), then the bookmarks, the draft stamp on attached pages, and the
//! document information and id taken from the data.

use super::canvas::{Fonts, watermark_stream};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

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

/// Builds the final file; returns its bytes and page count.
pub fn assemble(
    mut main: Document,
    pdfs: Vec<Document>,
    sequence: &[Slot],
    outline: &[(String, usize)],
    finish: &Finish,
    fonts: &Fonts,
) -> (Vec<u8>, usize) {
    let generated: Vec<ObjectId> = main.get_pages().into_values().collect();
    let font = bold_font(&main, &generated);
    let mut external: Vec<Vec<ObjectId>> = Vec::new();
    for mut pdf in pdfs {
        pdf.renumber_objects_with(main.max_id + 1);
        let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
        for p in &pages {
            flatten_inherited(&mut pdf, *p);
        }
        main.max_id = main.max_id.max(pdf.max_id);
        for (id, obj) in pdf.objects {
            main.objects.insert(id, obj);
        }
        external.push(pages);
    }
    let mut order = Vec::new();
    for slot in sequence {
        match slot {
            Slot::Generated(i) => order.extend(generated.get(*i).copied()),
            Slot::External(i) => {
                for p in external.get(*i).into_iter().flatten() {
                    if finish.watermark
                        && let Some(f) = font
                    {
                        stamp(&mut main, *p, f, fonts);
                    }
                    order.push(*p);
                }
            }
        }
    }
    let pages_id = main
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok());
    let Some(pages_id) = pages_id else {
        return (Vec::new(), 0);
    };
    for p in &order {
        if let Ok(d) = main.get_dictionary_mut(*p) {
            d.set("Parent", Object::Reference(pages_id));
        }
    }
    if let Ok(d) = main.get_dictionary_mut(pages_id) {
        d.set(
            "Kids",
            Object::Array(order.iter().map(|p| Object::Reference(*p)).collect()),
        );
        d.set("Count", Object::Integer(order.len() as i64));
    }
    add_outline(&mut main, outline, &order);
    finish_file(main, finish, order.len())
}

/// Bookmarks: one per document and per attached file, each to its first page of `order`.
fn add_outline(main: &mut Document, outline: &[(String, usize)], order: &[ObjectId]) {
    let outlines_id = main.new_object_id();
    let items: Vec<(ObjectId, &(String, usize))> = outline
        .iter()
        .filter(|(_, page)| *page >= 1 && *page <= order.len())
        .map(|e| (main.new_object_id(), e))
        .collect();
    for (k, (id, (title, page))) in items.iter().enumerate() {
        let Some(target) = order.get(page - 1) else {
            continue;
        };
        let mut d = Dictionary::new();
        d.set("Title", text_string(title));
        d.set("Parent", Object::Reference(outlines_id));
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(*target),
                Object::Name(b"Fit".to_vec()),
            ]),
        );
        if let Some(prev) = k.checked_sub(1).and_then(|p| items.get(p)) {
            d.set("Prev", Object::Reference(prev.0));
        }
        if let Some(next) = items.get(k + 1) {
            d.set("Next", Object::Reference(next.0));
        }
        main.objects.insert(*id, Object::Dictionary(d));
    }
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    root.set("Count", Object::Integer(items.len() as i64));
    if let (Some(first), Some(last)) = (items.first(), items.last()) {
        root.set("First", Object::Reference(first.0));
        root.set("Last", Object::Reference(last.0));
    }
    main.objects.insert(outlines_id, Object::Dictionary(root));
    if let Ok(c) = main.catalog_mut() {
        c.set("Outlines", Object::Reference(outlines_id));
        c.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

/// Information and id from the data, then the file's bytes and its page count.
fn finish_file(mut main: Document, finish: &Finish, pages: usize) -> (Vec<u8>, usize) {
    // Never from the clock or a random source.
    let date = format!("D:{}000000Z", finish.creation_date);
    let mut info = Dictionary::new();
    info.set("Title", text_string(&finish.title));
    info.set("Producer", text_string("Hồ sơ NTM"));
    info.set("Creator", text_string("Hồ sơ NTM"));
    info.set("CreationDate", Object::string_literal(date.clone()));
    info.set("ModDate", Object::string_literal(date));
    let info_id = main.add_object(Object::Dictionary(info));
    main.trailer.set("Info", Object::Reference(info_id));
    let digest = Sha256::digest(finish.id_seed.as_bytes());
    let id = Object::String(
        digest.get(..16).unwrap_or_default().to_vec(),
        StringFormat::Hexadecimal,
    );
    main.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    main.prune_objects();
    main.renumber_objects();
    main.compress();
    let mut out = Vec::new();
    if main.save_to(&mut out).is_err() {
        return (Vec::new(), 0);
    }
    (out, pages)
}
