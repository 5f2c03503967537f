//! SB3.1 secure binary capsules: build, parse, verify, decrypt.
//!
//! ```text
//! file   = block0 || block1 || ... || blockN
//! block0 = header(60) || H(block1) || certBlockV21 || ECDSA(header || H(block1) || certBlock)
//! blockK = u32le(K) || H(block K+1) (zeros for N) || AES-CBC(key[K], IV 0, 256 plaintext bytes)
//! plaintext (blocks 1..N) = section header(16) || commands || zero padding
//! ```
//!
//! H is SHA-256 when block 0 is signed with a P-256 key (the ISK when the certificate block
//! has one, else the root key) and SHA-384 for P-384; the block keys are then AES-128 or
//! AES-256 (see [`crate::crypto::kdf`]). The layout is in `reference/sb31.md`.
//!
//! * [`Sb31Builder::build`] makes a file (signing through [`Signer`]).
//! * [`Container::decode`] checks the structure of a file without any crypto: every length
//!   and offset, the certificate block, the signature size against the block size, the file
//!   size against the block count. It never panics and never allocates by a length field.
//! * [`Container::verify`] checks what the ROM checks before it decrypts: the certificate
//!   block (RKHT, RKTH, ISK signature), the block-0 signature and the hash chain.
//! * [`Container::decrypt`] / [`BlockChain`] follow the chain and decrypt; [`command`]
//!   decodes the plaintext.

pub mod command;

use crate::certblock::{CertBlockError, CertBlockV21, EcCurve};
use crate::codec::{DecodeError, DecodeErrorKind, Reader, Writer, to_hex};
use crate::crypto::aes::Aes;
use crate::crypto::kdf::{KdfError, Sb31Kdf};
use crate::crypto::signer::HashAlg;
use crate::crypto::{CryptoError, Signer};
pub use command::{Command, CommandStream, CounterId};
use zeroize::Zeroizing;

/// `sbv3`.
pub const MAGIC: &[u8; 4] = b"sbv3";
/// Header size.
pub const HEADER_LEN: usize = 60;
/// Plaintext bytes per data block.
pub const CHUNK: usize = 256;
/// Image type of a normal SB3.1 file.
pub const IMAGE_TYPE_NORMAL: u32 = 6;
/// Image type of an NXP container (`isNxpContainer: true`).
pub const IMAGE_TYPE_NXP: u32 = 7;

