//! The 26 pose parameters (indices 51..77): initial joint angles, initial forward velocity and
//! initial muscle activations, mapped as the original's `update_init_pose_param_cmaes`.

use super::{INIT_ACT_RANGE, POSE_RANGE};
use crate::float::Real;
use crate::muscles::{Muscle, Side, N_MUSCLES};

/// The keyframe an episode starts from (`--pose_key`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PoseKey {
    /// Left leg in stance, right leg in swing (all shipped configs).
    #[default]
    WalkLeft,
    /// Mirror image: right in stance, left in swing.
    WalkRight,
}

impl PoseKey {
    /// Parses `walk_left` / `walk_right`.
    pub fn parse(s: &str) -> Option<PoseKey> {
        match s {
            "walk_left" => Some(PoseKey::WalkLeft),
            "walk_right" => Some(PoseKey::WalkRight),
            _ => None,
        }
    }
    /// The keyframe name.
    pub const fn name(self) -> &'static str {
        match self {
            PoseKey::WalkLeft => "walk_left",
            PoseKey::WalkRight => "walk_right",
        }
    }
    /// The leg that starts in swing (right for `walk_left`).
    pub const fn swing_side(self) -> Side {
        match self {
            PoseKey::WalkLeft => Side::R,
            PoseKey::WalkRight => Side::L,
        }
    }
}

/// Muscles with an initial-activation parameter, in vector order per leg (right leg at 59..68,
/// left at 68..77).
pub const INIT_ACT_MUSCLES: [Muscle; 9] = [
    Muscle::Glu,
    Muscle::Hfl,
    Muscle::Ham,
    Muscle::Rf,
    Muscle::Bfsh,
    Muscle::Gas,
    Muscle::Sol,
    Muscle::Vas,
    Muscle::Ta,
];

/// Default activation of muscles without a parameter (FDL, EDL) and of all others before reset.
pub const DEFAULT_ACT: f64 = 0.01;

/// The physical initial state the pose parameters describe (MuJoCo joint convention, rad).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose<R> {
    /// `pelvis_tilt` joint position.
    pub pelvis_tilt: R,
    /// `hip_flexion_{r,l}`.
    pub hip_flexion: [R; 2],
    /// `knee_angle_{r,l}`.
    pub knee_angle: [R; 2],
    /// `ankle_angle_{r,l}`.
    pub ankle_angle: [R; 2],
    /// Initial `pelvis_tx` velocity, m/s.
    pub vel_pelvis_tx: R,
    /// Initial activation per leg in [`crate::muscles::MUSCLES`] order (0.01 for FDL/EDL).
    pub act: [[R; N_MUSCLES]; 2],
}

/// `p·scale·π/180 + off·π/180`, in the original's operation order.
#[inline]
fn deg<R: Real>(p: R, scale: f64, off: f64) -> R {
    let pi = R::PI();
    p * R::c(scale) * pi / R::c(180.0) + R::c(off) * pi / R::c(180.0)
}

impl<R: Real> Pose<R> {
    /// Maps the 26 pose parameters (`x[51..77]` of the full vector) for keyframe `key`.
    /// `walk_right` swaps the left/right angle offsets.
    pub fn from_params(pose26: &[R; 26], key: PoseKey) -> Self {
        let p = |i: usize| pose26[i];
        // offsets (hip, knee, ankle) of the stance-side-left keyframe: right leg, left leg
        let (r, l) = ((-15.0, -30.0, -5.0), (20.0, -10.0, -8.0));
        let (or, ol) = match key {
            PoseKey::WalkLeft => (r, l),
            PoseKey::WalkRight => (l, r),
        };
        let mut act = [[R::c(DEFAULT_ACT); N_MUSCLES]; 2];
        for side in Side::BOTH {
            for (k, m) in INIT_ACT_MUSCLES.iter().enumerate() {
                act[side.idx()][m.idx()] = p(8 + 9 * side.idx() + k) * R::c(0.01);
            }
        }
        Pose {
            pelvis_tilt: deg(p(0), 1.0, -16.0),
            hip_flexion: [deg(p(1), 5.0, or.0), deg(p(2), 5.0, ol.0)],
            knee_angle: [deg(p(3), 5.0, or.1), deg(p(4), 5.0, ol.1)],
            ankle_angle: [deg(p(5), 5.0, or.2), deg(p(6), 5.0, ol.2)],
            vel_pelvis_tx: p(7) * R::c(0.1) + R::c(1.4),
            act,
        }
    }

    /// Maps the pose part of a full parameter vector (length >= 77).
    pub fn from_vector(x: &[R], key: PoseKey) -> Option<Self> {
        let s = x.get(POSE_RANGE.start..INIT_ACT_RANGE.end)?;
        let a: [R; 26] = s.try_into().ok()?;
        Some(Self::from_params(&a, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_init_musc() {
        // reflex_nd_tutorial4p_pre125best_meta.json: params[59] = 1.0001371748981647 -> GLU_r
        let mut p = [1.0f64; 26];
        p[8] = 1.0001371748981647;
        p[17] = 1.1294807786207992;
        let pose = Pose::from_params(&p, PoseKey::WalkLeft);
        assert_eq!(pose.act[0][Muscle::Glu.idx()], 0.010001371748981648);
        assert_eq!(pose.act[1][Muscle::Glu.idx()], 0.011294807786207992);
        assert_eq!(pose.act[0][Muscle::Fdl.idx()], 0.01);
        let right = Pose::from_params(&p, PoseKey::WalkRight);
        assert_eq!(right.hip_flexion[0], pose.hip_flexion[1]);
        assert!((pose.vel_pelvis_tx - 1.5).abs() < 1e-15);
        assert!((pose.pelvis_tilt - (-15.0f64).to_radians()).abs() < 1e-15);
    }
}
