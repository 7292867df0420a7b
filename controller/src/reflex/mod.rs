//! The Song & Geyer reflex controller as MyoAssist's `MyoLocoCtrl` runs it for the 22-muscle
//! 2-D model (`../shared/spec/original.md` section 2).
//!
//! One [`Reflex::step`] does, in order: push the sensor sample into every delay line and push
//! each leg's new foot-placement target; supraspinal layer (delayed targets, swing-leg
//! selection); spinal phases of the right then the left leg; stimulations of the swing leg
//! first (the right leg if it is in swing, else the left), because each leg's module M4 reads
//! the other leg's afferent copy; push stimulations and afferent copies; return the oldest
//! element of every output line.
//!
//! Non-finite inputs: the controller never panics; a stimulation whose sum is NaN is sent as
//! the minimum 0.01 (and +inf as 1), so the muscle outputs are always in [0.01, 1]. The
//! diagnostic outputs (α_tgt) carry non-finite values through. Callers that can reject
//! non-finite sensors (the `replay` command does) should.

pub mod buffers;
pub mod delay;
pub mod modules;
pub mod phases;
pub mod sensors;
pub mod supraspinal;

pub use buffers::DelayMode;
pub use phases::{Phases, PHASE_NAMES};
pub use sensors::{LegSensors, Sensors};
pub use supraspinal::SupraCommand;

use crate::float::Real;
use crate::muscles::{Side, ACTUATOR_ORDER, N_MUSCLES};
use crate::params::pose::PoseKey;
use crate::params::reflex_table::ReflexParams;
use buffers::{Afferents, BodyDelays, LegDelays, LegOutputs};
use modules::Trunk;

/// What one control step returns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Output<R> {
    /// Stimulation sent to each muscle this step, per leg (r, l) in
    /// [`crate::muscles::MUSCLES`] order, always in [0.01, 1].
    pub stim: [[R; N_MUSCLES]; 2],
    /// Spinal phase flags after the update.
    pub phases: [Phases; 2],
    /// Supraspinal command used this step (delayed α_tgt, hip target, swing_init).
    pub supra: [SupraCommand<R>; 2],
    /// Contact memory of the phase machine after the update.
    pub in_contact: [bool; 2],
}

impl<R: Real> Output<R> {
    /// The 22 muscle controls in MuJoCo actuator order (`host::engine::MUSCLE_NAMES`).
    pub fn actuator_ctrl(&self) -> [R; 2 * N_MUSCLES] {
        let mut u = [R::zero(); 2 * N_MUSCLES];
        for side in Side::BOTH {
            for (k, m) in ACTUATOR_ORDER.iter().enumerate() {
                u[side.idx() * N_MUSCLES + k] = self.stim[side.idx()][m.idx()];
            }
        }
        u
    }
}

/// How the controller starts an episode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResetState<R> {
    /// Keyframe: decides which leg starts in swing.
    pub pose: PoseKey,
    /// First sensor sample (fills every sensory line).
    pub sample: Sensors<R>,
    /// Initial activation per leg in [`crate::muscles::MUSCLES`] order (fills the output lines).
    pub act: [[R; N_MUSCLES]; 2],
}

/// The reflex controller of both legs.
#[derive(Clone, Debug)]
pub struct Reflex<R: Real> {
    mode: DelayMode,
    cp: ReflexParams<R>,
    body: BodyDelays<R>,
    legs: [LegDelays<R>; 2],
    out: [LegOutputs<R>; 2],
    aff: [Afferents<R>; 2],
    phases: [Phases; 2],
    in_contact: [bool; 2],
}

impl<R: Real> Reflex<R> {
    /// A controller with the default (all-ones) parameters, reset from an all-zero sample.
    /// Call [`Reflex::reset`] before the first step.
    pub fn new(mode: DelayMode) -> Self {
        let cp = ReflexParams::default();
        let init = ResetState {
            pose: PoseKey::WalkLeft,
            sample: Sensors::default(),
            act: [[R::c(0.01); N_MUSCLES]; 2],
        };
        let mut r = Reflex {
            mode,
            cp,
            body: BodyDelays::new(mode, &init.sample),
            legs: [
                LegDelays::new(mode, &init.sample.leg[0]),
                LegDelays::new(mode, &init.sample.leg[1]),
            ],
            out: [
                LegOutputs::new(mode, false, R::zero(), &init.act[0]),
                LegOutputs::new(mode, false, R::zero(), &init.act[1]),
            ],
            aff: [Afferents::new(mode), Afferents::new(mode)],
            phases: [Phases::default(); 2],
            in_contact: [false; 2],
        };
        r.reset(&init, &cp);
        r
    }

