//! One leg's exo controller: stance estimator + profile, as the original's
//! `FourParamSplineController` / `NPointSplineController.update(load)`.

use super::profile::{ExoKind, Profile};
use super::stance::StanceEstimator;
use super::ProfileError;
use crate::float::Real;

/// MuJoCo control for a torque: u = -tau / 100 (actuator gain 100, ctrlrange [-1, 0]).
pub fn mujoco_control<T: Real>(torque: T) -> T {
    -torque / T::c(100.0)
}

/// Stance estimator and torque profile of one leg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExoController<T: Real> {
    profile: Profile<T>,
    stance: StanceEstimator<T>,
    pct: T,
    torque: T,
}

impl<T: Real> ExoController<T> {
    /// A controller for the exo parameter slice `p` (see [`Profile::new`]).
    pub fn new(
        kind: ExoKind,
        p: &[T],
        max_torque: T,
        fixed_exo: bool,
    ) -> Result<Self, ProfileError> {
        Ok(Self::from_profile(Profile::new(
            kind, p, max_torque, fixed_exo,
        )?))
    }

    /// A controller around an already built (e.g. blob-decoded) profile.
    pub fn from_profile(profile: Profile<T>) -> Self {
        Self {
            profile,
            stance: StanceEstimator::new(),
            pct: T::zero(),
            torque: T::zero(),
        }
    }

    /// One control step: update the estimator with this leg's normalised load, return the
    /// clamped torque (N m) at the new stance percentage.
    pub fn step(&mut self, load: T, dt: T) -> T {
        self.stance.update(load, dt);
        self.pct = self.stance.stance_pct();
        self.torque = self.profile.torque(self.pct);
        self.torque
    }

    /// Back to the initial estimator state (same profile).
    pub fn reset(&mut self) {
        self.stance = StanceEstimator::new();
        self.pct = T::zero();
        self.torque = T::zero();
    }

    /// The stance estimator.
    pub fn stance(&self) -> &StanceEstimator<T> {
        &self.stance
    }

    /// The profile.
    pub fn profile(&self) -> &Profile<T> {
        &self.profile
    }

    /// Stance percentage of the last step.
    pub fn stance_pct(&self) -> T {
        self.pct
    }

    /// Torque of the last step (N m).
    pub fn torque(&self) -> T {
        self.torque
    }
}
