//! Supraspinal layer (`../shared/spec/original.md` section 2.5): foot-placement target α_tgt
//! and swing-leg selection in double support.

use super::buffers::{BodyDelays, LegDelays, LegOutputs};
use crate::float::Real;
use crate::params::reflex_table::ReflexParams;

/// α_tgt = α_0 − C_d·D − C_v·V − θ, with D and V the forward distance and velocity of the pelvis
/// relative to the contralateral talus (original operation order).
#[inline]
pub(crate) fn alpha_target<R: Real>(
    cp: &ReflexParams<R>,
    pelvis_pos: R,
    pelvis_vel: R,
    talus_pos: R,
    talus_vel: R,
    theta: R,
) -> R {
    let d = pelvis_pos - talus_pos;
    let v = pelvis_vel - talus_vel;
    let global = cp.alpha_0 - cp.c_d * d - cp.c_v * v;
    global - theta
}

/// Computes this step's α_tgt of each leg from the supra-delayed signals and pushes it into the
/// leg's α_tgt output line.
pub(crate) fn push_alpha_targets<R: Real>(
    cp: &ReflexParams<R>,
    body: &BodyDelays<R>,
    legs: &[LegDelays<R>; 2],
    out: &mut [LegOutputs<R>; 2],
) {
    for i in 0..2 {
        let a = alpha_target(
            cp,
            body.supra_pelvis_pos.oldest(),
            body.supra_pelvis_vel.oldest(),
            legs[i].supra_talus_pos.oldest(),
            legs[i].supra_talus_vel.oldest(),
            body.supra_theta.oldest(),
        );
        out[i].alpha_tgt.push(a);
    }
}

/// The supraspinal command of one leg for this step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SupraCommand<R> {
    /// Delayed foot-placement target (leg angle in the body frame), rad.
    pub alpha_tgt: R,
    /// Hip target of module M10: α_tgt + ½·knee_tgt.
    pub hip_tgt: R,
    /// Swing initiation used this step.
    pub swing_init: bool,
}

/// Reads the delayed targets, then selects the swing leg: in double support the leg farther
/// from its target (|α − α_tgt|, right wins only on strict ">") takes its delayed swing_init
/// command and gets 1 pushed (the other 0); otherwise both take theirs and get 0 pushed. The
/// command is read before the push, so it lags one step even in non-delayed mode.
pub(crate) fn update<R: Real>(
    cp: &ReflexParams<R>,
    legs: &[LegDelays<R>; 2],
    out: &mut [LegOutputs<R>; 2],
) -> [SupraCommand<R>; 2] {
    let half = R::c(0.5);
    let mut cmd = [SupraCommand::default(); 2];
    let mut delta = [R::zero(); 2];
    for i in 0..2 {
        let alpha = legs[i].supra_phi_hip.oldest() - half * legs[i].supra_phi_knee.oldest();
        let alpha_tgt = out[i].alpha_tgt.oldest();
        cmd[i].alpha_tgt = alpha_tgt;
        cmd[i].hip_tgt = alpha_tgt + half * cp.knee_tgt;
        let e = alpha - alpha_tgt;
        // sqrt(e²) as the original (not |e|: identical except for under/overflow of e²)
        delta[i] = (e * e).sqrt();
    }
    if legs[0].supra_contact_ipsi.oldest() && legs[1].supra_contact_ipsi.oldest() {
        let sw = if delta[0] > delta[1] { 0 } else { 1 };
        cmd[sw].swing_init = out[sw].swing_init.oldest();
        out[0].swing_init.push(sw == 0);
        out[1].swing_init.push(sw == 1);
    } else {
        for i in 0..2 {
            cmd[i].swing_init = out[i].swing_init.oldest();
            out[i].swing_init.push(false);
        }
    }
    cmd
}
