//! Muscle stimulation laws M1–M10 of one leg (`../shared/spec/original.md` section 2.7).
//!
//! Every expression keeps the original's operation order, so f64 results are bit-identical to
//! MyoAssist. ⌈x⌉ = max(x, 0).

use super::buffers::{AfferentValues, LegDelays};
use super::phases::Phases;
use super::supraspinal::SupraCommand;
use crate::float::Real;
use crate::muscles::{Muscle, N_MUSCLES};
use crate::params::reflex_table::ReflexParams;

/// Pre-stimulation added to every muscle.
pub const PRE_STIM: f64 = 0.01;
/// Lower limit of a stimulation.
pub const STIM_MIN: f64 = 0.01;
/// Upper limit of a stimulation.
pub const STIM_MAX: f64 = 1.0;

/// Clip to [0.01, 1]. A NaN (possible only from non-finite inputs) gives 0.01, +inf gives 1.
#[inline]
pub fn clip_stim<R: Real>(x: R) -> R {
    let (lo, hi) = (R::c(STIM_MIN), R::c(STIM_MAX));
    if x > hi {
        hi
    } else if x >= lo {
        x
    } else {
        lo
    }
}

/// ⌈x⌉ = max(x, 0).
#[inline]
fn pos<R: Real>(x: R) -> R {
    // NaN propagates, as numpy's maximum
    if x > R::zero() || x.is_nan() {
        x
    } else {
        R::zero()
    }
}

/// `np.clip(x, 0, 1)`.
#[inline]
fn clip01<R: Real>(x: R) -> R {
    if x < R::zero() {
        R::zero()
    } else if x > R::one() {
        R::one()
    } else {
        x
    }
}

#[inline]
fn flag<R: Real>(b: bool) -> R {
    if b {
        R::one()
    } else {
        R::zero()
    }
}

/// Module-delayed body signals.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Trunk<R> {
    pub theta: R,
    pub dtheta: R,
}