/// Why an SB3.1 file was not built, decoded or accepted. The variants name the first
/// check that failed, in the order the ROM checks.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Sb31Error {
    /// The bytes do not have SB3.1 structure.
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// The certificate block is malformed or does not verify.
    #[error("{0}")]
    CertBlock(#[from] CertBlockError),
    /// The block-0 signature does not verify.
    #[error("block 0 signature does not verify with the {0} key of the certificate block")]
    Block0Signature(&'static str),
    /// A data block's hash is not the one its predecessor announced.
    #[error("hash chain broken at data block {0}: its hash is not the one block {prev} announces", prev = .0 - 1)]
    BlockHash(u32),
    /// A data block carries the wrong number.
    #[error("data block {expected} carries block number {found}")]
    BlockNumber {
        /// Position.
        expected: u32,
        /// Stored number.
        found: u32,
    },
    /// The last block announces a successor.
    #[error("the last data block ({0}) announces a next-block hash (must be zero)")]
    LastHashNotZero(u32),
    /// The plaintext does not start with a section header: wrong KEK or kdkAccessRights.
    #[error(
        "data block 1 does not decrypt to an SB3.1 section header: wrong KEK or kdkAccessRights"
    )]
    WrongKey(DecodeError),
    /// The plaintext is not a valid command stream.
    #[error("commands: {0}")]
    Commands(DecodeError),
    /// Key derivation failed (bad KEK length, access rights).
    #[error("{0}")]
    Kdf(#[from] KdfError),
    /// The signer is not the key the certificate block names.
    #[error("signer's public key is not the {0} key of the certificate block")]
    SignerMismatch(&'static str),
    /// The signer returned a signature of the wrong size.
    #[error("the signer returned a {len}-byte signature, expected {expected}")]
    SignatureLength {
        /// Returned.
        len: usize,
        /// Expected.
        expected: usize,
    },
    /// Signing failed.
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    /// A builder parameter is out of range.
    #[error("{0}")]
    Build(&'static str),
}

/// The 60-byte header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `containerConfigurationWord`.
    pub flags: u32,
    /// Number of data blocks.
    pub block_count: u32,
    /// Size of a data block (292 or 308).
    pub block_size: u32,
    /// Seconds since 2000-01-01 UTC; the KDK derivation label.
    pub timestamp: u64,
    /// `firmwareVersion` (rollback protection).
    pub firmware_version: u32,
    /// Length of block 0 (offset of data block 1).
    pub block0_len: u32,
    /// 6 normal, 7 NXP container.
    pub image_type: u32,
    /// Offset of the certificate block (60 + hash length).
    pub cert_block_offset: u32,
    /// `description`, zero-padded.
    pub description: [u8; 16],
}

impl Header {
    /// Encodes the 60 bytes.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut w = Writer::with_capacity(HEADER_LEN);
        w.bytes(MAGIC)
            .u16_le(1)
            .u16_le(3)
            .u32_le(self.flags)
            .u32_le(self.block_count)
            .u32_le(self.block_size)
            .u64_le(self.timestamp)
            .u32_le(self.firmware_version)
            .u32_le(self.block0_len)
            .u32_le(self.image_type)
            .u32_le(self.cert_block_offset)
            .bytes(&self.description);
        let mut out = [0u8; HEADER_LEN];
        out.copy_from_slice(w.as_slice());
        out
    }

    /// Decodes and checks the 60 bytes (magic, version 3.1, block size, cert block
    /// offset, image type, block count).
    pub fn decode(r: &mut Reader<'_>) -> Result<Header, DecodeError> {
        let magic = r.array::<4>("SB3.1 magic")?;
        if &magic != MAGIC {
            return Err(DecodeError::invalid(
                "SB3.1 magic",
                0,
                format!("expected \"sbv3\", found {}", to_hex(&magic)),
            ));
        }
        let minor = r.u16_le("SB3.1 minor version")?;
        let major = r.u16_le("SB3.1 major version")?;
        if (major, minor) != (3, 1) {
            return Err(DecodeError::invalid(
                "SB3.1 version",
                4,
                format!("{major}.{minor}, only 3.1 is known"),
            ));
        }
        let flags = r.u32_le("flags")?;
        let block_count = r.u32_le("block count")?;
        let block_size = r.u32_le("block size")?;
        let timestamp = r.u64_le("timestamp")?;
        let firmware_version = r.u32_le("firmware version")?;
        let block0_len = r.u32_le("block 0 length")?;
        let image_type = r.u32_le("image type")?;
        let cert_block_offset = r.u32_le("certificate block offset")?;
        let description = r.array::<16>("description")?;
        let hash_len = match block_size {
            292 => 32,
            308 => 48,
            n => {
                return Err(DecodeError::invalid(
                    "block size",
                    0x10,
                    format!("{n} (292 for SHA-256 files, 308 for SHA-384)"),
                ));
            }
        };
        if cert_block_offset as usize != HEADER_LEN + hash_len {
            return Err(DecodeError::invalid(
                "certificate block offset",
                0x28,
                format!("{cert_block_offset}, must be {}", HEADER_LEN + hash_len),
            ));
        }
        if image_type != IMAGE_TYPE_NORMAL && image_type != IMAGE_TYPE_NXP {
            return Err(DecodeError::invalid(
                "image type",
                0x24,
                format!("{image_type} (6 normal, 7 NXP container)"),
            ));
        }
        if block_count == 0 {
            return Err(DecodeError::invalid(
                "block count",
                0x0C,
                "0 (a file has at least one data block)",
            ));
        }
        Ok(Header {
            flags,
            block_count,
            block_size,
            timestamp,
            firmware_version,
            block0_len,
            image_type,
            cert_block_offset,
            description,
        })
    }

    /// Length of the chain hashes (32 or 48).
    pub fn hash_len(&self) -> usize {
        self.block_size as usize - 4 - CHUNK
    }

    /// The chain hash.
    pub fn hash(&self) -> HashAlg {
        if self.hash_len() == 48 {
            HashAlg::Sha384
        } else {
            HashAlg::Sha256
        }
    }

    /// Block-key size in bits (128 for SHA-256 files, 256 for SHA-384).
    pub fn key_bits(&self) -> u32 {
        if self.hash_len() == 48 { 256 } else { 128 }
    }

    /// The description as text (up to the first zero byte, non-ASCII escaped).
    pub fn description_text(&self) -> String {
        let end = self.description.iter().position(|&b| b == 0).unwrap_or(16);
        self.description[..end]
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    (b as char).to_string()
                } else {
                    format!("\\x{b:02x}")
                }
            })
            .collect()
    }
}

