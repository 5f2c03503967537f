//! The debug authentication response (DAR) the debugger sends with `DBG_AUTH_RESP`.
//!
//! RSA: `DC || auth_beacon (u32) || signature[K]`, signed message
//! `DC || auth_beacon || challenge`, PKCS#1 v1.5/SHA-256 by the DCK.
//! ECC: `DC || auth_beacon || DAC.uuid[16] || r||s`, signed message
//! `DC || auth_beacon || DAC.uuid || challenge`, ECDSA with the version's hash.
//! The challenge itself is never sent back.

use super::{Dac, DatError, DebugCredential};
use crate::codec::{DecodeError, Reader};
use crate::crypto::Signer;

/// A response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dar {
    /// The credential.
    pub dc: DebugCredential,
    /// Authentication beacon (16 bits, sent as u32).
    pub auth_beacon: u32,
    /// ECC: the device UUID from the DAC.
    pub uuid: Option<[u8; 16]>,
    /// Signature by the DCK.
    pub signature: Vec<u8>,
}

impl Dar {
    /// Answers `dac` with `dc`, signed by the debug credential key in `dck`.
    pub fn build(
        dc: &DebugCredential,
        dac: &Dac,
        auth_beacon: u32,
        dck: &dyn Signer,
    ) -> Result<Dar, DatError> {
        if auth_beacon > 0xFFFF {
            return Err(DatError::Range {
                field: "authentication beacon",
                value: u64::from(auth_beacon),
                bits: 16,
            });
        }
        if dck.public_key()? != dc.dck_pub {
            return Err(DatError::SignerMismatch {
                signer: dck.describe(),
                expected: "the debug credential key (dck) of the DC".into(),
            });
        }
        let mut dar = Dar {
            dc: dc.clone(),
            auth_beacon,
            uuid: (!dc.version.is_rsa()).then_some(dac.uuid),
            signature: Vec::new(),
        };
        let msg = dar.signed_message(&dac.challenge)?;
        let sig = dck.sign(&msg, dc.scheme())?;
        if sig.len() != dc.version.signature_len() {
            return Err(DatError::SignatureLength {
                expected: dc.version.signature_len(),
                got: sig.len(),
            });
        }
        dar.signature = sig;
        Ok(dar)
    }

    /// Everything sent before the signature.
    pub fn body(&self) -> Result<Vec<u8>, DatError> {
        let mut out = self.dc.encode()?;
        out.extend_from_slice(&self.auth_beacon.to_le_bytes());
        if let Some(u) = &self.uuid {
            out.extend_from_slice(u);
        }
        Ok(out)
    }

    /// What the DCK signs: the body and the challenge.
    pub fn signed_message(&self, challenge: &[u8; 32]) -> Result<Vec<u8>, DatError> {
        let mut m = self.body()?;
        m.extend_from_slice(challenge);
        Ok(m)
    }

    /// The binary response.
    pub fn encode(&self) -> Result<Vec<u8>, DatError> {
        let mut out = self.body()?;
        out.extend_from_slice(&self.signature);
        Ok(out)
    }

    /// Parses a response; the whole input must be one.
    pub fn parse(bytes: &[u8]) -> Result<Dar, DecodeError> {
        let mut r = Reader::new(bytes);
        let dc = DebugCredential::read(&mut r)?;
        let auth_beacon = r.u32_le("authentication beacon")?;
        let uuid = if dc.version.is_rsa() {
            None
        } else {
            Some(r.array::<16>("DAR UUID")?)
        };
        let signature = r
            .take(dc.version.signature_len(), "DAR signature")?
            .to_vec();
        r.finish("DAR")?;
        Ok(Dar {
            dc,
            auth_beacon,
            uuid,
            signature,
        })
    }

    /// Checks the DCK signature over this response and `challenge`.
    pub fn verify_signature(&self, challenge: &[u8; 32]) -> Result<(), DatError> {
        let m = self.signed_message(challenge)?;
        self.dc
            .dck_pub
            .verify(&m, &self.signature, self.dc.scheme())?;
        Ok(())
    }

    /// Length of the response for a credential.
    pub fn encoded_len(dc: &DebugCredential) -> usize {
        dc.encoded_len() + 4 + if dc.version.is_rsa() { 0 } else { 16 } + dc.version.signature_len()
    }
}
