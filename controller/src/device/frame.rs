//! The sensor frame a board hands to the control step and the command it gets back, with a
//! fixed little-endian record layout shared by the QEMU test files and the host.

use super::fault::{Reason, State};
use crate::float::Real;

/// Number of legs; index 0 is the right leg, 1 the left (the original's `r`, `l`).
pub const LEGS: usize = 2;

/// One control tick's sensor readings.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SensorFrame<R> {
    /// Sequence number from the sender (echoed in the command).
    pub seq: u32,
    /// Normalised vertical load per leg (ground reaction / body weight).
    pub load: [R; LEGS],
    /// Ankle angle per leg (rad, MuJoCo convention: dorsiflexion positive).
    pub ankle_angle: [R; LEGS],
    /// Ankle angular velocity per leg (rad/s).
    pub ankle_velocity: [R; LEGS],
    /// Shank gyro (sagittal angular rate, rad/s) per leg.
    pub gyro: [R; LEGS],
}

/// One control tick's output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Command<R> {
    /// Sequence number of the frame this answers (the last one received).
    pub seq: u32,
    /// Device state after this step.
    pub state: State,
    /// Why torque is zero / the latched fault (`Reason::None` while assisting).
    pub reason: Reason,
    /// Commanded ankle torque per leg (N m, plantarflexion positive) after all limits.
    pub torque: [R; LEGS],
    /// What the exo profile asked for before gating, clamp and slew limit (N m).
    pub profile: [R; LEGS],
    /// Stance percentage per leg (0..=100).
    pub stance_pct: [R; LEGS],
}

impl<R: Real> Command<R> {
    /// The zero-torque command for a state and reason.
    pub fn zero(seq: u32, state: State, reason: Reason) -> Self {
        let z = [R::zero(); LEGS];
        Self {
            seq,
            state,
            reason,
            torque: z,
            profile: z,
            stance_pct: z,
        }
    }
}

/// `SensorFrame<f32>` as a record: seq u32, then load, ankle_angle, ankle_velocity, gyro (two
/// f32 each, right leg first), all little-endian.
pub const SENSOR_RECORD: usize = 4 + 4 * 2 * LEGS * 2;
/// `Command<f32>` as a record: seq u32, state u8, reason code u8, two zero bytes, then torque,
/// profile, stance_pct (two f32 each), all little-endian.
pub const COMMAND_RECORD: usize = 8 + 4 * 3 * LEGS;

/// A test/replay input record (QEMU board `frames.bin`, HIL recordings): u32 flags, then a
/// sensor record.
pub const INPUT_RECORD: usize = 4 + SENSOR_RECORD;
/// Input flag: the frame arrived this tick (clear: the frame was dropped).
pub const INPUT_PRESENT: u32 = 1;
/// Input flag: the board stalls this step past its deadline (fault injection).
pub const INPUT_STALL: u32 = 2;

pub(super) fn put_f32s(out: &mut [u8], at: &mut usize, v: &[f32]) {
    for x in v {
        out[*at..*at + 4].copy_from_slice(&x.to_le_bytes());
        *at += 4;
    }
}

pub(super) fn get_f32s<const N: usize>(inp: &[u8], at: &mut usize) -> [f32; N] {
    let mut v = [0.0f32; N];
    for x in v.iter_mut() {
        *x = f32::from_le_bytes([inp[*at], inp[*at + 1], inp[*at + 2], inp[*at + 3]]);
        *at += 4;
    }
    v
}

impl SensorFrame<f32> {
    /// Writes the record layout.
    pub fn to_record(&self) -> [u8; SENSOR_RECORD] {
        let mut out = [0u8; SENSOR_RECORD];
        out[..4].copy_from_slice(&self.seq.to_le_bytes());
        let mut at = 4;
        for v in [
            &self.load,
            &self.ankle_angle,
            &self.ankle_velocity,
            &self.gyro,
        ] {
            put_f32s(&mut out, &mut at, v);
        }
        out
    }

    /// Reads the record layout.
    pub fn from_record(r: &[u8; SENSOR_RECORD]) -> Self {
        let mut at = 4;
        Self {
            seq: u32::from_le_bytes([r[0], r[1], r[2], r[3]]),
            load: get_f32s(r, &mut at),
            ankle_angle: get_f32s(r, &mut at),
            ankle_velocity: get_f32s(r, &mut at),
            gyro: get_f32s(r, &mut at),
        }
    }
}

impl Command<f32> {
    /// Writes the record layout.
    pub fn to_record(&self) -> [u8; COMMAND_RECORD] {
        let mut out = [0u8; COMMAND_RECORD];
        out[..4].copy_from_slice(&self.seq.to_le_bytes());
        out[4] = self.state as u8;
        out[5] = self.reason.code();
        let mut at = 8;
        for v in [&self.torque, &self.profile, &self.stance_pct] {
            put_f32s(&mut out, &mut at, v);
        }
        out
    }

    /// Reads the record layout; `None` if the state or reason byte is unknown.
    pub fn from_record(r: &[u8; COMMAND_RECORD]) -> Option<Self> {
        let state = match r[4] {
            1 => State::Gated,
            2 => State::Assist,
            3 => State::Fault,
            _ => return None,
        };
        let reason = Reason::from_code(r[5])?;
        let mut at = 8;
        Some(Self {
            seq: u32::from_le_bytes([r[0], r[1], r[2], r[3]]),
            state,
            reason,
            torque: get_f32s(r, &mut at),
            profile: get_f32s(r, &mut at),
            stance_pct: get_f32s(r, &mut at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let f = SensorFrame {
            seq: 7,
            load: [0.5, -0.0],
            ankle_angle: [0.1, 0.2],
            ankle_velocity: [1.0, -1.0],
            gyro: [3.0, f32::MIN_POSITIVE],
        };
        assert_eq!(SensorFrame::from_record(&f.to_record()), f);
        let c = Command {
            seq: 9,
            state: State::Fault,
            reason: Reason::BlobInvalid(4),
            torque: [0.0, 1.5],
            profile: [2.0, 3.0],
            stance_pct: [50.0, 100.0],
        };
        assert_eq!(Command::from_record(&c.to_record()), Some(c));
    }
}
