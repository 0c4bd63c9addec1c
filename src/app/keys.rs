//! This workspace's signing key and the user's word about someone else's: the key is
//! made on first use from the operating system's randomness and kept in the workspace
//! (the secret is never written anywhere else, never into a bundle); its fingerprint is
//! what a commune prints on its stamped tờ trình and what the office types back.

use super::{AppError, AppResult};
use crate::domain::fingerprint::{fingerprint, matches};
use crate::store::{SignerCheck, StoredSigningKey, Workspace};
use ed25519_dalek::SigningKey;

/// What the user confirmed when importing: the fingerprint read off the stamped paper
/// (`--trust`), and whether an enrolled key may be replaced (`--re-enrol`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    /// The fingerprint typed by the user (spaces, dashes and case ignored).
    pub fingerprint: Option<String>,
    /// Replace the key enrolled for the sender (a re-keyed commune or office).
    pub re_enrol: bool,
}

impl Trust {
    /// No confirmation: only already enrolled keys are accepted.
    pub fn none() -> Self {
        Self::default()
    }

    /// Confirms the key whose fingerprint the user typed.
    pub fn fingerprint(typed: impl Into<String>) -> Self {
        Self {
            fingerprint: Some(typed.into()),
            re_enrol: false,
        }
    }
}

/// Hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// This workspace's signing key, made (and kept) on first use.
pub(crate) fn own_key(ws: &mut Workspace) -> AppResult<SigningKey> {
    if let Some(StoredSigningKey { secret, .. }) = ws.signing_key()? {
        let bytes: [u8; 32] = secret.as_slice().try_into().map_err(|_| {
            AppError::new(
                "Khóa ký trong tệp dữ liệu bị hỏng.",
                "Hãy khôi phục tệp dữ liệu từ bản sao lưu (backup restore).",
            )
        })?;
        return Ok(SigningKey::from_bytes(&bytes));
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| {
        AppError::new(
            "Không tạo được khóa ký: hệ điều hành không cấp số ngẫu nhiên.",
            "Hãy khởi động lại máy rồi thử lại.",
        )
        .with_details([e.to_string()])
    })?;
    let key = SigningKey::from_bytes(&secret);
    ws.keep_signing_key(&secret, &hex(key.verifying_key().as_bytes()))?;
    // Another program may have made one first: the kept one is the key.
    match ws.signing_key()? {
        Some(StoredSigningKey { secret: kept, .. }) if kept.as_slice() == secret.as_slice() => {
            Ok(key)
        }
        _ => own_key(ws),
    }
}

/// The fingerprint of this workspace's key (made on first use), e.g. `7KQ2-M9XD-4F0A-RT3W`.
pub fn own_fingerprint(ws: &mut Workspace) -> AppResult<String> {
    Ok(fingerprint(own_key(ws)?.verifying_key().as_bytes()))
}

/// The fingerprint of this workspace's key if it has one, without making one.
pub fn existing_fingerprint(ws: &Workspace) -> AppResult<Option<String>> {
    Ok(ws
        .signing_key()?
        .map(|k| crate::store::fingerprint_of_hex(&k.public_key)))
}

/// Turns what the user confirmed into the store's check for a signer. A typed
/// fingerprint that names another key is refused at once, printing both.
pub(crate) fn signer_check(
    public_key: &[u8; 32],
    trust: &Trust,
    refuse: impl Fn(String) -> AppError,
) -> AppResult<SignerCheck> {
    let seen = fingerprint(public_key);
    let confirmed = match &trust.fingerprint {
        None => false,
        Some(typed) if matches(typed, &seen) => true,
        Some(typed) => {
            return Err(refuse(format!(
                "dấu vân tay đã nhập «{}» không khớp khóa ký của gói ({seen}); hãy đối chiếu lại với tờ trình có đóng dấu",
                typed.trim()
            )));
        }
    };
    Ok(SignerCheck {
        public_key: hex(public_key),
        confirmed,
        re_enrol: trust.re_enrol,
    })
}

/// One enrolled key, as listed by `key list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    /// Whose key: a commune's name, or «Cơ quan thẩm định».
    pub who: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// When it was enrolled (UTC, ISO).
    pub enrolled_at: String,
}

/// Every key this workspace trusts.
pub fn enrolled(ws: &Workspace) -> AppResult<Vec<Enrolled>> {
    let mut out = Vec::new();
    for k in ws.trusted_keys()? {
        let subject = k.subject;
        let who = if k.role == crate::store::KeyRole::Office {
            "Cơ quan thẩm định".to_string()
        } else {
            match subject.parse().ok().map(crate::domain::ids::UnitId) {
                Some(id) => super::units::require(ws, id)
                    .map(|u| super::units::display_name(&u))
                    .unwrap_or_else(|_| format!("Đơn vị số {subject}")),
                None => format!("Đơn vị số {subject}"),
            }
        };
        out.push(Enrolled {
            who,
            fingerprint: crate::store::fingerprint_of_hex(&k.public_key),
            enrolled_at: k.enrolled_at,
        });
    }
    Ok(out)
}

/// The fingerprint printed on an assessment's tờ trình: the commune's enrolled key for
/// an assessment received in a bundle, else this workspace's own key (`None` before
/// the key is made: `key show` or the first export makes it).
pub fn fingerprint_for(
    ws: &Workspace,
    id: crate::domain::ids::AssessmentId,
) -> AppResult<Option<String>> {
    if ws.imported_from(id)?.is_some() {
        let unit = ws.require_assessment(id)?.unit;
        return Ok(ws
            .trusted_key(crate::store::KeyRole::Commune, &unit.to_string())?
            .map(|k| crate::store::fingerprint_of_hex(&k)));
    }
    existing_fingerprint(ws)
}
