//! The fixed little-endian header, checked before any payload byte is decoded.
//!
//! | offset | field | type |
//! |---|---|---|
//! | 0 | magic `b"MYOX"` | 4 bytes |
//! | 4 | header_version | u16 LE |
//! | 6 | payload_kind | u16 LE |
//! | 8 | payload_len | u32 LE |
//! | 12 | device_class | u16 LE |
//! | 14 | spline_convention | u16 LE |
//! | 16 | payload_crc32 | u32 LE (CRC-32/ISO-HDLC of the payload) |
//! | 20 | header_crc32 | u32 LE (CRC-32/ISO-HDLC of bytes 0..20) |
//! | 24 | payload | postcard, `payload_len` bytes |

use super::crc32::crc32;

/// First bytes of every blob.
pub const MAGIC: [u8; 4] = *b"MYOX";
/// The header layout this code reads and writes.
pub const HEADER_VERSION: u16 = 1;
/// Size of the header in bytes.
pub const HEADER_LEN: usize = 24;

/// The header fields as read (not yet checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Magic bytes.
    pub magic: [u8; 4],
    /// Header layout version.
    pub header_version: u16,
    /// Payload kind code.
    pub payload_kind: u16,
    /// Payload length in bytes.
    pub payload_len: u32,
    /// Device class code.
    pub device_class: u16,
    /// Spline convention code.
    pub spline_convention: u16,
    /// CRC-32 of the payload.
    pub payload_crc: u32,
    /// CRC-32 of header bytes 0..20.
    pub header_crc: u32,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl Header {
    /// Reads the fields of the first [`HEADER_LEN`] bytes without checking them; `None` if
    /// there are fewer bytes.
    pub fn read(b: &[u8]) -> Option<Self> {
        let b = b.get(..HEADER_LEN)?;
        Some(Self {
            magic: [b[0], b[1], b[2], b[3]],
            header_version: u16_at(b, 4),
            payload_kind: u16_at(b, 6),
            payload_len: u32_at(b, 8),
            device_class: u16_at(b, 12),
            spline_convention: u16_at(b, 14),
            payload_crc: u32_at(b, 16),
            header_crc: u32_at(b, 20),
        })
    }

    /// The little-endian bytes, with `header_crc` recomputed.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..4].copy_from_slice(&self.magic);
        b[4..6].copy_from_slice(&self.header_version.to_le_bytes());
        b[6..8].copy_from_slice(&self.payload_kind.to_le_bytes());
        b[8..12].copy_from_slice(&self.payload_len.to_le_bytes());
        b[12..14].copy_from_slice(&self.device_class.to_le_bytes());
        b[14..16].copy_from_slice(&self.spline_convention.to_le_bytes());
        b[16..20].copy_from_slice(&self.payload_crc.to_le_bytes());
        let crc = crc32(&b[..20]);
        b[20..24].copy_from_slice(&crc.to_le_bytes());
        b
    }

    /// CRC-32 of header bytes 0..20 as they are in `b` (at least [`HEADER_LEN`] bytes).
    pub fn computed_crc(b: &[u8]) -> u32 {
        crc32(&b[..20])
    }
}
