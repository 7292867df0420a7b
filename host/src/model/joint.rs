//! Joints (one coordinate each) and the polynomial couplings between them.

use serde::{Deserialize, Serialize};

/// Hinge (rotation about `axis` through `pos`) or slide (translation along `axis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JointType {
    Hinge,
    Slide,
}

/// What drives a joint's coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Role {
    /// One of the independent planar DOFs (pelvis tx, ty, tilt; hip, knee, ankle, mtp).
    Independent,
    /// Held to a polynomial of another joint by `Model::couplings[coupling]` (soft in MuJoCo).
    Coupled { coupling: usize },
    /// Frozen in the original (arm joints with damping 1e4): the coordinate stays at
    /// [`Joint::weld_value`], and the body moves with its parent as one rigid body.
    Welded,
}

/// One joint = one generalized coordinate (qpos and qvel index = joint index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Joint {
    pub name: String,
    /// Body this joint moves (relative to the body's parent).
    pub body: usize,
    #[serde(rename = "type")]
    pub jtype: JointType,
    /// Anchor in the body frame (m).
    pub pos: [f64; 3],
    /// Axis in the body frame (unit).
    pub axis: [f64; 3],
    pub role: Role,
    /// Whether `range` is enforced (soft limit with `solref_limit`/`solimp_limit`).
    pub limited: bool,
    /// Range (rad or m) when `limited`.
    pub range: [f64; 2],
    /// Viscous damping (N m s/rad or N s/m); MuJoCo integrates it implicitly.
    pub damping: f64,
    /// Armature (rotor inertia added to the mass matrix diagonal).
    pub armature: f64,
    /// Joint stiffness and its spring reference (0 in these models).
    pub stiffness: f64,
    pub springref: f64,
    /// Dry friction (0 in these models).
    pub frictionloss: f64,
    /// Limit softness: solref (timeconst, dampratio) and solimp (d0, dwidth, width, mid, power).
    pub solref_limit: [f64; 2],
    pub solimp_limit: [f64; 5],
    /// Limit margin (m or rad).
    pub margin: f64,
    /// Coordinate value at which the body sits at `pos`/`quat` (MuJoCo qpos0; 0 here).
    pub qpos0: f64,
    /// Value of a welded joint (keyframe `stand`); for other joints the `stand` value too.
    pub weld_value: f64,
}

/// `q[dependent] - q0[dependent] = c0 + c1 x + c2 x^2 + c3 x^3 + c4 x^4`, `x = q[driver] - q0[driver]`
/// (MuJoCo `<equality><joint polycoef>`), enforced softly with `solref`/`solimp`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coupling {
    /// The driven (coupled) joint.
    pub dependent: usize,
    /// The independent joint it follows.
    pub driver: usize,
    pub polycoef: [f64; 5],
    pub solref: [f64; 2],
    pub solimp: [f64; 5],
}

impl Coupling {
    /// The polynomial target of the dependent coordinate and its derivative at driver value `x`
    /// (both qpos0 are 0 in these models; `x` is measured from the driver's qpos0).
    #[inline]
    pub fn eval(&self, x: f64) -> (f64, f64) {
        let c = &self.polycoef;
        let y = c[0] + x * (c[1] + x * (c[2] + x * (c[3] + x * c[4])));
        let dy = c[1] + x * (2.0 * c[2] + x * (3.0 * c[3] + x * 4.0 * c[4]));
        (y, dy)
    }
}