/// Computes the clipped stimulations ([`crate::muscles::MUSCLES`] order) and the clipped
/// afferent copies of one leg. `c_aff` are the other leg's delayed afferent copies, `c_ph_sw`
/// its swing flag.
pub(crate) fn leg_stimulation<R: Real>(
    cp: &ReflexParams<R>,
    s: &LegDelays<R>,
    trunk: &Trunk<R>,
    cmd: &SupraCommand<R>,
    ph: &Phases,
    c_aff: &AfferentValues<R>,
    c_ph_sw: bool,
) -> ([R; N_MUSCLES], AfferentValues<R>) {
    let half = R::c(0.5);
    let neg = -R::one();

    let load_ipsi = s.load_ipsi.oldest();
    let load_contra = s.load_contra.oldest();
    let phi_hip = s.phi_hip.oldest();
    let phi_knee = s.phi_knee.oldest();
    let dphi_knee = s.dphi_knee.oldest();
    let alpha = phi_hip - half * phi_knee;
    let dalpha = s.dphi_hip.oldest() - half * dphi_knee;
    let (theta, dtheta) = (trunk.theta, trunk.dtheta);

    let alpha_tgt = cmd.alpha_tgt;
    let alpha_delta = cp.alpha_delta;
    let hip_tgt = cmd.hip_tgt;

    let ph_st = flag::<R>(ph.ph_st);
    let ph_sw = flag::<R>(ph.ph_sw);
    let ph_st_st = flag::<R>(ph.ph_st_st);
    let ph_st_sw0 = flag::<R>(ph.ph_st_sw0);
    let sw1 = flag::<R>(ph.sw1);
    let sw2 = flag::<R>(ph.sw2);
    let sw3 = flag::<R>(ph.sw3);
    let sw4 = flag::<R>(ph.sw4);
    let c_sw = flag::<R>(c_ph_sw);

    // stance gate: ph_st_st + ph_st_sw0·clip(1 − Tr_St_sup·load_contra, 0, 1)
    let l_st = ph_st_st + ph_st_sw0 * clip01(R::one() - cp.tr_st_sup * load_contra);
    // swing gate: ph_st_sw0·Tr_Sw·load_contra + ph_sw
    let tr_sw_load = cp.tr_sw * load_contra;
    let l_sw = ph_st_sw0 * tr_sw_load + ph_sw;

    // M1 positive force feedback
    let glu_1 = l_st * pos(cp.m1_glu_fg * s.f_glu.oldest());
    let vas_1 = l_st * pos(cp.m1_vas_fg * s.f_vas.oldest());
    let sol_1 = ph_st * pos(cp.m1_sol_fg * s.f_sol.oldest());
    let fdl_1 = ph_st * pos(cp.m1_fdl_fg * s.f_fdl.oldest());

    // M2 knee hyperextension
    let ham_2 = l_st * pos(cp.m2_ham_fg * s.f_ham.oldest());
    let vas_2 = neg * l_st * pos(cp.m2_vas_bfsh_pg * (phi_knee - cmd_knee_off_st(cp)));
    let bfsh_2 = l_st * (cp.m2_bfsh_pg * pos(phi_knee - cmd_knee_off_st(cp)));
    let gas_2 = ph_st * pos(cp.m2_gas_fg * s.f_gas.oldest());

    // M3 trunk balance
    let st_load = ph_st * load_ipsi;
    let hfl_3 =
        st_load * pos(neg * (cp.m3_hfl_th * (theta - cp.theta_tgt)) - cp.m3_hfl_d_th * dtheta);
    let glu_3_raw = st_load * (cp.m3_glu_th * (theta - cp.theta_tgt) + cp.m3_glu_d_th * dtheta);
    let glu_3 = pos(glu_3_raw);
    let ham_3 = pos(cp.m3_ham_glu_sg * glu_3_raw);

    // M4 contralateral swing
    let hfl_4 = c_sw * (cp.m4_hfl_c_glu_pg * c_aff.glu + cp.m4_hfl_c_ham_pg * c_aff.ham);
    let glu_4 = c_sw * (cp.m4_glu_c_hfl_pg * c_aff.hfl + cp.m4_glu_c_rf_pg * c_aff.rf);
    let ham_4 = c_sw * (cp.m4_ham_glu_pg * glu_4);

    // M5 ankle and toes
    let ta_5 = pos(cp.m5_ta_pg * (s.phi_ankle.oldest() - cp.ankle_tgt));
    let ta_5_st = neg * ph_st * (cp.m5_ta_sol_fg * pos(s.f_sol.oldest()));
    let edl_5 = pos(cp.m5_edl_pg * (s.phi_mtp.oldest() - cp.mtp_tgt));
    let edl_5_st = neg * ph_st * (cp.m5_edl_fdl_fg * pos(s.f_fdl.oldest()));

    // M6 swing hip
    let hfl_6 = l_sw * pos(cp.m6_hfl_rf_pg * (alpha - alpha_tgt) + cp.m6_hfl_rf_vg * dalpha);
    let glu_6 =
        l_sw * pos(neg * cp.m6_glu_ham_pg * (alpha - alpha_tgt) - cp.m6_glu_ham_vg * dalpha);

    // M7 early-swing knee
    let bfsh_7 = (sw1 + ph_st_sw0 * tr_sw_load) * pos(neg * (cp.m7_bfsh_rf_vg * dalpha));

    // M8 mid-swing knee
    let rf_8 = sw2 * pos(neg * (cp.m8_rf_vg * dphi_knee));
    let bfsh_8 = sw2 * (pos(cp.m8_bfsh_vg * dphi_knee) * pos(cp.m8_bfsh_pg * (alpha - alpha_tgt)));

    // M9 late-swing stop
    let ham_9 = sw3 * pos(neg * cp.m9_ham_pg * (alpha - (alpha_tgt + alpha_delta)));
    let bfsh_9 = sw3 * pos(cp.m9_bfsh_ham_sg * (ham_9 - cp.m9_bfsh_ham_thr));
    let gas_9 = sw3 * pos(cp.m9_gas_ham_sg * (ham_9 - cp.m9_gas_ham_thr));

    // M10 leg hold
    let hfl_10 = sw4 * pos(cp.m10_hfl_pg * (phi_hip - hip_tgt));
    let glu_10 = sw4 * pos(neg * cp.m10_glu_pg * (phi_hip - hip_tgt));
    let vas_10 = sw4 * pos(neg * cp.m10_vas_pg * (phi_knee - cp.knee_tgt));

    let pre = R::c(PRE_STIM);
    let mut stim = [R::zero(); N_MUSCLES];
    stim[Muscle::Glu.idx()] = pre + glu_1 + glu_3 + glu_4 + glu_6 + glu_10;
    stim[Muscle::Vas.idx()] = pre + vas_1 + vas_2 + vas_10;
    stim[Muscle::Sol.idx()] = pre + sol_1;
    stim[Muscle::Ham.idx()] = pre + ham_2 + ham_3 + ham_4 + ham_9;
    stim[Muscle::Gas.idx()] = pre + gas_2 + gas_9;
    stim[Muscle::Bfsh.idx()] = pre + bfsh_2 + bfsh_7 + bfsh_8 + bfsh_9;
    stim[Muscle::Hfl.idx()] = pre + hfl_3 + hfl_4 + hfl_6 + hfl_10;
    stim[Muscle::Ta.idx()] = pre + ta_5 + ta_5_st;
    stim[Muscle::Rf.idx()] = pre + rf_8;
    stim[Muscle::Fdl.idx()] = pre + fdl_1;
    stim[Muscle::Edl.idx()] = pre + edl_5 + edl_5_st;
    for v in stim.iter_mut() {
        *v = clip_stim(*v);
    }

    let aff = AfferentValues {
        hfl: clip_stim(hfl_6 + hfl_10),
        glu: clip_stim(glu_6 + glu_10),
        ham: clip_stim(ham_9),
        rf: clip_stim(rf_8),
    };
    (stim, aff)
}

/// knee_off_st passes through the supraspinal layer unchanged.
#[inline]
fn cmd_knee_off_st<R: Real>(cp: &ReflexParams<R>) -> R {
    cp.knee_off_st
}
