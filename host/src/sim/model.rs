//! The compiled planar model the simulator runs on: a tree of rigid bodies moving in the
//! sagittal plane of the pelvis base frame (`P`: x forward, y up, z to the right), with MuJoCo's
//! joints (hinges about z, slides along a body axis), soft joint equalities (the polynomial
//! couplings), limits, rigid-tendon muscles on site paths, convex contact hulls and touch sites.
//!
//! Bodies are rigid except through their joints; the arms, welded in the original by 1e4 N·m·s
//! damping, are merged into the torso. Everything the step needs per body and per DOF is
//! precomputed here (tree order, ancestor chains, inverse weights of MuJoCo's constraint
//! regularisation) so the step does no allocation and no searching.

use super::muscle::{MuscleCurves, MuscleParams};
use super::support::HullGraph;
use super::tendon::TendonPaths;
use super::tree::DofTree;

/// Maximum number of DOFs and bodies (fixed-size arrays in the step).
pub const MAX_DOF: usize = 48;
pub const MAX_BODY: usize = 32;
pub const MAX_HULL: usize = 64;

/// A joint type in the plane frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DofKind {
    /// Rotation about the body z axis through `anchor` (body frame).
    Hinge,
    /// Translation along an in-plane body axis (x, y components) or the body z axis.
    Slide,
}

#[derive(Clone, Debug)]
pub struct Dof {
    pub name: String,
    pub body: usize,
    pub kind: DofKind,
    /// Slide axis in the body frame (unit) or hinge axis (0, 0, 1).
    pub axis: [f64; 3],
    /// Hinge anchor in the body frame.
    pub anchor: [f64; 3],
    pub damping: f64,
    pub armature: f64,
    pub limited: bool,
    pub range: [f64; 2],
    pub solref_limit: [f64; 2],
    pub solimp_limit: [f64; 5],
    /// MuJoCo's `dof_invweight0` (inverse inertia at qpos0) for the constraint regulariser.
    pub invweight0: f64,
    /// Address of this joint in MuJoCo's qpos/qvel (53-vector of the original model).
    pub mj_adr: usize,
}

#[derive(Clone, Debug)]
pub struct Body {
    pub name: String,
    /// Parent body index, `usize::MAX` for the root (pelvis, attached to the plane frame).
    pub parent: usize,
    /// Offset and rotation about z from the parent frame (before the body's joints).
    pub pos: [f64; 3],
    pub angle: f64,
    pub mass: f64,
    /// Centre of mass in the body frame.
    pub com: [f64; 3],
    /// Moment of inertia about the body z axis through the centre of mass.
    pub izz: f64,
    /// The body's own DOFs `dof_start..dof_end` (applied in order).
    pub dof_start: usize,
    pub dof_end: usize,
    /// MuJoCo's `body_invweight0` (translation, rotation).
    pub invweight0: [f64; 2],
}

/// A soft joint equality `q[dof1] = poly(q[dof2])`.
#[derive(Clone, Debug)]
pub struct Coupling {
    pub dof1: usize,
    pub dof2: usize,
    pub polycoef: [f64; 5],
    pub solref: [f64; 2],
    pub solimp: [f64; 5],
}

/// A point fixed on a body.
#[derive(Clone, Copy, Debug)]
pub struct Site {
    pub body: usize,
    pub pos: [f64; 3],
}

#[derive(Clone, Debug)]
pub struct Muscle {
    pub name: String,
    /// Path points (sites) in order.
    pub path: Vec<Site>,
    pub params: MuscleParams,
    /// Its force curves as the step evaluates them (from `params`).
    pub curves: MuscleCurves,
    /// The DOFs that change its length, ascending. Filled by `finalize`.
    pub dofs: Vec<usize>,
}

/// A convex hull that collides with the ground plane.
#[derive(Clone, Debug)]
pub struct Hull {
    pub name: String,
    pub body: usize,
    /// Vertices in the body frame, in MuJoCo's hull-graph order.
    pub verts: Vec<[f64; 3]>,
    /// MuJoCo's hull graph (`mesh_graph`).
    pub graph: HullGraph,
    /// MuJoCo `geom_rbound` (for the 0.3·rbound spacing of extra plane contacts).
    pub rbound: f64,
    /// Geom centre in the body frame (bounding sphere of radius `rbound`).
    pub center: [f64; 3],
    pub margin: f64,
    pub friction: f64,
    pub solref: [f64; 2],
    pub solimp: [f64; 5],
    /// The original (MuJoCo) body of the geom: touch sensors count only contacts of their body.
    pub group: usize,
    /// MuJoCo's translational `body_invweight0` of that original body (contact regulariser).
    pub invweight0: f64,
}

