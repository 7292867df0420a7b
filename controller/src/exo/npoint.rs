//! The n-point profile (`../shared/spec/original.md` section 3.3): n torque fractions c_i and
//! n segment-binned normalised times u_i, stored `[c_1..c_n, u_1..u_n]`.

use super::pchip::{Knots, PchipError, MAX_POINTS};
use super::ProfileError;
use crate::float::Real;

/// Smallest valid torque fraction (the original rejects c_i < 0.01).
pub const MIN_TORQUE: f64 = 0.01;

/// Initial torque fraction of knot `i` of `n` (`calculate_npoint_torques`): peak index
/// k = floor(n/2) gets 0.5, the others 0.5 / 2^|i-k| (exact: powers of two).
pub fn default_torque(i: usize, n: usize) -> f64 {
    let mut c = 0.5;
    for _ in 0..i.abs_diff(n / 2) {
        c *= 0.5;
    }
    c
}

/// Initial normalised time of every knot (segment mid-point).
pub const DEFAULT_TIME: f64 = 0.5;

/// Splits `[c.., u..]` into torques and times, checking the length and n.
pub fn split<T: Real>(p: &[T]) -> Result<(&[T], &[T]), ProfileError> {
    if p.is_empty() || p.len() & 1 == 1 {
        return Err(ProfileError::WrongLength);
    }
    let n = p.len() / 2;
    if n > MAX_POINTS {
        return Err(ProfileError::TooManyPoints);
    }
    if p.iter().any(|v| !v.is_finite()) {
        return Err(ProfileError::NonFinite);
    }
    Ok(p.split_at(n))
}

/// The original's `check_spline_validity` for n points: every c_i in [0.01, 1] (message
/// "Torque values cannot exceed maximum torque"), then every u_i >= 0, then every u_i <= 1.
pub fn check<T: Real>(p: &[T]) -> Result<(), ProfileError> {
    let (c, u) = split(p)?;
    if c.iter().any(|&v| v < T::c(MIN_TORQUE) || v > T::one()) {
        return Err(ProfileError::TorqueOutOfRange);
    }
    if u.iter().any(|&v| v < T::zero()) {
        return Err(ProfileError::TimeNegative);
    }
    if u.iter().any(|&v| v > T::one()) {
        return Err(ProfileError::TimeAbove100);
    }
    Ok(())
}

/// Knots (0,0), (t_i, c_i max_torque) ..., (100, 0) with t_i = (lo_i + u_i (hi_i - lo_i)) 100
/// on the segment bounds of `np.linspace(0, 1, n + 1)` (lo_i = i (1/n), the last bound exactly
/// 1), rounded exactly as the original. Equal abscissae (u_0 = 0, u_i = 1 with u_{i+1} = 0,
/// u_{n-1} = 1) fail as SciPy does.
pub fn knots<T: Real>(p: &[T], max_torque: T) -> Result<Knots<T>, ProfileError> {
    let (c, u) = split(p)?;
    let n = c.len();
    let step = T::one() / T::c(n as f64);
    let bound = |j: usize| {
        if j == n {
            T::one()
        } else {
            T::c(j as f64) * step
        }
    };
    let h = T::c(100.0);
    let mut k = Knots::new();
    k.push(T::zero(), T::zero()).map_err(ProfileError::Spline)?;
    for (i, (&ci, &ui)) in c.iter().zip(u).enumerate() {
        let (lo, hi) = (bound(i), bound(i + 1));
        let t = (lo + ui * (hi - lo)) * h;
        k.push(t, ci * max_torque).map_err(ProfileError::Spline)?;
    }
    k.push(h, T::zero()).map_err(ProfileError::Spline)?;
    match k.check() {
        Ok(()) => Ok(k),
        Err(PchipError::NotIncreasing) => Err(ProfileError::KnotsNotIncreasing),
        Err(e) => Err(ProfileError::Spline(e)),
    }
}
