//! Device states and the reason codes the firmware logs, reports in every command and latches.

/// What the device is doing; the command torque is zero in every state but `Assist`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum State {
    /// Waiting: the stance estimator has no plausible strides yet (torque 0).
    Gated = 1,
    /// Assisting on at least one leg.
    Assist = 2,
    /// Latched fault (torque 0 until reset); see the reason.
    Fault = 3,
}

/// Why the device is at zero torque or faulted. `code()` is the byte the firmware reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Nothing wrong.
    None,
    /// The blob was rejected; the inner byte is `controller::blob::Reason`'s code (1..=63).
    BlobInvalid(u8),
    /// The parameter region holds no blob (erased flash).
    BlobMissing,
    /// No sensor frame for longer than the comms timeout.
    CommsTimeout,
    /// Too many consecutive control steps overran the period.
    DeadlineOverrun,
    /// A sensor value was not finite or outside its plausible range.
    SensorImplausible,
    /// The controller produced a non-finite torque.
    NonFiniteOutput,
}

impl Reason {
    /// The reason as one byte: 0x00 none, 0x01..=0x3F the blob check's own reason code,
    /// 0x40 missing blob, 0x8X runtime faults.
    pub fn code(self) -> u8 {
        match self {
            Reason::None => 0x00,
            Reason::BlobInvalid(c) => c.clamp(0x01, 0x3F),
            Reason::BlobMissing => 0x40,
            Reason::CommsTimeout => 0x80,
            Reason::DeadlineOverrun => 0x81,
            Reason::SensorImplausible => 0x82,
            Reason::NonFiniteOutput => 0x83,
        }
    }

    /// Inverse of [`Reason::code`] (unknown codes give `None`).
    pub fn from_code(code: u8) -> Option<Reason> {
        Some(match code {
            0x00 => Reason::None,
            0x01..=0x3F => Reason::BlobInvalid(code),
            0x40 => Reason::BlobMissing,
            0x80 => Reason::CommsTimeout,
            0x81 => Reason::DeadlineOverrun,
            0x82 => Reason::SensorImplausible,
            0x83 => Reason::NonFiniteOutput,
            _ => return None,
        })
    }

    /// A short name for logs (blob reasons: see `controller::blob::Reason::name`).
    pub fn name(self) -> &'static str {
        match self {
            Reason::None => "none",
            Reason::BlobInvalid(_) => "blob invalid",
            Reason::BlobMissing => "blob missing",
            Reason::CommsTimeout => "comms timeout",
            Reason::DeadlineOverrun => "deadline overrun",
            Reason::SensorImplausible => "sensor implausible",
            Reason::NonFiniteOutput => "non-finite output",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let all = [
            Reason::None,
            Reason::BlobMissing,
            Reason::BlobInvalid(3),
            Reason::BlobInvalid(29),
            Reason::CommsTimeout,
            Reason::DeadlineOverrun,
            Reason::SensorImplausible,
            Reason::NonFiniteOutput,
        ];
        for r in all {
            assert_eq!(Reason::from_code(r.code()), Some(r));
        }
        assert_eq!(Reason::from_code(0xFF), None);
    }
}
