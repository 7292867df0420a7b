//! Collision geometry, contact pairs and the sensors that read contacts or limits.

use serde::{Deserialize, Serialize};

/// A convex polyhedron (MuJoCo collides meshes through their convex hull): MuJoCo's hull graph
/// (`mesh_graph`) with its orders, which the plane collision depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hull {
    /// Vertices in the BODY frame (m), in MuJoCo's graph order (`vert_globalid`).
    pub vertices: Vec<[f64; 3]>,
    /// Outward-facing triangles (vertex indices, counter-clockwise seen from outside), in
    /// MuJoCo's order (`face_globalid`).
    pub faces: Vec<[u32; 3]>,
    /// Hull neighbours of every vertex in MuJoCo's order (`edge_localid`): where the plane
    /// collision's hill climbing goes and which extra contacts it tries first.
    pub neighbors: Vec<Vec<u32>>,
    /// MuJoCo's `geom_rbound` (m): the norm of the mesh's per-axis extent (largest |coordinate|)
    /// in the geom frame; the plane collision spaces extra contacts by 0.3·rbound.
    pub rbound: f64,
}

/// Collision shape of a geom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Shape {
    /// Infinite plane through the geom origin with normal = geom z axis (`size` is visual).
    Plane {
        size: [f64; 3],
    },
    /// Height field (`terrain`); the environment moves it to z = -10 on flat ground.
    Hfield {
        size: [f64; 4],
        nrow: usize,
        ncol: usize,
    },
    Sphere {
        radius: f64,
    },
    Box {
        half: [f64; 3],
    },
    Capsule {
        radius: f64,
        half_length: f64,
    },
    Cylinder {
        radius: f64,
        half_length: f64,
    },
    /// A mesh, collided through its convex hull. `hull` is `None` when the mesh file is
    /// missing (HMEDI, OSL_A upstream): that geom gets no collision.
    Mesh {
        mesh: String,
        file: String,
        hull: Option<Hull>,
    },
}

/// One geom with its contact parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geom {
    pub name: String,
    pub body: usize,
    pub shape: Shape,
    /// Geom frame in the body frame (meshes: MuJoCo's inertial frame of the mesh; the hull
    /// vertices are already in the body frame).
    pub pos: [f64; 3],
    pub quat: [f64; 4],
    pub contype: u32,
    pub conaffinity: u32,
    pub condim: u32,
    pub priority: i32,
    /// Sliding, torsional, rolling friction.
    pub friction: [f64; 3],
    pub solref: [f64; 2],
    pub solimp: [f64; 5],
    pub solmix: f64,
    pub margin: f64,
    pub gap: f64,
    pub group: i32,
}

/// An explicit `<pair>` with its own contact parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactPair {
    pub geom1: usize,
    pub geom2: usize,
    pub condim: u32,
    /// tangent1, tangent2, spin, roll1, roll2.
    pub friction: [f64; 5],
    pub solref: [f64; 2],
    pub solreffriction: [f64; 2],
    pub solimp: [f64; 5],
    pub margin: f64,
    pub gap: f64,
}

/// A touch sensor: sums the normal force of contacts of the site's body whose ray along the
/// contact normal hits the site box (MuJoCo 3.3 semantics, see reference README section 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchSensor {
    pub name: String,
    pub site: usize,
}

/// A joint-limit force sensor (`jointlimitfrc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LimitSensor {
    pub name: String,
    pub joint: usize,
}
