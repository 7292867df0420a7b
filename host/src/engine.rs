//! The one small interface between an episode and a physics engine.
//!
//! `eval` runs the original's episode (reset from the pose parameters, controller every control
//! step, exo torques, termination, per-step record) against any [`Engine`]: the native planar
//! simulator (`sim`, default) or MuJoCo itself (`mujoco`, cargo feature). Everything the
//! controller and the cost read is in [`Observation`], with the original's semantics
//! (`../shared/reference/README.md` sections 9, 10 and 13), so both engines can be compared
//! step by step.
//!
//! Ownership: the episode code (`eval`) owns this contract; engines adapt to it.

/// Independent planar degrees of freedom, in the reference files' order.
pub const DOF_NAMES: [&str; 11] = [
    "pelvis_tx",
    "pelvis_ty",
    "pelvis_tilt",
    "hip_flexion_r",
    "knee_angle_r",
    "ankle_angle_r",
    "mtp_angle_r",
    "hip_flexion_l",
    "knee_angle_l",
    "ankle_angle_l",
    "mtp_angle_l",
];

/// Muscle actuators in MuJoCo actuator order of the 22-muscle 2-D models (as compiled: see
/// `actuator_names` in `../shared/reference/cost_*_results.json` and `model_summary_*.json`).
pub const MUSCLE_NAMES: [&str; 22] = [
    "hamstrings_r",
    "bifemsh_r",
    "edl_r",
    "fdl_r",
    "glutmax_r",
    "iliopsoas_r",
    "rectfem_r",
    "vasti_r",
    "gastroc_r",
    "soleus_r",
    "tibant_r",
    "hamstrings_l",
    "bifemsh_l",
    "edl_l",
    "fdl_l",
    "glutmax_l",
    "iliopsoas_l",
    "rectfem_l",
    "vasti_l",
    "gastroc_l",
    "soleus_l",
    "tibant_l",
];

/// Index of a muscle actuator in [`MUSCLE_NAMES`].
pub fn muscle_index(name: &str) -> Option<usize> {
    MUSCLE_NAMES.iter().position(|m| *m == name)
}

/// Index of an independent DOF in [`DOF_NAMES`].
pub fn dof_index(name: &str) -> Option<usize> {
    DOF_NAMES.iter().position(|d| *d == name)
}

/// Sides, right first as in the original's arrays.
pub const SIDES: [&str; 2] = ["r", "l"];

/// The state an episode starts from: the keyframe overwritten by the pose parameters.
///
/// Engines apply it as the original does (`../shared/spec/original.md` 4.3): keyframe qpos/qvel,
/// forward pass, the overrides, all activations 0.01 then `act`, forward pass, then shift
/// `pelvis_ty` so that the lowest of the sites `r_heel_btm, r_toe_btm, l_heel_btm, l_toe_btm`
/// sits at `height_offset`, forward pass. Construct with `..Default::default()` so that new
/// fields do not break callers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResetSpec {
    /// Keyframe name (`walk_left`, `walk_right`, `stand`, ...).
    pub keyframe: String,
    /// Overrides of independent joint positions (name from [`DOF_NAMES`], value in MuJoCo convention).
    pub qpos: Vec<(String, f64)>,
    /// Overrides of independent joint velocities.
    pub qvel: Vec<(String, f64)>,
    /// Initial muscle activations (all others 0.01), by muscle name.
    pub act: Vec<(String, f64)>,
    /// Height offset the lowest heel/toe site is put at (0 on flat ground).
    pub height_offset: f64,
    /// Terrain slope in degrees as given by `--tgt_slope` (0 = flat).
    pub slope_deg: f64,
    /// `true` (`--myoassist_parity`): build the original's heightfield ramp from `slope_deg`
    /// (original.md 4.2: 449 of 500 columns over 100 m, so about 22 % of the nominal grade).
    /// `false`: a plane through the origin at the nominal `slope_deg`.
    pub original_heightfield: bool,
}

impl ResetSpec {
    /// The original's reset for the pose parameters (`myoLeg_reflex.adjust_initial_pose_cmaes`):
    /// keyframe `key`, `pelvis_tilt`, hip/knee/ankle angles, `pelvis_tx` velocity and the 18
    /// initial activations (FDL/EDL keep 0.01), flat ground.
    pub fn from_pose(
        pose: &controller::params::pose::Pose<f64>,
        key: controller::params::pose::PoseKey,
    ) -> Self {
        use controller::muscles::{Muscle, Side, MUSCLES};
        let mut spec = ResetSpec {
            keyframe: key.name().into(),
            ..Default::default()
        };
        spec.qpos.push(("pelvis_tilt".into(), pose.pelvis_tilt));
        for side in Side::BOTH {
            let (s, p) = (side.idx(), side.letter());
            spec.qpos
                .push((format!("hip_flexion_{p}"), pose.hip_flexion[s]));
            spec.qpos
                .push((format!("knee_angle_{p}"), pose.knee_angle[s]));
            spec.qpos
                .push((format!("ankle_angle_{p}"), pose.ankle_angle[s]));
        }
        spec.qvel.push(("pelvis_tx".into(), pose.vel_pelvis_tx));
        for side in Side::BOTH {
            let (s, p) = (side.idx(), side.letter());
            for m in MUSCLES {
                if m != Muscle::Fdl && m != Muscle::Edl {
                    spec.act
                        .push((format!("{}_{p}", m.actuator()), pose.act[s][m.idx()]));
                }
            }
        }
        spec
    }
}

