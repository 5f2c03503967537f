//! X.509 v3 certificates as SPSDK's `nxpcrypto cert generate` makes them (certificate
//! block v1 roots and chains, ECC certificates), and checking one against its issuer.
//!
//! Encoding choices (those of SPSDK 3.12, i.e. Python `cryptography`): version 3; the serial
//! number as given; names with one attribute per RDN in config order, `COUNTRY_NAME`,
//! `JURISDICTION_COUNTRY_NAME`, `SERIAL_NUMBER` and `DN_QUALIFIER` as PrintableString,
//! `EMAIL_ADDRESS` and `DOMAIN_COMPONENT` as IA5String, the rest UTF8String; times before
//! 2050 as UTCTime, later as GeneralizedTime, whole seconds; every extension critical, no key
//! identifiers; signatures RSA PKCS#1 v1.5 with SHA-256 (`sha256WithRSAEncryption`, NULL
//! parameters), RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt, or ECDSA with SHA-256
//! (`ecdsa-with-SHA256`, for every curve, as SPSDK) and a DER signature.

use super::signer::HashAlg;
use super::{CryptoError, KeyType, PublicKey, Scheme, Signer};
use std::time::{Duration, SystemTime};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::der::asn1::{BitString, Ia5StringRef, ObjectIdentifier, PrintableStringRef};
use x509_cert::der::{self, Any, Decode, Encode, Reader as _, Tag};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};

/// X.509 failures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum X509Error {
    /// A name attribute is unknown or its value does not fit its type.
    #[error("{attribute}: {why}")]
    Name {
        /// The attribute name (SPSDK's, e.g. `COMMON_NAME`).
        attribute: String,
        /// Why.
        why: String,
    },
    /// A certificate field cannot be encoded (serial number, dates, path length).
    #[error("{field}: {why}")]
    Field {
        /// The field.
        field: &'static str,
        /// Why.
        why: String,
    },
    /// The bytes are not an X.509 certificate, or use something not supported here.
    #[error("certificate: {0}")]
    Parse(String),
    /// Signing or verifying failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

fn field(field: &'static str, why: impl std::fmt::Display) -> X509Error {
    X509Error::Field {
        field,
        why: why.to_string(),
    }
}

/// ASN.1 string type of a name attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    /// UTF8String.
    Utf8,
    /// PrintableString.
    Printable,
    /// IA5String.
    Ia5,
}

/// (SPSDK name, OID, string type, byte-length limits).
type NameAttributeRow = (
    &'static str,
    &'static str,
    StringKind,
    Option<(usize, usize)>,
);

/// Name attributes by SPSDK's names (Python `cryptography`'s `NameOID`): OID, string type,
/// and the byte-length limits `cryptography` enforces.
const NAME_ATTRIBUTES: &[NameAttributeRow] = &[
    ("BUSINESS_CATEGORY", "2.5.4.15", StringKind::Utf8, None),
    ("COMMON_NAME", "2.5.4.3", StringKind::Utf8, Some((1, 64))),
    (
        "COUNTRY_NAME",
        "2.5.4.6",
        StringKind::Printable,
        Some((2, 2)),
    ),
    ("DN_QUALIFIER", "2.5.4.46", StringKind::Printable, None),
    (
        "DOMAIN_COMPONENT",
        "0.9.2342.19200300.100.1.25",
        StringKind::Ia5,
        None,
    ),
    (
        "EMAIL_ADDRESS",
        "1.2.840.113549.1.9.1",
        StringKind::Ia5,
        None,
    ),
    ("GENERATION_QUALIFIER", "2.5.4.44", StringKind::Utf8, None),
    ("GIVEN_NAME", "2.5.4.42", StringKind::Utf8, None),
    ("INITIALS", "2.5.4.43", StringKind::Utf8, None),
    ("INN", "1.2.643.3.131.1.1", StringKind::Utf8, None),
    (
        "JURISDICTION_COUNTRY_NAME",
        "1.3.6.1.4.1.311.60.2.1.3",
        StringKind::Printable,
        Some((2, 2)),
    ),
    (
        "JURISDICTION_LOCALITY_NAME",
        "1.3.6.1.4.1.311.60.2.1.1",
        StringKind::Utf8,
        None,
    ),
    (
        "JURISDICTION_STATE_OR_PROVINCE_NAME",
        "1.3.6.1.4.1.311.60.2.1.2",
        StringKind::Utf8,
        None,
    ),
    ("LOCALITY_NAME", "2.5.4.7", StringKind::Utf8, None),
    ("OGRN", "1.2.643.100.1", StringKind::Utf8, None),
    (
        "ORGANIZATIONAL_UNIT_NAME",
        "2.5.4.11",
        StringKind::Utf8,
        None,
    ),
    (
        "ORGANIZATION_IDENTIFIER",
        "2.5.4.97",
        StringKind::Utf8,
        None,
    ),
    ("ORGANIZATION_NAME", "2.5.4.10", StringKind::Utf8, None),
    ("POSTAL_ADDRESS", "2.5.4.16", StringKind::Utf8, None),
    ("POSTAL_CODE", "2.5.4.17", StringKind::Utf8, None),
    ("PSEUDONYM", "2.5.4.65", StringKind::Utf8, None),
    ("SERIAL_NUMBER", "2.5.4.5", StringKind::Printable, None),
    ("SNILS", "1.2.643.100.3", StringKind::Utf8, None),
    ("STATE_OR_PROVINCE_NAME", "2.5.4.8", StringKind::Utf8, None),
    ("STREET_ADDRESS", "2.5.4.9", StringKind::Utf8, None),
    ("SURNAME", "2.5.4.4", StringKind::Utf8, None),
    ("TITLE", "2.5.4.12", StringKind::Utf8, None),
    (
        "UNSTRUCTURED_NAME",
        "1.2.840.113549.1.9.2",
        StringKind::Utf8,
        None,
    ),
    (
        "USER_ID",
        "0.9.2342.19200300.100.1.1",
        StringKind::Utf8,
        None,
    ),
    ("X500_UNIQUE_IDENTIFIER", "2.5.4.45", StringKind::Utf8, None),
];

