//! The debug probe side of `flash` and `hil --link rtt`, with the probe-rs library (cargo
//! feature `probe`): chip lookup in probe-rs' built-in target list, probe selection, flash
//! programming ([`super::flash::FlashTarget`]) and the RTT link port ([`super::rtt::RttPort`]).

use super::flash::FlashTarget;
use super::image::{FirmwareElf, Image};
use super::rtt::{RttPort, LINK_CHANNEL, LOG_CHANNEL};
use super::HilError;
use controller::link::LINK_MAGIC;
use probe_rs::config::{MemoryRegion, Registry};
use probe_rs::flashing::DownloadOptions;
use probe_rs::probe::list::{Accessibility, Lister};
use probe_rs::probe::DebugProbeSelector;
use probe_rs::rtt::{ChannelMode, Rtt};
use probe_rs::{MemoryInterface, Permissions, Session, Target};
use std::time::{Duration, Instant};

/// The firmware's link-mode request word pair (`[controller::link::LINK_MAGIC, dt bits]`, in
/// `.uninit` RAM; see firmware/src/board/stm32f4.rs): written by the host while the core is
/// halted at reset.
pub const LINK_SYMBOL: &str = "MYOREFLEX_LINK";
/// The RTT control block symbol of rtt-target / defmt-rtt.
pub const RTT_SYMBOL: &str = "_SEGGER_RTT";

/// A chip of probe-rs' built-in list.
pub struct Chip {
    pub target: Target,
    /// Flash (NVM) address ranges, aliases left out.
    pub flash: Vec<std::ops::Range<u64>>,
}

/// Looks `name` up in probe-rs' built-in targets; unknown names get up to 6 close names.
pub fn chip(name: &str) -> Result<Chip, HilError> {
    let registry = Registry::from_builtin_families();
    match registry.get_target_by_name(name) {
        Ok(target) => {
            let flash = target
                .memory_map
                .iter()
                .filter_map(|r| match r {
                    MemoryRegion::Nvm(n) if !n.is_alias => Some(n.range.clone()),
                    _ => None,
                })
                .collect();
            Ok(Chip { target, flash })
        }
        Err(e) => {
            let names = registry
                .families()
                .iter()
                .flat_map(|f| f.variants.iter())
                .flat_map(|c| c.package_variants().cloned().collect::<Vec<_>>());
            let close = close_names(name, names, 6);
            Err(HilError::Probe(format!(
                "--chip {name}: {}{}",
                e.to_string().trim_end_matches('.'),
                if close.is_empty() {
                    String::new()
                } else {
                    format!("; close names: {}", close.join(", "))
                }
            )))
        }
    }
}