/// A structurally checked SB3.1 file (borrowing the bytes). Nothing is verified yet.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    /// The header.
    pub header: Header,
    /// H(block 1) from block 0.
    pub block1_hash: &'a [u8],
    /// The certificate block.
    pub cert_block: CertBlockV21,
    /// The block-0 signature (r||s).
    pub signature: &'a [u8],
    /// Everything the block-0 signature covers.
    pub signed_part: &'a [u8],
    /// The data blocks as stored.
    pub blocks: Vec<&'a [u8]>,
}

/// What [`Container::verify`] established.
#[derive(Debug, Clone)]
pub struct Verified {
    /// RKTH of the certificate block.
    pub rkth: Vec<u8>,
    /// Curve of the block-0 signer.
    pub signer_curve: EcCurve,
    /// True when an ISK signed block 0.
    pub isk: bool,
}

fn truncated(what: &'static str, offset: usize, needed: u64, available: usize) -> DecodeError {
    DecodeError {
        what,
        offset,
        kind: DecodeErrorKind::Truncated {
            needed: usize::try_from(needed).unwrap_or(usize::MAX),
            available,
        },
    }
}

/// Block 0 on its own: header, block-1 hash, certificate block, signature. What a ROM
/// receiving the file as a stream has before the first data block.
#[derive(Debug, Clone)]
pub struct Block0<'a> {
    /// The header.
    pub header: Header,
    /// H(block 1).
    pub block1_hash: &'a [u8],
    /// The certificate block.
    pub cert_block: CertBlockV21,
    /// The signature (r||s).
    pub signature: &'a [u8],
    /// Everything the signature covers.
    pub signed_part: &'a [u8],
}

