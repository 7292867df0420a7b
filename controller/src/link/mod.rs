//! The hardware-in-the-loop wire protocol: one sensor frame from the host (the simulator or the
//! real sensors) per control tick, one command frame back from the device.
//!
//! A frame on the wire is `COBS(postcard(message) ++ crc32_le(postcard(message))) ++ 0x00`:
//! postcard with default features off, the blob's CRC-32 (`crate::blob::crc32`) over the
//! postcard bytes, COBS so that 0x00 only ever delimits frames (a receiver resynchronises at
//! the next 0x00 after any error). Every message carries a sequence number. Nothing here
//! allocates or panics on any input (proptests in `tests.rs`).
//!
//! Lockstep: the host is the clock. Each tick it sends one [`HostMsg`]; `Tick` carries the
//! sensor frame, `Skip` is a tick in which no frame arrived (a dropped frame: the device's comms
//! watchdog counts it), `End` ends the session. A frame that fails to decode also counts as a
//! tick without a frame. The device answers every tick with one [`DeviceMsg`].

use crate::blob::crc32;
use crate::device::{Command, Reason, SensorFrame, State, LEGS};
use serde::{Deserialize, Serialize};

/// The link-mode request word, `"LINK"` (0x4C49_4E4B): `myoreflex hil --link rtt` writes it
/// and the control period (f32 bits) into the STM32 firmware's `MYOREFLEX_LINK` word pair
/// while the core is halted at reset; the firmware then runs the lockstep loop over RTT.
pub const LINK_MAGIC: u32 = u32::from_be_bytes(*b"LINK");

/// Largest postcard message of either direction (bytes, before the CRC).
pub const MAX_MESSAGE: usize = 64;
/// Largest frame on the wire: COBS overhead (1 per 254) + CRC + delimiter.
pub const MAX_FRAME: usize = MAX_MESSAGE + 4 + 2 + 1;

/// Sensor values of one tick (SI units; load in body weights).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SensorMsg {
    pub seq: u32,
    pub load: [f32; LEGS],
    pub ankle_angle: [f32; LEGS],
    pub ankle_velocity: [f32; LEGS],
    pub gyro: [f32; LEGS],
}

/// Host -> device, once per control tick.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum HostMsg {
    /// A sensor frame for this tick.
    Tick(SensorMsg),
    /// A tick without a frame (dropped on the way; the comms watchdog counts it).
    Skip(u32),
    /// End of the session.
    End,
}

/// Device -> host, once per tick: the command and the device's link statistics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DeviceMsg {
    /// Sequence number of the last sensor frame the device used.
    pub seq: u32,
    /// Control ticks since boot.
    pub tick: u32,
    /// `State` as its byte.
    pub state: u8,
    /// `Reason` code.
    pub reason: u8,
    pub torque: [f32; LEGS],
    pub profile: [f32; LEGS],
    pub stance_pct: [f32; LEGS],
    /// Frames the device could not decode since boot.
    pub rx_errors: u32,
}

/// Why a received frame was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// Not valid COBS (or empty).
    Cobs,
    /// Longer than [`MAX_FRAME`].
    TooLong,
    /// Shorter than a CRC.
    TooShort,
    /// CRC mismatch.
    Crc,
    /// postcard could not decode the message, or bytes were left over.
    Payload,
    /// The receive buffer overflowed before a delimiter (bytes dropped up to the next 0x00).
    Overflow,
}

impl FrameError {
    pub fn name(self) -> &'static str {
        match self {
            FrameError::Cobs => "bad COBS",
            FrameError::TooLong => "frame too long",
            FrameError::TooShort => "frame too short",
            FrameError::Crc => "CRC mismatch",
            FrameError::Payload => "undecodable message",
            FrameError::Overflow => "receive overflow",
        }
    }
}

