//! Slew-rate limit on the commanded torque: a firmware safety feature
//! (`../shared/spec/embedded.md` section 5.4). The host episode does not use it (the original
//! has none), so simulated and firmware torques agree whenever the profile is slower than the
//! limit.

use crate::float::Real;

/// Limits how fast a command may change: at most `max_rate * dt` per step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlewLimiter<T: Real> {
    max_rate: T,
    last: T,
}

impl<T: Real> SlewLimiter<T> {
    /// A limiter at `max_rate` (units per second, e.g. N m/s), starting from 0. A NaN or
    /// negative rate is treated as 0 (the output never moves).
    pub fn new(max_rate: T) -> Self {
        let max_rate = if max_rate.is_nan() || max_rate < T::zero() {
            T::zero()
        } else {
            max_rate
        };
        Self {
            max_rate,
            last: T::zero(),
        }
    }

    /// Moves toward `target` by at most `max_rate * dt`; a NaN target counts as 0.
    pub fn step(&mut self, target: T, dt: T) -> T {
        let target = if target.is_nan() { T::zero() } else { target };
        let dt = if dt.is_nan() || dt < T::zero() {
            T::zero()
        } else {
            dt
        };
        let max_step = self.max_rate * dt;
        let delta = target - self.last;
        let delta = if delta > max_step {
            max_step
        } else if delta < -max_step {
            -max_step
        } else {
            delta
        };
        let next = self.last + delta;
        if next.is_finite() {
            self.last = next;
        }
        self.last
    }

    /// The last output.
    pub fn value(&self) -> T {
        self.last
    }

    /// Forces the output (e.g. to 0 on a fault).
    pub fn reset_to(&mut self, value: T) {
        self.last = if value.is_finite() { value } else { T::zero() };
    }
}
