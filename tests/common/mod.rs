//! Helpers shared by the integration tests: temporary workspaces and the fixture edition.
#![allow(dead_code)]

use egui_kittest::kittest::Queryable;
use ntm_dossier::app::{self, assessment, catalog, units::UnitForm};
use ntm_dossier::domain::ids::{AssessmentId, UnitId};
use ntm_dossier::store::Workspace;
use std::path::{Path, PathBuf};

/// The synthetic test edition (not legal data).
pub const FIXTURE_EDITION: &str = "tests/fixtures/test-edition.toml";

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Opens a workspace through the app layer (seeds built-in editions).
pub fn open(path: &Path) -> Workspace {
    app::open_workspace(path).expect("open workspace")
}

/// A form for a unit.
pub fn form(name: &str, kind: &str, parent: Option<UnitId>) -> UnitForm {
    UnitForm {
        name: name.into(),
        kind: kind.into(),
        parent: parent.map(|p| p.to_string()).unwrap_or_default(),
        ..Default::default()
    }
}

/// Province (Red River delta) + commune, the fixture edition imported, and an assessment.
pub fn commune_with_assessment(ws: &mut Workspace) -> (UnitId, UnitId, AssessmentId) {
    let province = app::units::add(
        ws,
        &UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let commune = app::units::add(ws, &form("Xã Đông Hòa", "xa", Some(province))).unwrap();
    catalog::import(ws, &fixture_path()).unwrap();
    let a = assessment::create(ws, commune, "thu-nghiem-xa", "ntm", 2025).unwrap();
    (province, commune, a)
}

/// Absolute path of the fixture edition.
pub fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE_EDITION)
}

/// SHA-256 of a file's bytes.
pub fn file_hash(path: &Path) -> String {
    ntm_dossier::store::sha256_hex(&std::fs::read(path).unwrap())
}

/// The app at 1366×768 on the workspace at `path`, driven by egui_kittest.
pub fn ui_harness(path: &Path) -> egui_kittest::Harness<'static, ntm_dossier::ui::NtmUi> {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(
            |ui, app: &mut ntm_dossier::ui::NtmUi| app.ui(ui),
            ntm_dossier::ui::NtmUi::new(path),
        )
}

/// A file dropped on the window, as the desktop hands it over.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops `file` on the window of `h`.
pub fn drop_file(h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>, file: &Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(file.to_path_buf())));
}

/// The signer's fingerprint that `bundle export` / `review export` print.
#[allow(dead_code)]
pub fn printed_fingerprint(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("Dấu vân tay khóa ký: "))
        .expect("export prints the fingerprint")
        .trim()
        .to_string()
}

/// Runs the program's command line on the workspace `db`.
#[allow(dead_code)]
pub fn run(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run binary")
}

/// Runs a command that must succeed; returns what it printed.
#[allow(dead_code)]
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail with a Vietnamese message (after the notice of a
/// workspace this very command created), never a panic; returns the message.
#[allow(dead_code)]
pub fn fails(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    let err = match err.split_once('\n') {
        Some((first, rest)) if first.starts_with("Đã tạo tệp dữ liệu mới: ") => {
            rest.to_string()
        }
        _ => err,
    };
    assert!(err.starts_with("Lỗi: "), "Vietnamese error expected: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

// Screen helpers for egui_kittest tests, by label.

/// Fails when the window shows an error.
pub fn no_error(h: &egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>) {
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
}

/// Focuses the field with this label and types into it.
pub fn type_into(
    h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>,
    label: &str,
    text: &str,
) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Replaces the whole text of the first field with this label.
pub fn replace_text(
    h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>,
    label: &str,
    text: &str,
) {
    h.get_all_by_label(label).next().unwrap().focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_all_by_label(label).next().unwrap().type_text(text);
    h.run();
}

/// Types into the first field with this label and presses Enter (which saves it).
pub fn enter_first(
    h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>,
    label: &str,
    text: &str,
) {
    h.get_all_by_label(label).next().unwrap().focus();
    h.run();
    h.get_all_by_label(label).next().unwrap().type_text(text);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
}

/// Clicks a combo box, then one of its entries.
pub fn choose(h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>, combo: &str, entry: &str) {
    h.get_all_by_label(combo).next().unwrap().click();
    h.run();
    h.get_by_label(entry).click();
    h.run();
}

/// True when the tests run as root, whom file permissions do not stop.
pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs the command line on `db` as a user that permissions do stop: the current user,
/// or, as root, the user `nobody` (through `setpriv`), to whom `dir` (the test's folder,
/// holding `db`) is handed first. Read-only files and folders are then really read-only.
pub fn run_unprivileged(dir: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    if !is_root() {
        return run(db, args);
    }
    let chown = std::process::Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(dir)
        .status()
        .expect("chown");
    assert!(chown.success());
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", dir)
        .output()
        .expect("run binary as nobody")
}

/// Where a bundle's manifest length sits: after the 11-byte magic and 4-byte version.
const BUNDLE_HEADER: usize = 11 + 4;

/// The manifest of a bundle file, as JSON.
pub fn bundle_manifest(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap();
    let mlen =
        u64::from_be_bytes(bytes[BUNDLE_HEADER..BUNDLE_HEADER + 8].try_into().unwrap()) as usize;
    let start = BUNDLE_HEADER + 8;
    serde_json::from_slice(&bytes[start..start + mlen]).unwrap()
}

/// The workspace's own signing key, as a forger who stole the file would have it.
pub fn signing_key_of(ws: &Workspace) -> ed25519_dalek::SigningKey {
    let secret = ws.signing_key().unwrap().unwrap().secret;
    ed25519_dalek::SigningKey::from_bytes(&secret.try_into().unwrap())
}

/// Rewrites a bundle's manifest, recomputes the whole-file hash, and signs it with
/// `key` (naming that key as the signer) or keeps the old signature (`None`).
pub fn forge_bundle(
    src: &Path,
    dst: &Path,
    key: Option<&ed25519_dalek::SigningKey>,
    edit: impl FnOnce(&mut serde_json::Value),
) {
    use sha2::Digest;
    let bytes = std::fs::read(src).unwrap();
    let mut manifest = bundle_manifest(src);
    let old_len =
        u64::from_be_bytes(bytes[BUNDLE_HEADER..BUNDLE_HEADER + 8].try_into().unwrap()) as usize;
    let start = BUNDLE_HEADER + 8;
    edit(&mut manifest);
    if let Some(k) = key {
        let signer: String = k
            .verifying_key()
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        manifest["signer"] = serde_json::json!(signer);
    }
    let json = serde_json::to_vec(&manifest).unwrap();
    let mut out = bytes[..BUNDLE_HEADER].to_vec();
    out.extend((json.len() as u64).to_be_bytes());
    out.extend(&json);
    out.extend(&bytes[start + old_len..bytes.len() - 96]);
    let digest = sha2::Sha256::digest(&out);
    out.extend(digest);
    match key {
        Some(k) => {
            let message = [b"ntm-dossier bundle v2\n".as_slice(), digest.as_slice()].concat();
            out.extend(ed25519_dalek::Signer::sign(k, &message).to_bytes());
        }
        None => out.extend(&bytes[bytes.len() - 64..]),
    }
    std::fs::write(dst, out).unwrap();
}