/// The SPSDK name attribute names `name_attribute` accepts, in table order.
pub fn name_attribute_names() -> impl Iterator<Item = &'static str> {
    NAME_ATTRIBUTES.iter().map(|a| a.0)
}

/// One name attribute (`COMMON_NAME`, `value`) as DER `AttributeTypeAndValue`, typed and
/// checked as SPSDK does.
pub fn name_attribute(attribute: &str, value: &str) -> Result<AttributeTypeAndValue, X509Error> {
    let bad = |why: String| X509Error::Name {
        attribute: attribute.to_string(),
        why,
    };
    let &(_, oid, kind, limits) = NAME_ATTRIBUTES
        .iter()
        .find(|a| a.0 == attribute)
        .ok_or_else(|| bad("not a name attribute (COMMON_NAME, ORGANIZATION_NAME, ...)".into()))?;
    if let Some((min, max)) = limits {
        if !(min..=max).contains(&value.len()) {
            return Err(bad(format!(
                "'{value}' is {} bytes (must be {min} to {max})",
                value.len()
            )));
        }
    }
    let tag = match kind {
        StringKind::Utf8 => Tag::Utf8String,
        StringKind::Printable => {
            PrintableStringRef::new(value)
                .map_err(|_| bad(format!("'{value}' is not a PrintableString")))?;
            Tag::PrintableString
        }
        StringKind::Ia5 => {
            Ia5StringRef::new(value).map_err(|_| bad(format!("'{value}' is not an IA5String")))?;
            Tag::Ia5String
        }
    };
    Ok(AttributeTypeAndValue {
        oid: ObjectIdentifier::new_unwrap(oid),
        value: Any::new(tag, value.as_bytes()).map_err(|e| bad(e.to_string()))?,
    })
}

/// A name from SPSDK attribute names and values, one RDN per attribute, in order.
pub fn name(attributes: &[(String, String)]) -> Result<Name, X509Error> {
    let mut rdns = Vec::with_capacity(attributes.len());
    for (a, v) in attributes {
        let atv = name_attribute(a, v)?;
        let set = der::asn1::SetOfVec::try_from(vec![atv]).map_err(|e| X509Error::Name {
            attribute: a.clone(),
            why: e.to_string(),
        })?;
        rdns.push(RelativeDistinguishedName(set));
    }
    Ok(RdnSequence(rdns))
}

/// basicConstraints of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Constraints {
    /// cA.
    pub ca: bool,
    /// pathLenConstraint (only written for a CA, as SPSDK).
    pub path_len: Option<u8>,
}

