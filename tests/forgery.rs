//! Bundles forged as an attacker would: real bundles written by the program, their
//! manifests edited, the whole-file hash recomputed and — where the attacker holds a key
//! (a dishonest commune, or a stranger's own workspace) — signed again. Each is refused
//! (or, for an edition, flagged and computed against the office's own), and the office
//! workspace is unchanged, compared table by table.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::keys::Trust;
use ntm_dossier::app::{assessment, bundle, enrolment, review};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::Workspace;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_ntm-dossier");

/// A commune's workspace with one assessment (1.1 at 90/100) and its first bundle.
struct Commune {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    ws: Workspace,
    a: AssessmentId,
    bundle: PathBuf,
}

fn commune_named(name: &str, numerator: &str) -> Commune {
    let dir = tempdir();
    let root = dir.path().to_path_buf();
    let mut ws = open(&root.join("xa.sqlite"));
    let province = ntm_dossier::app::units::add(
        &mut ws,
        &ntm_dossier::app::units::UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let unit = ntm_dossier::app::units::add(&mut ws, &form(name, "xa", Some(province))).unwrap();
    ntm_dossier::app::catalog::import(&mut ws, &fixture_path()).unwrap();
    let a = assessment::create(&mut ws, unit, "thu-nghiem-xa", "ntm", 2025).unwrap();
    assessment::save_value(
        &mut ws,
        a,
        "1.1",
        &assessment::ValueForm {
            numerator: numerator.into(),
            denominator: "100".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let pdf = root.join("biên bản.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 bien ban nghiem thu").unwrap();
    ntm_dossier::app::evidence::add_files(&mut ws, a, &["1.1".into()], &[pdf.as_path()]).unwrap();
    let bundle = root.join("lan-1.ntm");
    bundle::export(&mut ws, a, &bundle).unwrap();
    Commune {
        _dir: dir,
        dir: root,
        ws,
        a,
        bundle,
    }
}

fn commune() -> Commune {
    commune_named("Xã Đông Hòa", "90")
}

/// The office's workspace, with the fixture edition as its own.
fn office(dir: &Path) -> Workspace {
    let mut o = open(&dir.join("tinh.sqlite"));
    ntm_dossier::app::catalog::import(&mut o, &fixture_path()).unwrap();
    o
}

fn trust(f: &Path) -> Trust {
    Trust::fingerprint(enrolment::signer_fingerprint(f).unwrap())
}

/// A digest of every row of every table of a workspace file: what must not move when
/// a bundle is refused.
fn tables(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut hash = Sha256::new();
    for t in names {
        hash.update(t.as_bytes());
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        for r in rows {
            hash.update(r.as_bytes());
        }
    }
    format!("{:x}", hash.finalize())
}

/// Imports `file` and expects a refusal containing every one of `expect`, with the
/// office's tables unchanged.
fn refused(o: &mut Workspace, file: &Path, t: &Trust, expect: &[&str]) {
    let before = tables(o.path());
    let err = bundle::import(o, file, t).unwrap_err();
    let text = format!("{err}");
    assert!(text.contains("bị từ chối"), "{text}");
    for e in expect {
        assert!(text.contains(e), "expected «{e}» in: {text}");
    }
    assert_eq!(
        tables(o.path()),
        before,
        "the office workspace changed: {text}"
    );
}

#[test]
fn r_recomputed_trailer_accepted_as_genuine() {
    let c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let first = bundle::import(&mut o, &c.bundle, &trust(&c.bundle)).unwrap();
    assert!(first.is_new);
    // A changed value, hash recomputed, signature kept: the signature no longer fits.
    let bad = odir.path().join("sua.ntm");
    forge_bundle(&c.bundle, &bad, None, |m| {
        m["round"] = serde_json::json!(2);
        m["values"][0]["numerator"] = serde_json::json!(100.0);
    });
    refused(&mut o, &bad, &Trust::none(), &["chữ ký số không khớp"]);
    // The same, signed again by a stranger's own key: not the key enrolled for the
    // commune, and both fingerprints are named.
    let stranger = open(&odir.path().join("ke-gia-mao.sqlite"));
    let mut stranger = stranger;
    ntm_dossier::app::keys::own_fingerprint(&mut stranger).unwrap();
    let k = signing_key_of(&stranger);
    forge_bundle(&c.bundle, &bad, Some(&k), |m| {
        m["round"] = serde_json::json!(2);
        m["values"][0]["numerator"] = serde_json::json!(100.0);
    });
    let theirs = enrolment::signer_fingerprint(&bad).unwrap();
    let ours = enrolment::signer_fingerprint(&c.bundle).unwrap();
    refused(&mut o, &bad, &Trust::none(), &[&theirs, &ours]);
    // Even when the clerk types the stranger's fingerprint, without re-enrolment.
    refused(
        &mut o,
        &bad,
        &Trust::fingerprint(&theirs),
        &[&theirs, &ours],
    );
}

#[test]
fn r_stolen_origin_posts_round_for_another_commune() {
    let a = commune_named("Xã An Phú", "90");
    let c = commune_named("Xã Cẩm Bình", "90");
    let odir = tempdir();
    let mut o = office(odir.path());
    bundle::import(&mut o, &a.bundle, &trust(&a.bundle)).unwrap();
    let got_c = bundle::import(&mut o, &c.bundle, &trust(&c.bundle)).unwrap();
    // A takes C's origin and unit from C's bundle, posts «round 2» signed with A's key.
    let c_manifest = bundle_manifest(&c.bundle);
    let bad = odir.path().join("gia-c.ntm");
    forge_bundle(&a.bundle, &bad, Some(&signing_key_of(&a.ws)), |m| {
        m["origin"] = c_manifest["origin"].clone();
        m["assessment"] = c_manifest["assessment"].clone();
        for v in m["values"].as_array_mut().unwrap() {
            v["assessment"] = c_manifest["assessment"].clone();
        }
        for e in m["evidence"].as_array_mut().unwrap() {
            e["assessment"] = c_manifest["assessment"].clone();
        }
        m["unit"] = c_manifest["unit"].clone();
        m["round"] = serde_json::json!(2);
    });
    let fa = enrolment::signer_fingerprint(&a.bundle).unwrap();
    refused(&mut o, &bad, &Trust::none(), &[&fa]);
    // A's own origin, but C's unit: still only A's unit may be written.
    forge_bundle(&a.bundle, &bad, Some(&signing_key_of(&a.ws)), |m| {
        m["unit"] = c_manifest["unit"].clone();
        m["round"] = serde_json::json!(3);
    });
    refused(
        &mut o,
        &bad,
        &Trust::fingerprint(&fa),
        &["Xã Cẩm Bình", "đơn vị khác"],
    );
    // C's latest round is still its own.
    let unit = o.require_assessment(got_c.assessment).unwrap().unit;
    assert_eq!(
        o.latest_assessment(unit).unwrap().unwrap().id,
        got_c.assessment
    );
}

#[test]
fn r_lowered_national_threshold_printed_as_met() {
    // The commune has 2 % and ships its copy of the edition with 1.1 lowered to 1 %.
    let c = commune_named("Xã Đông Hòa", "2");
    let bad = c.dir.join("nguong-thap.ntm");
    forge_bundle(&c.bundle, &bad, Some(&signing_key_of(&c.ws)), |m| {
        let toml = m["edition_toml"].as_str().unwrap().to_string();
        let lowered = toml.replacen("value = 80", "value = 1", 1);
        assert_ne!(lowered, toml, "the threshold is in the canonical TOML");
        m["edition_sha256"] = serde_json::json!(ntm_dossier::store::sha256_hex(lowered.as_bytes()));
        m["edition_toml"] = serde_json::json!(lowered);
    });
    let odir = tempdir();
    let mut o = office(odir.path());
    let own = o.edition("thu-nghiem-xa").unwrap().unwrap();
    let got = bundle::import(&mut o, &bad, &trust(&bad)).unwrap();
    assert!(
        got.edition_differs
            .iter()
            .any(|d| d.contains("chỉ tiêu 1.1")),
        "{:?}",
        got.edition_differs
    );
    // Computed and shown against the office's edition; the commune's copy kept as its claim.
    let record = o.require_assessment(got.assessment).unwrap();
    assert_eq!(record.edition_sha256, own.content_sha256);
    let l = assessment::load(&o, got.assessment, ntm_dossier::app::today()).unwrap();
    let i = l
        .status
        .criteria
        .iter()
        .flat_map(|c| &c.indicators)
        .find(|i| i.code == "1.1")
        .unwrap();
    assert_eq!(i.verdict, ntm_dossier::domain::units::Verdict::NotMet);
    let claim = bundle::claimed_edition(&o, got.assessment)
        .unwrap()
        .unwrap();
    assert!(claim.contains("value = 1"));
    // The command line says so in words.
    let odir2 = tempdir();
    drop(office(odir2.path()));
    let out = Command::new(BIN)
        .arg("--db")
        .arg(odir2.path().join("tinh.sqlite"))
        .args(["bundle", "import", "--trust"])
        .arg(enrolment::signer_fingerprint(&bad).unwrap())
        .arg(&bad)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(bundle::EDITION_DIFFERS) && stdout.contains("chỉ tiêu 1.1"),
        "{stdout}"
    );
}

#[test]
fn r_nested_units_overflow_unit_list() {
    let c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let bad = odir.path().join("long-nhau.ntm");
    forge_bundle(&c.bundle, &bad, Some(&signing_key_of(&c.ws)), |m| {
        let parent = m["parents"][0].clone();
        m["parents"] = serde_json::Value::Array(vec![parent; 40_000]);
    });
    refused(&mut o, &bad, &trust(&bad), &["quá nhiều cấp đơn vị cha"]);
    // A workspace that already holds such a chain (an older program let it in) still
    // lists its units: the walk is iterative and stops at the depth limit.
    drop(o);
    let db = odir.path().join("tinh.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
             INSERT INTO units(id, name, kind, parent_id, created_at)
             SELECT 100000 + i, 'Đơn vị ' || i, 'tinh', CASE WHEN i = 1 THEN NULL ELSE 100000 + i - 1 END, '2025-01-01T00:00:00Z' FROM n;",
        )
        .unwrap();
    }
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["unit", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Đơn vị 1\n") && text.contains("Đơn vị 8\n"));
    assert!(!text.contains("Đơn vị 9\n"), "cut at the depth limit");
}

#[test]
fn r_unchecked_fields_stored() {
    let c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let t = trust(&c.bundle);
    let k = signing_key_of(&c.ws);
    let bad = odir.path().join("truong-sai.ntm");
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "verdict",
            Box::new(|m| m["values"][0]["computed_verdict"] = "hacked".into()),
            "«hacked» không hợp lệ",
        ),
        (
            "manual verdict",
            Box::new(|m| {
                m["values"][0]["manual_verdict"] = "hacked".into();
                m["values"][0]["manual_reason"] = "vì".into();
            }),
            "«hacked» không hợp lệ",
        ),
        (
            "criterion",
            Box::new(|m| m["ratings"] = serde_json::json!([[999, "dat", ""]])),
            "tiêu chí số 999",
        ),
        (
            "indicator",
            Box::new(|m| m["values"][0]["indicator"] = "9.9".into()),
            "«9.9» không có",
        ),
        (
            "year",
            Box::new(|m| m["year"] = serde_json::json!(-99999)),
            "năm đánh giá -99999",
        ),
        (
            "target",
            Box::new(|m| m["target"] = "kieu-mau".into()),
            "không dùng cho mục tiêu",
        ),
        (
            "date",
            Box::new(|m| m["values"][0]["data_date"] = "2025-02-30".into()),
            "ngày «2025-02-30»",
        ),
        (
            "counts",
            Box::new(|m| {
                m["conditions"]["households_surveyed"] = serde_json::json!(10);
                m["conditions"]["households_satisfied"] = serde_json::json!(500);
            }),
            "(500) lớn hơn số hộ được hỏi (10)",
        ),
        (
            "province under a commune",
            Box::new(|m| {
                let commune = m["unit"].clone();
                let province = m["parents"][0].clone();
                m["parents"] = serde_json::json!([commune]);
                m["unit"] = province;
            }),
            "tỉnh > huyện > xã > thôn",
        ),
        (
            "NUL in a file name",
            Box::new(|m| m["evidence"][0]["file_name"] = "a\u{0}b.pdf".into()),
            "ký tự điều khiển",
        ),
        (
            "drive prefix",
            Box::new(|m| m["evidence"][0]["file_name"] = "C:evil.bat".into()),
            "ổ đĩa",
        ),
        (
            "path separator",
            Box::new(|m| m["evidence"][0]["file_name"] = "..\\..\\x.pdf".into()),
            "phân cách thư mục",
        ),
        (
            "reserved name",
            Box::new(|m| m["evidence"][0]["file_name"] = "CON.pdf".into()),
            "dành riêng của Windows",
        ),
        (
            "long name",
            Box::new(|m| m["evidence"][0]["file_name"] = format!("{}.pdf", "a".repeat(300)).into()),
            "quá dài",
        ),
        (
            "debt status",
            Box::new(|m| m["conditions"]["debt_status"] = "hacked".into()),
            "tình trạng nợ",
        ),
        (
            "posting medium",
            Box::new(|m| m["postings"] = serde_json::json!([["Trụ sở", "2025-01-05", "loa"]])),
            "hình thức «loa»",
        ),
        (
            "security status",
            Box::new(|m| m["conditions"]["security_status"] = "hacked".into()),
            "tình hình an ninh «hacked»",
        ),
        (
            "posting without a date",
            Box::new(|m| m["postings"] = serde_json::json!([["Trụ sở", " ", "tru_so"]])),
            "thiếu ngày niêm yết",
        ),
        (
            "rating verdict",
            Box::new(|m| m["ratings"] = serde_json::json!([[1, "gan_dat", "vì"]])),
            "«gan_dat» không hợp lệ",
        ),
        (
            "too many values",
            Box::new(|m| {
                let v = m["values"][0].clone();
                m["values"] = serde_json::Value::Array(vec![v; 20_001]);
            }),
            "quá nhiều mục giá trị",
        ),
    ];
    for (label, edit, expect) in cases {
        forge_bundle(&c.bundle, &bad, Some(&k), |m| edit(m));
        let before = tables(o.path());
        let err = bundle::import(&mut o, &bad, &t).unwrap_err();
        let text = format!("{err}");
        assert!(
            text.contains("bị từ chối") && text.contains(expect),
            "{label}: {text}"
        );
        assert_eq!(
            tables(o.path()),
            before,
            "{label}: the office workspace changed"
        );
    }
    // Several problems at once: the first ones are listed.
    forge_bundle(&c.bundle, &bad, Some(&k), |m| {
        m["year"] = serde_json::json!(-99999);
        m["values"][0]["computed_verdict"] = "hacked".into();
    });
    let err = bundle::import(&mut o, &bad, &t).unwrap_err();
    assert!(err.details.len() >= 2, "{err}");
    // And the genuine bundle still goes in.
    assert!(bundle::import(&mut o, &c.bundle, &t).unwrap().is_new);
}

