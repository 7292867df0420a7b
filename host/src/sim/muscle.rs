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
    #[cfg(test)]
    pub fn gain(&self, len: f64, vel: f64) -> f64 {
        MuscleCurves::new(self).gain(len, vel)
    }

    /// Passive force `-F0·FP(L)` (MuJoCo `mju_muscleBias`).
    #[cfg(test)]
    pub fn bias(&self, len: f64) -> f64 {
        MuscleCurves::new(self).bias(len)
    }

    /// Actuator force `gain·act + bias` (N, negative when pulling).
    #[cfg(test)]
    pub fn force(&self, len: f64, vel: f64, act: f64) -> f64 {
        MuscleCurves::new(self).force(len, vel, act)
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

/// The FL curve's normalized length `length` (MuJoCo `mju_muscleGainLength`).
#[cfg(test)]
pub fn gain_length(length: f64, lmin: f64, lmax: f64) -> f64 {
    LengthCurve::new(lmin, lmax).at(length)
}

/// The FL curve of one muscle with its breakpoints and divisors (which depend on the
/// parameters only) computed once.
#[derive(Clone, Copy, Debug, PartialEq)]
struct LengthCurve {
    lmin: f64,
    lmax: f64,
    a: f64,
    b: f64,
    /// The divisors of the four pieces.
    da: f64,
    d1: f64,
    db: f64,
    dmax: f64,
}

impl LengthCurve {
    fn new(lmin: f64, lmax: f64) -> LengthCurve {
        let a = 0.5 * (lmin + 1.0);
        let b = 0.5 * (1.0 + lmax);
        LengthCurve {
            lmin,
            lmax,
            a,
            b,
            da: (a - lmin).max(MINVAL),
            d1: (1.0 - a).max(MINVAL),
            db: (b - 1.0).max(MINVAL),
            dmax: (lmax - b).max(MINVAL),
        }
    }

    #[inline]
    fn at(&self, length: f64) -> f64 {
        if length < self.lmin || length > self.lmax {
            return 0.0;
        }
        if length <= self.a {
            let x = (length - self.lmin) / self.da;
            0.5 * x * x
        } else if length <= 1.0 {
            let x = (1.0 - length) / self.d1;
            1.0 - 0.5 * x * x
        } else if length <= self.b {
            let x = (length - 1.0) / self.db;
            1.0 - 0.5 * x * x
        } else {
            let x = (self.lmax - length) / self.dmax;
            0.5 * x * x
        }
    }
}

/// A muscle's force curves with everything that depends on its parameters only computed once
/// (by the same operations, so to the same values): what the step evaluates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MuscleCurves {
    force: f64,
    /// Normalized length and velocity: `range[0] + (len - lr0) / lscale`, `vel / vscale`.
    range0: f64,
    lr0: f64,
    lscale: f64,
    vscale: f64,
    fl: LengthCurve,
    /// FV: `fvmax`, `y = fvmax - 1` and its divisor.
    fvmax: f64,
    y: f64,
    dy: f64,
    /// FP: normalized length `bias_range0 + (len - lr0) / bias_lscale`, the breakpoint `b`,
    /// the divisor of both pieces and `-bias_force·fpmax`.
    bias_range0: f64,
    bias_lscale: f64,
    b: f64,
    db: f64,
    fp: f64,
}

impl MuscleCurves {
    pub fn new(p: &MuscleParams) -> MuscleCurves {
        let lr = p.lengthrange;
        let l0 = (lr[1] - lr[0]) / (p.range[1] - p.range[0]).max(MINVAL);
        let r = p.bias_range;
        let bias_l0 = (lr[1] - lr[0]) / (r[1] - r[0]).max(MINVAL);
        let y = p.fvmax - 1.0;
        let b = 0.5 * (1.0 + p.bias_lmax);
        MuscleCurves {
            force: p.force,
            range0: p.range[0],
            lr0: lr[0],
            lscale: l0.max(MINVAL),
            vscale: (l0 * p.vmax).max(MINVAL),
            fl: LengthCurve::new(p.lmin, p.lmax),
            fvmax: p.fvmax,
            y,
            dy: y.max(MINVAL),
            bias_range0: r[0],
            bias_lscale: bias_l0.max(MINVAL),
            b,
            db: (b - 1.0).max(MINVAL),
            fp: -p.bias_force * p.fpmax,
        }
    }

    /// Active gain `-F0·FL(L)·FV(V)`.
    #[inline]
    pub fn gain(&self, len: f64, vel: f64) -> f64 {
        let l = self.range0 + (len - self.lr0) / self.lscale;
        let v = vel / self.vscale;
        let fl = self.fl.at(l);
        let y = self.y;
        let fv = if v <= -1.0 {
            0.0
        } else if v <= 0.0 {
            (v + 1.0) * (v + 1.0)
        } else if v <= y {
            self.fvmax - (y - v) * (y - v) / self.dy
        } else {
            self.fvmax
        };
        -self.force * fl * fv
    }

    /// Passive force `-F0·FP(L)`.
    #[inline]
    pub fn bias(&self, len: f64) -> f64 {
        let l = self.bias_range0 + (len - self.lr0) / self.bias_lscale;
        if l <= 1.0 {
            0.0
        } else if l <= self.b {
            let x = (l - 1.0) / self.db;
            self.fp * 0.5 * x * x
        } else {
            let x = (l - self.b) / self.db;
            self.fp * (0.5 + x)
        }
    }

    /// Actuator force `gain·act + bias` (N, negative when pulling).
    #[inline]
    pub fn force(&self, len: f64, vel: f64, act: f64) -> f64 {
        self.gain(len, vel) * act + self.bias(len)
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
