//! The checksum algorithms S3 and the other services accept in `x-amz-checksum-*` headers, each with
//! an incremental hasher whose digest is the big-endian bytes the headers carry in base64.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha1::Digest;
use std::fmt;

/// One algorithm of the models' `ChecksumAlgorithm` enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Crc32,
    Crc32c,
    Crc64Nvme,
    Sha1,
    Sha256,
    Sha512,
    Md5,
    XxHash64,
    XxHash3,
    XxHash128,
}

impl Algorithm {
    /// Every algorithm, in the order botocore prefers them when it validates a response.
    pub const RESPONSE_PRIORITY: [Algorithm; 10] = [
        Algorithm::XxHash128,
        Algorithm::XxHash3,
        Algorithm::Crc64Nvme,
        Algorithm::XxHash64,
        Algorithm::Crc32c,
        Algorithm::Crc32,
        Algorithm::Sha1,
        Algorithm::Sha256,
        Algorithm::Sha512,
        Algorithm::Md5,
    ];

    /// The algorithm a model or user names (`CRC32`, `crc64nvme`), case-insensitively.
    pub fn parse(name: &str) -> Option<Algorithm> {
        Self::RESPONSE_PRIORITY.into_iter().find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// The model's name (`CRC64NVME`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Md5 => "MD5",
            Algorithm::XxHash64 => "XXHASH64",
            Algorithm::XxHash3 => "XXHASH3",
            Algorithm::XxHash128 => "XXHASH128",
        }
    }

    /// The header that carries it: `x-amz-checksum-crc64nvme`.
    pub fn header(self) -> String {
        format!("x-amz-checksum-{}", self.name().to_ascii_lowercase())
    }

    /// The S3 input and output member that carries it: `ChecksumCRC64NVME`.
    pub fn member(self) -> String {
        format!("Checksum{}", self.name())
    }

    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            Algorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => State::Crc32c(0),
            Algorithm::Crc64Nvme => State::Crc64Nvme(crc64fast_nvme::Digest::new()),
            Algorithm::Sha1 => State::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => State::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => State::Sha512(sha2::Sha512::new()),
            Algorithm::Md5 => State::Md5(md5::Md5::new()),
            Algorithm::XxHash64 => State::XxHash64(xxhash_rust::xxh64::Xxh64::new(0)),
            Algorithm::XxHash3 => State::XxHash3(Box::new(xxhash_rust::xxh3::Xxh3Default::new())),
            Algorithm::XxHash128 => State::XxHash128(Box::new(xxhash_rust::xxh3::Xxh3Default::new())),
        })
    }

    /// The base64 checksum of `data`, as the header carries it.
    pub fn base64(self, data: &[u8]) -> String {
        let mut h = self.hasher();
        h.update(data);
        h.finish_base64()
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

enum State {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Crc64Nvme(crc64fast_nvme::Digest),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
    Md5(md5::Md5),
    XxHash64(xxhash_rust::xxh64::Xxh64),
    XxHash3(Box<xxhash_rust::xxh3::Xxh3Default>),
    XxHash128(Box<xxhash_rust::xxh3::Xxh3Default>),
}

/// An incremental checksum: feed it pieces with [`Hasher::update`], then take the digest.
pub struct Hasher(State);

impl Hasher {
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Crc32(h) => h.update(data),
            State::Crc32c(c) => *c = crc32c::crc32c_append(*c, data),
            State::Crc64Nvme(h) => h.write(data),
            State::Sha1(h) => h.update(data),
            State::Sha256(h) => h.update(data),
            State::Sha512(h) => h.update(data),
            State::Md5(h) => h.update(data),
            State::XxHash64(h) => h.update(data),
            State::XxHash3(h) | State::XxHash128(h) => h.update(data),
        }
    }

    /// The digest, big-endian for the CRCs and the xxHashes (their canonical form).
    pub fn finish(self) -> Vec<u8> {
        match self.0 {
            State::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            State::Crc32c(c) => c.to_be_bytes().to_vec(),
            State::Crc64Nvme(h) => h.sum64().to_be_bytes().to_vec(),
            State::Sha1(h) => h.finalize().to_vec(),
            State::Sha256(h) => h.finalize().to_vec(),
            State::Sha512(h) => h.finalize().to_vec(),
            State::Md5(h) => h.finalize().to_vec(),
            State::XxHash64(h) => h.digest().to_be_bytes().to_vec(),
            State::XxHash3(h) => h.digest().to_be_bytes().to_vec(),
            State::XxHash128(h) => h.digest128().to_be_bytes().to_vec(),
        }
    }

    pub fn finish_base64(self) -> String {
        STANDARD.encode(self.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::Algorithm::{self, *};

    fn hex(a: Algorithm, data: &[u8]) -> String {
        let mut h = a.hasher();
        // In two pieces, to check the incremental path.
        let (x, y) = data.split_at(data.len() / 2);
        h.update(x);
        h.update(y);
        h.finish().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn published_check_values() {
        // The CRC catalogue's check values over "123456789".
        let check = b"123456789";
        assert_eq!(hex(Crc32, check), "cbf43926");
        assert_eq!(hex(Crc32c, check), "e3069283");
        assert_eq!(hex(Crc64Nvme, check), "ae8b14860a799888");
        // FIPS 180 and RFC 1321 examples.
        assert_eq!(hex(Sha1, b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(Sha256, b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            hex(Sha512, b"abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(hex(Md5, b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        // xxHash's reference values for the empty input (seed 0).
        assert_eq!(hex(XxHash64, b""), "ef46db3751d8e999");
        assert_eq!(hex(XxHash3, b""), "2d06800538d394c2");
        assert_eq!(hex(XxHash128, b""), "99aa06d3014798d86001c324468d497f");
    }

    #[test]
    fn base64_headers_and_names() {
        // The CRC32 of "hello" that botocore sends (`NhCmhg==`), and of nothing.
        assert_eq!(Crc32.base64(b"hello"), "NhCmhg==");
        assert_eq!(Crc32.base64(b""), "AAAAAA==");
        assert_eq!(Crc64Nvme.header(), "x-amz-checksum-crc64nvme");
        assert_eq!(Crc32c.member(), "ChecksumCRC32C");
        for a in Algorithm::RESPONSE_PRIORITY {
            assert_eq!(Algorithm::parse(&a.name().to_ascii_lowercase()), Some(a));
        }
        assert_eq!(Algorithm::parse("CRC16"), None);
    }
}
