//! The firmware's control step, board-independent so that the host runs it too: sensor frame
//! in, command out, around the exo controller of each leg, with the safety layer of
//! `../shared/spec/embedded.md` section 5.4:
//!
//! - zero torque unless the leg's stance estimator has `min_strides` plausible stances stored
//!   (average stance and current stance timer inside [min_stance, max_stance]);
//! - clamp to [0, device max torque] and a slew limit on the command;
//! - comms watchdog (no frame for `comms_timeout`), deadline watchdog (`max_overruns`
//!   consecutive overruns), sensor plausibility, non-finite output: each latches a fault with a
//!   reason code, after which the torque stays 0 until reset;
//! - a device without valid parameters never leaves zero torque (`Device::rejected`).
//!
//! The host's HIL check runs this same code in `f32` and requires identical commands.

mod fault;
mod frame;
mod limits;
mod region;
pub mod replay;

pub use fault::{Reason, State};
pub use frame::{
    Command, SensorFrame, COMMAND_RECORD, INPUT_PRESENT, INPUT_RECORD, INPUT_STALL, LEGS,
    SENSOR_RECORD,
};
pub use limits::Limits;
pub use region::blob_in_region;

use crate::exo::{ExoController, Profile, SlewLimiter};
use crate::float::Real;

/// One device: an exo controller and a slew limiter per leg, the watchdogs and the fault latch.
#[derive(Debug, Clone)]
pub struct Device<R: Real> {
    legs: Option<[ExoController<R>; LEGS]>,
    slew: [SlewLimiter<R>; LEGS],
    limits: Limits<R>,
    dt: R,
    /// Latched fault (or the reason the device has no parameters).
    fault: Option<Reason>,
    /// Time since the last frame (s).
    since_frame: R,
    overruns: u32,
    seq: u32,
}

impl<R: Real> Device<R> {
    /// A device running `profile` on both legs at control period `dt` (s).
    pub fn new(profile: Profile<R>, limits: Limits<R>, dt: R) -> Self {
        let leg = ExoController::from_profile(profile);
        Self::build(Some([leg, leg]), None, limits, dt)
    }

    /// A device that has no usable parameters: zero torque forever, reporting `reason`.
    pub fn rejected(reason: Reason, limits: Limits<R>, dt: R) -> Self {
        Self::build(None, Some(reason), limits, dt)
    }

    fn build(
        legs: Option<[ExoController<R>; LEGS]>,
        fault: Option<Reason>,
        limits: Limits<R>,
        dt: R,
    ) -> Self {
        let slew = SlewLimiter::new(limits.max_slew);
        Self {
            legs,
            slew: [slew, slew],
            limits,
            dt,
            fault,
            since_frame: R::zero(),
            overruns: 0,
            seq: 0,
        }
    }

    /// The latched fault, if any.
    pub fn fault(&self) -> Option<Reason> {
        self.fault
    }

    /// The control period (s).
    pub fn dt(&self) -> R {
        self.dt
    }

    /// The exo controller of each leg (None without parameters).
    pub fn legs(&self) -> Option<&[ExoController<R>; LEGS]> {
        self.legs.as_ref()
    }

    /// One control tick. `frame` is this tick's sensor frame (None if none arrived);
    /// `overran` says whether the previous step missed its deadline.
    pub fn step(&mut self, frame: Option<&SensorFrame<R>>, overran: bool) -> Command<R> {
        self.watch_deadline(overran);
        match frame {
            Some(f) => {
                self.since_frame = R::zero();
                self.seq = f.seq;
                if self.fault.is_none() && !self.plausible(f) {
                    self.latch(Reason::SensorImplausible);
                }
            }
            None => {
                self.since_frame = self.since_frame + self.dt;
                if self.since_frame > self.limits.comms_timeout {
                    self.latch(Reason::CommsTimeout);
                }
            }
        }
        if let Some(reason) = self.fault {
            return Command::zero(self.seq, State::Fault, reason);
        }
        let Some(legs) = self.legs.as_mut() else {
            return Command::zero(self.seq, State::Fault, Reason::BlobMissing);
        };
        let mut cmd = Command::zero(self.seq, State::Gated, Reason::None);
        let Some(f) = frame else {
            // No data this tick: ramp toward zero, keep the estimator where it was.
            for (i, slew) in self.slew.iter_mut().enumerate() {
                cmd.torque[i] = slew.step(R::zero(), self.dt);
            }
            return cmd;
        };
        let mut assisting = false;
        for (i, leg) in legs.iter_mut().enumerate() {
            let raw = leg.step(f.load[i], self.dt);
            cmd.profile[i] = raw;
            cmd.stance_pct[i] = leg.stance_pct();
            let armed = armed(leg, &self.limits);
            assisting |= armed;
            let target = if armed {
                clamp(raw, self.limits.max_torque)
            } else {
                R::zero()
            };
            cmd.torque[i] = self.slew[i].step(target, self.dt);
        }
        if !(cmd
            .profile
            .iter()
            .chain(cmd.torque.iter())
            .all(|t| t.is_finite()))
        {
            self.latch(Reason::NonFiniteOutput);
            return Command::zero(self.seq, State::Fault, Reason::NonFiniteOutput);
        }
        if assisting {
            cmd.state = State::Assist;
        }
        cmd
    }

    fn watch_deadline(&mut self, overran: bool) {
        if overran {
            self.overruns = self.overruns.saturating_add(1);
            if self.overruns >= self.limits.max_overruns {
                self.latch(Reason::DeadlineOverrun);
            }
        } else {
            self.overruns = 0;
        }
    }

    fn plausible(&self, f: &SensorFrame<R>) -> bool {
        let l = &self.limits;
        let within = |v: R, lo: R, hi: R| v.is_finite() && v >= lo && v <= hi;
        (0..LEGS).all(|i| {
            within(f.load[i], l.load_range.0, l.load_range.1)
                && within(f.ankle_angle[i], -l.max_angle, l.max_angle)
                && within(f.ankle_velocity[i], -l.max_rate, l.max_rate)
                && within(f.gyro[i], -l.max_rate, l.max_rate)
        })
    }

    /// Latches a fault (the first reason is kept) and drops the command to zero at once.
    pub fn latch(&mut self, reason: Reason) {
        if self.fault.is_none() {
            self.fault = Some(reason);
        }
        for s in self.slew.iter_mut() {
            s.reset_to(R::zero());
        }
    }
}

/// The device clamp: [0, max]; NaN gives 0 (a second layer behind the profile's own clamp).
fn clamp<R: Real>(v: R, max: R) -> R {
    if v > max {
        max
    } else if v >= R::zero() {
        v
    } else {
        R::zero()
    }
}

/// A leg is assisted only once its estimator has enough stored stances and both the average
/// stance and the running stance timer are plausible.
fn armed<R: Real>(leg: &ExoController<R>, l: &Limits<R>) -> bool {
    let s = leg.stance();
    let avg = s.avg_stance();
    s.strides() >= l.min_strides
        && avg >= l.min_stance
        && avg <= l.max_stance
        && s.stance_time() <= l.max_stance
}

#[cfg(test)]
mod tests;