/// What a certificate says; [`CertificateSpec::build`] encodes and signs it.
#[derive(Debug, Clone)]
pub struct CertificateSpec {
    /// Subject name attributes (SPSDK names, values), in order.
    pub subject: Vec<(String, String)>,
    /// Issuer name attributes, in order.
    pub issuer: Vec<(String, String)>,
    /// The certified key.
    pub subject_key: PublicKey,
    /// Serial number, big-endian, positive (leading zeros are dropped); at most 20 bytes
    /// encoded.
    pub serial: Vec<u8>,
    /// Start of validity (whole seconds are used).
    pub not_before: SystemTime,
    /// End of validity.
    pub not_after: SystemTime,
    /// basicConstraints (critical), if any.
    pub basic_constraints: Option<Constraints>,
    /// RSA issuers: RSA-PSS (SHA-256, MGF1-SHA-256, salt 32) instead of PKCS#1 v1.5.
    pub pss: bool,
}

/// Start of validity SPSDK uses without a duration: 2000-01-01 00:00:00 UTC.
pub fn no_duration_not_before() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(946_684_800)
}

/// End of validity SPSDK uses without a duration: 9999-12-31 00:00:00 UTC.
pub fn no_duration_not_after() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_214_400)
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn parse_utc(text: &str) -> Result<SystemTime, X509Error> {
    let bad = || field("time", format!("'{text}' is not YYYY-MM-DDTHH:MM:SSZ"));
    let b = text.trim().as_bytes();
    if b.len() != 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || !matches!(b.get(19), Some(b'Z' | b'z'))
    {
        return Err(bad());
    }
    let num = |from: usize, to: usize| -> Result<u16, X509Error> {
        let s = text.trim().get(from..to).ok_or_else(bad)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse::<u16>().map_err(|_| bad())
    };
    let small = |v: u16| u8::try_from(v).map_err(|_| bad());
    let dt = der::DateTime::new(
        num(0, 4)?,
        small(num(5, 7)?)?,
        small(num(8, 10)?)?,
        small(num(11, 13)?)?,
        small(num(14, 16)?)?,
        small(num(17, 19)?)?,
    )
    .map_err(|_| bad())?;
    Ok(dt.to_system_time())
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a time (whole seconds; times before 1970 or after 9999 are
/// written as their offset in seconds from the epoch).
pub fn format_utc(t: SystemTime) -> String {
    let secs = match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs(),
        Err(e) => return format!("-{}s", e.duration().as_secs()),
    };
    match der::DateTime::from_unix_duration(Duration::from_secs(secs)) {
        Ok(d) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minutes(),
            d.seconds()
        ),
        Err(_) => format!("{secs}s"),
    }
}

/// RFC 5280 time: UTCTime before 2050, GeneralizedTime from then on.
fn x509_time(t: SystemTime, what: &'static str) -> Result<Time, X509Error> {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| field(what, "before 1970"))?
        .as_secs();
    let dt =
        der::DateTime::from_unix_duration(Duration::from_secs(secs)).map_err(|e| field(what, e))?;
    Ok(if dt.year() < 2050 {
        Time::UtcTime(der::asn1::UtcTime::from_date_time(dt).map_err(|e| field(what, e))?)
    } else {
        Time::GeneralTime(der::asn1::GeneralizedTime::from_date_time(dt))
    })
}

const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
/// (OID, scheme) of the signature algorithms without parameters (RSA: NULL parameters).
const SIGNATURE_ALGORITHMS: &[(&str, Scheme)] = &[
    (
        "1.2.840.113549.1.1.11",
        Scheme::RsaPkcs1v15(HashAlg::Sha256),
    ),
    (
        "1.2.840.113549.1.1.12",
        Scheme::RsaPkcs1v15(HashAlg::Sha384),
    ),
    (
        "1.2.840.113549.1.1.13",
        Scheme::RsaPkcs1v15(HashAlg::Sha512),
    ),
    ("1.2.840.10045.4.3.2", Scheme::EcdsaDer(HashAlg::Sha256)),
    ("1.2.840.10045.4.3.3", Scheme::EcdsaDer(HashAlg::Sha384)),
    ("1.2.840.10045.4.3.4", Scheme::EcdsaDer(HashAlg::Sha512)),
    ("1.3.101.112", Scheme::Ed25519),
];
const HASHES: &[(&str, HashAlg)] = &[
    ("2.16.840.1.101.3.4.2.1", HashAlg::Sha256),
    ("2.16.840.1.101.3.4.2.2", HashAlg::Sha384),
    ("2.16.840.1.101.3.4.2.3", HashAlg::Sha512),
];

