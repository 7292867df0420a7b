//! Programming a flash image through a debug probe, then reading both parts back.
//!
//! The bytes come from [`Image::parts`], i.e. from the very image `flash --dry-run` writes: a
//! real flash programs the firmware part and the blob part of it (the 0xFF padding between them
//! is not programmed) and then compares what it reads back with the same slices. The probe is
//! behind [`FlashTarget`] so that this path is tested without hardware (`tests` below, an
//! in-memory flash); `hil::probe` implements it with probe-rs (cargo feature `probe`).

use super::image::Image;
use super::HilError;
use controller::blob::crc32;

#[cfg(test)]
#[path = "../../tests/support/elf.rs"]
pub(crate) mod test_elf;

/// A flash that can be programmed and read back.
pub trait FlashTarget {
    /// Erases the sectors the chunks touch and programs each chunk at its address.
    fn program(&mut self, chunks: &[(u32, &[u8])]) -> Result<(), HilError>;
    /// Reads `out.len()` bytes from `addr`.
    fn read(&mut self, addr: u32, out: &mut [u8]) -> Result<(), HilError>;
}

/// One part written and read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub name: &'static str,
    pub addr: u32,
    pub len: usize,
    /// CRC-32 (the blob header's CRC) of the bytes written, equal to that of the bytes read back.
    pub crc: u32,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<8} 0x{:08x}..0x{:08x} {:>7} B  CRC-32 0x{:08x}  read back: equal",
            self.name,
            self.addr,
            u64::from(self.addr) + self.len as u64,
            self.len,
            self.crc
        )
    }
}

