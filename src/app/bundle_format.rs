//! The `.ntm` container, format 2: what a bundle is on disk, how it is written and
//! signed, and how it is opened and verified. What a bundle may change in a workspace
//! is decided elsewhere ([`super::bundle`], [`super::review`]); this module only knows
//! bytes, hashes, signatures and limits.
//!
//! Layout: `NTM-BUNDLE\n`, a big-endian u32 format version, a big-endian u64 manifest
//! length, the manifest (JSON, naming the signer's public key as `signer`), the files in
//! manifest order, then the trailer: 32 bytes of SHA-256 over everything before it and
//! the 64-byte Ed25519 signature of that hash by the signer. Anyone can recompute a
//! hash; only the holder of the workspace's secret key can sign it.
//!
//! Format 1 (a hash and no signature) is refused: the sender must update the program.
use super::{AppError, AppResult};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

const MAGIC: &[u8] = b"NTM-BUNDLE\n";
/// The container version written and read.
pub const FORMAT: u32 = 2;
/// Signatures are made over this prefix and the hash, so that no other message signed
/// by the same key can pass for a bundle.
const CONTEXT: &[u8] = b"ntm-dossier bundle v2\n";
/// Largest manifest accepted.
pub const MAX_MANIFEST: u64 = 64 * 1024 * 1024;
/// Largest single file accepted inside a bundle.
pub const MAX_ENTRY: u64 = 1024 * 1024 * 1024;
const HEADER: u64 = MAGIC.len() as u64 + 4 + 8;
const TRAILER: u64 = 32 + 64;

/// The message of a refused bundle of the unsigned format 1.
pub const OUTDATED: &str = "gói theo định dạng cũ (phiên bản 1, chưa có chữ ký số); bên gửi cần cập nhật phần mềm Hồ sơ NTM rồi gửi lại gói";

fn io_error(path: &Path, e: std::io::Error) -> AppError {
    AppError::new(
        format!("Không đọc/ghi được tệp {}.", path.display()),
        "Hãy kiểm tra đường dẫn, chỗ trống trên đĩa hoặc thẻ nhớ.",
    )
    .with_details([super::io_words(&e)])
}

/// A refused bundle: names the file and the reason; nothing was changed.
pub(crate) fn refused(path: &Path, why: impl Into<String>) -> AppError {
    AppError::new(
        format!("Gói hồ sơ {} bị từ chối: {}.", path.display(), why.into()),
        "Không có gì bị thay đổi. Hãy xin bên gửi gửi lại gói hồ sơ.",
    )
}

/// A refused bundle with the first problems found, one per line of details.
pub(crate) fn refused_with(path: &Path, problems: Vec<String>) -> AppError {
    let first = problems.first().cloned().unwrap_or_default();
    let more = problems.len().saturating_sub(1);
    let why = if more > 0 {
        format!("{first} (và {more} lỗi khác, xem chi tiết)")
    } else {
        first
    };
    refused(path, why).with_details(problems)
}

