//! The exact bytes `myoreflex flash` writes: the firmware's loadable segments at their flash
//! (load) addresses and the parameter blob at the start of the firmware's PARAMS region, as one
//! flat binary from the lowest flash address to the end of the blob; gaps are 0xFF (erased
//! flash). QEMU boots this same file (`-kernel IMAGE`, a raw image loaded at address 0).

use super::HilError;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// What the host needs from a firmware ELF (32-bit little-endian ARM).
pub struct FirmwareElf {
    /// Loadable segments with file bytes: (load address, bytes).
    pub segments: Vec<(u32, Vec<u8>)>,
    /// `[__params_start, __params_end)` of the linker script.
    pub params: (u32, u32),
    /// Every named symbol of the symbol table (name -> value), e.g. `_SEGGER_RTT`.
    pub symbols: BTreeMap<String, u32>,
    /// The whole file (the defmt decoder reads its table).
    pub bytes: Vec<u8>,
}

/// A flash image.
pub struct Image {
    /// Flash address of byte 0.
    pub base: u32,
    pub bytes: Vec<u8>,
    /// Where the blob starts and how long it is.
    pub blob_at: u32,
    pub blob_len: usize,
    /// The part of `bytes` that holds the firmware: from byte 0 to the end of its last segment
    /// (gaps between segments are 0xFF, as in the image). The rest up to the blob is only
    /// 0xFF padding, which a probe does not program.
    pub firmware_len: usize,
}

/// One part of an image that a probe programs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub name: &'static str,
    /// Flash address of the first byte.
    pub addr: u32,
    /// The bytes of the image it covers.
    pub range: Range<usize>,
}

impl Image {
    /// What a probe programs: the firmware bytes and the blob, both slices of `bytes` (so a real
    /// flash writes exactly what `flash --dry-run` writes, except the 0xFF padding between them).
    pub fn parts(&self) -> [Part; 2] {
        let blob_off = (self.blob_at - self.base) as usize;
        [
            Part {
                name: "firmware",
                addr: self.base,
                range: 0..self.firmware_len,
            },
            Part {
                name: "blob",
                addr: self.blob_at,
                range: blob_off..blob_off + self.blob_len,
            },
        ]
    }

    /// Last flash address + 1.
    pub fn end(&self) -> u64 {
        u64::from(self.base) + self.bytes.len() as u64
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl FirmwareElf {
    pub fn read(path: &Path) -> Result<Self, HilError> {
        let bytes = std::fs::read(path)
            .map_err(|e| HilError::Firmware(format!("cannot read {}: {e}", path.display())))?;
        Self::parse(bytes).map_err(|why| HilError::Firmware(format!("{}: {why}", path.display())))
    }

    pub fn parse(bytes: Vec<u8>) -> Result<Self, String> {
        let b = &bytes[..];
        if b.get(..4) != Some(b"\x7fELF") || b.get(4) != Some(&1) || b.get(5) != Some(&1) {
            return Err("not a 32-bit little-endian ELF (pass the firmware ELF, e.g. firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-qemu)".into());
        }
        let bad = || "truncated ELF headers".to_string();
        let phoff = u32_at(b, 0x1C).ok_or_else(bad)? as usize;
        let shoff = u32_at(b, 0x20).ok_or_else(bad)? as usize;
        let phnum = u16_at(b, 0x2C).ok_or_else(bad)? as usize;
        let shnum = u16_at(b, 0x30).ok_or_else(bad)? as usize;
        let mut segments = Vec::new();
        for i in 0..phnum {
            let h = phoff + 32 * i;
            let (kind, off, paddr, filesz) = (
                u32_at(b, h).ok_or_else(bad)?,
                u32_at(b, h + 4).ok_or_else(bad)?,
                u32_at(b, h + 12).ok_or_else(bad)?,
                u32_at(b, h + 16).ok_or_else(bad)?,
            );
            if kind == 1 && filesz > 0 {
                let data = b
                    .get(off as usize..off as usize + filesz as usize)
                    .ok_or_else(bad)?;
                segments.push((paddr, data.to_vec()));
            }
        }
        let mut symbols = BTreeMap::new();
        for i in 0..shnum {
            let h = shoff + 40 * i;
            if u32_at(b, h + 4) != Some(2) {
                continue;
            }
            let (off, size, link) = (
                u32_at(b, h + 16).ok_or_else(bad)? as usize,
                u32_at(b, h + 20).ok_or_else(bad)? as usize,
                u32_at(b, h + 24).ok_or_else(bad)? as usize,
            );
            let sh = shoff + 40 * link;
            let stroff = u32_at(b, sh + 16).ok_or_else(bad)? as usize;
            for s in (off..off + size).step_by(16) {
                let name_at = stroff + u32_at(b, s).ok_or_else(bad)? as usize;
                let name = b
                    .get(name_at..)
                    .and_then(|n| n.split(|&c| c == 0).next())
                    .unwrap_or(&[]);
                let value = u32_at(b, s + 4).ok_or_else(bad)?;
                if let Ok(name) = std::str::from_utf8(name) {
                    if !name.is_empty() {
                        symbols.insert(name.to_string(), value);
                    }
                }
            }
        }
        let (Some(&s), Some(&e)) = (symbols.get("__params_start"), symbols.get("__params_end"))
        else {
            return Err(
                "no __params_start/__params_end symbols (not a myoreflex firmware, or stripped)"
                    .into(),
            );
        };
        if segments.is_empty() {
            return Err("no loadable segment".into());
        }
        if e < s {
            return Err(format!(
                "__params_end 0x{e:08x} is below __params_start 0x{s:08x} (check memory/params.x)"
            ));
        }
        Ok(Self {
            segments,
            params: (s, e),
            symbols,
            bytes,
        })
    }

    /// The image with `blob` in the PARAMS region.
    pub fn image(&self, blob: &[u8]) -> Result<Image, HilError> {
        let (ps, pe) = self.params;
        if blob.len() > (pe - ps) as usize {
            return Err(HilError::Firmware(format!(
                "the blob ({} B) does not fit the PARAMS region ({} B)",
                blob.len(),
                pe - ps
            )));
        }
        let base = self.segments.iter().map(|s| s.0).min().unwrap_or(0);
        for (at, data) in &self.segments {
            if *at < base || u64::from(*at) + data.len() as u64 > u64::from(ps) {
                return Err(HilError::Firmware(format!("segment at 0x{at:08x} ({} B) is not in flash below the PARAMS region at 0x{ps:08x}", data.len())));
            }
        }
        if ps - base > 64 << 20 {
            return Err(HilError::Firmware(format!(
                "__params_start 0x{ps:08x} is {} MiB above the lowest segment 0x{base:08x}: not a microcontroller firmware image",
                (ps - base) >> 20
            )));
        }
        let mut bytes = vec![0xFF; (ps - base) as usize + blob.len()];
        let mut firmware_len = 0;
        for (at, data) in &self.segments {
            let o = (at - base) as usize;
            bytes[o..o + data.len()].copy_from_slice(data);
            firmware_len = firmware_len.max(o + data.len());
        }
        bytes[(ps - base) as usize..].copy_from_slice(blob);
        Ok(Image {
            base,
            bytes,
            blob_at: ps,
            blob_len: blob.len(),
            firmware_len,
        })
    }
}
