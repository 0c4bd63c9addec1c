//! Enrolment: who sent a bundle and whether this workspace already knows its key. The
//! screens ask this before importing, to show the commune (or office) and its
//! fingerprint and have the user compare it with the one printed on the stamped tờ
//! trình; the import itself checks again, inside its transaction.

use super::bundle_checks::Manifest;
use super::bundle_format::{open_container, refused, refused_with};
use super::{AppResult, review};
use crate::domain::fingerprint::fingerprint;
use crate::store::{KeyRole, Workspace, fingerprint_of_hex};
use std::path::{Path, PathBuf};

/// What the workspace knows of a bundle's signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStatus {
    /// The key enrolled for this sender: nothing to confirm.
    Enrolled,
    /// A sender seen for the first time: confirm the fingerprint to enrol it.
    New,
    /// The sender has another key enrolled (its fingerprint): re-enrol only on purpose.
    Other(String),
}

/// Who sent a bundle, as shown before importing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// The file.
    pub file: PathBuf,
    /// The commune's name, or «Cơ quan thẩm định» for a review bundle.
    pub who: String,
    /// The fingerprint of the key that signed it.
    pub fingerprint: String,
    /// Whether that key is the one enrolled.
    pub status: KeyStatus,
}

/// Opens a bundle (hash and signature checked), checks its content, and says who sent
/// it and whether its key is known; an edition pack likewise names its office. Nothing
/// is written.
pub fn inspect(ws: &Workspace, path: &Path) -> AppResult<Sender> {
    if super::edition_pack::is_edition_pack_file(path) {
        return pack_sender(ws, path);
    }
    let opened = open_container(path)?;
    let seen = fingerprint(&opened.signer);
    let public_key = super::keys::hex(&opened.signer);
    let kind = serde_json::from_slice::<serde_json::Value>(&opened.json)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default();
    let (who, enrolled) = if kind == review::KIND {
        (
            "Cơ quan thẩm định".to_string(),
            ws.trusted_key(KeyRole::Office, "")?,
        )
    } else {
        let m: Manifest = serde_json::from_slice(&opened.json)
            .map_err(|e| refused(path, format!("bản kê (manifest) sai cấu trúc: {e}")))?;
        let checked = super::bundle_checks::check(&m, opened.body_len)
            .map_err(|problems| refused_with(path, problems))?;
        let unit = ws.unit_of_bundle(&m.origin, &checked.parents, &checked.unit)?;
        let enrolled = match unit {
            Some(u) => ws.trusted_key(KeyRole::Commune, &u.to_string())?,
            None => None,
        };
        (checked.unit.name, enrolled)
    };
    let status = match enrolled {
        Some(k) if k == public_key => KeyStatus::Enrolled,
        Some(k) => KeyStatus::Other(fingerprint_of_hex(&k)),
        None => KeyStatus::New,
    };
    Ok(Sender {
        file: path.to_path_buf(),
        who,
        fingerprint: seen,
        status,
    })
}

/// Who signed an edition pack (the office named in its revision) and whether this
/// workspace knows that office's key.
fn pack_sender(ws: &Workspace, path: &Path) -> AppResult<Sender> {
    let (public, edition) = super::edition_pack::read_signed(path)?;
    let (office, number) = edition
        .revision
        .as_ref()
        .map_or_else(|| (String::new(), 0), |r| (r.office.clone(), r.number));
    let status = match ws.trusted_key(KeyRole::Office, "")? {
        Some(k) if k == super::keys::hex(&public) => KeyStatus::Enrolled,
        Some(k) => KeyStatus::Other(fingerprint_of_hex(&k)),
        None => KeyStatus::New,
    };
    Ok(Sender {
        file: path.to_path_buf(),
        who: format!(
            "{office} (bộ tiêu chí {}, lần ban hành {number})",
            edition.code
        ),
        fingerprint: fingerprint(&public),
        status,
    })
}

/// The fingerprint of the key that signed a bundle (hash and signature checked), for
/// the user to compare with the one printed on the stamped paper.
pub fn signer_fingerprint(path: &Path) -> AppResult<String> {
    Ok(fingerprint(&open_container(path)?.signer))
}

/// Senders waiting for the user to confirm their fingerprint, first one shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pending {
    /// In the order the files were chosen.
    pub senders: Vec<Sender>,
}

impl Pending {
    /// Splits chosen files into those that can be imported now (known key, or a file
    /// the import will refuse and explain anyway) and those waiting for confirmation.
    pub fn sort_out(&mut self, ws: &Workspace, files: Vec<PathBuf>) -> Vec<PathBuf> {
        let mut ready = Vec::new();
        for f in files {
            match inspect(ws, &f) {
                Ok(s) if s.status != KeyStatus::Enrolled => {
                    if !self.senders.iter().any(|p| p.file == s.file) {
                        self.senders.push(s);
                    }
                }
                _ => ready.push(f),
            }
        }
        ready
    }

    /// The sender shown now.
    pub fn first(&self) -> Option<&Sender> {
        self.senders.first()
    }

    /// The user typed the fingerprint read off the stamped paper for the sender shown:
    /// when it matches, that sender's files (every waiting file signed by the same key)
    /// and the confirmation to import them with; otherwise an error and nothing moves.
    pub fn confirm(&mut self, typed: &str) -> AppResult<(Vec<PathBuf>, super::keys::Trust)> {
        let Some(first) = self.senders.first().cloned() else {
            return Err(super::AppError::invalid("Không có gói nào chờ xác nhận."));
        };
        if !crate::domain::fingerprint::matches(typed, &first.fingerprint) {
            return Err(super::AppError::new(
                format!(
                    "Dấu vân tay đã nhập «{}» không khớp khóa ký của gói ({}).",
                    typed.trim(),
                    first.fingerprint
                ),
                "Hãy đối chiếu lại với dấu vân tay in trên tờ trình có đóng dấu; nếu khác, đừng nhận gói và hỏi lại bên gửi.",
            ));
        }
        let (same, rest): (Vec<Sender>, Vec<Sender>) = self
            .senders
            .drain(..)
            .partition(|s| s.fingerprint == first.fingerprint);
        self.senders = rest;
        Ok((
            same.into_iter().map(|s| s.file).collect(),
            super::keys::Trust {
                fingerprint: Some(typed.to_string()),
                re_enrol: matches!(first.status, KeyStatus::Other(_)),
            },
        ))
    }

    /// The user refused the sender shown: its file is not imported.
    pub fn reject(&mut self) -> Option<Sender> {
        (!self.senders.is_empty()).then(|| self.senders.remove(0))
    }
}
