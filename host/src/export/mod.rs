//! `myoreflex export`: the exo slice of a parameter file -> a parameter blob for the firmware
//! (`controller::blob`), and a readable description of any blob (`--inspect`).
//!
//! The `f64` parameter vector is checked with the original's rules in `f64` first (what the
//! optimiser saw), then converted to the blob's `f32` (`as f32`, round to nearest) and the
//! encoded blob is decoded and validated with exactly the firmware's `f32` code against the
//! device torque limit, so a blob that export writes is a blob the firmware accepts.

mod inspect;

pub use inspect::describe;

use controller::blob::{self, DeviceClass, ExoParamsV1, Limits, ProfileParams, Provenance, Reason};
use controller::exo::{fourparam, ExoKind, Profile, MAX_POINTS};
use controller::params::N_HUMAN;

/// Default device torque limit (N m) checked at export: the simulated exo actuators'
/// capacity (gain 100, control in [-1, 0]). Firmware applies its own build-time limit.
pub const DEFAULT_DEVICE_LIMIT: f64 = 100.0;

/// Export failures; each names the file and says what to change.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "{file} has {got} values but {what} needs {expected} ({N_HUMAN} human + {exo} exo); \
         pass the run's exo settings (--config NAME, or --use_4param_spline / --n_points N)"
    )]
    WrongLength {
        file: String,
        got: usize,
        expected: usize,
        exo: usize,
        what: String,
    },
    #[error(
        "{file} has {got} values, which is no exo layout ({N_HUMAN} human values + 4 for the 4-parameter \
         exo or + 2n for n points); a {N_HUMAN}-value file has no exo profile to export"
    )]
    NoExoSlice { file: String, got: usize },
    #[error("n-point exo with n = {0} cannot be exported: the blob holds 1..={MAX_POINTS} points")]
    PointCount(usize),
    #[error(
        "{file}: the run configuration has the exoskeleton off (ExoOn 0): no profile to export"
    )]
    ExoOff { file: String },
    #[error("--max_torque {0} must be a finite number in (0, {max}] N m", max = blob::MAX_TORQUE_BOUND)]
    MaxTorque(f64),
    #[error("--device_limit {0} must be a finite positive number of N m")]
    DeviceLimit(f64),
    #[error("{file}: exo parameters {values:?} are invalid for the original controller: {msg}")]
    InvalidProfile {
        file: String,
        values: Vec<f64>,
        msg: &'static str,
    },
    #[error("{file}: the blob is rejected after conversion to f32: {reason}; {hint}")]
    Rejected {
        file: String,
        reason: Reason,
        hint: String,
    },
}

/// Which profile the file's exo slice holds and how to scale it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExoSpec {
    /// Profile kind.
    pub kind: ExoKind,
    /// `--max_torque` (N m).
    pub max_torque: f64,
    /// `--fixed_exo`: the 4-param controller ignores its slice and uses the defaults.
    pub fixed_exo: bool,
}

/// The exo kind a vector of `len` values carries when nothing says so: 81 values are the
/// legacy 4-parameter exo (the shipped MyoAssist runs; an n = 2 n-point run also has 81, pass
/// `--n_points 2` for it), 77 + 2n values an n-point exo.
pub fn infer_kind(len: usize) -> Option<ExoKind> {
    let exo = len.checked_sub(N_HUMAN)?;
    match exo {
        0 => None,
        4 => Some(ExoKind::FourParam),
        e if e % 2 == 0 => Some(ExoKind::NPoint(e / 2)),
        _ => None,
    }
}

/// Takes the exo slice of `x` (read from `file`), checks it with the original's rules in
/// `f64` and converts it to the blob's `f32` payload.
pub fn payload(
    file: &str,
    x: &[f64],
    spec: &ExoSpec,
    provenance: Provenance,
) -> Result<ExoParamsV1, ExportError> {
    if !(spec.max_torque.is_finite()
        && spec.max_torque > 0.0
        && spec.max_torque <= blob::MAX_TORQUE_BOUND as f64)
    {
        return Err(ExportError::MaxTorque(spec.max_torque));
    }
    if let ExoKind::NPoint(n) = spec.kind {
        if n == 0 || n > MAX_POINTS {
            return Err(ExportError::PointCount(n));
        }
    }
    let exo = spec.kind.len();
    if x.len() != N_HUMAN + exo {
        let what = match spec.kind {
            ExoKind::FourParam => "the 4-parameter exo".to_string(),
            ExoKind::NPoint(n) => format!("the {n}-point exo"),
        };
        return Err(ExportError::WrongLength {
            file: file.into(),
            got: x.len(),
            expected: N_HUMAN + exo,
            exo,
            what,
        });
    }
    let slice = &x[N_HUMAN..];
    Profile::new(spec.kind, slice, spec.max_torque, spec.fixed_exo).map_err(|e| {
        ExportError::InvalidProfile {
            file: file.into(),
            values: slice.to_vec(),
            msg: e.message(),
        }
    })?;
    let used: &[f64] = if spec.fixed_exo && spec.kind == ExoKind::FourParam {
        &fourparam::DEFAULTS
    } else {
        slice
    };
    let profile =
        ProfileParams::from_slice(spec.kind, used).ok_or(ExportError::PointCount(exo / 2))?;
    Ok(ExoParamsV1 {
        max_torque: spec.max_torque as f32,
        profile,
        provenance,
    })
}

