//! The controller's delay lines (`../shared/spec/original.md` section 2.3): sensory buffers
//! split into "module" (spinal) and "supra" (supraspinal) copies, output buffers per muscle
//! and the afferent copies for the contralateral module M4.
//!
//! Capacities are the 1-kHz lengths n = round(delay / 1 ms); in non-delayed mode every line
//! has length 1. Buffers the 2-D controller never reads (supra θ̇, supra φ̇, supra
//! contact_contra, frontal-plane signals) are left out: they cannot change any output.

use super::delay::DelayLine;
use super::sensors::{LegSensors, Sensors};
use crate::float::Real;
use crate::muscles::{Muscle, N_MUSCLES};

/// Delay mode of the controller (`--delayed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DelayMode {
    /// Control step 10 ms, every buffer of length 1 (all shipped configs).
    #[default]
    NonDelayed,
    /// Control step 1 ms with the neural delays of the table below.
    Delayed,
}

impl DelayMode {
    /// `--delayed 0|1`.
    pub const fn from_flag(delayed: bool) -> Self {
        if delayed {
            DelayMode::Delayed
        } else {
            DelayMode::NonDelayed
        }
    }
    /// Control step of this mode, s.
    pub const fn dt(self) -> f64 {
        match self {
            DelayMode::NonDelayed => 0.01,
            DelayMode::Delayed => 0.001,
        }
    }
    /// Length of a buffer whose 1-kHz length is `n`.
    pub const fn len(self, n: usize) -> usize {
        match self {
            DelayMode::NonDelayed => 1,
            DelayMode::Delayed => n,
        }
    }
}

/// Buffer lengths at 1 kHz (delays: long-loop 15 ms, long 10, mid 5, short 3 ms).
pub mod lens {
    /// Short + long-loop (module θ, θ̇; supra φ_hip).
    pub const SHORT_LOOP: usize = 18;
    /// Mid + long-loop (supra contact, supra φ_knee).
    pub const MID_LOOP: usize = 20;
    /// Long + long-loop (supra talus position and velocity).
    pub const LONG_LOOP: usize = 25;
    /// Long-loop (output swing_init and α_tgt).
    pub const LOOP: usize = 15;
    /// Short (hip) delay.
    pub const SHORT: usize = 3;
    /// Mid (knee) delay.
    pub const MID: usize = 5;
    /// Long (ankle) delay.
    pub const LONG: usize = 10;
}
use lens::*;

/// Body-level sensory buffers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyDelays<R: Copy> {
    pub module_theta: DelayLine<R, SHORT_LOOP>,
    pub module_dtheta: DelayLine<R, SHORT_LOOP>,
    pub supra_theta: DelayLine<R, SHORT>,
    pub supra_pelvis_pos: DelayLine<R, SHORT>,
    pub supra_pelvis_vel: DelayLine<R, SHORT>,
}

impl<R: Real> BodyDelays<R> {
    pub fn new(m: DelayMode, s: &Sensors<R>) -> Self {
        BodyDelays {
            module_theta: DelayLine::filled(m.len(SHORT_LOOP), s.theta),
            module_dtheta: DelayLine::filled(m.len(SHORT_LOOP), s.dtheta),
            supra_theta: DelayLine::filled(m.len(SHORT), s.theta),
            supra_pelvis_pos: DelayLine::filled(m.len(SHORT), s.pelvis_pos_x),
            supra_pelvis_vel: DelayLine::filled(m.len(SHORT), s.pelvis_vel_x),
        }
    }
    pub fn push(&mut self, s: &Sensors<R>) {
        self.module_theta.push(s.theta);
        self.module_dtheta.push(s.dtheta);
        self.supra_theta.push(s.theta);
        self.supra_pelvis_pos.push(s.pelvis_pos_x);
        self.supra_pelvis_vel.push(s.pelvis_vel_x);
    }
}

/// Sensory buffers of one leg.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LegDelays<R: Copy> {
    pub supra_talus_pos: DelayLine<R, LONG_LOOP>,
    pub supra_talus_vel: DelayLine<R, LONG_LOOP>,
    pub supra_contact_ipsi: DelayLine<bool, MID_LOOP>,
    pub supra_phi_hip: DelayLine<R, SHORT_LOOP>,
    pub supra_phi_knee: DelayLine<R, MID_LOOP>,
    pub load_ipsi: DelayLine<R, SHORT>,
    pub load_contra: DelayLine<R, SHORT>,
    pub contact_ipsi: DelayLine<bool, MID>,
    pub contact_contra: DelayLine<bool, MID>,
    pub phi_hip: DelayLine<R, SHORT>,
    pub dphi_hip: DelayLine<R, SHORT>,
    pub phi_knee: DelayLine<R, MID>,
    pub dphi_knee: DelayLine<R, MID>,
    pub phi_ankle: DelayLine<R, LONG>,
    pub phi_mtp: DelayLine<R, LONG>,
    pub f_glu: DelayLine<R, SHORT>,
    pub f_ham: DelayLine<R, SHORT>,
    pub f_vas: DelayLine<R, MID>,
    pub f_gas: DelayLine<R, LONG>,
    pub f_sol: DelayLine<R, LONG>,
    pub f_fdl: DelayLine<R, LONG>,
}

