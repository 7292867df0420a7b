//! The boards the firmware is built for, as the host and the firmware must agree on them: the
//! device class a board's blobs must carry and the peak torque its device layer may command.

use crate::blob::DeviceClass;

/// A firmware board.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoardSpec {
    /// The board's `--exo_device` name.
    pub name: &'static str,
    /// The device class its blobs must carry.
    pub device: DeviceClass,
    /// Peak torque the device layer may command (N m).
    pub max_torque_nm: f64,
}

/// The QEMU build (mps2-an386): the TUTORIAL model's exo, a 100 N m ankle actuator.
pub const QEMU: BoardSpec = BoardSpec {
    name: "qemu",
    device: DeviceClass::Tutorial,
    max_torque_nm: 100.0,
};

/// The STM32F405 build: an ExoBoot-class (Dephy) ankle actuator, 30 N m peak plantarflexion.
pub const STM32F4: BoardSpec = BoardSpec {
    name: "stm32",
    device: DeviceClass::Dephy,
    max_torque_nm: 30.0,
};

/// Every board.
pub const ALL: [BoardSpec; 2] = [QEMU, STM32F4];

/// The board an `--exo_device` name names.
pub fn by_name(name: &str) -> Option<BoardSpec> {
    ALL.iter().copied().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boards_are_found_by_their_names_only() {
        for b in ALL {
            assert_eq!(by_name(b.name), Some(b));
            assert!(b.max_torque_nm > 0.0);
        }
        assert_eq!(by_name("stm32f4"), None);
        assert_eq!(by_name(""), None);
    }
}