/// Encodes the blob and checks it with the firmware's decoder against `device_limit` (N m).
pub fn encode(
    file: &str,
    device: DeviceClass,
    p: &ExoParamsV1,
    device_limit: f64,
) -> Result<Vec<u8>, ExportError> {
    if !(device_limit.is_finite() && device_limit > 0.0) {
        return Err(ExportError::DeviceLimit(device_limit));
    }
    let mut buf = [0u8; blob::MAX_BLOB_LEN];
    let rejected = |reason: Reason| {
        let hint = match reason {
            Reason::DryRunOverLimit => format!(
                "the profile's peak exceeds the device limit {device_limit} N m (lower --max_torque or raise --device_limit)"
            ),
            Reason::TorqueOutOfBounds => "the blob needs torque fractions in [0, 1] (n-point: [0.01, 1])".into(),
            Reason::TimeOutOfBounds => "the blob needs times in [0, 1]".into(),
            _ => "the f64 profile is valid but lands on a bound after rounding to f32".into(),
        };
        ExportError::Rejected {
            file: file.into(),
            reason,
            hint,
        }
    };
    let len = blob::encode(device, p, &mut buf).map_err(rejected)?;
    let limits = Limits {
        device: Some(device),
        max_torque: device_limit as f32,
    };
    blob::decode(&buf[..len], &limits).map_err(rejected)?;
    Ok(buf[..len].to_vec())
}

/// Provenance of a blob made now from a parameter file's bytes (`SOURCE_DATE_EPOCH`, if set,
/// replaces the clock for reproducible output).
pub fn provenance(param_count: usize, file_bytes: &[u8]) -> Provenance {
    let created_unix = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    let v = |s: &str| s.parse::<u8>().unwrap_or(0);
    Provenance {
        param_count: param_count.min(u16::MAX as usize) as u16,
        source_crc32: blob::crc32(file_bytes),
        created_unix,
        tool_version: [
            v(env!("CARGO_PKG_VERSION_MAJOR")),
            v(env!("CARGO_PKG_VERSION_MINOR")),
            v(env!("CARGO_PKG_VERSION_PATCH")),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_the_layout_from_the_length() {
        assert_eq!(infer_kind(81), Some(ExoKind::FourParam));
        assert_eq!(infer_kind(89), Some(ExoKind::NPoint(6)));
        assert_eq!(infer_kind(77), None);
        assert_eq!(infer_kind(80), None);
        assert_eq!(infer_kind(10), None);
    }

    /// Profiles valid in f64 near every bound: export either writes a blob the firmware
    /// decoder accepts or refuses with a reason; never a panic, never a blob it would reject.
    #[test]
    fn f64_valid_profiles_near_bounds_export_or_refuse_cleanly() {
        let eps: [f64; 6] = [0.0, 1e-9, 1e-8, 3e-8, 1e-7, 1e-3];
        let mut x = vec![1.0; N_HUMAN + 4];
        let (mut written, mut refused) = (0, 0);
        for &tp in &[0.5f64, 0.5 + 1e-9, 0.8, 0.9, 1.0 - 1e-9, 1.0] {
            for &e1 in &eps {
                for &e2 in &eps {
                    for &peak in &[0.0, 1e-9, 0.5, 1.0] {
                        let rise = (tp - e1).max(e1);
                        let fall = (1.0 - tp - e2).max(e2);
                        x[N_HUMAN..].copy_from_slice(&[peak, rise, tp, fall]);
                        let spec = ExoSpec {
                            kind: ExoKind::FourParam,
                            max_torque: 100.0,
                            fixed_exo: false,
                        };
                        let Ok(p) = payload("f", &x, &spec, Provenance::default()) else {
                            continue;
                        };
                        match encode("f", DeviceClass::Dephy, &p, 100.0) {
                            Ok(b) => {
                                let limits = Limits {
                                    device: None,
                                    max_torque: 100.0,
                                };
                                assert!(blob::decode(&b, &limits).is_ok());
                                written += 1;
                            }
                            Err(ExportError::Rejected { .. }) => refused += 1,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
            }
        }
        assert!(written > 0, "nothing exported");
        eprintln!("{written} written, {refused} refused after f32 rounding");
    }

    #[test]
    fn fixed_exo_writes_the_defaults() {
        let mut x = vec![1.0; N_HUMAN];
        x.extend([0.9, 0.2, 0.7, 0.25]);
        let spec = ExoSpec {
            kind: ExoKind::FourParam,
            max_torque: 10.0,
            fixed_exo: true,
        };
        let p = payload("f", &x, &spec, Provenance::default()).unwrap();
        assert_eq!(
            p.profile,
            ProfileParams::FourParam([0.5, 0.467, 0.9, 0.075])
        );
    }

    #[test]
    fn errors_name_the_file_and_the_fix() {
        let x = vec![1.0; N_HUMAN + 4];
        let spec = ExoSpec {
            kind: ExoKind::NPoint(4),
            max_torque: 10.0,
            fixed_exo: false,
        };
        let e = payload("run_Best.txt", &x, &spec, Provenance::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("run_Best.txt") && e.contains("--n_points"),
            "{e}"
        );
        let spec = ExoSpec {
            kind: ExoKind::FourParam,
            max_torque: 10.0,
            fixed_exo: false,
        };
        let e = payload("run_Best.txt", &x, &spec, Provenance::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("Peak time") || e.contains("Fall") || e.contains("Rise"),
            "{e}"
        );
    }
}