/// The signature algorithm (identifier and scheme) SPSDK uses for an issuer key.
fn signing_algorithm(
    issuer: KeyType,
    pss: bool,
) -> Result<(AlgorithmIdentifierOwned, Scheme), X509Error> {
    let oid = |s: &str| ObjectIdentifier::new_unwrap(s);
    Ok(match issuer {
        KeyType::Rsa(_) if pss => {
            let params = pkcs1::RsaPssParams::new::<sha2::Sha256>(32);
            let any = Any::encode_from(&params).map_err(|e| field("signature", e))?;
            (
                AlgorithmIdentifierOwned {
                    oid: OID_RSA_PSS,
                    parameters: Some(any),
                },
                Scheme::RsaPss {
                    hash: HashAlg::Sha256,
                    salt_len: 32,
                },
            )
        }
        KeyType::Rsa(_) => (
            AlgorithmIdentifierOwned {
                oid: oid("1.2.840.113549.1.1.11"),
                parameters: Some(Any::null()),
            },
            Scheme::RsaPkcs1v15(HashAlg::Sha256),
        ),
        KeyType::P256 | KeyType::P384 | KeyType::P521 => (
            AlgorithmIdentifierOwned {
                oid: oid("1.2.840.10045.4.3.2"),
                parameters: None,
            },
            Scheme::EcdsaDer(HashAlg::Sha256),
        ),
        other => {
            return Err(CryptoError::Unsupported {
                key: other,
                what: "signing X.509 certificates (RSA, P-256, P-384, P-521)".into(),
            }
            .into());
        }
    })
}

impl CertificateSpec {
    /// Encodes the certificate and signs it with `issuer`; returns its DER.
    pub fn build(&self, issuer: &dyn Signer) -> Result<Vec<u8>, X509Error> {
        let issuer_key = issuer.public_key()?;
        let (algorithm, scheme) = signing_algorithm(issuer_key.key_type(), self.pss)?;
        let spki = SubjectPublicKeyInfoOwned::from_der(&self.subject_key.to_spki_der()?)
            .map_err(|e| field("subject public key", e))?;
        let extensions = match self.basic_constraints {
            None => None,
            Some(c) => {
                let bc = BasicConstraints {
                    ca: c.ca,
                    path_len_constraint: if c.ca { c.path_len } else { None },
                };
                Some(vec![Extension {
                    extn_id: ObjectIdentifier::new_unwrap("2.5.29.19"),
                    critical: true,
                    extn_value: der::asn1::OctetString::new(
                        bc.to_der().map_err(|e| field("basic constraints", e))?,
                    )
                    .map_err(|e| field("basic constraints", e))?,
                }])
            }
        };
        let tbs = x509_cert::TbsCertificate {
            version: x509_cert::Version::V3,
            serial_number: SerialNumber::new(&self.serial)
                .map_err(|e| field("serial number", e))?,
            signature: algorithm.clone(),
            issuer: name(&self.issuer)?,
            validity: Validity {
                not_before: x509_time(self.not_before, "not before")?,
                not_after: x509_time(self.not_after, "not after")?,
            },
            subject: name(&self.subject)?,
            subject_public_key_info: spki,
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions,
        };
        let tbs_der = tbs.to_der().map_err(|e| field("certificate", e))?;
        let signature = issuer.sign(&tbs_der, scheme)?;
        let cert = x509_cert::Certificate {
            tbs_certificate: tbs,
            signature_algorithm: algorithm,
            signature: BitString::from_bytes(&signature).map_err(|e| field("signature", e))?,
        };
        cert.to_der().map_err(|e| field("certificate", e))
    }
}

/// What [`ParsedCertificate::parse`] reads from a certificate (nothing verified).
#[derive(Debug, Clone)]
pub struct ParsedCertificate {
    /// Subject (RFC 4514 text).
    pub subject: String,
    /// Issuer (RFC 4514 text).
    pub issuer: String,
    /// True when the subject and issuer names are equal (DER).
    pub same_names: bool,
    /// Serial number bytes (big-endian).
    pub serial: Vec<u8>,
    /// X.509 version (1, 2 or 3).
    pub version: u8,
    /// notBefore.
    pub not_before: SystemTime,
    /// notAfter.
    pub not_after: SystemTime,
    /// basicConstraints, if present, and whether it is critical.
    pub basic_constraints: Option<(Constraints, bool)>,
    /// The subject public key.
    pub public_key: PublicKey,
    /// Signature algorithm OID (dotted).
    pub signature_algorithm: String,
    /// The outer signature algorithm (OID and parameters) equals the signed one in the
    /// tbsCertificate, as RFC 5280 requires.
    pub algorithms_match: bool,
    /// The signature scheme, if the algorithm is one this module knows (and both algorithm
    /// fields agree).
    pub scheme: Result<Scheme, String>,
    /// The signed part, exactly as in the certificate.
    pub tbs: Vec<u8>,
    /// The signature.
    pub signature: Vec<u8>,
}