/// Encodes `msg` as one wire frame (delimiter included) into `out`; returns its length.
pub fn encode<T: Serialize>(msg: &T, out: &mut [u8; MAX_FRAME]) -> Result<usize, FrameError> {
    let mut raw = [0u8; MAX_MESSAGE + 4];
    let n = postcard::to_slice(msg, &mut raw[..MAX_MESSAGE])
        .map_err(|_| FrameError::TooLong)?
        .len();
    let crc = crc32(&raw[..n]);
    raw[n..n + 4].copy_from_slice(&crc.to_le_bytes());
    let len = cobs::try_encode(&raw[..n + 4], &mut out[..MAX_FRAME - 1])
        .map_err(|_| FrameError::TooLong)?;
    out[len] = 0;
    Ok(len + 1)
}

/// Decodes one frame: the bytes between two delimiters (a trailing 0x00 is allowed).
pub fn decode<'de, T: Deserialize<'de>>(
    frame: &[u8],
    scratch: &'de mut [u8; MAX_FRAME],
) -> Result<T, FrameError> {
    let frame = match frame.split_last() {
        Some((0, rest)) => rest,
        _ => frame,
    };
    if frame.is_empty() || frame.contains(&0) {
        return Err(FrameError::Cobs);
    }
    if frame.len() > MAX_FRAME {
        return Err(FrameError::TooLong);
    }
    let n = cobs::decode(frame, &mut scratch[..]).map_err(|_| FrameError::Cobs)?;
    if n < 4 {
        return Err(FrameError::TooShort);
    }
    let (body, crc) = scratch[..n].split_at(n - 4);
    if crc32(body) != u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]) {
        return Err(FrameError::Crc);
    }
    match postcard::take_from_bytes(body) {
        Ok((msg, [])) => Ok(msg),
        _ => Err(FrameError::Payload),
    }
}

/// Collects received bytes into frames (split at 0x00); fixed buffer, no allocation.
#[derive(Debug, Clone)]
pub struct Deframer {
    buf: [u8; MAX_FRAME],
    len: usize,
    overflow: bool,
}

impl Default for Deframer {
    fn default() -> Self {
        Self {
            buf: [0; MAX_FRAME],
            len: 0,
            overflow: false,
        }
    }
}

impl Deframer {
    /// Feeds one byte; at a delimiter returns the frame collected so far (without the 0x00),
    /// or `Err(Overflow)` if it did not fit. Empty frames (two delimiters) are skipped.
    pub fn push(&mut self, byte: u8) -> Option<Result<&[u8], FrameError>> {
        if byte != 0 {
            if self.len < self.buf.len() {
                self.buf[self.len] = byte;
                self.len += 1;
            } else {
                self.overflow = true;
            }
            return None;
        }
        let len = core::mem::take(&mut self.len);
        if core::mem::take(&mut self.overflow) {
            return Some(Err(FrameError::Overflow));
        }
        if len == 0 {
            return None;
        }
        Some(Ok(&self.buf[..len]))
    }
}

impl SensorMsg {
    /// The device's view of this frame.
    pub fn to_frame(&self) -> SensorFrame<f32> {
        SensorFrame {
            seq: self.seq,
            load: self.load,
            ankle_angle: self.ankle_angle,
            ankle_velocity: self.ankle_velocity,
            gyro: self.gyro,
        }
    }

    pub fn from_frame(f: &SensorFrame<f32>) -> Self {
        Self {
            seq: f.seq,
            load: f.load,
            ankle_angle: f.ankle_angle,
            ankle_velocity: f.ankle_velocity,
            gyro: f.gyro,
        }
    }
}

impl DeviceMsg {
    /// The message for a command of tick `tick`.
    pub fn from_command(c: &Command<f32>, tick: u32, rx_errors: u32) -> Self {
        Self {
            seq: c.seq,
            tick,
            state: c.state as u8,
            reason: c.reason.code(),
            torque: c.torque,
            profile: c.profile,
            stance_pct: c.stance_pct,
            rx_errors,
        }
    }

    /// The device's command, if the state and reason bytes are known ones.
    pub fn to_command(&self) -> Option<Command<f32>> {
        let state = match self.state {
            1 => State::Gated,
            2 => State::Assist,
            3 => State::Fault,
            _ => return None,
        };
        let reason = Reason::from_code(self.reason)?;
        Some(Command {
            seq: self.seq,
            state,
            reason,
            torque: self.torque,
            profile: self.profile,
            stance_pct: self.stance_pct,
        })
    }
}

#[cfg(test)]
mod tests;
