//! Build-time safety limits of a device class (never read from the blob).

use crate::float::Real;

/// Safety limits of one device build.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits<R> {
    /// Absolute torque clamp (N m); a blob whose profile can exceed it is rejected.
    pub max_torque: R,
    /// Slew limit on the commanded torque (N m/s).
    pub max_slew: R,
    /// Plausible stance durations (s): assistance only while the estimator's average stance
    /// and the current stance timer are inside [min, max].
    pub min_stance: R,
    /// See `min_stance`.
    pub max_stance: R,
    /// Stances the estimator must have stored before a leg is assisted.
    pub min_strides: u32,
    /// No sensor frame for longer than this (s) latches a comms fault.
    pub comms_timeout: R,
    /// This many consecutive overrun control steps latch a deadline fault.
    pub max_overruns: u32,
    /// Plausible normalised load range (body weights).
    pub load_range: (R, R),
    /// Plausible |ankle angle| (rad), |ankle velocity| (rad/s) and |gyro| (rad/s).
    pub max_angle: R,
    /// See `max_angle`.
    pub max_rate: R,
}

impl<R: Real> Limits<R> {
    /// Limits for a device whose actuator peaks at `max_torque` N m.
    pub fn for_max_torque(max_torque: f64) -> Self {
        Self {
            max_torque: R::c(max_torque),
            // full scale in 50 ms
            max_slew: R::c(max_torque * 20.0),
            min_stance: R::c(0.2),
            max_stance: R::c(2.0),
            min_strides: 3,
            comms_timeout: R::c(0.02),
            max_overruns: 3,
            load_range: (R::c(-0.5), R::c(10.0)),
            max_angle: R::c(3.2),
            max_rate: R::c(100.0),
        }
    }
}
