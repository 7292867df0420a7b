//! `myoreflex flash`: the firmware and the parameter blob into the MCU's flash, or (`--dry-run
//! --out IMAGE`) the exact image bytes into a file (what `hil --link qemu` boots).

use crate::config::args::ConfigArgs;
use crate::hil::{self, image::FirmwareElf};
use anyhow::bail;
use clap::Parser;
use controller::blob::DeviceClass;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    after_help = "Examples:\n  myoreflex flash --chip mps2-an386 --firmware firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-qemu \\\n    \
--params run_Best.txt --config tutorial --dry-run --out image.bin\n  \
myoreflex flash --chip STM32F405RGTx --firmware firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-stm32f4 --params run.blob"
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
    let device = match &a.device {
        Some(n) => DeviceClass::from_name(n).ok_or_else(|| {
            anyhow::anyhow!("--device {n}: want dephy|hmedi|humotech|tutorial|openexo")
        })?,
        None if qemu => hil::QEMU_DEVICE,
        None => DeviceClass::Dephy,
    };
    let limit = a
        .device_limit
        .unwrap_or(if qemu { hil::QEMU_MAX_TORQUE } else { 30.0 });
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
    bail!(
        "cannot flash {} ({what}): this build has no probe support (the `probe` cargo feature with probe-rs is not implemented yet); \
         use --dry-run --out IMAGE and write the image at 0x{:08x} with your probe tool",
        a.chip,
        img.base
    )
}