/// Codes a sender wrote in another accepted form (upper case, spaces, `dd/mm/yyyy`) are
/// stored as the app reads them, the same as if typed: `dat`, `2025-01-05`.
#[test]
fn r_bundle_codes_stored_as_sent_not_as_read() {
    let c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let t = trust(&c.bundle);
    let k = signing_key_of(&c.ws);
    let sent = odir.path().join("dang-khac.ntm");
    forge_bundle(&c.bundle, &sent, Some(&k), |m| {
        m["values"][0]["computed_verdict"] = "DAT".into();
        m["values"][0]["manual_verdict"] = " Chua_Dat ".into();
        m["values"][0]["manual_reason"] = "Theo biên bản".into();
        m["values"][0]["data_date"] = "05/01/2025".into();
        m["ratings"] = serde_json::json!([[1, "Co_Ban_Dat", "Theo biên bản"]]);
        m["conditions"]["debt_status"] = " khong_no ".into();
        m["postings"] = serde_json::json!([["Trụ sở", "5/1/2025", "tru_so"]]);
    });
    assert!(bundle::import(&mut o, &sent, &t).unwrap().is_new);
    let conn = rusqlite::Connection::open(o.path()).unwrap();
    let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        one(
            "SELECT computed_verdict || '|' || manual_verdict || '|' || data_date FROM indicator_values"
        ),
        "dat|chua_dat|2025-01-05"
    );
    assert_eq!(one("SELECT verdict FROM criterion_ratings"), "co_ban_dat");
    assert_eq!(one("SELECT debt_status FROM conditions"), "khong_no");
    assert_eq!(one("SELECT posted_on FROM postings"), "2025-01-05");
}

