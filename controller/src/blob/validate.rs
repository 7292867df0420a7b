//! Semantic checks of a decoded payload and the dry run of its profile.

use super::payload::{ExoParamsV1, ProfileParams};
use super::Reason;
use crate::exo::{ExoKind, Profile, ProfileError, MAX_POINTS};

/// Largest `max_torque` (N m) a blob may carry, whatever the device.
pub const MAX_TORQUE_BOUND: f32 = 1000.0;
/// Dry-run grid: this many steps over 0..=100 % stance (plus every knot).
pub const DRY_RUN_STEPS: u32 = 1000;

/// Checks a payload and builds its profile. `device_max_torque` (N m) is the caller's limit.
/// Returns the profile and the largest torque of the dry run.
pub fn validate(p: &ExoParamsV1, device_max_torque: f32) -> Result<(Profile<f32>, f32), Reason> {
    if !(device_max_torque.is_finite() && device_max_torque > 0.0) {
        return Err(Reason::BadLimits);
    }
    let mut buf = [0.0f32; 2 * MAX_POINTS];
    if let ProfileParams::NPoint { n, torques, times } = &p.profile {
        let n = *n as usize;
        if n == 0 || n > MAX_POINTS {
            return Err(Reason::PointCountOutOfBounds);
        }
        if torques.iter().chain(times).any(|v| !v.is_finite()) || !p.max_torque.is_finite() {
            return Err(Reason::NonFinite);
        }
        if torques[n..].iter().chain(&times[n..]).any(|&v| v != 0.0) {
            return Err(Reason::UnusedNotZero);
        }
    }
    let slice = p.profile.to_slice(&mut buf);
    if slice.iter().any(|v| !v.is_finite()) || !p.max_torque.is_finite() {
        return Err(Reason::NonFinite);
    }
    if !(p.max_torque > 0.0 && p.max_torque <= MAX_TORQUE_BOUND) {
        return Err(Reason::MaxTorqueOutOfBounds);
    }
    let kind = p.profile.kind();
    let in01 = |v: &f32| (0.0..=1.0).contains(v);
    let (torques, times) = match kind {
        ExoKind::FourParam => slice.split_at(1),
        ExoKind::NPoint(n) => slice.split_at(n),
    };
    if !torques.iter().all(in01) {
        return Err(Reason::TorqueOutOfBounds);
    }
    if !times.iter().all(in01) {
        return Err(Reason::TimeOutOfBounds);
    }
    let profile = Profile::new(kind, slice, p.max_torque, false).map_err(reason_of)?;
    let peak = dry_run(&profile, device_max_torque)?;
    Ok((profile, peak))
}

/// The reason code of a profile error.
pub fn reason_of(e: ProfileError) -> Reason {
    match e {
        ProfileError::WrongLength | ProfileError::TooManyPoints => Reason::PointCountOutOfBounds,
        ProfileError::NonFinite => Reason::NonFinite,
        ProfileError::BadMaxTorque => Reason::MaxTorqueOutOfBounds,
        ProfileError::PeakTimeBelow50 | ProfileError::PeakTimeAbove100 => {
            Reason::PeakTimeOutOfRange
        }
        ProfileError::RiseOutOfRange => Reason::RiseOutOfRange,
        ProfileError::FallOutOfRange => Reason::FallOutOfRange,
        ProfileError::TorqueOutOfRange => Reason::TorqueOutOfBounds,
        ProfileError::TimeNegative | ProfileError::TimeAbove100 => Reason::TimeOutOfBounds,
        ProfileError::KnotsNotIncreasing | ProfileError::Spline(_) => Reason::KnotsNotIncreasing,
    }
}

/// Evaluates the unclamped spline on a 0.1 % grid and at every knot; every value must be finite
/// and at most `limit`. Returns the largest clamped torque (what would be commanded).
pub fn dry_run(profile: &Profile<f32>, limit: f32) -> Result<f32, Reason> {
    let spline = profile.spline();
    let mut peak = 0.0f32;
    let grid = (0..=DRY_RUN_STEPS).map(|i| i as f32 * (100.0 / DRY_RUN_STEPS as f32));
    for s in grid.chain(spline.knots().x().iter().copied()) {
        let raw = spline.eval(s);
        if !raw.is_finite() {
            return Err(Reason::DryRunNonFinite);
        }
        if raw > limit {
            return Err(Reason::DryRunOverLimit);
        }
        peak = peak.max(profile.torque(s));
    }
    Ok(peak)
}
