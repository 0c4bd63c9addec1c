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

/// A signed edition pack: alone in a `.ntm` file, or inside a review bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pack {
    kind: String,
    format: u32,
    /// The signer's public key, hex.
    signer: String,
    /// Ed25519 signature of [`message`], hex.
    signature: String,
    /// The edition, canonical TOML.
    edition_toml: String,
    /// The official code of the issuing province unit (empty when the office's
    /// workspace names no single province); signed with the edition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    province_code: String,
    /// The name of the issuing province unit; signed with the edition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    province_name: String,
}

impl Pack {
    /// The issuing province as stored with the edition (`code\tname`), if the pack
    /// names one.
    fn province(&self) -> Option<String> {
        (!self.province_code.is_empty() || !self.province_name.is_empty())
            .then(|| format!("{}\t{}", self.province_code, self.province_name))
    }

    /// What the signature covers: kind, format, the issuing province when named, and
    /// the edition (a pack naming no province signs as format 1 always did).
    fn message(&self) -> Vec<u8> {
        match self.province() {
            None => message(&self.kind, self.format, &self.edition_toml),
            Some(p) => format!(
                "{}\n{}\ntinh:{p}\n{}",
                self.kind, self.format, self.edition_toml
            )
            .into_bytes(),
        }
    }
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
    let pack = sign(ws, &edition)?;
    let json = serde_json::to_vec_pretty(&pack).map_err(|e| {
        AppError::new("Không tạo được gói bộ tiêu chí.", "").with_details([e.to_string()])
    })?;
    output.write_all(&json)
}

/// The edition signed with this workspace's key.
fn sign(ws: &mut Workspace, edition: &Edition) -> AppResult<Pack> {
    let key = own_key(ws)?;
    let (province_code, province_name) = issuing_province(ws)?;
    let mut pack = Pack {
        kind: KIND.into(),
        format: FORMAT,
        signer: hex(key.verifying_key().as_bytes()),
        signature: String::new(),
        edition_toml: to_toml(edition),
        province_code,
        province_name,
    };
    pack.signature = hex(&key.sign(&pack.message()).to_bytes());
    Ok(pack)
}

/// The province this workspace issues editions for: its one province unit at the top
/// of the tree (official code, name); empty when it has none or several.
fn issuing_province(ws: &Workspace) -> AppResult<(String, String)> {
    let provinces: Vec<_> = ws
        .units()?
        .into_iter()
        .filter(|u| u.kind == crate::domain::units::UnitKind::Province && u.parent.is_none())
        .collect();
    Ok(match provinces.as_slice() {
        [p] => (p.official_code.clone().unwrap_or_default(), p.name.clone()),
        _ => (String::new(), String::new()),
    })
}

/// The pack that rides in a review bundle for an assessment on edition `code`: the
/// signed province copy when `code` is one this workspace issued (a copy with a
/// revision); `None` for a built-in edition or a copy not yet issued.
pub(crate) fn pack_for(ws: &mut Workspace, code: &str) -> AppResult<Option<Pack>> {
    let Some(record) = ws.edition(code)? else {
        return Ok(None);
    };
    if record.builtin {
        return Ok(None);
    }
    let edition = catalog::parse_stored(&record.code, &record.content_toml)?;
    if edition.revision.is_none() {
        return Ok(None);
    }
    sign(ws, &edition).map(Some)
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
    let pack = read_pack(path, &refuse)?;
    let (public, edition) = verify(&pack, &refuse)?;
    if let Standing::Older(have) = standing(ws, &edition, &refuse)? {
        return Err(refuse(format!(
            "tệp dữ liệu đã có lần ban hành {have} của bộ {}, mới hơn lần {} trong gói",
            edition.code,
            revision_number(&edition)
        )));
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
        pack.province().as_deref(),
    )?;
    Ok((edition, changed))
}

