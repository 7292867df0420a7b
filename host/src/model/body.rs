//! Rigid bodies and the sites attached to them.

use serde::{Deserialize, Serialize};

/// One rigid body of the kinematic tree (MuJoCo `<body>` after compilation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub name: String,
    /// Parent body index (the world is its own parent, index 0).
    pub parent: usize,
    /// Position of the body frame in the parent frame (m), before the body's joints move it.
    pub pos: [f64; 3],
    /// Orientation of the body frame in the parent frame (unit quaternion w, x, y, z).
    pub quat: [f64; 4],
    /// Mass (kg). Bodies without `<inertial>` get it from their mesh geoms (density 1000).
    pub mass: f64,
    /// Principal moments of inertia about the centre of mass (kg m^2), in the inertial frame.
    pub inertia: [f64; 3],
    /// Centre of mass in the body frame (m).
    pub ipos: [f64; 3],
    /// Orientation of the principal (inertial) frame in the body frame.
    pub iquat: [f64; 4],
    /// Joints of this body in the order MuJoCo applies them (indices into `Model::joints`).
    pub joints: Vec<usize>,
}

/// Shape of a site (only boxes matter: the touch sensors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteShape {
    Sphere,
    Box,
    Capsule,
    Ellipsoid,
    Cylinder,
}

/// A site: a point (and frame) fixed in a body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub name: String,
    pub body: usize,
    /// Position in the body frame (m).
    pub pos: [f64; 3],
    /// Orientation in the body frame (unit quaternion).
    pub quat: [f64; 4],
    pub shape: SiteShape,
    /// Size as in MuJoCo (box: half sizes; sphere: radius first).
    pub size: [f64; 3],
}