impl<'a> Block0<'a> {
    /// Decodes block 0: `block0` must be exactly the header's block-0 length.
    pub fn decode(block0: &'a [u8]) -> Result<Block0<'a>, Sb31Error> {
        let mut r = Reader::new(block0);
        let header = Header::decode(&mut r)?;
        let h = header.hash_len();
        let block0_len = header.block0_len as usize;
        if block0.len() != block0_len {
            return Err(DecodeError::invalid(
                "block 0 length",
                0x20,
                format!("{block0_len}, {} bytes given", block0.len()),
            )
            .into());
        }
        let block1_hash = r.take(h, "block 1 hash")?;
        let cert_off = header.cert_block_offset as usize;
        if block0_len <= cert_off {
            return Err(DecodeError::invalid(
                "block 0 length",
                0x20,
                format!("{block0_len} leaves no room for the certificate block"),
            )
            .into());
        }
        let (cert_block, cert_len) = CertBlockV21::decode_prefix(&block0[cert_off..])?;
        let sig_len = cert_block.signature_len();
        if sig_len != 2 * h {
            return Err(DecodeError::invalid(
                "block size",
                0x10,
                format!(
                    "{} says SHA-{} but block 0 is signed with a {} key",
                    header.block_size,
                    h * 8,
                    cert_block.signing_curve()
                ),
            )
            .into());
        }
        if cert_off + cert_len + sig_len != block0_len {
            return Err(DecodeError::invalid(
                "block 0 length",
                0x20,
                format!(
                    "{block0_len}, but header + hash + certificate block + signature = {}",
                    cert_off + cert_len + sig_len
                ),
            )
            .into());
        }
        Ok(Block0 {
            header,
            block1_hash,
            cert_block,
            signature: &block0[block0_len - sig_len..],
            signed_part: &block0[..block0_len - sig_len],
        })
    }

    /// The certificate block (RKHT entry, `rkth` when given, ISK signature) and the block-0
    /// signature.
    pub fn verify(&self, rkth: Option<&[u8]>) -> Result<Verified, Sb31Error> {
        let v = self.cert_block.verify(rkth)?;
        let isk = self.cert_block.isk.is_some();
        v.signing_key
            .verify(self.signed_part, self.signature, v.signing_curve.scheme())
            .map_err(|_| Sb31Error::Block0Signature(if isk { "ISK" } else { "root" }))?;
        Ok(Verified {
            rkth: v.rkth,
            signer_curve: v.signing_curve,
            isk,
        })
    }
}

impl<'a> Container<'a> {
    /// Checks the structure of `file` (see the module doc). No crypto runs.
    pub fn decode(file: &'a [u8]) -> Result<Container<'a>, Sb31Error> {
        let mut r = Reader::new(file);
        let header = Header::decode(&mut r)?;
        let expected_len = u64::from(header.block0_len)
            + u64::from(header.block_count) * u64::from(header.block_size);
        if (file.len() as u64) < expected_len {
            return Err(truncated(
                "SB3.1 file (block 0 length + block count x block size)",
                file.len(),
                expected_len - file.len() as u64,
                0,
            )
            .into());
        }
        if (file.len() as u64) > expected_len {
            return Err(DecodeError {
                what: "SB3.1 file",
                offset: expected_len as usize,
                kind: DecodeErrorKind::TrailingBytes(file.len() - expected_len as usize),
            }
            .into());
        }
        let block0_len = header.block0_len as usize;
        let b0 = Block0::decode(&file[..block0_len])?;
        let bs = header.block_size as usize;
        let blocks = file[block0_len..].chunks_exact(bs).collect();
        Ok(Container {
            header: b0.header,
            block1_hash: b0.block1_hash,
            cert_block: b0.cert_block,
            signature: b0.signature,
            signed_part: b0.signed_part,
            blocks,
        })
    }

    /// Checks what the ROM checks before decrypting: the certificate block (RKHT entry,
    /// `rkth` when given, ISK signature), the block-0 signature and the hash chain.
    pub fn verify(&self, rkth: Option<&[u8]>) -> Result<Verified, Sb31Error> {
        let v = Block0 {
            header: self.header.clone(),
            block1_hash: self.block1_hash,
            cert_block: self.cert_block.clone(),
            signature: self.signature,
            signed_part: self.signed_part,
        }
        .verify(rkth)?;
        let mut chain = BlockChain::new(&self.header, self.block1_hash, None);
        for b in &self.blocks {
            chain.check(b)?;
        }
        chain.finish()?;
        Ok(v)
    }

    /// Follows the chain and decrypts every block with keys derived from `kek` (None: the
    /// blocks are stored in plaintext, SPSDK's `isEncrypted: false`). Returns the
    /// concatenated plaintext (section header, commands, padding).
    pub fn decrypt(
        &self,
        kek: Option<&[u8]>,
        kdk_access_rights: u8,
    ) -> Result<Zeroizing<Vec<u8>>, Sb31Error> {
        let kdf = match kek {
            Some(k) => Some(Sb31Kdf::new(
                k,
                self.header.timestamp,
                kdk_access_rights,
                self.header.key_bits(),
            )?),
            None => None,
        };
        let mut chain = BlockChain::new(&self.header, self.block1_hash, kdf);
        let mut out = Zeroizing::new(Vec::with_capacity(self.blocks.len() * CHUNK));
        for b in &self.blocks {
            out.extend_from_slice(&chain.next(b)?);
        }
        chain.finish()?;
        Ok(out)
    }

    /// [`Container::decrypt`] and decode the commands. A plaintext that does not start
    /// with a section header is [`Sb31Error::WrongKey`].
    pub fn commands(
        &self,
        kek: Option<&[u8]>,
        kdk_access_rights: u8,
    ) -> Result<Vec<Command>, Sb31Error> {
        let plain = self.decrypt(kek, kdk_access_rights)?;
        decode_plaintext(&plain)
    }
}

/// Decodes the plaintext of all blocks.
pub fn decode_plaintext(plain: &[u8]) -> Result<Vec<Command>, Sb31Error> {
    let mut r = Reader::new(plain);
    command::decode_section_header(&mut r).map_err(Sb31Error::WrongKey)?;
    command::decode_section(plain).map_err(Sb31Error::Commands)
}

/// The data-block chain, block by block (what a streaming ROM does): check the number and
/// hash of each block against what its predecessor announced, then decrypt it.
pub struct BlockChain {
    hash: HashAlg,
    hash_len: usize,
    block_size: usize,
    expected: Vec<u8>,
    next_number: u32,
    count: u32,
    kdf: Option<Sb31Kdf>,
}

impl BlockChain {
    /// Starts at block 1 with the hash from block 0. `kdf` None: plaintext blocks.
    pub fn new(header: &Header, block1_hash: &[u8], kdf: Option<Sb31Kdf>) -> BlockChain {
        BlockChain {
            hash: header.hash(),
            hash_len: header.hash_len(),
            block_size: header.block_size as usize,
            expected: block1_hash.to_vec(),
            next_number: 1,
            count: header.block_count,
            kdf,
        }
    }