impl<R: Real> LegDelays<R> {
    pub fn new(m: DelayMode, s: &LegSensors<R>) -> Self {
        LegDelays {
            supra_talus_pos: DelayLine::filled(m.len(LONG_LOOP), s.talus_contra_pos_x),
            supra_talus_vel: DelayLine::filled(m.len(LONG_LOOP), s.talus_contra_vel_x),
            supra_contact_ipsi: DelayLine::filled(m.len(MID_LOOP), s.contact_ipsi),
            supra_phi_hip: DelayLine::filled(m.len(SHORT_LOOP), s.phi_hip),
            supra_phi_knee: DelayLine::filled(m.len(MID_LOOP), s.phi_knee),
            load_ipsi: DelayLine::filled(m.len(SHORT), s.load_ipsi),
            load_contra: DelayLine::filled(m.len(SHORT), s.load_contra),
            contact_ipsi: DelayLine::filled(m.len(MID), s.contact_ipsi),
            contact_contra: DelayLine::filled(m.len(MID), s.contact_contra),
            phi_hip: DelayLine::filled(m.len(SHORT), s.phi_hip),
            dphi_hip: DelayLine::filled(m.len(SHORT), s.dphi_hip),
            phi_knee: DelayLine::filled(m.len(MID), s.phi_knee),
            dphi_knee: DelayLine::filled(m.len(MID), s.dphi_knee),
            phi_ankle: DelayLine::filled(m.len(LONG), s.phi_ankle),
            phi_mtp: DelayLine::filled(m.len(LONG), s.phi_mtp),
            f_glu: DelayLine::filled(m.len(SHORT), s.f_glu),
            f_ham: DelayLine::filled(m.len(SHORT), s.f_ham),
            f_vas: DelayLine::filled(m.len(MID), s.f_vas),
            f_gas: DelayLine::filled(m.len(LONG), s.f_gas),
            f_sol: DelayLine::filled(m.len(LONG), s.f_sol),
            f_fdl: DelayLine::filled(m.len(LONG), s.f_fdl),
        }
    }
    pub fn push(&mut self, s: &LegSensors<R>) {
        self.supra_talus_pos.push(s.talus_contra_pos_x);
        self.supra_talus_vel.push(s.talus_contra_vel_x);
        self.supra_contact_ipsi.push(s.contact_ipsi);
        self.supra_phi_hip.push(s.phi_hip);
        self.supra_phi_knee.push(s.phi_knee);
        self.load_ipsi.push(s.load_ipsi);
        self.load_contra.push(s.load_contra);
        self.contact_ipsi.push(s.contact_ipsi);
        self.contact_contra.push(s.contact_contra);
        self.phi_hip.push(s.phi_hip);
        self.dphi_hip.push(s.dphi_hip);
        self.phi_knee.push(s.phi_knee);
        self.dphi_knee.push(s.dphi_knee);
        self.phi_ankle.push(s.phi_ankle);
        self.phi_mtp.push(s.phi_mtp);
        self.f_glu.push(s.f_glu);
        self.f_ham.push(s.f_ham);
        self.f_vas.push(s.f_vas);
        self.f_gas.push(s.f_gas);
        self.f_sol.push(s.f_sol);
        self.f_fdl.push(s.f_fdl);
    }
}

/// Output buffers of one leg: the swing-initiation command, the foot-placement target and the
/// 11 muscle stimulations.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LegOutputs<R: Copy> {
    pub swing_init: DelayLine<bool, LOOP>,
    pub alpha_tgt: DelayLine<R, LOOP>,
    pub hfl: DelayLine<R, SHORT>,
    pub glu: DelayLine<R, SHORT>,
    pub ham: DelayLine<R, SHORT>,
    pub rf: DelayLine<R, SHORT>,
    pub vas: DelayLine<R, MID>,
    pub bfsh: DelayLine<R, MID>,
    pub gas: DelayLine<R, LONG>,
    pub sol: DelayLine<R, LONG>,
    pub ta: DelayLine<R, LONG>,
    pub fdl: DelayLine<R, LONG>,
    pub edl: DelayLine<R, LONG>,
}

