//! The firmware's control step in process (`--exo_device`): an episode's exo torques come from
//! the same `f32` [`Device`] the firmware runs (stance gating until 3 stances, clamp, slew
//! limit, watchdogs), fed the same sensor frames as over the HIL link. A run trained or
//! evaluated this way sees what the hardware will do, and `hil` with the same board then
//! reproduces its episode step for step (the firmware's commands equal this device's bit for
//! bit).

use super::session::sensor_msg;
use crate::eval::episode::ExoSource;
use crate::export::ExoSpec;
use controller::blob::DeviceClass;
use controller::device::{Device, Limits};
use controller::exo::ExoKind;
use controller::reflex::Sensors;

use crate::engine::Observation;

/// The board an `--exo_device` value names: `qemu` (the QEMU firmware: tutorial, 100 N m),
/// `stm32` (the STM32F405 firmware: dephy, 30 N m) or `CLASS:LIMIT` (e.g. `humotech:60`).
pub fn parse_board(s: &str) -> Result<(DeviceClass, f64), String> {
    if let Some(b) = controller::boards::by_name(s) {
        return Ok((b.device, b.max_torque_nm));
    }
    let bad = || {
        format!(
            "`{s}`: want qemu, stm32 or CLASS:LIMIT with CLASS one of {} and LIMIT in N m (e.g. humotech:60)",
            super::device_names()
        )
    };
    let (class, limit) = s.split_once(':').ok_or_else(bad)?;
    let class = DeviceClass::from_name(class).ok_or_else(bad)?;
    let limit: f64 = limit.trim().parse().map_err(|_| bad())?;
    if !(limit.is_finite() && limit > 0.0) {
        return Err(bad());
    }
    Ok((class, limit))
}

/// The in-process device of one episode.
pub struct DeviceLoop {
    dev: Device<f32>,
    seq: u32,
}

impl DeviceLoop {
    /// The device the firmware would build from the blob of `x` (encoded as `export` and `hil`
    /// encode it) on a `class` board limited to `limit` N m, at control step `dt`.
    pub fn new(
        x: &[f64],
        kind: ExoKind,
        max_torque: f64,
        fixed_exo: bool,
        (class, limit): (DeviceClass, f64),
        dt: f64,
    ) -> Result<Self, String> {
        let spec = ExoSpec {
            kind,
            max_torque,
            fixed_exo,
        };
        let bytes: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
        let blob = super::encode_blob("exo_device", x, &spec, &bytes, class, limit)
            .map_err(|e| e.to_string())?;
        let (dev, _) = Device::from_region(&blob, class, Limits::for_max_torque(limit), dt as f32);
        Ok(Self { dev, seq: 0 })
    }
}

impl ExoSource for DeviceLoop {
    fn step(
        &mut self,
        obs: &Observation,
        sample: &Sensors<f64>,
        _dt: f64,
    ) -> Result<([f64; 2], [f64; 2]), String> {
        self.seq = self.seq.wrapping_add(1);
        let cmd = self
            .dev
            .step(Some(&sensor_msg(self.seq, obs, sample).to_frame()), false);
        Ok((cmd.torque.map(f64::from), cmd.stance_pct.map(f64::from)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boards_parse_and_bad_ones_say_what_is_wanted() {
        assert_eq!(parse_board("qemu"), Ok((DeviceClass::Tutorial, 100.0)));
        assert_eq!(parse_board("stm32"), Ok((DeviceClass::Dephy, 30.0)));
        assert_eq!(
            parse_board("humotech:60"),
            Ok((DeviceClass::Humotech, 60.0))
        );
        for bad in [
            "",
            "board",
            "humotech",
            "humotech:-1",
            "humotech:x",
            "nobody:10",
            "dephy:nan",
        ] {
            let e = parse_board(bad).unwrap_err();
            assert!(e.contains("qemu, stm32 or CLASS:LIMIT"), "{bad}: {e}");
        }
    }
}
