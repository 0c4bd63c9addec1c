//! A PDF written object by object as it is made: each object goes straight to the
//! output (a buffered file) and only its offset is remembered for the cross-reference
//! table, so the packet is never held whole in memory. Objects of a source document
//! (the generated pages, one attached PDF at a time) are copied with [`Copier`]: it
//! gives each object it meets a new number and writes it once, following references
//! from the page, never up into the source's own page tree.

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The output: objects written in order, their offsets kept.
pub(super) struct Sink<W: Write> {
    out: W,
    pos: u64,
    /// Offset of object `n` at `n - 1`; `None` while reserved and not yet written.
    offsets: Vec<Option<u64>>,
}

impl<W: Write> Sink<W> {
    /// Starts the file with its header.
    pub(super) fn new(out: W) -> io::Result<Self> {
        let mut sink = Self {
            out,
            pos: 0,
            offsets: Vec::new(),
        };
        sink.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(sink)
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// A new object number, to be written later with [`Sink::put`].
    pub(super) fn reserve(&mut self) -> u32 {
        self.offsets.push(None);
        u32::try_from(self.offsets.len()).unwrap_or(u32::MAX)
    }

    /// Writes object `id`; references are resolved by `resolve` (`None`: `null`).
    pub(super) fn put(
        &mut self,
        id: u32,
        obj: &Object,
        resolve: &mut dyn FnMut(&mut Self, ObjectId) -> Option<u32>,
    ) -> io::Result<()> {
        let mut head = Vec::new();
        let content = match obj {
            Object::Stream(s) => {
                let mut ids = |old| resolve(self, old);
                write_dict(&mut head, &s.dict, Some(s.content.len()), &mut ids);
                Some(s.content.as_slice())
            }
            other => {
                let mut ids = |old| resolve(self, old);
                write_object(&mut head, other, &mut ids);
                None
            }
        };
        if let Some(slot) = usize::try_from(id)
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| self.offsets.get_mut(i))
        {
            *slot = Some(self.pos);
        }
        self.raw(format!("{id} 0 obj\n").as_bytes())?;
        self.raw(&head)?;
        if let Some(content) = content {
            self.raw(b"\nstream\n")?;
            self.raw(content)?;
            self.raw(b"\nendstream")?;
        }
        self.raw(b"\nendobj\n")
    }

    /// Writes object `id` whose references already carry output numbers.
    pub(super) fn put_new(&mut self, id: u32, obj: &Object) -> io::Result<()> {
        self.put(id, obj, &mut |_, old| Some(old.0))
    }