/// Reads the pack of a `.ntm` file, bounded by [`MAX_PACK`].
fn read_pack(path: &Path, refuse: &dyn Fn(String) -> AppError) -> AppResult<Pack> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        AppError::new(
            format!("Không đọc được tệp {name}."),
            "Hãy kiểm tra đường dẫn tệp.",
        )
        .with_details([e.to_string()])
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_PACK {
        return Err(refuse(format!(
            "tệp lớn {} MB, quá giới hạn {} MB của một gói bộ tiêu chí",
            size / (1024 * 1024),
            MAX_PACK / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    serde_json::from_slice(&bytes).map_err(|_| {
        refuse("đây không phải gói bộ tiêu chí của Hồ sơ NTM (hoặc tệp bị hỏng)".into())
    })
}

/// The revision number an edition carries (0 when none; [`verify`] refuses that).
fn revision_number(edition: &Edition) -> u32 {
    edition.revision.as_ref().map_or(0, |r| r.number)
}

/// Checks a pack by itself: its kind and format, its signature by the key it names, and
/// the edition it carries (valid, with a revision). Returns the signer's key and the
/// edition.
fn verify(pack: &Pack, refuse: &dyn Fn(String) -> AppError) -> AppResult<([u8; 32], Edition)> {
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
    key.verify_strict(&pack.message(), &Signature::from_bytes(&signature))
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
    if edition.revision.is_none() {
        return Err(refuse("bộ tiêu chí trong gói chưa ghi lần ban hành".into()));
    }
    Ok((public, edition))
}

/// How a pack's edition stands against the workspace's copy of the same code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// The workspace has no edition of that code.
    New,
    /// The workspace holds an older revision (or none).
    Newer,
    /// The workspace holds the same revision number.
    Same,
    /// The workspace holds this newer revision number.
    Older(u32),
}

/// Where the pack's edition stands; a code of a built-in edition is refused.
fn standing(
    ws: &Workspace,
    edition: &Edition,
    refuse: &dyn Fn(String) -> AppError,
) -> AppResult<Standing> {
    let Some(existing) = ws.edition(edition.code.as_str())? else {
        return Ok(Standing::New);
    };
    if existing.builtin {
        return Err(refuse(format!(
            "mã {} trùng bộ tiêu chí có sẵn, không được ghi đè",
            edition.code
        )));
    }
    let held = catalog::parse_stored(&existing.code, &existing.content_toml)?;
    let theirs = revision_number(edition);
    Ok(match held.revision.as_ref().map(|r| r.number) {
        Some(have) if have > theirs => Standing::Older(have),
        Some(have) if have == theirs => Standing::Same,
        _ => Standing::Newer,
    })
}

/// An edition pack found inside a review bundle, checked.
#[derive(Debug, Clone)]
pub(crate) struct Carried {
    /// The edition, when it is to be installed (new, or a newer revision); `None` when
    /// the workspace already holds this revision or a newer one.
    pub(crate) install: Option<Edition>,
    /// What happened to it, for the user: installed, updated, or why not.
    pub(crate) note: String,
    /// The issuing province it names (`code\tname`), stored with the edition.
    pub(crate) province: Option<String>,
}

/// Checks a pack carried in a review bundle signed by `bundle_signer`: the pack must be
/// signed by the same key (the office the commune already trusts for the review) and
/// pass every check of a pack by itself. Only a newer revision is installed; an older
/// or equal one is said so. A pack that fails a check refuses the whole bundle.
pub(crate) fn check_carried(
    ws: &Workspace,
    pack: &Pack,
    bundle_signer: &[u8; 32],
    refuse: &dyn Fn(String) -> AppError,
) -> AppResult<Carried> {
    let refuse_pack = |why: String| refuse(format!("gói bộ tiêu chí kèm theo: {why}"));
    let (public, edition) = verify(pack, &refuse_pack)?;
    if public != *bundle_signer {
        return Err(refuse_pack(
            "gói bộ tiêu chí không do cùng cơ quan ký gói nhận xét".into(),
        ));
    }
    let code = edition.code.to_string();
    let number = revision_number(&edition);
    let province = pack.province();
    Ok(match standing(ws, &edition, &refuse_pack)? {
        Standing::New => Carried {
            install: Some(edition),
            note: format!("đã cài bộ tiêu chí {code} của cơ quan (lần ban hành {number})"),
            province: province.clone(),
        },
        Standing::Newer => Carried {
            install: Some(edition),
            note: format!("đã cập nhật bộ tiêu chí {code} lên lần ban hành {number}"),
            province: province.clone(),
        },
        Standing::Same => Carried {
            install: None,
            note: format!("bộ tiêu chí {code} lần ban hành {number} đã có, không thay đổi"),
            province: province.clone(),
        },
        Standing::Older(have) => Carried {
            install: None,
            note: format!(
                "bộ tiêu chí {code} kèm theo là lần ban hành {number}, cũ hơn lần {have} đã có; giữ lần {have}"
            ),
            province: province.clone(),
        },
    })
}

/// Reads and checks an edition pack by itself (signature, edition) without writing:
/// the signer's key and the edition, for the enrolment modal to show.
pub(crate) fn read_signed(path: &Path) -> AppResult<([u8; 32], Edition)> {
    let name = path.display().to_string();
    let refuse = |why: String| refused(&name, why);
    let pack = read_pack(path, &refuse)?;
    verify(&pack, &refuse)
}

/// Imports edition packs dropped on the window or chosen, with what the user confirmed
/// about the office's key; returns the notice to show (the last edition received).
pub fn import_dropped(
    ws: &mut Workspace,
    packs: &[std::path::PathBuf],
    trust: &Trust,
) -> AppResult<Option<String>> {
    let mut notice = None;
    for pack in packs {
        let (edition, _) = import(ws, pack, trust)?;
        notice = Some(format!(
            "Đã nhận bộ tiêu chí {} từ cơ quan ({} chỉ tiêu).",
            edition.code,
            edition.indicator_count()
        ));
    }
    Ok(notice)
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