/// Programs the firmware and blob parts of `img` and verifies them by reading them back.
pub fn write_and_verify(t: &mut dyn FlashTarget, img: &Image) -> Result<Vec<Written>, HilError> {
    let parts = img.parts();
    let chunks: Vec<(u32, &[u8])> = parts
        .iter()
        .filter(|p| !p.range.is_empty())
        .map(|p| (p.addr, &img.bytes[p.range.clone()]))
        .collect();
    t.program(&chunks)?;
    let mut out = Vec::new();
    for p in parts.iter().filter(|p| !p.range.is_empty()) {
        let want = &img.bytes[p.range.clone()];
        let mut got = vec![0u8; want.len()];
        t.read(p.addr, &mut got)?;
        if let Some(i) = want.iter().zip(&got).position(|(a, b)| a != b) {
            let bad = want.iter().zip(&got).filter(|(a, b)| a != b).count();
            return Err(HilError::Probe(format!(
                "verify failed: the {} read back differs at 0x{:08x} (wrote 0x{:02x}, read 0x{:02x}; {bad} of {} B differ, CRC-32 0x{:08x} written, 0x{:08x} read); \
                 check that the flash is not write-protected (option bytes) and flash again",
                p.name,
                u64::from(p.addr) + i as u64,
                want[i],
                got[i],
                want.len(),
                crc32(want),
                crc32(&got)
            )));
        }
        out.push(Written {
            name: p.name,
            addr: p.addr,
            len: want.len(),
            crc: crc32(want),
        });
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::test_elf as elf;
    use super::*;
    use crate::hil::image::FirmwareElf;

    /// NOR flash in memory: `program` erases whole sectors (to 0xFF) then writes; reads are
    /// plain. `flip` corrupts the byte at that address after programming (a failing write).
    pub struct MemFlash {
        pub base: u32,
        pub sector: usize,
        pub mem: Vec<u8>,
        pub flip: Option<u32>,
        pub erased_sectors: Vec<usize>,
    }

    impl MemFlash {
        pub fn new(base: u32, len: usize, sector: usize, fill: u8) -> Self {
            Self {
                base,
                sector,
                mem: vec![fill; len],
                flip: None,
                erased_sectors: Vec::new(),
            }
        }
        fn off(&self, addr: u32, len: usize) -> Result<usize, HilError> {
            let o = addr.checked_sub(self.base).map(|o| o as usize);
            match o {
                Some(o) if o + len <= self.mem.len() => Ok(o),
                _ => Err(HilError::Probe(format!(
                    "0x{addr:08x} +{len} outside flash"
                ))),
            }
        }
    }

    impl FlashTarget for MemFlash {
        fn program(&mut self, chunks: &[(u32, &[u8])]) -> Result<(), HilError> {
            for (addr, data) in chunks {
                let o = self.off(*addr, data.len())?;
                for s in o / self.sector..=(o + data.len() - 1) / self.sector {
                    if !self.erased_sectors.contains(&s) {
                        self.erased_sectors.push(s);
                        self.mem[s * self.sector..(s + 1) * self.sector].fill(0xFF);
                    }
                }
            }
            for (addr, data) in chunks {
                let o = self.off(*addr, data.len())?;
                self.mem[o..o + data.len()].copy_from_slice(data);
            }
            if let Some(a) = self.flip {
                let o = self.off(a, 1)?;
                self.mem[o] ^= 0x10;
            }
            Ok(())
        }
        fn read(&mut self, addr: u32, out: &mut [u8]) -> Result<(), HilError> {
            let o = self.off(addr, out.len())?;
            out.copy_from_slice(&self.mem[o..o + out.len()]);
            Ok(())
        }
    }

    /// A firmware like the STM32 build: code at 0x0800_0000, .data after it, PARAMS at
    /// 0x080E_0000 (128 KiB), 16 KiB sectors in this model.
    pub fn stm32_like() -> FirmwareElf {
        let text: Vec<u8> = (0..3000u32).map(|i| (i * 7 + 3) as u8).collect();
        let data: Vec<u8> = (0..200u32).map(|i| (i * 13) as u8).collect();
        let bytes = elf::firmware_elf(
            &[(0x0800_0000, &text), (0x0800_0C00, &data)],
            (0x080E_0000, 0x0810_0000),
            &[
                ("_SEGGER_RTT", 0x2000_0000),
                ("MYOREFLEX_LINK", 0x2000_0400),
            ],
        );
        match FirmwareElf::parse(bytes) {
            Ok(e) => e,
            Err(e) => panic!("synthetic ELF refused: {e}"),
        }
    }

    fn blob() -> Vec<u8> {
        let mut b = controller::blob::MAGIC.to_vec();
        b.extend((0..120u32).map(|i| (i * 31 + 5) as u8));
        b
    }

    #[test]
    fn a_flashed_chip_holds_the_dry_run_image_byte_for_byte() {
        let elf = stm32_like();
        assert_eq!(elf.symbols.get("_SEGGER_RTT"), Some(&0x2000_0000));
        let img = match elf.image(&blob()) {
            Ok(i) => i,
            Err(e) => panic!("{e}"),
        };
        // an erased chip: every byte of the image range, padding included, equals the dry run
        let mut chip = MemFlash::new(0x0800_0000, 1 << 20, 16 << 10, 0xFF);
        let w = match write_and_verify(&mut chip, &img) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(&chip.mem[..img.bytes.len()], &img.bytes[..]);
        assert_eq!(w.len(), 2);
        assert_eq!(
            (w[0].name, w[0].addr, w[0].len),
            ("firmware", 0x0800_0000, 0xC00 + 200)
        );
        assert_eq!(
            (w[1].name, w[1].addr, w[1].len),
            ("blob", 0x080E_0000, blob().len())
        );
        assert_eq!(w[1].crc, crc32(&blob()));
        assert_eq!(w[0].crc, crc32(&img.bytes[..0xC00 + 200]));
        // the 0xFF padding between firmware and blob was not programmed: only the sectors of
        // the two parts were erased
        assert_eq!(chip.erased_sectors, vec![0, (0xE0000 / (16 << 10))]);
        // an old chip: old code in sectors the image does not touch stays (documented)
        let mut old = MemFlash::new(0x0800_0000, 1 << 20, 16 << 10, 0xA5);
        assert!(write_and_verify(&mut old, &img).is_ok());
        assert_eq!(&old.mem[..0xC00 + 200], &img.bytes[..0xC00 + 200]);
        assert_eq!(&old.mem[0xE0000..0xE0000 + blob().len()], &blob()[..]);
        assert_eq!(old.mem[0x4000], 0xA5);
    }

    #[test]
    fn images_that_cannot_be_flash_images_are_refused_with_a_reason() {
        let img = |segments: &[(u32, &[u8])], params: (u32, u32), blob: &[u8]| {
            FirmwareElf::parse(elf::firmware_elf(segments, params, &[]))
                .map_err(|e| e.to_string())
                .and_then(|e| e.image(blob).map(|_| ()).map_err(|e| e.to_string()))
                .err()
                .unwrap_or_default()
        };
        let e = img(&[(0, &[1, 2])], (0x8000_0000, 0x8000_1000), &blob());
        assert!(e.contains("2048 MiB above the lowest segment"), "{e}");
        let e = img(&[(0xFFFF_FFF0, &[1; 32])], (0x100, 0x200), &blob());
        assert!(e.contains("is not in flash below the PARAMS region"), "{e}");
        let e = img(&[(0, &[1; 32])], (0x100, 0x110), &blob());
        assert!(e.contains("does not fit the PARAMS region (16 B)"), "{e}");
        let e = img(&[(0, &[1; 32])], (0x200, 0x100), &blob());
        assert!(
            e.contains("__params_end 0x00000100 is below __params_start"),
            "{e}"
        );
    }

    #[test]
    fn a_bad_write_is_caught_by_the_read_back_and_named() {
        let elf = stm32_like();
        let img = match elf.image(&blob()) {
            Ok(i) => i,
            Err(e) => panic!("{e}"),
        };
        let mut chip = MemFlash::new(0x0800_0000, 1 << 20, 16 << 10, 0xFF);
        chip.flip = Some(0x080E_0010);
        let e = write_and_verify(&mut chip, &img)
            .err()
            .map(|e| e.to_string());
        let e = e.unwrap_or_default();
        assert!(
            e.contains("verify failed: the blob read back differs at 0x080e0010"),
            "{e}"
        );
        let mut chip = MemFlash::new(0x0800_0000, 1 << 20, 16 << 10, 0xFF);
        chip.flip = Some(0x0800_0003);
        let e = write_and_verify(&mut chip, &img)
            .err()
            .map(|e| e.to_string());
        assert!(e
            .unwrap_or_default()
            .contains("the firmware read back differs at 0x08000003"));
    }
}