/// True for 64 lower-case hex digits (a SHA-256 or a public key).
pub(crate) fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// True for `<24 hex digits>:<digits>`, the origin of an assessment.
pub(crate) fn is_origin(s: &str) -> bool {
    match s.split_once(':') {
        Some((ws, n)) => {
            ws.len() == 24
                && ws.bytes().all(|b| b.is_ascii_hexdigit())
                && !n.is_empty()
                && n.len() <= 18
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Writes a container through `out` (see [`super::output`]): header, manifest, the files
/// (one in memory at a time), the whole-file hash and its signature by `key`. The
/// manifest must already name `key`'s public key as its signer. Returns the hash and
/// the size.
pub(crate) fn write_container(
    out: super::output::Output,
    key: &SigningKey,
    json: &[u8],
    files: &[String],
    load: &mut dyn FnMut(&str) -> AppResult<Vec<u8>>,
) -> AppResult<(String, u64)> {
    let target = out.target().to_path_buf();
    let file = out.create()?;
    let mut w = BufWriter::new(file);
    let mut hash = Sha256::new();
    let mut put = |w: &mut BufWriter<std::fs::File>, bytes: &[u8]| -> AppResult<()> {
        hash.update(bytes);
        w.write_all(bytes).map_err(|e| io_error(&target, e))
    };
    put(&mut w, MAGIC)?;
    put(&mut w, &FORMAT.to_be_bytes())?;
    put(&mut w, &(json.len() as u64).to_be_bytes())?;
    put(&mut w, json)?;
    let mut size = HEADER + json.len() as u64;
    for sha in files {
        let bytes = load(sha)?;
        put(&mut w, &bytes)?;
        size += bytes.len() as u64;
    }
    let digest = hash.finalize();
    let signature = key.sign(&[CONTEXT, digest.as_slice()].concat());
    w.write_all(&digest).map_err(|e| io_error(&target, e))?;
    w.write_all(&signature.to_bytes())
        .map_err(|e| io_error(&target, e))?;
    let file = w
        .into_inner()
        .map_err(|e| io_error(&target, e.into_error()))?;
    file.sync_all().map_err(|e| io_error(&target, e))?;
    drop(file);
    out.commit()?;
    Ok((super::keys::hex(&digest), size + TRAILER))
}

/// A container whose hash and signature checked out, positioned after its manifest.
pub(crate) struct Opened {
    pub(crate) reader: BufReader<std::fs::File>,
    pub(crate) json: Vec<u8>,
    pub(crate) sha256: String,
    /// The public key that signed it (named in the manifest, proven by the signature).
    pub(crate) signer: [u8; 32],
    pub(crate) body_len: u64,
    pub(crate) body_start: u64,
}

/// The part of any manifest read before the signature is checked.
#[derive(Deserialize)]
struct SignerOnly {
    signer: String,
}

/// Reads the magic bytes and the format number; an older or newer format is refused with
/// what to do.
fn check_header(reader: &mut BufReader<std::fs::File>, path: &Path) -> AppResult<()> {
    let mut magic = [0u8; MAGIC.len()];
    reader
        .read_exact(&mut magic)
        .map_err(|e| io_error(path, e))?;
    if magic != MAGIC {
        return Err(refused(path, "không phải gói hồ sơ Hồ sơ NTM"));
    }
    let mut word = [0u8; 4];
    reader
        .read_exact(&mut word)
        .map_err(|e| io_error(path, e))?;
    match u32::from_be_bytes(word) {
        FORMAT => {}
        1 => return Err(refused(path, OUTDATED)),
        other => {
            return Err(refused(
                path,
                format!(
                    "định dạng gói phiên bản {other}, chương trình này đọc được phiên bản {FORMAT}; hãy cập nhật phần mềm"
                ),
            ));
        }
    }
    Ok(())
}

/// The refusal of a bundle that names no valid signing key.
fn unsigned_refusal(path: &Path) -> AppError {
    refused(path, "gói không ghi khóa ký hợp lệ của bên gửi")
}

/// The signer's public key as the manifest names it (64 hex digits), read before the
/// signature is checked so that it can be checked.
fn named_signer(json: &[u8], path: &Path) -> AppResult<[u8; 32]> {
    let unsigned = || unsigned_refusal(path);
    let named: SignerOnly = serde_json::from_slice(json).map_err(|_| unsigned())?;
    if !is_hex64(&named.signer) {
        return Err(unsigned());
    }
    let mut signer = [0u8; 32];
    for (i, byte) in signer.iter_mut().enumerate() {
        *byte = named
            .signer
            .get(2 * i..2 * i + 2)
            .and_then(|b| u8::from_str_radix(b, 16).ok())
            .ok_or_else(unsigned)?;
    }
    Ok(signer)
}

/// Reads the header, checks the whole-file hash and the signature, then reads the
/// manifest. Nothing of the manifest is trusted before the signature checks out.
pub(crate) fn open_container(path: &Path) -> AppResult<Opened> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let len = file.metadata().map_err(|e| io_error(path, e))?.len();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    if len < HEADER {
        return Err(refused(path, "tệp quá ngắn, có thể đã bị cắt"));
    }
    check_header(&mut reader, path)?;
    if len < HEADER + TRAILER {
        return Err(refused(path, "tệp quá ngắn, có thể đã bị cắt"));
    }
    // The whole-file hash, before anything else is read.
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| io_error(path, e))?;
    let mut hash = Sha256::new();
    let mut remaining = len - TRAILER;
    let mut buf = vec![0u8; 1 << 20];
    while remaining > 0 {
        let n = remaining.min(buf.len() as u64) as usize;
        let chunk = buf.get_mut(..n).unwrap_or_default();
        reader.read_exact(chunk).map_err(|e| io_error(path, e))?;
        hash.update(&*chunk);
        remaining -= n as u64;
    }
    let mut trailer = [0u8; 32];
    reader
        .read_exact(&mut trailer)
        .map_err(|e| io_error(path, e))?;
    let mut signature = [0u8; 64];
    reader
        .read_exact(&mut signature)
        .map_err(|e| io_error(path, e))?;
    let digest = hash.finalize();
    if digest.as_slice() != trailer {
        return Err(refused(
            path,
            "mã kiểm tra của toàn tệp không khớp (tệp bị hỏng, bị cắt hoặc bị sửa)",
        ));
    }
    reader
        .seek(SeekFrom::Start(HEADER - 8))
        .map_err(|e| io_error(path, e))?;
    let mut long = [0u8; 8];
    reader
        .read_exact(&mut long)
        .map_err(|e| io_error(path, e))?;
    let manifest_len = u64::from_be_bytes(long);
    if manifest_len > MAX_MANIFEST || HEADER + manifest_len > len - TRAILER {
        return Err(refused(path, "bản kê (manifest) có độ dài không hợp lệ"));
    }
    let mut json = vec![0u8; manifest_len as usize];
    reader
        .read_exact(&mut json)
        .map_err(|e| io_error(path, e))?;
    let signer = named_signer(&json, path)?;
    let key = VerifyingKey::from_bytes(&signer).map_err(|_| unsigned_refusal(path))?;
    key.verify_strict(
        &[CONTEXT, digest.as_slice()].concat(),
        &Signature::from_bytes(&signature),
    )
    .map_err(|_| {
        refused(
            path,
            "chữ ký số không khớp nội dung (gói bị sửa sau khi ký, hoặc không do bên gửi ký)",
        )
    })?;
    Ok(Opened {
        reader,
        json,
        sha256: super::keys::hex(&digest),
        signer,
        body_len: len - TRAILER - HEADER - manifest_len,
        body_start: HEADER + manifest_len,
    })
}

/// Reads one file of an opened container and checks it against its hash.
pub(crate) fn read_entry(
    reader: &mut BufReader<std::fs::File>,
    offset: u64,
    size: u64,
    sha: &str,
) -> Result<Vec<u8>, String> {
    reader
        .seek(SeekFrom::Start(offset))
        .map_err(|e| e.to_string())?;
    let mut bytes = vec![0u8; usize::try_from(size).map_err(|e| e.to_string())?];
    reader.read_exact(&mut bytes).map_err(|e| e.to_string())?;
    if super::keys::hex(&Sha256::digest(&bytes)) != sha {
        return Err(format!(
            "một tệp trong gói (mã tệp {sha}) không khớp dấu kiểm tra: gói đã bị sửa"
        ));
    }
    Ok(bytes)
}