fn scheme_of(alg: &AlgorithmIdentifierOwned) -> Result<Scheme, String> {
    let oid = alg.oid.to_string();
    if alg.oid == OID_RSA_PSS {
        let params = alg
            .parameters
            .as_ref()
            .ok_or("RSA-PSS without parameters")?;
        let p: pkcs1::RsaPssParams<'_> = params
            .decode_as()
            .map_err(|e| format!("RSA-PSS parameters: {e}"))?;
        let hash_of = |o: ObjectIdentifier| {
            HASHES
                .iter()
                .find(|h| h.0 == o.to_string())
                .map(|h| h.1)
                .ok_or_else(|| format!("RSA-PSS hash {o} (SHA-256/384/512 only)"))
        };
        let hash = hash_of(p.hash.oid)?;
        let mgf_hash = p
            .mask_gen
            .parameters
            .map(|a| a.oid)
            .ok_or("RSA-PSS MGF without hash")?;
        if p.mask_gen.oid != OID_MGF1 || hash_of(mgf_hash)? != hash {
            return Err("RSA-PSS mask generation is not MGF1 with the same hash".into());
        }
        return Ok(Scheme::RsaPss {
            hash,
            salt_len: usize::from(p.salt_len),
        });
    }
    SIGNATURE_ALGORITHMS
        .iter()
        .find(|a| a.0 == oid)
        .map(|a| a.1)
        .ok_or_else(|| format!("signature algorithm {oid} is not supported"))
}

impl ParsedCertificate {
    /// Parses a DER certificate (exactly `der`).
    pub fn parse(der: &[u8]) -> Result<ParsedCertificate, X509Error> {
        let x = |e: der::Error| X509Error::Parse(e.to_string());
        let cert = x509_cert::Certificate::from_der(der).map_err(x)?;
        let mut outer = der::SliceReader::new(der).map_err(x)?;
        der::Header::decode(&mut outer).map_err(x)?;
        let tbs = outer.tlv_bytes().map_err(x)?.to_vec();
        let t = &cert.tbs_certificate;
        let basic_constraints = match t.get::<BasicConstraints>() {
            Ok(Some((critical, bc))) => Some((
                Constraints {
                    ca: bc.ca,
                    path_len: bc.path_len_constraint,
                },
                critical,
            )),
            Ok(None) => None,
            Err(e) => return Err(X509Error::Parse(format!("basicConstraints: {e}"))),
        };
        let spki = t.subject_public_key_info.to_der().map_err(x)?;
        Ok(ParsedCertificate {
            subject: t.subject.to_string(),
            issuer: t.issuer.to_string(),
            same_names: t.subject == t.issuer,
            serial: t.serial_number.as_bytes().to_vec(),
            version: match t.version {
                x509_cert::Version::V1 => 1,
                x509_cert::Version::V2 => 2,
                x509_cert::Version::V3 => 3,
            },
            not_before: t.validity.not_before.to_system_time(),
            not_after: t.validity.not_after.to_system_time(),
            basic_constraints,
            public_key: PublicKey::from_spki_der(&spki, "subject public key")?,
            signature_algorithm: cert.signature_algorithm.oid.to_string(),
            algorithms_match: cert.signature_algorithm == t.signature,
            scheme: if cert.signature_algorithm == t.signature {
                scheme_of(&cert.signature_algorithm)
            } else {
                Err("the signature algorithm differs from the one in the signed part".into())
            },
            tbs,
            signature: cert
                .signature
                .as_bytes()
                .ok_or_else(|| {
                    X509Error::Parse("the signature is not a whole number of bytes".into())
                })?
                .to_vec(),
        })
    }

    /// Checks the signature with the issuer's key.
    pub fn verify_signature(&self, issuer_key: &PublicKey) -> Result<(), X509Error> {
        let scheme = self.scheme.clone().map_err(X509Error::Parse)?;
        Ok(issuer_key.verify(&self.tbs, &self.signature, scheme)?)
    }
}

