//! The parameter blob in its flash region -> the device the control loop runs, with the boot
//! log line that says what was loaded or why the torque stays at zero.

use controller::blob::DeviceClass;
use controller::device::{Device, Limits, Reason};

/// `Device::from_region` plus the log.
pub fn load(region: &[u8], class: DeviceClass, limits: Limits<f32>, dt: f32) -> Device<f32> {
    let (device, decoded) = Device::from_region(region, class, limits, dt);
    match decoded {
        Ok(b) => defmt::info!(
            "blob ok: device {=str}, max torque {=f32} N m, dry-run peak {=f32} N m",
            b.device.name(),
            b.params.max_torque,
            b.peak_torque
        ),
        Err(Reason::BlobInvalid(code)) => {
            let name = controller::blob::Reason::from_code(code).map_or("unknown", |r| r.name());
            defmt::error!("blob rejected: {=str} (reason 0x{=u8:02x}): zero torque", name, code)
        }
        Err(r) => defmt::error!("{=str} (reason 0x{=u8:02x}): zero torque", r.name(), r.code()),
    }
    device
}