#[test]
fn r_unsigned_old_format_accepted() {
    let c = commune();
    // Format 1: a SHA-256 trailer and nothing else, as the previous program wrote.
    let bytes = std::fs::read(&c.bundle).unwrap();
    let mut old = bytes[..bytes.len() - 96].to_vec();
    old[11..15].copy_from_slice(&1u32.to_be_bytes());
    let digest = Sha256::digest(&old);
    old.extend(digest);
    let bad = c.dir.join("cu.ntm");
    std::fs::write(&bad, old).unwrap();
    let odir = tempdir();
    let mut o = office(odir.path());
    refused(
        &mut o,
        &bad,
        &Trust::none(),
        &["chưa có chữ ký số", "cập nhật phần mềm"],
    );
}

#[test]
fn r_review_from_a_stranger_accepted() {
    let mut c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let got = bundle::import(&mut o, &c.bundle, &trust(&c.bundle))
        .unwrap()
        .assessment;
    review::add_request(&mut o, got, "1.1", "Bổ sung biên bản").unwrap();
    let back = odir.path().join("nhan-xet.ntm");
    review::export(&mut o, got, &back).unwrap();
    // A stranger who also got the commune's bundle writes its own review.
    let sdir = tempdir();
    let mut s = office(sdir.path());
    let sgot = bundle::import(&mut s, &c.bundle, &trust(&c.bundle))
        .unwrap()
        .assessment;
    review::decide(&mut s, sgot, "20/20", "Công nhận", "Cơ quan giả").unwrap();
    let fake = sdir.path().join("gia.ntm");
    review::export(&mut s, sgot, &fake).unwrap();

    let db = c.dir.join("xa.sqlite");
    // Unknown office, nothing confirmed: refused, printing the fingerprint seen.
    let before = tables(&db);
    let err = bundle::receive(&mut c.ws, &back, &Trust::none())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&enrolment::signer_fingerprint(&back).unwrap()),
        "{err}"
    );
    assert_eq!(tables(&db), before);
    // The commune enrols its office on the first review bundle.
    bundle::receive(&mut c.ws, &back, &trust(&back)).unwrap();
    // The stranger's review: refused, naming both keys, nothing changed.
    let before = tables(&db);
    let err = bundle::receive(&mut c.ws, &fake, &Trust::none())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&enrolment::signer_fingerprint(&fake).unwrap()),
        "{err}"
    );
    assert!(
        err.contains(&enrolment::signer_fingerprint(&back).unwrap()),
        "{err}"
    );
    assert_eq!(tables(&db), before);
    assert_eq!(c.ws.review(c.a).unwrap().vote, "");
    // A review with a hostile verdict, signed by the genuine office, is refused too.
    let bad = odir.path().join("sai.ntm");
    forge_bundle(&back, &bad, Some(&signing_key_of(&o)), |m| {
        m["criteria"] = serde_json::json!([[1, "hacked", ""]]);
    });
    let before = tables(&db);
    let err = bundle::receive(&mut c.ws, &bad, &Trust::none())
        .unwrap_err()
        .to_string();
    assert!(err.contains("«hacked» không hợp lệ"), "{err}");
    assert_eq!(tables(&db), before);
}

