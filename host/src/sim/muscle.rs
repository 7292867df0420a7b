//! MuJoCo's rigid-tendon muscle, exactly as `engine_util_misc.c` (MuJoCo 3.3.3) computes it:
//! the piecewise-quadratic force-length (FL), force-velocity (FV) and passive (FP) curves,
//! `gain = -F0·FL·FV`, `bias = -F0·FP`, `force = gain·act + bias` (negative when pulling), and
//! the activation dynamics with Millard's activation-dependent time constants, integrated by
//! MuJoCo's Euler step `act += dt·act_dot`.
//!
//! The operations are kept in MuJoCo's order (same divisions, same clamps) so that the results
//! agree with the engine to rounding (`../shared/reference/README.md` section 6).

/// MuJoCo's `mjMINVAL`: the floor of every divisor.
pub const MINVAL: f64 = 1e-15;

/// The parameters of one muscle actuator (MuJoCo `gainprm`/`biasprm`/`dynprm` + lengthrange).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MuscleParams {
    /// Operating range of normalized length, `gainprm[0..2]`.
    pub range: [f64; 2],
    /// Peak active isometric force F0 (`gainprm[2]`), N. Must be positive (no `scale/acc0`).
    pub force: f64,
    /// Peak force used by the passive curve (`biasprm[2]`); differs from `force` for edl/fdl.
    pub bias_force: f64,
    /// Lower and upper normalized lengths where the active force vanishes.
    pub lmin: f64,
    pub lmax: f64,
    /// Shortening velocity at which the force vanishes, in L0 per second.
    pub vmax: f64,
    /// Passive force at `lmax`, in units of F0 (`biasprm[7]`).
    pub fpmax: f64,
    /// Active force at saturating lengthening velocity, in units of F0.
    pub fvmax: f64,
    /// `lmax` used by the passive curve (`biasprm[5]`).
    pub bias_lmax: f64,
    /// `range` used by the passive curve (`biasprm[0..2]`).
    pub bias_range: [f64; 2],
    /// Actuator length range, m.
    pub lengthrange: [f64; 2],
    /// Activation and deactivation time constants, s (`dynprm[0..2]`).
    pub tau_act: f64,
    pub tau_deact: f64,
}

impl MuscleParams {
    /// Builds from MuJoCo's 10-element `gainprm`, `biasprm`, `dynprm` and `lengthrange`.
    pub fn from_mujoco(
        gainprm: &[f64],
        biasprm: &[f64],
        dynprm: &[f64],
        lengthrange: [f64; 2],
    ) -> Self {
        Self {
            range: [gainprm[0], gainprm[1]],
            force: gainprm[2],
            lmin: gainprm[4],
            lmax: gainprm[5],
            vmax: gainprm[6],
            fvmax: gainprm[8],
            bias_range: [biasprm[0], biasprm[1]],
            bias_force: biasprm[2],
            bias_lmax: biasprm[5],
            fpmax: biasprm[7],
            lengthrange,
            tau_act: dynprm[0],
            tau_deact: dynprm[1],
        }
    }

    /// Active gain `-F0·FL(L)·FV(V)` (MuJoCo `mju_muscleGain`).
    #[inline]
    pub fn gain(&self, len: f64, vel: f64) -> f64 {
        let l0 = (self.lengthrange[1] - self.lengthrange[0])
            / (self.range[1] - self.range[0]).max(MINVAL);
        let l = self.range[0] + (len - self.lengthrange[0]) / l0.max(MINVAL);
        let v = vel / (l0 * self.vmax).max(MINVAL);
        let fl = gain_length(l, self.lmin, self.lmax);
        let y = self.fvmax - 1.0;
        let fv = if v <= -1.0 {
            0.0
        } else if v <= 0.0 {
            (v + 1.0) * (v + 1.0)
        } else if v <= y {
            self.fvmax - (y - v) * (y - v) / y.max(MINVAL)
        } else {
            self.fvmax
        };
        -self.force * fl * fv
    }

    /// Passive force `-F0·FP(L)` (MuJoCo `mju_muscleBias`).
    #[inline]
    pub fn bias(&self, len: f64) -> f64 {
        let r = self.bias_range;
        let l0 = (self.lengthrange[1] - self.lengthrange[0]) / (r[1] - r[0]).max(MINVAL);
        let l = r[0] + (len - self.lengthrange[0]) / l0.max(MINVAL);
        let b = 0.5 * (1.0 + self.bias_lmax);
        if l <= 1.0 {
            0.0
        } else if l <= b {
            let x = (l - 1.0) / (b - 1.0).max(MINVAL);
            -self.bias_force * self.fpmax * 0.5 * x * x
        } else {
            let x = (l - b) / (b - 1.0).max(MINVAL);
            -self.bias_force * self.fpmax * (0.5 + x)
        }
    }

    /// Actuator force `gain·act + bias` (N, negative when pulling).
    #[inline]
    pub fn force(&self, len: f64, vel: f64, act: f64) -> f64 {
        self.gain(len, vel) * act + self.bias(len)
    }

    /// Activation derivative for excitation `ctrl` (MuJoCo `mju_muscleDynamics`, no smoothing).
    #[inline]
    pub fn act_dot(&self, ctrl: f64, act: f64) -> f64 {
        let ctrlclamp = ctrl.clamp(0.0, 1.0);
        let actclamp = act.clamp(0.0, 1.0);
        let tau_act = self.tau_act * (0.5 + 1.5 * actclamp);
        let tau_deact = self.tau_deact / (0.5 + 1.5 * actclamp);
        let dctrl = ctrlclamp - act;
        let tau = if dctrl > 0.0 { tau_act } else { tau_deact };
        dctrl / tau.max(MINVAL)
    }

