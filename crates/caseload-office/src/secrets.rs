//! Device tokens and enrolment codes: made from the operating system's
//! random source, kept only as SHA-256 hashes, compared in constant time.
//!
//! A token reads `DEVICE-ID.SECRET`: the office finds the device by its id
//! and compares the hash of the 256-bit secret with the one it stored, so a
//! lookup never depends on the secret. Nothing here may log a token or code.

use std::fmt;

use caseload_core::DeviceId;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Letters of an enrolment code: Crockford's base 32, with no I, L, O or U
/// to misread. Twelve of them carry 60 bits.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed: {0}")]
pub struct RandomError(String);

fn random<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| RandomError(error.to_string()))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).ok())
        .collect()
}

/// The SHA-256 of some bytes, in hex: what the office stores.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Equal byte strings, compared without an early exit.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// A device token, shown once to the device. `Debug` never prints it.
pub struct Token(String);

impl Token {
    /// A new token for `device`, and the hash of its secret to store.
    pub fn new(device: DeviceId) -> Result<(Token, String), RandomError> {
        let secret = hex(&random::<32>()?);
        let hash = sha256_hex(secret.as_bytes());
        Ok((Token(format!("{}.{secret}", device.0.simple())), hash))
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(..)")
    }
}

/// A presented token split into the device it names and its secret.
pub struct PresentedToken {
    pub device: DeviceId,
    secret: String,
}

impl fmt::Debug for PresentedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PresentedToken({}, ..)", self.device)
    }
}

impl PresentedToken {
    pub fn parse(text: &str) -> Option<PresentedToken> {
        let (device, secret) = text.trim().split_once('.')?;
        let device = Uuid::parse_str(device).ok()?;
        if secret.len() != 64 || unhex(secret).is_none() {
            return None;
        }
        Some(PresentedToken {
            device: DeviceId(device),
            secret: secret.to_ascii_lowercase(),
        })
    }

    /// Whether the secret hashes to `stored_hash`.
    pub fn matches(&self, stored_hash: &str) -> bool {
        let presented = Sha256::digest(self.secret.as_bytes());
        match unhex(stored_hash) {
            Some(stored) => constant_time_eq(&presented, &stored),
            None => false,
        }
    }
}

/// A one-time enrolment code, shown once to the administrator.
pub struct EnrolCode(String);

impl EnrolCode {
    /// A new code and the hash to store.
    pub fn new() -> Result<(EnrolCode, String), RandomError> {
        let bytes = random::<CODE_LEN>()?;
        let letters: String = bytes
            .iter()
            .map(|byte| char::from(CODE_ALPHABET[usize::from(byte % 32)]))
            .collect();
        let hash = EnrolCode::hash(&letters);
        let shown = format!("{}-{}-{}", &letters[0..4], &letters[4..8], &letters[8..12]);
        Ok((EnrolCode(shown), hash))
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// The hash of a code as typed: case, spaces and dashes do not matter,
    /// and O, I and L read as 0, 1 and 1.
    pub fn hash(typed: &str) -> String {
        let normal: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        sha256_hex(normal.as_bytes())
    }
}

impl fmt::Debug for EnrolCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnrolCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_only_its_own_hash() {
        let device = DeviceId(Uuid::now_v7());
        let (token, hash) = Token::new(device).expect("random");
        let presented = PresentedToken::parse(token.reveal()).expect("parses");
        assert_eq!(presented.device, device);
        assert!(presented.matches(&hash));
        let (_, other) = Token::new(device).expect("random");
        assert!(!presented.matches(&other));
        assert!(!format!("{token:?}{presented:?}").contains(&token.reveal()[33..]));
    }

    #[test]
    fn malformed_tokens_are_not_parsed() {
        assert!(PresentedToken::parse("").is_none());
        assert!(PresentedToken::parse("not-a-uuid.abcd").is_none());
        let device = Uuid::now_v7().simple();
        assert!(PresentedToken::parse(&format!("{device}.short")).is_none());
        assert!(PresentedToken::parse(&format!("{device}.{}", "zz".repeat(32))).is_none());
    }

    #[test]
    fn codes_read_the_same_however_they_are_typed() {
        let (code, hash) = EnrolCode::new().expect("random");
        assert_eq!(code.reveal().len(), 14);
        assert_eq!(EnrolCode::hash(code.reveal()), hash);
        assert_eq!(
            EnrolCode::hash(&format!(
                " {} ",
                code.reveal().to_lowercase().replace('-', " ")
            )),
            hash
        );
        assert_eq!(
            EnrolCode::hash("ABCD-0000-1111"),
            EnrolCode::hash("abcd-oooo-ilil")
        );
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
