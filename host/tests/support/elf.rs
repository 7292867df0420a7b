//! A minimal 32-bit little-endian ARM ELF for tests that need a firmware file without building
//! the firmware: loadable segments, `__params_start`/`__params_end` and any extra symbols.
//! (Used by host/tests/flash_cli.rs and, through `#[path]`, by the unit tests of host::hil.)

/// The ELF bytes: `segments` as PT_LOAD (load address, bytes), the PARAMS region
/// `[params.0, params.1)` and `extra` symbols in the symbol table.
pub fn firmware_elf(
    segments: &[(u32, &[u8])],
    params: (u32, u32),
    extra: &[(&str, u32)],
) -> Vec<u8> {
    let mut syms: Vec<(&str, u32)> = vec![("__params_start", params.0), ("__params_end", params.1)];
    syms.extend_from_slice(extra);
    let phoff = 52usize;
    let mut data_off = phoff + 32 * segments.len();
    let mut out = vec![0u8; data_off];
    // segment bytes
    let mut seg_offs = Vec::new();
    for (_, bytes) in segments {
        seg_offs.push(data_off);
        out.extend_from_slice(bytes);
        data_off += bytes.len();
    }
    // string table
    let strtab_off = out.len();
    let mut names = Vec::new();
    out.push(0);
    for (name, _) in &syms {
        names.push((out.len() - strtab_off) as u32);
        out.extend_from_slice(name.as_bytes());
        out.push(0);
    }
    let strtab_len = out.len() - strtab_off;
    out.resize(out.len().next_multiple_of(4), 0);
    // symbol table: the null symbol, then one global symbol per name
    let symtab_off = out.len();
    out.extend_from_slice(&[0u8; 16]);
    for ((_, value), name) in syms.iter().zip(&names) {
        out.extend_from_slice(&name.to_le_bytes());
        out.extend_from_slice(&value.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&[0x10, 0]); // STB_GLOBAL, STT_NOTYPE
        out.extend_from_slice(&0xFFF1u16.to_le_bytes()); // SHN_ABS
    }
    let symtab_len = out.len() - symtab_off;
    // section headers: null, .symtab (links to 2), .strtab
    let shoff = out.len();
    let section =
        |out: &mut Vec<u8>, kind: u32, off: usize, size: usize, link: u32, entsize: u32| {
            for v in [0, kind, 0, 0, off as u32, size as u32, link, 0, 4, entsize] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        };
    out.extend_from_slice(&[0u8; 40]);
    section(&mut out, 2, symtab_off, symtab_len, 2, 16);
    section(&mut out, 3, strtab_off, strtab_len, 0, 0);
    // ELF header
    let mut h = Vec::new();
    h.extend_from_slice(b"\x7fELF\x01\x01\x01");
    h.resize(16, 0);
    h.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    h.extend_from_slice(&40u16.to_le_bytes()); // EM_ARM
    h.extend_from_slice(&1u32.to_le_bytes());
    h.extend_from_slice(&segments.first().map_or(0, |s| s.0).to_le_bytes()); // entry
    h.extend_from_slice(&(phoff as u32).to_le_bytes());
    h.extend_from_slice(&(shoff as u32).to_le_bytes());
    h.extend_from_slice(&0x0500_0400u32.to_le_bytes()); // EABI5, hard float
    for v in [52u16, 32, segments.len() as u16, 40, 3, 2] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    out[..52].copy_from_slice(&h);
    // program headers
    for (i, ((addr, bytes), off)) in segments.iter().zip(&seg_offs).enumerate() {
        let p = phoff + 32 * i;
        for (j, v) in [
            1u32,
            *off as u32,
            *addr,
            *addr,
            bytes.len() as u32,
            bytes.len() as u32,
            5,
            4,
        ]
        .iter()
        .enumerate()
        {
            out[p + 4 * j..p + 4 * j + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
    out
}
