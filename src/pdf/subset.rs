//! Fonts embedded as subsets: printpdf (without its heavy layout feature) embeds each
//! font whole, about 380 KB a face. After serialisation, each embedded TrueType program
//! is cut down to the glyphs its `/ToUnicode` map names (the glyphs the pages use);
//! glyph ids stay the same, so the content streams and widths need no change. The font
//! names get the `ABCDEF+` tag that marks a subset, derived from the glyph set so the
//! same packet gives the same bytes. A font that cannot be cut is left whole.

use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// The glyph ids a `/ToUnicode` CMap maps (its `bfchar` entries and `bfrange` spans).
fn mapped_glyphs(cmap: &str) -> BTreeSet<u16> {
    let mut glyphs = BTreeSet::new();
    let mut section = "";
    for line in cmap.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            section = "char";
            continue;
        }
        if line.ends_with("beginbfrange") {
            section = "range";
            continue;
        }
        if line == "endbfchar" || line == "endbfrange" {
            section = "";
            continue;
        }
        let mut codes = line
            .split('<')
            .skip(1)
            .filter_map(|p| p.split('>').next())
            .map(|h| u16::from_str_radix(h, 16).ok());
        match section {
            "char" => {
                if let Some(Some(g)) = codes.next() {
                    glyphs.insert(g);
                }
            }
            "range" => {
                if let (Some(Some(a)), Some(Some(b))) = (codes.next(), codes.next()) {
                    glyphs.extend(a..=b);
                }
            }
            _ => {}
        }
    }
    glyphs
}

fn reference(dict: &Dictionary, key: &[u8]) -> Option<ObjectId> {
    dict.get(key).ok()?.as_reference().ok()
}

/// The six capital letters that tag a subset, from the glyph set and the font's name.
fn tag(name: &[u8], glyphs: &BTreeSet<u16>) -> String {
    let mut h = Sha256::new();
    h.update(name);
    for g in glyphs {
        h.update(g.to_be_bytes());
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// Cuts every embedded TrueType font of `doc` down to the glyphs it uses.
pub(super) fn subset_fonts(doc: &mut Document) {
    // (Type0 font, CIDFont when an object of its own, descriptor, program, ToUnicode)
    let mut fonts = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(d) = obj.as_dict() else { continue };
        if !d
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Type0")
        {
            continue;
        }
        let Some(to_unicode) = reference(d, b"ToUnicode") else {
            continue;
        };
        // The CIDFont is written inline (printpdf) or as an object.
        let first = d
            .get(b"DescendantFonts")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first());
        let cid: Option<&Dictionary> = match first {
            Some(Object::Dictionary(c)) => Some(c),
            Some(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
            _ => None,
        };
        let cid_ref = first.and_then(|o| o.as_reference().ok());
        let Some(descriptor) = cid.and_then(|c| reference(c, b"FontDescriptor")) else {
            continue;
        };
        let Some(program) = doc
            .get_dictionary(descriptor)
            .ok()
            .and_then(|f| reference(f, b"FontFile2"))
        else {
            continue;
        };
        fonts.push((*id, cid_ref, descriptor, program, to_unicode));
    }
    for (font, cid, descriptor, program, to_unicode) in fonts {
        let Some(cmap) = doc
            .get_object(to_unicode)
            .and_then(Object::as_stream)
            .ok()
            .and_then(|s| s.get_plain_content().ok())
        else {
            continue;
        };
        let mut glyphs = mapped_glyphs(&String::from_utf8_lossy(&cmap));
        glyphs.insert(0);
        let Some(bytes) = doc
            .get_object(program)
            .and_then(Object::as_stream)
            .ok()
            .and_then(|s| s.get_plain_content().ok())
        else {
            continue;
        };
        let list: Vec<u16> = glyphs.iter().copied().collect();
        let Ok(cut) = subsetter::subset(&bytes, 0, subsetter::Profile::pdf(&list)) else {
            continue;
        };
        let Some(name) = doc
            .get_dictionary(font)
            .and_then(|d| d.get(b"BaseFont"))
            .and_then(Object::as_name)
            .ok()
            .map(|n| n.to_vec())
        else {
            continue;
        };
        if name.get(6) == Some(&b'+') {
            continue;
        }
        let mut tagged = tag(&name, &glyphs).into_bytes();
        tagged.push(b'+');
        tagged.extend_from_slice(&name);
        let mut dict = Dictionary::new();
        dict.set("Length1", Object::Integer(cut.len() as i64));
        let mut stream = lopdf::Stream::new(dict, cut);
        // Flate as before: the subset is small either way, compressed it is smaller.
        let _ = stream.compress();
        doc.objects.insert(program, Object::Stream(stream));
        let name = Object::Name(tagged);
        if let Ok(d) = doc.get_dictionary_mut(font) {
            d.set("BaseFont", name.clone());
            if let Ok(Object::Array(a)) = d.get_mut(b"DescendantFonts")
                && let Some(Object::Dictionary(c)) = a.first_mut()
            {
                c.set("BaseFont", name.clone());
            }
        }
        if let Some(c) = cid
            && let Ok(d) = doc.get_dictionary_mut(c)
        {
            d.set("BaseFont", name.clone());
        }
        if let Ok(d) = doc.get_dictionary_mut(descriptor) {
            d.set("FontName", name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_used_glyphs_are_read_from_the_to_unicode_map() {
        let cmap = "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n2 beginbfchar\n<0024> <0041>\n<01A1> <1EDD>\nendbfchar\n1 beginbfrange\n<0030> <0032> <0061>\nendbfrange\n";
        let g: Vec<u16> = mapped_glyphs(cmap).into_iter().collect();
        assert_eq!(g, vec![0x24, 0x30, 0x31, 0x32, 0x1A1]);
    }

    #[test]
    fn the_subset_tag_is_six_capitals_and_repeatable() {
        let g: BTreeSet<u16> = [1, 2, 3].into_iter().collect();
        let t = tag(b"LiberationSerif", &g);
        assert_eq!(t.len(), 6);
        assert!(t.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(t, tag(b"LiberationSerif", &g));
    }
}
