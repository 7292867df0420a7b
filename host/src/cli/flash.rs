//! `myoreflex flash`: the firmware and the parameter blob into the MCU's flash through a debug
//! probe (cargo feature `probe`, probe-rs), or (`--dry-run --out IMAGE`) the exact image bytes
//! into a file (what `hil --link qemu` boots). Both take their bytes from the same
//! [`hil::image::Image`]: a real flash programs its firmware and blob parts and reads them back.

use crate::config::args::ConfigArgs;
use crate::hil::{
    self,
    image::{FirmwareElf, Image},
};
use anyhow::bail;
use clap::Parser;
use controller::boards;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    after_help = "Examples:\n  myoreflex flash --chip mps2-an386 --firmware firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-qemu \\\n    \
--params run_Best.txt --config tutorial --dry-run --out image.bin\n  \
myoreflex flash --chip STM32F405RGTx --firmware firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-stm32f4 --params run.blob\n\n\
Flashing through a probe needs a build with the `probe` cargo feature: cargo build --release -p myoreflex --features probe"
)]
pub struct Args {
    #[command(flatten)]
    pub cfg: ConfigArgs,
    /// Target chip (probe-rs name, e.g. STM32F405RGTx; `mps2-an386` for the QEMU board).
    #[arg(long)]
    pub chip: String,
    /// Firmware ELF.
    #[arg(long, value_name = "ELF")]
    pub firmware: PathBuf,
    /// Parameter file (encoded like `export`) or a blob.
    #[arg(long, value_name = "FILE|BLOB")]
    pub params: PathBuf,
    /// Device class a parameter file is encoded for (default: tutorial on mps2-an386, dephy otherwise).
    #[arg(long)]
    pub device: Option<String>,
    /// Device torque limit the blob is checked against (N m; default 100 on mps2-an386, 30 otherwise).
    #[arg(long)]
    pub device_limit: Option<f64>,
    /// Debug probe to use, `VID:PID[:SERIAL]` in hex (default: the first one probe-rs finds).
    #[arg(long, value_name = "VID:PID[:SERIAL]")]
    pub probe: Option<String>,
    /// Write the image instead of flashing.
    #[arg(long, requires = "out")]
    pub dry_run: bool,
    /// Image file (flat binary from the lowest flash address through the blob; gaps 0xFF).
    #[arg(long, value_name = "IMAGE")]
    pub out: Option<PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let cfg = a.cfg.load()?;
    let qemu = a.chip.eq_ignore_ascii_case("mps2-an386");
    let board = if qemu { boards::QEMU } else { boards::STM32F4 };
    let device = match &a.device {
        Some(n) => hil::device_class("--device", n).map_err(anyhow::Error::msg)?,
        None => board.device,
    };
    let limit = a.device_limit.unwrap_or(board.max_torque_nm);
    if !a.dry_run && qemu {
        bail!(
            "--chip mps2-an386 is the QEMU model: there is no flash to program; use --dry-run --out IMAGE (hil --link qemu boots that image)"
        );
    }

    let blob = hil::blob_for(&a.params, &cfg, device, limit)?;
    let elf = FirmwareElf::read(&a.firmware)?;
    let img = elf.image(&blob)?;
    let what = format!(
        "{} B image at 0x{:08x}: {} firmware segment(s), blob {} B at 0x{:08x} (PARAMS region 0x{:08x}..0x{:08x}), device {}",
        img.bytes.len(),
        img.base,
        elf.segments.len(),
        img.blob_len,
        img.blob_at,
        elf.params.0,
        elf.params.1,
        device.name()
    );
    if a.dry_run {
        let Some(out) = &a.out else {
            bail!("--dry-run needs --out IMAGE")
        };
        crate::io::write_atomic(out, &img.bytes)?;
        println!("wrote {} ({what}); nothing flashed", out.display());
        return Ok(());
    }
    flash_through_probe(&a, &img, &what)
}

/// Programs `img` through the probe and reads it back; prints what it wrote.
#[cfg(feature = "probe")]
fn flash_through_probe(a: &Args, img: &Image, what: &str) -> anyhow::Result<()> {
    let chip = hil::probe::chip(&a.chip)?;
    hil::probe::check_fits(&chip, img)?;
    let mut session = hil::probe::attach(&chip, a.probe.as_deref())?;
    let written = hil::flash::write_and_verify(
        &mut hil::probe::ProbeFlash {
            session: &mut session,
        },
        img,
    )?;
    println!("flashed {} ({what}), core reset:", chip.target.name);
    for w in &written {
        println!("  {w}");
    }
    Ok(())
}

#[cfg(not(feature = "probe"))]
fn flash_through_probe(a: &Args, img: &Image, what: &str) -> anyhow::Result<()> {
    bail!(
        "cannot flash {} ({what}): {}, or use --dry-run --out IMAGE and write the image at 0x{:08x} with your probe tool",
        a.chip,
        hil::NO_PROBE,
        img.base
    )
}