    /// Number of the next block expected.
    pub fn next_number(&self) -> u32 {
        self.next_number
    }

    /// Size of one stored block.
    pub fn block_size(&self) -> usize {
        self.block_size
    }

    /// True when every block has been taken.
    pub fn done(&self) -> bool {
        self.next_number > self.count
    }

    /// Checks one stored block (number and hash) and advances, without decrypting.
    pub fn check(&mut self, block: &[u8]) -> Result<(), Sb31Error> {
        let k = self.next_number;
        if block.len() != self.block_size || k > self.count {
            return Err(DecodeError::invalid(
                "data block",
                0,
                format!(
                    "block {k}: {} bytes, expected {}",
                    block.len(),
                    self.block_size
                ),
            )
            .into());
        }
        if self.hash.digest(block) != self.expected {
            return Err(Sb31Error::BlockHash(k));
        }
        let number = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        if number != k {
            return Err(Sb31Error::BlockNumber {
                expected: k,
                found: number,
            });
        }
        let next = &block[4..4 + self.hash_len];
        if k == self.count && next.iter().any(|&b| b != 0) {
            return Err(Sb31Error::LastHashNotZero(k));
        }
        self.expected = next.to_vec();
        self.next_number += 1;
        Ok(())
    }

    /// Checks one stored block and returns its 256 plaintext bytes.
    pub fn next(&mut self, block: &[u8]) -> Result<Zeroizing<Vec<u8>>, Sb31Error> {
        let k = self.next_number;
        self.check(block)?;
        let mut payload = Zeroizing::new(block[4 + self.hash_len..].to_vec());
        if let Some(kdf) = &self.kdf {
            let key = kdf.block_key(k)?;
            let aes = Aes::new(&key).map_err(|_| KdfError::KeyLength(key.len()))?;
            aes.cbc_decrypt(&[0; 16], &mut payload)
                .map_err(|_| Sb31Error::Build("data block payload is not whole AES blocks"))?;
        }
        Ok(payload)
    }

