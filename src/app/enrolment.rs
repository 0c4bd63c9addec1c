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
/// it and whether its key is known. Nothing is written.
pub fn inspect(ws: &Workspace, path: &Path) -> AppResult<Sender> {
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
        (
            format!("{} {}", checked.unit.kind.label(), checked.unit.name),
            enrolled,
        )
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

/// The fingerprint of the key that signed a bundle (hash and signature checked), for
/// the user to compare with the one printed on the stamped paper.
pub fn signer_fingerprint(path: &Path) -> AppResult<String> {
    Ok(fingerprint(&open_container(path)?.signer))
}
