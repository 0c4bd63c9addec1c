//! One file to every commune: a province's edition as a signed pack (`.ntm`), with the
//! same signing key and the same enrolment rule as review bundles. The office writes it
//! with `catalog export CODE FILE.ntm`; a commune reads it with
//! `catalog import FILE.ntm [--trust FINGERPRINT]`: the signature is checked, the office's
//! key must be the enrolled one (or confirmed by the fingerprint printed on the office's
//! stamped paper), the edition is validated as any import, and an older revision never
//! replaces a newer one. A refused pack changes nothing.

use super::keys::{Trust, hex, own_key, signer_check};
use super::{AppError, AppResult, catalog};
use crate::domain::catalog::Edition;
use crate::domain::catalog::toml_format::{parse_edition, to_toml};
use crate::store::{Workspace, sha256_hex};
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What the pack says it is.
pub const KIND: &str = "bo_tieu_chi";
/// The pack format this program writes and reads.
pub const FORMAT: u32 = 1;
/// The largest pack read (an edition is a few hundred kilobytes at most).
pub const MAX_PACK: u64 = 16 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pack {
    kind: String,
    format: u32,
    /// The signer's public key, hex.
    signer: String,
    /// Ed25519 signature of [`message`], hex.
    signature: String,
    /// The edition, canonical TOML.
    edition_toml: String,
}

fn message(kind: &str, format: u32, toml: &str) -> Vec<u8> {
    format!("{kind}\n{format}\n{toml}").into_bytes()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// True when `path` names an edition pack (`.ntm`).
pub fn is_pack(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("ntm"))
}

/// Writes the signed pack of a province's edition. Built-in editions are refused (every
/// workspace has them), as is a copy not yet issued (`catalog revise`).
pub fn export(ws: &mut Workspace, code: &str, path: &Path) -> AppResult<()> {
    let output = super::output::Output::begin(ws, path)?;
    let (record, edition) = catalog::load(ws, code)?;
    if record.builtin {
        return Err(AppError::new(
            format!("Bộ tiêu chí {code} là bản có sẵn: mọi xã đã có, không cần gửi."),
            "Hãy gửi bản của tỉnh (sao chép, hoàn thiện rồi ban hành).",
        ));
    }
    if edition.revision.is_none() {
        return Err(AppError::new(
            format!("Bộ tiêu chí {code} chưa được ban hành nên chưa gửi được."),
            format!(
                "Hãy ban hành trước: catalog revise {code} --office \"Sở Nông nghiệp và Môi trường tỉnh …\"."
            ),
        ));
    }
    let key = own_key(ws)?;
    let toml = to_toml(&edition);
    let signature = key.sign(&message(KIND, FORMAT, &toml));
    let pack = Pack {
        kind: KIND.into(),
        format: FORMAT,
        signer: hex(key.verifying_key().as_bytes()),
        signature: hex(&signature.to_bytes()),
        edition_toml: toml,
    };
    let json = serde_json::to_vec_pretty(&pack).map_err(|e| {
        AppError::new("Không tạo được gói bộ tiêu chí.", "").with_details([e.to_string()])
    })?;
    output.write_all(&json)
}

fn refused(name: &str, why: String) -> AppError {
    AppError::new(
        format!("Không nhận gói bộ tiêu chí {name}: {why}."),
        "Dữ liệu hiện có không thay đổi.",
    )
}

/// Reads, checks and stores an edition pack; returns the edition and whether anything
/// changed. Everything is checked before anything is written.
pub fn import(ws: &mut Workspace, path: &Path, trust: &Trust) -> AppResult<(Edition, bool)> {
    let name = path.display().to_string();
    let refuse = |why: String| refused(&name, why);
    let size = std::fs::metadata(path)
        .map_err(|e| {
            AppError::new(
                format!("Không đọc được tệp {name}."),
                "Hãy kiểm tra đường dẫn tệp.",
            )
            .with_details([e.to_string()])
        })?
        .len();
    if size > MAX_PACK {
        return Err(refuse(format!(
            "tệp lớn {} MB, quá giới hạn {} MB của một gói bộ tiêu chí",
            size / (1024 * 1024),
            MAX_PACK / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        AppError::new(
            format!("Không đọc được tệp {name}."),
            "Hãy kiểm tra đường dẫn tệp.",
        )
        .with_details([e.to_string()])
    })?;
    let pack: Pack = serde_json::from_slice(&bytes).map_err(|_| {
        refuse("đây không phải gói bộ tiêu chí của Hồ sơ NTM (hoặc tệp bị hỏng)".into())
    })?;
    if pack.kind != KIND {
        return Err(refuse(format!(
            "gói loại «{}», không phải gói bộ tiêu chí (gói hồ sơ nhập bằng «bundle import»)",
            pack.kind
        )));
    }
    if pack.format != FORMAT {
        return Err(refuse(format!(
            "định dạng gói phiên bản {} không được hỗ trợ (chỉ phiên bản {FORMAT}); hãy cập nhật phần mềm",
            pack.format
        )));
    }
    let public =
        unhex::<32>(&pack.signer).ok_or_else(|| refuse("khóa ký của gói không hợp lệ".into()))?;
    let signature =
        unhex::<64>(&pack.signature).ok_or_else(|| refuse("chữ ký của gói không hợp lệ".into()))?;
    let key = VerifyingKey::from_bytes(&public)
        .map_err(|_| refuse("khóa ký của gói không hợp lệ".into()))?;
    key.verify_strict(
        &message(&pack.kind, pack.format, &pack.edition_toml),
        &Signature::from_bytes(&signature),
    )
    .map_err(|_| {
        refuse(
            "chữ ký không khớp nội dung: gói đã bị sửa sau khi ký, hoặc không do cơ quan gửi"
                .into(),
        )
    })?;
    let edition = parse_edition(&pack.edition_toml).map_err(|p| {
        refuse("bộ tiêu chí trong gói có lỗi".into())
            .with_details(p.iter().map(ToString::to_string))
    })?;
    let Some(revision) = edition.revision.as_ref() else {
        return Err(refuse("bộ tiêu chí trong gói chưa ghi lần ban hành".into()));
    };
    if let Some(existing) = ws.edition(edition.code.as_str())? {
        if existing.builtin {
            return Err(refuse(format!(
                "mã {} trùng bộ tiêu chí có sẵn, không được ghi đè",
                edition.code
            )));
        }
        let held = catalog::parse_stored(&existing.code, &existing.content_toml)?;
        if let Some(have) = held.revision.as_ref()
            && have.number > revision.number
        {
            return Err(refuse(format!(
                "tệp dữ liệu đã có lần ban hành {} của bộ {}, mới hơn lần {} trong gói",
                have.number, edition.code, revision.number
            )));
        }
    }
    let signer = signer_check(&public, trust, refuse)?;
    let canonical = to_toml(&edition);
    let changed = ws.put_edition_from_office(
        &signer,
        (
            edition.code.as_str(),
            &edition.title,
            &canonical,
            &sha256_hex(canonical.as_bytes()),
        ),
    )?;
    Ok((edition, changed))
}

/// True when the file at `path` is an edition pack rather than a review bundle (both
/// end in `.ntm`): its first bytes are the pack's JSON naming its kind.
pub fn is_edition_pack_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 256];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(head.get(..n).unwrap_or_default());
    head.trim_start().starts_with('{') && head.contains(&format!("\"kind\": \"{KIND}\""))
}