/// Length of the DER element at the start of `buf` (header and content).
pub fn der_element_len(buf: &[u8]) -> Result<usize, der::Error> {
    let mut r = der::SliceReader::new(buf)?;
    Ok(r.tlv_bytes()?.len())
}

/// The DER of a certificate file: PEM (`BEGIN CERTIFICATE`) or DER, DER optionally followed
/// by zero padding (as certificates sit in a certificate block v1). The result parses as a
/// certificate.
pub fn certificate_der(bytes: &[u8]) -> Result<Vec<u8>, X509Error> {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&bytes[..0], |i| &bytes[i..]);
    let der = if trimmed.starts_with(b"-----BEGIN") {
        let (label, der) =
            der::pem::decode_vec(trimmed).map_err(|e| X509Error::Parse(format!("PEM: {e}")))?;
        if label != "CERTIFICATE" {
            return Err(X509Error::Parse(format!(
                "PEM label is '{label}', not 'CERTIFICATE'"
            )));
        }
        der
    } else {
        let n =
            der_element_len(bytes).map_err(|e| X509Error::Parse(format!("not DER or PEM: {e}")))?;
        let (der, rest) = bytes.split_at(n);
        if rest.iter().any(|&b| b != 0) {
            return Err(X509Error::Parse(format!(
                "{} bytes after the certificate",
                rest.len()
            )));
        }
        der.to_vec()
    };
    ParsedCertificate::parse(&der)?;
    Ok(der)
}

/// PEM text of a DER certificate.
pub fn to_pem(der: &[u8]) -> Result<String, X509Error> {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der)
        .map_err(|e| field("certificate", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{LocalSigner, PrivateKey};

    fn spec(key: &PrivateKey, pss: bool) -> CertificateSpec {
        CertificateSpec {
            subject: vec![("COMMON_NAME".into(), "leaf".into())],
            issuer: vec![
                ("COMMON_NAME".into(), "root".into()),
                ("COUNTRY_NAME".into(), "CZ".into()),
            ],
            subject_key: key.public_key(),
            serial: vec![0x80, 1],
            not_before: no_duration_not_before(),
            not_after: no_duration_not_after(),
            basic_constraints: Some(Constraints {
                ca: true,
                path_len: Some(2),
            }),
            pss,
        }
    }

    #[test]
    fn build_parse_verify_every_issuer_type() {
        for (kind, pss) in [
            (KeyType::Rsa(2048), false),
            (KeyType::Rsa(2048), true),
            (KeyType::P256, false),
            (KeyType::P384, false),
        ] {
            let k = PrivateKey::generate(kind).unwrap();
            let der = spec(&k, pss)
                .build(&LocalSigner::new(k.clone(), "t"))
                .unwrap();
            let p = ParsedCertificate::parse(&der).unwrap();
            assert_eq!(p.version, 3);
            assert_eq!(p.serial, vec![0x00, 0x80, 1]);
            assert_eq!(p.subject, "CN=leaf");
            assert_eq!(p.issuer, "C=CZ,CN=root");
            assert_eq!(p.not_before, no_duration_not_before());
            assert_eq!(p.not_after, no_duration_not_after());
            assert_eq!(
                p.basic_constraints,
                Some((
                    Constraints {
                        ca: true,
                        path_len: Some(2)
                    },
                    true
                ))
            );
            p.verify_signature(&k.public_key()).unwrap();
            let other = PrivateKey::generate(kind).unwrap().public_key();
            assert!(p.verify_signature(&other).is_err(), "{kind}");
        }
    }

    #[test]
    fn utc_text_round_trip() {
        let t = parse_utc("2026-11-28T11:47:47Z").unwrap();
        assert_eq!(format_utc(t), "2026-11-28T11:47:47Z");
        assert_eq!(
            parse_utc("2000-01-01T00:00:00Z").unwrap(),
            no_duration_not_before()
        );
        for bad in [
            "2026-11-28",
            "2026-13-01T00:00:00Z",
            "2026-11-28T11:47:47+01",
            "x",
        ] {
            assert!(parse_utc(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_names_are_errors() {
        assert!(name_attribute("COUNTRY_NAME", "CZE").is_err());
        assert!(name_attribute("COUNTRY_NAME", "C*").is_err());
        assert!(name_attribute("EMAIL_ADDRESS", "é@x").is_err());
        assert!(name_attribute("COMMON", "x").is_err());
        assert!(name_attribute("COMMON_NAME", "").is_err());
        assert!(name_attribute("COMMON_NAME", &"x".repeat(65)).is_err());
    }
}