/// A review whose codes the office's program wrote in another accepted form (upper case,
/// spaces) is stored as the commune's program reads it: `dat`, the edition's `1.1`.
#[test]
fn r_review_codes_stored_as_sent_not_as_read() {
    let mut c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let got = bundle::import(&mut o, &c.bundle, &trust(&c.bundle))
        .unwrap()
        .assessment;
    review::add_request(&mut o, got, "1.1", "Bổ sung biên bản").unwrap();
    let back = odir.path().join("nhan-xet.ntm");
    review::export(&mut o, got, &back).unwrap();
    let sent = odir.path().join("nhan-xet-khac.ntm");
    forge_bundle(&back, &sent, Some(&signing_key_of(&o)), |m| {
        m["criteria"] = serde_json::json!([[1, " DAT ", "Đủ hồ sơ"]]);
    });
    bundle::receive(&mut c.ws, &sent, &trust(&sent)).unwrap();
    let conn = rusqlite::Connection::open(c.dir.join("xa.sqlite")).unwrap();
    let verdict: String = conn
        .query_row("SELECT verdict FROM review_criteria", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "dat");
    let r = c.ws.review(c.a).unwrap();
    assert_eq!(
        r.criteria[0].verdict,
        ntm_dossier::domain::units::Verdict::Met
    );
    assert_eq!(r.requests[0].indicator.as_str(), "1.1");
}

