//! Spatial tendons and actuators (muscles and exo devices).

use serde::{Deserialize, Serialize};

/// A spatial tendon: a polyline through sites (no wrapping objects in these models).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tendon {
    pub name: String,
    /// Site indices in path order.
    pub sites: Vec<usize>,
    /// Tendon limits (HMEDI cables: [0, 2]).
    pub limited: bool,
    pub range: [f64; 2],
    /// Passive tendon stiffness/damping (0 in these models) and MJCF `springlength` if given.
    pub stiffness: f64,
    pub damping: f64,
    pub springlength: Option<f64>,
}

/// MuJoCo's muscle parameters (`gainprm`/`biasprm` of a muscle, named).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MusclePrm {
    /// Operating range of normalized length `[range0, range1]` mapped onto `lengthrange`.
    pub range: [f64; 2],
    /// Peak force F0 (N); if negative MuJoCo uses scale/acc0 (never in these models).
    pub force: f64,
    pub scale: f64,
    /// Normalized length limits of the active force-length curve.
    pub lmin: f64,
    pub lmax: f64,
    /// Maximum shortening velocity in optimal lengths per second.
    pub vmax: f64,
    /// Passive force at lmax, relative to `force`.
    pub fpmax: f64,
    /// Force-velocity plateau for lengthening.
    pub fvmax: f64,
}

impl MusclePrm {
    /// From MuJoCo's 10-element prm vector.
    pub fn from_prm(p: &[f64; 10]) -> Self {
        MusclePrm {
            range: [p[0], p[1]],
            force: p[2],
            scale: p[3],
            lmin: p[4],
            lmax: p[5],
            vmax: p[6],
            fpmax: p[7],
            fvmax: p[8],
        }
    }
}

/// What an actuator pulls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum Transmission {
    /// Joint torque/force `gear * force` on `Model::joints[index]`.
    Joint(usize),
    /// Tension along `Model::tendons[index]` (moment = gear * d length / d q).
    Tendon(usize),
}

/// Activation dynamics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Dynamics {
    /// No activation state: force follows ctrl.
    None,
    /// MuJoCo muscle activation: tau_act, tau_deact (s), smoothing width (0 = hard switch).
    Muscle {
        tau_act: f64,
        tau_deact: f64,
        tausmooth: f64,
    },
}

/// Gain: force = gain * act (or ctrl) + bias.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Gain {
    /// Constant gain `k`.
    Fixed { k: f64 },
    /// MuJoCo muscle gain -F0 FL(L) FV(V).
    Muscle(MusclePrm),
}

/// Bias term of the force.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Bias {
    None,
    /// `b0 + b1 * length + b2 * velocity`.
    Affine {
        b: [f64; 3],
    },
    /// MuJoCo muscle passive force -F0 FP(L).
    Muscle(MusclePrm),
}

/// Role of an actuator in the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActuatorKind {
    /// A human muscle (MuJoCo muscle dynamics, gain and bias).
    Muscle,
    /// An exo or prosthesis device actuator.
    Device,
}

/// One actuator (MuJoCo `<general>`/`<motor>` after default classes are applied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actuator {
    pub name: String,
    pub kind: ActuatorKind,
    pub transmission: Transmission,
    /// gear[0] (the only one that matters for joints and tendons).
    pub gear: f64,
    pub dynamics: Dynamics,
    pub gain: Gain,
    pub bias: Bias,
    /// ctrl is clamped to this range when `ctrllimited` (MuJoCo clampctrl).
    pub ctrllimited: bool,
    pub ctrlrange: [f64; 2],
    /// Actuator length range used by the muscle normalization ([0, 0] when unused).
    pub lengthrange: [f64; 2],
    /// MuJoCo's raw prm vectors, kept for exact comparison.
    pub gainprm: [f64; 10],
    pub biasprm: [f64; 10],
    pub dynprm: [f64; 10],
}