    /// Fails unless every block was taken.
    pub fn finish(&self) -> Result<(), Sb31Error> {
        if self.done() {
            Ok(())
        } else {
            Err(truncated(
                "data blocks",
                0,
                u64::from(self.count - self.next_number + 1) * self.block_size as u64,
                0,
            )
            .into())
        }
    }
}

/// Everything an SB3.1 file is built from.
pub struct Sb31Builder<'a> {
    /// The certificate block (built from YAML or taken from a binary).
    pub cert_block: CertBlockV21,
    /// Signs block 0: the ISK private key if the block has an ISK, else the root key.
    pub signer: &'a dyn Signer,
    /// The SB KEK (PCK), 16 or 32 bytes; None stores plaintext blocks (test files only).
    pub kek: Option<&'a [u8]>,
    /// kdkAccessRights (0..3), not stored in the file.
    pub kdk_access_rights: u8,
    /// Header timestamp (seconds since 2000-01-01 UTC), also the KDK label.
    pub timestamp: u64,
    /// `firmwareVersion`.
    pub firmware_version: u32,
    /// `description` (ASCII, at most 16 bytes).
    pub description: Vec<u8>,
    /// `containerConfigurationWord`.
    pub flags: u32,
    /// 6 or 7 (`isNxpContainer`).
    pub image_type: u32,
    /// The commands.
    pub commands: Vec<Command>,
}

impl Sb31Builder<'_> {
    /// Builds the file.
    pub fn build(&self) -> Result<Vec<u8>, Sb31Error> {
        let cb = &self.cert_block;
        let curve = cb.signing_curve();
        let who = if cb.isk.is_some() { "ISK" } else { "root" };
        let expected_key = match &cb.isk {
            Some(isk) => isk.key()?,
            None => cb.root_key()?,
        };
        if self.signer.public_key()? != expected_key {
            return Err(Sb31Error::SignerMismatch(who));
        }
        if self.description.len() > 16 {
            return Err(Sb31Error::Build("description is longer than 16 bytes"));
        }
        if self.image_type != IMAGE_TYPE_NORMAL && self.image_type != IMAGE_TYPE_NXP {
            return Err(Sb31Error::Build("image type must be 6 or 7"));
        }
        let hash = curve.hash();
        let h = curve.hash_len();
        let bits = if h == 48 { 256 } else { 128 };
        let block_size = 4 + h + CHUNK;

        let section_len = command::SECTION_HEADER_LEN
            + self
                .commands
                .iter()
                .map(Command::encoded_len)
                .sum::<usize>();
        let n = section_len.div_ceil(CHUNK).max(1);
        let block_count = u32::try_from(n).map_err(|_| Sb31Error::Build("too many data blocks"))?;
        let cert = cb.encode();
        let sig_len = curve.point_len();
        let cert_off = HEADER_LEN + h;
        let block0_len = cert_off + cert.len() + sig_len;

        let kdf = match self.kek {
            Some(k) => Some(Sb31Kdf::new(
                k,
                self.timestamp,
                self.kdk_access_rights,
                bits,
            )?),
            None => None,
        };
        // One buffer for the whole file: the plaintext is encoded where the data blocks go,
        // then each 256-byte chunk moves up into its block (last first: a chunk's block lies
        // above the chunks not yet moved).
        let mut w = Writer::with_capacity(block0_len + n * block_size);
        w.bytes(&vec![0u8; block0_len]);
        command::encode_section_into(&self.commands, &mut w);
        let mut out = w.into_vec();
        out.resize(block0_len + n * block_size, 0);
        let (head, data) = out.split_at_mut(block0_len);
        for k in (1..=n).rev() {
            let from = (k - 1) * CHUNK;
            let to = (k * CHUNK).min(section_len);
            let dst = (k - 1) * block_size + 4 + h;
            // The tail of a partial last chunk lands above the plaintext: already zero.
            data.copy_within(from..to.max(from), dst);
            data[(k - 1) * block_size..(k - 1) * block_size + 4]
                .copy_from_slice(&(k as u32).to_le_bytes());
        }
        // Encryption: every block has its own key, so blocks are independent (threads).
        if let Some(kdf) = &kdf {
            encrypt_blocks(kdf, data, block_size, h)?;
        }
        // The hash chain, from the last block to the first.
        let mut next_hash = vec![0u8; h];
        for k in (1..=n).rev() {
            let blk = &mut data[(k - 1) * block_size..k * block_size];
            blk[4..4 + h].copy_from_slice(&next_hash);
            next_hash = hash.digest(blk);
        }

        let mut description = [0u8; 16];
        description[..self.description.len()].copy_from_slice(&self.description);
        let header = Header {
            flags: self.flags,
            block_count,
            block_size: block_size as u32,
            timestamp: self.timestamp,
            firmware_version: self.firmware_version,
            block0_len: block0_len as u32,
            image_type: self.image_type,
            cert_block_offset: cert_off as u32,
            description,
        };
        head[..HEADER_LEN].copy_from_slice(&header.encode());
        head[HEADER_LEN..cert_off].copy_from_slice(&next_hash);
        head[cert_off..cert_off + cert.len()].copy_from_slice(&cert);
        let signed = &head[..block0_len - sig_len];
        let sig = self.signer.sign(signed, curve.scheme())?;
        if sig.len() != sig_len {
            return Err(Sb31Error::SignatureLength {
                len: sig.len(),
                expected: sig_len,
            });
        }
        expected_key
            .verify(signed, &sig, curve.scheme())
            .map_err(|_| Sb31Error::Block0Signature(who))?;
        head[block0_len - sig_len..].copy_from_slice(&sig);
        Ok(out)
    }
}

