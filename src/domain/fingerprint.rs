//! Fingerprints of signing keys: short enough to print in a footer and read over the
//! phone, four groups of four characters (`7KQ2-M9XD-…`), the first 80 bits of the
//! SHA-256 of the public key in Crockford base 32 (no I, L, O or U to misread).

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The fingerprint of a 32-byte Ed25519 public key, e.g. `7KQ2-M9XD-4F0A-RT3W`.
pub fn fingerprint(public_key: &[u8]) -> String {
    let digest = Sha256::digest(public_key);
    let mut bits: u128 = 0;
    for b in digest.iter().take(10) {
        bits = (bits << 8) | u128::from(*b);
    }
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let index = ((bits >> (75 - 5 * i)) & 0x1f) as usize;
        out.push(ALPHABET.get(index).map_or('?', |c| char::from(*c)));
    }
    out
}

/// A fingerprint as typed or read aloud, compared: spaces and dashes ignored, case
/// ignored, and the letters easily confused with digits (O, I, L) read as 0 and 1.
pub fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '‐' && *c != '–')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// True when a typed fingerprint names the same key as `fingerprint`.
pub fn matches(typed: &str, fingerprint: &str) -> bool {
    let typed = normalize(typed);
    !typed.is_empty() && typed == normalize(fingerprint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_groups_of_four() {
        let f = fingerprint(&[7u8; 32]);
        assert_eq!(f.len(), 19);
        assert_eq!(f.split('-').count(), 4);
        assert!(f.split('-').all(|g| g.len() == 4));
        assert_ne!(f, fingerprint(&[8u8; 32]));
    }

    #[test]
    fn typed_with_spaces_dashes_and_lower_case_matches() {
        let f = fingerprint(&[1u8; 32]);
        let typed = f.replace('-', " ").to_lowercase();
        assert!(matches(&typed, &f));
        assert!(matches(&f.replace('-', ""), &f));
        assert!(!matches("", &f));
        assert!(!matches(&fingerprint(&[2u8; 32]), &f));
    }
}
