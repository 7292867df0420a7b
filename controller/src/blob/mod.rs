//! The parameter blob that carries a tuned exo profile to the hardware
//! (`../shared/DESIGN.md` section 6, `../shared/spec/embedded.md` section 5).
//!
//! A fixed little-endian [`Header`] (checked before decoding: magic, header version, header CRC,
//! payload kind, device class, spline convention, payload length, payload CRC) followed by a
//! postcard-encoded [`Payload`] of at most [`MAX_PAYLOAD_LEN`] bytes, so a blob never exceeds
//! [`MAX_BLOB_LEN`]. [`decode`] accepts a blob only if every check passes, every float is finite,
//! torques and times are inside their bounds, the knot times strictly increase and a dry run of
//! the profile stays under the caller's device torque limit (a firmware build-time constant,
//! never read from the blob); otherwise it returns one [`Reason`] code. No allocation, no panic
//! on any input.
//!
//! ```
//! use controller::blob::{self, DeviceClass, ExoParamsV1, Limits, ProfileParams, Provenance};
//! let params = ExoParamsV1 {
//!     max_torque: 30.0,
//!     profile: ProfileParams::FourParam([0.5, 0.467, 0.90, 0.075]),
//!     provenance: Provenance::default(),
//! };
//! let mut buf = [0u8; blob::MAX_BLOB_LEN];
//! let len = blob::encode(DeviceClass::Dephy, &params, &mut buf).unwrap();
//! let limits = Limits { device: Some(DeviceClass::Dephy), max_torque: 35.0 };
//! let decoded = blob::decode(&buf[..len], &limits).unwrap();
//! let mut exo = controller::exo::ExoController::from_profile(decoded.profile);
//! let torque: f32 = exo.step(0.8, 0.001);
//! # assert!(torque >= 0.0);
//! ```

mod crc32;
mod device;
mod header;
mod payload;
mod reason;
mod validate;

pub use crc32::crc32;
pub use device::{DeviceClass, PayloadKind, SplineConvention};
pub use header::{Header, HEADER_LEN, HEADER_VERSION, MAGIC};
pub use payload::{
    ExoParamsV1, Payload, ProfileParams, Provenance, MAX_PAYLOAD_LEN, NEWEST_PAYLOAD_VARIANT,
};
pub use reason::Reason;
pub use validate::{dry_run, reason_of, validate, DRY_RUN_STEPS, MAX_TORQUE_BOUND};

use crate::exo::Profile;

/// Largest blob in bytes.
pub const MAX_BLOB_LEN: usize = HEADER_LEN + MAX_PAYLOAD_LEN;

/// What the caller (the firmware build) allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The device this build drives; `None` accepts any known device (host inspection).
    pub device: Option<DeviceClass>,
    /// Largest torque (N m) the profile may ever command on this device.
    pub max_torque: f32,
}

/// A decoded, validated blob.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blob {
    /// The header as read.
    pub header: Header,
    /// The device it was made for.
    pub device: DeviceClass,
    /// The payload as decoded.
    pub params: ExoParamsV1,
    /// The profile, ready for [`crate::exo::ExoController::from_profile`].
    pub profile: Profile<f32>,
    /// Largest torque (N m) of the dry run.
    pub peak_torque: f32,
}

/// Checks the header, decodes the payload and validates it. Never panics, never allocates.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Blob, Reason> {
    let header = check_header(bytes, limits)?;
    let payload = &bytes[HEADER_LEN..];
    match payload.first() {
        None => return Err(Reason::Decode),
        Some(&v) if v > NEWEST_PAYLOAD_VARIANT => return Err(Reason::UnsupportedPayloadVersion),
        Some(_) => {}
    }
    let (decoded, rest) =
        postcard::take_from_bytes::<Payload>(payload).map_err(|_| Reason::Decode)?;
    if !rest.is_empty() {
        return Err(Reason::PayloadTrailing);
    }
    let Payload::V1(params) = decoded;
    let (profile, peak_torque) = validate(&params, limits.max_torque)?;
    let device = DeviceClass::from_code(header.device_class).ok_or(Reason::UnknownDevice)?;
    Ok(Blob {
        header,
        device,
        params,
        profile,
        peak_torque,
    })
}

/// Checks everything the header can tell before the payload is decoded; the payload is then
/// exactly `bytes[HEADER_LEN..]`.
pub fn check_header(bytes: &[u8], limits: &Limits) -> Result<Header, Reason> {
    let header = Header::read(bytes).ok_or(Reason::TooShort)?;
    if header.magic != MAGIC {
        return Err(Reason::BadMagic);
    }
    if header.header_version != HEADER_VERSION {
        return Err(Reason::UnsupportedHeaderVersion);
    }
    if Header::computed_crc(bytes) != header.header_crc {
        return Err(Reason::HeaderCrc);
    }
    if PayloadKind::from_code(header.payload_kind).is_none() {
        return Err(Reason::UnknownPayloadKind);
    }
    let device = DeviceClass::from_code(header.device_class).ok_or(Reason::UnknownDevice)?;
    if limits.device.is_some_and(|d| d != device) {
        return Err(Reason::WrongDevice);
    }
    if SplineConvention::from_code(header.spline_convention).is_none() {
        return Err(Reason::UnknownSplineConvention);
    }
    let len = header.payload_len as usize;
    if len > MAX_PAYLOAD_LEN {
        return Err(Reason::PayloadTooLong);
    }
    let have = bytes.len() - HEADER_LEN;
    if have < len {
        return Err(Reason::Truncated);
    }
    if have > len {
        return Err(Reason::TrailingBytes);
    }
    if crc32(&bytes[HEADER_LEN..]) != header.payload_crc {
        return Err(Reason::PayloadCrc);
    }
    Ok(header)
}

/// Writes a blob for `device` into `out` and returns its length. Does not validate: run
/// [`decode`] on the result (the host's export does) before shipping it.
pub fn encode(device: DeviceClass, params: &ExoParamsV1, out: &mut [u8]) -> Result<usize, Reason> {
    if out.len() < HEADER_LEN {
        return Err(Reason::BufferTooSmall);
    }
    let (head, body) = out.split_at_mut(HEADER_LEN);
    let body_len = body.len().min(MAX_PAYLOAD_LEN);
    let payload = postcard::to_slice(&Payload::V1(*params), &mut body[..body_len])
        .map_err(|_| Reason::BufferTooSmall)?;
    let header = Header {
        magic: MAGIC,
        header_version: HEADER_VERSION,
        payload_kind: PayloadKind::ExoProfile as u16,
        payload_len: payload.len() as u32,
        device_class: device.code(),
        spline_convention: SplineConvention::MyoAssistPctStance as u16,
        payload_crc: crc32(payload),
        header_crc: 0,
    };
    let len = HEADER_LEN + payload.len();
    head.copy_from_slice(&header.to_bytes());
    Ok(len)
}
