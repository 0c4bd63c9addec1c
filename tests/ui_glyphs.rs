//! Every string the program can show is drawn with the embedded fonts alone:
//! the string literals of the screens, the app layer and the domain are read from the
//! sources and each character is looked up in that font. A character it lacks (an arrow
//! «→», a check mark) would fall back to egui's own fonts, which draw it in another
//! style or as a box.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

use egui::{FontData, FontDefinitions, FontFamily, FontId};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::sync::Arc;

/// A context whose only fonts are the ones the program embeds, in its order.
fn embedded_font_only() -> egui::Context {
    let mut font_data = BTreeMap::new();
    let mut names = Vec::new();
    for (name, bytes) in ntm_dossier::ui::ui_fonts() {
        font_data.insert(name.to_string(), Arc::new(FontData::from_static(bytes)));
        names.push(name.to_string());
    }
    let mut families = BTreeMap::new();
    families.insert(FontFamily::Proportional, names.clone());
    families.insert(FontFamily::Monospace, names);
    let ctx = egui::Context::default();
    ctx.set_fonts(FontDefinitions {
        font_data,
        families,
    });
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    ctx
}

/// The string literals of a Rust source, each with its line, outside `#[cfg(test)]`.
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if chars[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            '\'' => {
                // A char literal ('x', '\n', '\u{2192}') or a lifetime ('a).
                if next == Some('\\') {
                    i += 2;
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            'r' if (next == Some('"') || next == Some('#'))
                && !chars
                    .get(i.wrapping_sub(1))
                    .is_some_and(|p| p.is_alphanumeric() || *p == '_') =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let start_line = line;
                let mut s = String::new();
                j += 1;
                while j < chars.len() {
                    if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    if chars[j] == '\n' {
                        line += 1;
                    }
                    s.push(chars[j]);
                    j += 1;
                }
                out.push((start_line, s));
                i = j;
            }
            '"' => {
                let start_line = line;
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        match chars.get(i + 1) {
                            Some('u') => {
                                let close = (i..chars.len()).find(|k| chars[*k] == '}').unwrap();
                                let hex: String = chars[i + 3..close].iter().collect();
                                if let Some(ch) =
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                                {
                                    s.push(ch);
                                }
                                i = close + 1;
                            }
                            Some('\n') => {
                                line += 1;
                                i += 2;
                                while i < chars.len() && chars[i].is_whitespace() {
                                    if chars[i] == '\n' {
                                        line += 1;
                                    }
                                    i += 1;
                                }
                            }
                            _ => i += 2,
                        }
                        continue;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    s.push(chars[i]);
                    i += 1;
                }
                i += 1;
                out.push((start_line, s));
            }
            _ => i += 1,
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each character of the literals that the font lacks, as `file:line: «c» U+XXXX in "…"`.
fn missing_glyphs(ctx: &egui::Context, folders: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in folders {
        rust_files(&root.join(folder), &mut files);
    }
    files.sort();
    let font = FontId::proportional(15.0);
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, literal) in string_literals(&text) {
            for c in literal.chars().filter(|c| !c.is_control()) {
                if !ctx.fonts_mut(|f| f.has_glyph(&font, c)) {
                    problems.push(format!(
                        "{}:{line}: «{c}» U+{:04X} in {literal:?}",
                        file.strip_prefix(root).unwrap_or(&file).display(),
                        c as u32
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn r_arrow_glyph_missing_from_the_embedded_font() {
    let ctx = embedded_font_only();
    let problems = missing_glyphs(&ctx, &["src/ui", "src/app", "src/domain"]);
    assert!(
        problems.is_empty(),
        "characters the embedded font cannot draw:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_glyph_check_finds_a_character_the_font_lacks() {
    let ctx = embedded_font_only();
    let font = FontId::proportional(15.0);
    // Vietnamese is covered; a CJK ideograph is not: the check can fail.
    assert!(ctx.fonts_mut(|f| f.has_glyphs(&font, "Nông thôn mới: ạ ậ ệ ộ ự «» — …")));
    assert!(!ctx.fonts_mut(|f| f.has_glyph(&font, '農')));
    let literals = string_literals("let a = \"x → y\"; // \"→ in a comment\"\nlet b = '→';");
    assert_eq!(literals, vec![(1, "x → y".to_string())]);
}