/// A touch sensor: a box site on a body.
#[derive(Clone, Debug)]
pub struct TouchSite {
    pub name: String,
    pub body: usize,
    pub pos: [f64; 3],
    /// Rotation of the box in the body frame (row-major 3x3, box axes as columns).
    pub rot: [[f64; 3]; 3],
    pub half: [f64; 3],
    /// The original (MuJoCo) body of the site (see [`Hull::group`]).
    pub group: usize,
}

#[derive(Clone, Debug)]
pub struct Keyframe {
    pub name: String,
    /// MuJoCo qpos / qvel (full original vectors).
    pub qpos: Vec<f64>,
    pub qvel: Vec<f64>,
    pub act: Vec<f64>,
}

/// An exo actuator: torque = gain · ctrl (clamped to `ctrlrange`) on a DOF.
#[derive(Clone, Debug)]
pub struct ExoActuator {
    pub name: String,
    pub dof: usize,
    pub gain: f64,
    pub ctrlrange: [f64; 2],
}

/// An original body's inertial frame in its simulator body's frame (see `SimModel::obs_inertial`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ObsFrame {
    /// Centre of mass of the original body alone.
    pub com: [f64; 3],
    /// Principal axes (columns) in the simulator body frame.
    pub rot: [[f64; 3]; 3],
}

#[derive(Clone, Debug)]
pub struct SimModel {
    pub name: String,
    pub timestep: f64,
    /// Gravity in the plane frame P.
    pub gravity: [f64; 3],
    /// Rotation from P to the world (row-major): world = rot · p.
    pub plane_rot: [[f64; 3]; 3],
    pub bodies: Vec<Body>,
    pub dofs: Vec<Dof>,
    pub couplings: Vec<Coupling>,
    pub muscles: Vec<Muscle>,
    pub exo: Vec<ExoActuator>,
    pub hulls: Vec<Hull>,
    pub touch: Vec<TouchSite>,
    /// Sites whose lowest world z is put at the reset height (heel/toe bottoms).
    pub height_sites: Vec<Site>,
    pub keyframes: Vec<Keyframe>,
    /// Total mass of the original model (including the merged arms), kg.
    pub total_mass: f64,
    /// Size of MuJoCo's qpos for this model.
    pub mj_nq: usize,
    /// Index of the 11 independent DOFs (`engine::DOF_NAMES` order) among `dofs`.
    pub independent: [usize; 11],
    /// Index of named bodies used by the observation.
    pub body_pelvis: usize,
    pub body_torso: usize,
    pub body_talus: [usize; 2],
    /// MuJoCo's inertial frame (COM and principal axes) of the original bodies `pelvis`,
    /// `torso`, `talus_r`, `talus_l`, in their simulator body's frame: `mj_objectVelocity` on a
    /// body (what the original's sensors read) reports the velocity of that point, and with
    /// `local` in those axes (the torso's pitch rate is its inertial y, not z).
    pub obs_inertial: [ObsFrame; 4],
    /// DOFs whose joint anchors the observation reports (hip, knee, ankle; r then l).
    pub anchor_dofs: [[usize; 3]; 2],
    /// Per body: the DOFs that move it (ancestors' and its own), ascending. Filled by `finalize`.
    pub chains: Vec<Vec<usize>>,
    /// Elimination tree and layout of the matrices the step factorises. Filled by `finalize`.
    pub tree: DofTree,
    /// The muscle paths laid out for the step. Filled by `finalize`.
    pub tendons: TendonPaths,
}

impl SimModel {
    pub fn nv(&self) -> usize {
        self.dofs.len()
    }
    /// Precomputes the tree structure the step uses (chains, muscle path layout, the DOF
    /// elimination tree), or says why the model does not fit the simulator.
    pub fn finalize(&mut self) -> Result<(), String> {
        let mut ch = [0usize; MAX_DOF];
        self.chains = (0..self.bodies.len())
            .map(|b| {
                let n = super::kinematics::chain(self, b, &mut ch);
                ch[..n].to_vec()
            })
            .collect();
        self.tendons = TendonPaths::new(&mut self.muscles, &self.chains);
        self.tree = DofTree::new(self)?;
        Ok(())
    }

    pub fn dof_index(&self, name: &str) -> Option<usize> {
        self.dofs.iter().position(|d| d.name == name)
    }
    pub fn body_index(&self, name: &str) -> Option<usize> {
        self.bodies.iter().position(|b| b.name == name)
    }
}
