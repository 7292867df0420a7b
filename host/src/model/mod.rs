//! The musculoskeletal model as pure data: bodies, joints (independent, coupled, welded),
//! sites, tendons, actuators (muscles and exo devices), collision geometry, sensors and
//! keyframes, in the project's own JSON format (one file per MyoAssist variant under
//! `host/models/`, written by `myoreflex model import`).
//!
//! Conventions follow the compiled MuJoCo model the files come from, so that indices and
//! numbers can be compared one to one with MuJoCo and with `../shared/reference`:
//! * `bodies[0]` is the world; every body comes after its parent (MuJoCo body order).
//! * `joints` is MuJoCo's joint order, which is also the qpos and qvel order: every joint has
//!   one coordinate (hinge or slide), so the coordinate vector `q` has `joints.len()` entries
//!   and a recorded MuJoCo `qpos`/`qvel` can be used as is.
//! * Every joint has a [`Role`]: one of the 11 independent planar DOFs, a coordinate coupled to
//!   its driver by a polynomial (knee translations, moving via points: soft in MuJoCo, see
//!   [`Coupling`]), or welded (the arms, frozen in the original by damping 1e4; their value is
//!   the `stand` keyframe value, see [`Joint::weld_value`]).
//! * Quaternions are (w, x, y, z) and unit (normalised the way MuJoCo's compiler does; the
//!   pelvis keeps its ~2e-4 tilt), positions in metres, angles in radians.
//! * Mesh geoms carry the convex hull MuJoCo collides, with vertices in the BODY frame, in
//!   MuJoCo's vertex, face and neighbour order (its `mesh_graph`).

mod actuator;
mod body;
mod contact;
mod error;
mod joint;
mod keyframe;
pub mod kinematics;
mod load;
pub mod math;
pub mod mjcf;
pub mod mjcf_files;
mod shipped_files;

pub use actuator::{Actuator, ActuatorKind, Bias, Dynamics, Gain, MusclePrm, Tendon, Transmission};
pub use body::{Body, Site, SiteShape};
pub use contact::{ContactPair, Geom, Hull, LimitSensor, Shape, TouchSensor};
pub use error::ModelError;
pub use joint::{Coupling, Joint, JointType, Role};
pub use keyframe::Keyframe;
pub use load::{select, shipped, SHIPPED};

use serde::{Deserialize, Serialize};

/// Version of the model file format; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 2;

/// A whole model variant (one file under `host/models/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// File format version ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// Variant name as in the original file names (`BASELINE`, `DEPHY`, ...).
    pub name: String,
    /// The MJCF file this model was imported from (file name only).
    pub source: String,
    /// Physics step in s (MJCF `<option timestep>`).
    pub timestep: f64,
    /// Gravity in the world frame, m/s^2 (z up).
    pub gravity: [f64; 3],
    /// Bodies, world first, parents before children.
    pub bodies: Vec<Body>,
    /// Joints in qpos order; one coordinate each.
    pub joints: Vec<Joint>,
    /// Polynomial couplings (MuJoCo joint equalities), in MuJoCo equality order.
    pub couplings: Vec<Coupling>,
    /// Sites (muscle path points, touch boxes, height references), MuJoCo order.
    pub sites: Vec<Site>,
    /// Spatial tendons (muscle paths and exo cables), MuJoCo order.
    pub tendons: Vec<Tendon>,
    /// Actuators in MuJoCo order = ctrl order (muscles first, then exo devices).
    pub actuators: Vec<Actuator>,
    /// Geoms (collision shapes), MuJoCo order.
    pub geoms: Vec<Geom>,
    /// Explicit contact pairs (`<contact><pair>`); MuJoCo ALSO collides every geom pair whose
    /// contype/conaffinity match and that are not in the same body or parent/child (all geoms
    /// of these models have contype = conaffinity = 1).
    pub contact_pairs: Vec<ContactPair>,
    /// Touch sensors (foot and toe load).
    pub touch_sensors: Vec<TouchSensor>,
    /// Joint-limit force sensors (`jointlimitfrc`).
    pub limit_sensors: Vec<LimitSensor>,
    /// Keyframes (`stand`, `walk_left`, `walk_right`, `squat`, `lunge`), full qpos/qvel.
    pub keyframes: Vec<Keyframe>,
    /// Messages from the import (for example a mesh file missing upstream).
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl Model {
    /// Number of coordinates (= MuJoCo nq = nv: every joint is a hinge or a slide).
    pub fn nq(&self) -> usize {
        self.joints.len()
    }

    /// Index of the body with this name.
    pub fn body(&self, name: &str) -> Option<usize> {
        self.bodies.iter().position(|b| b.name == name)
    }

    /// Index of the joint with this name.
    pub fn joint(&self, name: &str) -> Option<usize> {
        self.joints.iter().position(|j| j.name == name)
    }

    /// Index of the site with this name.
    pub fn site(&self, name: &str) -> Option<usize> {
        self.sites.iter().position(|s| s.name == name)
    }

    /// Index of the actuator with this name.
    pub fn actuator(&self, name: &str) -> Option<usize> {
        self.actuators.iter().position(|a| a.name == name)
    }

    /// Index of the geom with this name.
    pub fn geom(&self, name: &str) -> Option<usize> {
        self.geoms.iter().position(|g| g.name == name)
    }

    /// The keyframe with this name.
    pub fn keyframe(&self, name: &str) -> Option<&Keyframe> {
        self.keyframes.iter().find(|k| k.name == name)
    }

    /// The independent planar DOFs (joint indices) in qpos order: pelvis tx, ty, tilt, then
    /// hip, knee, ankle, mtp of the right leg, then the left leg (OSL_A: the prosthesis ankle
    /// and no right mtp).
    pub fn independent_joints(&self) -> Vec<usize> {
        (0..self.joints.len())
            .filter(|&j| self.joints[j].role == Role::Independent)
            .collect()
    }

    /// Total mass in kg (sum of body masses, arms included).
    pub fn total_mass(&self) -> f64 {
        self.bodies.iter().map(|b| b.mass).sum()
    }

    /// The muscles (actuators of kind [`ActuatorKind::Muscle`]), indices in actuator order.
    pub fn muscles(&self) -> Vec<usize> {
        (0..self.actuators.len())
            .filter(|&a| self.actuators[a].kind == ActuatorKind::Muscle)
            .collect()
    }
}

#[cfg(test)]
mod kinematics_tests;
#[cfg(test)]
mod tests;
