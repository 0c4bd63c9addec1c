//! The printed documents as a reader sees them (issue 14), read back with pdftotext.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::dossier;

fn pdftotext_layout(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The minutes' line «Chủ trì: ……; thư ký: ……» had dot runs too long for one line: the
/// justified line spread «Chủ», «trì:» and «thư ký:» across the page and put the second
/// run alone below. Both templates of a commune now keep it on one line.
#[test]
fn r_minutes_chair_and_secretary_line_spread_across_the_page() {
    for template in ["xa", "xa-truoc-2025"] {
        let dir = tempdir();
        let path = dir.path().join("ho-so.sqlite");
        let mut ws = open(&path);
        let a = commune_with_assessment(&mut ws).2;
        let t = dossier::template(template).unwrap();
        let out = dir.path().join("ho-so.pdf");
        dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
        let text = pdftotext_layout(&out);
        let line = text
            .lines()
            .find(|l| l.contains("Chủ trì:"))
            .unwrap_or_else(|| panic!("{template}: no «Chủ trì:» in\n{text}"));
        assert!(line.contains("thư ký: ....."), "{template}: {line}");
        let squeezed = line.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            squeezed.starts_with("Chủ trì: ....") && squeezed.ends_with("....."),
            "{template}: {line}"
        );
    }
}