/// The names closest to `want` (case-insensitive): those containing it first, then by edit
/// distance (at most a third of its length).
pub fn close_names(want: &str, names: impl Iterator<Item = String>, n: usize) -> Vec<String> {
    let w = want.to_ascii_lowercase();
    let max = (w.len() / 3).max(1);
    let mut scored: Vec<(usize, String)> = names
        .filter_map(|name| {
            let l = name.to_ascii_lowercase();
            let d = if l.contains(&w) {
                0
            } else {
                let prefix: String = l.chars().take(w.chars().count()).collect();
                levenshtein(&w, &l).min(levenshtein(&w, &prefix) + 1)
            };
            (d <= max).then_some((d, name))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, s)| s).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Checks that the image lies in the chip's flash (a firmware built for another board does
/// not), before any probe is touched.
pub fn check_fits(chip: &Chip, img: &Image) -> Result<(), HilError> {
    let (lo, hi) = (u64::from(img.base), img.end());
    if chip.flash.iter().any(|r| r.start <= lo && hi <= r.end) {
        return Ok(());
    }
    let flash: Vec<String> = chip
        .flash
        .iter()
        .map(|r| format!("0x{:08x}..0x{:08x}", r.start, r.end))
        .collect();
    Err(HilError::Probe(format!(
        "the image 0x{lo:08x}..0x{hi:08x} is not in the flash of {} ({}): is the firmware built for this chip? (the STM32F405 build is myoreflex-fw-stm32f4)",
        chip.target.name,
        if flash.is_empty() { "none".into() } else { flash.join(", ") }
    )))
}

/// What probe-rs sees, one line per probe (an empty list: "none").
pub fn probe_list() -> String {
    let items = Lister::new().list_all_with_access();
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(|p| {
            let i = &p.info;
            format!(
                "[{} {:04x}:{:04x}{}{}]",
                i.identifier,
                i.vendor_id,
                i.product_id,
                i.serial_number
                    .as_ref()
                    .map_or(String::new(), |s| format!(":{s}")),
                if p.accessibility == Accessibility::PermissionDenied {
                    " no permission: install probe-rs' udev rules or run as root"
                } else {
                    ""
                }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Opens the first probe (or the one `selector` names, `VID:PID[:SERIAL]`) and attaches to
/// `chip`. Errors list what probe-rs sees.
pub fn attach(chip: &Chip, selector: Option<&str>) -> Result<Session, HilError> {
    let lister = Lister::new();
    let probe = match selector {
        Some(s) => {
            let sel: DebugProbeSelector = s.parse().map_err(|e| {
                HilError::Probe(format!(
                    "--probe {s}: {e} (want VID:PID[:SERIAL] in hex, e.g. 0483:3748)"
                ))
            })?;
            lister.open(sel).map_err(|e| {
                HilError::Probe(format!(
                    "cannot open the probe {s}: {e}; probe-rs sees: {}",
                    probe_list()
                ))
            })?
        }
        None => {
            let probes = lister.list_all();
            let Some(first) = probes.first() else {
                return Err(HilError::Probe(format!(
                    "no debug probe found (probe-rs sees: {}); connect an ST-Link, J-Link or CMSIS-DAP v2 probe to USB, or use --dry-run --out IMAGE",
                    probe_list()
                )));
            };
            first.open().map_err(|e| {
                HilError::Probe(format!(
                    "cannot open the probe {first}: {e}; probe-rs sees: {}",
                    probe_list()
                ))
            })?
        }
    };
    let name = probe.get_name();
    probe
        .attach(chip.target.clone(), Permissions::default())
        .map_err(|e| {
            HilError::Probe(format!(
                "{name}: cannot attach to {}: {e} (check the wiring, the target's power and --chip)",
                chip.target.name
            ))
        })
}

/// A probe-rs session as a [`FlashTarget`].
pub struct ProbeFlash<'a> {
    pub session: &'a mut Session,
}

fn err(what: &str, e: impl std::fmt::Display) -> HilError {
    HilError::Probe(format!("{what}: {e}"))
}

impl FlashTarget for ProbeFlash<'_> {
    fn program(&mut self, chunks: &[(u32, &[u8])]) -> Result<(), HilError> {
        let mut loader = self.session.target().flash_loader();
        for (addr, data) in chunks {
            loader
                .add_data(u64::from(*addr), data)
                .map_err(|e| err(&format!("0x{addr:08x} (+{} B)", data.len()), e))?;
        }
        // no `verify` option: `write_and_verify` reads both parts back and names the first
        // differing byte
        loader
            .commit(self.session, DownloadOptions::default())
            .map_err(|e| err("programming the flash", e))?;
        let mut core = self.session.core(0).map_err(|e| err("core 0", e))?;
        core.reset().map_err(|e| err("reset after flashing", e))
    }

    fn read(&mut self, addr: u32, out: &mut [u8]) -> Result<(), HilError> {
        let mut core = self.session.core(0).map_err(|e| err("core 0", e))?;
        core.read(u64::from(addr), out)
            .map_err(|e| err(&format!("reading 0x{addr:08x} (+{} B)", out.len()), e))
    }
}

/// The firmware's RTT link channels on a running target.
pub struct ProbeRtt {
    pub session: Session,
    rtt: Rtt,
    link_up: usize,
    link_down: usize,
    log_up: Option<usize>,
}

/// The firmware's link-mode request word and RTT control block addresses (ELF symbols):
/// checked before any probe is touched.
pub fn link_symbols(elf: &FirmwareElf) -> Result<(u32, u32), HilError> {
    let build = "build the STM32 firmware from this tree (cd firmware && cargo build --release --no-default-features --features board-stm32f4)";
    let Some(&request) = elf.symbols.get(LINK_SYMBOL) else {
        return Err(HilError::Firmware(format!(
            "no {LINK_SYMBOL} symbol: this firmware has no RTT link mode; {build}"
        )));
    };
    let Some(&cb) = elf.symbols.get(RTT_SYMBOL) else {
        return Err(HilError::Firmware(format!(
            "no {RTT_SYMBOL} symbol: this firmware has no RTT control block; {build}"
        )));
    };
    Ok((request, cb))
}

/// Resets the core into link mode (the request word at `request` written while it is halted at
/// the reset vector, control period `dt`), lets it run and attaches to its RTT control block
/// at `cb` (waiting up to `timeout` for the firmware to set it up).
pub fn start_link(
    mut session: Session,
    (request, cb): (u32, u32),
    dt: f32,
    timeout: Duration,
) -> Result<ProbeRtt, HilError> {
    let mut rtt = {
        let mut core = session.core(0).map_err(|e| err("core 0", e))?;
        core.reset_and_halt(Duration::from_millis(500))
            .map_err(|e| err("reset and halt", e))?;
        core.write_32(u64::from(request), &[LINK_MAGIC, dt.to_bits()])
            .map_err(|e| err(&format!("writing the link request at 0x{request:08x}"), e))?;
        core.run().map_err(|e| err("run", e))?;
        let t0 = Instant::now();
        loop {
            match Rtt::attach_at(&mut core, u64::from(cb)) {
                Ok(r) => break r,
                Err(e) if t0.elapsed() > timeout => {
                    return Err(HilError::Link(format!(
                        "no RTT control block at 0x{cb:08x} ({RTT_SYMBOL}) within {} ms: {e}",
                        timeout.as_millis()
                    )))
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    };
    let up = |rtt: &mut Rtt, name: &str| {
        rtt.up_channels()
            .iter()
            .position(|c| c.name() == Some(name))
    };
    let link_up = up(&mut rtt, LINK_CHANNEL);
    let log_up = up(&mut rtt, LOG_CHANNEL);
    let link_down = rtt
        .down_channels()
        .iter()
        .position(|c| c.name() == Some(LINK_CHANNEL));
    let (Some(link_up), Some(link_down)) = (link_up, link_down) else {
        return Err(HilError::Link(format!(
            "the firmware's RTT control block has no `{LINK_CHANNEL}` up and down channels; build the STM32 firmware from this tree"
        )));
    };
    // the host never blocks the target's log writes for long: drained every few ms while the
    // link waits (`RttStream`)
    if let (Some(i), Ok(mut core)) = (log_up, session.core(0)) {
        if let Some(c) = rtt.up_channel(i) {
            let _ = c.set_mode(&mut core, ChannelMode::BlockIfFull);
        }
    }
    Ok(ProbeRtt {
        session,
        rtt,
        link_up,
        link_down,
        log_up,
    })
}

impl RttPort for ProbeRtt {
    fn read_up(&mut self, buf: &mut [u8]) -> Result<usize, String> {
        let mut core = self.session.core(0).map_err(|e| format!("core 0: {e}"))?;
        let Some(c) = self.rtt.up_channel(self.link_up) else {
            return Err("RTT up channel `link` gone".into());
        };
        c.read(&mut core, buf)
            .map_err(|e| format!("RTT up channel `link`: {e}"))
    }

    fn write_down(&mut self, bytes: &[u8]) -> Result<usize, String> {
        let mut core = self.session.core(0).map_err(|e| format!("core 0: {e}"))?;
        let Some(c) = self.rtt.down_channel(self.link_down) else {
            return Err("RTT down channel `link` gone".into());
        };
        c.write(&mut core, bytes)
            .map_err(|e| format!("RTT down channel `link`: {e}"))
    }

    fn drain_log(&mut self, log: &mut Vec<u8>) -> Result<(), String> {
        let Some(i) = self.log_up else {
            return Ok(());
        };
        let mut core = self.session.core(0).map_err(|e| format!("core 0: {e}"))?;
        let Some(c) = self.rtt.up_channel(i) else {
            return Ok(());
        };
        let mut buf = [0u8; 1024];
        loop {
            let n = c
                .read(&mut core, &mut buf)
                .map_err(|e| format!("RTT up channel `defmt`: {e}"))?;
            log.extend_from_slice(&buf[..n]);
            // a short read emptied the channel (probe-rs reads both halves of a wrapped ring):
            // no extra round trip to find it empty
            if n < buf.len() {
                return Ok(());
            }
        }
    }
}

// Tests: host/tests/flash_cli.rs (`probe_*`), built with the feature by scripts/test.d/60-probe.sh.