/// Encrypts the payload of every block in `data` (blocks of `block_size`, payload after
/// 4 + `h` bytes), spreading the blocks over the available cores.
fn encrypt_blocks(
    kdf: &Sb31Kdf,
    data: &mut [u8],
    block_size: usize,
    h: usize,
) -> Result<(), Sb31Error> {
    let n = data.len() / block_size;
    let run = |first: usize, part: &mut [u8]| -> Result<(), Sb31Error> {
        for (i, blk) in part.chunks_exact_mut(block_size).enumerate() {
            let key = kdf.block_key((first + i + 1) as u32)?;
            crate::crypto::aes::cbc_encrypt_zero_iv(&key, &mut blk[4 + h..])
                .map_err(|_| Sb31Error::Build("payload is not whole AES blocks"))?;
        }
        Ok(())
    };
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1)
        .clamp(1, 8);
    if threads == 1 || n < 64 {
        return run(0, data);
    }
    let per = n.div_ceil(threads);
    std::thread::scope(|sc| {
        let mut handles = Vec::new();
        for (t, part) in data.chunks_mut(per * block_size).enumerate() {
            let run = &run;
            handles.push(sc.spawn(move || run(t * per, part)));
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or(Err(Sb31Error::Build("encryption thread failed")))
            })
            .collect::<Result<Vec<()>, _>>()
            .map(|_| ())
    })
}

/// Seconds since 2000-01-01T00:00:00Z now (SPSDK's default timestamp).
pub fn now_timestamp() -> u64 {
    const Y2K_UNIX: u64 = 946_684_800;
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs().saturating_sub(Y2K_UNIX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
