//! The postcard payload: a versioned enum of fixed-size records, so the largest payload is the
//! compile-time constant [`MAX_PAYLOAD_LEN`].
//!
//! Floats are `f32`, the firmware's type. The host's `f64` parameter vector is converted with
//! `as f32` (round to nearest, ties to even): a normalised value in [0, 1] keeps about 7
//! significant digits (error <= 3e-8 absolute). The blob is then validated on those `f32`
//! values with the same `f32` code the firmware runs, so a host profile that is valid in `f64`
//! but lands on a boundary after rounding (e.g. fall exactly at 100 - peak) is refused at export
//! rather than on the device.

use crate::exo::{ExoKind, MAX_POINTS};
use serde::{Deserialize, Serialize};

/// Versioned payload. Only ever append variants; the variant index is the payload version.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Payload {
    /// Version 1 (variant index 0 on the wire).
    V1(ExoParamsV1),
}

/// Wire index of the newest payload variant this code understands.
pub const NEWEST_PAYLOAD_VARIANT: u8 = 0;

/// An exo torque profile, version 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExoParamsV1 {
    /// Torque scale (N m): normalised torques are multiplied by it (`--max_torque`).
    pub max_torque: f32,
    /// The profile parameters, normalised as in the optimiser's vector.
    pub profile: ProfileParams,
    /// Where the parameters came from.
    pub provenance: Provenance,
}

/// Profile parameters in the parameter vector's layout and normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)] // fixed-size on purpose: no allocation, bounded blob
pub enum ProfileParams {
    /// Legacy 4-parameter spline: [peak torque, rise, peak time, fall], all in [0, 1].
    FourParam([f32; 4]),
    /// n-point spline: n torque fractions and n segment-binned times; entries from n on are 0.
    NPoint {
        /// Number of points (1..=MAX_POINTS).
        n: u8,
        /// Torque fractions c_i.
        torques: [f32; MAX_POINTS],
        /// Normalised times u_i.
        times: [f32; MAX_POINTS],
    },
}

/// Provenance of a blob (not used by the controller).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Provenance {
    /// Length of the parameter vector the exo slice was taken from.
    pub param_count: u16,
    /// CRC-32 of the parameter file's bytes.
    pub source_crc32: u32,
    /// Creation time, seconds since the Unix epoch (0 if unknown).
    pub created_unix: u64,
    /// Version (major, minor, patch) of the tool that wrote it.
    pub tool_version: [u8; 3],
}

/// Largest payload in bytes: variant (1) + max_torque (4) + profile variant (1) + n (1) +
/// 2 x MAX_POINTS f32 + provenance varints (u16 <= 3, u32 <= 5, u64 <= 10) + 3 bytes.
pub const MAX_PAYLOAD_LEN: usize = 1 + 4 + 1 + 1 + 2 * 4 * MAX_POINTS + 3 + 5 + 10 + 3;

impl ProfileParams {
    /// The exo profile kind.
    pub fn kind(&self) -> ExoKind {
        match self {
            Self::FourParam(_) => ExoKind::FourParam,
            Self::NPoint { n, .. } => ExoKind::NPoint(*n as usize),
        }
    }

    /// Converts an exo slice of the parameter vector (any float, e.g. the host's `f64`) to the
    /// blob's `f32` form. `None` if the slice length does not fit `kind` or n exceeds
    /// [`MAX_POINTS`].
    pub fn from_slice<T: crate::float::Real>(kind: ExoKind, p: &[T]) -> Option<Self> {
        if p.len() != kind.len() {
            return None;
        }
        let f = |v: &T| v.f64() as f32;
        match kind {
            ExoKind::FourParam => Some(Self::FourParam([f(&p[0]), f(&p[1]), f(&p[2]), f(&p[3])])),
            ExoKind::NPoint(n) => {
                if n == 0 || n > MAX_POINTS {
                    return None;
                }
                let mut torques = [0.0; MAX_POINTS];
                let mut times = [0.0; MAX_POINTS];
                for i in 0..n {
                    torques[i] = f(&p[i]);
                    times[i] = f(&p[n + i]);
                }
                Some(Self::NPoint {
                    n: n as u8,
                    torques,
                    times,
                })
            }
        }
    }

    /// Writes the exo slice in the parameter-vector layout (`[c.., u..]` for n-point) into
    /// `out` and returns the filled part; an n above [`MAX_POINTS`] is cut to it.
    pub fn to_slice<'a>(&self, out: &'a mut [f32; 2 * MAX_POINTS]) -> &'a [f32] {
        match self {
            Self::FourParam(p) => {
                out[..4].copy_from_slice(p);
                &out[..4]
            }
            Self::NPoint { n, torques, times } => {
                let n = (*n as usize).min(MAX_POINTS);
                out[..n].copy_from_slice(&torques[..n]);
                out[n..2 * n].copy_from_slice(&times[..n]);
                &out[..2 * n]
            }
        }
    }
}