/// Everything the controller, the exo and the cost read at one instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observation {
    /// Simulated time, s.
    pub time: f64,
    /// Positions of the independent DOFs ([`DOF_NAMES`] order), MuJoCo convention.
    pub q: [f64; 11],
    /// Velocities of the independent DOFs.
    pub qd: [f64; 11],
    /// Pelvis body quaternion (w, x, y, z), world frame.
    pub pelvis_quat: [f64; 4],
    /// Torso body quaternion (w, x, y, z), world frame.
    pub torso_quat: [f64; 4],
    /// Torso angular velocity in its local frame (MuJoCo object velocity).
    pub torso_angvel_local: [f64; 3],
    /// Pelvis body world position and linear velocity.
    pub pelvis_pos: [f64; 3],
    pub pelvis_vel: [f64; 3],
    /// Talus body world position and linear velocity, per side (r, l).
    pub talus_pos: [[f64; 3]; 2],
    pub talus_vel: [[f64; 3]; 2],
    /// Touch sensors `r_foot, r_toes, l_foot, l_toes`, N.
    pub touch: [f64; 4],
    /// Muscle actuator force (N, negative when pulling), [`MUSCLE_NAMES`] order.
    pub muscle_force: [f64; 22],
    /// Muscle actuator length (m) and velocity (m/s).
    pub muscle_len: [f64; 22],
    pub muscle_vel: [f64; 22],
    /// Muscle activation states.
    pub act: [f64; 22],
    /// World anchors of hip, knee and ankle joints, per side (r, l).
    pub joint_anchor: [[[f64; 3]; 3]; 2],
    /// Joint-limit torque of the 8 limited leg DOFs (hip, knee, ankle, mtp; r then l), N m.
    pub limit_torque: [f64; 8],
    /// Vertical force of all ground contacts on the model, N.
    pub grf_z_total: f64,
    /// Lowest world z of every body with index >= 2 (validity check of the reset), m.
    pub min_body_z: f64,
}

/// Errors an engine reports.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("unknown keyframe `{0}`")]
    UnknownKeyframe(String),
    #[error("unknown joint or muscle `{0}`")]
    UnknownName(String),
    #[error("simulation became unstable at t = {time} s: {what}")]
    Unstable { time: f64, what: String },
    #[error("{0}")]
    Other(String),
}

/// A physics engine an episode can run on.
pub trait Engine: Send {
    /// Name shown to users (`native`, `mujoco`).
    fn name(&self) -> &'static str;
    /// Total body mass, kg (the controller's body weight is this times 9.8).
    fn total_mass(&self) -> f64;
    /// Number of exo actuators (0 or 2).
    fn n_exo(&self) -> usize;
    /// Resets to `spec` (keyframe, overrides, height rule) and runs the forward pass.
    fn reset(&mut self, spec: &ResetSpec) -> Result<(), EngineError>;
    /// Sets the controls: 22 muscle excitations and the exo actuator controls (raw `ctrl`).
    fn set_ctrl(&mut self, muscles: &[f64; 22], exo: &[f64]);
    /// Advances `n` physics steps of 1 ms with the current controls.
    fn step(&mut self, n: usize) -> Result<(), EngineError>;
    /// Sensors at the current state, computed with the current controls (the forward pass
    /// MyoSuite runs after each environment step).
    fn observe(&mut self) -> Observation;
    /// Joint range (lower, upper) of an independent DOF ([`DOF_NAMES`] index) when the joint is
    /// limited; the reset's validity check requires hip, knee and ankle inside their ranges.
    fn dof_range(&self, _dof: usize) -> Option<(f64, f64)> {
        None
    }
    /// Peak isometric force F0 of each muscle ([`MUSCLE_NAMES`] order; MuJoCo `gainprm[2]`),
    /// which the controller's force feedback divides by. `None` if the engine cannot say.
    fn muscle_peak_force(&self) -> Option<[f64; 22]> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controller_actuator_order_matches_the_models() {
        use controller::muscles::{Side, ACTUATOR_ORDER, N_MUSCLES};
        for side in Side::BOTH {
            for (k, m) in ACTUATOR_ORDER.iter().enumerate() {
                let name = format!("{}_{}", m.actuator(), side.letter());
                assert_eq!(MUSCLE_NAMES[side.idx() * N_MUSCLES + k], name);
            }
        }
    }
}