    /// Delay mode.
    pub fn mode(&self) -> DelayMode {
        self.mode
    }

    /// Installed physical parameters.
    pub fn params(&self) -> &ReflexParams<R> {
        &self.cp
    }

    /// Starts an episode as the original's reset does: spinal phases from the keyframe, every
    /// delay line refilled, then `params` installed.
    ///
    /// The α_tgt lines are filled with the target computed from the first sample using the
    /// default (all-ones) parameters, because the original fills its buffers before it
    /// installs the new parameters and builds a fresh controller for every evaluation. This
    /// matters only in delayed mode. Use [`Reflex::reset_with_buffer_params`] to choose them.
    pub fn reset(&mut self, init: &ResetState<R>, params: &ReflexParams<R>) {
        self.reset_with_buffer_params(init, params, &ReflexParams::default());
    }

    /// [`Reflex::reset`] with explicit parameters for the initial α_tgt lines (the original's
    /// `cp_at_buffer_reset`).
    pub fn reset_with_buffer_params(
        &mut self,
        init: &ResetState<R>,
        params: &ReflexParams<R>,
        buffer_params: &ReflexParams<R>,
    ) {
        let m = self.mode;
        let swing = init.pose.swing_side();
        for side in Side::BOTH {
            let i = side.idx();
            let is_swing = side == swing;
            self.phases[i] = if is_swing {
                Phases::initial_swing()
            } else {
                Phases::initial_stance()
            };
            self.in_contact[i] = !is_swing;
            let s = &init.sample;
            let alpha0 = supraspinal::alpha_target(
                buffer_params,
                s.pelvis_pos_x,
                s.pelvis_vel_x,
                s.leg[i].talus_contra_pos_x,
                s.leg[i].talus_contra_vel_x,
                s.theta,
            );
            self.legs[i] = LegDelays::new(m, &s.leg[i]);
            self.out[i] = LegOutputs::new(m, is_swing, alpha0, &init.act[i]);
            self.aff[i] = Afferents::new(m);
        }
        self.body = BodyDelays::new(m, &init.sample);
        self.cp = *params;
    }

    /// Installs new parameters without touching the state.
    pub fn set_params(&mut self, params: &ReflexParams<R>) {
        self.cp = *params;
    }

    /// Current phase flags.
    pub fn phases(&self) -> &[Phases; 2] {
        &self.phases
    }

    /// One control update.
    pub fn step(&mut self, s: &Sensors<R>) -> Output<R> {
        // 1. sensory lines, then this step's foot-placement targets
        self.body.push(s);
        self.legs[0].push(&s.leg[0]);
        self.legs[1].push(&s.leg[1]);
        supraspinal::push_alpha_targets(&self.cp, &self.body, &self.legs, &mut self.out);

        // 2. supraspinal layer
        let supra = supraspinal::update(&self.cp, &self.legs, &mut self.out);

        // 3. spinal phases, right then left
        let half = R::c(0.5);
        for (i, cmd) in supra.iter().enumerate() {
            let l = &self.legs[i];
            let inputs = phases::PhaseInputs {
                contact_ipsi: l.contact_ipsi.oldest(),
                contact_contra: l.contact_contra.oldest(),
                swing_init: cmd.swing_init,
                phi_knee: l.phi_knee.oldest(),
                alpha: l.phi_hip.oldest() - half * l.phi_knee.oldest(),
                dalpha: l.dphi_hip.oldest() - half * l.dphi_knee.oldest(),
                alpha_tgt: cmd.alpha_tgt,
                alpha_delta: self.cp.alpha_delta,
                knee_sw_tgt: self.cp.knee_sw_tgt,
            };
            self.phases[i].update(&mut self.in_contact[i], &inputs);
        }

        // 4. stimulations, swing leg first
        let order = if self.phases[0].ph_sw { [0, 1] } else { [1, 0] };
        let trunk = Trunk {
            theta: self.body.module_theta.oldest(),
            dtheta: self.body.module_dtheta.oldest(),
        };
        for i in order {
            let c = 1 - i;
            let c_aff = self.aff[c].oldest();
            let (stim, aff) = modules::leg_stimulation(
                &self.cp,
                &self.legs[i],
                &trunk,
                &supra[i],
                &self.phases[i],
                &c_aff,
                self.phases[c].ph_sw,
            );
            // 5. output and afferent lines
            self.out[i].push_stim(&stim);
            self.aff[i].push(&aff);
        }

        Output {
            stim: [self.out[0].oldest_stim(), self.out[1].oldest_stim()],
            phases: self.phases,
            supra,
            in_contact: self.in_contact,
        }
    }
}