    /// The cross-reference table and the trailer; gives the output back.
    pub(super) fn finish(mut self, mut trailer: Dictionary) -> io::Result<W> {
        let start = self.pos;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1);
        for offset in &self.offsets {
            match offset {
                Some(at) => table.push_str(&format!("{at:010} 00000 n \n")),
                None => table.push_str("0000000000 00000 f \n"),
            }
        }
        self.raw(table.as_bytes())?;
        trailer.set("Size", Object::Integer(self.offsets.len() as i64 + 1));
        let mut head = b"trailer\n".to_vec();
        write_dict(&mut head, &trailer, None, &mut |old| Some(old.0));
        head.extend_from_slice(format!("\nstartxref\n{start}\n%%EOF\n").as_bytes());
        self.raw(&head)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

fn write_string(out: &mut Vec<u8>, text: &[u8], format: StringFormat) {
    match format {
        StringFormat::Hexadecimal => {
            out.push(b'<');
            for b in text {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        StringFormat::Literal => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
    }
}

/// A dictionary; a stream's `Length` is its content's.
fn write_dict(
    out: &mut Vec<u8>,
    dict: &Dictionary,
    length: Option<usize>,
    ids: &mut dyn FnMut(ObjectId) -> Option<u32>,
) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        if length.is_some() && key.as_slice() == b"Length" {
            continue;
        }
        write_name(out, key);
        out.push(b' ');
        write_object(out, value, ids);
        out.push(b'\n');
    }
    if let Some(n) = length {
        out.extend_from_slice(format!("/Length {n}").as_bytes());
    }
    out.extend_from_slice(b">>");
}

/// A direct object (a stream inside another object is not valid PDF: `null`).
fn write_object(out: &mut Vec<u8>, obj: &Object, ids: &mut dyn FnMut(ObjectId) -> Option<u32>) {
    match obj {
        Object::Null | Object::Stream(_) => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => {
            let r = if r.is_finite() { *r } else { 0.0 };
            out.extend_from_slice(r.to_string().as_bytes());
        }
        Object::Name(n) => write_name(out, n),
        Object::String(s, f) => write_string(out, s, *f),
        Object::Array(items) => {
            out.push(b'[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(b' ');
                }
                write_object(out, item, ids);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => write_dict(out, d, None, ids),
        Object::Reference(old) => match ids(*old) {
            Some(new) => out.extend_from_slice(format!("{new} 0 R").as_bytes()),
            None => out.extend_from_slice(b"null"),
        },
    }
}

/// An object number no source document uses, standing for an output object (a page's
/// parent, the packet's bold face, a photo) inside an edited source object.
pub(super) fn alias(n: u32) -> ObjectId {
    (u32::MAX - n, u16::MAX)
}

fn is_page_node(obj: &Object) -> bool {
    obj.as_dict()
        .and_then(|d| d.get(b"Type"))
        .and_then(Object::as_name)
        .is_ok_and(|n| n == b"Page" || n == b"Pages")
}

/// Copies objects of one source document into the sink, each once.
pub(super) struct Copier<'d> {
    doc: &'d Document,
    map: BTreeMap<ObjectId, u32>,
    pending: Vec<ObjectId>,
}

impl<'d> Copier<'d> {
    /// A copier for `doc`.
    pub(super) fn new(doc: &'d Document) -> Self {
        Self {
            doc,
            map: BTreeMap::new(),
            pending: Vec::new(),
        }
    }

    /// The source document.
    pub(super) fn doc(&self) -> &'d Document {
        self.doc
    }

    /// Makes `old` stand for the output object `new` (already written or to be).
    pub(super) fn seed(&mut self, old: ObjectId, new: u32) {
        self.map.insert(old, new);
    }

    /// The output number of source object `old`, reserved and queued on first sight;
    /// `None` for a missing object or a node of the source's page tree.
    fn resolve<W: Write>(&mut self, sink: &mut Sink<W>, old: ObjectId) -> Option<u32> {
        if let Some(new) = self.map.get(&old) {
            return Some(*new);
        }
        let obj = self.doc.get_object(old).ok()?;
        if is_page_node(obj) {
            return None;
        }
        let new = sink.reserve();
        self.map.insert(old, new);
        self.pending.push(old);
        Some(new)
    }

    /// The output number of source object `old`, written with everything it refers to.
    pub(super) fn object<W: Write>(
        &mut self,
        sink: &mut Sink<W>,
        old: ObjectId,
    ) -> io::Result<Option<u32>> {
        let new = self.resolve(sink, old);
        self.drain(sink)?;
        Ok(new)
    }

    fn drain<W: Write>(&mut self, sink: &mut Sink<W>) -> io::Result<()> {
        let doc = self.doc;
        while let Some(old) = self.pending.pop() {
            let (Some(new), Ok(obj)) = (self.map.get(&old).copied(), doc.get_object(old)) else {
                continue;
            };
            sink.put(new, obj, &mut |s, r| self.resolve(s, r))?;
        }
        Ok(())
    }