    /// Activation after one Euler step of `dt` (MuJoCo: `act + dt·act_dot`, no actlimited clamp).
    #[inline]
    pub fn next_act(&self, ctrl: f64, act: f64, dt: f64) -> f64 {
        act + self.act_dot(ctrl, act) * dt
    }
}

/// MuJoCo's active force-length curve (`mju_muscleGainLength`).
#[inline]
pub fn gain_length(length: f64, lmin: f64, lmax: f64) -> f64 {
    if length < lmin || length > lmax {
        return 0.0;
    }
    let a = 0.5 * (lmin + 1.0);
    let b = 0.5 * (1.0 + lmax);
    if length <= a {
        let x = (length - lmin) / (a - lmin).max(MINVAL);
        0.5 * x * x
    } else if length <= 1.0 {
        let x = (1.0 - length) / (1.0 - a).max(MINVAL);
        1.0 - 0.5 * x * x
    } else if length <= b {
        let x = (length - 1.0) / (b - 1.0).max(MINVAL);
        1.0 - 0.5 * x * x
    } else {
        let x = (lmax - length) / (lmax - b).max(MINVAL);
        0.5 * x * x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::fixtures::{fvec, glob, json, Csv};
    use std::collections::HashMap;

    /// Muscle parameters of every actuator of a compiled-model summary, by name.
    fn params(summary: &serde_json::Value) -> HashMap<String, MuscleParams> {
        let mut m = HashMap::new();
        for a in summary["actuators"].as_array().into_iter().flatten() {
            if a["gaintype"] != "mjGAIN_MUSCLE" {
                continue;
            }
            let lr = fvec(&a["lengthrange"]);
            let p = MuscleParams::from_mujoco(
                &fvec(&a["gainprm"]),
                &fvec(&a["biasprm"]),
                &fvec(&a["dynprm"]),
                [lr[0], lr[1]],
            );
            m.insert(a["name"].as_str().unwrap_or("").to_string(), p);
        }
        m
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1e-300)
    }

    fn baseline() -> HashMap<String, MuscleParams> {
        params(&json(
            &crate::reference::dir().join("model_summary_BASELINE.json"),
        ))
    }

    #[test]
    fn force_table_matches_mujoco() {
        let files = glob("muscle_force_table", ".csv");
        assert!(
            !files.is_empty(),
            "no muscle_force_table*.csv in the reference folder"
        );
        let p = baseline();
        let mut n = 0;
        for f in files {
            let t = Csv::read(&f);
            for r in 0..t.rows.len() {
                let name = &t.rows[r][t.col("actuator")];
                let m = p
                    .get(name)
                    .unwrap_or_else(|| panic!("unknown actuator {name}"));
                let (len, vel, act) = (t.f(r, "length"), t.f(r, "velocity"), t.f(r, "act"));
                for (what, got, want) in [
                    ("gain", m.gain(len, vel), t.f(r, "gain")),
                    ("bias", m.bias(len), t.f(r, "bias")),
                    ("force", m.force(len, vel, act), t.f(r, "force")),
                ] {
                    let ok = if want == 0.0 {
                        got.abs() <= 1e-9
                    } else {
                        rel(got, want) <= 1e-9
                    };
                    assert!(
                        ok,
                        "{} row {r} {name} {what}: got {got}, want {want}",
                        f.display()
                    );
                }
                n += 1;
            }
        }
        assert!(n > 0);
    }

    #[test]
    fn activation_dynamics_matches_mujoco() {
        let files = glob("muscle_activation_dynamics", ".csv");
        assert!(!files.is_empty());
        let m = baseline()["soleus_r"];
        for f in files {
            let t = Csv::read(&f);
            assert!(!t.rows.is_empty());
            for r in 0..t.rows.len() {
                let (ctrl, act) = (t.f(r, "ctrl"), t.f(r, "act"));
                let (want_dot, want_next) = (t.f(r, "act_dot"), t.f(r, "act_next_after_1ms_step"));
                let got_dot = m.act_dot(ctrl, act);
                let got_next = m.next_act(ctrl, act, 0.001);
                let ok_dot = if want_dot == 0.0 {
                    got_dot == 0.0
                } else {
                    rel(got_dot, want_dot) <= 1e-9
                };
                assert!(
                    ok_dot,
                    "{} row {r}: act_dot {got_dot} vs {want_dot}",
                    f.display()
                );
                let ok_next = if want_next == 0.0 {
                    got_next.abs() <= 1e-15
                } else {
                    rel(got_next, want_next) <= 1e-9
                };
                assert!(
                    ok_next,
                    "{} row {r}: next act {got_next} vs {want_next}",
                    f.display()
                );
            }
        }
    }

    #[test]
    fn curves_have_mujoco_shape() {
        // FL peaks at 1 at L = 1 and vanishes outside [lmin, lmax].
        assert_eq!(gain_length(1.0, 0.0, 1.8), 1.0);
        assert_eq!(gain_length(-0.1, 0.0, 1.8), 0.0);
        assert_eq!(gain_length(1.9, 0.0, 1.8), 0.0);
    }
}
