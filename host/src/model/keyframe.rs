//! Keyframes: named full states.

use serde::{Deserialize, Serialize};

/// A MuJoCo keyframe (`stand`, `walk_left`, `walk_right`, `squat`, `lunge`). The coupled
/// coordinates in it do NOT satisfy the polynomials exactly (as in the original).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyframe {
    pub name: String,
    pub time: f64,
    /// One value per joint (qpos order).
    pub qpos: Vec<f64>,
    pub qvel: Vec<f64>,
    /// Muscle activations (one per actuator with activation dynamics), may be empty.
    pub act: Vec<f64>,
    /// Controls (one per actuator), may be empty.
    pub ctrl: Vec<f64>,
}
