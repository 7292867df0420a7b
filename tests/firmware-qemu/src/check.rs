//! Shared checks: the host's f32 run of the same device, record-exact comparison, expected logs.

use crate::inputs::Tick;
use controller::blob::{DeviceClass, MAX_BLOB_LEN};
use controller::boards;
use controller::device::{Command, Device, Limits};
use std::path::PathBuf;

/// Device class of the QEMU build (`controller::boards::QEMU`, as the firmware uses it).
pub const QEMU_DEVICE: DeviceClass = boards::QEMU.device;
/// Torque limit of the QEMU build (N m).
pub const QEMU_MAX_TORQUE: f64 = boards::QEMU.max_torque_nm;
/// Default control period of the firmware (s).
pub const DEFAULT_DT: f32 = 0.001;

/// The parameter region as the firmware sees it: the blob, then QEMU's zero-filled memory.
pub fn region(blob: Option<&[u8]>) -> Vec<u8> {
    let mut r = blob.map(<[u8]>::to_vec).unwrap_or_default();
    r.resize(r.len() + MAX_BLOB_LEN + 64, 0);
    r
}

/// The host's f32 device on the same region and ticks: the commands the firmware must send.
pub fn host_commands(blob: Option<&[u8]>, dt: f32, ticks: &[Tick]) -> Vec<Command<f32>> {
    let (mut dev, _) = Device::from_region(&region(blob), QEMU_DEVICE, Limits::for_max_torque(QEMU_MAX_TORQUE), dt);
    let mut overran = false;
    ticks
        .iter()
        .map(|t| {
            let c = dev.step(t.present.then_some(&t.frame), overran);
            overran = t.stall;
            c
        })
        .collect()
}

/// Bit-exact comparison of two command streams (record bytes, i.e. the f32 bit patterns).
pub fn same_commands(firmware: &[Command<f32>], host: &[Command<f32>]) -> Result<(), String> {
    if firmware.len() != host.len() {
        return Err(format!("firmware sent {} commands, the host computed {}", firmware.len(), host.len()));
    }
    for (k, (f, h)) in firmware.iter().zip(host).enumerate() {
        if f.to_record() != h.to_record() {
            return Err(format!("step {k}: firmware {f:?} != host {h:?}"));
        }
    }
    Ok(())
}

/// Expected-output files (`expected/NAME.log`), as in defmt's own QEMU test suite.
pub struct Expected {
    pub dir: PathBuf,
    pub bless: bool,
}

impl Expected {
    /// The decoded log must equal the file; with `--bless` the file is (re)written instead.
    /// The stack high-water line is left out (it moves with the compiler's code generation).
    pub fn log(&self, name: &str, log: &[String]) -> Result<(), String> {
        let path = self.dir.join(format!("{}.log", name.replace('/', "__")));
        let kept: Vec<&str> = log.iter().map(String::as_str).filter(|l| !l.contains("stack high-water")).collect();
        let text = kept.join("\n") + "\n";
        if self.bless {
            let tmp = path.with_extension("log.tmp");
            std::fs::write(&tmp, &text).map_err(|e| format!("{}: {e}", tmp.display()))?;
            return std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()));
        }
        let want = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e} (run with --bless to create it)", path.display()))?;
        if want != text {
            let diff = want
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| want.lines().count().min(text.lines().count()));
            return Err(format!(
                "log differs from {} at line {}:\n  want: {}\n  got:  {}",
                path.display(),
                diff + 1,
                want.lines().nth(diff).unwrap_or("<end>"),
                text.lines().nth(diff).unwrap_or("<end>")
            ));
        }
        Ok(())
    }
}
