//! Signing keys: this workspace's own Ed25519 key (kept here, never exported) and the
//! keys it trusts — each commune's, and the compiling office's. Enrolling and
//! re-enrolling a key happen inside the transaction of the import that brings it, so a
//! refused bundle enrols nothing; re-enrolment is written to the audit log.

use super::{StoreError, StoreResult, Workspace, Writer};
use crate::domain::fingerprint::fingerprint;
use rusqlite::{OptionalExtension, params};

/// Whose key a trusted key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// A commune that sends assessments (subject: its local unit id).
    Commune,
    /// The compiling office that sends reviews back (subject: empty).
    Office,
}

impl KeyRole {
    /// Code stored in the workspace.
    pub fn code(self) -> &'static str {
        match self {
            KeyRole::Commune => "xa",
            KeyRole::Office => "co_quan",
        }
    }

    /// The role of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [KeyRole::Commune, KeyRole::Office]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A key this workspace trusts, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// A commune's or the compiling office's.
    pub role: KeyRole,
    /// The commune's local unit id; empty for the office.
    pub subject: String,
    /// The public key, hex.
    pub public_key: String,
    /// When it was enrolled (UTC, ISO).
    pub enrolled_at: String,
}

/// The signer of a bundle being imported, and what the user confirmed about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerCheck {
    /// The signer's public key, hex.
    pub public_key: String,
    /// The user typed this key's fingerprint (read off the stamped paper).
    pub confirmed: bool,
    /// The user asked to replace the key enrolled for this subject.
    pub re_enrol: bool,
}

/// The fingerprint of a hex public key (or the hex itself when it does not decode).
pub fn fingerprint_of_hex(public_key: &str) -> String {
    match decode_hex(public_key) {
        Some(bytes) => fingerprint(&bytes),
        None => public_key.to_string(),
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// Starts the message of a bundle whose key has not been confirmed yet; the app looks
/// for it to offer the confirmation.
pub const UNCONFIRMED: &str = "khóa ký của gói chưa được xác nhận";

/// This workspace's signing key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSigningKey {
    /// The secret (32 bytes when intact).
    pub secret: Vec<u8>,
    /// The public key, hex.
    pub public_key: String,
}

impl Workspace {
    /// This workspace's signing key, if made yet.
    pub fn signing_key(&self) -> StoreResult<Option<StoredSigningKey>> {
        Ok(self
            .conn
            .query_row(
                "SELECT secret, public_key FROM signing_key WHERE id = 1",
                [],
                |r| {
                    Ok(StoredSigningKey {
                        secret: r.get(0)?,
                        public_key: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Keeps a freshly made signing key, unless one is there already (then the existing
    /// one stays: read it back with [`Workspace::signing_key`]).
    pub fn keep_signing_key(&mut self, secret: &[u8], public_key: &str) -> StoreResult<()> {
        self.write(|w| {
            let added = w.tx.execute(
                "INSERT OR IGNORE INTO signing_key(id, secret, public_key, created_at) VALUES (1, ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                params![secret, public_key],
            )?;
            if added > 0 {
                w.audit("khoa_ky", "", "tao_khoa", None, Some(&fingerprint_of_hex(public_key)))?;
            }
            Ok(())
        })
    }

    /// The key enrolled for a subject (hex).
    pub fn trusted_key(&self, role: KeyRole, subject: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT public_key FROM trusted_keys WHERE role = ?1 AND subject = ?2",
                params![role.code(), subject],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every enrolled key, by role and subject. A role this program does not know is an
    /// error naming the row.
    pub fn trusted_keys(&self) -> StoreResult<Vec<TrustedKey>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid, role, subject, public_key, enrolled_at FROM trusted_keys ORDER BY role, subject",
        )?;
        let rows = stmt.query_map([], |r| {
            let row: i64 = r.get(0)?;
            Ok(TrustedKey {
                role: super::types::column(r, 1, "trusted_keys", row, "role")?,
                subject: r.get(2)?,
                public_key: r.get(3)?,
                enrolled_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Checks and, when confirmed, enrolls a review bundle's signer as our office, in
    /// one transaction with `then`.
    pub(crate) fn with_office_signer<T>(
        &mut self,
        signer: &SignerCheck,
        then: impl FnOnce(&Writer<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.write(|w| {
            w.check_signer(KeyRole::Office, "", "cơ quan thẩm định", signer)?;
            then(w)
        })
    }
}

impl Writer<'_> {
    /// The rule of enrolment, inside the importing transaction: the subject's enrolled
    /// key signs; an unknown subject is enrolled only when the user confirmed the
    /// fingerprint; another key is refused naming both, unless the user confirmed it and
    /// asked to re-enrol (audited). A key serves one subject only.
    pub(crate) fn check_signer(
        &self,
        role: KeyRole,
        subject: &str,
        label: &str,
        signer: &SignerCheck,
    ) -> StoreResult<()> {
        let current: Option<String> = self
            .tx
            .query_row(
                "SELECT public_key FROM trusted_keys WHERE role = ?1 AND subject = ?2",
                params![role.code(), subject],
                |r| r.get(0),
            )
            .optional()?;
        let seen = fingerprint_of_hex(&signer.public_key);
        if current.as_deref() == Some(signer.public_key.as_str()) {
            return Ok(());
        }
        let elsewhere: Option<(String, String)> = self
            .tx
            .query_row(
                "SELECT role, subject FROM trusted_keys WHERE public_key = ?1",
                [&signer.public_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((r, s)) = elsewhere {
            let whose = if r == KeyRole::Office.code() {
                "cơ quan thẩm định".to_string()
            } else {
                self.tx
                    .query_row(
                        "SELECT name FROM units WHERE CAST(id AS TEXT) = ?1",
                        [&s],
                        |r| r.get::<_, String>(0),
                    )
                    .optional()?
                    .map_or_else(|| format!("đơn vị số {s}"), |n| format!("đơn vị «{n}»"))
            };
            return Err(StoreError::Invalid(format!(
                "khóa ký {seen} đã được ghi danh cho {whose}, không được ghi cho {label}"
            )));
        }
        match current {
            Some(old) => {
                let old_fp = fingerprint_of_hex(&old);
                if !(signer.confirmed && signer.re_enrol) {
                    return Err(StoreError::Invalid(format!(
                        "{label} đã ghi danh khóa ký {old_fp}, nhưng gói này ký bằng khóa {seen}; \
                         nếu đơn vị đã đổi máy hoặc mất tệp dữ liệu, hãy đối chiếu dấu vân tay mới \
                         trên tờ trình có đóng dấu rồi ghi danh lại (--trust {seen} --re-enrol)"
                    )));
                }
                self.tx.execute(
                    "UPDATE trusted_keys SET public_key = ?3, enrolled_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE role = ?1 AND subject = ?2",
                    params![role.code(), subject, signer.public_key],
                )?;
                self.audit("khoa_ky", subject, role.code(), Some(&old_fp), Some(&seen))
            }
            None => {
                if !signer.confirmed {
                    return Err(StoreError::Invalid(format!(
                        "{UNCONFIRMED}: {label}, dấu vân tay {seen}; hãy đối chiếu với dấu vân tay \
                         in trên tờ trình có đóng dấu rồi nhập lại với --trust {seen}"
                    )));
                }
                self.tx.execute(
                    "INSERT INTO trusted_keys(role, subject, public_key, enrolled_at) VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    params![role.code(), subject, signer.public_key],
                )?;
                self.audit("khoa_ky", subject, role.code(), None, Some(&seen))
            }
        }
    }
}
