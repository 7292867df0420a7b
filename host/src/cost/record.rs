//! The per-step record the cost reads (`../shared/spec/original.md` 5.1), one per control step,
//! taken after the environment step.

/// Column order of [`StepRecord::angles`]: torso pitch, then Geyer hip, knee, ankle of the left
/// leg, then of the right leg (the order of the reference kinematics).
pub const ANGLE_NAMES: [&str; 7] = [
    "torso_pitch",
    "l_hip",
    "l_knee",
    "l_ankle",
    "r_hip",
    "r_knee",
    "r_ankle",
];

/// What the original's `collectCost` keeps of one control step (the fields the cost reads).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepRecord {
    /// Simulated time rounded to 1e-4 s, as recorded.
    pub sim_time: f64,
    /// A heel (`r_foot`/`l_foot` touch) rose above 0.1 BW this step.
    pub new_step: bool,
    /// Pelvis body world position.
    pub pelvis: [f64; 3],
    /// [`ANGLE_NAMES`] order: torso pitch (Euler pitch of the torso quaternion) and Geyer angles.
    pub angles: [f64; 7],
    /// World anchors of the hip, knee and ankle joints: `[side][joint]`, side 0 = right, 1 = left.
    pub anchors: [[[f64; 3]; 3]; 2],
    /// (foot + toes touch) / BW: left, right.
    pub grf: [f64; 2],
    /// Muscle activations, actuator order ([`crate::engine::MUSCLE_NAMES`]).
    pub act: [f64; 22],
}

impl StepRecord {
    /// Left ankle angle (Geyer).
    pub fn l_ankle(&self) -> f64 {
        self.angles[3]
    }
    /// Right ankle angle (Geyer).
    pub fn r_ankle(&self) -> f64 {
        self.angles[6]
    }
}
