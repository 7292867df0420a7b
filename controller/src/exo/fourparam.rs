//! The legacy 4-parameter profile (`../shared/spec/original.md` section 3.2): peak torque
//! fraction P, rise R, peak time Tp, fall F, all normalised to [0, 1], times in % of stance.

use super::pchip::{Knots, PchipError};
use super::ProfileError;
use crate::float::Real;

/// Number of parameters.
pub const LEN: usize = 4;
/// Defaults (Poggensee & Collins 2021), also what `--fixed_exo` always uses.
pub const DEFAULTS: [f64; LEN] = [0.5, 0.467, 0.90, 0.075];

/// The original's `check_spline_validity` for the 4-parameter form, first failure wins:
/// 50 <= t_p <= 100, 0 < r < t_p, 0 < f < 100 - t_p (with r = 100 R, t_p = 100 Tp, f = 100 F).
/// The peak torque is not checked (the original accepts negative or > 1 values).
pub fn check<T: Real>(p: &[T]) -> Result<(), ProfileError> {
    let [_, rise, peak, fall] = take(p)?;
    let h = T::c(100.0);
    let (r, tp, f) = (rise * h, peak * h, fall * h);
    if tp < T::c(50.0) {
        return Err(ProfileError::PeakTimeBelow50);
    }
    if tp > h {
        return Err(ProfileError::PeakTimeAbove100);
    }
    if !(r > T::zero() && r < tp) {
        return Err(ProfileError::RiseOutOfRange);
    }
    if !(f > T::zero() && f < h - tp) {
        return Err(ProfileError::FallOutOfRange);
    }
    Ok(())
}

/// The original's knot construction: (0,0); (t_p - r, 0) if > 0; (t_p, P max_torque);
/// (min(100, t_p + f), 0) if greater than the previous knot; (100, 0) if the last knot < 100.
/// Fails like the original ("Phase points must be strictly increasing") on equal or
/// decreasing abscissae.
pub fn knots<T: Real>(p: &[T], max_torque: T) -> Result<Knots<T>, ProfileError> {
    let [torque, rise, peak, fall] = take(p)?;
    let h = T::c(100.0);
    let (r, tp, f) = (rise * h, peak * h, fall * h);
    let mut k = Knots::new();
    k.push(T::zero(), T::zero()).map_err(ProfileError::Spline)?;
    let start = tp - r;
    if start > T::zero() {
        k.push(start, T::zero()).map_err(ProfileError::Spline)?;
    }
    k.push(tp, torque * max_torque)
        .map_err(ProfileError::Spline)?;
    let end = if tp + f < h { tp + f } else { h };
    if end > k.last_x() {
        k.push(end, T::zero()).map_err(ProfileError::Spline)?;
    }
    if k.last_x() < h {
        k.push(h, T::zero()).map_err(ProfileError::Spline)?;
    }
    match k.check() {
        Ok(()) => Ok(k),
        Err(PchipError::TooFewKnots) | Err(PchipError::NotIncreasing) => {
            Err(ProfileError::KnotsNotIncreasing)
        }
        Err(e) => Err(ProfileError::Spline(e)),
    }
}

fn take<T: Real>(p: &[T]) -> Result<[T; LEN], ProfileError> {
    match p {
        &[a, b, c, d] => {
            if [a, b, c, d].iter().all(|v| v.is_finite()) {
                Ok([a, b, c, d])
            } else {
                Err(ProfileError::NonFinite)
            }
        }
        _ => Err(ProfileError::WrongLength),
    }
}