    /// Writes a page of the source under the output's page tree `parent`, after
    /// `edit` has changed its dictionary; returns the page's output number.
    pub(super) fn page<W: Write>(
        &mut self,
        sink: &mut Sink<W>,
        page: ObjectId,
        parent: u32,
        edit: impl FnOnce(&mut Dictionary),
    ) -> io::Result<Option<u32>> {
        let Ok(dict) = self.doc.get_dictionary(page) else {
            return Ok(None);
        };
        let mut dict = dict.clone();
        let parent_alias = alias(0);
        self.seed(parent_alias, parent);
        dict.set("Parent", Object::Reference(parent_alias));
        edit(&mut dict);
        let new = sink.reserve();
        self.map.insert(page, new);
        sink.put(new, &Object::Dictionary(dict), &mut |s, r| {
            self.resolve(s, r)
        })?;
        self.drain(sink)?;
        Ok(Some(new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};

    #[test]
    fn a_streamed_file_reads_back_with_its_objects() {
        let mut sink = Sink::new(Vec::new()).unwrap();
        let pages = sink.reserve();
        let content = sink.reserve();
        sink.put_new(
            content,
            &Object::Stream(Stream::new(dictionary! {}, b"0 0 m 10 10 l S".to_vec())),
        )
        .unwrap();
        let page = sink.reserve();
        sink.put_new(
            page,
            &Object::Dictionary(dictionary! {
                "Type" => "Page", "Parent" => (pages, 0),
                "MediaBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                "Contents" => (content, 0),
                "Resources" => dictionary! {},
                "Title" => Object::String(b"a (b) \\ c".to_vec(), StringFormat::Literal),
            }),
        )
        .unwrap();
        sink.put_new(
            pages,
            &Object::Dictionary(dictionary! {
                "Type" => "Pages", "Count" => 1, "Kids" => vec![(page, 0).into()],
            }),
        )
        .unwrap();
        let root = sink.reserve();
        sink.put_new(
            root,
            &Object::Dictionary(dictionary! { "Type" => "Catalog", "Pages" => (pages, 0) }),
        )
        .unwrap();
        let bytes = sink.finish(dictionary! { "Root" => (root, 0) }).unwrap();
        let doc = Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let p = doc.get_dictionary((page, 0)).unwrap();
        assert_eq!(
            p.get(b"Title").unwrap().as_str().unwrap(),
            b"a (b) \\ c".as_slice()
        );
        let c = doc.get_object((content, 0)).unwrap().as_stream().unwrap();
        assert_eq!(c.content, b"0 0 m 10 10 l S");
    }

    #[test]
    fn a_copied_page_takes_its_resources_but_not_its_siblings() {
        let mut src = Document::with_version("1.7");
        let pages = src.new_object_id();
        let font = src.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman" },
        );
        let mut kids = Vec::new();
        for _ in 0..3 {
            let content = src.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
            let page = src.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages, "Contents" => content,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            });
            kids.push(page);
        }
        // An annotation pointing at a sibling page must not pull the sibling in.
        let annot = src.add_object(dictionary! { "Type" => "Annot", "P" => kids[1] });
        if let Ok(d) = src.get_dictionary_mut(kids[0]) {
            d.set("Annots", vec![Object::Reference(annot)]);
        }
        src.objects.insert(
            pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Count" => 3,
            "Kids" => kids.iter().map(|k| Object::Reference(*k)).collect::<Vec<_>>() }),
        );
        let mut sink = Sink::new(Vec::new()).unwrap();
        let parent = sink.reserve();
        let mut copier = Copier::new(&src);
        let first = copier.page(&mut sink, kids[0], parent, |_| {}).unwrap();
        let second = copier.page(&mut sink, kids[2], parent, |_| {}).unwrap();
        assert!(first.is_some() && second.is_some());
        // parent, page, content, font, annotation, page, content: the font once, the
        // sibling page and the source's page tree never.
        assert_eq!(sink.offsets.len(), 7);
        assert_eq!(sink.offsets.iter().filter(|o| o.is_some()).count(), 6);
    }
}
