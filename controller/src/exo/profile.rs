//! A torque profile over % stance built from an exo parameter slice.

use super::pchip::{Knots, Pchip};
use super::{fourparam, npoint, ProfileError};
use crate::float::Real;

/// Which exo profile a parameter slice describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExoKind {
    /// Legacy 4-parameter spline (`--use_4param_spline`): 4 values.
    FourParam,
    /// n-point spline (`--n_points n`): 2n values.
    NPoint(usize),
}

impl ExoKind {
    /// Length of the exo slice in the parameter vector.
    pub fn len(&self) -> usize {
        match self {
            Self::FourParam => fourparam::LEN,
            Self::NPoint(n) => 2 * n,
        }
    }

    /// True for an n-point profile with zero points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The original's validity check of the parameter slice (first failure).
    pub fn check<T: Real>(&self, p: &[T]) -> Result<(), ProfileError> {
        if p.len() != self.len() {
            return Err(ProfileError::WrongLength);
        }
        match self {
            Self::FourParam => fourparam::check(p),
            Self::NPoint(_) => npoint::check(p),
        }
    }

    /// The original's knot construction.
    pub fn knots<T: Real>(&self, p: &[T], max_torque: T) -> Result<Knots<T>, ProfileError> {
        if p.len() != self.len() {
            return Err(ProfileError::WrongLength);
        }
        match self {
            Self::FourParam => fourparam::knots(p, max_torque),
            Self::NPoint(_) => npoint::knots(p, max_torque),
        }
    }

    /// The initial (x0) exo slice: 4-param defaults, or geometric torques and times 0.5.
    /// Writes `self.len()` values into `out` (which must be at least that long).
    pub fn defaults<T: Real>(&self, out: &mut [T]) -> Result<(), ProfileError> {
        let out = out.get_mut(..self.len()).ok_or(ProfileError::WrongLength)?;
        match self {
            Self::FourParam => {
                for (o, &d) in out.iter_mut().zip(&fourparam::DEFAULTS) {
                    *o = T::c(d);
                }
            }
            Self::NPoint(n) => {
                let (c, u) = out.split_at_mut(*n);
                for (i, ci) in c.iter_mut().enumerate() {
                    *ci = T::c(npoint::default_torque(i, *n));
                }
                u.iter_mut().for_each(|ui| *ui = T::c(npoint::DEFAULT_TIME));
            }
        }
        Ok(())
    }
}

/// Torque as a function of % stance: the PCHIP through the profile's knots, clamped to
/// [0, max_torque].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile<T: Real> {
    spline: Pchip<T>,
    max_torque: T,
}

impl<T: Real> Profile<T> {
    /// Checks the slice as the original does before an episode, then builds the spline (from
    /// the 4-param defaults instead of the slice when `fixed_exo`, which n-point ignores).
    /// Any error here is an invalid evaluation (cost 1.2e6) in the original.
    pub fn new(
        kind: ExoKind,
        p: &[T],
        max_torque: T,
        fixed_exo: bool,
    ) -> Result<Self, ProfileError> {
        if !(max_torque.is_finite() && max_torque >= T::zero()) {
            return Err(ProfileError::BadMaxTorque);
        }
        kind.check(p)?;
        Self::build(kind, p, max_torque, fixed_exo)
    }

    /// Builds the spline without the validity check, as the original's controller objects do
    /// (the episode checks validity separately): fails only where the original's construction
    /// raises (equal or decreasing knot times) or on non-finite values.
    pub fn build(
        kind: ExoKind,
        p: &[T],
        max_torque: T,
        fixed_exo: bool,
    ) -> Result<Self, ProfileError> {
        if !(max_torque.is_finite() && max_torque >= T::zero()) {
            return Err(ProfileError::BadMaxTorque);
        }
        let knots = if fixed_exo && kind == ExoKind::FourParam {
            let d = fourparam::DEFAULTS.map(T::c);
            kind.knots(&d, max_torque)?
        } else {
            kind.knots(p, max_torque)?
        };
        let spline = Pchip::new(&knots).map_err(ProfileError::Spline)?;
        Ok(Self { spline, max_torque })
    }

    /// The interpolant.
    pub fn spline(&self) -> &Pchip<T> {
        &self.spline
    }

    /// The torque scale (N m).
    pub fn max_torque(&self) -> T {
        self.max_torque
    }

    /// clip(spline(pct), 0, max_torque); NaN gives 0.
    pub fn torque(&self, pct: T) -> T {
        clamp(self.spline.eval(pct), self.max_torque)
    }
}

/// clip(v, 0, max) with NaN mapped to 0 (numpy would keep NaN; never reached with finite
/// inputs, and zero is the safe command).
pub(crate) fn clamp<T: Real>(v: T, max: T) -> T {
    if v.is_nan() || v < T::zero() {
        T::zero()
    } else if v > max {
        max
    } else {
        v
    }
}