/// Runs the program on `db`.
fn run(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn enrolment_unknown_key_and_re_enrolment_through_the_command_line() {
    let c = commune();
    let xa_db = c.dir.join("xa.sqlite");
    // `key show` prints the fingerprint `bundle export` printed beside its file.
    let shown = run(&xa_db, &["key", "show"]);
    assert!(shown.status.success(), "{}", text(&shown));
    let fp = enrolment::signer_fingerprint(&c.bundle).unwrap();
    assert!(text(&shown).contains(&fp), "{}", text(&shown));
    let out2 = c.dir.join("lan-2.ntm");
    let ex = run(
        &xa_db,
        &[
            "bundle",
            "export",
            &c.a.to_string(),
            "--out",
            out2.to_str().unwrap(),
        ],
    );
    assert!(
        text(&ex).contains(&format!("Dấu vân tay khóa ký: {fp}")),
        "{}",
        text(&ex)
    );

    let odir = tempdir();
    let db = odir.path().join("tinh.sqlite");
    drop(office(odir.path()));
    let file = c.bundle.to_str().unwrap();
    // Unknown key, nothing typed: refused, printing the fingerprint seen.
    let before = tables(&db);
    let r = run(&db, &["bundle", "import", file]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r).contains(&fp) && text(&r).contains("--trust"),
        "{}",
        text(&r)
    );
    assert_eq!(tables(&db), before);
    // A wrong fingerprint typed: refused.
    let r = run(
        &db,
        &["bundle", "import", file, "--trust", "AAAA-BBBB-CCCC-DDDD"],
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(text(&r).contains("không khớp"), "{}", text(&r));
    assert_eq!(tables(&db), before);
    // As read over the phone: lower case, spaces instead of dashes.
    let spoken = fp.to_lowercase().replace('-', " ");
    let r = run(&db, &["bundle", "import", file, "--trust", &spoken]);
    assert!(r.status.success(), "{}", text(&r));
    let listed = run(&db, &["key", "list"]);
    assert!(text(&listed).contains("Xã Đông Hòa") && text(&listed).contains(&fp));

    // The commune lost its workspace: a new one, the same commune, a new key.
    let ndir = tempdir();
    let mut n = open(&ndir.path().join("xa-moi.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut n);
    let renewed = ndir.path().join("moi.ntm");
    bundle::export(&mut n, a, &renewed).unwrap();
    let new_fp = enrolment::signer_fingerprint(&renewed).unwrap();
    let renewed = renewed.to_str().unwrap();
    let before = tables(&db);
    let r = run(&db, &["bundle", "import", renewed, "--trust", &new_fp]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r).contains(&fp) && text(&r).contains(&new_fp),
        "{}",
        text(&r)
    );
    assert_eq!(tables(&db), before);
    // Re-enrolment is an explicit action, and it is in the audit log.
    let r = run(
        &db,
        &[
            "bundle",
            "import",
            renewed,
            "--trust",
            &new_fp,
            "--re-enrol",
        ],
    );
    assert!(r.status.success(), "{}", text(&r));
    let o = open(&db);
    let log = o.audit_log(50).unwrap();
    assert!(
        log.iter().any(|e| e.entity == "khoa_ky"
            && e.old_value.as_deref() == Some(fp.as_str())
            && e.new_value.as_deref() == Some(new_fp.as_str())),
        "{log:?}"
    );
    // The old key is no longer accepted for that commune.
    let r = run(&db, &["bundle", "import", out2.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1), "{}", text(&r));
}

#[test]
fn the_printed_submission_carries_the_fingerprint() {
    let c = commune();
    let db = c.dir.join("xa.sqlite");
    let fp = enrolment::signer_fingerprint(&c.bundle).unwrap();
    let pdf = c.dir.join("ho-so.pdf");
    let r = run(
        &db,
        &["dossier", "build", &c.a.to_string(), pdf.to_str().unwrap()],
    );
    assert!(r.status.success(), "{}", text(&r));
    let t = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&t.stdout).replace('\n', " ");
    assert!(
        printed.contains(&fp),
        "fingerprint {fp} not on the tờ trình"
    );
    // The office prints the commune's enrolled fingerprint on what it received.
    let odir = tempdir();
    let mut o = office(odir.path());
    let got = bundle::import(&mut o, &c.bundle, &trust(&c.bundle)).unwrap();
    drop(o);
    let pdf = odir.path().join("nhan.pdf");
    let r = run(
        &odir.path().join("tinh.sqlite"),
        &[
            "dossier",
            "build",
            &got.assessment.to_string(),
            pdf.to_str().unwrap(),
        ],
    );
    assert!(r.status.success(), "{}", text(&r));
    let t = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&t.stdout)
            .replace('\n', " ")
            .contains(&fp)
    );
}