impl<R: Real> LegOutputs<R> {
    /// Buffers holding `swing_init`, `alpha_tgt` and the initial activations `act`
    /// ([`crate::muscles::MUSCLES`] order). The activations are clipped to the stimulation
    /// range [0.01, 1] (a no-op for every pose vector inside the CMA bounds, which map to
    /// [0.01, 0.5]), so that even the first, buffered outputs of delayed mode stay in range.
    pub fn new(m: DelayMode, swing_init: bool, alpha_tgt: R, act: &[R; N_MUSCLES]) -> Self {
        let a = |mu: Muscle| super::modules::clip_stim(act[mu.idx()]);
        LegOutputs {
            swing_init: DelayLine::filled(m.len(LOOP), swing_init),
            alpha_tgt: DelayLine::filled(m.len(LOOP), alpha_tgt),
            hfl: DelayLine::filled(m.len(SHORT), a(Muscle::Hfl)),
            glu: DelayLine::filled(m.len(SHORT), a(Muscle::Glu)),
            ham: DelayLine::filled(m.len(SHORT), a(Muscle::Ham)),
            rf: DelayLine::filled(m.len(SHORT), a(Muscle::Rf)),
            vas: DelayLine::filled(m.len(MID), a(Muscle::Vas)),
            bfsh: DelayLine::filled(m.len(MID), a(Muscle::Bfsh)),
            gas: DelayLine::filled(m.len(LONG), a(Muscle::Gas)),
            sol: DelayLine::filled(m.len(LONG), a(Muscle::Sol)),
            ta: DelayLine::filled(m.len(LONG), a(Muscle::Ta)),
            fdl: DelayLine::filled(m.len(LONG), a(Muscle::Fdl)),
            edl: DelayLine::filled(m.len(LONG), a(Muscle::Edl)),
        }
    }

    /// Pushes the 11 stimulations ([`crate::muscles::MUSCLES`] order).
    pub fn push_stim(&mut self, s: &[R; N_MUSCLES]) {
        self.hfl.push(s[Muscle::Hfl.idx()]);
        self.glu.push(s[Muscle::Glu.idx()]);
        self.ham.push(s[Muscle::Ham.idx()]);
        self.rf.push(s[Muscle::Rf.idx()]);
        self.vas.push(s[Muscle::Vas.idx()]);
        self.bfsh.push(s[Muscle::Bfsh.idx()]);
        self.gas.push(s[Muscle::Gas.idx()]);
        self.sol.push(s[Muscle::Sol.idx()]);
        self.ta.push(s[Muscle::Ta.idx()]);
        self.fdl.push(s[Muscle::Fdl.idx()]);
        self.edl.push(s[Muscle::Edl.idx()]);
    }

    /// The stimulations sent to the muscles this step (oldest of each buffer).
    pub fn oldest_stim(&self) -> [R; N_MUSCLES] {
        let mut o = [R::zero(); N_MUSCLES];
        o[Muscle::Hfl.idx()] = self.hfl.oldest();
        o[Muscle::Glu.idx()] = self.glu.oldest();
        o[Muscle::Ham.idx()] = self.ham.oldest();
        o[Muscle::Rf.idx()] = self.rf.oldest();
        o[Muscle::Vas.idx()] = self.vas.oldest();
        o[Muscle::Bfsh.idx()] = self.bfsh.oldest();
        o[Muscle::Gas.idx()] = self.gas.oldest();
        o[Muscle::Sol.idx()] = self.sol.oldest();
        o[Muscle::Ta.idx()] = self.ta.oldest();
        o[Muscle::Fdl.idx()] = self.fdl.oldest();
        o[Muscle::Edl.idx()] = self.edl.oldest();
        o
    }
}

/// Afferent copies a leg sends to the other leg's module M4 (3-ms lines).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Afferents<R: Copy> {
    pub glu: DelayLine<R, SHORT>,
    pub ham: DelayLine<R, SHORT>,
    pub hfl: DelayLine<R, SHORT>,
    pub rf: DelayLine<R, SHORT>,
}

/// One set of afferent values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AfferentValues<R> {
    pub glu: R,
    pub ham: R,
    pub hfl: R,
    pub rf: R,
}

impl<R: Real> Afferents<R> {
    /// Lines filled with 0.01, as the original.
    pub fn new(m: DelayMode) -> Self {
        let v = R::c(0.01);
        Afferents {
            glu: DelayLine::filled(m.len(SHORT), v),
            ham: DelayLine::filled(m.len(SHORT), v),
            hfl: DelayLine::filled(m.len(SHORT), v),
            rf: DelayLine::filled(m.len(SHORT), v),
        }
    }
    pub fn push(&mut self, a: &AfferentValues<R>) {
        self.glu.push(a.glu);
        self.ham.push(a.ham);
        self.hfl.push(a.hfl);
        self.rf.push(a.rf);
    }
    pub fn oldest(&self) -> AfferentValues<R> {
        AfferentValues {
            glu: self.glu.oldest(),
            ham: self.ham.oldest(),
            hfl: self.hfl.oldest(),
            rf: self.rf.oldest(),
        }
    }
}