#[test]
fn the_office_screen_refuses_an_unknown_key_and_re_enrols_only_on_purpose() {
    use egui_kittest::kittest::Queryable;
    let c = commune();
    let odir = tempdir();
    let db = odir.path().join("tinh.sqlite");
    drop(office(odir.path()));
    let fp = enrolment::signer_fingerprint(&c.bundle).unwrap();
    let mut h = ui_harness(&db);
    h.run();
    // Refused by the user: nothing imported, nothing changed.
    let before = tables(&db);
    drop_file(&mut h, &c.bundle);
    h.run();
    h.get_by_label_contains(&fp);
    h.get_by_label("Không nhận gói này").click();
    h.run();
    h.state_mut().state.wait_for_tasks();
    h.run();
    assert!(h.state().state.senders.first().is_none());
    assert!(h.query_by_label("Xác nhận khóa ký của bên gửi").is_none());
    assert_eq!(tables(&db), before);
    // A wrong fingerprint typed: an error, the question stays, nothing imported.
    drop_file(&mut h, &c.bundle);
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình").focus();
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình")
        .type_text("AAAA-BBBB-CCCC-DDDD");
    h.run();
    h.get_by_label("Xác nhận và nhận gói").click();
    h.run();
    let err = h.state().state.error.clone().expect("refused");
    assert!(err.summary.contains("không khớp"), "{err}");
    assert!(h.state().state.senders.first().is_some());
    assert_eq!(tables(&db), before);
    h.state_mut()
        .state
        .apply(ntm_dossier::app::state::Command::DismissMessage);
    // The right one: enrolled and imported.
    h.get_by_label("Dấu vân tay trên tờ trình").focus();
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình").type_text(&fp);
    h.run();
    h.get_by_label("Xác nhận và nhận gói").click();
    h.run();
    h.state_mut().state.wait_for_tasks();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label_contains("Đã nhận 1 gói mới");
    // The commune re-keyed: the screen names both fingerprints and re-enrols only
    // through its own button.
    let ndir = tempdir();
    let mut n = open(&ndir.path().join("xa-moi.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut n);
    let renewed = ndir.path().join("moi.ntm");
    bundle::export(&mut n, a, &renewed).unwrap();
    let new_fp = enrolment::signer_fingerprint(&renewed).unwrap();
    h.state_mut()
        .state
        .apply(ntm_dossier::app::state::Command::DismissMessage);
    drop_file(&mut h, &renewed);
    h.run();
    h.get_by_label("Bên gửi đã đổi khóa ký");
    h.get_by_label_contains(&format!("đã ghi danh khóa {fp}"));
    h.get_by_label(&format!("Dấu vân tay khóa ký trong gói: {new_fp}"));
    h.get_by_label("Dấu vân tay trên tờ trình").focus();
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình")
        .type_text(&new_fp);
    h.run();
    h.get_by_label("Ghi danh lại và nhận gói").click();
    h.run();
    h.state_mut().state.wait_for_tasks();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    drop(h);
    let o = open(&db);
    assert!(
        o.audit_log(50)
            .unwrap()
            .iter()
            .any(|e| e.entity == "khoa_ky" && e.new_value.as_deref() == Some(new_fp.as_str()))
    );
}

#[test]
fn the_commune_screen_enrols_its_office_on_the_first_review() {
    use egui_kittest::kittest::Queryable;
    let c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let got = bundle::import(&mut o, &c.bundle, &trust(&c.bundle))
        .unwrap()
        .assessment;
    review::add_request(&mut o, got, "1.1", "Bổ sung biên bản").unwrap();
    let back = odir.path().join("nhan-xet.ntm");
    let office_fp = review::export(&mut o, got, &back).unwrap();
    let db = c.dir.join("xa.sqlite");
    drop(c.ws);
    let mut h = ui_harness(&db);
    h.run();
    let before = tables(&db);
    drop_file(&mut h, &back);
    h.run();
    h.get_by_label("Bên gửi: Cơ quan thẩm định");
    h.get_by_label(&format!("Dấu vân tay khóa ký trong gói: {office_fp}"));
    assert_eq!(tables(&db), before, "nothing before the confirmation");
    h.get_by_label("Dấu vân tay trên tờ trình").focus();
    h.run();
    h.get_by_label("Dấu vân tay trên tờ trình")
        .type_text(&office_fp);
    h.run();
    h.get_by_label("Xác nhận và nhận gói").click();
    h.run();
    h.state_mut().state.wait_for_tasks();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    drop(h);
    let ws = open(&db);
    assert_eq!(ws.review(c.a).unwrap().requests.len(), 1);
    assert!(
        ntm_dossier::app::keys::enrolled(&ws)
            .unwrap()
            .iter()
            .any(|e| e.who == "Cơ quan thẩm định" && e.fingerprint == office_fp)
    );
}

/// A bundle whose dossier date is no date would be stored and make the round unreadable
/// (the store reads the date back typed): it is refused before anything is written.
#[test]
fn r_bundle_dossier_date_not_a_date_stored_and_unreadable() {
    let c = commune();
    let odir = tempdir();
    let mut o = office(odir.path());
    let t = trust(&c.bundle);
    let k = signing_key_of(&c.ws);
    let sent = odir.path().join("ngay-hong.ntm");
    forge_bundle(&c.bundle, &sent, Some(&k), |m| {
        m["settings"]["ngay"] = "mai".into();
    });
    refused(
        &mut o,
        &sent,
        &t,
        &["thông tin hồ sơ «ngay»: ngày «mai» không hợp lệ"],
    );
}
